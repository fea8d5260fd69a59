"""What a re-ingest needs to know without reading again: files already read, and stored
documents' MinHash signatures with their LSH band keys (tables of migration 5).

None of these rows is machine output a reader shows, so none bumps the revision.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from khabar.store.db import transaction

__all__ = ["FileRecord", "candidates_sql", "file_record", "folder_records", "record_file", "save_signature",
           "signature_candidates", "unsigned_texts"]

# SQLite's default limit on bound parameters is 999 on old builds: ask in chunks below it.
_CHUNK = 500


@dataclass(frozen=True)
class FileRecord:
    """An input file as it was when last read, and the ids of the documents it gave."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    meta: str
    docs: tuple[str, ...]


def file_record(conn: sqlite3.Connection, path: str) -> FileRecord | None:
    row = conn.execute("SELECT path, size, mtime_ns, sha256, meta, docs FROM files WHERE path = ?",
                       (path,)).fetchone()
    if row is None:
        return None
    return FileRecord(row[0], row[1], row[2], row[3], row[4], tuple(json.loads(row[5])))


def folder_records(conn: sqlite3.Connection, folder: str, start: str = "",
                   limit: int | None = None) -> dict[str, FileRecord]:
    """The records of the files directly in ``folder`` (not in its sub-folders), by path: one
    query for many files instead of one a file. ``start``/``limit``: only the first ``limit``
    paths from ``start`` on, in path order (a window, so that a folder of a million files is
    never held in memory at once)."""
    prefix = folder.rstrip("/") + "/"
    rows = conn.execute(
        "SELECT path, size, mtime_ns, sha256, meta, docs FROM files WHERE path > ? AND path < ? "
        "AND path >= ? AND instr(substr(path, ?), '/') = 0 ORDER BY path LIMIT ?",
        # '0' is the character after '/': the range holds exactly the paths under the prefix
        (prefix, prefix[:-1] + "0", start, len(prefix) + 1, -1 if limit is None else int(limit)),
    )
    return {r[0]: FileRecord(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5]))) for r in rows}


def record_file(conn: sqlite3.Connection, record: FileRecord) -> None:
    """Remember (or update) what ``record.path`` looked like and which documents it gave."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO files (path, size, mtime_ns, sha256, meta, docs) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
            "sha256 = excluded.sha256, meta = excluded.meta, docs = excluded.docs",
            (record.path, record.size, record.mtime_ns, record.sha256, record.meta, json.dumps(list(record.docs))),
        )


def save_signature(conn: sqlite3.Connection, doc_id: str, minhash: bytes, keys: Iterable[int]) -> None:
    """Store a document's signature and band keys (replacing earlier ones); run it inside
    the document's own transaction, or alone."""
    with transaction(conn):
        conn.execute("INSERT OR REPLACE INTO signatures (doc_id, minhash) VALUES (?, ?)", (doc_id, minhash))
        conn.execute("DELETE FROM lsh_bands WHERE doc_id = ?", (doc_id,))
        conn.executemany("INSERT INTO lsh_bands (key, doc_id) VALUES (?, ?)", [(k, doc_id) for k in keys])


def candidates_sql(n_keys: int) -> str:
    """The query of ``signature_candidates`` for ``n_keys`` band keys. CROSS JOIN keeps the keys
    driving the plan (their index gives a few rows); left to itself SQLite walked every original
    through the duplicate_of index for each new document: a quadratic ingest."""
    marks = ", ".join("?" for _ in range(n_keys))
    return (f"SELECT DISTINCT s.doc_id, s.minhash, s.rowid FROM lsh_bands b CROSS JOIN signatures s "
            f"CROSS JOIN documents d WHERE b.key IN ({marks}) AND s.doc_id = b.doc_id AND d.id = b.doc_id "
            f"AND d.duplicate_of IS NULL")


def signature_candidates(conn: sqlite3.Connection, keys: list[int]) -> list[tuple[str, bytes, int]]:
    """(id, signature, order) of the stored originals sharing a band key with ``keys``;
    ``order`` is the order they were signed in, to break ties the same way every time."""
    if not keys:
        return []
    rows = conn.execute(candidates_sql(len(keys)), keys).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def unsigned_texts(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """(id, text) of stored originals that have no signature yet (a base made before
    migration 5), one text in memory at a time; writing between two is fine."""
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM documents d WHERE duplicate_of IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.doc_id = d.id) ORDER BY id")]
    for doc_id in ids:
        row = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is not None:
            yield doc_id, row[0]
