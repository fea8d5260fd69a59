"""Turning what a user types into safe lookups: FTS5 queries and name keys.

Kept apart from the SQL so these pure functions can be tested on their own.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fts_query", "name_key", "loose_key"]

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
