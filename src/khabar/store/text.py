"""Turning what a user types into safe lookups: FTS5 queries and name keys.

Kept apart from the SQL so these pure functions can be tested on their own.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fts_query", "raw_fts_query", "is_fts_syntax_error", "name_key", "loose_key"]

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
