"""Activity analysis: when an actor was active, where, and whether a lull is real.

The analyst's question ("ISIS-K attacks in Afghanistan were near daily until 14 August 2021
and then stopped; a quarter were in Jalalabad and 45% in Nangarhar") is answered from merged
``Event`` records and a coverage list (one dict per document: ``doc_id``, ``published``,
``actors``, ``places``, optional ``date_mentions``), all plain data:

* ``filter_events`` picks the actor's events in a place, of some types, in a window.
* ``activity_series`` counts them per day, week (ISO, Monday first) or month, zero bins
  included. An event is counted only in a bin its whole date range fits: a month-precision
  event counts in a month series but not in a week or day series, where it is reported as
  ``undated_for_resolution``.
* ``coverage_series`` counts the documents that discuss the actor (and place) per bin.
* ``detect_changes`` finds stops and surges (Poisson change points, see its docstring) and
  says whether a stop is "evidence of absence" (documents kept discussing the actor) or
  "no coverage" (the reporting stopped too, so the lull says nothing).
* ``concentration`` gives each place's share of the events.
* ``activity_report`` puts these in one plain dict for the CLI and the brief.
* ``synthetic_activity`` makes a seeded test series with a known stop, for tests and bench.
"""

from __future__ import annotations

import calendar
import math
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from khabar.schema import Event

__all__ = [
    "Bin",
    "Series",
    "Change",
    "Synthetic",
    "RESOLUTIONS",
    "UNKNOWN",
    "event_interval",
    "filter_events",
    "activity_series",
    "coverage_series",
    "detect_changes",
    "default_threshold",
    "concentration",
    "activity_report",
    "synthetic_activity",
]

RESOLUTIONS = ("day", "week", "month")
UNKNOWN = "(unknown)"
LEVELS = ("location", "place", "admin2", "admin1", "country")
MIN_RUN = {"day": 7, "week": 2, "month": 2}  # shortest run of bins either side of a change
Day = date | str | None


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Bin:
    """One time bin: its first and last day (ISO, inclusive, clipped to the window), its
    length in days, the count and the ids counted, and the first and last day of the
    day-precision items in it."""

    start: str
    end: str
    days: int
    count: int = 0
    ids: tuple[str, ...] = ()
    first: str | None = None
    last: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Series(Sequence[Bin]):
    """Bins in time order (a sequence of ``Bin``), with what could not be placed in them.

    ``undated_for_resolution`` counts items whose date range is known but does not fit in
    one bin (a month-precision event in a week series); ``undated`` items with no date.
    """

    by: str
    bins: list[Bin] = field(default_factory=list)
    undated_for_resolution: int = 0
    undated: int = 0

    def __len__(self) -> int:
        return len(self.bins)

    def __iter__(self) -> Iterator[Bin]:
        return iter(self.bins)

    def __getitem__(self, i):  # type: ignore[override]
        return self.bins[i]

    @property
    def counts(self) -> list[int]:
        return [b.count for b in self.bins]

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bins)

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "bins": [b.to_dict() for b in self.bins],
                "undated_for_resolution": self.undated_for_resolution, "undated": self.undated}


@dataclass
class Change:
    """A change of activity rate found by ``detect_changes``.

    ``kind``: stop (the rate falls to near zero), drop (falls, not to near zero), surge (rises
    by ``surge_ratio`` or more, or from zero), rise (rises less). ``start`` is the first day of
    the new regime: for a stop at day resolution the day after the last event, otherwise the
    first bin after the change. Rates are events per bin. ``docs_before``/``docs_after`` are
    the distinct documents discussing the actor/place in each window and ``label`` the
    coverage verdict (see ``detect_changes``).
    """

    kind: str
    start: str
    by: str
    before_start: str
    before_end: str
    after_start: str
    after_end: str
    bins_before: int
    bins_after: int
    events_before: int
    events_after: int
    rate_before: float
    rate_after: float
    lr: float
    last_event: str | None = None
    docs_before: int | None = None
    docs_after: int | None = None
    coverage_ratio: float | None = None
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- dates


def _as_day(value: Day, end: bool = False) -> date | None:
    """A day from a date or a partial ISO date: its first day, or its last with ``end``."""
    if value is None or isinstance(value, date):
        return value
    span = _partial_span(value)
    return (span[1] if end else span[0]) if span else None


def _partial_span(text: str | None) -> tuple[date, date] | None:
    """The days a partial ISO date covers: "2021" -> the year, "2021-08" -> August, "2021-08-26"."""
    if not text or not isinstance(text, str):
        return None
    parts = text.strip()[:10].split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date(year, month, int(parts[2]))
        return day, day
    except (ValueError, IndexError):
        return None


def event_interval(event: Event) -> tuple[date, date] | None:
    """The days an event may have happened on: ``date_start``..``date_end``, else the span of
    ``date``; a day-precision event is its ``date_start``. None when undated."""
    start = _partial_span(event.date_start)
    if start is None:
        return _partial_span(event.date)
    end = _partial_span(event.date_end)
    if end is not None:
        return start[0], max(start[0], end[1])
    if event.precision not in (None, "day"):
        coarse = _partial_span(event.date)
        if coarse is not None:
            return start[0], max(start[0], coarse[1])
    return start


def _bin_key(day: date, by: str) -> date:
    if by == "day":
        return day
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    raise ValueError(f"by must be one of {RESOLUTIONS}, not {by!r}")


def _bin_end(key: date, by: str) -> date:
    if by == "day":
        return key
    if by == "week":
        return key + timedelta(days=6)
    return key.replace(day=calendar.monthrange(key.year, key.month)[1])


def _bin_keys(start: date, end: date, by: str) -> list[date]:
    keys, key = [], _bin_key(start, by)
    while key <= end:
        keys.append(key)
        key = _bin_end(key, by) + timedelta(days=1)
    return keys


def _build(by: str, start: date, end: date, items: dict[date, list[tuple[str, date, date]]]) -> list[Bin]:
    """Bins from ``start`` to ``end`` (clipped), each with the items keyed to it."""
    bins = []
    for key in _bin_keys(start, end, by):
        lo, hi = max(key, start), min(_bin_end(key, by), end)
        got = items.get(key, [])
        days = sorted(s for _, s, e in got if s == e)
        bins.append(Bin(start=lo.isoformat(), end=hi.isoformat(), days=(hi - lo).days + 1, count=len(got),
                        ids=tuple(i for i, _, _ in got), first=days[0].isoformat() if days else None,
                        last=days[-1].isoformat() if days else None))
    return bins


# --------------------------------------------------------------------------- selection


def _norm(values: str | Iterable[str] | None) -> set[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    return {v.strip().lower() for v in values if v}


def filter_events(events: Iterable[Event], *, actor: str | Iterable[str] | None = None,
                  place: str | Iterable[str] | None = None, types: Iterable[str] | None = None,
                  start: Day = None, end: Day = None, role: str = "actor") -> list[Event]:
    """The events of ``actor`` in ``place``, of ``types``, that may fall in ``start``..``end``.

    ``actor`` (an id or several, e.g. aliases) matches ``actors`` (role "actor": who did it),
    ``targets`` (role "target") or either (role "any"). ``place`` matches the place id,
    location name, admin1, admin2 or country code, case-insensitively. With a window, an event
    is kept when its date range overlaps it (a coarse event the series cannot place is then
    reported as ``undated_for_resolution``); undated events are dropped.
    """
    if role not in ("actor", "target", "any"):
        raise ValueError(f"role must be actor, target or any, not {role!r}")
    actors, places, kinds = _norm(actor), _norm(place), _norm(types)
    lo, hi = _as_day(start), _as_day(end, end=True)
    out = []
    for e in events:
        if actors is not None:
            who = (e.actors if role != "target" else []) + (e.targets if role != "actor" else [])
            if not actors & {a.lower() for a in who if a}:
                continue
        if places is not None:
            where = {v.lower() for v in (e.place, e.location, e.admin1, e.admin2, e.country) if v}
            if not places & where:
                continue
        if kinds is not None and (e.type or "").lower() not in kinds:
            continue
        if lo is not None or hi is not None:
            span = event_interval(e)
            if span is None or (lo is not None and span[1] < lo) or (hi is not None and span[0] > hi):
                continue
        out.append(e)
    return out


# --------------------------------------------------------------------------- series


def activity_series(events: Iterable[Event], *, by: str = "week", start: Day = None, end: Day = None) -> Series:
    """Events per bin from ``start`` to ``end`` (default: the first and last placed event),
    every bin in between included, zero or not.

    An event counts in the one bin that holds its whole date range (``date_start`` is the day
    of a day-precision event); an event whose range spans bins is counted in
    ``undated_for_resolution``, one with no date in ``undated``. Edge bins are clipped to the
    window, and ``Bin.days`` says how many days each covers.
    """
    if by not in RESOLUTIONS:
        raise ValueError(f"by must be one of {RESOLUTIONS}, not {by!r}")
    lo, hi = _as_day(start), _as_day(end, end=True)
    placed: list[tuple[str, date, date]] = []
    coarse = undated = 0
    for e in events:
        span = event_interval(e)
        if span is None:
            undated += 1
            continue
        s, t = span
        if (lo is not None and t < lo) or (hi is not None and s > hi):
            continue  # outside the window
        if _bin_key(s, by) != _bin_key(t, by) or (lo is not None and s < lo) or (hi is not None and t > hi):
            coarse += 1
            continue
        placed.append((e.id, s, t))
    if lo is None:
        lo = min((s for _, s, _ in placed), default=None)
    if hi is None:
        hi = max((t for _, _, t in placed), default=None)
    if lo is None or hi is None or lo > hi:
        return Series(by=by, undated_for_resolution=coarse, undated=undated)
    items: dict[date, list[tuple[str, date, date]]] = {}
    for item in sorted(placed, key=lambda p: (p[1], p[0])):
        items.setdefault(_bin_key(item[1], by), []).append(item)
    return Series(by=by, bins=_build(by, lo, hi, items), undated_for_resolution=coarse, undated=undated)


def _doc_matches(doc: dict[str, Any], actors: set[str] | None, places: set[str] | None) -> bool:
    if actors is not None and not actors & {str(a).lower() for a in doc.get("actors") or ()}:
        return False
    if places is not None and not places & {str(p).lower() for p in doc.get("places") or ()}:
        return False
    return True


def coverage_series(coverage: Iterable[dict[str, Any]], *, actor: str | Iterable[str] | None = None,
                    place: str | Iterable[str] | None = None, by: str = "week", start: Day = None,
                    end: Day = None, dates: str = "both", exclude: Iterable[str] = ()) -> Series:
    """Documents discussing ``actor`` (and ``place``: both must be mentioned) per bin.

    ``exclude`` leaves documents out by id: pass the documents of the events being counted
    (``Event.documents``), so coverage measures the watching that would have reported an
    event, not the reports themselves (which vanish when the events do, and would make any
    stop look like a loss of coverage).

    A document counts in the bin of its ``published`` date and in the bins of its
    ``date_mentions`` (``dates`` = "published", "mentions" or "both"), once per bin. A partial
    published date that does not fit one bin ("2021-08" in a week series) counts in
    ``undated_for_resolution``; a document with no usable date in ``undated``.
    """
    if by not in RESOLUTIONS:
        raise ValueError(f"by must be one of {RESOLUTIONS}, not {by!r}")
    if dates not in ("published", "mentions", "both"):
        raise ValueError(f"dates must be published, mentions or both, not {dates!r}")
    actors, places = _norm(actor), _norm(place)
    lo, hi = _as_day(start), _as_day(end, end=True)
    skip = {str(d) for d in exclude}
    hits: list[tuple[str, date]] = []
    coarse = undated = 0
    for doc in coverage:
        if not _doc_matches(doc, actors, places) or str(doc.get("doc_id")) in skip:
            continue
        spans = []
        if dates in ("published", "both"):
            spans.append(_partial_span(doc.get("published")))
        if dates in ("mentions", "both"):
            spans.extend(_partial_span(d) for d in doc.get("date_mentions") or ())
        spans = [s for s in spans if s is not None]
        if not spans:
            undated += 1
            continue
        keys: set[date] = set()
        for s, t in spans:
            if (lo is not None and t < lo) or (hi is not None and s > hi):
                continue
            if _bin_key(s, by) != _bin_key(t, by) or (lo is not None and s < lo) or (hi is not None and t > hi):
                coarse += 1
                continue
            keys.add(s)  # the day stands for its bin; one document counts once per bin
        seen: set[date] = set()
        for s in sorted(keys):
            if _bin_key(s, by) not in seen:
                seen.add(_bin_key(s, by))
                hits.append((str(doc.get("doc_id")), s))
    if lo is None:
        lo = min((s for _, s in hits), default=None)
    if hi is None:
        hi = max((s for _, s in hits), default=None)
    if lo is None or hi is None or lo > hi:
        return Series(by=by, undated_for_resolution=coarse, undated=undated)
    items: dict[date, list[tuple[str, date, date]]] = {}
    for doc_id, s in sorted(hits, key=lambda h: (h[1], h[0])):
        items.setdefault(_bin_key(s, by), []).append((doc_id, s, s))
    return Series(by=by, bins=_build(by, lo, hi, items), undated_for_resolution=coarse, undated=undated)


# --------------------------------------------------------------------------- change points


def _ll(k: float, d: float) -> float:
    """Poisson log-likelihood (up to a constant) of ``k`` events over exposure ``d`` at the MLE rate."""
    return k * math.log(k / d) - k if k > 0 and d > 0 else 0.0


def default_threshold(n: int) -> float:
    """The likelihood-ratio statistic a split of ``n`` bins must reach (see ``detect_changes``)."""
    return 8.0 + 2.0 * math.log(max(n, 2))


def _best_split(counts: list[int], days: list[int], lo: int, hi: int, min_run: int) -> tuple[int, float] | None:
    """The split ``t`` of bins ``lo..hi`` (before = lo..t-1) maximising the two-rate Poisson
    likelihood, with its likelihood-ratio statistic divided by the overdispersion."""
    if hi - lo < 2 * min_run:
        return None
    k_all, d_all = sum(counts[lo:hi]), sum(days[lo:hi])
    if k_all == 0:
        return None
    ll0 = _ll(k_all, d_all)
    best_t, best_ll = None, -math.inf
    k_a = sum(counts[lo:lo + min_run])
    d_a = sum(days[lo:lo + min_run])
    for t in range(lo + min_run, hi - min_run + 1):
        ll = _ll(k_a, d_a) + _ll(k_all - k_a, d_all - d_a)
        if ll > best_ll + 1e-12:
            best_t, best_ll = t, ll
        k_a += counts[t]
        d_a += days[t]
    if best_t is None:
        return None
    stat = 2.0 * (best_ll - ll0)
    # quasi-Poisson: clustered reporting makes counts overdispersed; scale the statistic down
    rate_a = sum(counts[lo:best_t]) / sum(days[lo:best_t])
    rate_b = sum(counts[best_t:hi]) / sum(days[best_t:hi])
    chi2 = 0.0
    for i in range(lo, hi):
        mu = (rate_a if i < best_t else rate_b) * days[i]
        if mu > 0:
            chi2 += (counts[i] - mu) ** 2 / mu
    dispersion = max(1.0, chi2 / max(1, hi - lo - 2))
    return best_t, stat / dispersion


def _docs(cov: dict[str, Bin], bins: Sequence[Bin]) -> int:
    ids: set[str] = set()
    for b in bins:
        got = cov.get(b.start)
        if got is not None:
            ids.update(got.ids)
    return len(ids)


def detect_changes(series: Series, coverage: Series | None = None, *, min_run: int | None = None,
                   threshold: float | None = None, stop_ratio: float = 0.2, surge_ratio: float = 2.0,
                   min_docs: int = 5, coverage_ratio: float = 0.5, no_coverage_ratio: float = 0.2,
                   max_changes: int = 10) -> list[Change]:
    """Stops and surges in an activity series, each with a coverage check.

    Method: counts per bin are modelled as Poisson with a rate that is constant between change
    points (bin length in days is the exposure, so clipped edge bins and months of 28-31 days
    compare fairly). For a stretch of bins, every split leaving at least ``min_run`` bins on
    each side (default 7 days, 2 weeks or 2 months) is scored by the log-likelihood of two
    rates against one; the best split is kept when its likelihood-ratio statistic
    2*(LL2 - LL1), divided by the overdispersion (Pearson chi-square per degree of freedom,
    at least 1, so bursty reporting does not pass for a change), reaches ``threshold``
    (default ``8 + 2 ln(n)``: about one false alarm in 1000 flat Poisson series of 20 to
    1000 bins in simulation).
    Both sides are then searched again (binary segmentation), up to ``max_changes``. Each
    boundary between the final segments is one change: "stop" when the rate after is at most
    ``stop_ratio`` of the rate before, "drop" for a smaller fall, "surge" when it is at least
    ``surge_ratio`` times higher (or rises from zero), "rise" for a smaller rise. For a stop
    ``start`` is where the lull begins: the likelihood split, moved past a tapering tail of
    events just after it (events before the first run of empty bins that lasts to the end of
    the segment or is too long to be a chance gap at the earlier rate, p < 0.05), so at day
    resolution it is the day after the last event and at week or month resolution the first
    quiet bin; ``last_event`` is the day of the last event before it.

    Coverage check (when ``coverage`` is the matching ``coverage_series``): the distinct
    documents discussing the actor/place in the bins before and after, compared per day.
    For a stop or drop: "no coverage" when fewer than ``min_docs`` documents came after or
    the after/before rate ratio is below ``no_coverage_ratio`` (reporting stopped too, or
    nearly: absence of evidence, cannot tell), "evidence of absence" when the ratio is at
    least ``coverage_ratio`` (documents kept discussing the actor/place at a comparable rate),
    else "reduced coverage". For a
    surge or rise: "no coverage", "coverage rose too" (ratio >= ``surge_ratio``: the surge
    may be one of reporting) or "steady coverage".
    """
    bins = list(series)
    n = len(bins)
    if n == 0:
        return []
    run = min_run if min_run is not None else MIN_RUN.get(series.by, 2)
    run = max(1, run)
    limit = threshold if threshold is not None else default_threshold(n)
    counts = [b.count for b in bins]
    days = [b.days for b in bins]
    cuts: list[int] = []
    stack = [(0, n)]
    while stack and len(cuts) < max_changes:
        lo, hi = stack.pop()
        got = _best_split(counts, days, lo, hi, run)
        if got is None or got[1] < limit:
            continue
        cuts.append(got[0])
        stack.extend([(lo, got[0]), (got[0], hi)])
    cuts.sort()
    cov = {b.start: b for b in coverage} if coverage is not None else None
    edges = [0, *cuts, n]
    out = []
    for m, cut in enumerate(cuts):
        lo, hi = edges[m], edges[m + 2]
        before, after = bins[lo:cut], bins[cut:hi]
        k_b, k_a = sum(counts[lo:cut]), sum(counts[cut:hi])
        d_b, d_a = sum(days[lo:cut]), sum(days[cut:hi])
        r_b, r_a = k_b / d_b, k_a / d_a
        lr = 2.0 * (_ll(k_b, d_b) + _ll(k_a, d_a) - _ll(k_b + k_a, d_b + d_a))
        if r_a < r_b:
            kind = "stop" if r_a <= stop_ratio * r_b else "drop"
        else:
            kind = "surge" if r_b == 0 or r_a >= surge_ratio * r_b else "rise"
        start, last = after[0].start, None
        if kind in ("stop", "drop"):
            quiet = _quiet_from(after, k_b, r_b) if kind == "stop" else 0
            start = after[quiet].start if quiet < len(after) else after[0].start
            last = next((b.last for b in reversed(bins[lo:cut + quiet]) if b.count and b.last), None)
            if series.by == "day" and last is not None:
                start = (date.fromisoformat(last) + timedelta(days=1)).isoformat()
        change = Change(kind=kind, start=start, by=series.by, before_start=before[0].start,
                        before_end=before[-1].end, after_start=after[0].start, after_end=after[-1].end,
                        bins_before=len(before), bins_after=len(after), events_before=k_b, events_after=k_a,
                        rate_before=k_b / len(before), rate_after=k_a / len(after), lr=round(lr, 2),
                        last_event=last)
        if cov is not None:
            docs_b, docs_a = _docs(cov, before), _docs(cov, after)
            ratio = (docs_a / d_a) / (docs_b / d_b) if docs_b else (math.inf if docs_a else None)
            change.docs_before, change.docs_after = docs_b, docs_a
            change.coverage_ratio = None if ratio is None or math.isinf(ratio) else round(ratio, 3)
            change.label = _coverage_label(kind, docs_b, docs_a, ratio, min_docs, coverage_ratio,
                                           no_coverage_ratio, surge_ratio)
        out.append(change)
    return out


LULL_P = 0.05  # a run of empty bins is a lull when a gap that long among the active events has p < 5%


def _quiet_from(after: Sequence[Bin], events: int, rate: float) -> int:
    """Index of the first bin of the lull a stop leads into.

    The lull is the first run of empty bins that lasts to the end, or that is too long to be
    a chance gap among the ``events`` of the active stretch at ``rate`` events a day: the
    expected number of gaps of L days or more, about events * exp(-rate * L), is below 0.05.
    Events before it (a tapering tail just after the split) belong before the stop;
    sporadic events after it do not.
    """
    longest = math.log(max(events, 1) / LULL_P) / rate if rate > 0 else math.inf
    i = 0
    while i < len(after):
        if after[i].count:
            i += 1
            continue
        j = i
        while j < len(after) and after[j].count == 0:
            j += 1
        if j == len(after) or sum(b.days for b in after[i:j]) >= longest:
            return i
        i = j
    return 0


def _coverage_label(kind: str, docs_b: int, docs_a: int, ratio: float | None, min_docs: int,
                    coverage_ratio: float, no_coverage_ratio: float, surge_ratio: float) -> str:
    if kind in ("stop", "drop"):
        if docs_a < min_docs or ratio is None or ratio < no_coverage_ratio:
            return "no coverage"
        return "evidence of absence" if ratio >= coverage_ratio else "reduced coverage"
    if docs_a + docs_b < min_docs or ratio is None:
        return "no coverage"
    return "coverage rose too" if ratio >= surge_ratio else "steady coverage"


# --------------------------------------------------------------------------- places


def _level_value(event: Event, level: str) -> str | None:
    if level == "location":
        return event.location or event.place
    return getattr(event, level)


def concentration(events: Iterable[Event], *, level: str = "location") -> list[tuple[str, int, float]]:
    """Each place's (name, count, share) of the events at ``level`` (location, place, admin2,
    admin1, country), most events first. Events without a value there count as "(unknown)",
    so the shares sum to 1."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    tally = Counter(_level_value(e, level) or UNKNOWN for e in events)
    total = sum(tally.values())
    return [(name, count, count / total) for name, count in sorted(tally.items(), key=lambda p: (-p[1], p[0]))]


# --------------------------------------------------------------------------- report


def activity_report(events: Iterable[Event], coverage: Iterable[dict[str, Any]] | None = None, *,
                    actor: str | Iterable[str] | None = None, place: str | Iterable[str] | None = None,
                    by: str = "week", start: Day = None, end: Day = None, types: Iterable[str] | None = None,
                    role: str = "actor", **detect: Any) -> dict[str, Any]:
    """One plain dict for the CLI and the brief: the series, coverage, changes, place shares
    and notes in words.

    The window runs from ``start`` (default: the first event) to ``end`` (default: the later
    of the last event and the last matching document), so a stop before the end of coverage
    shows as quiet bins. Coverage leaves out the documents of the events counted (see
    ``coverage_series``). ``detect`` is passed to ``detect_changes``.
    """
    docs = list(coverage) if coverage is not None else None
    picked = filter_events(events, actor=actor, place=place, types=types, start=start, end=end, role=role)
    spans = [s for s in (event_interval(e) for e in picked) if s is not None]
    lo = _as_day(start) or min((s for s, _ in spans), default=None)
    hi = _as_day(end, end=True)
    if hi is None:
        last_doc = None
        if docs is not None:
            actors, places = _norm(actor), _norm(place)
            days = [d for doc in docs if _doc_matches(doc, actors, places)
                    for d in _doc_days(doc) if lo is None or d >= lo]
            last_doc = max(days, default=None)
        hi = max([t for _, t in spans] + ([last_doc] if last_doc else []), default=None)
    series = activity_series(picked, by=by, start=lo, end=hi)
    reports = {d for e in picked for d in e.documents}
    cov = coverage_series(docs, actor=actor, place=place, by=by, start=lo, end=hi, exclude=reports) \
        if docs is not None else None
    changes = detect_changes(series, cov, **detect) if len(series) else []
    shares = {level: concentration(picked, level=level) for level in ("location", "admin2", "admin1", "country")}
    return {
        "actor": actor, "place": place, "by": by, "role": role,
        "types": sorted(types) if types is not None else None,
        "start": series.bins[0].start if len(series) else None,
        "end": series.bins[-1].end if len(series) else None,
        "events": len(picked),
        "placed": series.total,
        "undated_for_resolution": series.undated_for_resolution,
        "undated": series.undated,
        "series": [b.to_dict() for b in series],
        "coverage": [b.to_dict() for b in cov] if cov is not None else None,
        "changes": [c.to_dict() for c in changes],
        "concentration": {k: [{"name": n, "count": c, "share": round(s, 4)} for n, c, s in v]
                          for k, v in shares.items()},
        "notes": _notes(picked, series, cov, changes, shares),
    }


def _doc_days(doc: dict[str, Any]) -> list[date]:
    out = []
    for text in [doc.get("published"), *(doc.get("date_mentions") or ())]:
        span = _partial_span(text)
        if span is not None:
            out.append(span[0])
    return out


def _notes(picked: list[Event], series: Series, cov: Series | None, changes: list[Change],
           shares: dict[str, list[tuple[str, int, float]]]) -> list[str]:
    """The report in sentences an analyst can check against the numbers."""
    notes = []
    if not len(series):
        return [f"{len(picked)} events, none dated precisely enough for a {series.by} series."]
    day_spans = [s for s in (event_interval(e) for e in picked) if s is not None and s[0] == s[1]]
    first, last = series.bins[0].start, series.bins[-1].end
    days = (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
    notes.append(f"{series.total} events placed in {len(series)} {series.by} bins from {first} to {last}"
                 f" ({series.total / days:.2f} a day).")
    active_days = {s for s, _ in day_spans}
    if active_days:
        notes.append(f"Events on {len(active_days)} of those {days} days.")
    if series.undated_for_resolution or series.undated:
        notes.append(f"Not in the series: {series.undated_for_resolution} events dated too coarsely for a "
                     f"{series.by} series, {series.undated} undated.")
    for c in changes:
        text = (f"{c.kind.capitalize()} from {c.start}: {c.events_before} events in {c.bins_before} {c.by}s "
                f"before ({c.rate_before:.2f} per {c.by}), {c.events_after} in {c.bins_after} after "
                f"({c.rate_after:.2f} per {c.by})")
        lo, hi = date.fromisoformat(c.before_start), date.fromisoformat(c.before_end)
        span = (hi - lo).days + 1
        text += f"; before it, events on {sum(lo <= d <= hi for d in active_days)} of {span} days"
        if c.last_event and c.kind in ("stop", "drop"):
            text += f", the last on {c.last_event}"
        if c.label is not None:
            text += (f". Coverage: {c.docs_before} documents before, {c.docs_after} after"
                     f" ({c.label}).")
        else:
            text += ". No coverage data: a lull cannot be told from a gap in reporting."
        notes.append(text)
    if not changes:
        notes.append("No change of rate found.")
    if cov is None:
        notes.append("Without coverage the series ends at the last event unless an end date is given.")
    for level in ("location", "admin1"):
        top = [(n, c, s) for n, c, s in shares[level] if n != UNKNOWN][:3]
        if top:
            notes.append(f"By {level}: " + ", ".join(f"{n} {s:.0%} ({c} of {len(picked)})" for n, c, s in top) + ".")
    return notes


# --------------------------------------------------------------------------- synthetic data

# (place id, location, admin2, admin1, weight): Nangarhar 45%, of which Jalalabad 25%
SYNTHETIC_PLACES: list[tuple[str, str, str, str, float]] = [
    ("af-jalalabad", "Jalalabad", "Jalalabad", "Nangarhar", 0.25),
    ("af-behsud", "Behsud", "Behsud", "Nangarhar", 0.05),
    ("af-surkh-rod", "Surkh Rod", "Surkh Rod", "Nangarhar", 0.04),
    ("af-achin", "Achin", "Achin", "Nangarhar", 0.04),
    ("af-khogyani", "Khogyani", "Khogyani", "Nangarhar", 0.04),
    ("af-chaparhar", "Chaparhar", "Chaparhar", "Nangarhar", 0.03),
    ("af-kabul", "Kabul", "Kabul", "Kabul", 0.25),
    ("af-asadabad", "Asadabad", "Asadabad", "Kunar", 0.08),
    ("af-mehtarlam", "Mehtarlam", "Mehtarlam", "Laghman", 0.05),
    ("af-kunduz", "Kunduz", "Kunduz", "Kunduz", 0.05),
    ("af-charikar", "Charikar", "Charikar", "Parwan", 0.04),
    ("af-herat", "Herat", "Herat", "Herat", 0.04),
    ("af-mazar", "Mazar-i-Sharif", "Mazar-i-Sharif", "Balkh", 0.04),
]


@dataclass
class Synthetic:
    """A generated case: events, coverage documents and the truth they were made from."""

    events: list[Event]
    coverage: list[dict[str, Any]]
    start: str
    end: str
    schedule: list[tuple[str, float]]  # (first day, events a day) for the actor
    change: str | None  # first day of the last regime (the stop date for a stop)
    actor: str
    weights: dict[str, float]  # location -> share of the actor's events


def _poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth's method; fine for the small rates used here)."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def synthetic_activity(seed: int = 0, *, start: str = "2021-05-17", stop: str | None = "2021-08-15",
                       end: str = "2021-09-30", rate: float = 0.9, after_rate: float = 0.0,
                       schedule: list[tuple[str, float]] | None = None, actor: str = "isis-k",
                       places: list[tuple[str, str, str, str, float]] | None = None,
                       docs_per_day: float = 3.0, coverage_until: str | None = None,
                       other_actor: str = "taliban", other_rate: float = 0.5) -> Synthetic:
    """Seeded near-daily attacks by ``actor`` that change rate on a known day.

    By default the actor attacks at ``rate`` a day from ``start`` and at ``after_rate`` from
    ``stop`` to ``end`` (``schedule`` = [(day, rate), ...] replaces this). Places are drawn
    from ``places`` with their weights (default ``SYNTHETIC_PLACES``: Jalalabad 25%,
    Nangarhar 45%). Coverage: every event is reported by one or two documents that day (its
    ``Event.documents``), and
    ``docs_per_day`` background documents (analysis, statements) discuss the actor and a
    place every day until ``coverage_until`` (default: ``end``, so coverage continues after
    the stop; set it to the stop day for a case with no coverage). ``other_actor`` attacks at
    ``other_rate`` throughout, for filters to exclude.
    """
    rng = random.Random(seed)
    places = places or SYNTHETIC_PLACES
    weights = [p[4] for p in places]
    plan = schedule or ([(start, rate), (stop, after_rate)] if stop else [(start, rate)])
    plan = sorted((date.fromisoformat(d), r) for d, r in plan)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    cov_end = date.fromisoformat(coverage_until) if coverage_until else last
    events: list[Event] = []
    coverage: list[dict[str, Any]] = []

    def rate_on(day: date) -> float:
        current = 0.0
        for d, r in plan:
            if d <= day:
                current = r
        return current

    def doc(day: date, who: str, place: tuple[str, str, str, str, float], mentions: list[str]) -> str:
        doc_id = f"s{seed}-d{len(coverage)}"
        coverage.append({"doc_id": doc_id, "published": day.isoformat(), "actors": {who},
                         "places": {place[1], place[2], place[3], "Afghanistan", "AF"}, "date_mentions": mentions})
        return doc_id

    day = first
    while day <= last:
        iso = day.isoformat()
        for who, lam in ((actor, rate_on(day)), (other_actor, other_rate)):
            for _ in range(_poisson(rng, lam)):
                pid, loc, adm2, adm1, _w = rng.choices(places, weights)[0]
                event = Event(id=f"s{seed}-e{len(events)}", type="attack", actors=[who], date=iso,
                              precision="day", date_start=iso, date_end=iso, place=pid, location=loc,
                              admin2=adm2, admin1=adm1, country="AF")
                events.append(event)
                if day <= cov_end:
                    for _ in range(1 + (rng.random() < 0.5)):
                        event.documents.append(doc(day, who, places[[p[0] for p in places].index(pid)], [iso]))
        if day <= cov_end:
            for _ in range(_poisson(rng, docs_per_day)):
                doc(day, actor, rng.choices(places, weights)[0], [iso])
        day += timedelta(days=1)
    total = sum(weights)
    return Synthetic(events=events, coverage=coverage, start=start, end=end,
                     schedule=[(d.isoformat(), r) for d, r in plan], change=plan[-1][0].isoformat() if len(plan) > 1
                     else None, actor=actor, weights={p[1]: p[4] / total for p in places})
