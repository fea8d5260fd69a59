"""Read paths (files or folders) into raw documents, or reasons to skip them.

Documents are hostile input: any file may be huge, binary, mis-encoded or
malformed. A reader therefore never raises for one bad file (or one bad
.jsonl line); it yields a ``Skipped`` with a one-line reason and the batch
goes on. Sizes are bounded before reading, and nothing is ever executed.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.collect.meta import MetaError, parse_published
from khabar.collect.normalize import printable

__all__ = ["RawDoc", "Skipped", "read_path", "iter_files", "SUPPORTED", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 64 * 1024 * 1024  # larger files are skipped, not truncated (long texts are read in sections)
BINARY_SNIFF_BYTES = 8192  # a NUL byte in this prefix marks a binary file
MAX_FIELD_CHARS = 2000  # bound on title/url/source/name values from a .jsonl line
SUPPORTED = (".txt", ".md", ".html", ".htm", ".jsonl", ".json", ".pdf", ".docx", ".rss", ".atom", ".xml", ".warc",
             ".warc.gz")
# Files holding many documents, each named FILE#N (a sidecar entry may name one of them).
MULTI_DOCUMENT = (".jsonl", ".json", ".rss", ".atom", ".xml", ".warc", ".warc.gz")
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024 * 1024  # a WARC is streamed record by record, not read whole


@dataclass
class Skipped:
    """A path (or ``file#line``) that gave no document, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        # One line, whatever the reason holds: reasons may quote hostile input, and a file
        # name may hold terminal escape codes or undecodable bytes.
        return printable(" ".join(f"skipped {self.path}: {self.reason}".split()))


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
    pages: list[int] | None = None  # where each page starts in ``text`` (a PDF), else None


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# A UTF-8 file with a few bad bytes (a pasted fragment, a cut multi-byte character) stays
# UTF-8, those bytes replaced: at most this share of its bytes may be bad.
MAX_BAD_UTF8 = 0.01
# Text whose sample holds more than this share of control or unassigned characters is binary.
MAX_CONTROL_SHARE = 0.05


def _control_share(text: str) -> float:
    """The share of control or unassigned characters in the first 64K (0 when there are
    fewer than 8 of them: a stray one or two in a short note is not a binary file)."""
    sample = text[:65536]
    # counted per distinct character (a Counter is built in C): no Python loop over the text
    bad = sum(n for c, n in Counter(sample).items()
              if c not in "\t\n\r\f" and unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs"))
    return bad / len(sample) if bad >= 8 else 0.0


def decode(raw: bytes) -> str | None:
    """The text of ``raw``, or None when it is binary.

    A byte-order mark decides (UTF-8, UTF-16, UTF-32); else NUL bytes mean UTF-16 without
    a mark (when one byte order gives text with ASCII spaces) or binary; else UTF-8, kept
    when only a few bytes are bad (replaced with U+FFFD); else the encoding
    charset-normalizer detects (cp1256 Arabic, cp1252, ...; a short text chooses only
    among cp1252, cp1256 and cp1251); else cp1252, then latin-1, which never fails. Binary
    is also told by too many control characters once decoded. Mojibake is repaired later,
    on each document read (``read_path``)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            text = raw.decode(encoding, errors="replace")
            return None if _control_share(text) > MAX_CONTROL_SHARE else text
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        # NULs: binary, or UTF-16 written without a byte-order mark (its ASCII is half NULs)
        from khabar.collect.formats.encoding import utf16_without_bom

        text = utf16_without_bom(raw)
        return None if text is None or _control_share(text) > MAX_CONTROL_SHARE else text
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        replaced = raw.decode("utf-8", errors="replace")
        bad = replaced.count("\ufffd") - raw.count("\ufffd".encode())
        if bad <= max(3, MAX_BAD_UTF8 * len(raw)) and _plausibly_utf8(raw):
            text = replaced
        else:
            text = _detected(raw)
    return None if _control_share(text) > MAX_CONTROL_SHARE else text


def _plausibly_utf8(raw: bytes) -> bool:
    """Whether the bytes above 127 are mostly well-formed UTF-8 sequences (or there are none)."""
    high = sum(1 for b in raw[:262144] if b > 127)
    if not high:
        return True
    good = len(raw[:262144].decode("utf-8", errors="ignore").encode("utf-8")) - sum(
        1 for b in raw[:262144] if b < 128)
    return good >= 0.8 * high


# Below this many bytes a detector guesses more than it knows: a short note is read as cp1252.
MIN_DETECT_BYTES = 256


def _detected(raw: bytes) -> str:
    if len(raw) < MIN_DETECT_BYTES:
        # cp1252 unless enough non-ASCII bytes show cp1256 Arabic or cp1251 Cyrillic
        from khabar.collect.formats.encoding import short_code_page

        return short_code_page(raw)
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(raw[:1_000_000]).best()
        if best is not None and best.encoding:
            return raw.decode(best.encoding, errors="replace")
    except (LookupError, ValueError):
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
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
    return raw


def file_suffix(path: str | Path) -> str:
    """The suffix that decides a file's reader: ".warc.gz" for a compressed archive, else
    the last suffix, lowercased."""
    name = Path(path).name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else Path(name).suffix


def _repaired(doc: RawDoc) -> RawDoc:
    """``doc`` with mojibake repaired in its text and title; a paged text page by page, so
    that its page starts stay right."""
    from khabar.collect.formats.encoding import repair_mojibake

    if doc.pages:
        bounds = [*doc.pages, len(doc.text)]
        parts = [repair_mojibake(doc.text[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
        starts, at = [], 0
        for part in parts:
            starts.append(at)
            at += len(part)
        doc.text, doc.pages = "".join(parts), starts
    else:
        doc.text = repair_mojibake(doc.text)
    if doc.title:
        doc.title = repair_mojibake(doc.title)
    return doc


def read_path(path: str | Path) -> Iterator[RawDoc | Skipped]:
    """Read one file into zero or more raw documents (or Skipped reasons).

    The reader is chosen by suffix (SUPPORTED); a .json must be a Telegram channel export
    and a .xml an RSS or Atom feed, which is checked on the content. A format whose
    library is not installed, or a malformed file, gives one Skipped line."""
    path = Path(path)
    suffix = file_suffix(path)
    if suffix not in SUPPORTED:
        yield Skipped(str(path), f"unsupported file type {suffix or '(no extension)'}")
        return
    from khabar.collect.formats import FormatError

    try:
        for item in _read(path, suffix):
            yield _repaired(item) if isinstance(item, RawDoc) else item
    except FormatError as exc:
        yield Skipped(str(path), str(exc))


def _read(path: Path, suffix: str) -> Iterator[RawDoc | Skipped]:
    name, where = path.name, str(path)
    if suffix in (".warc", ".warc.gz"):
        from khabar.collect.formats.warc import read_warc

        try:
            size = path.stat().st_size
        except OSError as exc:
            yield Skipped(where, f"cannot read ({exc.strerror or exc})")
            return
        if size > MAX_ARCHIVE_BYTES:
            yield Skipped(where, f"file too large ({size} bytes, limit {MAX_ARCHIVE_BYTES})")
            return
        yield from read_warc(path, name)
        return
    raw = _read_bytes(path)
    if isinstance(raw, Skipped):
        yield raw
        return
    if suffix == ".pdf":
        from khabar.collect.formats.pdf import read_pdf

        text, starts, title = read_pdf(raw)
        yield RawDoc(text, name, where, title, title_from_text=title is None, pages=starts)
        return
    if suffix == ".docx":
        from khabar.collect.formats.docx import read_docx

        text, title = read_docx(raw)
        yield RawDoc(text, name, where, title, title_from_text=title is None)
        return
    if suffix in (".rss", ".atom", ".xml"):
        from khabar.collect.formats.feeds import looks_like_feed, read_feed

        if suffix == ".xml" and not looks_like_feed(raw):
            yield Skipped(where, "XML that is not an RSS or Atom feed")
            return
        yield from read_feed(raw, name, where)
        return
    text = decode(raw)
    if text is None:
        yield Skipped(where, "binary file")
        return
    if not text.strip():
        yield Skipped(where, "empty document")
        return
    if suffix == ".jsonl":
        yield from _read_jsonl(text, name, where)
    elif suffix == ".json":
        yield from _read_json(text, name, where)
    elif suffix in (".html", ".htm"):
        from khabar.collect.htmltext import extract_html  # trafilatura: 0.5 s to import, for HTML only

        page = extract_html(text)
        yield RawDoc(page.text, name, where, page.title, page.url, page.source, page.published)
    elif suffix == ".md":
        yield RawDoc(strip_markdown(text), name, where, title_from_text=True)
    else:
        yield RawDoc(text, name, where, title_from_text=True)


def _read_json(text: str, name: str, where: str) -> Iterator[RawDoc | Skipped]:
    """A .json file: a Telegram Desktop channel export (``result.json``)."""
    from khabar.collect.formats.telegram import is_export, read_export

    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        yield Skipped(where, f"invalid JSON ({str(exc)[:200]})")
        return
    if not is_export(value):
        yield Skipped(where, "JSON that is not a Telegram channel export (result.json with \"messages\")")
        return
    yield from read_export(value, name, where)


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
