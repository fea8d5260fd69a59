"""Turn the brief data dict into a tidy view shared by the HTML and Markdown renderers.

The brief dict is built elsewhere and may be partial; :func:`prepare` fills in
defaults, numbers the documents for citations (documents cited by evidence but
missing from the documents list are appended), sorts actors and groups ties by
type in vocabulary order. Events (when the data has them) are normalised into
table rows, most recent first, and their reports' documents join the citation
list. Attributed judgments (``judgments``) and contested ties (``disagreements``)
cite documents the same way. Every citation carries its source's reliability
grade (A-F) when known: the cited record's own ``reliability``, else the grade of
its source in ``data["sources"]`` (``[{"name", "reliability"}]``), else a grade
another record gave the same document. Ties and events carry their credibility
rating (1-6) and its reason. Nothing here escapes text: the renderers do.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from khabar.analyze.credibility import sentence_key
from khabar.schema import MODALITIES, vocab

from .text import ordered_tie_types, tie_colour, tie_description, tie_label, tie_symmetric

__all__ = ["prepare", "select_evidence", "dominant_modality", "as_int", "EVIDENCE_SHOWN", "SECTIONS",
           "EVENTS_SHOWN", "EVENT_COLOURS", "event_colour", "ordered_event_types", "event_dicts", "event_span",
           "parse_day", "as_float", "section_heading", "date_label", "place_label",
           "change_text", "concentration_text", "JUDGMENTS_SHOWN", "COMPARE_ACTORS", "COMPARE_ENTRIES",
           "DISAGREEMENTS_SHOWN", "SIDE_SHOWN", "CREDIBILITY_LABELS", "percent_range", "band_text",
           "credibility_text", "grade_title", "brier_text"]

EVIDENCE_SHOWN = 5
EVENTS_SHOWN = 100  # rows of the events table (most recent first)
JUDGMENTS_SHOWN = 40  # key judgments listed (those with a band first)
COMPARE_ACTORS = 20  # rows of the "judgments by speaker about the same actors" table
COMPARE_ENTRIES = 10  # judgments listed per actor in that table
DISAGREEMENTS_SHOWN = 30  # contested ties shown in "Where sources disagree"
SIDE_SHOWN = 5  # quotes per side ("says so" / "says not") of a disagreement
# (anchor, heading) of the top-level sections of both the HTML and the Markdown brief, in page order. The
# judgments, events, activity and disagreements sections are only rendered when the data has them.
SECTIONS = (("overview", "Corpus overview"), ("judgments", "Key judgments"), ("actors", "Actors"),
            ("network", "Network"), ("events", "Events"), ("activity", "Activity"),
            ("disagreements", "Where sources disagree"), ("ties", "Ties"))
# The Admiralty (NATO) information credibility scale (as khabar.analyze.credibility.LABELS).
CREDIBILITY_LABELS = {1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful", 5: "improbable",
                      6: "cannot be judged"}
_GRADES = ("A", "B", "C", "D", "E", "F")
# A fixed colour per event type (Paul Tol's "vibrant" and "muted" qualitative schemes, colour-blind safe).
EVENT_COLOURS = {
    "attack": "#cc3311",
    "killing": "#882255",
    "takeover": "#ee7733",
    "statement": "#0077bb",
    "meeting": "#33bbee",
    "agreement": "#009988",
    "release": "#ddaa33",
}
OTHER_EVENT_COLOUR = "#777777"
_ISO_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def section_heading(anchor: str) -> str:
    """The heading of the section with ``anchor``."""
    return dict(SECTIONS)[anchor]


def as_float(value: Any) -> float | None:
    """``value`` as a finite float, or ``None``."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def event_colour(event_type: Any) -> str:
    """The fixed colour of an event type (grey for unknown types)."""
    return EVENT_COLOURS.get(event_type, OTHER_EVENT_COLOUR) if isinstance(event_type, str) else OTHER_EVENT_COLOUR


def ordered_event_types(present: Any) -> list[str]:
    """The event types in ``present``: vocabulary order first, unknown types after, sorted."""
    present = {str(t) for t in present}
    known = [t for t in [*vocab().get("event_types", []), *EVENT_COLOURS] if t in present]
    known = list(dict.fromkeys(known))
    return known + sorted(present - set(known))


def event_dicts(events: Any) -> list[dict[str, Any]]:
    """Events as dicts: accepts Event records (``to_dict``) and dicts; anything else is dropped."""
    out = []
    for event in events or []:
        if hasattr(event, "to_dict"):
            event = event.to_dict()
        if isinstance(event, dict):
            out.append(event)
    return out


def parse_day(value: Any, *, end: bool = False) -> dt.date | None:
    """A date from a (partial) ISO string: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    A partial date is read as its first day, or its last day when ``end``.
    """
    if not isinstance(value, str):
        return None
    match = _ISO_DAY.match(value.strip())
    if not match:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    if not 1000 <= int(year) <= 9000:  # keeps date arithmetic (axis padding) far from datetime's limits
        return None
    try:
        if day:
            return dt.date(int(year), int(month), int(day))
        if month:
            first = dt.date(int(year), int(month), 1)
            if not end:
                return first
            return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return dt.date(int(year), 12, 31) if end else dt.date(int(year), 1, 1)
    except ValueError:
        return None


def event_span(event: dict[str, Any]) -> tuple[dt.date, dt.date] | None:
    """The first and last day an event may have happened on, or ``None`` when undated.

    Uses ``date_start``/``date_end``; falls back to the partial ``date``.
    """
    start = parse_day(event.get("date_start")) or parse_day(event.get("date"))
    if start is None:
        return None
    end = parse_day(event.get("date_end"), end=True) or parse_day(event.get("date"), end=True) or start
    return (start, max(start, end))


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


def grade(value: Any) -> str | None:
    """A reliability grade ``A``-``F`` (case and spaces ignored), or ``None``."""
    text = value.strip().upper() if isinstance(value, str) else ""
    return text if text in _GRADES else None


def grade_title(value: Any) -> str:
    """``B: usually reliable`` for a grade (the vocabulary's words), ``""`` if not a grade."""
    letter = grade(value)
    if not letter:
        return ""
    words = (vocab().get("reliability_grades") or {}).get(letter)
    return f"source reliability {letter}: {words}" if words else f"source reliability {letter}"


def _source_grades(data: dict[str, Any]) -> dict[str, str]:
    """Source name (and its casefolded form) -> grade, from ``data["sources"]``."""
    out: dict[str, str] = {}
    sources = data.get("sources")
    for source in sources if isinstance(sources, (list, tuple)) else []:
        if isinstance(source, dict) and source.get("name") is not None and grade(source.get("reliability")):
            name = str(source["name"])
            out.setdefault(name, grade(source["reliability"]) or "")
            out.setdefault(name.strip().casefold(), grade(source["reliability"]) or "")
    return out


def _lookup(grades: dict[str, str], source: Any) -> str | None:
    if source is None:
        return None
    return grades.get(str(source)) or grades.get(str(source).strip().casefold())


def _cited_records(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every record that cites a document, in citation order: tie assertions, event reports, judgments,
    the sides of disagreements."""
    records: list[dict[str, Any]] = []
    for tie in data.get("ties") or []:
        for assertion in (tie.get("assertions") or []) if isinstance(tie, dict) else []:
            if isinstance(assertion, dict):
                records.append(assertion)
    for event in event_dicts(data.get("events")):
        for report in event.get("reports") or []:
            if isinstance(report, dict):
                records.append(report)
    for judgment in _dicts(data.get("judgments")):
        doc = _judgment_doc(judgment)
        if _has_doc(doc):
            records.append(doc)
    for item in _dicts(data.get("disagreements")):
        for side in ("for", "against"):
            records.extend(_dicts(item.get(side)))
    return records


def _dicts(values: Any) -> list[dict[str, Any]]:
    return [v for v in values if isinstance(v, dict)] if isinstance(values, (list, tuple)) else []


def _judgment_doc(judgment: dict[str, Any]) -> dict[str, Any]:
    """The document a judgment cites, as a citing record (its own ``id`` is the judgment's, not the document's)."""
    return {k: judgment.get(k) for k in ("doc_id", "title", "source", "published", "url", "reliability")}


def _has_doc(record: dict[str, Any]) -> bool:
    return any(record.get(k) for k in ("doc_id", "title", "source", "url"))


def _documents(data: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Numbered documents (1-based) and the map from document key to number."""
    docs: list[dict[str, Any]] = []
    numbers: dict[str, int] = {}

    def add(record: dict[str, Any], *, cited_only: bool) -> None:
        key = _doc_key(record)
        if key in numbers:
            doc = docs[numbers[key] - 1]
            doc["reliability"] = doc["reliability"] or grade(record.get("reliability"))
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
            "reliability": grade(record.get("reliability")),
        })

    for doc in data.get("documents") or []:
        if isinstance(doc, dict):
            add(doc, cited_only=False)
    for record in _cited_records(data):
        add(record, cited_only=True)
    grades = _source_grades(data)
    for doc in docs:
        doc["reliability"] = doc["reliability"] or _lookup(grades, doc["source"])
    return docs, numbers


class _Citer:
    """Citation number and source grade of a record that cites a document."""

    def __init__(self, data: dict[str, Any], documents: list[dict[str, Any]], numbers: dict[str, int]) -> None:
        self.grades = _source_grades(data)
        self.documents = documents
        self.numbers = numbers

    def __call__(self, record: dict[str, Any]) -> dict[str, Any]:
        """``{"cite": n | None, "grade": "B" | None, "page": p | None}`` of ``record`` (``page``:
        where in a paged document, a PDF, the record stands)."""
        n = self.numbers.get(_doc_key(record))
        own = grade(record.get("reliability")) or _lookup(self.grades, record.get("source"))
        page = record.get("page")
        return {"cite": n, "grade": own or (self.documents[n - 1]["reliability"] if n else None),
                "page": page if isinstance(page, int) and not isinstance(page, bool) and page > 0 else None}


def _credibility(record: dict[str, Any]) -> dict[str, Any] | None:
    """``{"rating", "label", "reason"}`` from ``credibility`` (1-6) and ``credibility_reason``, or ``None``."""
    rating = record.get("credibility")
    if isinstance(rating, bool) or as_float(rating) is None or as_int(rating) not in CREDIBILITY_LABELS:
        return None
    reason = record.get("credibility_reason")
    return {"rating": as_int(rating), "label": CREDIBILITY_LABELS[as_int(rating)],
            "reason": "" if reason is None else str(reason)}


def credibility_text(cred: dict[str, Any]) -> str:
    """``credibility 3 \u00b7 possibly true`` (plain text, not escaped)."""
    return f"credibility {cred['rating']} \u00b7 {cred['label']}"


def _tie(tie: dict[str, Any], citer: _Citer) -> dict[str, Any]:
    assertions = []
    for a in tie.get("assertions") or []:
        if isinstance(a, dict):
            modality = a.get("modality") if a.get("modality") in MODALITIES else "asserted"
            assertions.append({**a, "modality": modality, **citer(a)})
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
        "credibility": _credibility(tie),
        "analyst": tie.get("analyst") if tie.get("analyst") in ("confirmed", "rejected") else None,
    }


def select_evidence(assertions: list[dict[str, Any]], limit: int = EVIDENCE_SHOWN) -> tuple[list[dict], int]:
    """Up to ``limit`` assertions to show, in their original order, and how many are left out.

    Picks one assertion of each modality first (so a contested tie shows both
    sides), then one per document (independent evidence), then the rest; a copy of a
    sentence already shown (a reprint in another document) is not shown again.
    """
    chosen: list[int] = []
    seen_modality: set[str] = set()
    seen_doc: set[Any] = set()
    shown: set[str] = set()

    def copy(a: dict[str, Any]) -> bool:
        key = sentence_key(a.get("sentence"))
        return bool(key) and key in shown

    for i, a in enumerate(assertions):
        if a.get("modality") not in seen_modality and len(chosen) < limit and not copy(a):
            seen_modality.add(a.get("modality"))
            seen_doc.add(a.get("cite"))
            shown.add(sentence_key(a.get("sentence")))
            chosen.append(i)
    for i, a in enumerate(assertions):
        if i not in chosen and a.get("cite") not in seen_doc and len(chosen) < limit and not copy(a):
            seen_doc.add(a.get("cite"))
            shown.add(sentence_key(a.get("sentence")))
            chosen.append(i)
    for i, a in enumerate(assertions):
        if i not in chosen and len(chosen) < limit and not copy(a):
            shown.add(sentence_key(a.get("sentence")))
            chosen.append(i)
    return [assertions[i] for i in sorted(chosen)], len(assertions) - len(chosen)


def _names(values: Any, names: Any, known: dict[str, str]) -> list[str]:
    """Display names for actor ids: the parallel ``names`` list first, then the brief's actors, then the id."""
    ids = [v for v in values if v is not None] if isinstance(values, list) else []
    given = names if isinstance(names, list) else []
    out = []
    for i, actor in enumerate(ids):
        name = given[i] if i < len(given) and given[i] else known.get(str(actor)) or actor
        out.append(str(name))
    return out


def _fatalities(event: dict[str, Any]) -> str:
    """Best fatality figure, with the low-high range when it differs (e.g. ``12 (10\u201315)``)."""
    best, low, high = (event.get(k) for k in ("fatalities", "fatalities_low", "fatalities_high"))
    best = as_int(best) if best is not None and as_float(best) is not None else None
    low = as_int(low) if low is not None and as_float(low) is not None else None
    high = as_int(high) if high is not None and as_float(high) is not None else None
    if best is None:
        best = low if low is not None else high
    if best is None:
        return ""
    low = best if low is None else low
    high = best if high is None else high
    return f"{best} ({low}\u2013{high})" if (low, high) != (best, best) else str(best)


def date_label(event: dict[str, Any]) -> str:
    """The event's date as written (partial ISO), or its day range when that says more."""
    span = event_span(event)
    date = event.get("date") if isinstance(event.get("date"), str) else None
    if span is None:
        return date or ""
    start, end = span
    if date and (parse_day(date), parse_day(date, end=True)) == (start, end):
        return date
    if start == end:
        return start.isoformat()
    return f"{start.isoformat()} \u2013 {end.isoformat()}"


def place_label(event: dict[str, Any], country_name: Any = None) -> str:
    """``location (admin1, country)`` without repeats, or ``""``."""
    country = event.get("country")
    if country and callable(country_name):
        country = country_name(country)
    parts = [p for p in (event.get("location"), event.get("admin1"), country) if p]
    unique: list[str] = []
    for part in (str(p) for p in parts):
        if part not in unique:
            unique.append(part)
    if not unique:
        return ""
    return unique[0] + (f" ({', '.join(unique[1:])})" if len(unique) > 1 else "")


def _event_row(event: dict[str, Any], citer: _Citer, known: dict[str, str], country_name: Any) -> dict:
    reports = [r for r in event.get("reports") or [] if isinstance(r, dict)]
    first = reports[0] if reports else {}
    documents = event.get("documents") if isinstance(event.get("documents"), list) else []
    sources = event.get("sources") if isinstance(event.get("sources"), list) else []
    span = event_span(event)
    precision = event.get("precision") if isinstance(event.get("precision"), str) else ""
    return {
        "id": event.get("id"),
        "type": str(event.get("type") or "unknown"),
        "colour": event_colour(event.get("type")),
        "date": date_label(event),
        "precision": precision,
        "span": span,
        "actors": _names(event.get("actors"), event.get("actor_names"), known),
        "targets": _names(event.get("targets"), event.get("target_names"), known),
        "place": place_label(event, country_name),
        "fatalities": _fatalities(event),
        "injured": as_int(event.get("injured")) if as_float(event.get("injured")) is not None else None,
        "reports": len(reports),
        "documents": len({str(d) for d in documents}) or len({str(r.get("doc_id")) for r in reports}),
        "sources": len({str(s) for s in sources if s}) or len({str(r.get("source")) for r in reports
                                                               if r.get("source")}),
        "sentence": first.get("sentence") or "",
        **(citer(first) if first else {"cite": None, "grade": None}),
        "credibility": _credibility(event),
    }


def _number(value: Any) -> str:
    number = as_float(value)
    return "?" if number is None else f"{number:.1f}"


def change_text(change: dict[str, Any], by: Any = "week", arrow: str = "->") -> str:
    """One activity change in words (plain text, not escaped), e.g.

    ``stop from 2021-08-15: 0.9 -> 0.0 events/week; coverage continued (12 -> 9 documents): evidence of absence``.
    """
    unit = by if isinstance(by, str) and by else "week"
    text = (f"{change.get('kind') or 'change'} from {change.get('start') or '?'}: "
            f"{_number(change.get('rate_before'))} {arrow} {_number(change.get('rate_after'))} events/{unit}")
    before, after = as_float(change.get("coverage_before")), as_float(change.get("coverage_after"))
    if before is not None and after is not None:
        if after <= 0:
            verb = "stopped"
        elif after > before * 1.33:
            verb = "rose"
        elif after >= before * 0.75:
            verb = "continued"
        else:
            verb = "fell"
        text += f"; coverage {verb} ({as_int(before)} {arrow} {as_int(after)} documents)"
    if change.get("label"):
        text += f": {change['label']}"
    return text


def concentration_text(places: list[dict[str, Any]], limit: int = 8) -> str:
    """``Jalalabad 25% (3), Kabul 17% (2)`` (plain text, not escaped)."""
    parts = []
    for place in places[:limit]:
        share = as_float(place.get("share"))
        percent = f" {share * 100:.0f}%" if share is not None else ""
        parts.append(f"{place.get('name') or '?'}{percent} ({as_int(place.get('count'))})")
    more = f", +{len(places) - limit} more" if len(places) > limit else ""
    return ", ".join(parts) + more


def _activity(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``activity`` entries that have something to show (a series, changes or places)."""
    out = []
    entries = data.get("activity") if isinstance(data.get("activity"), list) else []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        series = [s for s in entry.get("series") or [] if isinstance(s, dict)]
        changes = [c for c in entry.get("changes") or [] if isinstance(c, dict)]
        places = [c for c in entry.get("concentration") or [] if isinstance(c, dict)]
        if not (series or changes or places):
            continue
        out.append({
            "actor": entry.get("actor"),
            "name": entry.get("actor_name") or entry.get("actor") or "?",
            "by": entry.get("by") or "week",
            "series": series,
            "changes": changes,
            "concentration": places,
        })
    return out


def _events(data: dict[str, Any], citer: _Citer, actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Event table rows, most recent first (undated events last)."""
    from .geomap import country_name  # geomap imports this module

    known = {str(a.get("id")): str(a.get("name")) for a in actors if a.get("id") is not None and a.get("name")}
    rows = [_event_row(e, citer, known, country_name) for e in event_dicts(data.get("events"))]
    rows.sort(key=lambda r: (r["span"] is not None, r["span"] or ()), reverse=True)
    return rows


def _bands() -> dict[str, tuple[float, float]]:
    """ICD 203 band name -> (low, high), from the vocabulary."""
    out = {}
    for band in vocab().get("icd203_bands") or []:
        low, high = as_float(band.get("low")), as_float(band.get("high"))
        if band.get("name") and low is not None and high is not None:
            out[str(band["name"])] = (low, high)
    return out


def _percent(value: float) -> str:
    return f"{value * 100:.1f}".rstrip("0").rstrip(".")


def percent_range(low: float | None, high: float | None) -> str:
    """``95\u201399%`` (or ``70%`` when low equals high); ``""`` without a range."""
    if low is None or high is None:
        return ""
    if _percent(low) == _percent(high):
        return f"{_percent(low)}%"
    return f"{_percent(low)}\u2013{_percent(high)}%"


def band_text(judgment: dict[str, Any]) -> str:
    """``virtually certain \u2192 almost certain, 95\u201399%`` (plain text, not escaped); ``""`` if none."""
    estimate, band = judgment.get("estimate") or "", judgment.get("band") or ""
    words = estimate
    if band and band.casefold() != estimate.casefold():
        words = f"{estimate} \u2192 {band}" if estimate else band
    span = percent_range(judgment.get("low"), judgment.get("high"))
    return ", ".join(x for x in (words, span) if x)


def _text(value: Any) -> str:
    """A display string ("" for ``None`` and blanks)."""
    return "" if value is None else " ".join(str(value).split())


def _outcome(value: Any) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    number = as_float(value)
    if number in (0.0, 1.0):
        return "yes" if number else "no"
    return None


def _judgment(j: dict[str, Any], citer: _Citer, bands: dict[str, tuple[float, float]]) -> dict[str, Any]:
    band = _text(j.get("band")) or None
    low, high = as_float(j.get("low")), as_float(j.get("high"))
    if low is None or high is None or not 0.0 <= low <= high <= 1.0:
        low = high = None
    if low is None and band in bands:
        low, high = bands[band]
    about_ids = [a for a in j.get("about") or [] if a] if isinstance(j.get("about"), list) else []
    about_names = j.get("about_names") if isinstance(j.get("about_names"), list) else []
    if not about_ids:
        about_ids = [a for a in about_names if a]
    about = [(str(key), _text(about_names[i]) if i < len(about_names) and about_names[i] else str(key))
             for i, key in enumerate(about_ids)]
    kind = _text(j.get("speaker_kind"))
    return {
        "id": j.get("id"),
        "speaker": _text(j.get("speaker")) or "unknown speaker",
        "role": _text(j.get("role")),
        "speaker_kind": kind if kind in ("body", "publisher") else "",
        "text": j.get("text") or "",
        "estimate": _text(j.get("estimate")),
        "band": band,
        "low": low,
        "high": high,
        "banded": low is not None or band is not None,
        "mid": None if low is None or high is None else (low + high) / 2,
        "confidence": _text(j.get("confidence")),
        "due": _text(j.get("due")),
        "outcome": _outcome(j.get("outcome")),
        "about": about,
        "published": _text(j.get("published")),
        "source": _text(j.get("source")),
        **(citer(doc) if _has_doc(doc := _judgment_doc(j)) else {"cite": None, "grade": grade(j.get("reliability"))}),
    }


def _strength(row: dict[str, Any]) -> tuple[float, float]:
    """Sort key: the furthest from even chance first, higher probability before lower at equal distance."""
    mid = row["mid"]
    if mid is None:  # a band name outside the ICD 203 scale
        return (1.0, 0.0)
    return (-abs(mid - 0.5), -mid)


def _compare(banded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of "judgments by speaker about the same actors": actors judged by two speakers or more."""
    groups: dict[str, dict[str, Any]] = {}
    for row in banded:
        for key, name in dict(row["about"]).items():
            group = groups.setdefault(key, {"name": name, "entries": []})
            group["entries"].append(row)
    out = []
    for group in groups.values():
        speakers = {e["speaker"] for e in group["entries"]}
        if len(speakers) < 2:
            continue
        entries = sorted(group["entries"], key=lambda e: -(e["mid"] if e["mid"] is not None else 0.5))
        mids = [e["mid"] for e in entries if e["mid"] is not None]
        out.append({
            "name": group["name"],
            "speakers": len(speakers),
            "entries": entries[:COMPARE_ENTRIES],
            "hidden": max(0, len(entries) - COMPARE_ENTRIES),
            "split": bool(mids) and max(mids) > 0.55 and min(mids) < 0.45,
        })
    out.sort(key=lambda g: (-g["speakers"], -len(g["entries"]) - g["hidden"], g["name"].casefold()))
    return out[:COMPARE_ACTORS]


def brier_text(value: Any) -> str:
    """A Brier score to three decimals (``\u2014`` when missing)."""
    number = as_float(value)
    return "\u2014" if number is None else f"{number:.3f}"


def _score_rows(groups: Any) -> list[dict[str, Any]]:
    rows = []
    for name, group in (groups.items() if isinstance(groups, dict) else []):
        if not isinstance(group, dict) or as_int(group.get("n")) <= 0:
            continue
        notes = group.get("notes") if isinstance(group.get("notes"), list) else []
        rows.append({"name": _text(name) or "?", "n": as_int(group.get("n")), "mean_brier": as_float(
            group.get("mean_brier")), "mean_p": as_float(group.get("mean_p")),
            "hit_rate": as_float(group.get("hit_rate")), "notes": [_text(n) for n in notes if n]})
    rows.sort(key=lambda r: (-r["n"], r["name"].casefold()))
    return rows


def _scores(data: dict[str, Any]) -> dict[str, Any] | None:
    """The forecast scores when something is scored (``n > 0``), else ``None``."""
    scores = data.get("forecast_scores")
    if not isinstance(scores, dict) or as_int(scores.get("n")) <= 0:
        return None
    return {"n": as_int(scores.get("n")), "pending": as_int(scores.get("pending")),
            "mean_brier": as_float(scores.get("mean_brier")),
            "by_speaker": _score_rows(scores.get("by_speaker")), "by_source": _score_rows(scores.get("by_source"))}


def _judgments(data: dict[str, Any], citer: _Citer) -> dict[str, Any] | None:
    """The Key judgments view, or ``None`` when there are neither judgments nor scores."""
    bands = _bands()
    rows = [_judgment(j, citer, bands) for j in _dicts(data.get("judgments"))]
    scores = _scores(data)
    if not rows and scores is None:
        return None
    rows.sort(key=lambda r: r["published"], reverse=True)  # most recent first within each rank below
    banded = sorted((r for r in rows if r["banded"]), key=_strength)
    others = [r for r in rows if not r["banded"]]
    shown = (banded + others)[:JUDGMENTS_SHOWN]
    return {"total": len(rows), "banded": len(banded), "shown": shown, "hidden": len(rows) - len(shown),
            "compare": _compare(banded), "scores": scores}


def _side(records: Any, citer: _Citer) -> list[dict[str, Any]]:
    out = []
    for a in _dicts(records):
        modality = a.get("modality") if a.get("modality") in MODALITIES else ""
        out.append({"sentence": a.get("sentence") or "", "modality": modality,
                    "attributed_to": _text(a.get("attributed_to")), "source": _text(a.get("source")), **citer(a)})
    return out


def _disagreements(data: dict[str, Any], citer: _Citer) -> dict[str, Any] | None:
    """The "Where sources disagree" view, or ``None`` when the data has no disagreements."""
    items = []
    for d in _dicts(data.get("disagreements")):
        tie_type = str(d.get("type") or "unknown")
        items.append({
            "subject_name": _text(d.get("subject_name") or d.get("subject")) or "?",
            "object_name": _text(d.get("object_name") or d.get("object")) or "?",
            "type": tie_type,
            "label": tie_label(tie_type),
            "colour": tie_colour(tie_type),
            "credibility": _credibility(d),
            "for": _side(d.get("for"), citer),
            "against": _side(d.get("against"), citer),
        })
    if not items:
        return None
    shown = items[:DISAGREEMENTS_SHOWN]
    return {"items": shown, "hidden": len(items) - len(shown)}


def prepare(data: dict[str, Any]) -> dict[str, Any]:
    """A normalised, render-ready view of the brief data (the input is not modified)."""
    data = data if isinstance(data, dict) else {}
    documents, numbers = _documents(data)
    citer = _Citer(data, documents, numbers)
    actors = [a for a in data.get("actors") or [] if isinstance(a, dict)]
    actors.sort(key=lambda a: (-as_int(a.get("mentions")), str(a.get("name") or a.get("id") or "")))
    ties = [_tie(t, citer) for t in data.get("ties") or [] if isinstance(t, dict)]
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
        "has_events": isinstance(data.get("events"), (list, tuple)),
        "raw_events": event_dicts(data.get("events")),
        "events": _events(data, citer, actors),
        "activity": _activity(data),
        "judgments": _judgments(data, citer),
        "disagreements": _disagreements(data, citer),
    }


def scope_note(overview: dict[str, Any]) -> str | None:
    """What a brief of a large base leaves out, in one plain sentence (None when it shows all)."""
    parts = []
    for shown, total, what in (("ties_shown", "ties", "best-evidenced ties (and those sources dispute)"),
                               ("events_shown", "events", "latest events"),
                               ("documents_shown", "documents", "latest documents")):
        n, of = overview.get(shown), overview.get(total)
        if isinstance(n, int) and isinstance(of, int) and n < of:
            parts.append(f"the {n:,} {what} of {of:,}")
    if not parts:
        return None
    return "A large base: this brief shows " + ", ".join(parts) + " (the web app and the CLI page through all)."
