"""Name normalisation shared by the gazetteer, the resolver and evaluation.

The rule is the gold guide's: names compare case-, accent-, hyphen- and
apostrophe-insensitively, with a leading "the" ignored.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["norm_name", "slug", "is_acronym"]

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
