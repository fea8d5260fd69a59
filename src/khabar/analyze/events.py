"""One event, many reports: merging event reports across documents.

Two reports name the same event by the rules of ``khabar.resolve.events`` (same type,
overlapping dates, agreeing places, shared or compatible parties).

Reports are clustered greedily in date order; a report joins the first cluster it
agrees with on every report already in it, so two distinct attacks on the same day
in towns far apart, or on consecutive days in the same town, stay apart. The merged
event takes the finest date and the most specific place its reports give, the union
of their actors, and the conservative fatality figures (the lowest best estimate).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from khabar.resolve.events import NEAR_KM, distance_km, same_event
from khabar.schema import PREC_RANK, Event, EventReport

__all__ = ["NEAR_KM", "merge_reports", "same_event", "distance_km"]
_PLACE_FIELDS = ("place", "location", "admin1", "admin2", "country", "lat", "lon", "geo_precision")


def _event_id(first: EventReport) -> str:
    key = f"{first.type}|{first.doc_id}|{first.start}|{first.date}|{first.trigger}"
    return "ev-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def _build(reports: list[EventReport], sources: dict[str, str | None]) -> Event:
    finest = min(reports, key=lambda r: (PREC_RANK.get(r.precision or "year", 3), r.date_start or ""))
    placed = [r for r in reports if r.geo_precision is not None]
    where = min(placed, key=lambda r: r.geo_precision) if placed else None  # type: ignore[arg-type,return-value]
    actors = list(dict.fromkeys(x for r in reports for x in r.actors))
    targets = [x for x in dict.fromkeys(x for r in reports for x in r.targets) if x not in actors]
    killed = [r for r in reports if r.fatalities is not None]
    event = Event(
        id=_event_id(reports[0]), type=finest.type, actors=actors, targets=targets,
        date=finest.date, precision=finest.precision, date_start=finest.date_start, date_end=finest.date_end,
        reports=list(reports),
        documents=list(dict.fromkeys(r.doc_id for r in reports)),
        sources=sorted({s for r in reports if (s := sources.get(r.doc_id))}),
    )
    if where is not None:
        for f in _PLACE_FIELDS:
            setattr(event, f, getattr(where, f))
    if killed:
        event.fatalities = min(r.fatalities for r in killed)  # type: ignore[type-var]
        stated = [x for r in killed for x in (r.fatalities, r.fatalities_low, r.fatalities_high) if x is not None]
        event.fatalities_low, event.fatalities_high = min(stated), max(stated)
    injured = [r.injured for r in reports if r.injured is not None]
    event.injured = min(injured) if injured else None
    return event


def merge_reports(reports: Iterable[EventReport | dict[str, Any]],
                  sources: dict[str, str | None] | None = None) -> list[Event]:
    """Merge event reports (records or store rows) into events, in date order.

    ``sources`` maps a document id to its source name, for the event's list of sources.
    """
    items = [r if isinstance(r, EventReport) else EventReport.from_dict(r) for r in reports]
    items.sort(key=lambda r: (r.date_start or "9999", r.doc_id, r.start))
    clusters: list[list[EventReport]] = []
    by_type: dict[str, list[int]] = {}
    for r in items:
        for k in by_type.get(r.type, []):
            if all(same_event(r, o) for o in clusters[k]):
                clusters[k].append(r)
                break
        else:
            by_type.setdefault(r.type, []).append(len(clusters))
            clusters.append([r])
    return [_build(c, sources or {}) for c in clusters]
