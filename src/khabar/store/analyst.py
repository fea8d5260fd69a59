"""The analyst layer: an append-only log of what a person decided.

Rows of ``analyst_actions`` are never touched by ingest or re-extraction; they point
at machine output by stable ids (a judgment's ``jd-…`` id, an actor id, a source
name) and are read over it. Undoing an action marks it undone; nothing is deleted.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from khabar.store.db import transaction
from khabar.store.read import where

__all__ = ["KINDS", "record_action", "actions", "undo_action"]

# What an analyst can record, and the payload each kind carries.
KINDS = {
    "resolve": "a judgment's outcome: {outcome: 1 | 0, note}",
    "grade": "a source's reliability grade: {grade: A-F}",
    "confirm": "a tie or assertion confirmed: {note}",
    "reject": "a tie or assertion rejected: {note}",
    "merge": "two actors merged: {into}",
    "alias": "an alias added to an actor: {alias}",
    # corrections, projected into the machine tables by ``khabar.store.corrections``
    "add_actor": "an actor the analyst made (target: its id): {name, kind, aliases, parent, country}",
    "move_mentions": "mentions re-pointed to the target actor: {from, surfaces, mentions: [[doc, start, end]]}",
    "add_tie": "a tie read in a sentence (target: tie:S|T|O): {doc_id, start, end, modality, attributed_to}",
    "edit_tie": "a tie's evidence changed (target: tie:S|T|O): {flip, type, modality}",
    "add_event": "an event read in a sentence (target: its id): {doc_id, start, end, type, date..., actors}",
    "edit_event": "an event corrected (target: its id): {anchor, fields: {type, date_start, ...}}",
    "not_forecast": "a judgment that is not a forecast (target: its id): {note}",
}


def record_action(conn: sqlite3.Connection, kind: str, target: str, payload: dict[str, Any] | None = None) -> int:
    """Append one action and return its id."""
    if kind not in KINDS:
        raise ValueError(f"unknown analyst action {kind!r} (one of {', '.join(KINDS)})")
    if not target or len(target) > 500:
        raise ValueError("an analyst action needs a target id of at most 500 characters")
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO analyst_actions (at, kind, target, payload) VALUES (?, ?, ?, ?)",
            (datetime.now(UTC).isoformat(timespec="seconds"), kind, target,
             json.dumps(payload or {}, ensure_ascii=False)),
        )
    return int(cur.lastrowid)


def undo_action(conn: sqlite3.Connection, action_id: int) -> bool:
    """Mark an action undone; False when there is no such live action."""
    with transaction(conn):
        cur = conn.execute("UPDATE analyst_actions SET undone_at = ? WHERE id = ? AND undone_at IS NULL",
                           (datetime.now(UTC).isoformat(timespec="seconds"), int(action_id)))
    return cur.rowcount == 1


def actions(conn: sqlite3.Connection, kind: str | None = None, target: str | None = None,
            include_undone: bool = False) -> list[dict[str, Any]]:
    """Actions, oldest first, with their payload decoded."""
    clause, params = where(("kind = ?", kind), ("target = ?", target),
                           ("undone_at IS NULL", None if include_undone else ()))
    out = []
    for row in conn.execute(f"SELECT * FROM analyst_actions{clause} ORDER BY id", params):
        d = dict(row)
        d["payload"] = json.loads(d["payload"])
        out.append(d)
    return out
