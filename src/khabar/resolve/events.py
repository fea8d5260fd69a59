"""When two event reports are one event: the rules shared by extraction (reports of one
document) and analysis (reports across documents).

* **dates**: their date ranges overlap (a day is a one-day range; "in August" covers
  the month);
* **places**: the same place, one inside the other (a town and its district or
  province), or points no more than ``NEAR_KM`` apart; a report without a place
  agrees with any place;
* **parties**: when both say who did it, they must share an actor (two groups
  congratulating the Taliban on one day are two statements); when both name targets,
  they must share one; a report that names nobody the other contradicts is
  *compatible*, which is enough within one document ("A bomber attacked crowds at the
  airport on Thursday. ISIS-K claimed the bombing on Thursday night.") but, across
  documents, only with both reports placed and their places agreeing.
"""

from __future__ import annotations

import math

from khabar.schema import EventReport

__all__ = ["NEAR_KM", "distance_km", "dates_overlap", "places_agree", "parties", "same_event"]

NEAR_KM = 25.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _range(r: EventReport) -> tuple[str, str] | None:
    if not r.date_start:
        return None
    return r.date_start, r.date_end or r.date_start


def dates_overlap(a: EventReport, b: EventReport) -> bool:
    ra, rb = _range(a), _range(b)
    if ra is None or rb is None:
        return False
    return ra[0] <= rb[1] and rb[0] <= ra[1]


def places_agree(a: EventReport, b: EventReport) -> bool:
    if not a.place or not b.place or a.place == b.place:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    # one inside the other: a town and its district or province, a province and its country
    for inner, outer in ((a, b), (b, a)):
        level = outer.geo_precision or 4
        if level == 4 and inner.country == outer.country:
            return True
        if level == 3 and inner.admin1 and inner.admin1 == outer.location:
            return True
        if level == 2 and inner.admin2 and inner.admin2 == outer.location:
            return True
    if None not in (a.lat, a.lon, b.lat, b.lon) and (a.geo_precision or 4) <= 2 and (b.geo_precision or 4) <= 2:
        return distance_km(a.lat, a.lon, b.lat, b.lon) <= NEAR_KM  # type: ignore[arg-type]
    return False


def same_event(a: EventReport, b: EventReport, *, within_document: bool = False) -> bool:
    """Whether two reports name the same event (see the module docstring)."""
    if a.type != b.type or not dates_overlap(a, b) or not places_agree(a, b):
        return False
    who = parties(a, b)
    if who == "shared":
        return True
    if who == "conflict":
        return False
    return within_document or bool(a.place and b.place)


def parties(a: EventReport, b: EventReport) -> str:
    """ "shared" (a common actor, or target), "compatible" (nothing contradicts) or "conflict"."""
    if a.actors and b.actors:
        return "shared" if set(a.actors) & set(b.actors) else "conflict"
    if set(a.actors + a.targets) & set(b.actors + b.targets):
        return "shared"
    if a.targets and b.targets:
        return "conflict"
    return "compatible"
