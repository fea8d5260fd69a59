"""Fatality and injury counts from one sentence that reports an event (ACLED-style rules).

``parse_casualties(text)`` finds the figures a death or injury word governs and returns the
best, lowest and highest fatality figure, the injured count and the character spans used.
It is rule-based (no parser), so it runs on any clause the event extractor hands it.

How figures are read:

* Numbers in digits ("13", "2,000", "1.5 million") and words ("three", "twenty-one",
  "a hundred", "one hundred and twenty", "two dozen", "half a dozen").
* Vague quantities take their lowest reading and are lower bounds: "dozens" = 12,
  "scores" = 20, "hundreds" = 100, "thousands" = 1000, "tens of thousands" = 10000,
  "several" = 3 ("several hundred" = 300), "tens" = 10. "A dozen" = 12, "a score" = 20,
  "a handful" = 3, "a few" = 2 and "a couple" = 2 are taken as stated. "Many", "numerous"
  and "a number of" are not figures: no count comes from them (ACLED codes 10 there; we
  leave it to the analyst). "Casualties" alone is not a death word (it mixes dead and hurt).
* Qualifiers: "at least / more than / over" give a lower bound (best = low = the figure,
  high = None, as ACLED takes the stated number); "up to / as many as / at most" an upper
  bound (best = high = the figure, low = None); "about / nearly / some / an estimated" are
  taken as stated (low = high = best).
* Several figures for the same killed group ("between 60 and 90", "60 to 90", "two or three",
  "at least 60, possibly more than 100") give best = low = the lowest figure, high = the
  highest. Figures for different groups under one death word ("killed 13 U.S. service members
  and at least 60 Afghans") are summed. Separate statements are summed when they name
  different groups ("two soldiers were killed and five civilians died"), otherwise they are
  alternative tolls of the same event and the lowest is kept ("killed 13 people ... the death
  toll rose to 20" -> best 13, high 20). "The death toll rose from 13 to 20" keeps 20.
* Subsets are not added: "killed 15, including 13 soldiers", "5 of them children". When the
  only figures are subsets ("among the dead were 13 soldiers") their sum is a lower bound.
* Injured (wounded, injured, hurt, injuries) is kept apart, never added to fatalities.
* Not counted: numbers with no death or injury word governing them, years, dates, times,
  money, ages, durations ("two decades"), identifiers ("Resolution 2255", "District 13",
  "COVID-19"), compound modifiers ("a 13-member team"), ordinals, and the attackers' own death
  ("the suicide bomber was killed", "killing himself", "two gunmen were killed").
* "No one was killed", "no casualties", "no deaths" give 0; "no immediate reports of
  casualties" gives nothing (unknown), as does "no casualties were immediately reported".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Casualties", "parse_casualties"]


@dataclass(frozen=True)
class Casualties:
    """What one sentence says about the dead and the hurt.

    ``best`` is the conservative fatality figure (the lowest stated), ``low``/``high`` the
    lowest and highest figures stated (``high`` is None for an open "at least"), ``injured``
    the injured count, ``spans`` the character spans of the figures used.
    """

    best: int | None = None
    low: int | None = None
    high: int | None = None
    injured: int | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


# --------------------------------------------------------------------------- vocabulary

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
VAGUE = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "tens": 10, "several": 3}
ARTICLE_QUANT = {"dozen": 12, "score": 20, "handful": 3, "few": 2, "couple": 2}

MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
          "sept", "oct", "nov", "dec"}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
UNIT_AFTER = {
    "year", "years", "decade", "decades", "month", "months", "week", "weeks", "day", "days", "hour",
    "hours", "minute", "minutes", "second", "seconds", "night", "nights", "times", "percent", "per", "%",
    "km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "metres", "meters", "m",
    "feet", "ft", "am", "pm", "a.m", "p.m", "o'clock", "dollars", "dollar", "usd", "afghanis", "afs",
    "rupees", "euros", "pounds", "tons", "tonnes", "kg", "kilograms", "billion", "mph", "votes", "seats",
    "kms", "acres", "hectares", "th", "st", "nd", "rd",
}
LABEL_BEFORE = {
    "resolution", "resolutions", "article", "articles", "no", "number", "district", "pd", "flight", "route",
    "highway", "road", "gate", "terminal", "camp", "unit", "brigade", "division", "battalion", "corps",
    "regiment", "page", "section", "chapter", "paragraph", "item", "room", "level", "phase", "code", "covid",
    "#", "$", "£", "€", "aged", "age", "ages", "version", "vol", "volume", "issue", "zone", "sector", "block",
    "hall", "ward", "grade", "class", "act", "decree", "clause", "annex",
}
PEOPLE_PLURAL = {"people", "persons", "civilians", "soldiers", "troops", "fighters", "militants", "policemen",
                 "children", "women", "men"}

MIN_QUAL = [("at", "the", "very", "least"), ("at", "least"), ("no", "fewer", "than"), ("no", "less", "than"),
            ("not", "less", "than"), ("not", "fewer", "than"), ("more", "than"), ("well", "over"),
            ("just", "over"), ("over",), ("upwards", "of"), ("in", "excess", "of"), ("greater", "than"),
            ("a", "minimum", "of"), ("a", "minimum")]
MAX_QUAL = [("up", "to"), ("as", "many", "as"), ("at", "most"), ("no", "more", "than"), ("not", "more", "than"),
            ("fewer", "than"), ("less", "than"), ("under",), ("a", "maximum", "of"), ("as", "much", "as")]
APPROX_QUAL = [("about",), ("around",), ("approximately",), ("roughly",), ("some",), ("nearly",), ("almost",),
               ("close", "to"), ("an", "estimated"), ("estimated",), ("a", "total", "of"), ("another",),
               ("a", "further"), ("an", "additional"), ("all",), ("only",), ("just",), ("exactly",),
               ("officially",), ("reportedly",)]
QUALIFIERS = sorted([(q, "min") for q in MIN_QUAL] + [(q, "max") for q in MAX_QUAL]
                    + [(q, "approx") for q in APPROX_QUAL], key=lambda p: -len(p[0]))

DEATH_FWD = [("killed",), ("killing",), ("kill",), ("kills",), ("massacred",), ("massacring",),
             ("slaughtered",), ("slaughtering",), ("executed",), ("executing",), ("beheaded",), ("beheading",),
             ("murdered",), ("murdering",), ("shot", "dead"), ("shooting", "dead"), ("gunned", "down"),
             ("gunning", "down"), ("claimed", "the", "lives", "of"), ("claiming", "the", "lives", "of"),
             ("took", "the", "lives", "of"), ("taking", "the", "lives", "of"), ("cost", "the", "lives", "of"),
             ("costing", "the", "lives", "of"), ("the", "deaths", "of"), ("the", "death", "of"),
             ("deaths", "of"), ("killed", "off")]
INJURY_FWD = [("wounded",), ("wounding",), ("wound",), ("wounds",), ("injured",), ("injuring",), ("injure",),
              ("injures",), ("hurt",), ("hurting",), ("maimed",), ("maiming",)]
DEATH_AFTER = {"killed", "dead", "died", "die", "dies", "slain", "martyred", "perished", "executed", "beheaded",
               "murdered", "assassinated", "massacred", "slaughtered"}
INJURY_AFTER = {"wounded", "injured", "hurt", "maimed", "hospitalized", "hospitalised"}
DEATH_NOUNS = {"deaths", "fatalities", "bodies", "corpses"}
INJURY_NOUNS = {"injuries"}
LIVES_VERBS = {"claimed", "claiming", "claim", "claims", "took", "taking", "take", "takes", "cost", "costing",
               "costs", "lost"}
AUX_SKIP = {"were", "was", "are", "is", "have", "has", "had", "been", "be", "being", "reportedly", "also", "all",
            "may", "might", "could", "would", "will", "must",
            "both", "later", "since", "subsequently", "confirmed", "reported", "believed", "feared", "thought",
            "said", "known", "to", "now", "each", "allegedly", "apparently", "presumed", "left", "found",
            "instantly", "immediately", "then", "officially"}
OBJECT_START = {"a", "an", "the", "his", "her", "their", "its", "at", "more", "over", "nearly", "about", "some",
                "dozens", "scores", "hundreds", "thousands", "several", "him", "them", "up", "as", "no", "another",
                "all", "two", "three", "four", "five"}
ATTACKERS = {"bomber", "bombers", "attacker", "attackers", "assailant", "assailants", "gunman", "gunmen",
             "perpetrator", "perpetrators", "hijacker", "hijackers"}
REFLEXIVE = {"himself", "herself", "themselves", "itself"}
GENERIC = {"people", "persons", "person", "others", "other", "individuals", "victims", "deaths", "fatalities",
           "lives", "bodies", "corpses", "souls", "more", "in", "total", "all"}
PERSON_SINGULAR = {
    "person", "man", "woman", "child", "boy", "girl", "baby", "infant", "civilian", "soldier", "policeman",
    "policewoman", "officer", "guard", "worker", "journalist", "reporter", "commander", "leader", "official",
    "member", "fighter", "militant", "student", "teacher", "cleric", "imam", "mullah", "doctor", "nurse",
    "driver", "passenger", "worshipper", "farmer", "shepherd", "resident", "villager", "judge", "prosecutor",
    "lawyer", "employee", "contractor", "spokesman", "spokesperson", "governor", "marine", "trooper",
    "serviceman", "servicewoman", "citizen", "tourist", "pilgrim", "activist", "elder",
    "pedestrian", "bystander", "shopkeeper", "trader", "vendor", "engineer", "diplomat", "translator",
    "interpreter", "deputy", "mayor", "lawmaker", "senator", "candidate", "prisoner", "detainee", "hostage",
    "relative", "son", "daughter", "father", "mother", "brother", "sister", "wife", "husband", "teenager",
    "youth", "bodyguard", "militiaman", "sergeant", "captain", "colonel", "lieutenant",
    "corporal", "agent", "staffer", "volunteer", "medic", "paramedic", "photographer",
    "cameraman", "priest", "monk", "sailor", "airman", "pilot", "commando",
    "bomber", "attacker", "assailant", "gunman", "perpetrator",
}
NP_STOP = {
    "was", "were", "is", "are", "be", "been", "being", "have", "has", "had", "will", "would", "could", "may",
    "might", "must", "did", "do", "does", "and", "or", "but", "nor", "in", "on", "at", "by", "from", "with",
    "without", "when", "after", "before", "as", "including", "while", "during", "near", "who", "which", "that",
    "whom", "whose", "where", "to", "for", "into", "across", "since", "than", "over", "under", "among", "amid",
    "along", "inside", "outside", "between", "through", "against", "following", "per", "via", "because", "if",
    "so", "the", "a", "an", "this", "these", "those", "their", "its", "his", "her", "our", "it", "they", "he",
    "she", "we", "reportedly", "also", "all", "both", "each", "said", "say", "says", "according", "more",
    "most", "less", "least", "possibly", "perhaps", "maybe", "probably", "likely", "even", "not", "no", "only",
    "just", "about", "around", "nearly", "almost", "some", "up", "last", "later", "earlier", "yesterday",
    "today", "tonight", "overnight", "killed", "killing", "kill", "kills", "dead", "died", "die", "dies",
    "dying", "slain", "martyred", "perished", "executed", "beheaded", "murdered", "assassinated", "wounded",
    "wounding", "injured", "injuring", "hurt", "hurting", "maimed", "lost", "left", "shot", "gunned",
    "suffered", "sustained", "himself", "herself", "themselves", "itself", "them", "him", "there", "then",
    "of", "toll", "besides", "plus", "again", "too", "instantly", "immediately", "confirmed",
    "massacred", "slaughtered", "hospitalized", "hospitalised", "officially",
} | WEEKDAYS | MONTHS
TOLL_LINK = {"to", "at", "of", "was", "is", "reached", "reaches", "hit", "hits", ":", "now", "topped", "passed",
             "exceeded", "surpassed", "stands", "stood", "be", "been", "numbered", "past", "climbed", "rose",
             "jumped", "risen", "reach", "put", "stand", "around", "about", "includes"}
RISE_VERBS = {"rose", "risen", "rises", "rising", "climbed", "climbs", "increased", "jumped", "grew", "grown",
              "went", "gone", "revised", "raised", "rise", "climb"}
HEDGES = {"possibly", "perhaps", "maybe", "probably", "likely", "even", "reportedly"}
ZERO_DEATH_NOUNS = [("casualties",), ("deaths",), ("fatalities",), ("loss", "of", "life"), ("lives", "lost"),
                    ("lives", "were", "lost"), ("one", "died"), ("dead",), ("injuries",), ("one", "hurt")]

_TOKEN = re.compile(
    r"(?P<ord>\d+(?:st|nd|rd|th)\b)"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"|(?P<word>[A-Za-z]+(?:['\u2019][A-Za-z]+)*)"
    r"|(?P<punct>\S)"
)


@dataclass
class _Tok:
    low: str
    text: str
    start: int
    end: int
    kind: str  # ord | num | word | punct


@dataclass
class _Fig:
    i: int  # first token (qualifier included)
    j: int  # one past the last token
    best: int
    low: int | None
    high: int | None
    np: list[str] = field(default_factory=list)
    np_end: int = 0
    label: str | None = None  # killed | injured
    role: str = "main"  # main | subset | attacker | dropped
    chain: int = -1
    via: str = ""  # fwd | back | toll | coord-fwd | coord-back | subset
    subset_after: bool = False
    singular: bool = False  # "a policeman": the span runs to the noun
    comma_after: bool = False  # the noun phrase starts after a comma that closes a hedged range
    subset_label: str | None = None
    alts: list[_Fig] = field(default_factory=list)  # hedged higher figures ("possibly more than 100")


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        out.append(_Tok(m.group().lower().replace("\u2019", "'"), m.group(), m.start(), m.end(), m.lastgroup or ""))
    return out


def _adjacent(toks: list[_Tok], a: int, b: int) -> bool:
    return 0 <= a < len(toks) and 0 <= b < len(toks) and toks[a].end == toks[b].start


def _before(toks: list[_Tok], idx: int, phrase: tuple[str, ...]) -> bool:
    """True when the tokens just before ``idx`` spell ``phrase``."""
    n = len(phrase)
    return idx - n >= 0 and tuple(t.low for t in toks[idx - n:idx]) == phrase


def _at(toks: list[_Tok], idx: int, phrase: tuple[str, ...]) -> bool:
    """True when the tokens from ``idx`` spell ``phrase``."""
    return tuple(t.low for t in toks[idx:idx + len(phrase)]) == phrase


def _low(toks: list[_Tok], idx: int) -> str:
    return toks[idx].low if 0 <= idx < len(toks) else ""


# --------------------------------------------------------------------------- numbers


def _word_number(toks: list[_Tok], i: int, current: int = 0, last: str | None = None) -> tuple[int, int] | None:
    """A number written in words from token ``i``: (value, end index) or None."""
    total, cur, j, n = 0, current, i, len(toks)
    start = i
    while j < n:
        w = toks[j].low
        if w in TENS and last in (None, "scale", "and"):
            cur += TENS[w]
            last = "tens"
            j += 1
            if (j + 1 < n and toks[j].low == "-" and _adjacent(toks, j - 1, j) and _adjacent(toks, j, j + 1)
                    and 1 <= UNITS.get(toks[j + 1].low, 0) <= 9):
                cur += UNITS[toks[j + 1].low]
                last = "unit"
                j += 2
        elif w in UNITS and last in (None, "scale", "and"):
            cur += UNITS[w]
            last = "unit"
            j += 1
        elif w == "hundred" and last in ("unit", "tens"):
            cur = max(cur, 1) * 100
            last = "scale"
            j += 1
        elif w in ("thousand", "million") and last in ("unit", "tens", "scale"):
            total += max(cur, 1) * SCALES[w]
            cur = 0
            last = "scale"
            j += 1
        elif w == "and" and last == "scale" and j + 1 < n and (toks[j + 1].low in UNITS or toks[j + 1].low in TENS):
            last = "and"
            j += 1
        elif w == "dozen" and last in ("unit", "tens"):
            cur *= 12
            j += 1
            break
        else:
            break
    if j == start:
        return None
    return total + cur, j


def _number(toks: list[_Tok], i: int) -> tuple[int, int, str] | None:
    """The number starting at token ``i``: (value, end index, kind) with kind exact | vague, or None."""
    t = toks[i]
    w = t.low
    nxt = _low(toks, i + 1)
    if t.kind == "num":
        raw = w.replace(",", "")
        if "," not in w and len(raw) > 1 and raw.startswith("0"):
            return None
        value = float(raw)
        j = i + 1
        if nxt in SCALES or nxt == "dozen":
            value *= 12 if nxt == "dozen" else SCALES[nxt]
            j += 1
        elif "." in raw:
            return None
        return int(value), j, "exact"
    if w == "half" and _at(toks, i + 1, ("a", "dozen")):
        return 6, i + 3, "exact"
    if w in ("a", "an"):
        if nxt in ("hundred", "thousand", "million"):
            got = _word_number(toks, i + 2, current=SCALES[nxt] if nxt == "hundred" else 0, last="scale")
            if nxt != "hundred":
                got = (SCALES[nxt] + (got[0] if got else 0), got[1] if got else i + 2)
            return (got[0], got[1], "exact") if got else (SCALES[nxt], i + 2, "exact")
        if nxt in ARTICLE_QUANT:
            after = _low(toks, i + 2)
            if nxt in ("few", "couple") and after in ("hundred", "thousand", "dozen"):
                return ARTICLE_QUANT[nxt] * (12 if after == "dozen" else SCALES[after]), i + 3, "vague"
            return ARTICLE_QUANT[nxt], i + 2, "exact"
        return None
    if w in VAGUE:
        value = VAGUE[w]
        j = i + 1
        if w in ("tens", "hundreds") and nxt == "of" and _low(toks, i + 2) == "thousands":
            return value * 1000, i + 3, "vague"
        if w == "several" and (nxt in SCALES or nxt == "dozen"):
            return 3 * (12 if nxt == "dozen" else SCALES[nxt]), i + 2, "vague"
        if w in ("tens", "scores") and nxt != "of" and nxt not in AUX_SKIP | DEATH_AFTER | INJURY_AFTER:
            return None  # "tens" and "scores" are figures in "tens of", "scores of", "scores were killed"
        return value, j, "vague"
    if w in UNITS or w in TENS:
        got = _word_number(toks, i)
        if got:
            return got[0], got[1], "exact"
    return None


def _excluded(toks: list[_Tok], i: int, j: int) -> bool:
    """Numbers that are not counts of people: years, dates, times, money, ages, ids, modifiers."""
    t = toks[i]
    prev, nxt = _low(toks, i - 1), _low(toks, j)
    if t.low == "one" and (prev in ("no", "any", "every", "each", "the", "this", "that", "which")
                           or nxt in ("another", "day", "way", "side")):
        return True
    if prev in LABEL_BEFORE and t.kind == "num":
        return True
    if prev in ("$", "£", "€", "usd", "rs", "afn"):
        return True
    if prev in MONTHS and i > 0 and toks[i - 1].text[0].isupper() and t.kind == "num":
        return True
    if prev == "." and _low(toks, i - 2) in MONTHS and toks[i - 2].text[0].isupper() and t.kind == "num":
        return True  # "Aug. 26"
    if nxt in MONTHS and toks[j].text[0].isupper():
        return True
    if nxt in UNIT_AFTER:
        return True
    if nxt == "-" and _adjacent(toks, j - 1, j) and _adjacent(toks, j, j + 1) and toks[j + 1].kind == "word":
        if toks[j + 1].low not in ("plus",) and toks[j + 1].low not in UNITS and toks[j + 1].low not in TENS:
            return True  # "a 13-member team", "a two-day siege", "25-year-old"
    if nxt in (":", "/", ".") and _adjacent(toks, j - 1, j) and _adjacent(toks, j, j + 1) and j + 1 < len(toks) \
            and toks[j + 1].kind == "num":
        return True  # 10:30, 9/11, 1.2.3
    if prev in ("-", "/", ":", "#") and _adjacent(toks, i - 1, i) and i >= 2 and _adjacent(toks, i - 2, i - 1):
        before = toks[i - 2]
        if before.kind == "word" or prev in ("/", ":", "#"):
            return True  # COVID-19, F-16, 9/11
        if before.kind == "num" and len(before.low) == 4 and before.low.isdigit():
            return True  # 2021-08
    if t.kind == "num":
        raw = t.low.replace(",", "")
        if "," not in t.low and len(raw) == 4 and 1800 <= int(raw) <= 2100 and nxt not in PEOPLE_PLURAL:
            return True  # a year
    return False


def _qualify(toks: list[_Tok], i: int, j: int, value: int, kind: str) -> _Fig:
    """The figure with its qualifier ("at least", "up to", "or more" ...)."""
    qual = "vague" if kind == "vague" else "exact"
    start = i
    for phrase, q in QUALIFIERS:
        if _before(toks, i, phrase):
            start = i - len(phrase)
            if q != "approx":
                qual = q
            break
    end = j
    if _at(toks, j, ("or", "more")) or _at(toks, j, ("-", "plus")) or _at(toks, j, ("+",)) or _at(toks, j, ("plus",)):
        end = j + (1 if toks[j].low in ("+", "plus") else 2)
        qual = "min"
    elif _at(toks, j, ("or", "so")):
        end = j + 2
    if qual in ("min", "vague"):
        return _Fig(start, end, value, value, None)
    if qual == "max":
        return _Fig(start, end, value, None, value)
    return _Fig(start, end, value, value, value)


def _figures(toks: list[_Tok]) -> list[_Fig]:
    """Every count of people the sentence states, qualifiers and ranges merged."""
    figs: list[_Fig] = []
    used: set[int] = set()
    i, n = 0, len(toks)
    while i < n:
        if toks[i].low in ("no", "nobody", "none") or toks[i].kind == "ord":
            i += 1 + (toks[i].low == "no" and _low(toks, i + 1) == "one")
            continue
        got = _number(toks, i)
        if got is None:
            i += 1
            continue
        value, j, kind = got
        if _excluded(toks, i, j):
            i = j
            continue
        figs.append(_qualify(toks, i, j, value, kind))
        used.update(range(i, j))
        i = j
    figs.extend(_singulars(toks, used))
    figs.sort(key=lambda f: f.i)
    return _merge_ranges(toks, figs)


def _singulars(toks: list[_Tok], used: set[int]) -> list[_Fig]:
    """"A policeman was killed", "killing an elder": an article before a person noun counts one."""
    out = []
    for i, t in enumerate(toks):
        if t.low not in ("a", "an") or i in used:
            continue
        k, words = i + 1, 0
        while k < len(toks) and words < 5:
            w = toks[k]
            if w.kind == "num" and _at(toks, k + 1, ("-", "year", "-", "old")):
                k += 5
                continue
            if w.kind == "word" and w.low not in NP_STOP and w.low not in UNITS:
                if w.low in PERSON_SINGULAR and _low(toks, k + 1) not in PERSON_SINGULAR:
                    out.append(_Fig(i, i + 1, 1, 1, 1, singular=True))
                    break
                k += 1
                words += 1
                continue
            if w.low in ("-", ".") and _adjacent(toks, k - 1, k):
                k += 1
                continue
            break
    return out


def _merge_ranges(toks: list[_Tok], figs: list[_Fig]) -> list[_Fig]:
    """Merge "between 60 and 90", "60 to 90", "two or three", "60, possibly more than 100"."""
    out: list[_Fig] = []
    for f in figs:
        if out:
            a = out[-1]
            gap = [t.low for t in toks[a.j:f.i]]
            between = _before(toks, a.i, ("between",)) and gap == ["and"]
            fromto = _before(toks, a.i, ("from",)) and gap == ["to"]
            simple = gap in (["to"], ["-"], ["\u2013"], ["\u2014"], ["or"], ["and", "/", "or"])
            lead = 0  # "at least 60 people, possibly more than 100": the first figure's noun may come first
            while lead < len(gap) and toks[a.j + lead].kind == "word" and gap[lead] not in NP_STOP:
                lead += 1
            rest = gap[lead:]
            core = [w for w in rest if w not in (",", "(", ")", "and", "or", "but", "if", "not")]
            hedged = (bool(core) and all(w in HEDGES for w in core) and len(rest) <= 4
                      and (lead == 0 or rest[0] in (",", "(")))
            if between or fromto or simple or hedged:
                if fromto and _low(toks, a.i - 2) in RISE_VERBS:
                    a.role = "dropped"  # "the toll rose from 13 to 20": 20 is the figure
                    out.append(f)
                    continue
                stated = [x for x in (a.low, a.high, f.low, f.high) if x is not None]
                lo, hi = min(stated), max(stated)
                merged = _Fig(a.i - (1 if between or fromto else 0), f.j, lo, lo, hi)
                merged.comma_after = hedged and _at(toks, merged.j, (",",))  # "..., possibly 100, people were killed"
                out[-1] = merged
                continue
        out.append(f)
    return out


# --------------------------------------------------------------------------- labelling


def _noun_phrase(toks: list[_Tok], f: _Fig) -> None:
    """The words naming who the figure counts ("U.S. service members", "of civilians")."""
    k, n = f.j + f.comma_after, len(toks)
    if _low(toks, k) == "of":
        if _low(toks, k + 1) in ("them", "whom", "those", "which"):
            f.subset_after = True
            f.np_end = k + 2
            return
        m = k + 1 + (_low(toks, k + 1) == "the")
        if _low(toks, m) in ("dead", "killed", "victims", "fatalities", "wounded", "injured"):
            f.subset_after = True  # "2 of the dead were children"
            f.subset_label = "injured" if toks[m].low in ("wounded", "injured") else "killed"
            f.np_end = m + 1
            return
        k += 2 if _low(toks, k + 1) == "the" else 1
    words: list[str] = []
    seen_of = False
    while k < n and len(words) < 8:
        t = toks[k]
        if t.kind == "num" and _at(toks, k + 1, ("-", "year", "-", "old")):
            k += 5
            continue
        if t.kind == "word" and t.low not in NP_STOP and t.low not in UNITS and t.low not in TENS:
            words.append(t.low)
            k += 1
        elif t.low == "." and words and len(toks[k - 1].low) == 1 and _adjacent(toks, k - 1, k):
            k += 1
        elif t.low in ("-", "'") and words and _adjacent(toks, k - 1, k) and _adjacent(toks, k, k + 1):
            k += 1
        elif t.low == "of" and words and not seen_of and words[-1] in PERSON_SINGULAR | {"members"}:
            seen_of = True
            k += 2 if _low(toks, k + 1) == "the" else 1
        else:
            break
    f.np = words
    f.np_end = k


def _cue_after(toks: list[_Tok], k: int, figs_at: set[int]) -> str | None:
    """A death or injury word after the figure's noun phrase ("were killed", "dead", "wounded")."""
    n = len(toks)
    if _low(toks, k) == ",":  # an aside: "13 people, including children, were killed"
        for m in range(k + 1, min(n, k + 10)):
            if toks[m].low == ",":
                k = m + 1
                break
    skipped = False
    while k < n and toks[k].low in AUX_SKIP:
        k += 1
        skipped = True
    w = _low(toks, k)
    if w in DEATH_AFTER:
        if w == "killed" and not skipped and (_low(toks, k + 1) in OBJECT_START or (k + 1) in figs_at):
            return None  # "13 gunmen killed 5 soldiers": active verb, not this figure's death
        return "killed"
    if w == "lost" and _at(toks, k + 1, ("their", "lives")):
        return "killed"
    if w in ("shot", "gunned") and _low(toks, k + 1) in ("dead", "down", "and"):
        return "killed"
    if w in INJURY_AFTER:
        return "injured"
    if w in ("suffered", "sustained") and _low(toks, k + 1) in ("injuries", "wounds", "injury"):
        return "injured"
    return None


def _cue_before(toks: list[_Tok], i: int) -> str | None:
    """A death or injury verb just before the figure ("killed 13", "wounding 18")."""
    if _low(toks, i - 1) == "and" and _low(toks, i - 2) in REFLEXIVE:
        i -= 2  # "killing himself and 12 others"
    if any(_before(toks, i, p) for p in DEATH_FWD):
        return "killed"
    if any(_before(toks, i, p) for p in INJURY_FWD):
        return "injured"
    return None


def _subset_before(toks: list[_Tok], i: int) -> tuple[bool, str | None]:
    """"including 13 soldiers", "among the dead were 13": (is a subset, label the context gives)."""
    skip = {"were", "are", "was", "is", "the", "those", "them", "whom", "dead", "killed", "wounded", "injured",
            "victims", "casualties", "included", "include", "includes"}
    seen = []
    k = i - 1
    while k >= 0 and toks[k].low in skip and len(seen) < 5:
        seen.append(toks[k].low)
        k -= 1
    stop = _low(toks, k)
    if stop in ("including", "among", "incl") or any(w in ("included", "include", "includes") for w in seen):
        if any(w in ("dead", "killed", "victims") for w in seen):
            return True, "killed"
        if any(w in ("wounded", "injured") for w in seen):
            return True, "injured"
        return True, None
    return False, None


def _toll_cues(toks: list[_Tok]) -> list[tuple[int, str]]:
    """Positions after "death toll" / "the number of dead" from which a toll figure is looked for."""
    out = []
    for k, t in enumerate(toks):
        if t.low == "toll":
            label = "injured" if _low(toks, k - 1) in ("injury", "injuries") else "killed"
            if _low(toks, k - 1) != "casualty":
                out.append((k + 1, label))
        elif t.low == "number" and _low(toks, k + 1) == "of":
            m = k + 2 + (_low(toks, k + 2) == "the")
            w = _low(toks, m)
            if w in ("people", "those") and _low(toks, m + 1) in ("killed", "dead", "wounded", "injured"):
                m += 1
                w = _low(toks, m)
            if w in ("dead", "deaths", "fatalities", "killed", "victims"):
                out.append((m + 1, "killed"))
            elif w in ("wounded", "injured", "injuries"):
                out.append((m + 1, "injured"))
    return out


def _label(toks: list[_Tok], figs: list[_Fig]) -> None:
    """Give each figure its label (killed | injured), role and chain."""
    starts = {f.i for f in figs}
    chain = 0
    for f in figs:
        _noun_phrase(toks, f)
    for f in figs:
        if f.role == "dropped":
            continue
        if any(w in ATTACKERS for w in f.np):
            f.role = "attacker"
        is_subset, ctx = _subset_before(toks, f.i)
        label, via = _cue_before(toks, f.i), "fwd"
        if label is None:
            label, via = _cue_after(toks, f.np_end, starts), "back"
        if label is None and any(w in DEATH_NOUNS for w in f.np):
            label, via = "killed", "back"
        if label is None and any(w in INJURY_NOUNS for w in f.np):
            label, via = "injured", "back"
        if label is None and f.np and f.np[-1] == "lives" and (
                _low(toks, f.i - 1) in LIVES_VERBS or _low(toks, f.np_end) in ("lost", "were")):
            label, via = "killed", "back"
        if is_subset or f.subset_after:
            f.role = "subset" if f.role == "main" else f.role
            label = label or ctx or f.subset_label
            via = "subset"
        if label:
            f.label, f.via, f.chain = label, via, chain
            chain += 1
    for pos, label in _toll_cues(toks):
        for f in figs:
            if f.i < pos or f.role == "dropped":
                continue
            if f.i - pos > 15 or any(t.low in (".", ";") for t in toks[pos:f.i]):
                break
            if f.label is None and _low(toks, f.i - 1) in TOLL_LINK:
                f.label, f.via, f.chain = label, "toll", chain
                chain += 1
                break
    _coordinate(toks, figs)
    _hedged_alternatives(toks, figs)
    for f in figs:  # subsets with no context of their own take the nearest labelled figure's label
        if f.role == "subset" and f.label is None:
            prev = [g for g in figs if g.i < f.i and g.label and g.role == "main"]
            if prev:
                f.label, f.chain = prev[-1].label, prev[-1].chain


def _hedged_alternatives(toks: list[_Tok], figs: list[_Fig]) -> None:
    """"At least 60 people were killed, possibly more than 100": the later figure raises ``high``."""
    for n, f in enumerate(figs):
        if f.label is not None or f.role != "main":
            continue
        k = f.i
        if _low(toks, k - 1) not in HEDGES:
            continue
        k -= 1
        while _low(toks, k - 1) in (",", "and", "or", "but", "("):
            k -= 1
        prev = [g for g in figs[:n] if g.label and g.role == "main"]
        if not prev:
            continue
        g = prev[-1]
        between = toks[g.j:k]
        if len(between) > 8 or any(t.low in (".", ";") for t in between) or any(g.j <= h.i < k for h in figs):
            continue
        stated = [x for x in (g.high, g.best, f.low, f.high) if x is not None]
        g.high = max(stated)
        g.alts.append(f)
        f.role = "dropped"


CONNECTORS = [["and"], [","], [",", "and"], ["as", "well", "as"], ["plus"], ["along", "with"], ["and", "also"],
              [",", "as", "well", "as"], [",", "plus"]]


def _coordinate(toks: list[_Tok], figs: list[_Fig]) -> None:
    """Figures joined by "and" or a comma share the death or injury word of their neighbour."""
    live = [f for f in figs if f.role != "dropped"]
    changed = True
    while changed:
        changed = False
        for a, b in zip(live, live[1:], strict=False):
            gap = [t.low for t in toks[a.np_end:b.i]]
            if gap not in CONNECTORS:
                continue
            if b.label is None and a.label and a.via in ("fwd", "coord-fwd", "toll", "subset"):
                b.label, b.chain, b.via = a.label, a.chain, "coord-fwd" if a.via != "subset" else "subset"
                if a.role == "subset" and b.role == "main":
                    b.role = "subset"
                changed = True
            elif a.label is None and b.label and b.via in ("back", "coord-back"):
                a.label, a.chain, a.via = b.label, b.chain, "coord-back"
                changed = True


# --------------------------------------------------------------------------- zero and totals


def _zeros(toks: list[_Tok]) -> tuple[bool, bool, list[tuple[int, int]]]:
    """"No one was killed", "no casualties", "killing no one": (killed is 0, injured is 0, spans)."""
    killed = injured = False
    spans = []
    n = len(toks)
    for i, t in enumerate(toks):
        w = t.low
        subject = (w == "no" and _low(toks, i + 1) == "one") or w in ("nobody", "none")
        if not (subject or w in ("no", "without")):
            continue
        k = i + (2 if w == "no" and _low(toks, i + 1) == "one" else 1)
        if w in ("no", "without") and not subject:
            if _low(toks, k) == "any":
                k += 1
            hit = next((p for p in ZERO_DEATH_NOUNS if _at(toks, k, p)), None)
            if hit is None:  # "no civilians were killed"
                m = k
                while m < n and m - k < 3 and toks[m].kind == "word" and toks[m].low not in NP_STOP:
                    m += 1
                if m == k:
                    continue
                k = m
            else:
                end = k + len(hit)
                if any(_low(toks, m) in ("immediately", "yet") for m in range(end, min(n, end + 4))):
                    continue  # "no casualties were immediately reported": unknown
                kind = hit[0]
                killed |= kind != "injuries"
                injured |= kind in ("casualties", "injuries") or hit == ("one", "hurt")
                spans.append((toks[i].start, toks[end - 1].end))
                continue
        if _low(toks, k) == "else":
            k += 1
        if w == "none" and _low(toks, k) == "of":
            k += 1
            while k < n and k - i < 6 and toks[k].kind == "word" and toks[k].low not in AUX_SKIP:
                k += 1
        m = k
        while m < n and toks[m].low in AUX_SKIP:
            m += 1
        cue = _low(toks, m)
        if cue in DEATH_AFTER:
            killed = True
            if _at(toks, m + 1, ("or", "injured")) or _at(toks, m + 1, ("or", "wounded")) or _at(
                    toks, m + 1, ("or", "hurt")):
                injured = True
            spans.append((toks[i].start, toks[m].end))
        elif cue in INJURY_AFTER:
            killed = injured = True
            spans.append((toks[i].start, toks[m].end))
        elif subject and any(_before(toks, i, p) for p in DEATH_FWD):  # "killing no one"
            killed = True
            spans.append((toks[i].start, toks[k - 1].end))
    return killed, injured, spans


def _total(figs: list[_Fig]) -> tuple[int | None, int | None, int | None, list[_Fig]]:
    """Sum each chain, then sum distinct groups or keep the lowest of alternative tolls."""
    if not figs:
        return None, None, None, []
    chains: dict[int, list[_Fig]] = {}
    for f in figs:
        chains.setdefault(f.chain, []).append(f)
    totals = []
    for items in chains.values():
        best = sum(f.best for f in items)
        low = sum(f.low for f in items) if all(f.low is not None for f in items) else None
        high = sum(f.high for f in items) if all(f.high is not None for f in items) else None
        who = {" ".join(w for w in f.np if w not in GENERIC) for f in items}
        totals.append((best, low, high, who))
    if len(totals) == 1:
        best, low, high, _ = totals[0]
        return best, low, high, figs
    groups = [t[3] for t in totals]
    distinct = all(all(g) for g in groups) and all(
        not (groups[a] & groups[b]) for a in range(len(groups)) for b in range(a + 1, len(groups)))
    if distinct:
        best = sum(t[0] for t in totals)
        low = sum(t[1] for t in totals) if all(t[1] is not None for t in totals) else None
        high = sum(t[2] for t in totals) if all(t[2] is not None for t in totals) else None
        return best, low, high, figs
    lows = [t[1] for t in totals if t[1] is not None]
    return (min(t[0] for t in totals), min(lows) if lows else None,
            max(t[2] if t[2] is not None else t[0] for t in totals), figs)


def _count(figs: list[_Fig], label: str) -> tuple[int | None, int | None, int | None, list[_Fig]]:
    main = [f for f in figs if f.label == label and f.role == "main"]
    if main:
        return _total(main)
    subset = [f for f in figs if f.label == label and f.role == "subset"]
    if subset:  # only parts are stated: their sum is a floor
        best = sum(f.best for f in subset)
        return best, best, None, subset
    return None, None, None, []


def parse_casualties(text: str) -> Casualties:
    """Fatalities (best, low, high) and injured stated in one sentence, with the spans used.

    >>> parse_casualties("The blast, which killed 13 U.S. service members and at least 60 Afghans").best
    73
    """
    toks = _tokens(text)
    figs = _figures(toks)
    _label(toks, figs)
    best, low, high, used = _count(figs, "killed")
    injured, _, _, used_inj = _count(figs, "injured")
    zero_killed, zero_injured, zero_spans = _zeros(toks)
    spans = [(toks[f.i].start, toks[max(f.j, f.np_end if f.singular else 0) - 1].end)
             for f in used + used_inj + [a for g in used + used_inj for a in g.alts]]
    zero_used = False
    if best is None and zero_killed:
        best = low = high = 0
        zero_used = True
    if injured is None and zero_injured:
        injured = 0
        zero_used = True
    if zero_used:
        spans += zero_spans
    return Casualties(best=best, low=low, high=high, injured=injured, spans=sorted(set(spans)))
