"""Turn the brief data dict into a tidy view shared by the HTML and Markdown renderers.

The brief dict is built elsewhere and may be partial; :func:`prepare` fills in
defaults, numbers the documents for citations (documents cited by evidence but
missing from the documents list are appended), sorts actors and groups ties by
type in vocabulary order. Nothing here escapes text: the renderers do.
"""

from __future__ import annotations

from typing import Any

from khabar.schema import MODALITIES

from .text import ordered_tie_types, tie_colour, tie_description, tie_label, tie_symmetric

__all__ = ["prepare", "select_evidence", "dominant_modality", "as_int", "EVIDENCE_SHOWN", "SECTIONS"]

EVIDENCE_SHOWN = 5
# (anchor, heading) of the top-level sections of both the HTML and the Markdown brief.
SECTIONS = (("overview", "Corpus overview"), ("actors", "Actors"), ("network", "Network"), ("ties", "Ties"))


def as_int(value: Any) -> int:
    """``value`` as an int (0 when missing or not a number)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def dominant_modality(tie: dict[str, Any]) -> str:
    """The tie's ``modality`` if valid, else the modality with the most assertions."""
    modality = tie.get("modality")
    if modality in MODALITIES:
        return modality
    counts = {m: as_int(tie.get(m)) for m in MODALITIES}
    best = max(MODALITIES, key=lambda m: (counts[m], m == "asserted"))
    return best if counts[best] else "asserted"


def _doc_key(record: dict[str, Any]) -> str:
    doc_id = record.get("doc_id", record.get("id"))
    if doc_id:
        return str(doc_id)
    parts = (record.get("doc_name", record.get("name")), record.get("title"), record.get("source"),
             record.get("published"))
    return "|".join("" if p is None else str(p) for p in parts)


def _documents(data: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Numbered documents (1-based) and the map from document key to number."""
    docs: list[dict[str, Any]] = []
    numbers: dict[str, int] = {}

    def add(record: dict[str, Any], *, cited_only: bool) -> None:
        key = _doc_key(record)
        if key in numbers:
            return
        numbers[key] = len(docs) + 1
        docs.append({
            "n": numbers[key],
            "name": record.get("doc_name", record.get("name")),
            "title": record.get("title"),
            "source": record.get("source"),
            "published": record.get("published"),
            "url": record.get("url"),
            "cited_only": cited_only,
        })

    for doc in data.get("documents") or []:
        if isinstance(doc, dict):
            add(doc, cited_only=False)
    for tie in data.get("ties") or []:
        for assertion in (tie.get("assertions") or []) if isinstance(tie, dict) else []:
            if isinstance(assertion, dict):
                add(assertion, cited_only=True)
    return docs, numbers


def _tie(tie: dict[str, Any], numbers: dict[str, int]) -> dict[str, Any]:
    assertions = []
    for a in tie.get("assertions") or []:
        if isinstance(a, dict):
            modality = a.get("modality") if a.get("modality") in MODALITIES else "asserted"
            assertions.append({**a, "modality": modality, "cite": numbers.get(_doc_key(a))})
    counts = {m: as_int(tie.get(m)) for m in MODALITIES}
    if not any(counts.values()):
        counts = {m: sum(1 for a in assertions if a["modality"] == m) for m in MODALITIES}
    return {
        "subject": str(tie.get("subject") or ""),
        "object": str(tie.get("object") or ""),
        "subject_name": tie.get("subject_name") or tie.get("subject") or "?",
        "object_name": tie.get("object_name") or tie.get("object") or "?",
        "type": str(tie.get("type") or "unknown"),
        "evidence": as_int(tie.get("evidence")) or len(assertions),
        "sources": as_int(tie.get("sources")),
        "documents": as_int(tie.get("documents")),
        "first_seen": tie.get("first_seen"),
        "last_seen": tie.get("last_seen"),
        "counts": counts,
        "contested": bool(tie.get("contested")),
        "modality": dominant_modality({**tie, **counts}),
        "assertions": assertions,
    }


def select_evidence(assertions: list[dict[str, Any]], limit: int = EVIDENCE_SHOWN) -> tuple[list[dict], int]:
    """Up to ``limit`` assertions to show, in their original order, and how many are left out.

    Picks one assertion of each modality first (so a contested tie shows both
    sides), then one per document (independent evidence), then the rest.
    """
    chosen: list[int] = []
    seen_modality: set[str] = set()
    seen_doc: set[Any] = set()
    for i, a in enumerate(assertions):
        if a.get("modality") not in seen_modality and len(chosen) < limit:
            seen_modality.add(a.get("modality"))
            seen_doc.add(a.get("cite"))
            chosen.append(i)
    for i, a in enumerate(assertions):
        if i not in chosen and a.get("cite") not in seen_doc and len(chosen) < limit:
            seen_doc.add(a.get("cite"))
            chosen.append(i)
    for i in range(len(assertions)):
        if i not in chosen and len(chosen) < limit:
            chosen.append(i)
    return [assertions[i] for i in sorted(chosen)], len(assertions) - len(chosen)


def prepare(data: dict[str, Any]) -> dict[str, Any]:
    """A normalised, render-ready view of the brief data (the input is not modified)."""
    data = data if isinstance(data, dict) else {}
    documents, numbers = _documents(data)
    actors = [a for a in data.get("actors") or [] if isinstance(a, dict)]
    actors.sort(key=lambda a: (-as_int(a.get("mentions")), str(a.get("name") or a.get("id") or "")))
    ties = [_tie(t, numbers) for t in data.get("ties") or [] if isinstance(t, dict)]
    groups = []
    for tie_type in ordered_tie_types(sorted({t["type"] for t in ties})):
        members = [t for t in ties if t["type"] == tie_type]
        members.sort(key=lambda t: (-t["evidence"], -t["sources"], str(t["subject_name"]), str(t["object_name"])))
        groups.append({
            "type": tie_type,
            "label": tie_label(tie_type),
            "description": tie_description(tie_type),
            "colour": tie_colour(tie_type),
            "symmetric": tie_symmetric(tie_type),
            "ties": members,
        })
    overview = data.get("overview") if isinstance(data.get("overview"), dict) else {}
    return {
        "title": data.get("title") or "khabar brief",
        "generated": data.get("generated"),
        "db": data.get("db"),
        "overview": overview,
        "documents": documents,
        "actors": actors,
        "raw_actors": [a for a in data.get("actors") or [] if isinstance(a, dict)],
        "raw_ties": [t for t in data.get("ties") or [] if isinstance(t, dict)],
        "ties": ties,
        "groups": groups,
    }
