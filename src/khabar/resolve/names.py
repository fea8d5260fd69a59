"""Name normalisation shared by the gazetteer, the resolver and evaluation.

The rule is the gold guide's: names compare case-, accent-, hyphen- and
apostrophe-insensitively, with a leading "the" ignored.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from khabar.data import load_yaml

__all__ = ["norm_name", "slug", "is_acronym", "word_key", "token_key", "name_key", "NameWords"]

_JOINERS = re.compile(r"[-'`\u2019\u2018\u02bf\u02be.\s]+")


def norm_name(name: str | None) -> str:
    """Key under which two spellings of one name compare equal.

    >>> norm_name("The Al-Qa'ida") == norm_name("al qaida")
    True
    """
    s = unicodedata.normalize("NFKD", name or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().strip()
    s = re.sub(r"^the\s+", "", s)
    return _JOINERS.sub("", s)


def slug(name: str) -> str:
    """A lowercase id made from a name: ``"Jamaat-ul-Ahrar" -> "jamaat-ul-ahrar"``."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"^the\s+", "", s.strip())
    s = re.sub(r"['`\u2019\u2018]", "", s)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "actor"


def is_acronym(alias: str) -> bool:
    """Names with an acronym in them ("TTP", "ISIS-K", "HaD", "IS Pakistan") match case-sensitively.

    Matching them case-insensitively would find "is Pakistan" or "had" in ordinary prose.
    """
    for word in re.split(r"[\s\-/]+", alias):
        letters = [c for c in word if c.isalpha()]
        if len(letters) < 2 or len(word) > 8:
            continue
        uppers = sum(c.isupper() for c in letters)
        if uppers >= 2 and uppers >= len(letters) / 2:
            return True
    return False


_MARKS = re.compile(r"['`\u2019\u2018\u02bc\u02bf\u02be\u00b4]")
_VOWEL_RUN = re.compile(r"(?:[aeiou]|(?<=[aeiou])y)+")
_DOUBLE = re.compile(r"(.)\1+")
HYPHENS = frozenset({"-", "\u2010", "\u2011"})


@functools.cache
def word_key(word: str) -> str:
    """One word of a transliterated name with the spelling choices folded away.

    Vowel runs become one "a", doubled letters one letter, a final "h" after a vowel and
    a final vowel go: Mohammad, Muhammad, Mohammed -> "mahamad"; Qaeda, Qaida, Qa'idah ->
    "qad"; Jaish, Jaysh -> "jash"; Tehrik, Tehreek, Tahrik -> "tahrak". Words of three
    letters or fewer are only lowercased: folding them would merge unrelated short words.
    """
    s = unicodedata.normalize("NFKD", word)
    s = _MARKS.sub("", "".join(c for c in s if not unicodedata.combining(c)).lower())
    if len(s) <= 3 or not s.isalpha():
        return s
    s = _DOUBLE.sub(r"\1", s)
    s = _VOWEL_RUN.sub("a", s)
    s = _DOUBLE.sub(r"\1", s)
    if len(s) > 4 and s.endswith("ah"):
        s = s[:-1]
    if len(s) > 3 and s.endswith("a"):
        s = s[:-1]
    return s


class NameWords:
    """The small words a name key drops (data/name_variants.yaml)."""

    def __init__(self, data: dict) -> None:
        self.articles = frozenset(data.get("articles") or [])
        self.hyphenated = frozenset(data.get("articles_hyphenated") or [])
        self.connectors = frozenset(data.get("connectors") or [])

    @staticmethod
    @functools.cache
    def load() -> NameWords:
        return NameWords(load_yaml("name_variants.yaml") or {})

    def skip(self, text: str, hyphen_next: bool) -> bool:
        """Whether a token is a hyphen, an article or a connector inside a name."""
        low = text.lower()
        return (text in HYPHENS or text in self.connectors or low in self.articles
                or (hyphen_next and low in self.hyphenated))


def token_key(text: str) -> str:
    """``word_key``, except that an acronym ("ISIS" in "ISIS Khurasan") stays as written."""
    if len(text) >= 2 and text.isupper():
        return "=" + text
    return word_key(text)


def name_key(words: list[tuple[str, bool]], small: NameWords | None = None) -> tuple[str, ...]:
    """The key of a name given as tokens ``(text, followed_by_hyphen)``: the folded content
    words (``token_key``), hyphens, articles and connectors dropped.

    >>> name_key([("Jaish", False), ("e", False), ("Mohammad", False)]) == \\
    ...     name_key([("Jaish", True), ("-", False), ("e", True), ("-", False), ("Muhammad", False)])
    True
    """
    small = small or NameWords.load()
    return tuple(token_key(t) for t, hy in words if not small.skip(t, hy))
