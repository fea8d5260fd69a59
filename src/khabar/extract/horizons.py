"""Time horizons of judgments: the date by which "X will happen within two years" resolves.

``find_horizon(text, published)`` gives the first horizon in a judgment as a `Horizon`: its
offsets and words, ``due`` (the last day by which the judgment resolves) and ``earliest`` (the
first day it can come true, when the text says so). ``find_horizons`` gives all of them.

Publication date: "YYYY-MM-DD", "YYYY-MM", "YYYY" (a longer ISO timestamp is cut to its date) or
None; anything else raises ValueError. Relative horizons count from the FIRST day of the period
given ("within six months" of "2021-08" runs from 2021-08-01). As in ``khabar.extract.dates``, a
horizon that needs a finer publication date than given is None: day and week counts ("within
weeks", "in the coming days", "next week") need a day, month counts and calendar months ("within
six months", "by March", "the end of the month") a month, year counts and calendar years ("within
two years", "next year", "the end of the year") a year. Without a publication date only absolute
dates resolve ("by 2025", "by the end of 2022", "by March 2023").

Relative horizons, from the publication date:

* "within two years", "in the next five years", "over the coming year", "for the next 18 months",
  "in two years", "in two years' time", "two years from now": due = publication + 2 years,
  earliest None.
* Ranges give both ends: "in the next three to six months" = earliest +3 months, due +6 months;
  "in the next ten or twenty years" = +10 / +20 years; "a decade or two" = +10 / +20 years.
* Counts without a number: "within hours" = 1 day, "days" = 7 days, "weeks" = 6 weeks, "months" =
  6 months, "years" = 5 years, "decades" = 30 years ("within weeks", "in the coming months").
  "a couple of" = 2, "a few" = 3, "several" = 5 ("within a few months" = 3 months).
* Month arithmetic clamps to the month's end (Jan 31 + 1 month = Feb 28 or 29); a year is 12
  months, a decade 120, a week 7 days; hours round up to whole days.
* "in two years" after "ago", "earlier", "later", "before", "after" or "of" is narrative, not a
  horizon ("two years ago", "in two years of fighting"), as is "the next day" with no preposition.

Calendar horizons. "by X" (also until, through, within, around, at, toward, no later than) is due at
the END of X: "by 2025" = 2025-12-31 (a speaker's "by 2025" is not falsified while 2025 lasts),
"by the end of 2022" = 2022-12-31, "by March 2023" = 2023-03-31, "by year's end" / "by the end of
the year" = Dec 31 of the publication year, "by next year" = Dec 31 of the next year. "before X" is
due the day before X starts ("before 2025" = 2024-12-31). "in X" / "during X" / bare "next year"
is due at the end of X with earliest its start when that is after publication ("in 2025" =
2025-01-01..2025-12-31, "next year" = Jan 1..Dec 31 of the next year; "this year" / "later this
year" = due Dec 31). Parts follow ``khabar.extract.dates``: early / mid / late of a year = Jan-Apr /
May-Aug / Sep-Dec, of a month = days 1-10 / 11-20 / 21-end, of a decade = years 0-3 / 4-6 / 7-9;
"the beginning/start of", "the middle of", "the end/close of" = early, mid, late, so "by the end of
X" is the end of X and "by the beginning of 2023" the end of April 2023. Seasons are northern and
meteorological (winter 2022 = Dec 2021-Feb 2022). Year-less months and seasons take the first
occurrence not over at publication. A calendar horizon already over at publication ("by 2019" in
2021, "earlier this year") is no horizon.

Vague horizons give None: "soon", "eventually", "in the near future", "in the short/medium/long
term", "over the longer term", and anything tied to an event ("before the withdrawal is complete").
Where expressions overlap the longest leftmost one wins, even when it resolves to nothing.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from khabar.extract.dates import parse_published

__all__ = ["Horizon", "find_horizon", "find_horizons"]


@dataclass(frozen=True)
class Horizon:
    """A time horizon found in a text, resolved against the publication date."""

    start: int
    end: int
    text: str
    due: date
    earliest: date | None = None

    @property
    def due_iso(self) -> str:
        return self.due.isoformat()

    @property
    def earliest_iso(self) -> str | None:
        return self.earliest.isoformat() if self.earliest else None


@dataclass(frozen=True)
class _Pub:
    day: date  # the first day of the published period
    precision: str  # day | month | year

    def has(self, precision: str) -> bool:
        order = ("day", "month", "year")
        return order.index(self.precision) <= order.index(precision)


def _parse_pub(published: str | None) -> _Pub | None:
    """The publication date as the first day of its period (the date layer reads it)."""
    parsed = parse_published(published)
    return None if parsed is None else _Pub(parsed[0], parsed[2])


# --------------------------------------------------------------------------- arithmetic

def _add_months(d: date, months: int) -> date:
    """``d`` plus whole months, clamped to the end of the target month."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


_UNIT_NEEDS = {"hour": "day", "day": "day", "week": "day", "month": "month", "year": "year", "decade": "year"}
# Counts without a number ("within weeks"), per unit.
_BARE = {"hour": 1, "day": 7, "week": 6, "month": 6, "year": 5, "decade": 3}


def _add(d: date, n: int, unit: str) -> date:
    if unit == "hour":
        return d + timedelta(days=math.ceil(n / 24))
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    return _add_months(d, n * {"month": 1, "year": 12, "decade": 120}[unit])


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


# --------------------------------------------------------------------------- patterns

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "hundred": 100, "a hundred": 100,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3, "several": 5,
}
_N = r"(?:\d{1,3}|a\s+hundred|" + "|".join(sorted((k for k in _NUMBERS if " " not in k), key=len, reverse=True)) + ")"
_VAGUE = r"(?:a\s+couple(?:\s+of)?|couple\s+of|a\s+few|few|several)"
_COUNT = rf"(?:(?P<vague>{_VAGUE})|(?P<lo>{_N})(?:\s*(?:to|or|-|–|and)\s*(?P<hi>{_N}))?)"
_UNIT = r"(?P<unit>hours?|days?|weeks?|months?|years?|decades?)"
_OR = r"(?:\s+or\s+(?P<or2>two|three|so))?"
_NOT_NARRATIVE = r"(?!\s+(?:ago|earlier|before|after|later|of|old)\b)"
_YEAR = r"(?:19|20)\d{2}"
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH = ("(?:" + "|".join(m.lower() for m in calendar.month_name if m) + "|(?:"
          + "|".join(sorted((m for m in _MONTHS if len(m) <= 4), key=len, reverse=True)) + r")\.?)")
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_BY = {"by", "until", "till", "through", "within", "around", "toward", "towards", "at", "no later than",
       "not later than"}
_BEFORE = {"before", "ahead of"}
_PREP = (r"(?P<prep>by|before|until|till|through|in|during|within|around|towards?|at|sometime\s+in|"
         r"no\s+later\s+than|not\s+later\s+than|ahead\s+of)")

Resolved = tuple[date, date | None] | None  # (due, earliest), or None: recognised but no horizon
_Handler = Callable[[re.Match[str], _Pub | None], Resolved]
_RULES: list[tuple[re.Pattern[str], _Handler]] = []


def _rule(pattern: str) -> Callable[[_Handler], _Handler]:
    def deco(fn: _Handler) -> _Handler:
        _RULES.append((re.compile(r"(?<![\w-])" + pattern + r"(?![\w-])", re.IGNORECASE), fn))
        return fn
    return deco


def _unit(m: re.Match[str]) -> str:
    return m.group("unit").lower().rstrip("s")


def _number(s: str | None) -> int | None:
    if s is None:
        return None
    s = re.sub(r"\s+", " ", s.lower())
    return int(s) if s.isdigit() else _NUMBERS.get(s)


def _relative(m: re.Match[str], pub: _Pub | None, singular_default: int | None) -> Resolved:
    """Counts of units from publication, with an optional range ("three to six", "a decade or two")."""
    unit = _unit(m)
    if pub is None or not pub.has(_UNIT_NEEDS[unit]):
        return None
    lo, hi = _number(m.group("vague") or m.group("lo")), _number(m.group("hi"))
    if lo is None:
        plural = m.group("unit").lower().endswith("s")
        lo = _BARE[unit] if plural else singular_default
        if lo is None:
            return None
    or2 = (m.group("or2") or "").lower()
    if hi is None and lo == 1 and or2 in ("two", "three"):
        hi = _NUMBERS[or2]  # "a decade or two"
    if hi is None:
        return _add(pub.day, lo, unit), None
    lo, hi = min(lo, hi), max(lo, hi)
    return _add(pub.day, hi, unit), _add(pub.day, lo, unit)


@_rule(rf"(?:(?P<prep>in|within|over|during|for|inside|throughout|across)\s+)?the\s+(?P<which>next|coming|upcoming)"
       rf"\s+(?:{_COUNT}\s+)?{_UNIT}{_OR}")
def _next(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "in the next three to six months", "over the coming decade", "the coming weeks"."""
    if not m.group("prep") and m.group("which").lower() == "next" and not (m.group("lo") or m.group("vague")) \
            and not m.group("unit").lower().endswith("s"):
        return None  # "the next day, they left": narrative
    return _relative(m, pub, 1)


@_rule(rf"(?:within|inside(?:\s+of)?|in\s+less\s+than|in\s+under|in\s+no\s+more\s+than)\s+(?:a\s+matter\s+of\s+)?"
       rf"(?:{_COUNT}\s+)?{_UNIT}{_OR}{_NOT_NARRATIVE}")
def _within(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "within two years", "within weeks", "within a matter of months"."""
    return _relative(m, pub, None)


@_rule(rf"in\s+{_COUNT}\s+{_UNIT}{_OR}(?:['’]s?\s+time)?{_NOT_NARRATIVE}")
def _in(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "in two years", "in a year's time", "in two or three years"."""
    return _relative(m, pub, None)


@_rule(rf"{_COUNT}\s+{_UNIT}{_OR}\s+(?:from\s+now|from\s+today|hence|down\s+the\s+(?:road|line))")
def _from_now(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "two years from now", "a few years down the road"."""
    return _relative(m, pub, None)


# --------------------------------------------------------------------------- calendar periods

_PARTS = {"early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid", "late": "late",
          "end": "late", "close": "late", "later": "later", "earlier": "earlier"}


def _year_range(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


def _part(rng: tuple[date, date], kind: str, part: str | None, pub: _Pub | None) -> tuple[date, date] | None:
    """The early / mid / late part of a year, month or decade; "later" / "earlier" split at publication."""
    s, e = rng
    if part is None:
        return s, e
    if part in ("later", "earlier"):
        if pub is None or not pub.has("day" if kind in ("month", "week") else "month"):
            return None
        return (pub.day, e) if part == "later" else None  # "earlier this year" is past
    i = ("early", "mid", "late").index(part)
    if kind == "year":
        return date(s.year, 4 * i + 1, 1), _month_end(s.year, 4 * i + 4)
    if kind == "month":
        first, last = (1, 11, 21)[i], (10, 20, calendar.monthrange(s.year, s.month)[1])[i]
        return date(s.year, s.month, first), date(s.year, s.month, last)
    if kind == "decade":
        first, last = ((0, 3), (4, 6), (7, 9))[i]
        return date(s.year + first, 1, 1), date(s.year + last, 12, 31)
    return s, e  # weeks and seasons have no parts here


def _apply_prep(prep: str | None, rng: tuple[date, date] | None, pub: _Pub | None) -> Resolved:
    """ "by X" is due at the end of X, "before X" the day before X, "in X" at the end with earliest its start."""
    if rng is None:
        return None
    start, end = rng
    prep = re.sub(r"\s+", " ", (prep or "").lower())
    if prep in _BEFORE:
        due, earliest = start - timedelta(days=1), None
    elif prep in _BY:
        due, earliest = end, None
    else:
        due, earliest = end, start
    if pub is not None:
        if due < pub.day:
            return None  # already over at publication
        if earliest is not None and earliest <= pub.day:
            earliest = None
    return due, earliest


def _relative_period(per: str, rel: str, pub: _Pub | None) -> tuple[tuple[date, date], str] | None:
    """ "this/next year|month|week|decade|<season>" around the publication date."""
    per, rel = per.lower(), rel.lower()
    step = 1 if rel == "next" else 0
    needs = {"year": "year", "decade": "year", "month": "month", "week": "day"}.get(per, "month")
    if pub is None or not pub.has(needs):
        return None
    d = pub.day
    if per == "year":
        return _year_range(d.year + step), "year"
    if per == "decade":
        y = d.year - d.year % 10 + 10 * step
        return (date(y, 1, 1), date(y + 9, 12, 31)), "decade"
    if per == "month":
        first = _add_months(date(d.year, d.month, 1), step)
        return (first, _month_end(first.year, first.month)), "month"
    if per == "week":
        monday = d - timedelta(days=d.weekday()) + timedelta(weeks=step)
        return (monday, monday + timedelta(days=6)), "week"
    occ = _season_next(per, d)  # "this summer": the one not over yet; "next summer": the one after
    return (_season_range(per, occ[1].year + step), "season") if occ else None


def _season_range(season: str, y: int) -> tuple[date, date]:
    """Meteorological season; winter ``y`` is Dec ``y-1`` to Feb ``y``."""
    first = _SEASONS[season]
    start = date(y - 1, 12, 1) if season == "winter" else date(y, first, 1)
    end_first = _add_months(start, 2)
    return start, _month_end(end_first.year, end_first.month)


def _season_next(season: str, d: date) -> tuple[date, date] | None:
    """The first occurrence of a season not over on ``d``."""
    for y in (d.year, d.year + 1, d.year + 2):
        rng = _season_range(season, y)
        if rng[1] >= d:
            return rng
    return None


@_rule(rf"(?:{_PREP}\s+)?(?:the\s+)?(?P<edge>end|close|middle|beginning|start)\s+of\s+"
       rf"(?:(?P<rel>this|the|next)\s+(?P<per>year|month|decade|week)|(?P<year>{_YEAR})|(?P<mon>{_MONTH})"
       rf"(?:\s+(?P<my>{_YEAR}))?)")
def _edge(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "by the end of the year", "by the end of 2022", "before the end of next month"."""
    part = _PARTS[m.group("edge").lower()]
    prep = m.group("prep")
    if prep and prep.lower() == "before" and part == "late":
        prep = "by"  # "before the end of the year" = by the end of the year
    if m.group("year"):
        return _apply_prep(prep, _part(_year_range(int(m.group("year"))), "year", part, pub), pub)
    if m.group("mon"):
        return _month_horizon(m, pub, prep, part)
    rel = "this" if m.group("rel").lower() == "the" else m.group("rel")
    found = _relative_period(m.group("per"), rel, pub)
    if found is None:
        return None
    return _apply_prep(prep, _part(found[0], found[1], part, pub), pub)


@_rule(rf"(?:{_PREP}\s+)?(?:the\s+)?(?:year['’]?s?[\s-]+end|end[\s-]+of[\s-]+year|end[\s-](?P<year>{_YEAR}))")
def _year_end(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "by year's end", "by year-end", "by end-2022"."""
    if m.group("year"):
        y = int(m.group("year"))
    elif pub is not None:
        y = pub.day.year
    else:
        return None
    prep = m.group("prep") or "by"
    return _apply_prep("by" if prep.lower() == "before" else prep, _part(_year_range(y), "year", "late", pub), pub)


@_rule(rf"{_PREP}\s+(?:(?P<part>early|mid|late)[\s-]+)?(?P<year>{_YEAR})")
def _year(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "by 2025", "before 2025", "in 2025", "by mid-2023"."""
    part = m.group("part").lower() if m.group("part") else None
    return _apply_prep(m.group("prep"), _part(_year_range(int(m.group("year"))), "year", part, pub), pub)


@_rule(rf"(?:{_PREP}\s+)?(?:(?P<part>early|mid|late|later|earlier)[\s-]+)?(?P<rel>this|next)\s+"
       r"(?P<per>year|month|week|decade|spring|summer|autumn|fall|winter)")
def _this_next(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "next year", "later this year", "by next month", "early next year"."""
    found = _relative_period(m.group("per"), m.group("rel"), pub)
    if found is None:
        return None
    part = m.group("part").lower() if m.group("part") else None
    return _apply_prep(m.group("prep"), _part(found[0], found[1], part, pub), pub)


@_rule(r"within\s+the\s+(?P<per>year|month)")
def _within_the(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "within the year" = by the end of this year."""
    found = _relative_period(m.group("per"), "this", pub)
    return _apply_prep("by", found[0], pub) if found else None


@_rule(rf"{_PREP}\s+(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?")
def _season(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "by the summer", "by spring 2023"."""
    season = m.group("season").lower()
    if m.group("year"):
        rng = _season_range(season, int(m.group("year")))
    elif pub is not None and pub.has("month"):
        rng = _season_next(season, pub.day)
    else:
        return None
    return _apply_prep(m.group("prep"), rng, pub)


@_rule(rf"{_PREP}\s+(?:(?P<part>early|mid|late)[\s-]+)?(?P<mon>{_MONTH})(?:\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?)?"
       rf"(?:,?\s+(?P<my>{_YEAR}))?")
def _month(m: re.Match[str], pub: _Pub | None) -> Resolved:
    """ "by March", "by March 2023", "before March 15", "in late June"."""
    part = m.group("part").lower() if m.group("part") else None
    return _month_horizon(m, pub, m.group("prep"), part)


def _month_horizon(m: re.Match[str], pub: _Pub | None, prep: str | None, part: str | None) -> Resolved:
    """A named month (or day of it), its year given or the first one not over at publication."""
    name = m.group("mon")
    if not name[0].isupper():
        return None  # "in may": the modal, not the month
    month = _MONTHS[name.rstrip(".").lower()]
    day = int(m.group("day")) if "day" in m.groupdict() and m.group("day") else None

    def rng(y: int) -> tuple[date, date] | None:
        if day is not None:
            if day > calendar.monthrange(y, month)[1]:
                return None
            return date(y, month, day), date(y, month, day)
        return _part((date(y, month, 1), _month_end(y, month)), "month", part, pub)

    if m.group("my"):
        return _apply_prep(prep, rng(int(m.group("my"))), pub)
    if pub is None or not pub.has("month"):
        return None
    for y in (pub.day.year, pub.day.year + 1):
        found = _apply_prep(prep, rng(y), pub)
        if found is not None:
            return found
    return None


# --------------------------------------------------------------------------- search

def find_horizons(text: str, published: str | None) -> list[Horizon]:
    """Every time horizon in ``text``, in order of position."""
    pub = _parse_pub(published)
    hits: list[tuple[int, int, Resolved]] = []
    for pattern, handler in _RULES:
        for m in pattern.finditer(text):
            hits.append((m.start(), m.end(), handler(m, pub)))
    hits.sort(key=lambda h: (h[0], -h[1]))
    out: list[Horizon] = []
    last_end = -1
    for start, end, resolved in hits:
        if start < last_end:
            continue  # overlaps a longer or earlier expression
        last_end = end
        if resolved is not None:
            due, earliest = resolved
            out.append(Horizon(start, end, text[start:end], due, earliest))
    return out


def find_horizon(text: str, published: str | None) -> Horizon | None:
    """The first time horizon in ``text`` (a judgment), or None."""
    found = find_horizons(text, published)
    return found[0] if found else None
