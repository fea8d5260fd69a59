"""Turning what a user types into safe lookups: FTS5 queries and name keys.

Kept apart from the SQL so these pure functions can be tested on their own.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fts_query", "raw_fts_query", "is_fts_syntax_error", "name_key", "loose_key", "snippet"]

# A double-quoted phrase, or a run of non-space characters. Scanned in one
# pass so terms keep the order the user typed them in.
_TERM = re.compile(r'"([^"]*)"|(\S+)')


def _has_token(text: str) -> bool:
    # unicode61 indexes letters and digits only; a term without any (say "--")
    # would be an empty phrase that can only ever match nothing.
    return any(ch.isalnum() for ch in text)


def fts_query(text: str) -> str | None:
    """Rewrite free text as an FTS5 query that cannot be a syntax error.

    Every word becomes a quoted string and every ``"double-quoted phrase"``
    stays one quoted phrase, all joined by FTS5's implicit AND. Quoting turns
    operators (``AND``, ``OR``, ``NEAR``), prefixes (``*``), column filters
    (``:``) and brackets into plain text, so nothing the user types is read as
    FTS syntax. A stray, unmatched ``"`` is dropped. Returns ``None`` when no
    searchable word is left.

    >>> fts_query('"safe haven" AND a*b(')
    '"safe haven" "AND" "a*b("'
    """
    terms = []
    for match in _TERM.finditer(text):
        phrase, word = match.groups()
        term = phrase if phrase is not None else word.replace('"', "")
        term = " ".join(term.split())
        if _has_token(term):
            # Inside an FTS5 string the only special character is the quote
            # itself, escaped by doubling (none remain here, but be safe).
            terms.append('"' + term.replace('"', '""') + '"')
    return " ".join(terms) or None


RAW_QUERY_CHARS = 500  # the longest raw FTS5 query passed through (the web form's bound)
# How SQLite words a MATCH expression it cannot parse (as opposed to a locked or broken file).
_FTS_SYNTAX_ERRORS = ("fts5:", "unterminated string", "no such column", "unknown special query")


def raw_fts_query(text: str) -> str | None:
    """An analyst's own FTS5 expression (``A OR B``, ``"a phrase" NOT c``, ``tali*``,
    ``NEAR(a b, 5)``), passed through as typed once trimmed; ``None`` when empty.
    Still a bound parameter, never SQL: the worst it can be is a syntax error, which
    :func:`is_fts_syntax_error` recognises. Longer than :data:`RAW_QUERY_CHARS`: ``ValueError``.

    >>> raw_fts_query("  taliban OR haqqani ")
    'taliban OR haqqani'
    """
    text = (text or "").strip()
    if len(text) > RAW_QUERY_CHARS:
        raise ValueError(f"a raw query has at most {RAW_QUERY_CHARS} characters, not {len(text)}")
    return text or None


def is_fts_syntax_error(exc: BaseException) -> bool:
    """Whether SQLite refused a MATCH expression as malformed (bad syntax, an unknown column
    filter, an unterminated string), not because the database failed."""
    return str(exc).startswith(_FTS_SYNTAX_ERRORS)


def name_key(name: str) -> str:
    """Exact-match key for a name: Unicode-normalised, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def loose_key(name: str) -> str:
    """Forgiving key: also drops accents and punctuation.

    So "Al Qaeda", "al-Qaeda" and "AL  QAEDA" share the key "al qaeda",
    "al-Qa'ida" becomes "al qaida", and "Ḥamās" meets "Hamas".
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"['\u2018\u2019\u02bc\u02bf\u02be`]", "", plain)  # apostrophes and ayn/hamza marks
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
_PREFIX = re.compile(r"(?<![\w\"])(\w+)\*")
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
SNIPPET_TOKENS = 16


def _fold(text: str) -> str:
    """Lower case without diacritics, one character for one (as the index's unicode61 tokenizer
    compares words), so that offsets in the folded text are offsets in the original."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)
        kept = ([c for c in base if not unicodedata.combining(c)] or [ch])[0]
        low = kept.lower()
        out.append(low if len(low) == 1 else kept)
    return "".join(out)


def snippet(text: str, match: str, tokens: int = SNIPPET_TOKENS) -> str:
    """The part of a matching sentence to show, its matches between « and », as FTS5's
    ``snippet()`` gives it but made here: over an expression of many names (an actor's
    aliases ORed), FTS5 evaluates the whole expression again for each row it marks, tens of
    milliseconds a row on a large index. The terms are the expression's quoted phrases,
    ``word*`` prefixes and bare words; at most ``tokens`` words around the first match are
    kept, a cut marked with "…"."""
    terms: list[str] = []
    for phrase in _QUOTED.findall(match):
        words = [re.escape(w) for w in re.findall(r"\w+", _fold(phrase.replace('""', '"')))]
        if words:
            terms.append(r"\b" + r"\W+".join(words) + r"\b")
    bare = _QUOTED.sub(" ", match)
    terms += [rf"\b{re.escape(_fold(p))}\w*" for p in _PREFIX.findall(bare)]
    terms += [rf"\b{re.escape(_fold(w))}\b" for w in re.findall(r"\w+", _PREFIX.sub(" ", bare))
              if w.upper() not in _OPERATORS]
    folded = _fold(text)
    spans: list[tuple[int, int]] = []
    if terms:
        for m in re.finditer("|".join(f"(?:{t})" for t in terms), folded):
            if m.end() > m.start():
                spans.append((m.start(), m.end()))
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    if not words:
        return ""
    first = spans[0][0] if spans else 0
    at = next((i for i, (_, e) in enumerate(words) if e > first), 0)
    lo = max(0, min(at - tokens // 4, len(words) - tokens))
    hi = min(len(words), lo + tokens)
    start, end = words[lo][0], words[hi - 1][1]
    out, pos = [], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e or s < pos:
            continue
        out += [text[pos:s], "«", text[s:e], "»"]
        pos = e
    out.append(text[pos:end])
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(words) else "")
