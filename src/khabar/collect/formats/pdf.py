"""PDF reports (pypdf, the ``pdf`` extra): text page by page, with the page starts kept.

What a page's text layer gives is cleaned of what the page layout adds:

- running headers and footers: lines at the top or bottom of a page (its first or last
  ``EDGE_LINES`` lines) that recur at that edge on many pages, compared with their digits
  blanked ("S/2021/486 12" and "S/2021/486 13" are one header); the first page's top is
  kept, since a report's title stands there and often repeats as the running header;
- page numbers alone on an edge line ("12", "- 12 -", "Page 3 of 20", "xii"), and edge
  lines that start or end with the page's number, counted on from page to page, whatever
  text goes with it ("Chapter 2: Syntax 4" on one page, "Chapter 3: Use 7" three pages on);
- hard line breaks inside paragraphs: a line as long as most (a wrapped one) runs on into
  the next, so that a sentence is not cut at each line end (the extractor starts a
  sentence at every line break).

Pages are joined with a blank line, or a space when a sentence runs on over the page
break; the offset where each page starts is returned with the text, for evidence to cite
"p. 12". Bounded: at most MAX_PAGES pages, MAX_CHARS characters and MAX_SECONDS of reading
(a warning says so; a single pathological page is not interrupted), and a file pypdf cannot
open, or encrypted with a password, is skipped.
"""

from __future__ import annotations

import io
import logging
import math
import re
import time
from collections import Counter

from khabar.collect.formats import FormatError, bounded, need

__all__ = ["read_pdf", "page_texts", "strip_running_lines", "unwrap"]

log = logging.getLogger(__name__)

MAX_PAGES = 2000
MAX_CHARS = 20_000_000
MAX_SECONDS = 300.0  # reading stops after the page that passes this (pypdf is pure Python: a hostile file is slow)
EDGE_LINES = 3  # lines at the top and at the bottom of a page where running lines stand
EDGE_MAX_CHARS = 160  # a running header or footer is short
RUNNING_SHARE = 0.4  # an edge line repeated on at least this share of pages (and on 2) is running
WRAP_SHARE = 0.6  # a line at least this share of the usual full line was wrapped, not ended

_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|pg\.?)?\s*[-\u2013\u2014(\[]?\s*(?:\d{1,4}|x{0,3}(?:ix|iv|v?i{0,3}))\s*[-\u2013\u2014)\]]?"
    r"\s*(?:(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_FOLIO = re.compile(r"^(\d{1,4})\s+\S|\S\s+(\d{1,4})$")  # a number that starts or ends an edge line
_BULLET = re.compile(r"^(?:[\u2022\u25aa\u25cf\u2013\u2014*\-]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s)")
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]]$")
_ENDED = re.compile(r"[.!?:][\"'\u201d\u2019)\]]?$")  # a line that ends a sentence


def _edge_key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.casefold().split()))


def _is_page_number(line: str) -> bool:
    return bool(line) and len(line) <= 20 and _PAGE_NUMBER.match(line) is not None


def _edges(lines: list[str]) -> tuple[list[int], list[int]]:
    """Indexes of the first and of the last EDGE_LINES non-empty lines (on a short page, the
    top zone takes half the lines and the bottom zone the rest: a line is in one zone)."""
    filled = [i for i, line in enumerate(lines) if line]
    top = min(EDGE_LINES, (len(filled) + 1) // 2)
    bottom = min(EDGE_LINES, len(filled) - top)
    return filled[:top], filled[len(filled) - bottom:]


def _folio(line: str) -> int | None:
    """The number a header or footer line starts or ends with ("Chapter 2: Syntax 4", "12 Report"),
    or None."""
    if len(line) > EDGE_MAX_CHARS:
        return None
    found = _FOLIO.search(line)
    return int(found.group(1) or found.group(2)) if found else None


def _folio_offset(pages: list[list[str]], zone: int, need_count: int) -> int | None:
    """The offset (printed number minus page index) shared by the numbered edge lines of at
    least ``need_count`` pages in ``zone`` (0 top, 1 bottom): a running line that carries the
    page number and a text that changes (a chapter's title) has it, content does not."""
    offsets: Counter[int] = Counter()
    for index, lines in enumerate(pages):
        found = {n - index for i in _edges(lines)[zone] if (n := _folio(lines[i])) is not None}
        offsets.update(found)
    if not offsets:
        return None
    offset, count = offsets.most_common(1)[0]
    return offset if count >= need_count else None


def strip_running_lines(pages: list[list[str]], title: str | None = None) -> list[list[str]]:
    """Each page's lines (stripped) without running headers, footers and page numbers. On
    the first page, a running line that is the document's ``title`` is kept (a report's
    title often runs as its header too)."""
    keep = _edge_key(title) if title else None
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for lines in pages:
        top, bottom = _edges(lines)
        tops.update({_edge_key(lines[i]) for i in top if len(lines[i]) <= EDGE_MAX_CHARS})
        bottoms.update({_edge_key(lines[i]) for i in bottom if len(lines[i]) <= EDGE_MAX_CHARS})
    need_count = max(2, math.ceil(RUNNING_SHARE * len(pages)))
    folio = (_folio_offset(pages, 0, need_count), _folio_offset(pages, 1, need_count))

    def numbered(line: str, index: int, zone: int) -> bool:
        n = _folio(line) if folio[zone] is not None else None
        return n is not None and n - index == folio[zone]

    out = []
    for number, lines in enumerate(pages):
        drop: set[int] = set()
        top, bottom = _edges(lines)
        # a running line anywhere in an edge zone; a page number only at the very edge (or
        # with only running lines and page numbers between it and the edge); one line per
        # edge carries the page's number ("1" above "1 Introduction": the heading stays)
        edge, folio_seen = True, False
        for i in top:
            key = _edge_key(lines[i])
            folio_line = edge and _is_page_number(lines[i]) or not folio_seen and numbered(lines[i], number, 0)
            if (tops[key] >= need_count and not (number == 0 and key == keep)) or folio_line:
                drop.add(i)
                folio_seen = folio_seen or folio_line
            else:
                edge = False
        edge, folio_seen = True, False
        for i in reversed(bottom):
            folio_line = edge and _is_page_number(lines[i]) or not folio_seen and numbered(lines[i], number, 1)
            if bottoms[_edge_key(lines[i])] >= need_count or folio_line:
                drop.add(i)
                folio_seen = folio_seen or folio_line
            else:
                edge = False
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


def _full_width(pages: list[list[str]]) -> int:
    """The length of a full line: the 80th percentile of the lengths of the lines."""
    lengths = sorted(len(line) for lines in pages for line in lines if line)
    return lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0


def unwrap(lines: list[str], width: int) -> str:
    """The lines of one page as paragraphs: a wrapped line (at least WRAP_SHARE of
    ``width``) runs on into the next with a space (no space after a hyphen); a short one
    ends its paragraph; a blank line, a list item, or a short line that ends no sentence
    after one that does (a heading) starts a new one."""
    out: list[str] = []
    last = ""  # the line before, as the page had it (out[-1] is the paragraph so far)
    for line in lines:
        if not line:
            if out and out[-1] != "\n":
                out.append("\n")
            last = ""
            continue
        if out and out[-1] != "\n":
            short = len(line) < WRAP_SHARE * width
            heading = short and _ENDED.search(last) is not None and not _ENDED.search(line)
            runs_on = len(last) >= WRAP_SHARE * width and not _BULLET.match(line) and not heading
            if runs_on:
                joiner = "" if last.endswith("-") and last[-2:-1].isalpha() else " "
                out[-1] += joiner + line
                last = line
                continue
            out.append("\n")
        out.append(line)
        last = line
    return "".join(out).strip("\n")


def page_texts(pages: list[list[str]], title: str | None = None) -> tuple[str, list[int]]:
    """The pages' lines as one text, and the offset where each page starts in it (an empty
    page starts where the next page with text does)."""
    cleaned = strip_running_lines(pages, title)
    width = _full_width(cleaned)
    text, starts, empty = "", [], 0
    for lines in cleaned:
        body = unwrap(lines, width)
        if not body:
            empty += 1
            continue
        if text:
            runs_on = not _SENTENCE_END.search(text) and body[:1].islower()
            text += " " if runs_on else "\n\n"
        starts += [len(text)] * (empty + 1)
        empty = 0
        text += body
    return text, starts + [len(text)] * empty


def _title(reader) -> str | None:
    """The document's own title, unless it is a file name a converter wrote there."""
    try:
        title = bounded((reader.metadata or {}).get("/Title"), 300)
    except Exception:  # noqa: BLE001 - a broken info dictionary is no title, not a lost file
        return None
    if not title or re.search(r"\.(docx?|pdf|indd|rtf|odt)$|^microsoft word|^untitled", title, re.IGNORECASE):
        return None
    return title


def read_pdf(raw: bytes) -> tuple[str, list[int], str | None]:
    """(text, page starts, title) of a PDF's bytes; FormatError when it cannot be read."""
    pypdf = need("pypdf", "pdf")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings on odd files are not ours to print
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - unsupported algorithm, missing crypto library
                raise FormatError(f"encrypted PDF ({type(exc).__name__})") from exc
            if not opened:
                raise FormatError("encrypted PDF (a password is needed)")
        count = len(reader.pages)
        pages: list[list[str]] = []
        chars = 0
        started = time.monotonic()
        failed: list[int] = []
        for number in range(min(count, MAX_PAGES)):
            try:
                text = reader.pages[number].extract_text() or ""
            except Exception:  # noqa: BLE001 - one broken page (a bad font, a cut stream) is not the file
                text = ""
                failed.append(number + 1)
            chars += len(text)
            pages.append([line.strip() for line in text.replace("\r", "\n").split("\n")])
            if chars > MAX_CHARS or time.monotonic() - started > MAX_SECONDS:
                break
        title = _title(reader)
    except FormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on hostile files
        raise FormatError(f"unreadable PDF ({type(exc).__name__}: {str(exc)[:160]})") from exc
    if len(pages) < count:
        log.warning("PDF of %d pages: only the first %d read (limits: %d pages, %d characters, %g s)",
                    count, len(pages), MAX_PAGES, MAX_CHARS, MAX_SECONDS)
    if failed and len(failed) == len(pages):
        raise FormatError(f"unreadable PDF (no page's text could be read, {len(failed)} tried)")
    if failed:
        log.warning("PDF: the text of page(s) %s could not be read; they are left empty",
                    ", ".join(map(str, failed[:20])) + (" ..." if len(failed) > 20 else ""))
    text, starts = page_texts(pages, title)
    if not text.strip():
        raise FormatError("PDF without a text layer (scanned? khabar does no OCR)")
    return text, starts, title
