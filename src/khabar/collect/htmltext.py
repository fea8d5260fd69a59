"""Main text, title and date of an HTML page.

trafilatura finds the article body and drops navigation, comments and
scripts. When it gives up (very short pages, odd markup) a plain lxml walk
is the fallback, so a page is never lost just because it is unusual. Nothing
in the page is ever executed: scripts, styles and templates are removed as
elements, never interpreted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html.parser import HTMLParser

import lxml.etree
import lxml.html
import trafilatura

from khabar.collect.meta import MetaError, parse_published

__all__ = ["HtmlText", "extract_html"]

log = logging.getLogger(__name__)

# Elements whose content is never document text.
_NOT_TEXT = ("script", "style", "noscript", "template", "iframe", "svg", "math", "object", "embed", "head")
# Elements that start a new line in the plain fallback.
_BLOCKS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer "
    "blockquote pre figure figcaption dd dt dl hr main aside nav form".split()
)


@dataclass
class HtmlText:
    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """Parse with lxml, tolerating encoding declarations and empty input."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return None


def _plain_text(root: lxml.html.HtmlElement) -> str:
    """Text of the page body, one line per block element."""
    lxml.etree.strip_elements(root, *_NOT_TEXT, with_tail=False)
    body = root.find("body")
    node = body if body is not None else root
    parts: list[str] = []
    for event, el in lxml.etree.iterwalk(node, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS:
                parts.append("\n")
            if el.text and tag:
                parts.append(el.text)
        else:
            if tag in _BLOCKS:
                parts.append("\n")
            if el.tail and el is not node:
                parts.append(el.tail)
    return "".join(parts)


class _TextCollector(HTMLParser):
    """Text outside script, style and the like; a line break at each block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _NOT_TEXT:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _NOT_TEXT:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _stream_text(html: str) -> str:
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except Exception as exc:  # noqa: BLE001 - hostile markup must not stop the batch
        log.debug("streaming HTML parse failed: %s", exc)
    return "".join(collector.parts)


def _title_from_tree(root: lxml.html.HtmlElement | None) -> str | None:
    if root is None:
        return None
    found = root.find(".//title")
    if found is None:
        return None
    return " ".join(found.text_content().split()) or None


def _metadata(html: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(title, published, url, source) from trafilatura, each None if unknown."""
    try:
        # extensive=False: take dates from the page's markup, not guesses from
        # any date-looking string in the body text.
        meta = trafilatura.extract_metadata(html, extensive=False)
    except Exception as exc:  # a hostile page must not stop the batch
        log.debug("trafilatura metadata failed: %s", exc)
        return None, None, None, None
    try:
        published = parse_published((meta.date or "")[:10] or None)
    except MetaError:
        published = None
    return meta.title or None, published, meta.url or None, meta.sitename or None


def extract_html(html: str) -> HtmlText:
    """Main text and metadata of ``html``; text may be empty, never None."""
    text: str | None = None
    try:
        text = trafilatura.extract(html, include_comments=False, favor_precision=True)
    except Exception as exc:  # trafilatura can raise on malformed markup
        log.debug("trafilatura extract failed: %s", exc)
    title, published, url, source = _metadata(html)
    root = None
    if not text or not title:
        root = _parse(html)
    if not title:
        title = _title_from_tree(root)
    if not text:
        text = _plain_text(root) if root is not None else ""
    if not text.strip():
        # lxml gives up on absurd nesting (10,000 open <div>s) and trafilatura with it: a
        # streaming parser keeps no tree, so no depth stops it from reading the text
        text = _stream_text(html)
    return HtmlText(text=text, title=title, published=published, url=url, source=source)
