"""Events merged on write: each event report joins its event when its document is stored.

Merging every report with every other on each read is quadratic (about a week per request
at a million documents). Here a report is compared only with the events that could be
its own, found through indexes (blocking): same type; overlapping dates, looked up by how
long events last (a day, up to a month, longer) so that each kind is searched only as far
back as it can reach; a country that does not disagree; when the report names who did it,
an event that names nobody or shares one of them; and, since across documents reports
join through a shared party or agreeing places, an event sharing a party with it or, when
the report is placed, a placed event. The rules that decide are those of
``khabar.resolve.events``, applied as ``khabar.analyze.events.merge_reports`` applies
them: a report joins the oldest candidate event whose every report agrees with it, else
starts an event of its own. So the work per report is bounded by the events of its
type around its date, not by the size of the archive.

``events`` holds what readers need of each merged event (dates, place, fatalities, the
first report's sentence, counts), ``event_actors`` who did it and who suffered it,
indexed for "events of X"; ``event_reports.event_id`` says which event a report is in.
When a document is stored again its reports leave their events first: an event left
empty is deleted, and the reports that remain in it are merged again one by one (the
event keeps its id when its first report remains).

Merging follows the order documents are stored in; storing the same documents in
another order can cluster borderline reports differently (the batch merge of
``analyze.events`` orders by date). Actor merges made by an analyst apply when events
are read, not here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from khabar.analyze.events import _build, _event_id
from khabar.resolve.events import same_event
from khabar.schema import EventReport
from khabar.store.read import doc_fields, page

__all__ = ["attach_document", "detach_document", "detach_reports", "attach_pending", "EVENT_FIELDS", "event_filter", "select_events",
           "count_events", "reports_of"]

EVENT_FIELDS = ("type", "date", "precision", "date_start", "date_end", "place", "location", "admin1", "admin2",
                "country", "lat", "lon", "geo_precision", "fatalities", "fatalities_low", "fatalities_high",
                "injured")
_JSON = ("actors", "targets", "claimed_by")


def _report(row: sqlite3.Row | dict[str, Any]) -> EventReport:
    d = dict(row)
    for key in _JSON:
        if isinstance(d.get(key), str):
            d[key] = json.loads(d[key])
    d.pop("event_id", None)
    known = {k: v for k, v in d.items() if k in EventReport.__dataclass_fields__}
    report = EventReport.from_dict(known)
    report.id = d.get("id")  # type: ignore[attr-defined]  # the row id, to order and to update
    return report


# Events are looked up by how long they last: a day, up to a month, longer; each kind only
# within the days that kind can reach back from a report's start (the longest span of the
# type for the last), through the (type, span_days, date_start) index.
TIERS = ((0, 0), (1, 31), (32, None))


def _candidates(conn: sqlite3.Connection, r: EventReport) -> list[str]:
    """Events that may hold ``r``: its type, dates overlapping, no other country, and
    when it names doers, an event naming none of its own or one of them, oldest first."""
    row = conn.execute("SELECT days FROM event_spans WHERE type = ?", (r.type,)).fetchone()
    if row is None:
        return []  # no dated event of this type yet
    start = date.fromisoformat(r.date_start[:10])
    end = r.date_end or r.date_start
    parties = list(dict.fromkeys(r.actors + r.targets))
    if not r.place and not parties:
        return []  # across documents an event is joined through a shared party or agreeing places
    rest = "AND e.date_end >= ? AND (e.country IS NULL OR ? IS NULL OR e.country = ?)"
    params: list[Any] = [r.date_start, r.country, r.country]
    if r.actors:  # both name doers: they must share one
        marks = ", ".join("?" for _ in r.actors)
        rest += (" AND (e.n_actors = 0 OR EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id "
                 f"AND a.role = 'actor' AND a.actor_id IN ({marks})))")
        params += list(r.actors)
    # a shared party, or (when the report is placed) a placed event
    shared = ("EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.actor_id IN "
              f"({', '.join('?' for _ in parties)}))") if parties else "0"
    rest += f" AND ({shared}{' OR e.place IS NOT NULL' if r.place else ''})"
    params += parties
    parts, values = [], []
    for low, high in TIERS:
        reach = high if high is not None else max(row[0], low)
        if high is None and row[0] < low:
            continue  # no event of this type lasts that long
        parts.append(f"SELECT e.id, e.seq FROM events e WHERE e.type = ? AND e.span_days BETWEEN {low} AND "
                     f"{high if high is not None else 10**6} AND e.date_start BETWEEN ? AND ? {rest}")
        values += [r.type, (start - timedelta(days=reach)).isoformat(), end, *params]
    return [row[0] for row in conn.execute(" UNION ALL ".join(parts) + " ORDER BY 2", values)]


def _members(conn: sqlite3.Connection, event_id: str) -> list[EventReport]:
    rows = conn.execute('SELECT * FROM event_reports WHERE event_id = ? ORDER BY date_start, doc_id, "start", id',
                        (event_id,))
    return [_report(row) for row in rows]


def _save(conn: sqlite3.Connection, event_id: str, members: list[EventReport]) -> None:
    """Write the event row and its actors from its reports (the event keeps ``event_id``)."""
    event = _build(members, {})
    first = members[0]
    values = {f: getattr(event, f) for f in EVENT_FIELDS}
    values.update(
        n_reports=len(members), n_documents=len({m.doc_id for m in members}), n_actors=len(event.actors),
        span_days=_days(event.date_start, event.date_end),
        actors=json.dumps(event.actors, ensure_ascii=False), targets=json.dumps(event.targets, ensure_ascii=False),
        evidence=first.sentence, doc_id=first.doc_id,
    )
    if values["date_start"] and not values["date_end"]:
        values["date_end"] = values["date_start"]  # a day: its range is itself
    cols = list(values)
    conn.execute(
        f"INSERT INTO events (id, {', '.join(cols)}) VALUES (?, {', '.join('?' for _ in cols)}) "
        f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in cols)}",
        [event_id, *values.values()],
    )
    if values["date_start"]:
        conn.execute("INSERT INTO event_spans (type, days) VALUES (?, ?) "
                     "ON CONFLICT(type) DO UPDATE SET days = MAX(days, excluded.days)", (event.type, values["span_days"]))
    conn.execute("DELETE FROM event_actors WHERE event_id = ?", (event_id,))
    conn.executemany("INSERT OR IGNORE INTO event_actors (actor_id, role, event_id) VALUES (?, ?, ?)",
                     [(a, "actor", event_id) for a in event.actors]
                     + [(t, "target", event_id) for t in event.targets])


def _days(start: str | None, end: str | None) -> int:
    """How many days a date range spans (0 for a day or no date)."""
    if not start:
        return 0
    return max(0, (date.fromisoformat((end or start)[:10]) - date.fromisoformat(start[:10])).days)


def _new_id(conn: sqlite3.Connection, r: EventReport) -> str:
    base = _event_id(r)
    event_id, n = base, 1
    while conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone():
        n += 1
        event_id = f"{base}-{n}"
    return event_id


def _attach(conn: sqlite3.Connection, r: EventReport) -> str:
    """Put one stored report into its event; return the event id."""
    if r.date_start:  # an undated report is an event of its own (no date to agree on)
        for event_id in _candidates(conn, r):
            members = _members(conn, event_id)
            if members and all(same_event(r, m) for m in members):
                conn.execute("UPDATE event_reports SET event_id = ? WHERE id = ?", (event_id, r.id))
                _save(conn, event_id, [*members, r])
                return event_id
    event_id = _new_id(conn, r)
    conn.execute("UPDATE event_reports SET event_id = ? WHERE id = ?", (event_id, r.id))
    _save(conn, event_id, [r])
    return event_id


def _attach_rows(conn: sqlite3.Connection, rows: Iterable[sqlite3.Row]) -> int:
    reports = sorted((_report(row) for row in rows), key=lambda r: (r.date_start or "9999", r.doc_id, r.start))
    for r in reports:
        _attach(conn, r)
    return len(reports)


def attach_document(conn: sqlite3.Connection, doc_id: str) -> int:
    """Merge the just-stored reports of ``doc_id`` into events (inside the caller's
    transaction); return how many reports were placed."""
    return _attach_rows(conn, conn.execute(
        "SELECT * FROM event_reports WHERE doc_id = ? AND event_id IS NULL", (doc_id,)).fetchall())


def detach_document(conn: sqlite3.Connection, doc_id: str) -> None:
    """Take the reports of ``doc_id`` out of their events before they are deleted: events
    left empty go, the others are merged again from the reports that remain."""
    touched = [row[0] for row in conn.execute(
        "SELECT DISTINCT event_id FROM event_reports WHERE doc_id = ? AND event_id IS NOT NULL", (doc_id,))]
    if not touched:
        return
    conn.execute("UPDATE event_reports SET event_id = NULL WHERE doc_id = ?", (doc_id,))
    _rebuild(conn, touched)


def detach_reports(conn: sqlite3.Connection, report_ids: list[int]) -> None:
    """Take the given reports (row ids) out of their events, as ``detach_document`` does for
    a document's: an analyst's report undone leaves its event, which is merged again."""
    touched: list[str] = []
    for rid in report_ids:
        row = conn.execute("SELECT event_id FROM event_reports WHERE id = ?", (rid,)).fetchone()
        if row is not None and row[0] is not None:
            conn.execute("UPDATE event_reports SET event_id = NULL WHERE id = ?", (rid,))
            touched.append(row[0])
    _rebuild(conn, list(dict.fromkeys(touched)))


def _rebuild(conn: sqlite3.Connection, touched: list[str]) -> None:
    """Events some of whose reports just left: deleted when empty, else merged again."""
    for event_id in touched:
        rest = conn.execute('SELECT * FROM event_reports WHERE event_id = ? ORDER BY date_start, doc_id, "start", id',
                            (event_id,)).fetchall()
        conn.execute("DELETE FROM event_actors WHERE event_id = ?", (event_id,))
        conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
        if not rest:
            continue
        conn.execute("UPDATE event_reports SET event_id = NULL WHERE event_id = ?", (event_id,))
        first = _report(rest[0])
        # the first remaining report keeps the event's id, so links to the event survive
        conn.execute("UPDATE event_reports SET event_id = ? WHERE id = ?", (event_id, first.id))
        _save(conn, event_id, [first])
        _attach_rows(conn, rest[1:])


def attach_pending(conn: sqlite3.Connection) -> int:
    """Merge every stored report not yet in an event (a base made before events were
    merged on write); return how many were placed. Runs in the caller's transaction."""
    return _attach_rows(conn, conn.execute(
        "SELECT * FROM event_reports WHERE event_id IS NULL").fetchall())


# -- reading ---------------------------------------------------------------------------

ORDERS = {
    "date": "e.date_start IS NULL, e.date_start, e.seq",
    "recent": "e.date_end IS NULL, e.date_end DESC, e.seq DESC",
    # the sorts a list page offers: each read in the order of an index (events_date, events_type_date)
    "start": "e.date_start, e.rowid",
    "-start": "e.date_start DESC, e.rowid DESC",
    "type": "e.type, e.date_start, e.rowid",
    "-type": "e.type DESC, e.date_start DESC, e.rowid DESC",
}


def event_filter(*, actors: Iterable[str] | None = None, role: str = "any", place: str | None = None,
                 types: Iterable[str] | None = None, start: str | None = None, end: str | None = None
                 ) -> tuple[str, list[Any]]:
    """The WHERE clause (on ``events e``) of the events that match: ``actors`` (ids) did it
    (role "actor"), suffered it ("target") or either ("any"); ``place`` is a place id,
    location, admin1, admin2 or country code (any case); ``types``; a date range ``start``
    .. ``end`` (ISO days) that the event's range overlaps (undated events then drop out)."""
    if role not in ("actor", "target", "any"):
        raise ValueError(f"role must be actor, target or any, not {role!r}")
    clauses: list[str] = []
    params: list[Any] = []
    if actors is not None:
        ids = sorted(set(actors))
        roles = ("actor", "target") if role == "any" else (role,)
        clauses.append(f"e.id IN (SELECT a.event_id FROM event_actors a WHERE a.actor_id IN "
                       f"({', '.join('?' for _ in ids)}) AND a.role IN ({', '.join('?' for _ in roles)}))")
        params += ids + list(roles)
    if place:
        clauses.append("(e.place = ? COLLATE NOCASE OR e.location = ? COLLATE NOCASE OR e.admin1 = ? COLLATE NOCASE"
                       " OR e.admin2 = ? COLLATE NOCASE OR e.country = ? COLLATE NOCASE)")
        params += [place] * 5
    if types is not None:
        kinds = sorted({t.lower() for t in types})
        clauses.append(f"e.type IN ({', '.join('?' for _ in kinds)})")
        params += kinds
    if start:
        clauses.append("e.date_end >= ?")
        params.append(start)
    if end:
        clauses.append("e.date_start <= ?")
        params.append(end)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def select_events(conn: sqlite3.Connection, *, order: str = "date", limit: int | None = None, offset: int = 0,
                  **filters: Any) -> list[dict[str, Any]]:
    """A page of merged events (rows of ``events``, lists decoded) in ``order`` ("date":
    oldest first, undated last; "recent": latest first), filtered as ``event_filter`` says."""
    clause, params = event_filter(**filters)
    sql = f"SELECT e.* FROM events e{clause} ORDER BY {ORDERS[order]}"
    sql, params = page(sql, params, limit, offset)
    out = []
    for row in conn.execute(sql, params):
        d = dict(row)
        d["actors"], d["targets"] = json.loads(d["actors"]), json.loads(d["targets"])
        out.append(d)
    return out


def count_events(conn: sqlite3.Connection, **filters: Any) -> int:
    clause, params = event_filter(**filters)
    if not clause:  # all of them: the count kept by trigger
        row = conn.execute("SELECT n FROM row_counts WHERE name = 'events'").fetchone()
        if row is not None:
            return int(row[0])
    return conn.execute(f"SELECT COUNT(*) FROM events e{clause}", params).fetchone()[0]


def reports_of(conn: sqlite3.Connection, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The reports of the given events (with their document's title, source, published,
    url, name, the source's grade and the report's page in a paged document), by event id,
    in date and document order."""
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in event_ids}
    for k in range(0, len(event_ids), 500):
        chunk = event_ids[k:k + 500]
        rows = conn.execute(
            f"SELECT r.*, {doc_fields('r')} FROM event_reports r "
            "JOIN documents d ON d.id = r.doc_id LEFT JOIN sources s ON s.name = d.source "
            f"WHERE r.event_id IN ({', '.join('?' for _ in chunk)}) "
            'ORDER BY r.date_start, r.doc_id, r."start", r.id', chunk)
        for row in rows:
            d = dict(row)
            for key in _JSON:
                d[key] = json.loads(d[key])
            out[d["event_id"]].append(d)
    return out
