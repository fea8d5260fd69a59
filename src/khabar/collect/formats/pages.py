"""Page starts kept through normalisation and cleaning, and the page of a character offset.

A paged reader (PDF) gives the offsets where its pages start in the text it read. Stored
offsets refer to the text after ``normalize_text`` and ``clean_text``, which change
lengths (spaces collapsed, junk lines dropped), so the starts are carried through them as
marks: three noncharacters (U+FDD0-U+FDEF, which no document may hold: any is removed
first) spelling the page number in base 32, put where the page starts. The text is
normalised and cleaned with the marks in it, then they are taken out, their positions being
the new starts. Noncharacters are neither dropped as invisible nor changed by NFC; a mark
lost with a dropped line gives its page the start of the next page found (an empty page),
never a wrong number to the pages after it.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence

__all__ = ["mark_pages", "unmark_pages", "page_of", "pages_json", "MAX_PAGES"]

_BASE = 0xFDD0
_DIGITS = 3  # 32 ** 3 pages at most
MAX_PAGES = 32 ** _DIGITS
_MARK = re.compile(f"[{chr(_BASE)}-{chr(_BASE + 31)}]{{{_DIGITS}}}")
_ANY = re.compile(f"[{chr(_BASE)}-{chr(_BASE + 31)}]")


def _mark(page: int) -> str:
    digits = []
    for _ in range(_DIGITS):
        page, digit = divmod(page, 32)
        digits.append(chr(_BASE + digit))
    return "".join(reversed(digits))


def _number(mark: str) -> int:
    value = 0
    for ch in mark:
        value = value * 32 + ord(ch) - _BASE
    return value


def mark_pages(text: str, starts: Sequence[int]) -> str:
    """``text`` with a mark at the start of each page after the first (page 1 starts at 0).
    Of pages starting at the same offset (empty ones before a page with text), the last is
    marked: the others take its start when unmarked."""
    text = _ANY.sub("", text)  # hostile input cannot forge a mark (readers never emit one)
    last_at: dict[int, int] = {}
    previous = 0
    for page, start in enumerate(starts[:MAX_PAGES]):
        previous = min(max(previous, start), len(text))
        last_at[previous] = page
    parts, last = [], 0
    for start, page in sorted(last_at.items()):
        if page:
            parts += [text[last:start], _mark(page)]
            last = start
    parts.append(text[last:])
    return "".join(parts)


def unmark_pages(text: str, count: int) -> tuple[str, list[int]]:
    """``text`` without its marks, and the start of each of its ``count`` pages (page 1 at
    0). A page whose mark is gone starts where the next page found starts."""
    found: dict[int, int] = {0: 0}
    out, last, removed = [], 0, 0
    for m in _MARK.finditer(text):
        out.append(text[last:m.start()])
        page = _number(m.group())
        if 0 < page < count and page not in found:
            found[page] = m.start() - removed
        removed += len(m.group())
        last = m.end()
    out.append(text[last:])
    plain = "".join(out)
    if _ANY.search(plain):  # a mark cut by a rule (a run of punctuation kept short)
        plain = _ANY.sub("", plain)  # pages after the cut may start a few characters late
    starts: list[int] = []
    following = len(plain)
    for page in range(count - 1, -1, -1):
        following = min(found.get(page, following), following)
        starts.append(following)
    return plain, starts[::-1]


def page_of(pages: Sequence[int] | str | None, offset: int) -> int | None:
    """The 1-based page holding character ``offset``, given the page starts (a list, or the
    JSON stored with the document); None for a document without pages."""
    if isinstance(pages, str):
        try:
            pages = json.loads(pages)
        except ValueError:
            return None
    if not pages:
        return None
    return max(1, bisect.bisect_right(list(pages), offset))


def pages_json(starts: Sequence[int] | None) -> str | None:
    """Page starts as stored in ``documents.pages`` (None for an unpaged document)."""
    return json.dumps(list(starts), separators=(",", ":")) if starts else None
