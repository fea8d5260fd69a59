"""Long documents extracted in sections of bounded size.

spaCy refuses texts over a million characters (E088) and its memory grows with the
text, so a long document (a monitoring team's report, a channel dump, a scraped page
of 50 MB) is cut into sections of at most ``SECTION_CHARS`` characters at the best
boundary near the limit (a paragraph break, else a line break, else a sentence end,
else a space) and each section is extracted as if it were a document. The sections'
extractions are then merged into one, every offset moved back into the whole
document's coordinates, so evidence still points at the right characters.

What a section cannot see is the text of the sections before it: a pronoun at the top
of a section does not reach an actor named at the end of the previous one. At 100,000
characters a section holds some 15,000 words, so such losses are rare.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from khabar.schema import Document, Extraction

__all__ = ["SECTION_CHARS", "split_sections", "section_documents", "merge_sections"]

SECTION_CHARS = 100_000

# Boundaries in order of preference, and how far back from the limit each is looked for.
_BREAKS = ("\n\n", "\n", ". ", " ")
_OFFSET_FIELDS = ("start", "end", "sentence_start", "sentence_end")


def split_sections(text: str, limit: int = SECTION_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive sections covering ``text``, each at most ``limit`` long."""
    if limit < 100:
        raise ValueError("a section must hold at least 100 characters")
    out = []
    start, n = 0, len(text)
    while start < n:
        end = min(start + limit, n)
        if end < n:
            floor = start + limit // 2  # never cut a section to less than half the limit
            for mark in _BREAKS:
                cut = text.rfind(mark, floor, end)
                if cut >= 0:
                    end = cut + len(mark)
                    break
        out.append((start, end))
        start = end
    return out


def section_documents(document: Document, limit: int = SECTION_CHARS) -> list[tuple[int, Document]]:
    """The document's sections as documents of their own (same id, source and date), each
    with the offset of its first character in the whole text."""
    return [(a, dataclasses.replace(document, text=document.text[a:b]))
            for a, b in split_sections(document.text, limit)]


def _shifted(record: Any, offset: int) -> Any:
    changes = {f: getattr(record, f) + offset for f in _OFFSET_FIELDS
               if isinstance(getattr(record, f, None), int)}
    return dataclasses.replace(record, **changes) if changes else record


def merge_sections(doc_id: str, parts: list[tuple[int, Extraction]]) -> Extraction:
    """One extraction from the sections' extractions (``(offset, extraction)`` in text order)."""
    merged = Extraction(doc_id=doc_id)
    seen_actors: set[str] = set()
    for offset, part in parts:
        for f in dataclasses.fields(Extraction):
            if f.name == "doc_id":
                continue
            items = getattr(part, f.name)
            if not isinstance(items, list):
                continue
            target = getattr(merged, f.name)
            if f.name == "actors":
                for actor in items:
                    if actor.id not in seen_actors:
                        seen_actors.add(actor.id)
                        target.append(actor)
            elif f.name == "sentences":
                target.extend((a + offset, b + offset) for a, b in items)
            else:
                target.extend(_shifted(x, offset) if dataclasses.is_dataclass(x) else x for x in items)
    return merged
