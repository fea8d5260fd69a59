"""Read paths (files or folders) into raw documents, or reasons to skip them.

Documents are hostile input: any file may be huge, binary, mis-encoded or
malformed. A reader therefore never raises for one bad file (or one bad
.jsonl line); it yields a ``Skipped`` with a one-line reason and the batch
goes on. Sizes are bounded before reading, and nothing is ever executed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.collect.htmltext import extract_html
from khabar.collect.meta import MetaError, parse_published

__all__ = ["RawDoc", "Skipped", "read_path", "iter_files", "SUPPORTED", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 20 * 1024 * 1024  # larger files are skipped, not truncated
BINARY_SNIFF_BYTES = 8192  # a NUL byte in this prefix marks a binary file
MAX_FIELD_CHARS = 2000  # bound on title/url/source/name values from a .jsonl line
SUPPORTED = (".txt", ".md", ".html", ".htm", ".jsonl")


@dataclass
class Skipped:
    """A path (or ``file#line``) that gave no document, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        # One line, whatever the reason holds: reasons may quote hostile input.
        return " ".join(f"skipped {self.path}: {self.reason}".split())


@dataclass
class RawDoc:
    """A document as read, before normalisation and cleaning."""

    text: str
    name: str
    path: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    title_from_text: bool = False  # take the title from the first line after cleaning
    container: str | None = None  # base name of the .jsonl file the line came from
    where: str = ""  # "file#line" for a .jsonl line, to name it in a Skipped


def decode(raw: bytes) -> str:
    """UTF-8 (BOM allowed), else cp1252, else latin-1, which never fails."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


# Minimal Markdown: headings, emphasis, images and links become plain text.
# Inner runs exclude their own delimiter ("[" and "]", "*", "_"), so each match
# attempt stops at the next delimiter: a hostile line of 20 MB of "[" or "__a "
# costs linear, not quadratic, time.
_MD_IMAGE = re.compile(r"!\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+([^\n]*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_MD_STRONG = re.compile(r"\*\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*\*|__(?=\S)([^_\n]{1,500}?)(?<=\S)__")
# Single * or _ only around a word run, not inside words (snake_case, 2*3*4).
_MD_EM = re.compile(
    r"(?<![\w*])\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_\n]{1,500}?)(?<=\S)_(?![\w_])"
)


def strip_markdown(text: str) -> str:
    """Plain text of minimal Markdown; offsets later refer to what is left."""
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub(r"\1", text)
    # Strong before emphasis, so "**x**" is not read as "*" + "*x*" + "*".
    text = _MD_STRONG.sub(lambda m: m.group(1) or m.group(2), text)
    return _MD_EM.sub(lambda m: m.group(1) or m.group(2), text)


def _field(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise MetaError(f"{key} must be a string or null, not {type(value).__name__}")
    return value.strip()[:MAX_FIELD_CHARS] or None


def _jsonl_published(value: Any) -> str | None:
    # Channel exports carry timestamps; the date part is the partial ISO date.
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}[T ]", value):
        value = value[:10]
    return parse_published(value)


def _jsonl_line(entry: Any, file_name: str, path: str, number: int) -> RawDoc:
    if not isinstance(entry, dict):
        raise MetaError("line is not a JSON object")
    text = entry.get("text")
    if not isinstance(text, str):
        raise MetaError('missing "text" string')
    own = entry.get("doc", entry.get("id"))
    if own is not None and not isinstance(own, (str, int)):
        raise MetaError('"doc"/"id" must be a string or number')
    name = str(own).strip()[:MAX_FIELD_CHARS] if own is not None else ""
    return RawDoc(
        text=text,
        name=name or f"{file_name}#{number}",
        path=path,
        title=_field(entry.get("title"), "title"),
        url=_field(entry.get("url"), "url"),
        source=_field(entry.get("source"), "source"),
        published=_jsonl_published(entry.get("published")),
        container=file_name,
        where=f"{path}#{number}",
    )


def _read_jsonl(text: str, file_name: str, path: str) -> Iterator[RawDoc | Skipped]:
    # split("\n"): JSON strings may contain U+2028, a line break to splitlines().
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}#{number}"
        try:
            yield _jsonl_line(json.loads(line), file_name, path, number)
        except MetaError as exc:
            yield Skipped(where, f"line {number}: {exc}")
        except (ValueError, RecursionError) as exc:  # bad JSON, absurd numbers, deep nesting
            yield Skipped(where, f"line {number}: invalid JSON ({str(exc)[:200]})")


def _read_bytes(path: Path) -> bytes | Skipped:
    """The file's bytes, or why not (too big, unreadable, binary)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Skipped(str(path), f"file too large ({size} bytes, limit {MAX_FILE_BYTES})")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # the file may grow after stat()
    except OSError as exc:
        return Skipped(str(path), f"cannot read ({exc.strerror or exc})")
    if len(raw) > MAX_FILE_BYTES:
        return Skipped(str(path), f"file too large (over {MAX_FILE_BYTES} bytes)")
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        return Skipped(str(path), "binary file")
    return raw


def read_path(path: str | Path) -> Iterator[RawDoc | Skipped]:
    """Read one file into zero or more raw documents (or Skipped reasons)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield Skipped(str(path), f"unsupported file type {suffix or '(no extension)'}")
        return
    raw = _read_bytes(path)
    if isinstance(raw, Skipped):
        yield raw
        return
    text = decode(raw)
    if not text.strip():
        yield Skipped(str(path), "empty document")
        return
    name, where = path.name, str(path)
    if suffix == ".jsonl":
        yield from _read_jsonl(text, name, where)
    elif suffix in (".html", ".htm"):
        page = extract_html(text)
        yield RawDoc(page.text, name, where, page.title, page.url, page.source, page.published)
    elif suffix == ".md":
        yield RawDoc(strip_markdown(text), name, where, title_from_text=True)
    else:
        yield RawDoc(text, name, where, title_from_text=True)


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    """Files under ``folder`` in sorted order, skipping hidden entries.

    Symlinked folders are not followed, so a link loop cannot recurse forever.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(str(folder), f"cannot list folder ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(child)
        else:
            yield child


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    """Expand files and folders into files; missing or special paths are Skipped."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates: Iterable[Path | Skipped] = _walk(path)
        else:
            candidates = [path]
        for item in candidates:
            if isinstance(item, Skipped):
                yield item
            elif not item.exists():
                yield Skipped(str(item), "no such file")
            elif not item.is_file():  # devices, FIFOs: reading could block or never end
                yield Skipped(str(item), "not a regular file")
            else:
                yield item
