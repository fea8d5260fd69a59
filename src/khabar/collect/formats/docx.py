"""Word documents (.docx; python-docx, the ``docx`` extra).

The text is the body's paragraphs and tables in document order, a table row by row (each
cell once, however many columns it spans; cells of a row on one line, separated by tabs (not " | ", which
reads as a page title's "headline | outlet"),
tables inside cells read in turn). The title is the core properties' title, else the first
paragraph styled Title or Heading 1.

A .docx is a zip archive, so a small file can unpack to gigabytes: the archive's listing
is checked first (entry count, declared sizes), and zipfile itself never inflates an entry
beyond its declared size.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from khabar.collect.formats import FormatError, bounded, need

__all__ = ["read_docx", "MAX_UNPACKED_BYTES", "MAX_ENTRIES"]

MAX_ENTRIES = 5000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # the whole archive unpacked
MAX_XML_BYTES = 64 * 1024 * 1024  # the main document part unpacked
MAX_TABLE_DEPTH = 8


def _check_archive(raw: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FormatError(f"not a .docx (not a zip archive: {str(exc)[:120]})") from exc
    if len(entries) > MAX_ENTRIES:
        raise FormatError(f".docx of {len(entries)} parts (limit {MAX_ENTRIES})")
    total = sum(e.file_size for e in entries)
    if total > MAX_UNPACKED_BYTES:
        raise FormatError(f".docx unpacks to {total} bytes (limit {MAX_UNPACKED_BYTES})")
    main = next((e for e in entries if e.filename == "word/document.xml"), None)
    if main is None:
        raise FormatError("not a .docx (no word/document.xml)")
    if main.file_size > MAX_XML_BYTES:
        raise FormatError(f".docx text part of {main.file_size} bytes (limit {MAX_XML_BYTES})")


def _cells(row: Any) -> list[Any]:
    """The row's cells, each once (python-docx repeats a merged cell for every column it spans)."""
    seen: set[int] = set()
    out = []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell)
    return out


def _block_lines(container: Any, depth: int = 0) -> list[str]:
    """Lines of paragraphs and tables of a body or a cell, in order."""
    from docx.table import Table

    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            if depth >= MAX_TABLE_DEPTH:
                continue
            for row in block.rows:
                cells = [" ".join(_block_lines(cell, depth + 1)).strip() for cell in _cells(row)]
                line = "\t".join(c for c in cells if c)
                if line:
                    lines.append(line)
        else:
            lines.append(block.text)
    return lines


def _heading(document: Any) -> str | None:
    for paragraph in document.paragraphs[:200]:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style in ("Title", "Heading 1") and paragraph.text.strip():
            return paragraph.text
    return None


def read_docx(raw: bytes) -> tuple[str, str | None]:
    """(text, title) of a .docx's bytes; FormatError when it cannot be read."""
    docx = need("docx", "docx")
    _check_archive(raw)
    try:
        document = docx.Document(io.BytesIO(raw))
        text = "\n".join(_block_lines(document))
        title = bounded(document.core_properties.title, 300) or bounded(_heading(document), 300)
    except FormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged package raises many kinds
        raise FormatError(f"unreadable .docx ({type(exc).__name__}: {str(exc)[:160]})") from exc
    return text, title
