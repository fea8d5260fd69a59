"""Ties as the aggregate of their assertions: evidence, independent sources, first and
last seen, and where sources disagree (contested), never averaged into one number."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from khabar.schema import Tie, is_symmetric

__all__ = ["aggregate_ties", "tie_key"]


def tie_key(subject: str, tie_type: str, obj: str) -> tuple[str, str, str]:
    """Symmetric ties are one tie whichever way round they were written."""
    if is_symmetric(tie_type) and subject > obj:
        subject, obj = obj, subject
    return subject, tie_type, obj


def aggregate_ties(assertions: Iterable[dict[str, Any]]) -> list[tuple[Tie, list[dict[str, Any]]]]:
    """Group assertion rows (as ``store.read.assertions`` returns them) into ties.

    Returns (tie, its assertions) pairs, the best-evidenced ties first. A source
    counts once however many of its documents repeat the tie; documents without a
    source count as their own source.
    """
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for a in assertions:
        groups[tie_key(a["subject"], a["type"], a["object"])].append(a)
    out = []
    for (s, t, o), items in groups.items():
        dates = sorted(a["published"] for a in items if a.get("published"))
        sources = {a.get("source") or f"doc:{a.get('doc_id')}" for a in items}
        modal = {m: sum(a.get("modality") == m for a in items) for m in ("asserted", "negated", "predicted")}
        tie = Tie(
            subject=s, type=t, object=o,
            evidence=len(items),
            sources=len(sources),
            documents=len({a.get("doc_id") for a in items}),
            first_seen=dates[0] if dates else None,
            last_seen=dates[-1] if dates else None,
            asserted=modal["asserted"], negated=modal["negated"], predicted=modal["predicted"],
            contested=modal["asserted"] > 0 and modal["negated"] > 0,
        )
        out.append((tie, items))
    out.sort(key=lambda p: (-p[0].sources, -p[0].evidence, p[0].subject, p[0].type, p[0].object))
    return out
