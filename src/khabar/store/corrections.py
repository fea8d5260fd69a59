"""The analyst's corrections, projected into the tables every reader uses.

An analyst who creates an actor, re-points mentions, adds or edits a tie, adds or corrects
an event or says a judgment is no forecast records an action in the append-only log
(``store.analyst``); the log is the truth. So that reads stay indexed SQL over the usual
tables (``actors``, ``mentions``, ``assertions``, ``ties``, ``event_reports``, ``events``,
``judgments``), each action is also *projected* into them, in the transaction that records
it:

* a row an action makes carries ``correction`` = the action's id and no ``machine``;
* a machine row an action changes carries ``correction`` and, in ``machine``, the values
  extraction gave it (JSON), kept from the first change on;
* an event an action made or corrected carries ``correction``; its machine values are
  those its reports give (``store.events``), so none are kept.

:func:`replay` puts every corrected row back as the machine made it (made rows go) and
applies each live correction again, oldest first. It runs after an undo (so an undo
removes exactly what its action did, and later actions still apply), and after every
ingest or re-extraction (which replace a document's machine rows): a correction is keyed
by what it names (a document and offsets, an actor and a surface, a tie, an event's
reports, a judgment id), never by a row id, so it finds its rows again. Replaying costs
the corrected rows and the live corrections (found through partial indexes), not the base.

Re-pointed mentions carry the assertions and event reports of their sentences with them
when the old actor is no longer named there (the reports' events are merged again); a tie
edit applies to every assertion of the tie, including evidence found later.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import date
from typing import Any

from khabar.schema import is_symmetric
from khabar.store.analyst import record_action, undo_action
from khabar.store.db import transaction
from khabar.store.events import _members, _save, attach_document, detach_reports
from khabar.store.migrations import DEGREE_SQL
from khabar.store.write import _count_mentions

__all__ = ["CORRECTIONS", "EVENT_EDITABLE", "record", "undo", "replay", "reset", "apply"]

CORRECTIONS = ("add_actor", "move_mentions", "add_tie", "edit_tie", "add_event", "edit_event", "not_forecast")

# What an event correction may set (place fields come resolved from the place table).
EVENT_EDITABLE = ("type", "date", "precision", "date_start", "date_end", "place", "location", "admin1", "admin2",
                  "country", "lat", "lon", "geo_precision", "fatalities", "actors", "targets")
_JUDGMENT_FORECAST = ("due", "horizon", "low", "high", "band")
_ASSERTION_KEY = ("subject", "type", "object", "modality")
_REPORT_PARTIES = ("actors", "targets", "claimed_by")
TRIGGER = "analyst:{}"  # the trigger of an analyst's assertion or event report (its stable ids hash it)


def record(conn: sqlite3.Connection, kind: str, target: str, payload: dict[str, Any]) -> int:
    """Log a correction and project it, in one transaction; return the action's id."""
    if kind not in CORRECTIONS:
        raise ValueError(f"{kind!r} is not a correction (one of {', '.join(CORRECTIONS)})")
    with transaction(conn):
        action_id = record_action(conn, kind, target, payload)
        apply(conn, {"id": action_id, "kind": kind, "target": target, "payload": payload})
    return action_id


def undo(conn: sqlite3.Connection, action_id: int) -> bool:
    """Mark an action undone and, for a correction, replay the others over the machine rows
    (one transaction); False when there is no such live action."""
    with transaction(conn):
        if not undo_action(conn, action_id):
            return False
        row = conn.execute("SELECT kind FROM analyst_actions WHERE id = ?", (action_id,)).fetchone()
        if row is not None and row[0] in CORRECTIONS:
            replay(conn)
    return True


def live(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The corrections in force, oldest first, payloads decoded."""
    marks = ", ".join("?" for _ in CORRECTIONS)
    rows = conn.execute(f"SELECT id, kind, target, payload FROM analyst_actions WHERE undone_at IS NULL "
                        f"AND kind IN ({marks}) ORDER BY id", CORRECTIONS).fetchall()
    return [{"id": r[0], "kind": r[1], "target": r[2], "payload": json.loads(r[3])} for r in rows]


def replay(conn: sqlite3.Connection) -> int:
    """Put the machine rows back and apply every live correction again, oldest first (one
    transaction); return how many applied (one whose rows are gone applies to nothing)."""
    with transaction(conn):
        reset(conn)
        return sum(bool(apply(conn, a)) for a in live(conn))


# -- putting the machine's rows back -----------------------------------------------------------

def reset(conn: sqlite3.Connection) -> None:
    """Every corrected row as extraction made it; rows an analyst made removed."""
    for jid, machine in conn.execute("SELECT id, machine FROM judgments WHERE correction IS NOT NULL").fetchall():
        old = json.loads(machine or "{}")
        conn.execute(f"UPDATE judgments SET {', '.join(f'{c} = ?' for c in _JUDGMENT_FORECAST)}, correction = NULL, "
                     "machine = NULL WHERE id = ?", [*(old.get(c) for c in _JUDGMENT_FORECAST), jid])
    rows = conn.execute("SELECT id, doc_id, machine FROM event_reports WHERE correction IS NOT NULL").fetchall()
    made = [r["id"] for r in rows if r["machine"] is None]
    changed = [r for r in rows if r["machine"] is not None]
    if rows:
        detach_reports(conn, [r["id"] for r in rows])  # their events are merged again from the machine's reports
        conn.executemany("DELETE FROM event_reports WHERE id = ?", [(r,) for r in made])
        for r in changed:
            old = json.loads(r["machine"])
            conn.execute(f"UPDATE event_reports SET {', '.join(f'{k} = ?' for k in _REPORT_PARTIES)}, "
                         "correction = NULL, machine = NULL WHERE id = ?",
                         [*(json.dumps(old[k]) for k in _REPORT_PARTIES), r["id"]])
        for doc_id in sorted({r["doc_id"] for r in changed}):
            attach_document(conn, doc_id)
    for (event_id,) in conn.execute("SELECT id FROM events WHERE correction IS NOT NULL").fetchall():
        members = _members(conn, event_id)
        if members:
            _save(conn, event_id, members)
            conn.execute("UPDATE events SET correction = NULL WHERE id = ?", (event_id,))
        else:
            conn.execute("DELETE FROM event_actors WHERE event_id = ?", (event_id,))
            conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
    for row in conn.execute("SELECT * FROM assertions WHERE correction IS NOT NULL").fetchall():
        if row["machine"] is None:  # made by the analyst (the delete trigger marks its tie)
            conn.execute("DELETE FROM assertions WHERE id = ?", (row["id"],))
            continue
        old = json.loads(row["machine"])
        conn.execute("UPDATE assertions SET subject = ?, type = ?, object = ?, modality = ?, correction = NULL, "
                     "machine = NULL WHERE id = ?", [*(old[k] for k in _ASSERTION_KEY), row["id"]])
        _dirty(conn, (row["subject"], row["type"], row["object"]), (old["subject"], old["type"], old["object"]))
    moved = conn.execute("SELECT id, doc_id, actor_id, machine FROM mentions WHERE correction IS NOT NULL").fetchall()
    by_doc: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for mid, doc_id, _actor, machine in moved:
        by_doc[doc_id].append((mid, machine))
    for doc_id, items in by_doc.items():
        with _recounted(conn, doc_id):
            conn.executemany("UPDATE mentions SET actor_id = ?, correction = NULL, machine = NULL WHERE id = ?",
                             [(machine, mid) for mid, machine in items])
    for (actor_id,) in conn.execute("SELECT id FROM actors WHERE correction IS NOT NULL").fetchall():
        if _actor_in_use(conn, actor_id):  # machine rows name it too now: it stays, as theirs
            conn.execute("UPDATE actors SET correction = NULL WHERE id = ?", (actor_id,))
        else:
            conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
            conn.execute("DELETE FROM actor_stats WHERE actor_id = ? AND mentions <= 0", (actor_id,))


def _actor_in_use(conn: sqlite3.Connection, actor_id: str) -> bool:
    return any(conn.execute(sql, (actor_id,)).fetchone() for sql in (
        "SELECT 1 FROM mentions WHERE actor_id = ? LIMIT 1",
        "SELECT 1 FROM assertions WHERE subject = ? LIMIT 1",
        "SELECT 1 FROM assertions WHERE object = ? LIMIT 1"))


def _dirty(conn: sqlite3.Connection, *keys: tuple[str, str, str]) -> None:
    """Mark ties whose evidence an update changed (the triggers see inserts and deletes only)."""
    conn.executemany("INSERT OR IGNORE INTO tie_dirty (subject, type, object) VALUES (?, ?, ?)", keys)


class _recounted:
    """Around re-pointing a document's mentions: its counts taken out of the actor tables
    before and put back after, as the write path counts a document (``store.write``)."""

    def __init__(self, conn: sqlite3.Connection, doc_id: str) -> None:
        self.conn, self.doc_id = conn, doc_id
        self.actors: set[str] = set()

    def _counts(self) -> list[tuple[str, str, int]]:
        rows = self.conn.execute("SELECT actor_id, surface, COUNT(*) FROM mentions WHERE doc_id = ? "
                                 "GROUP BY actor_id, surface", (self.doc_id,)).fetchall()
        self.actors |= {r[0] for r in rows}
        return [tuple(r) for r in rows]  # type: ignore[misc]

    def __enter__(self) -> None:
        _count_mentions(self.conn, self._counts(), -1)

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return
        _count_mentions(self.conn, self._counts(), 1)
        # an actor whose counts row went and came back lost its degree: count it again
        self.conn.executemany(f"UPDATE actor_stats SET degree = {DEGREE_SQL.format(a='?')} WHERE actor_id = ?",
                              [(a, a, a) for a in self.actors])


# -- applying one correction -------------------------------------------------------------------

def apply(conn: sqlite3.Connection, action: dict[str, Any]) -> bool:
    """Project one live correction (in the caller's transaction); False when what it names
    is not in the base (a document or actor gone), so it changes nothing now."""
    return bool(_APPLY[action["kind"]](conn, int(action["id"]), action["target"], action["payload"]))


def _actor_exists(conn: sqlite3.Connection, actor_id: str) -> bool:
    return conn.execute("SELECT 1 FROM actors WHERE id = ?", (actor_id,)).fetchone() is not None


def _add_actor(conn: sqlite3.Connection, cid: int, actor_id: str, p: dict[str, Any]) -> bool:
    values = (p["name"], p.get("kind") or "other", p.get("parent"), p.get("country"),
              json.dumps(p.get("aliases") or [], ensure_ascii=False))
    if _actor_exists(conn, actor_id):  # kept through a reset (machine rows name it): the analyst's values again
        conn.execute("UPDATE actors SET name = ?, kind = ?, parent = ?, country = ?, aliases = ?, listed = 1, "
                     "correction = ? WHERE id = ?", (*values, cid, actor_id))
    else:
        conn.execute("INSERT INTO actors (id, name, kind, parent, country, aliases, listed, correction) "
                     "VALUES (?, ?, ?, ?, ?, ?, 1, ?)", (actor_id, *values, cid))
    return True


def _repoint(conn: sqlite3.Connection, cid: int, row: sqlite3.Row, new: dict[str, str]) -> None:
    """Change one assertion's subject, type, object or modality, keeping its machine values."""
    values = {k: new.get(k, row[k]) for k in _ASSERTION_KEY}
    if values["subject"] == values["object"] or all(values[k] == row[k] for k in _ASSERTION_KEY):
        return  # never a tie of an actor with itself; nothing to change
    # a row the analyst made has no machine values (a reset deletes it); a machine row keeps its first ones
    machine = row["machine"] if row["correction"] is not None else json.dumps({k: row[k] for k in _ASSERTION_KEY})
    conn.execute("UPDATE assertions SET subject = ?, type = ?, object = ?, modality = ?, machine = ?, "
                 "correction = ? WHERE id = ?", [*(values[k] for k in _ASSERTION_KEY), machine, cid, row["id"]])
    _dirty(conn, (row["subject"], row["type"], row["object"]), (values["subject"], values["type"], values["object"]))


def _move_mentions(conn: sqlite3.Connection, cid: int, into: str, p: dict[str, Any]) -> bool:
    if not _actor_exists(conn, into):
        return False
    source = p.get("from")
    rows: dict[int, sqlite3.Row] = {}
    if source:
        for surface in p.get("surfaces") or []:
            for r in conn.execute('SELECT id, doc_id, "start", "end", actor_id FROM mentions '
                                  "WHERE actor_id = ? AND surface = ?", (source, surface)):
                rows[r["id"]] = r
    for doc_id, start, end in p.get("mentions") or []:
        for r in conn.execute('SELECT id, doc_id, "start", "end", actor_id FROM mentions WHERE doc_id = ? '
                              'AND "start" = ? AND "end" = ?', (doc_id, int(start), int(end))):
            if not source or r["actor_id"] == source:
                rows[r["id"]] = r
    by_doc: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for r in rows.values():
        if r["actor_id"] != into:
            by_doc[r["doc_id"]].append(r)
    for doc_id, moved in by_doc.items():
        with _recounted(conn, doc_id):
            conn.executemany("UPDATE mentions SET machine = COALESCE(machine, actor_id), actor_id = ?, "
                             "correction = ? WHERE id = ?", [(into, cid, r["id"]) for r in moved])
        for m in moved:  # the ties of the sentence that named the old actor only there go with it
            old = m["actor_id"]
            for x in conn.execute('SELECT * FROM assertions WHERE doc_id = ? AND "start" <= ? AND "end" >= ? '
                                  "AND (subject = ? OR object = ?)", (doc_id, m["start"], m["end"], old, old)
                                  ).fetchall():
                still = conn.execute('SELECT 1 FROM mentions WHERE doc_id = ? AND actor_id = ? AND "start" >= ? '
                                     'AND "end" <= ? LIMIT 1', (doc_id, old, x["start"], x["end"])).fetchone()
                if still is None:
                    _repoint(conn, cid, x, {"subject": into if x["subject"] == old else x["subject"],
                                            "object": into if x["object"] == old else x["object"]})
        _repoint_reports(conn, cid, doc_id, moved, into)
    return bool(by_doc)


def _repoint_reports(conn: sqlite3.Connection, cid: int, doc_id: str, moved: list[sqlite3.Row], into: str) -> None:
    """The event reports of the sentences whose mentions moved name ``into`` where they named
    the old actor there only; their events are merged again."""
    changed: list[int] = []
    for m in moved:
        old = m["actor_id"]
        for r in conn.execute('SELECT * FROM event_reports WHERE doc_id = ? AND "start" <= ? AND "end" >= ?',
                              (doc_id, m["start"], m["end"])).fetchall():
            parties = {k: json.loads(r[k]) for k in _REPORT_PARTIES}
            if not any(old in v for v in parties.values()) or conn.execute(
                    'SELECT 1 FROM mentions WHERE doc_id = ? AND actor_id = ? AND "start" >= ? AND "end" <= ? LIMIT 1',
                    (doc_id, old, r["start"], r["end"])).fetchone():
                continue
            new = {k: list(dict.fromkeys(into if x == old else x for x in v)) for k, v in parties.items()}
            new["targets"] = [x for x in new["targets"] if x not in new["actors"]]
            machine = r["machine"] if r["correction"] is not None else json.dumps(parties)
            conn.execute(f"UPDATE event_reports SET {', '.join(f'{k} = ?' for k in _REPORT_PARTIES)}, machine = ?, "
                         "correction = ? WHERE id = ?", [*(json.dumps(new[k]) for k in _REPORT_PARTIES), machine,
                                                         cid, r["id"]])
            changed.append(r["id"])
    if changed:
        detach_reports(conn, changed)
        attach_document(conn, doc_id)
        _reapply_events(conn, cid)


def _reapply_events(conn: sqlite3.Connection, before: int) -> None:
    """Events merged again lose the values corrections gave them: the live event corrections
    older than action ``before`` give them again (later ones apply after it anyway)."""
    for a in live(conn):
        if a["id"] >= before:
            break
        if a["kind"] == "edit_event":
            _edit_event(conn, a["id"], a["target"], a["payload"])
        elif a["kind"] == "add_event":
            row = conn.execute("SELECT id FROM event_reports WHERE doc_id = ? AND trigger = ?",
                               (a["payload"]["doc_id"], TRIGGER.format(a["id"]))).fetchone()
            if row is not None:
                _event_values(conn, a["id"], _report_event(conn, row[0]), a["payload"])


def _sentence(conn: sqlite3.Connection, doc_id: str, start: int, end: int) -> str | None:
    row = conn.execute("SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
                       (int(start) + 1, int(end) - int(start), doc_id)).fetchone()
    return row[0] if row else None


def _add_tie(conn: sqlite3.Connection, cid: int, target: str, p: dict[str, Any]) -> bool:
    subject, tie_type, obj = target[4:].split("|")
    sentence = _sentence(conn, p["doc_id"], p["start"], p["end"])
    if sentence is None or not (_actor_exists(conn, subject) and _actor_exists(conn, obj)):
        return False
    trigger = TRIGGER.format(cid)
    if conn.execute("SELECT 1 FROM assertions WHERE doc_id = ? AND trigger = ?", (p["doc_id"], trigger)).fetchone():
        return True  # already projected
    conn.execute('INSERT INTO assertions (doc_id, subject, type, object, modality, attributed_to, sentence, "start", '
                 '"end", trigger, correction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                 (p["doc_id"], subject, tie_type, obj, p.get("modality") or "asserted", p.get("attributed_to"),
                  sentence, int(p["start"]), int(p["end"]), trigger, cid))
    return True


def _edit_tie(conn: sqlite3.Connection, cid: int, target: str, p: dict[str, Any]) -> bool:
    subject, tie_type, obj = target[4:].split("|")
    pairs = [(subject, obj), (obj, subject)] if is_symmetric(tie_type) and subject != obj else [(subject, obj)]
    rows = [r for s, o in pairs for r in conn.execute(
        "SELECT * FROM assertions WHERE subject = ? AND type = ? AND object = ?", (s, tie_type, o)).fetchall()]
    for r in rows:
        new = {"type": p.get("type") or r["type"], "modality": p.get("modality") or r["modality"]}
        if p.get("flip"):
            new.update(subject=r["object"], object=r["subject"])
        _repoint(conn, cid, r, new)
    return bool(rows)


def _report_event(conn: sqlite3.Connection, report_id: int) -> str | None:
    row = conn.execute("SELECT event_id FROM event_reports WHERE id = ?", (report_id,)).fetchone()
    return row[0] if row else None


def _add_event(conn: sqlite3.Connection, cid: int, target: str, p: dict[str, Any]) -> bool:
    sentence = _sentence(conn, p["doc_id"], p["start"], p["end"])
    if sentence is None:
        return False
    parties = [x for x in [*p.get("actors", []), *p.get("targets", [])] if not _actor_exists(conn, x)]
    if parties:
        return False
    trigger = TRIGGER.format(cid)
    if conn.execute("SELECT 1 FROM event_reports WHERE doc_id = ? AND trigger = ?", (p["doc_id"], trigger)).fetchone():
        return True
    fields = {k: p.get(k) for k in EVENT_EDITABLE if k not in ("actors", "targets")}
    cols = {**fields, "doc_id": p["doc_id"], "actors": json.dumps(p.get("actors") or []),
            "targets": json.dumps(p.get("targets") or []), "sentence": sentence, "start": int(p["start"]),
            "end": int(p["end"]), "trigger": trigger, "correction": cid, "modality": "asserted"}
    quoted = ", ".join(f'"{c}"' for c in cols)
    cur = conn.execute(f"INSERT INTO event_reports ({quoted}) "
                       f"VALUES ({', '.join('?' for _ in cols)})", list(cols.values()))
    attach_document(conn, p["doc_id"])  # merged as a machine report would be: it may join an event
    return _event_values(conn, cid, _report_event(conn, int(cur.lastrowid)), p)


def _event_values(conn: sqlite3.Connection, cid: int, event_id: str | None, p: dict[str, Any]) -> bool:
    """The values an analyst gave an event it added, over those of the reports it joined
    (its parties added to theirs)."""
    if event_id is None:
        return False
    given = {k: p.get(k) for k in EVENT_EDITABLE if k not in ("actors", "targets") and p.get(k) is not None}
    row = conn.execute("SELECT actors, targets FROM events WHERE id = ?", (event_id,)).fetchone()
    given["actors"] = list(dict.fromkeys([*json.loads(row[0]), *(p.get("actors") or [])]))
    given["targets"] = list(dict.fromkeys([*json.loads(row[1]), *(p.get("targets") or [])]))
    _set_event(conn, cid, event_id, given)
    return True


def _find_event(conn: sqlite3.Connection, target: str, p: dict[str, Any]) -> str | None:
    """The event a correction names: the one holding its anchor reports (stable across
    re-extraction, when event ids may not be), else the one with its id."""
    for doc_id, start, end, kind in p.get("anchor") or []:
        row = conn.execute('SELECT event_id FROM event_reports WHERE doc_id = ? AND "start" = ? AND "end" = ? '
                           "AND type = ? AND event_id IS NOT NULL", (doc_id, start, end, kind)).fetchone()
        if row:
            return row[0]
    row = conn.execute("SELECT id FROM events WHERE id = ?", (target,)).fetchone()
    return row[0] if row else None


def _days(start: str | None, end: str | None) -> int:
    if not start:
        return 0
    return max(0, (date.fromisoformat((end or start)[:10]) - date.fromisoformat(start[:10])).days)


def _edit_event(conn: sqlite3.Connection, cid: int, target: str, p: dict[str, Any]) -> bool:
    event_id = _find_event(conn, target, p)
    if event_id is None:
        return False
    fields = {k: v for k, v in (p.get("fields") or {}).items() if k in EVENT_EDITABLE}
    if any(not _actor_exists(conn, x) for k in ("actors", "targets") for x in fields.get(k, [])):
        return False
    _set_event(conn, cid, event_id, fields)
    return True


def _set_event(conn: sqlite3.Connection, cid: int, event_id: str, fields: dict[str, Any]) -> None:
    """Give an event the analyst's values (its doers and targets indexed again)."""
    row = dict(conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone())
    row.update(fields)
    actors, targets = row["actors"], row["targets"]
    actors = json.loads(actors) if isinstance(actors, str) else list(actors)
    targets = json.loads(targets) if isinstance(targets, str) else list(targets)
    targets = [t for t in targets if t not in actors]
    values = {k: row[k] for k in EVENT_EDITABLE if k not in ("actors", "targets")}
    values.update(actors=json.dumps(actors), targets=json.dumps(targets), n_actors=len(actors),
                  span_days=_days(row["date_start"], row["date_end"]), correction=cid)
    conn.execute(f"UPDATE events SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                 [*values.values(), event_id])
    conn.execute("DELETE FROM event_actors WHERE event_id = ?", (event_id,))
    conn.executemany("INSERT OR IGNORE INTO event_actors (actor_id, role, event_id) VALUES (?, ?, ?)",
                     [(a, "actor", event_id) for a in actors] + [(t, "target", event_id) for t in targets])
    if row["date_start"]:  # new reports look this far back for it
        conn.execute("INSERT INTO event_spans (type, days) VALUES (?, ?) ON CONFLICT(type) DO UPDATE SET "
                     "days = MAX(days, excluded.days)", (row["type"], values["span_days"]))


def _not_forecast(conn: sqlite3.Connection, cid: int, judgment_id: str, p: dict[str, Any]) -> bool:
    row = conn.execute(f"SELECT {', '.join(_JUDGMENT_FORECAST)}, machine, correction FROM judgments WHERE id = ?",
                       (judgment_id,)).fetchone()
    if row is None:
        return False
    machine = row["machine"] if row["correction"] is not None else json.dumps(
        {c: row[c] for c in _JUDGMENT_FORECAST})
    conn.execute(f"UPDATE judgments SET {', '.join(f'{c} = NULL' for c in _JUDGMENT_FORECAST)}, machine = ?, "
                 "correction = ? WHERE id = ?", (machine, cid, judgment_id))
    return True


_APPLY = {"add_actor": _add_actor, "move_mentions": _move_mentions, "add_tie": _add_tie, "edit_tie": _edit_tie,
          "add_event": _add_event, "edit_event": _edit_event, "not_forecast": _not_forecast}
