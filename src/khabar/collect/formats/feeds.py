"""RSS and Atom feed files (feedparser, the ``feeds`` extra): each entry a document.

An entry's title is the document's title, its link the url, its published (else updated)
date the publication date, and its content (else its summary) the text, read as HTML
through the same path as a saved page (``htmltext.extract_html``) unless the feed says it
is plain text; an entry with neither has its title as text (a headline is still a report).
The feed's title is the source. Entries are named ``FILE#N`` (N from 1 in feed order).

feedparser reads from the bytes given, never from the network (a file object is passed,
not a string it could take for a URL); its HTML sanitising stays on.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from typing import Any

from khabar.collect.formats import FormatError, bounded, need

__all__ = ["looks_like_feed", "read_feed"]

MAX_ENTRIES = 50_000
_ROOT = re.compile(rb"<([A-Za-z][\w:.\-]*)")
_FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf", b"channel"}


def looks_like_feed(raw: bytes) -> bool:
    """Whether the first element of an XML file is a feed's (rss, feed, rdf:RDF)."""
    head = raw[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 feed, with its byte-order mark
        head = raw[:16384].decode("utf-16", errors="ignore").encode("utf-8")
    elif head[:1] == b"\x00" or head[1:2] == b"\x00":  # or without: "\0<" is big-endian, "<\0" little
        head = raw[:16384].decode("utf-16-be" if head[:1] == b"\x00" else "utf-16-le", errors="ignore").encode()
    # skip the prolog: <?xml ...?>, comments and a doctype come before the root
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL)
    found = _ROOT.search(head)
    return found is not None and found.group(1).lower() in _FEED_ROOTS


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time) and 1 <= value.tm_year <= 9999:
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    return None


def _body(entry: Any) -> str:
    """The entry's text: its longest content, else its summary, as plain text."""
    from khabar.collect.htmltext import extract_html

    candidates = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content") or []
                  if isinstance(c, dict)]
    if not any(value.strip() for value, _ in candidates):
        detail = entry.get("summary_detail") or {}
        candidates = [(entry.get("summary") or "", detail.get("type") or "text/html")]
    value, kind = max(candidates, key=lambda c: len(c[0]))
    if not value.strip():
        return ""
    if kind == "text/plain":
        return value
    return extract_html(f"<html><body>{value}</body></html>").text


def read_feed(raw: bytes, file_name: str, path: str) -> Iterator[Any]:
    """RawDocs of a feed file's entries; FormatError when it is no readable feed."""
    from khabar.collect.readers import RawDoc  # readers imports this module lazily: no cycle at load

    feedparser = need("feedparser", "feeds")
    try:
        parsed = feedparser.parse(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - hostile XML must not stop the batch
        raise FormatError(f"unreadable feed ({type(exc).__name__}: {str(exc)[:160]})") from exc
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem = str(parsed.get("bozo_exception") or "malformed XML")
            raise FormatError(f"malformed feed ({problem[:160]})")
        raise FormatError("feed without entries" if parsed.get("version") else "not an RSS or Atom feed")
    source = bounded((parsed.get("feed") or {}).get("title"), 300)
    read = [(bounded(entry.get("title"), 300), _body(entry), entry) for entry in entries[:MAX_ENTRIES]]
    if parsed.get("bozo") and not any(title or text.strip() for title, text, _ in read):
        problem = str(parsed.get("bozo_exception") or "malformed XML")
        raise FormatError(f"malformed feed ({problem[:160]})")
    for number, (title, text, entry) in enumerate(read, start=1):
        text = text or title or ""
        yield RawDoc(text=text, name=f"{file_name}#{number}", path=path, title=title,
                     url=bounded(entry.get("link")), source=source, published=_date(entry),
                     container=file_name, where=f"{path}#{number}")
