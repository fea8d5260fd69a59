"""Tie aggregates kept up to date: what every list of ties sorts and filters on.

A tie's figures (evidence in distinct sentences, independent sources, documents, first
and last seen, asserted/negated/predicted, contested, credibility) are those of
``khabar.analyze.ties.aggregate_ties`` and ``analyze.credibility.tie_credibility`` over
its assertions. Computing them for every tie on every read means reading every assertion
of the base; here they live in ``ties``, one row per tie, so that a list of ties is an
indexed query with a limit.

Keeping them right: triggers note in ``tie_dirty`` each tie whose evidence may have
changed (an assertion written or deleted, a document's source or date changed, a
source's grade changed), inside the transaction that changed it; ``refresh`` recomputes
those ties only, from their own assertions, before ties are read (and after an ingest).
A crash between the two leaves the marks, never a wrong figure shown as fresh.

The analyst layer (merged actors, rejected evidence) is applied when ties are read,
over the page being read, as before: these figures are the machine's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from khabar.analyze.credibility import tie_credibility
from khabar.analyze.ties import aggregate_ties, tie_key
from khabar.resolve.sources import SourceBook
from khabar.schema import is_symmetric
from khabar.store.migrations import DEGREE_SQL
from khabar.store.read import _with_document, assertion_id, doc_fields, page, sort_terms

__all__ = ["refresh", "refresh_all", "select_ties", "count_ties", "tie_assertions", "degrees", "ORDER"]

# Longest a refresh holds the write lock before committing what it did (after the tie it is on).
SLICE_S = 0.5
ORDER = "t.sources DESC, t.evidence DESC, t.subject, t.type, t.object"
# The sorts a list of ties offers (read.sort_terms: "-name" descending); each ends on the tie's key.
TIE_SORTS: dict[str, tuple[str, ...]] = {
    "sources": ("t.sources", "t.evidence", "t.subject", "t.type", "t.object"),
    "evidence": ("t.evidence", "t.sources", "t.subject", "t.type", "t.object"),
    "first_seen": ("t.first_seen", "t.subject", "t.type", "t.object"),
    "last_seen": ("t.last_seen", "t.subject", "t.type", "t.object"),
    "credibility": ("t.credibility", "t.sources", "t.subject", "t.type", "t.object"),
    "type": ("t.type", "t.subject", "t.object"),
}
_FIELDS = ("evidence", "sources", "documents", "first_seen", "last_seen", "asserted", "negated", "predicted",
           "contested")


def tie_assertions(conn: sqlite3.Connection, keys: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str],
                                                                                          list[dict[str, Any]]]:
    """The assertions of each tie (either way round for a symmetric type), with their
    document's fields, oldest first, as ``store.read.assertions`` gives them."""
    out: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for s, t, o in keys:
        key = tie_key(s, t, o)
        pairs = [(key[0], key[2]), (key[2], key[0])] if is_symmetric(t) and key[0] != key[2] else [(key[0], key[2])]
        rows: list[dict[str, Any]] = []
        for subj, obj in pairs:
            rows += [dict(r) for r in conn.execute(
                f"SELECT x.*, {doc_fields('x')} {_with_document('assertions', 'x')} "
                "WHERE x.subject = ? AND x.type = ? AND x.object = ?",
                (subj, t, obj))]
        rows.sort(key=lambda r: (r["published"] is None, r["published"] or "", r["doc_id"], r["start"], r["id"]))
        for r in rows:
            r["aid"] = assertion_id(r)
        out[key] = rows
    return out


def _recompute(conn: sqlite3.Connection, keys: set[tuple[str, str, str]], book: SourceBook | None) -> None:
    for key, rows in tie_assertions(conn, keys).items():
        conn.execute("DELETE FROM ties WHERE subject = ? AND type = ? AND object = ?", key)
        found = aggregate_ties(rows, book)
        if not found:
            continue
        tie, evidence = found[0]
        cred = tie_credibility(evidence, book)
        values = [getattr(tie, f) for f in _FIELDS]
        values[-1] = int(bool(values[-1]))
        corrected = sum(r.get("correction") is not None for r in rows)  # evidence an analyst made or changed
        conn.execute(
            f"INSERT INTO ties (subject, type, object, {', '.join(_FIELDS)}, credibility, credibility_reason, "
            f"corrected) VALUES ({', '.join('?' for _ in range(len(_FIELDS) + 6))})",
            [*key, *values, cred.rating, cred.reason, corrected])


def _degrees(conn: sqlite3.Connection, actors: set[str]) -> None:
    """The degree of every actor at either end of a tie that changed."""
    conn.executemany("INSERT OR IGNORE INTO actor_stats (actor_id) VALUES (?)", [(a,) for a in actors])
    conn.executemany(f"UPDATE actor_stats SET degree = {DEGREE_SQL.format(a='?')} WHERE actor_id = ?",
                     [(a, a, a) for a in actors])


def refresh(conn: sqlite3.Connection, book: SourceBook | None = None, batch: int = 2000,
            slice_s: float = SLICE_S) -> int:
    """Recompute the ties marked in ``tie_dirty``; return how many were looked at. The work is
    cut into transactions of at most ``batch`` ties that end once ``slice_s`` seconds have
    passed (none may be open on ``conn``): a tie with a hundred thousand assertions takes a
    while, and another writer waiting for the lock must not time out meanwhile."""
    import time

    from khabar.store.db import transaction

    done = 0
    while True:
        rows = conn.execute("SELECT subject, type, object FROM tie_dirty LIMIT ?", (batch,)).fetchall()
        if not rows:
            return done
        with transaction(conn):
            start = time.perf_counter()
            finished = []
            for row in rows:
                _recompute(conn, {tie_key(*row)}, book)
                finished.append(tuple(row))
                if time.perf_counter() - start > slice_s:
                    break
            _degrees(conn, {a for s, _, o in finished for a in (s, o)})
            conn.executemany("DELETE FROM tie_dirty WHERE subject = ? AND type = ? AND object = ?", finished)
        done += len(finished)


def refresh_all(conn: sqlite3.Connection, book: SourceBook | None = None) -> int:
    """Mark every tie and recompute them all (after the source book changed)."""
    from khabar.store.db import transaction

    with transaction(conn):
        conn.execute("DELETE FROM ties")
        conn.execute("INSERT OR IGNORE INTO tie_dirty (subject, type, object) "
                     "SELECT DISTINCT subject, type, object FROM assertions")
    return refresh(conn, book)


def _filter(actors: Iterable[str] | None, tie_type: str | None, contested: bool | None = None,
            key: tuple[str, str, str] | None = None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if key is not None:  # one tie (a symmetric one is stored in its canonical order)
        clauses.append("t.subject = ? AND t.type = ? AND t.object = ?")
        params += list(tie_key(*key))
    if contested is not None:
        clauses.append("t.contested = ?")
        params.append(int(contested))
    if actors is not None:
        ids = sorted(set(actors))
        marks = ", ".join("?" for _ in ids)
        clauses.append(f"(t.subject IN ({marks}) OR t.object IN ({marks}))")
        params += ids + ids
    if tie_type:
        clauses.append("t.type = ?")
        params.append(tie_type)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def select_ties(conn: sqlite3.Connection, actors: Iterable[str] | None = None, tie_type: str | None = None,
                limit: int | None = None, offset: int = 0, contested: bool | None = None,
                key: tuple[str, str, str] | None = None, order: str | None = None) -> list[dict[str, Any]]:
    """A page of ties (rows of ``ties``), best evidenced first: those of ``actors`` (either
    end), of ``tie_type``, contested (or not), or the one tie ``key``, when given; ``order``:
    a sort of :data:`TIE_SORTS` instead ("-last_seen": the latest seen first)."""
    clause, params = _filter(actors, tie_type, contested, key)
    sql = f"SELECT t.* FROM ties t{clause} ORDER BY {sort_terms(order, TIE_SORTS, '') if order else ORDER}"
    sql, params = page(sql, params, limit, offset)
    return [dict(r) for r in conn.execute(sql, params)]


def count_ties(conn: sqlite3.Connection, actors: Iterable[str] | None = None, tie_type: str | None = None) -> int:
    clause, params = _filter(actors, tie_type)
    return conn.execute(f"SELECT COUNT(*) FROM ties t{clause}", params).fetchone()[0]


def degrees(conn: sqlite3.Connection, actors: Iterable[str] | None = None, limit: int | None = None
            ) -> dict[str, int]:
    """How many other actors each actor is tied to (ties with evidence), most first: of the
    given ``actors``, or the ``limit`` most connected (kept in ``actor_stats``)."""
    sql, params = "SELECT actor_id, degree FROM actor_stats WHERE degree > 0", []
    if actors is not None:
        ids = sorted(set(actors))
        if not ids:
            return {}
        sql += f" AND actor_id IN ({', '.join('?' for _ in ids)})"
        params += ids
    sql += " ORDER BY degree DESC, actor_id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return {row[0]: row[1] for row in conn.execute(sql, params)}
