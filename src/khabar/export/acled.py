"""Merged events as a CSV in the style of the conflict event datasets (ACLED column names).

One row per merged :class:`khabar.schema.Event`. Columns follow ACLED where
ACLED has the concept (``event_id_cnty``, ``event_date``, ``year``,
``time_precision``, ``event_type``, ``actor1``, ``actor2``, ``country``,
``admin1``, ``admin2``, ``location``, ``latitude``, ``longitude``,
``geo_precision``, ``fatalities``, ``source``, ``notes``); khabar's own
columns sit beside them (``date_precision``, ``date_end``, ``country_name``,
``fatalities_low``/``high``, ``injured``, ``reports``, ``documents``).

Dates: ``event_date`` is the first day the event may have happened on
(``date_start``, ISO ``YYYY-MM-DD``; ACLED itself would code the middle of the
range), ``date_end`` the last. ``time_precision`` uses ACLED's codes:

* 1 -- the source gives the exact day (khabar precision ``day``, one day);
* 2 -- a range of days up to about half a month: a week, a weekend, "mid-May"
  (``day`` precision with ``date_end`` at most 15 days after ``date_start``);
* 3 -- a month or coarser (``month``, ``season``, ``year``), or a longer range.

``event_type`` is khabar's type (attack, statement, ...), not ACLED's
taxonomy. ``actor1`` are the actors and ``actor2`` the targets, display names
joined by ``"; "`` (an event dict's ``actor_names``/``target_names``, else the
``names`` mapping, else ids). ``country`` is ISO 3166-1 alpha-2.

Hostile input: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return gets a leading ``'`` so no spreadsheet evaluates it as a
formula. Numeric columns are written from numbers khabar parsed (an int or
float), so a negative longitude stays a number. Write to a file opened with
``newline=""`` and ``encoding="utf-8"``; rows end in ``"\\n"``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from typing import IO, Any

__all__ = ["ACLED_COLUMNS", "acled_rows", "write_acled_csv", "time_precision", "neutralise"]

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "date_precision", "date_end", "event_type",
    "actor1", "actor2", "country", "country_name", "admin1", "admin2", "location", "latitude", "longitude",
    "geo_precision", "fatalities", "fatalities_low", "fatalities_high", "injured", "source", "notes", "reports",
    "documents",
]
NOTES_CHARS = 500
WEEKISH_DAYS = 15  # longest range (days between first and last day) coded time_precision 2
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """``value`` as a CSV text cell, with a leading ``'`` when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def time_precision(precision: Any, date_start: Any, date_end: Any) -> int | None:
    """ACLED's time precision code (1 day, 2 up to about half a month, 3 month or coarser); None if undated."""
    start, end = _day(date_start), _day(date_end)
    if start is None:
        return None
    if precision in ("month", "season", "year"):
        return 3
    days = 0 if end is None else (end - start).days
    if days <= 0:
        return 1
    return 2 if days <= WEEKISH_DAYS else 3


def _int(value: Any) -> int | str:
    if isinstance(value, bool) or value is None:
        return ""
    try:
        return int(value)
    except (TypeError, ValueError):
        return ""


def _float(value: Any) -> float | str:
    if isinstance(value, bool) or value is None:
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return number if number == number and abs(number) != float("inf") else ""


def _names(ids: Any, given: Any, names: Mapping[str, str]) -> str:
    ids = [str(i) for i in ids if i is not None] if isinstance(ids, list) else []
    given = given if isinstance(given, list) else []
    out = []
    for i, actor in enumerate(ids):
        name = given[i] if i < len(given) and given[i] else names.get(actor, actor)
        out.append(" ".join(str(name).split()))
    return "; ".join(dict.fromkeys(out))


def _country_names() -> Mapping[str, str]:
    """ISO2 -> name from the outlines file (empty when it is missing)."""
    from khabar.present.geomap import load_outlines

    countries = (load_outlines() or {}).get("countries", {})
    return {str(code): str(c.get("name")) for code, c in countries.items() if isinstance(c, dict) and c.get("name")}


def _as_dict(event: Any) -> dict[str, Any] | None:
    if hasattr(event, "to_dict"):
        event = event.to_dict()
    return event if isinstance(event, dict) else None


def _row(event: dict[str, Any], names: Mapping[str, str], countries: Mapping[str, str]) -> dict[str, Any]:
    reports = [r for r in event.get("reports") or [] if isinstance(r, dict)]
    start = _day(event.get("date_start"))
    end = _day(event.get("date_end"))
    sources = [s for s in event.get("sources") or [] if s] or [r.get("source") for r in reports if r.get("source")]
    documents = [d for d in event.get("documents") or [] if d] or [r.get("doc_id") for r in reports if r.get("doc_id")]
    sentence = " ".join(str(reports[0].get("sentence") or "").split()) if reports else ""
    if len(sentence) > NOTES_CHARS:
        sentence = sentence[: NOTES_CHARS - 1].rstrip() + "\u2026"
    country = event.get("country")
    text = {
        "event_id_cnty": event.get("id"),
        "event_date": start.isoformat() if start else "",
        "date_precision": event.get("precision"),
        "date_end": end.isoformat() if end else "",
        "event_type": event.get("type"),
        "actor1": _names(event.get("actors"), event.get("actor_names"), names),
        "actor2": _names(event.get("targets"), event.get("target_names"), names),
        "country": country,
        "country_name": countries.get(str(country), "") if country else "",
        "admin1": event.get("admin1"),
        "admin2": event.get("admin2"),
        "location": event.get("location"),
        "source": "; ".join(dict.fromkeys(" ".join(str(s).split()) for s in sources)),
        "notes": sentence,
        "documents": ";".join(dict.fromkeys(str(d) for d in documents)),
    }
    row: dict[str, Any] = {key: neutralise(value) for key, value in text.items()}
    row.update({
        "year": start.year if start else "",
        "time_precision": time_precision(event.get("precision"), event.get("date_start"), event.get("date_end")) or "",
        "latitude": _float(event.get("lat")),
        "longitude": _float(event.get("lon")),
        "geo_precision": _int(event.get("geo_precision")),
        "fatalities": _int(event.get("fatalities")),
        "fatalities_low": _int(event.get("fatalities_low")),
        "fatalities_high": _int(event.get("fatalities_high")),
        "injured": _int(event.get("injured")),
        "reports": len(reports),
    })
    return {column: row[column] for column in ACLED_COLUMNS}


def acled_rows(events: Any, *, names: Mapping[str, str] | None = None,
               country_names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One dict per event (keys :data:`ACLED_COLUMNS`), in the order given.

    ``events`` are :class:`~khabar.schema.Event` records or their dicts;
    ``names`` maps actor ids to display names; ``country_names`` maps ISO2 codes
    to names (default: the names in ``khabar/data/outlines.json``, if present).
    """
    countries = _country_names() if country_names is None else country_names
    rows = []
    for event in events or []:
        data = _as_dict(event)
        if data is not None:
            rows.append(_row(data, names or {}, countries))
    return rows


def write_acled_csv(events: Any, fh: IO[str], *, names: Mapping[str, str] | None = None,
                    country_names: Mapping[str, str] | None = None) -> int:
    """Write the events as CSV (header and one row per event) to ``fh``; returns the number of rows written."""
    rows = acled_rows(events, names=names, country_names=country_names)
    writer = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)
