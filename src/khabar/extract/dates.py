"""Resolve date expressions in English news text against the article's publication date.

A resolved date is a `DateValue`: an inclusive range ``start..end``, a precision ("day", "month",
"season", "year") and the expression as found. ``iso`` gives the start of the range at its precision.

Publication date: a partial ISO string ("2021-08-27", "2021-08", "2021", or a longer ISO timestamp), or
None. Expressions that need a finer publication date than given resolve to None:
- day arithmetic ("yesterday", "on Sunday", "last week", "three days ago", "the past few weeks") needs a day;
- month arithmetic ("last month", "earlier this month", "three months ago") and year-less names
  ("in June", "August 18", "last October", "this spring") need at least a month;
- year arithmetic ("last year", "20 years ago") needs at least a year.
With a coarse publication date, "not after publication" means not after the last day it allows.

Conventions:
- past=True (default): nothing may start after publication; year-less names take the most recent
  occurrence not after publication; ranges are clipped to end at publication ("this year" in an article
  of 2021-08-27 is 2021-01-01..2021-08-27); explicitly future expressions ("tomorrow", "next month")
  and explicit dates after publication give None. past=False allows future dates: year-less names
  take the current-or-next occurrence.
- Seasons (northern meteorological): spring Mar-May, summer Jun-Aug, autumn/fall Sep-Nov, winter Dec-Feb.
  "winter 2020" is Dec 2019-Feb 2020 (the winter whose January and February fall in 2020), so its iso is
  "2019-12"; "winter 2020-21" / "winter of 2020/2021" is Dec 2020-Feb 2021.
- early/mid/late: of a month = days 1-10 / 11-20 / 21-end (month precision); of a year = Jan-Apr /
  May-Aug / Sep-Dec (year precision); of a decade = years 0-3 / 4-6 / 7-9 (year precision); of a season =
  its first / second / third month (month precision); of a weekday = that day. "the beginning/start of"
  = early, "the middle of" = mid, "the end of" = late. "earlier this month/year" = period start to the
  day before publication; "later this month/year" = the day after publication to period end.
- Weeks run Monday-Sunday. "last week" = Monday..Sunday of the previous week, "this week" = Monday..
  publication (past) or Monday..Sunday (future), precision "day" with that range. A bare weekday is the
  most recent one on or before publication (the same day when it is that weekday); "last Tuesday" is
  strictly before it.
- "last October" / "last summer" = the most recent occurrence that ended before publication;
  "this October" / "this spring" = the one of the publication year (or containing publication).
- "N years ago" is year precision, "N months ago" month, "N days/weeks ago" a single day.
  "the past N days" is day precision, "the past N weeks/months" / "recent weeks" month precision,
  "the past N years/decades" year precision; the range runs back from publication.
  Vague spans ("recently", "in recent years", "a few years ago") give None.
- "since X" is open-ended: start of X to publication (or to the end of X when publication is unknown).
- "from X to Y", "between X and Y", "X-Y", "in 1999 and 2000": one range, start of X to end of Y, at the
  coarser precision; a year-less X takes its year from Y ("from March to May 2021").
- "9/11" and "the September 11 attacks" are 2001-09-11. "Twenty years after the 9/11 attacks" is a year
  precision date (2021); "Twenty years after" alone has no anchor and gives None.
- Numeric dates ("9/11/2001") are read month first unless the first number exceeds 12.
- Not handled: "on the 18th", holidays (Eid, Christmas), times of day, and dates relative to another
  event in the narrative ("the next day", "a week later").

`find_dates` keeps the longest expression where candidates overlap and returns them in text order.
"""

from __future__ import annotations

import calendar
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

__all__ = ["DateValue", "PRECISIONS", "find_dates", "resolve_date"]

PRECISIONS = ("day", "month", "season", "year")
_RANK = {p: i for i, p in enumerate(PRECISIONS)}
_PUB_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class DateValue:
    """A resolved date: inclusive range, precision, the expression as found, open-endedness."""

    start: date
    end: date
    precision: str
    text: str
    open_ended: bool = False

    @property
    def iso(self) -> str:
        """Partial ISO string of the start of the range at this precision."""
        if self.precision == "day":
            return self.start.isoformat()
        if self.precision in ("month", "season"):
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return f"{self.start.year:04d}"


# --------------------------------------------------------------------------- publication context

Raw = tuple[date, date, str]  # start, end, precision before clipping to publication


@dataclass(frozen=True)
class _Ctx:
    pub_start: date | None
    pub_end: date | None
    pub_prec: str | None
    past: bool

    def has(self, prec: str) -> bool:
        """Whether the publication date is known at least to this precision ("day", "month", "year")."""
        return self.pub_prec is not None and _PUB_RANK[self.pub_prec] <= _PUB_RANK[prec]

    @property
    def day(self) -> date | None:
        """The publication day when known to the day."""
        return self.pub_start if self.pub_prec == "day" else None


_PUB_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*$")


@lru_cache(maxsize=1024)
def parse_published(published: str | None) -> tuple[date, date, str] | None:
    """Publication string to (first day, last day, precision); ValueError when malformed."""
    if published is None or not published.strip():
        return None
    m = _PUB_RE.match(published)
    if not m:
        raise ValueError(f"publication date {published!r} is not a partial ISO date")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d is not None:
            day = date(y, int(mo), int(d))
            return day, day, "day"
        if mo is not None:
            s, e = _month_range(y, int(mo))
            return s, e, "month"
        return date(y, 1, 1), date(y, 12, 31), "year"
    except ValueError as exc:
        raise ValueError(f"publication date {published!r} is not a valid date") from exc


def _ctx(published: str | None, past: bool) -> _Ctx:
    p = parse_published(published)
    if p is None:
        return _Ctx(None, None, None, past)
    return _Ctx(p[0], p[1], p[2], past)


# --------------------------------------------------------------------------- calendar helpers


def _month_range(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _shift_months(d: date, k: int) -> date:
    y, m = _add_months(d.year, d.month, k)
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _shift_years(d: date, k: int) -> date:
    y = d.year + k
    return date(y, d.month, min(d.day, calendar.monthrange(y, d.month)[1]))


_SEASON_FIRST = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season_range(season: str, y: int) -> tuple[date, date]:
    """Season of season-year y; winter y runs from December y-1 to February y."""
    first = _SEASON_FIRST[season]
    sy = y - 1 if first == 12 else y
    ly, lm = _add_months(sy, first, 2)
    return date(sy, first, 1), _month_range(ly, lm)[1]


def _week_of(d: date) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


Occ = Callable[[int], "tuple[date, date] | None"]


def _pick(occ: Occ, ctx: _Ctx, mode: str) -> tuple[date, date] | None:
    """Choose the occurrence of a yearly recurring period relative to publication.

    mode: "in" (most recent starting by publication if past, else current-or-next), "last" (most recent
    ended before publication), "next" (first starting after publication), "this" (the one containing
    publication, else the one of the publication year).
    """
    if ctx.pub_start is None or ctx.pub_end is None:
        return None
    base = ctx.pub_end.year
    occs = [o for y in range(base - 3, base + 4) if (o := occ(y)) is not None]
    if mode == "in":
        mode = "past" if ctx.past else "future"
    if mode == "past":
        cands = [o for o in occs if o[0] <= ctx.pub_end]
        return cands[-1] if cands else None
    if mode == "future":
        cands = [o for o in occs if o[1] >= ctx.pub_start]
        return cands[0] if cands else None
    if mode == "last":
        cands = [o for o in occs if o[1] < ctx.pub_start]
        return cands[-1] if cands else None
    if mode == "next":
        if ctx.past:
            return None
        cands = [o for o in occs if o[0] > ctx.pub_end]
        return cands[0] if cands else None
    # "this"
    for o in occs:
        if o[0] <= ctx.pub_start <= o[1]:
            return o
    o = occ(ctx.pub_start.year)
    if o is None:
        return None
    if ctx.past and o[0] > ctx.pub_end:
        return None
    if not ctx.past and o[1] < ctx.pub_start:
        return occ(ctx.pub_start.year + 1)
    return o


def _day_occ(month: int, day: int) -> Occ:
    def occ(y: int) -> tuple[date, date] | None:
        try:
            d = date(y, month, day)
        except ValueError:
            return None
        return d, d

    return occ


def _month_occ(month: int) -> Occ:
    return lambda y: _month_range(y, month)


def _season_occ(season: str) -> Occ:
    return lambda y: _season_range(season, y)


# --------------------------------------------------------------------------- modifiers (early / mid / late)


def _mod_kind(mod: str | None) -> str | None:
    """Normalise a modifier phrase to early, mid, late, earlier, later, half1, half2, q1..q4."""
    if not mod:
        return None
    words = mod.lower().replace("-", " ").split()
    if "quarter" in words:
        for w, q in (("first", "q1"), ("second", "q2"), ("third", "q3"), ("fourth", "q4"), ("final", "q4"),
                     ("last", "q4")):
            if w in words:
                return q
    if "half" in words:
        return "half1" if "first" in words else "half2"
    if "earlier" in words:
        return "earlier"
    if "later" in words:
        return "later"
    if {"early", "beginning", "start"} & set(words):
        return "early"
    if "middle" in words or words[0] == "mid":
        return "mid"
    if "late" in words or "end" in words:
        return "late"
    return None


def _apply_mod(s: date, e: date, prec: str, unit: str, mod: str | None, ctx: _Ctx) -> Raw | None:
    """Narrow a period (unit: week, month, year, decade, season) by a modifier."""
    kind = _mod_kind(mod)
    if kind is None:
        return s, e, prec
    if kind in ("earlier", "later"):
        if ctx.pub_start is None or ctx.pub_end is None:
            return None
        if kind == "earlier":
            last = ctx.day - timedelta(days=1) if ctx.day else ctx.pub_end
            return s, max(s, min(e, last)), prec
        if ctx.past:
            return None
        first = ctx.day + timedelta(days=1) if ctx.day else ctx.pub_start
        return max(s, min(e, first)), e, prec
    if unit == "month":
        bounds = {"early": (1, 10), "mid": (11, 20), "late": (21, e.day)}.get(kind)
        if bounds is None:
            return s, e, prec
        return s.replace(day=bounds[0]), s.replace(day=bounds[1]), "month"
    if unit == "year":
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "half1": (1, 6), "half2": (7, 12),
                  "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12)}[kind]
        p = "month" if kind.startswith("q") else "year"
        return date(s.year, months[0], 1), _month_range(s.year, months[1])[1], p
    if unit == "decade":
        years = {"early": (0, 3), "mid": (4, 6), "late": (7, 9), "half1": (0, 4), "half2": (5, 9)}.get(kind)
        if years is None:
            return s, e, prec
        return date(s.year + years[0], 1, 1), date(s.year + years[1], 12, 31), "year"
    if unit == "season":
        k = {"early": 0, "mid": 1, "late": 2}.get(kind)
        if k is None:
            return s, e, prec
        y, m = _add_months(s.year, s.month, k)
        a, b = _month_range(y, m)
        return a, b, "month"
    if unit == "week":
        return s, e, prec
    return s, e, prec


# --------------------------------------------------------------------------- numbers

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_VAGUE = {"few", "a few", "several", "some", "many"}


def _num(s: str | None) -> int | None:
    """A small number in digits or words; None for vague amounts ("a few")."""
    if s is None:
        return 1
    w = " ".join(s.lower().split())
    if w.isdigit():
        return int(w)
    if w in ("a", "an", "one"):
        return 1
    if w in ("a couple of", "couple of"):
        return 2
    if w in _VAGUE:
        return None
    parts = re.split(r"[- ]", w)
    if parts[0] in _TENS:
        n = _TENS[parts[0]]
        if len(parts) > 1 and parts[1] in _UNITS:
            n += _UNITS.index(parts[1])
        return n
    if w in _UNITS:
        return _UNITS.index(w)
    return None


# --------------------------------------------------------------------------- regex vocabulary

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

M_FULL = r"\b(?-i:" + "|".join(_MONTH_NAMES) + r")\b"
MON = (r"\b(?-i:(?:" + "|".join(_MONTH_NAMES) + r")\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)")
WD = r"\b(?-i:" + "|".join(_WEEKDAYS) + r")\b"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b"
YEAR = r"(?:19|20)\d\d(?![\w%])(?![.,]\d)"
NB = r"(?<![\w$£€.,/-])"  # no number, currency or hyphen immediately before
NUMW = (r"(?:\d{1,3}|a\s+couple\s+of|a\s+few|several|few|some|many|"
        r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|"
        r"eight|nine)\b)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
        r"fifteen|sixteen|seventeen|eighteen|nineteen|an|a)")
MOD = (r"(?P<mod>early|mid|late|the\s+(?:very\s+)?(?:end|beginning|start|middle)\s+of|"
       r"the\s+(?:first|second|latter)\s+half\s+of|the\s+(?:first|second|third|fourth|final|last)\s+quarter\s+of)")
MOD_SEP = r"(?:\s*-\s*|\s+)"
DASH = r"(?:-|–|—)"
RANGE_JOIN = rf"(?:\s*{DASH}\s*|\s+(?:to|and|through|until|till)\s+)"
SEASON = r"(?P<s>spring|summer|autumn|fall|winter)"
COUNT = (r"people|persons|men|women|children|civilians|fighters|militants|troops|soldiers|members|casualties|"
         r"deaths|dead|killed|wounded|injured|refugees|families|households|cases|km|kilometers|kilometres|miles|"
         r"meters|metres|feet|tons|tonnes|votes|seats|rounds|dollars|euros|pounds|rupees|afghanis|units|"
         r"vehicles|weapons|guns|rifles|rockets|missiles|prisoners|detainees|hostages|students|workers|police|"
         r"policemen|officers|personnel|individuals|villagers|residents|protesters|supporters|followers|"
         r"recruits|insurgents|jihadists|combatants|others|more|of\s+them|of\s+the|hours|days|percent|per\s+cent")
EVENT = (r"attacks?|invasion|elections?|polls?|bombings?|blasts?|wars?|conflict|agreement|accord|deal|"
         r"offensive|uprising|revolution|coup|ceasefire|truce|peace|talks|summit|strikes?|airstrikes?|massacre|"
         r"siege|withdrawal|pullout|raids?|assault|campaign|crisis|protests?|referendum|census|report|law|"
         r"constitution|earthquake|floods?|operations?|incursion|occupation|insurgency|surge|takeover|"
         r"kidnappings?|abductions?|ambush|shootings?|explosions?|assassinations?|killings?|fall|capture|"
         r"battles?|fighting|clashes?|violence|hijackings?|vote|budget|levels?|figures?|survey|estimates?|"
         r"resolution|treaty|pact|negotiations|conference|meeting|visit|announcement|decision|deadline|"
         r"agreements|bombardment|shelling|uprisings|regime|government")


# --------------------------------------------------------------------------- hits


@dataclass
class _Hit:
    start: int
    end: int
    raw: Raw | None
    absolute: bool = False  # anchored by an explicit year, not by the publication date
    rebind: Callable[[int], Raw | None] | None = None  # year-less: the same expression in a given year
    month: int | None = None  # month of a year-less expression, for year inheritance in ranges
    weak: bool = False  # only kept when it joins a range or list ("and 2000")
    kind: str = ""  # "year" for plain years (lists), "" otherwise
    open_ended: bool = False


Handler = Callable[[re.Match[str], _Ctx], "_Hit | None"]
_RULES: list[tuple[re.Pattern[str], Handler]] = []


def _rule(pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler for a pattern; the hit's span is group "x" if it matched, else the whole match."""

    def deco(fn: Handler) -> Handler:
        _RULES.append((re.compile(pattern, re.IGNORECASE), fn))
        return fn

    return deco


def _span(m: re.Match[str]) -> tuple[int, int]:
    if "x" in m.re.groupindex and m.start("x") >= 0:
        return m.span("x")
    return m.span()


def _hit(m: re.Match[str], raw: Raw | None, **kw) -> _Hit:
    s, e = _span(m)
    return _Hit(s, e, raw, **kw)


def _month_num(s: str) -> int:
    return _MONTH_NAMES.index(next(n for n in _MONTH_NAMES if n.lower()[:3] == s.strip(". ").lower()[:3])) + 1


def _day_num(s: str) -> int:
    return int(re.match(r"\d+", s).group())  # type: ignore[union-attr]


def _yearless(m: re.Match[str], ctx: _Ctx, occ: Occ, mode: str, prec: str, month: int,
              finish: Callable[[date, date], Raw | None] | None = None, need: str = "month") -> _Hit:
    """Hit for a year-less expression: pick the occurrence now, keep a rebinder for ranges."""

    def build(o: tuple[date, date] | None) -> Raw | None:
        if o is None:
            return None
        return finish(*o) if finish else (o[0], o[1], prec)

    raw = build(_pick(occ, ctx, mode)) if ctx.has(need) else None
    return _hit(m, raw, rebind=lambda y: build(occ(y)), month=month)


# ----- fixed and full dates


@_rule(r"(?<![\w/])9/11(?![\w/]|-\d)")
def _nine_eleven(m: re.Match[str], ctx: _Ctx) -> _Hit:
    d = date(2001, 9, 11)
    return _hit(m, (d, d, "day"), absolute=True)


_DP_SETTINGS = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True,
                "RETURN_AS_TIMEZONE_AWARE": False, "DATE_ORDER": "MDY"}
_parser = None


@lru_cache(maxsize=4096)
def _dateparse(s: str) -> date | None:
    """A full absolute date through dateparser (English only, strict, no language detection)."""
    global _parser
    if _parser is None:
        from dateparser.date import DateDataParser

        _parser = DateDataParser(languages=["en"], settings=_DP_SETTINGS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            got = _parser.get_date_data(s)
        except Exception:  # dateparser raises assorted errors on odd input
            return None
    return got.date_obj.date() if got and got.date_obj else None


def _full(m: re.Match[str], ctx: _Ctx) -> _Hit:
    # day, month name and year are all captured: read directly (what dateparser gave on every
    # form these patterns match, checked on thousands; it costs 0.3 s to load and ms per date)
    try:
        d = date(int(m.group("y")), _month_num(m.group("m")), _day_num(m.group("d")))
    except ValueError:
        d = None  # "31 February 2021"
    return _hit(m, (d, d, "day") if d else None, absolute=True)


_rule(rf"(?:{WD},?\s+)?(?:the\s+)?{NB}(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MON}),?\s+(?P<y>{YEAR})")(_full)
_rule(rf"(?:{WD},?\s+)?(?P<m>{MON})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR})")(_full)


@_rule(rf"{NB}(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])"
       rf"|{NB}(?P<a>[01]?\d|[23]\d)/(?P<b>[0-3]?\d)/(?P<yy>(?:19|20)\d\d)(?![\d/])")
def _numeric(m: re.Match[str], ctx: _Ctx) -> _Hit:
    d = _dateparse(m.group())
    if d is None:
        try:
            if m.group("y"):
                d = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            else:
                a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("yy"))
                d = date(y, b, a) if a > 12 else date(y, a, b)
        except ValueError:
            d = None
    return _hit(m, (d, d, "day") if d else None, absolute=True)


# ----- day ranges within a month: "August 14-15", "14-15 August 2021", "between August 14 and 20"


def _day_range(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    mo, d1, d2 = _month_num(m.group("m")), _day_num(m.group("d1")), _day_num(m.group("d2"))
    if d2 <= d1:
        return None

    def occ(y: int) -> tuple[date, date] | None:
        try:
            return date(y, mo, d1), date(y, mo, d2)
        except ValueError:
            return None

    if m.group("y"):
        o = occ(int(m.group("y")))
        return _hit(m, (o[0], o[1], "day") if o else None, absolute=True)
    return _yearless(m, ctx, occ, "in", "day", mo)


_rule(rf"(?:\b(?:from|between)\s+)?(?P<m>{MON})\s+(?P<d1>{DAY}){RANGE_JOIN}(?P<d2>{DAY})(?!\s*(?:{MON}|:))"
      rf"(?:,?\s+(?P<y>{YEAR}))?")(_day_range)
_rule(rf"(?:\b(?:from|between)\s+)?{NB}(?P<d1>{DAY}){RANGE_JOIN}(?P<d2>{DAY})\s+(?:of\s+)?(?P<m>{MON})"
      rf"(?:,?\s+(?P<y>{YEAR}))?")(_day_range)


# ----- a day without a year: "August 18", "Aug. 18", "18 August", "Sunday, August 15"

_SEPT11_ATTACKS = re.compile(r"\s+(?:terror(?:ist)?\s+)?attacks?\b", re.IGNORECASE)


def _day(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    mo, d = _month_num(m.group("m")), _day_num(m.group("d"))
    if _day_occ(mo, d)(2000) is None:  # no such day in any year (leap year 2000 allows Feb 29)
        return None
    if (mo, d) == (9, 11) and _SEPT11_ATTACKS.match(m.string, m.end()):
        day = date(2001, 9, 11)
        return _hit(m, (day, day, "day"), absolute=True)
    return _yearless(m, ctx, _day_occ(mo, d), "in", "day", mo)


_rule(rf"(?:{WD},?\s+)?(?P<m>{MON})\s+(?P<d>{DAY})(?!\s*[:.]\d)")(_day)
_rule(rf"(?:{WD},?\s+)?(?:the\s+)?{NB}(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MON})")(_day)


# ----- month with a year: "June 2021", "late August 2021", "June of last year"


@_rule(rf"(?:\b{MOD}{MOD_SEP})?(?P<m>{MON}),?\s+(?:of\s+)?(?P<y>{YEAR})")
def _month_year(m: re.Match[str], ctx: _Ctx) -> _Hit:
    s, e = _month_range(int(m.group("y")), _month_num(m.group("m")))
    return _hit(m, _apply_mod(s, e, "month", "month", m.group("mod"), ctx), absolute=True,
                kind="" if m.group("mod") else "month")


@_rule(rf"(?:\b{MOD}{MOD_SEP})?(?P<m>{MON}),?\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b")
def _month_rel_year(m: re.Match[str], ctx: _Ctx) -> _Hit:
    if not ctx.has("year") or ctx.pub_start is None:
        return _hit(m, None)
    rel = m.group("rel").lower()
    if rel == "next" and ctx.past:
        return _hit(m, None)
    y = ctx.pub_start.year + {"last": -1, "this": 0, "next": 1}[rel]
    s, e = _month_range(y, _month_num(m.group("m")))
    return _hit(m, _apply_mod(s, e, "month", "month", m.group("mod"), ctx))


# ----- a month without a year: "in June", "last October", "late August", "mid-August"


def _bare_month(m: re.Match[str], ctx: _Ctx) -> _Hit:
    gd = m.groupdict()
    mo = _month_num(m.group("m"))
    rel = (gd.get("rel") or "").lower()
    mode = {"last": "last", "past": "last", "this": "this", "next": "next"}.get(rel, "in")
    mod = gd.get("mod")

    def finish(s: date, e: date) -> Raw | None:
        return _apply_mod(s, e, "month", "month", mod, ctx)

    h = _yearless(m, ctx, _month_occ(mo), mode, "month", mo, finish)
    if rel:
        h.rebind = None
    elif not mod:
        h.kind = "month"
    h.weak = bool(gd.get("weak"))
    return h


_rule(rf"\b(?P<rel>last|this|next|past)\s+(?P<m>{M_FULL})(?!\s*\d)")(_bare_month)
_rule(rf"\b{MOD}{MOD_SEP}(?P<m>{M_FULL})(?!\s*\d)")(_bare_month)
_rule(rf"\b(?:in|since|until|till|before|after|during|from|through|throughout|between)\s+"
      rf"(?P<x>(?P<m>{M_FULL}))(?!\s*\d)")(_bare_month)
_rule(rf"(?P<weak>\band|\bor|\bto|\bthrough|\buntil|\btill|(?<=[a-z]),)\s+(?P<x>(?P<m>{M_FULL}))(?!\s*\d)")(_bare_month)


# ----- seasons


def _season_hit(m: re.Match[str], ctx: _Ctx, mode: str, year: int | None) -> _Hit:
    season = m.group("s").lower()
    mod = m.groupdict().get("mod")

    def finish(s: date, e: date) -> Raw | None:
        return _apply_mod(s, e, "season", "season", mod, ctx)

    if year is not None:
        return _hit(m, finish(*_season_range(season, year)), absolute=True)
    h = _yearless(m, ctx, _season_occ(season), mode, "season", _SEASON_FIRST[season], finish)
    h.rebind = None
    return h


@_rule(rf"\b(?:(?:the|this)\s+)?(?:(?P<mod>early|mid|late){MOD_SEP})?{SEASON}\s*,?\s*(?:of\s+)?"
       rf"(?P<y>{YEAR})(?:\s*[-/–]\s*(?P<y2>(?:19|20)?\d\d)(?![\w]))?")
def _season_year(m: re.Match[str], ctx: _Ctx) -> _Hit:
    y = int(m.group("y"))
    if m.group("y2") and m.group("s").lower() == "winter":
        y += 1  # "winter 2020-21": the winter starting in December 2020
    return _season_hit(m, ctx, "in", y)


@_rule(rf"\b(?:(?P<mod>early|mid|late){MOD_SEP})?(?:the\s+)?(?P<rel>this|last|next|past|previous|coming)\s+"
       rf"{SEASON}\b(?!\s+of\b)")
def _season_rel(m: re.Match[str], ctx: _Ctx) -> _Hit:
    rel = m.group("rel").lower()
    mode = {"this": "this", "next": "next", "coming": "next"}.get(rel, "last")
    return _season_hit(m, ctx, mode, None)


@_rule(rf"\b(?:the\s+)?{SEASON}\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b")
def _season_rel_year(m: re.Match[str], ctx: _Ctx) -> _Hit:
    if not ctx.has("year") or ctx.pub_start is None:
        return _hit(m, None)
    rel = m.group("rel").lower()
    if rel == "next" and ctx.past:
        return _hit(m, None)
    return _season_hit(m, ctx, "in", ctx.pub_start.year + {"last": -1, "this": 0, "next": 1}[rel])


@_rule(rf"\b(?P<p>in|during|through|throughout|until|till|by|since|over|before|after)\s+"
       rf"(?P<x>(?:the\s+)?(?:(?P<mod>early|mid|late){MOD_SEP})?{SEASON})\b(?!\s+of\b)(?!\s*,?\s*\d)(?!-)")
def _season_bare(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    if m.group("s").lower() == "fall" and m.group("p").lower() not in ("in", "during", "through", "throughout"):
        return None  # "since the fall", "after the fall": most likely the fall of a city or a regime
    return _season_hit(m, ctx, "in", None)


# ----- years, decades, year ranges


@_rule(rf"{NB}(?P<y1>(?:19|20)\d\d)\s*(?:{DASH}|/)\s*(?P<y2>(?:19|20)\d\d|\d\d)(?![\w%])(?![-/.,]\d)")
def _year_range(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    y1, t = int(m.group("y1")), m.group("y2")
    y2 = int(t) if len(t) == 4 else y1 // 100 * 100 + int(t)
    if y2 <= y1 or y2 - y1 > 100:
        return None
    return _hit(m, (date(y1, 1, 1), date(y2, 12, 31), "year"), absolute=True)


@_rule(rf"\b{MOD}{MOD_SEP}(?P<y>{YEAR})")
def _year_mod(m: re.Match[str], ctx: _Ctx) -> _Hit:
    y = int(m.group("y"))
    return _hit(m, _apply_mod(date(y, 1, 1), date(y, 12, 31), "year", "year", m.group("mod"), ctx), absolute=True)


@_rule(r"(?:\bthe\s+)?(?:\b(?P<mod>early|mid|late)(?:\s*-\s*|\s+))?"
       r"(?:\b(?P<c>19|20)(?P<d>\d)0s|['’‘](?P<d2>\d)0s)\b")
def _decade(m: re.Match[str], ctx: _Ctx) -> _Hit:
    if m.group("c"):
        y = int(m.group("c") + m.group("d") + "0")
    else:
        d = int(m.group("d2")) * 10
        ref = ctx.pub_end.year if ctx.pub_end else 2029
        y = 2000 + d if 2000 + d <= ref else 1900 + d
    return _hit(m, _apply_mod(date(y, 1, 1), date(y + 9, 12, 31), "year", "decade", m.group("mod"), ctx),
                absolute=True)


def _year(m: re.Match[str], ctx: _Ctx) -> _Hit:
    y = int(m.group("x"))
    return _hit(m, (date(y, 1, 1), date(y, 12, 31), "year"), absolute=True, kind="year",
                weak=bool(m.groupdict().get("weak")))


_NOT_COUNT = rf"(?!\s+(?:{COUNT})\b)"
_rule(rf"\b(?:in|since|by|until|till|before|after|during|of|from|between|through|throughout|around|circa|"
      rf"for|year|as\s+of|as\s+early\s+as|as\s+late\s+as)\s+(?P<x>{YEAR}){_NOT_COUNT}")(_year)
_rule(rf"\bthe\s+(?P<x>{YEAR}){_NOT_COUNT}(?=\s+[\w.’'-]+)")(_year)
_rule(rf"{NB}(?P<x>{YEAR}){_NOT_COUNT}(?=\s+(?:[\w.’'-]+\s+)?(?:{EVENT})\b)")(_year)
_rule(rf"{NB}(?P<x>{YEAR})(?=['’]s\b)")(_year)
_rule(rf"(?<=\d\d\d\d)(?P<weak>,|\s+and|\s+or|\s+to|\s+until|\s+till|\s+through|\s*&)\s+"
      rf"(?P<x>{YEAR}){_NOT_COUNT}")(_year)


# ----- weekdays


@_rule(r"(?<!Black )(?<!Good )(?<!Bloody )(?<!Easter )(?<!Palm )(?<!Holy )(?<!Maundy )"
       rf"(?:\b(?P<mod>early|late)\s+(?:on\s+)?)?(?:\b(?P<rel>last|this|next|past|previous|coming)\s+)?"
       rf"(?P<wd>{WD})(?:\s+(?:morning|afternoon|evening|night))?"
       r"(?:\s+(?:of\s+)?(?P<lw>last|this|next)\s+week\b)?"
       r"(?!\s+(?-i:Times|Telegraph|Express|Mirror|Post|Herald|Mail|Independent|Tribune|Observer|Star|Sport|Review))")
def _weekday(m: re.Match[str], ctx: _Ctx) -> _Hit:
    today = ctx.day
    if today is None:
        return _hit(m, None)
    wd = _WEEKDAYS.index(m.group("wd"))
    rel = (m.group("rel") or "").lower()
    lw = (m.group("lw") or "").lower()
    back = (today.weekday() - wd) % 7  # days back to the most recent such weekday, 0 if today
    if lw:
        monday = _week_of(today)[0] + timedelta(days={"last": -7, "this": 0, "next": 7}[lw])
        d = monday + timedelta(days=wd)
        if lw == "next" and ctx.past:
            return _hit(m, None)
    elif rel in ("last", "past", "previous"):
        d = today - timedelta(days=back or 7)
    elif rel in ("next", "coming"):
        if ctx.past:
            return _hit(m, None)
        d = today + timedelta(days=(wd - today.weekday()) % 7 or 7)
    elif ctx.past:
        d = today - timedelta(days=back)
    else:
        d = today + timedelta(days=(wd - today.weekday()) % 7)
    return _hit(m, (d, d, "day"))


# ----- days relative to publication

_REL_DAYS = {"the day before yesterday": -2, "yesterday": -1, "last night": -1, "today": 0, "tonight": 0,
             "this morning": 0, "this afternoon": 0, "this evening": 0, "tomorrow": 1, "the day after tomorrow": 2}


@_rule(r"(?<!USA )\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|"
       r"tomorrow|last\s+night|this\s+(?:morning|afternoon|evening))\b")
def _rel_day(m: re.Match[str], ctx: _Ctx) -> _Hit:
    off = _REL_DAYS[" ".join(m.group("w").lower().split())]
    if ctx.day is None or (off > 0 and ctx.past):
        return _hit(m, None)
    d = ctx.day + timedelta(days=off)
    return _hit(m, (d, d, "day"))


# ----- weeks, months, years, decades relative to publication


@_rule(r"\b(?:(?P<mod>early|mid|late|earlier(?:\s+in)?|later(?:\s+in)?|the\s+(?:very\s+)?(?:end|beginning|start|middle)"
       r"\s+of|the\s+(?:first|second|latter)\s+half\s+of)(?:\s*-\s*|\s+))?"
       r"(?P<rel>last|this|next|the\s+past|the\s+previous|the\s+coming|the\s+last|the\s+current|the)\s+"
       r"(?P<unit>week|month|year|decade)\b")
def _rel_period(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    rel = " ".join(m.group("rel").lower().split())
    unit = m.group("unit").lower()
    mod = m.group("mod")
    if rel == "the" and not mod:
        return None  # "the year" alone is no date
    rel = {"the": "this", "the current": "this", "the coming": "next", "the past": "past",
           "the previous": "past", "the last": "past"}.get(rel, rel)
    need = "day" if unit == "week" or rel == "past" and unit != "decade" else "month" if unit == "month" else "year"
    if not ctx.has(need) or ctx.pub_start is None or ctx.pub_end is None:
        return _hit(m, None)
    if rel == "next" and ctx.past:
        return _hit(m, None)
    step = {"last": -1, "this": 0, "next": 1}.get(rel, 0)
    ref = ctx.day or ctx.pub_start
    if rel == "past":
        end = ctx.day or ctx.pub_end
        if unit == "week":
            return _hit(m, (end - timedelta(days=7), end, "day"))
        if unit == "month":
            return _hit(m, (_shift_months(end, -1), end, "month"))
        years = 10 if unit == "decade" else 1
        return _hit(m, (_shift_years(end, -years), end, "year"))
    if unit == "week":
        s, e = _week_of(ref + timedelta(days=7 * step))
        prec = "day"
    elif unit == "month":
        y, mo = _add_months(ref.year, ref.month, step)
        s, e = _month_range(y, mo)
        prec = "month"
    elif unit == "year":
        s, e = date(ref.year + step, 1, 1), date(ref.year + step, 12, 31)
        prec = "year"
    else:
        y0 = ref.year // 10 * 10 + 10 * step
        s, e = date(y0, 1, 1), date(y0 + 9, 12, 31)
        prec = "year"
    return _hit(m, _apply_mod(s, e, prec, unit, mod, ctx))


_SPAN_UNIT = {"hour": "day", "day": "day", "week": "month", "month": "month", "year": "year", "decade": "year"}
_VAGUE_COUNT = {"hour": 24, "day": 7, "week": 3, "month": 3}


@_rule(rf"\b(?:the\s+)?(?:(?P<ago>past|last|previous)\s+(?:(?P<n>{NUMW})\s+)?|recent\s+)"
       r"(?P<unit>hours|days|weeks|months|years|decades)\b(?!\s+of\b)")
def _rel_span(m: re.Match[str], ctx: _Ctx) -> _Hit:
    unit = m.group("unit").lower().rstrip("s")
    n = _num(m.group("n")) if m.group("n") else None
    if n is None:
        n = None if unit in ("year", "decade") else _VAGUE_COUNT[unit]
    need = "year" if unit in ("year", "decade") else "day"
    if n is None or not ctx.has(need) or ctx.pub_end is None:
        return _hit(m, None)
    end = ctx.day or ctx.pub_end
    if unit == "hour":
        start = end - timedelta(days=max(1, n // 24))
    elif unit == "day":
        start = end - timedelta(days=n)
    elif unit == "week":
        start = end - timedelta(days=7 * n)
    elif unit == "month":
        start = _shift_months(end, -n)
    else:
        start = _shift_years(end, -n * (10 if unit == "decade" else 1))
    return _hit(m, (start, end, _SPAN_UNIT[unit]))


@_rule(rf"\b(?P<n>{NUMW})\s+(?P<unit>days?|weeks?|months?|years?|decades?)\s+ago\b")
def _ago(m: re.Match[str], ctx: _Ctx) -> _Hit:
    unit = m.group("unit").lower().rstrip("s")
    n = _num(m.group("n"))
    need = {"day": "day", "week": "day", "month": "month"}.get(unit, "year")
    if n is None or not ctx.has(need) or ctx.pub_start is None:
        return _hit(m, None)
    if unit in ("day", "week"):
        d = ctx.pub_start - timedelta(days=n * (7 if unit == "week" else 1))
        return _hit(m, (d, d, "day"))
    if unit == "month":
        y, mo = _add_months(ctx.pub_start.year, ctx.pub_start.month, -n)
        s, e = _month_range(y, mo)
        return _hit(m, (s, e, "month"))
    y = ctx.pub_start.year - n * (10 if unit == "decade" else 1)
    return _hit(m, (date(y, 1, 1), date(y, 12, 31), "year"))


# --------------------------------------------------------------------------- combining hits

_PRE_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_PRE_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
_PRE_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)
_PRE_AFTER = re.compile(rf"\b(?P<n>{NUMW})\s+(?P<unit>years?|decades?)\s+(?P<dir>after|before|since|on\s+from)\s+"
                        r"(?:the\s+)?$", re.IGNORECASE)
_LOOKBACK = 60


def _candidates(text: str, ctx: _Ctx) -> list[_Hit]:
    hits = []
    for rx, fn in _RULES:
        for m in rx.finditer(text):
            h = fn(m, ctx)
            if h is not None and h.end > h.start:
                hits.append(h)
    return hits


def _select(hits: list[_Hit]) -> list[_Hit]:
    """Longest first, strong before weak, leftmost first; no overlaps. Returned in text order."""
    taken: list[_Hit] = []
    for h in sorted(hits, key=lambda h: (h.start - h.end, h.weak, h.raw is None, h.start)):
        if all(h.end <= t.start or h.start >= t.end for t in taken):
            taken.append(h)
    return sorted(taken, key=lambda h: h.start)


def _inherit(a: _Hit, b: _Hit) -> tuple[Raw | None, Raw | None]:
    """Resolve a year-less end of a range from the other end's year."""
    ra, rb = a.raw, b.raw
    if a.rebind and not a.absolute and rb is not None:
        y = rb[0].year
        if a.month is not None and a.month > rb[0].month:
            y -= 1
        ra = a.rebind(y) or ra
    elif b.rebind and not b.absolute and ra is not None:
        y = ra[1].year
        if b.month is not None and b.month < ra[1].month:
            y += 1
        rb = b.rebind(y) or rb
    return ra, rb


def _coarser(p: str, q: str) -> str:
    return p if _RANK[p] >= _RANK[q] else q


def _join(text: str, a: _Hit, b: _Hit) -> _Hit | None:
    """Join two neighbouring hits into a range when the text between and before them says so."""
    gap = " ".join(text[a.end:b.start].lower().split())
    before = text[max(0, a.start - _LOOKBACK):a.start]
    start = a.start
    if gap == "and" and (m := _PRE_BETWEEN.search(before)):
        start = a.start - (len(before) - m.start())
    elif gap in ("to", "until", "till", "through", "-", "–", "—") and (m := _PRE_FROM.search(before)):
        start = a.start - (len(before) - m.start())
    elif gap in ("-", "–", "—", "through"):
        pass
    elif a.kind == b.kind == "year" and gap in ("and", ",", ", and", "or", "&", "to", "until"):
        pass
    elif a.kind == b.kind == "month" and gap in ("and", ",", ", and", "or", "&"):
        pass
    else:
        return None
    ra, rb = _inherit(a, b)
    if ra is None or rb is None or rb[1] < ra[0]:
        return None
    raw = (ra[0], rb[1], _coarser(ra[2], rb[2]))
    return _Hit(start, b.end, raw, absolute=a.absolute and b.absolute, kind=a.kind if a.kind == b.kind else "")


def _combine(text: str, hits: list[_Hit], ctx: _Ctx) -> list[_Hit]:
    """Ranges and lists, "N years after <date>", then "since <date>"; drop unjoined weak hits."""
    out: list[_Hit] = []
    for h in hits:
        if out and (j := _join(text, out[-1], h)) is not None:
            out[-1] = j
        else:
            out.append(h)
    res = []
    for h in out:
        if h.weak:
            continue
        before = text[max(0, h.start - _LOOKBACK):h.start]
        m = _PRE_AFTER.search(before)
        if m and h.absolute and h.raw is not None:
            n = _num(m.group("n"))
            if n is not None:
                n *= 10 if m.group("unit").lower().startswith("decade") else 1
                y = h.raw[0].year + (-n if m.group("dir").lower() == "before" else n)
                res.append(_Hit(h.start - (len(before) - m.start()), h.end, (date(y, 1, 1), date(y, 12, 31), "year"),
                                absolute=True))
                continue
        m = _PRE_SINCE.search(before)
        if m and h.raw is not None:
            end = ctx.pub_end or h.raw[1]
            h = _Hit(h.start - (len(before) - m.start()), h.end, (h.raw[0], max(end, h.raw[0]), h.raw[2]),
                     absolute=h.absolute, open_ended=True)
        res.append(h)
    return res


def _finalize(text: str, h: _Hit, ctx: _Ctx) -> DateValue | None:
    """Apply the never-after-publication rule (past=True) and build the record."""
    if h.raw is None:
        return None
    s, e, prec = h.raw
    if ctx.past and ctx.pub_end is not None:
        if s > ctx.pub_end:
            return None
        e = min(e, ctx.pub_end)
    return DateValue(s, e, prec, text[h.start:h.end], h.open_ended)


# --------------------------------------------------------------------------- public API


def find_dates(text: str, published: str | None, *, past: bool = True) -> list[tuple[int, int, DateValue]]:
    """Every date expression in `text` resolved against `published`: (start, end, value) in text order.

    Overlapping candidates are settled longest first; expressions that are recognised but cannot be
    resolved (e.g. "yesterday" without a publication day) are dropped, and hide nothing inside them.
    """
    ctx = _ctx(published, past)
    out = []
    for h in _combine(text, _select(_candidates(text, ctx)), ctx):
        v = _finalize(text, h, ctx)
        if v is not None:
            out.append((h.start, h.end, v))
    return out


_CASE_RE = re.compile(r"\b(?:" + "|".join(_MONTH_NAMES + _WEEKDAYS)
                      + r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b", re.IGNORECASE)
_BARE_RE = re.compile(rf"^\W*(?:(?:19|20)\d\d|{M_FULL}|(?:the\s+)?{SEASON})\W*$", re.IGNORECASE)


def resolve_date(expr: str, published: str | None, *, past: bool = True) -> DateValue | None:
    """Resolve one date expression; the longest date found in it, or None.

    Month and weekday names are accepted in any case here; a bare year, month or season ("1999",
    "June") is read as if preceded by "in".
    """
    text = _CASE_RE.sub(lambda m: m.group().capitalize(), expr.strip())
    found = find_dates(text, published, past=past)
    if not found and _BARE_RE.match(text):
        found = [(s - 3, e - 3, v) for s, e, v in find_dates("in " + text, published, past=past)]
        found = [(s, e, replace(v, text=text[max(s, 0):e])) for s, e, v in found]
    if not found:
        return None
    s, e, v = max(found, key=lambda t: t[1] - t[0])
    return v
