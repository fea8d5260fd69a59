"""Words of estimative probability and of confidence, mapped to the ICD 203 scale.

``find_estimates(text)`` finds every estimative phrase in a text; ``best_estimate(text)`` gives the
first one with a likelihood band. The lexicon is data (``data/estimative.yaml``), the bands come
from ``vocab.yaml`` (``icd203_bands``). An `Estimate` has one of three kinds:

* ``likelihood``: a band of the ICD 203 scale with its ``low``/``high`` probabilities
  ("virtually certain", "likely", "the likelihood ... is small", "a 70 percent chance");
* ``confidence``: a ``level`` (high, moderate, low) and no band, kept apart from likelihood as
  ICD 203 asks ("we have high confidence", "we are confident", "our confidence is low");
* ``hedge``: uncertainty with no band ("might", "could", "may", "possible", "not sure").

Rules, in order:

* Matching is case-insensitive on word boundaries ("likely" in "unlikely" or "medium" in
  "medium-sized" do not match), longest phrase first and non-overlapping; a space in a phrase also
  matches a hyphen. Listed phrases win over modifier + phrase ("highly likely", "fairly certain").
* Subject-dependent words ("small", "low", "minimal", "remote", "medium", "high") count only before
  a subject noun ("a slim chance", "low probability"), after a linking verb whose subject noun comes
  earlier in the sentence ("the likelihood ... is small", "the risk is minimal", "I assess the
  threat as medium") or after an assessment frame ("I would assess it as medium"). When that subject
  is "confidence" the word gives a confidence level ("our confidence is low"). A phrase that holds
  the subject noun of a later estimate gives way to it ("chances are slim": unlikely only).
* Predicative words ("certain", "sure", "confident") count only after a linking verb ("it is
  certain", "I'm sure"), so "a certain group" and "make sure" are no estimates.
* Modifiers: an intensifier ("very", "highly", "extremely", "strongly" ...) moves the band one step
  away from the centre (likely -> very likely -> almost certain; unlikely -> very unlikely -> almost
  no chance); roughly even chance does not move. Other modifiers ("fairly", "somewhat", "quite",
  "more", "increasingly") keep the band.
* Negation: a negator right before the phrase ("not likely", "isn't likely", "don't expect", "not at
  all likely") gives the phrase's own ``negated`` band when it lists one ("not certain", "not sure"
  and "not impossible" give no band; "not possible" gives almost no chance; "I don't doubt that" very
  likely), else the ``negate`` table of the data file: likely <-> unlikely, and a negated intensified
  or extreme band falls to the nearer of those two ("not very likely" is unlikely, not very
  unlikely). A negated confidence phrase has low confidence. "likely not" negates the event, not the
  estimate, and is left alone.
* A capitalised phrase that is not sentence-initial, sits after a lowercase word and before a
  capitalised one is part of a name ("Likely Street"); "May" is a hedge only in lower case (or
  sentence-initial and not before a number).
* "N percent chance/likelihood/probability/odds" takes the band holding N%.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Any

from khabar.data import load_yaml
from khabar.schema import vocab

__all__ = ["Estimate", "find_estimates", "best_estimate"]

KINDS = ("likelihood", "confidence", "hedge")


@dataclass(frozen=True)
class Estimate:
    """An estimative phrase found in a text, with its band or confidence level."""

    start: int
    end: int
    phrase: str
    band: str | None
    low: float | None
    high: float | None
    kind: str  # likelihood | confidence | hedge
    negated: bool = False
    level: str | None = None  # confidence level: high | moderate | low


@dataclass(frozen=True)
class _Entry:
    kind: str  # likelihood | hedge | confidence | ignore
    band: str | None = None
    level: str | None = None
    has_negated: bool = False
    negated: str | None = None
    subjects: tuple[str, ...] = ()
    predicative: bool = False
    lower_only: bool = False
    yields: bool = False  # an expectation verb gives way to a likelihood word of the same text


@dataclass(frozen=True)
class _Lexicon:
    entries: dict[str, _Entry]
    regex: re.Pattern[str]
    bands: tuple[tuple[str, float, float], ...]
    intensify: frozenset[str]
    negate: dict[str, str | None]
    negated_confidence: str
    confidence_subject: dict[str, str]
    link_end: re.Pattern[str]
    frame_end: re.Pattern[str]
    subject_after: dict[tuple[str, ...], re.Pattern[str]]
    subject_in: dict[tuple[str, ...], re.Pattern[str]]


_SPACE = re.compile(r"[\s\-]+")
# A sentence boundary inside a look-back window: ., ! or ? (not after a capital, as in "U.S.")
# followed by a capitalised word, or a semicolon, or a blank line.
_BOUNDARY = re.compile(r"(?<![A-Z])[.!?][\"”’')]*\s+(?=[\"“‘'(]?[A-Z])|;\s|\n\s*\n")
_WINDOW = 300  # characters looked back for a subject noun
_NEAR = 80  # characters looked back for a linking verb or frame


def _norm(phrase: str) -> str:
    """The lookup key of a phrase: lower case, one space between words, straight apostrophes."""
    return _SPACE.sub(" ", phrase.strip().lower().replace("’", "'"))


def _words_re(phrase: str) -> str:
    """A regex for a phrase: its words with spaces or hyphens between, either apostrophe."""
    toks = [re.escape(t).replace("'", "['’]") for t in _norm(phrase).split(" ")]
    return r"[\s\-]+".join(toks)


def _alternation(phrases: list[str]) -> str:
    """One regex for many phrases, as a character trie (fast), preferring the longest phrase.

    Every node tries its longer continuations first and ends the phrase only when they fail, so a
    lookahead after the phrase can still backtrack to a shorter one.
    """
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in _norm(phrase):
            node = node.setdefault(ch, {})
        node[""] = {}

    def char(ch: str) -> str:
        return {" ": r"[\s\-]+", "'": "['’]"}.get(ch, re.escape(ch))

    def emit(node: dict[str, dict]) -> str:
        alts = [char(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _plural(noun: str) -> str:
    if noun.endswith("s"):
        return noun
    if noun.endswith("y"):
        return noun[:-1] + "ies"
    return noun + "s"


def _nouns_re(nouns: tuple[str, ...]) -> str:
    forms = sorted({f for n in nouns for f in (n, _plural(n))}, key=lambda f: (-len(f), f))
    return "|".join(re.escape(f) for f in forms)


def _entry_fields(item: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(item, str):
        return item, {}
    if isinstance(item, dict) and "phrase" in item:
        return str(item["phrase"]), item
    raise ValueError(f"estimative.yaml: bad entry {item!r}")


@functools.cache
def _lexicon() -> _Lexicon:
    """Load and compile the lexicon (once)."""
    data = load_yaml("estimative.yaml")  # libyaml's safe loader
    bands = tuple((b["name"], float(b["low"]), float(b["high"])) for b in vocab()["icd203_bands"])
    names = {b[0] for b in bands}

    def band_name(value: Any, where: str) -> str | None:
        if value is not None and value not in names:
            raise ValueError(f"estimative.yaml: unknown band {value!r} ({where})")
        return value

    entries: dict[str, _Entry] = {}

    def add(phrase: str, entry: _Entry) -> None:
        key = _norm(phrase)
        if key in entries:
            raise ValueError(f"estimative.yaml: phrase listed twice: {phrase!r}")
        entries[key] = entry

    def options(fields: dict[str, Any], phrase: str) -> dict[str, Any]:
        return {
            "has_negated": "negated" in fields,
            "negated": band_name(fields.get("negated"), phrase),
            "subjects": tuple(fields.get("needs_subject") or ()),
            "predicative": bool(fields.get("predicative", False)),
            "lower_only": bool(fields.get("lower_only", False)),
            "yields": bool(fields.get("yields", False)),
        }

    for band, items in data["bands"].items():
        band_name(band, "bands")
        for item in items:
            phrase, fields = _entry_fields(item)
            add(phrase, _Entry("likelihood", band=band, **options(fields, phrase)))
    for item in data["no_band"]:
        phrase, fields = _entry_fields(item)
        add(phrase, _Entry("hedge", **options(fields, phrase)))
    for level, items in data["confidence"].items():
        for item in items:
            phrase, fields = _entry_fields(item)
            opts = options(fields, phrase)
            opts.update(has_negated=False, negated=None)
            add(phrase, _Entry("confidence", level=level, **opts))
    for phrase in data["not_estimative"]:
        add(phrase, _Entry("ignore"))
    negate = {band_name(k, "negate"): band_name(v, "negate") for k, v in data["negate"].items()}
    if set(negate) != names:
        raise ValueError("estimative.yaml: `negate` must list every band")

    mods = data["modifiers"]
    negators = [r"\w+n['’]t" if n == "*n't" else _words_re(n) for n in data["negators"]]
    pattern = (
        r"(?<![\w\-])(?:"
        r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*(?:%|per\s?cent)[\s\-]+(?:chances?|likelihood|probability|odds)(?![\w\-])"
        r"|"
        rf"(?:(?P<neg>{'|'.join(negators)})\s+(?:(?:{_alternation(data['negation_fillers'])})\s+)??)??"
        rf"(?:(?P<mod>{_alternation(mods['intensify'] + mods['keep'])})[\s\-]+)??"
        rf"(?P<phrase>{_alternation(list(entries))})(?!\w|-\w)"
        r")"
    )
    links = [w for w in data["links"] if not w.startswith("'")]
    clitics = [w[1:] for w in data["links"] if w.startswith("'")]
    fillers = rf"(?:(?:{_alternation(data['link_fillers'])})\s+)*"
    link_end = re.compile(
        rf"(?:(?<![\w'’\-])(?:{_alternation(links)})|['’](?:{'|'.join(map(re.escape, clitics))}))\s+{fillers}$",
        re.IGNORECASE,
    )
    frame_end = re.compile(
        rf"(?<![\w\-])(?:{_alternation(data['frames'])})\s+(?:it|this|that|them|these|those)\s+"
        rf"(?:(?:as|at)\s+)?{fillers}$",
        re.IGNORECASE,
    )
    subject_after: dict[tuple[str, ...], re.Pattern[str]] = {}
    subject_in: dict[tuple[str, ...], re.Pattern[str]] = {}
    for e in entries.values():
        if e.subjects and e.subjects not in subject_after:
            nouns = _nouns_re(e.subjects + ("confidence",))
            subject_after[e.subjects] = re.compile(rf"\s+(?P<noun>{nouns})(?![\w\-])", re.IGNORECASE)
            subject_in[e.subjects] = re.compile(rf"(?<![\w\-])(?P<noun>{nouns})(?![\w\-])", re.IGNORECASE)
    return _Lexicon(
        entries=entries,
        regex=re.compile(pattern, re.IGNORECASE),
        bands=bands,
        intensify=frozenset(_norm(m) for m in mods["intensify"]),
        negate=negate,
        negated_confidence=data["negated_confidence"],
        confidence_subject={_norm(k): v for k, v in data["confidence_subject"].items()},
        link_end=link_end,
        frame_end=frame_end,
        subject_after=subject_after,
        subject_in=subject_in,
    )


def _sentence_initial(text: str, start: int) -> bool:
    """Whether only quotes, brackets or dashes stand between the start of a sentence and ``start``."""
    prefix = text[max(0, start - 40):start]
    stripped = prefix.rstrip(" \t\r\n\"“‘'([—–-")
    if not stripped:
        return start <= 40 or "\n" in prefix
    return stripped[-1] in ".!?:;" or "\n" in prefix[len(stripped):]


def _is_name(text: str, start: int, end: int, entry: _Entry) -> bool:
    """Whether a capitalised match is part of a name ("Likely Street", "in May 2021")."""
    if not text[start].isupper():
        return False
    written = text[start:end]
    if len(written) > 1 and written.isupper():
        return False  # an all-caps headline
    nxt = text[end:end + 3].lstrip()
    if entry.lower_only:
        return not _sentence_initial(text, start) or nxt[:1].isdigit()
    if _sentence_initial(text, start):
        return False
    prev = re.search(r"(\w+)\W*$", text[max(0, start - 30):start])
    return bool(prev and prev.group(1)[0].islower() and nxt[:1].isupper())


def _subject(text: str, start: int, end: int, entry: _Entry, lex: _Lexicon) -> tuple[str, int] | None:
    """The subject noun (and its offset) that makes a subject-dependent word estimative, if any."""
    m = lex.subject_after[entry.subjects].match(text, end)
    if m:
        return m.group("noun").lower(), m.start("noun")
    near = text[max(0, start - _NEAR):start]
    if lex.frame_end.search(near):
        return "it", -1
    if not lex.link_end.search(near):
        return None
    before = text[max(0, start - _WINDOW):start]
    cut = 0
    for b in _BOUNDARY.finditer(before):
        cut = b.end()
    nouns = list(lex.subject_in[entry.subjects].finditer(before, cut))
    if not nouns:
        return None
    found = nouns[-1]  # the nearest subject noun
    return found.group("noun").lower(), max(0, start - _WINDOW) + found.start("noun")


def _shift(band: str, lex: _Lexicon) -> str:
    """One band further from the centre of the scale."""
    order = [b[0] for b in lex.bands]
    i, centre = order.index(band), len(order) // 2
    if i > centre:
        return order[min(i + 1, len(order) - 1)]
    if i < centre:
        return order[max(i - 1, 0)]
    return band


def _make(lex: _Lexicon, start: int, end: int, phrase: str, kind: str, band: str | None = None,
          negated: bool = False, level: str | None = None) -> Estimate:
    if kind in ("likelihood", "hedge"):
        kind = "hedge" if band is None else "likelihood"  # "not certain": a hedge; "not possible": a band
    low = high = None
    if band is not None:
        _, low, high = next(b for b in lex.bands if b[0] == band)
    return Estimate(start, end, phrase, band, low, high, kind, negated, level)


def _percent_band(value: float, lex: _Lexicon) -> str:
    p = value / 100
    if p <= lex.bands[0][2]:
        return lex.bands[0][0]
    if p >= lex.bands[-1][1]:
        return lex.bands[-1][0]
    return next(name for name, low, high in lex.bands if low <= p < high)


_SENTENCE_END = re.compile(r"[.!?;]\s")


def find_estimates(text: str) -> list[Estimate]:
    """Every estimative phrase in ``text``, in order of position."""
    lex = _lexicon()
    found: list[tuple[Estimate, int | None]] = []
    yielding: set[int] = set()  # starts of estimates that give way to another likelihood word
    for m in lex.regex.finditer(text):
        start, end = m.span()
        if m.group("pct"):
            band = _percent_band(float(m.group("pct")), lex)
            found.append((_make(lex, start, end, m.group(), "likelihood", band), None))
            continue
        entry = lex.entries[_norm(m.group("phrase"))]
        if entry.kind == "ignore" or _is_name(text, start, end, entry):
            continue
        if entry.predicative and not lex.link_end.search(text[max(0, start - _NEAR):start]):
            continue
        negated = m.group("neg") is not None
        mod = _norm(m.group("mod")) if m.group("mod") else None
        kind, band, level, subject_at = entry.kind, entry.band, entry.level, None
        if entry.subjects:
            subj = _subject(text, start, end, entry, lex)
            if subj is None:
                continue
            noun, subject_at = subj
            if noun == "confidence":
                level = lex.confidence_subject.get(_norm(m.group("phrase")))
                if level is None:
                    continue
                kind, band = "confidence", None
        if kind == "confidence":
            level = lex.negated_confidence if negated else level
        elif negated:
            band = entry.negated if entry.has_negated else (lex.negate[band] if band else None)
        elif band is not None and mod in lex.intensify:
            band = _shift(band, lex)
        est = _make(lex, start, end, m.group(), kind, band, negated, level)
        found.append((est, subject_at))
        if entry.yields:
            yielding.add(start)
    # A phrase that holds the subject noun of a later estimate gives way to it ("chances are slim").
    subjects = sorted(at for _, at in found if at is not None and at >= 0)

    def holds_subject(e: Estimate) -> bool:
        i = bisect.bisect_left(subjects, e.start)
        return i < len(subjects) and subjects[i] < e.end

    kept = [e for e, _ in found if not holds_subject(e)]
    # "Some predict that the group is unlikely to ...": the likelihood word, not the verb, gives
    # the band (within one sentence)
    words = [e for e in kept if e.band and e.kind == "likelihood" and e.start not in yielding]

    def outranked(e: Estimate) -> bool:
        return any(not _SENTENCE_END.search(text[min(e.end, w.end):max(e.start, w.start)]) for w in words)

    return [e for e in kept if e.start not in yielding or not e.band or not outranked(e)]


def best_estimate(text: str) -> Estimate | None:
    """The first likelihood estimate with a band in ``text`` (a sentence), or None."""
    return next((e for e in find_estimates(text) if e.kind == "likelihood" and e.band), None)
