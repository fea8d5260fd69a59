"""The optional metadata sidecar: what the analyst knows about each file.

A sidecar is a JSON Lines file, one object per document:
``{"doc": "a.html", "published": "2024-03", "source": "...", "url": "...", "title": "..."}``.
Entries are keyed on the file's base name, so a sidecar written next to a
folder still matches when the folder is moved. Its values override what is
inferred from the file (the analyst knows better than a date heuristic); an
absent or null value leaves the inferred one in place.

A malformed sidecar is an error, not a warning: silently wrong dates would
corrupt every timeline built on them, so the message names file and line.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["MetaError", "Sidecar", "load_meta", "parse_published", "base_name", "META_FIELDS"]

META_FIELDS = ("published", "source", "url", "title")
MAX_META_BYTES = 50 * 1024 * 1024  # a sidecar is small; refuse anything absurd
MAX_VALUE_CHARS = 2000  # bound each string value (a URL or title is far shorter)

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class MetaError(ValueError):
    """A sidecar (or a metadata value) that cannot be trusted."""


def parse_published(value: Any) -> str | None:
    """Validate a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD) or None.

    The calendar is checked too (no month 13, no 31 February), because an
    impossible date would sort silently into the wrong place.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise MetaError(f"published must be a string or null, not {type(value).__name__}")
    match = _PARTIAL_DATE.match(value.strip())
    if not match:
        raise MetaError(f"published {value[:40]!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise MetaError(f"published {value!r} is not a real date ({exc})") from None
    return match.group(0)


def base_name(name: str) -> str:
    """The last component of a path written with / or \\ separators."""
    return re.split(r"[\\/]", name.strip())[-1]


def _string_or_none(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise MetaError(f"{key} must be a string or null, not {type(value).__name__}")
    value = value.strip()
    return value[:MAX_VALUE_CHARS] or None


def _parse_entry(entry: Any) -> tuple[str, dict[str, str]]:
    """Turn one decoded sidecar line into (base name, non-null values)."""
    if not isinstance(entry, dict):
        raise MetaError("line is not a JSON object")
    doc = entry.get("doc")
    if not isinstance(doc, str) or not base_name(doc):
        raise MetaError('missing or empty "doc" (the file name the line describes)')
    values: dict[str, str] = {}
    for key in ("source", "url", "title"):
        value = _string_or_none(entry, key)
        if value is not None:
            values[key] = value
    published = parse_published(entry.get("published"))
    if published is not None:
        values["published"] = published
    return base_name(doc), values


def _key(name: str) -> bytes:
    return name.encode("utf-8", "surrogatepass")


def _name(key: bytes) -> str:
    return key.decode("utf-8", "surrogatepass")


class Sidecar(Mapping[str, dict[str, str]]):
    """A loaded sidecar: {base name: {field: value}}, looked up one file at a time.

    The entries live in a temporary SQLite file keyed by base name, not in a dict: a sidecar
    of a million documents would otherwise hold hundreds of MB for the whole ingest, while a
    run only ever asks for the entry of the file it is reading. The file is removed when the
    sidecar is closed or collected.
    """

    def __init__(self) -> None:
        handle, self._path = tempfile.mkstemp(prefix="khabar-sidecar-", suffix=".db")
        os.close(handle)
        self._conn: sqlite3.Connection | None = sqlite3.connect(self._path, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=OFF")
        self._conn.execute("PRAGMA synchronous=OFF")
        self._conn.execute("PRAGMA cache_size=-2048")  # 2 MB: lookups follow one short index
        # names as UTF-8 bytes that keep a lone surrogate (a hostile file name or JSON escape),
        # which SQLite's text cannot hold
        self._conn.execute("CREATE TABLE entry (name BLOB PRIMARY KEY, line INTEGER, doc TEXT) WITHOUT ROWID")
        self._size = 0
        self._digest: str | None = None
        self._finalizer = weakref.finalize(self, Sidecar._remove, self._conn, self._path)

    @staticmethod
    def _remove(conn: sqlite3.Connection, path: str) -> None:
        conn.close()
        with contextlib.suppress(OSError):
            os.unlink(path)

    def close(self) -> None:
        self._finalizer()
        self._conn = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError("the sidecar is closed")
        return self._conn

    def _add(self, rows: list[tuple[str, int, str]]) -> None:
        """Insert (name, line, values as JSON); a name already present raises MetaError."""
        db = self._db()
        for name, line, doc in rows:
            try:
                db.execute("INSERT INTO entry VALUES (?, ?, ?)", (_key(name), line, doc))
            except sqlite3.IntegrityError:
                first = db.execute("SELECT line FROM entry WHERE name = ?", (_key(name),)).fetchone()[0]
                raise MetaError(f"line {line}: second entry for {name!r} (first on line {first})") from None
        self._size += len(rows)

    def __getitem__(self, name: str) -> dict[str, str]:
        row = self._db().execute("SELECT doc FROM entry WHERE name = ?", (_key(name),)).fetchone()
        if row is None:
            raise KeyError(name)
        return json.loads(row[0])

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._db().execute(
            "SELECT 1 FROM entry WHERE name = ?", (_key(name),)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        cursor = self._db().execute("SELECT name FROM entry ORDER BY name")
        return (_name(key) for (key,) in cursor)

    def __len__(self) -> int:
        return self._size

    def digest(self) -> str:
        """A digest of every entry (a .jsonl document's lines have names of their own, so any
        entry may change it); the same text as ``json.dumps(dict(self), sort_keys=True)`` hashed,
        computed once, streaming."""
        if self._digest is None:
            h = hashlib.sha256(b"{")
            cursor = self._db().execute("SELECT name, doc FROM entry ORDER BY name")
            for i, (key, doc) in enumerate(cursor):
                values = json.dumps(json.loads(doc), sort_keys=True)
                h.update(f"{', ' if i else ''}{json.dumps(_name(key))}: {values}".encode())
            h.update(b"}")
            self._digest = h.hexdigest()[:32]
        return self._digest


def load_meta(path: str | Path) -> Sidecar:
    """Load a sidecar into a :class:`Sidecar` ({base name: {field: value}}).

    Raises MetaError naming the sidecar and the line for any malformed line,
    and for a second entry about the same file (which one would win is a guess).
    The file is read line by line, never whole.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_META_BYTES:
            raise MetaError(f"{path}: sidecar is {size} bytes, over the {MAX_META_BYTES} limit")
        handle = open(path, "rb")
    except OSError as exc:
        raise MetaError(f"{path}: cannot read sidecar ({exc.strerror or exc})") from None
    sidecar = Sidecar()
    try:
        with handle, sidecar._db():
            rows: list[tuple[str, int, str]] = []
            # Binary lines split on b"\n" only: JSON strings may hold U+2028, which a
            # text-mode split would treat as a line break and so misnumber the lines.
            for number, raw in enumerate(handle, start=1):
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise MetaError(f"sidecar is not UTF-8 ({exc.reason} at byte {exc.start} of line "
                                    f"{number})") from None
                if not line.strip():
                    continue
                try:
                    name, values = _parse_entry(json.loads(line))
                except MetaError as exc:
                    raise MetaError(f"line {number}: {exc}") from None
                except (ValueError, RecursionError) as exc:
                    raise MetaError(f"line {number}: invalid JSON ({exc})") from None
                rows.append((name, number, json.dumps(values)))
                if len(rows) >= 1024:
                    sidecar._add(rows)
                    rows = []
            sidecar._add(rows)
    except MetaError as exc:
        sidecar.close()
        raise MetaError(f"{path}{',' if str(exc).startswith('line') else ':'} {exc}") from None
    except OSError as exc:
        sidecar.close()
        raise MetaError(f"{path}: cannot read sidecar ({exc.strerror or exc})") from None
    return sidecar
