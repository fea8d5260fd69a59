"""A knowledge base copied whole, analyst layer included, and put back.

SQLite's online backup copies a consistent snapshot page by page while other readers
(and a writer) carry on, so a backup can be taken while ``khabar serve`` runs. A restore
never overwrites the analyst's work without keeping it: the knowledge base being
replaced is first saved beside itself.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from khabar.errors import KhabarError
from khabar.store.db import Store, connect

__all__ = ["backup", "restore"]


def _integrity(conn: sqlite3.Connection, what: str) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise KhabarError("E309", f"{what} failed its integrity check: {result}")


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("documents", "assertions", "event_reports", "judgments", "analyst_actions")}


def _copy(src: sqlite3.Connection, dest_path: Path) -> dict[str, int]:
    dest = sqlite3.connect(str(dest_path))
    try:
        src.backup(dest)
        _integrity(dest, str(dest_path))
        return _counts(dest)
    finally:
        dest.close()


def backup(conn: sqlite3.Connection, dest: str | Path, overwrite: bool = False) -> dict[str, int]:
    """Copy the open knowledge base to ``dest`` (a new file); return what the copy holds."""
    dest = Path(dest)
    if dest.exists() and not overwrite:
        raise KhabarError("E310", f"{dest} exists: give a new file name (a backup never overwrites)")
    if dest.is_dir():
        raise KhabarError("E310", f"{dest} is a folder: give a file name")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    counts = _copy(conn, tmp)
    tmp.replace(dest)  # a backup cut short leaves no file that looks whole
    return counts


def restore(src: str | Path, db_path: str | Path) -> tuple[dict[str, int], Path | None]:
    """Replace the knowledge base at ``db_path`` with the backup ``src``.

    ``src`` must be a khabar knowledge base that passes its integrity check. The knowledge
    base being replaced, if any, is first saved as ``DB.before-restore-TIMESTAMP``; its
    path is returned with the counts of what was restored."""
    src, db_path = Path(src), Path(db_path)
    if not src.is_file():
        raise KhabarError("E100", f"no backup at {src}")
    with Store(src) as backup_store:  # E309 for anything that is not a khabar knowledge base
        _integrity(backup_store.conn, str(src))
        kept = None
        if db_path.exists():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
            with Store(db_path) as current:
                _copy(current.conn, kept)
        dest = connect(db_path)
        try:
            backup_store.conn.backup(dest)
            _integrity(dest, str(db_path))
            counts = _counts(dest)
        finally:
            dest.close()
    return counts, kept
