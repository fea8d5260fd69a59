"""COLLECT: turn files and folders into normalised, cleaned ``Document`` records.

``collect(paths, meta_path)`` reads every supported file (.txt, .md, .html,
.htm, .jsonl, and through ``formats``: .pdf, .docx, Telegram .json, .rss/.atom/.xml
feeds, .warc/.warc.gz), normalises and cleans the text, fills metadata (sidecar values
win over inferred ones) and yields a ``Document`` or a ``Skipped`` reason per
input, never stopping the batch for one bad file. Duplicate detection is left
to the caller (``Deduplicator``), who knows what is already stored.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from khabar.collect.byline import infer_source
from khabar.collect.clean import Cleaned, clean_text
from khabar.collect.dedup import Deduplicator  # light: datasketch loads when a text is hashed
from khabar.collect.meta import MetaError, Sidecar, load_meta
from khabar.collect.normalize import doc_id, normalize_text, valid_unicode
from khabar.collect.readers import MULTI_DOCUMENT, RawDoc, Skipped, file_suffix, iter_files, read_path
from khabar.schema import Document

__all__ = [
    "collect",
    "normalize_text",
    "clean_text",
    "doc_id",
    "Deduplicator",
    "Skipped",
    "load_meta",
    "Cleaned",
    "MetaError",
    "FileSeen",
    "Unchanged",
]

TITLE_MAX = 200  # a first line this long is a paragraph, not a headline
_TITLE_KEEP = 300  # bound on any stored title


def _one_line(value: str | None) -> str | None:
    """A title or label as one normalised line, bounded in length."""
    if value is None:
        return None
    return " ".join(normalize_text(value).split())[:_TITLE_KEEP] or None


def _title_from_text(text: str) -> str | None:
    """The first line, if it looks like a headline (short, no final period).

    It stays in the text as well: analysts quote headlines.
    """
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if first and len(first) < TITLE_MAX and not first.endswith("."):
        return _one_line(first)
    return None


def _apply_meta(raw: RawDoc, meta: Mapping[str, dict[str, str]]) -> None:
    """Sidecar values override inferred ones.

    For a .jsonl line, an entry for the line's own name overrides; an entry
    for the .jsonl file only fills what the line leaves empty (a file-wide
    "source" for a channel export, say), since the line is more specific.
    """
    if raw.container and raw.container != raw.name:
        for key, value in meta.get(raw.container, {}).items():
            if getattr(raw, key) is None:
                setattr(raw, key, value)
    for key, value in meta.get(raw.name, {}).items():
        setattr(raw, key, value)


def _to_document(raw: RawDoc) -> Document | Skipped:
    from khabar.collect.formats.language import detect_language
    from khabar.collect.formats.pages import mark_pages, unmark_pages

    where = raw.where or raw.path
    body = mark_pages(raw.text, raw.pages) if raw.pages else raw.text  # page starts ride through cleaning
    text = normalize_text(clean_text(normalize_text(body)).text)
    pages = None
    if raw.pages:
        text, pages = unmark_pages(text, len(raw.pages))
        if normalize_text(text) != text:  # a mark stood where normalising changes the text
            text = normalize_text(text)
            pages = [min(p, len(text)) for p in pages]
    if not text:
        return Skipped(where, "empty document")
    title = _one_line(raw.title)
    if title is None and raw.title_from_text:
        title = _title_from_text(text)
    return Document(
        id=doc_id(text),
        text=text,
        name=valid_unicode(raw.name) or "",
        path=valid_unicode(raw.path) or "",
        source=_one_line(raw.source) or infer_source(raw.text),
        url=valid_unicode(raw.url.strip()) if raw.url else None,
        title=title,
        published=raw.published,
        language=detect_language(text),
        pages=pages,
    )


def _as_list(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _same_file(a: Path, b: Path | None) -> bool:
    if b is None:
        return False
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


@dataclass
class FileSeen:
    """An input file as found now: absolute path, size, mtime, the sidecar entries that apply
    to it (as a digest) and, read only when asked, the sha256 of its bytes. ``collect`` with
    ``known`` yields one after each file's documents, for the caller to remember."""

    path: str
    size: int
    mtime_ns: int
    meta: str
    sha256: str | None = None
    complete: bool = True  # False when part of it was skipped

    @property
    def key(self) -> str:
        """The path as stored: a name with undecodable bytes keeps them as \\xNN escapes."""
        return os.fsencode(self.path).decode("utf-8", "backslashreplace")

    def content_hash(self) -> str:
        if self.sha256 is None:
            digest = hashlib.sha256()
            with open(self.path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            self.sha256 = digest.hexdigest()
        return self.sha256


@dataclass
class Unchanged:
    """A file ``known`` recognised: its documents (ids) are stored as they would be read now."""

    seen: FileSeen
    docs: tuple[str, ...]


def _meta_digest(path: Path, meta: Mapping[str, dict[str, str]]) -> str:
    """A digest of the sidecar entries that can change a file's documents: its own entry, and
    for a .jsonl (whose lines have names of their own) the whole sidecar."""
    if not meta:
        return ""
    if file_suffix(path) in MULTI_DOCUMENT:
        if isinstance(meta, Sidecar):
            return meta.digest()
        wanted = meta
    else:
        wanted = meta.get(path.name, {})
    if not wanted:
        return ""
    return hashlib.sha256(json.dumps(wanted, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _seen(path: Path, meta: Mapping[str, dict[str, str]]) -> FileSeen | None:
    try:
        st = path.stat()
    except OSError:
        return None  # read_path will say why
    return FileSeen(os.path.abspath(path), st.st_size, st.st_mtime_ns, _meta_digest(path, meta))


def _generate(paths: list[Path], meta: Mapping[str, dict[str, str]], meta_file: Path | None,
              known: Callable[[FileSeen], Unchanged | None] | None = None):
    for item in iter_files(paths):
        if isinstance(item, Skipped):
            yield item
            continue
        if meta_file is not None and item.suffix == meta_file.suffix and _same_file(item, meta_file):
            continue  # the sidecar describes documents; it is not one (resolving every path costs)
        seen = _seen(item, meta) if known is not None else None
        if seen is not None:
            hit = known(seen)
            if hit is not None:  # not read, decoded nor normalised again
                yield hit
                continue
        for raw in read_path(item):
            if not isinstance(raw, Skipped):
                _apply_meta(raw, meta)
                raw = _to_document(raw)
            if isinstance(raw, Skipped) and seen is not None:
                seen.complete = False  # reported again next time, so never passed by
            yield raw
        if seen is not None:
            yield seen


def collect(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    meta_path: str | os.PathLike[str] | None = None,
    known: Callable[[FileSeen], Unchanged | None] | None = None,
) -> Iterator[Document | Skipped | FileSeen | Unchanged]:
    """Yield a Document or a Skipped for every input under ``paths``.

    The sidecar is loaded before anything is read, so a malformed sidecar
    fails at once (``MetaError`` naming file and line) instead of mid-batch.

    With ``known`` (incremental ingest), each file is first shown to ``known``: an
    ``Unchanged`` it returns is yielded instead of the file's documents; a file that is
    read is followed by its ``FileSeen``.
    """
    meta_file = Path(meta_path) if meta_path is not None else None
    meta = load_meta(meta_file) if meta_file is not None else {}
    return _closing(_generate(_as_list(paths), meta, meta_file, known), meta)


def _closing(items: Iterator, meta: Mapping[str, dict[str, str]]) -> Iterator:
    """``items``, then the sidecar's temporary index removed (also when the caller stops early)."""
    try:
        yield from items
    finally:
        if isinstance(meta, Sidecar):
            meta.close()
