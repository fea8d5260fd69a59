"""Opening the SQLite database, and the one way khabar scopes a transaction."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Iterator
from os import PathLike
from pathlib import Path

from khabar.errors import KhabarError
from khabar.store.migrations import migrate

__all__ = ["connect", "set_cache", "transaction", "Store", "CACHE_MB"]

# Long enough to ride out another process's write (a concurrent `khabar` run)
# instead of failing at once with "database is locked".
BUSY_TIMEOUT_MS = 30_000
CACHE_MB = 64  # page cache per connection (SQLite's default: 2 MB)

_savepoints = itertools.count()


def connect(path: str | PathLike[str]) -> sqlite3.Connection:
    """Open ``path`` (or ``":memory:"``) configured the way khabar expects.

    * ``isolation_level=None``: Python's implicit BEGINs are switched off so the
      transactions khabar opens (see :func:`transaction`) are the only ones.
    * WAL: readers (the report, the CLI) never block the writer.
    * foreign keys on: SQLite has them off by default, per connection.
    * rows as ``sqlite3.Row``, so read functions can build dicts by column name.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    # In WAL mode NORMAL is still crash-safe (a crash can lose only the last
    # commits, never corrupt), and is much faster than FULL for bulk ingest.
    conn.execute("PRAGMA synchronous=NORMAL")
    # SQLite's default page cache is 2 MB: a base of a few GB then reads its index pages
    # from the OS on nearly every insert. CACHE_MB is an upper bound, taken only as pages
    # are read.
    set_cache(conn, CACHE_MB)
    return conn


def set_cache(conn: sqlite3.Connection, mb: int) -> None:
    """Bound ``conn``'s page cache to ``mb`` MB (pages already cached beyond it are let go)."""
    conn.execute(f"PRAGMA cache_size=-{int(mb) * 1024}")


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All-or-nothing block: commit on success, roll back on any exception.

    Outside a transaction this is ``BEGIN IMMEDIATE`` (take the write lock up
    front, so two writers queue on busy_timeout instead of deadlocking on a
    lock upgrade). Inside one already opened by the caller (say, to batch many
    documents into one commit) it is a SAVEPOINT, so the block still undoes
    only its own work on failure.
    """
    if conn.in_transaction:
        name = f"khabar_sp_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _merge_pending_events(conn: sqlite3.Connection) -> None:
    """Event reports of a base stored before events were merged on write join their events
    now, once (an indexed look finds none on every later open)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").fetchone() is None:
        return  # a schema without merged events (tests that stop the migrations early)
    if conn.execute("SELECT 1 FROM event_reports WHERE event_id IS NULL LIMIT 1").fetchone() is None:
        return
    from khabar.store.events import attach_pending

    with transaction(conn):
        attach_pending(conn)


def _check_khabar(conn: sqlite3.Connection, path: str | PathLike[str]) -> None:
    """Refuse another program's SQLite file: khabar would add its tables to it."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if names and "schema_version" not in names:
        raise KhabarError("E309", f"{path} is an SQLite database of another program "
                                  f"(tables {', '.join(sorted(names)[:5])}), not a khabar knowledge base")


class Store:
    """An open, migrated khabar database.

    >>> with Store(":memory:") as store:
    ...     store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    0
    """

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = path
        if str(path) != ":memory:" and Path(path).is_dir():
            raise KhabarError("E309", f"{path} is a folder, not a knowledge base file")
        try:
            self.conn = connect(path)
        except sqlite3.DatabaseError as exc:
            raise KhabarError("E309", f"cannot open {path} as a knowledge base: {exc}") from None
        try:
            _check_khabar(self.conn, path)
            self.version = migrate(self.conn)
            _merge_pending_events(self.conn)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            if isinstance(exc, sqlite3.OperationalError):  # a failing migration is khabar's, not the file's
                raise
            raise KhabarError("E309", f"{path} is not a khabar knowledge base ({exc})") from None
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"
