"""WARC web archives (.warc, .warc.gz; warcio, the ``warc`` extra) of saved pages.

Each ``response`` record of a successful (2xx) HTML page becomes a document through the
same reader as a saved page (``htmltext.extract_html``): its WARC-Target-URI is the url,
the page's own date its publication date, else the capture's WARC-Date (the day the page
was archived, later than or on the day it was published). Other records (requests,
metadata, images, redirects) are passed by. Documents are named ``FILE#N`` (N counts the
HTML pages from 1).

Archives are big, so the file is streamed, not read whole: the number of records looked
at, the bytes of one page (after transfer and content decoding, so a gzip bomb inside a
record stops at the limit) and the bytes unpacked in all are bounded. A record that
breaks the archive ends it with a one-line reason; the pages before it are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from khabar.collect.formats import FormatError, bounded, need

__all__ = ["read_warc", "is_warc_name"]

MAX_RECORDS = 200_000  # records looked at (every kind)
MAX_PAGE_BYTES = 16 * 1024 * 1024  # one page's HTML
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024  # HTML read in all
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:\-]+)", re.IGNORECASE)


def is_warc_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".warc") or lower.endswith(".warc.gz")


def _decoded(payload: bytes, content_type: str) -> str | None:
    """The page's text: in the charset its headers name when that decodes it, else as any
    file is decoded (byte-order marks, UTF-8, detection)."""
    from khabar.collect.readers import decode

    found = _CHARSET.search(content_type)
    if found:
        try:
            return payload.decode(found.group(1))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(payload)


def _day(stamp: str | None) -> str | None:
    """The day of a WARC-Date ("2023-03-08T10:00:01Z" -> "2023-03-08"), None unless it is a real one."""
    from khabar.collect.meta import MetaError, parse_published

    if not stamp or not re.match(r"\d{4}-\d{2}-\d{2}(?:T|$)", stamp):
        return None
    try:
        return parse_published(stamp[:10])
    except MetaError:
        return None


def read_warc(path: Path, file_name: str) -> Iterator[Any]:
    """RawDocs (and Skipped for pages too big) of a WARC file's HTML responses;
    FormatError when the archive cannot be read (the pages before the fault are yielded)."""
    from khabar.collect.htmltext import extract_html
    from khabar.collect.readers import RawDoc, Skipped

    warcio = need("warcio.archiveiterator", "warc")
    where = str(path)
    pages = total = looked = 0
    try:
        with path.open("rb") as handle:
            for record in warcio.ArchiveIterator(handle):
                looked += 1
                if looked > MAX_RECORDS:
                    raise FormatError(f"archive stops being read after {MAX_RECORDS} records")
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                http = record.http_headers
                content_type = http.get_header("Content-Type") or ""
                if not (http.get_statuscode() or "").startswith("2") or "html" not in content_type.lower():
                    continue
                pages += 1
                name = f"{file_name}#{pages}"
                payload = record.content_stream().read(MAX_PAGE_BYTES + 1)
                total += len(payload)
                if len(payload) > MAX_PAGE_BYTES:
                    yield Skipped(f"{where}#{pages}", f"page over {MAX_PAGE_BYTES} bytes")
                    continue
                if total > MAX_TOTAL_BYTES:
                    raise FormatError(f"archive stops being read after {MAX_TOTAL_BYTES} bytes of pages")
                html = _decoded(payload, content_type)
                if html is None:
                    yield Skipped(f"{where}#{pages}", "binary page")
                    continue
                page = extract_html(html)
                published = page.published or _day(record.rec_headers.get_header("WARC-Date"))
                yield RawDoc(text=page.text, name=name, path=where, title=page.title,
                             url=bounded(record.rec_headers.get_header("WARC-Target-URI")) or page.url,
                             source=page.source, published=published, container=file_name,
                             where=f"{where}#{pages}")
    except FormatError:
        raise
    except OSError as exc:
        raise FormatError(f"cannot read ({exc.strerror or exc})") from exc
    except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on damaged archives
        kind = "unreadable WARC" if pages == 0 else f"WARC damaged after {pages} pages"
        raise FormatError(f"{kind} ({type(exc).__name__}: {str(exc)[:160]})") from exc
    if looked == 0:
        raise FormatError("empty WARC archive")
