"""The ``jsonl`` export format: every record of a knowledge base as JSON Lines, which
``khabar import`` (:mod:`khabar.export.jsonl_read`) reads back into an empty base.

One JSON object a line, each with a ``record`` field saying what it is, in this order:

1. ``khabar``: the header (``format`` "khabar-jsonl/1", the ``schema`` version, ``counts``);
2. ``source`` (name, kind, reliability grade A-F as stored: an analyst's grade included);
3. ``actor`` (the ``actors`` row: id, name, kind, parent, country, wikidata, listed,
   aliases) with the analyst layer shown beside it: ``merged_into`` (the actor an analyst
   merged it into) and ``analyst_aliases``, when there are any;
4. per document, in the order they were stored: ``document`` (metadata, text,
   ``duplicate_of``, ``ingested_at``, ``extracted_with``), then its ``sentence``, ``mention``, ``assertion``
   (with its stable ``aid`` and the analyst's ``analyst`` verdict), ``event_report`` (with
   the ``event_id`` it was merged into), ``place_mention`` and ``judgment`` (with its stable
   ``id`` and the analyst's recorded ``outcome``) records;
5. ``signature`` (a document's MinHash, base64, and its LSH band keys) and ``file`` (what
   an ingested file looked like), so that a later ingest into the imported base finds the
   same near-duplicates and passes the same unchanged files by;
6. ``analyst_action``: the analyst's log as it is (ids, times, undone ones too);
7. derived records, the analyst layer applied, for readers of the file (``import`` does not
   write them: it recomputes them and checks they come out the same): ``tie`` (as
   :meth:`khabar.export.base.Records.ties`, evidence sentences included) and ``event`` (as
   :meth:`~khabar.export.base.Records.events`).

Rows are written as extraction made them: where an analyst corrected one (re-pointed a
mention, edited a tie, changed a judgment) the machine's values are written, and rows an
analyst made are left out; the ``analyst_action`` records hold the corrections, which the
import replays (``store.corrections.replay``) as an ingest does.

Surrogate row ids (of sentences, mentions, assertions...) are not written: they are
numbered again on import, in the same order, so a base stored in one go gets the same ids.
The file is always the whole knowledge base: an export filtered by actor, place, type or
date would not import, so the filters are refused (E318).
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khabar.errors import KhabarError
from khabar.store.read import assertion_id

if TYPE_CHECKING:
    from khabar.export.base import Records
    from khabar.workspace import Workspace

__all__ = ["FORMAT", "write", "iter_records", "DOCUMENT_RECORDS", "DERIVED_RECORDS"]

FORMAT = "khabar-jsonl/1"
PAGE = 500
# the records that follow their document, in the order they are written
DOCUMENT_RECORDS = ("sentence", "mention", "assertion", "event_report", "place_mention", "judgment")
DERIVED_RECORDS = ("tie", "event")
_EVENT_JSON = ("actors", "targets", "claimed_by")


def _rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> Iterator[dict[str, Any]]:
    for row in conn.execute(sql, params):
        yield dict(row)


def _documents(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Documents in the order they were first stored (rowid), a page at a time."""
    last = 0
    while True:
        page = [dict(r) for r in conn.execute(
            "SELECT rowid AS _rowid, * FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, PAGE))]
        for row in page:
            last = row.pop("_rowid")
            if isinstance(row.get("pages"), str):  # a PDF's page offsets, stored as JSON
                row["pages"] = json.loads(row["pages"])
            yield row
        if len(page) < PAGE:
            return


def _analyst(ws: Workspace) -> dict[str, Any]:
    """The live analyst layer: merges, aliases, verdicts (``Workspace._analyst``) and each
    judgment's latest recorded outcome."""
    layer = ws._analyst()
    outcomes: dict[str, Any] = {}
    for row in ws.conn.execute("SELECT target, json_extract(payload, '$.outcome') FROM analyst_actions "
                               "WHERE kind = 'resolve' AND undone_at IS NULL ORDER BY id"):
        outcomes[row[0]] = row[1]
    return {**layer, "outcomes": outcomes}


def _machine(row: dict[str, Any], fields: tuple[str, ...] | None = None) -> dict[str, Any] | None:
    """A row as extraction made it: an analyst's correction (migration 16: ``correction`` the
    action's id, ``machine`` the values it replaced) undone, or None for a row an analyst
    made. The import writes machine rows and replays the log (``store.corrections``) over them."""
    correction, machine = row.pop("correction", None), row.pop("machine", None)
    if correction is None:
        return row
    if machine is None:
        return None  # made by the analyst: the log makes it again
    if fields is None:  # a mention keeps the actor it was found as
        return {**row, "actor_id": machine}
    old = json.loads(machine)
    return {**row, **{k: old.get(k) for k in fields}}


_ASSERTION_KEY = ("subject", "type", "object", "modality")
_JUDGMENT_FORECAST = ("due", "horizon", "low", "high", "band")


def _document_records(conn: sqlite3.Connection, doc_id: str, layer: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for row in _rows(conn, 'SELECT idx, "start", "end", text FROM sentences WHERE doc_id = ? ORDER BY idx',
                     (doc_id,)):
        yield {"record": "sentence", "doc_id": doc_id, **row}
    for row in _rows(conn, "SELECT * FROM mentions WHERE doc_id = ? ORDER BY id", (doc_id,)):
        row.pop("id")
        made = _machine(row)
        if made is not None:
            yield {"record": "mention", **made}
    for row in _rows(conn, "SELECT * FROM assertions WHERE doc_id = ? ORDER BY id", (doc_id,)):
        row.pop("id")
        made = _machine(row, _ASSERTION_KEY)
        if made is not None:
            aid = assertion_id(made)
            yield {"record": "assertion", **made, "aid": aid, "analyst": layer["verdicts"].get(aid)}
    for row in _rows(conn, "SELECT * FROM event_reports WHERE doc_id = ? ORDER BY id", (doc_id,)):
        row.pop("id")
        made = _machine(row, _EVENT_JSON)  # re-pointed parties put back; one an analyst added left out
        if made is None:
            continue
        for key in _EVENT_JSON:
            if isinstance(made[key], str):
                made[key] = json.loads(made[key])
        yield {"record": "event_report", **made}
    for row in _rows(conn, 'SELECT doc_id, "start", "end", surface, place FROM place_mentions WHERE doc_id = ? '
                           "ORDER BY id", (doc_id,)):
        yield {"record": "place_mention", **row}
    for row in _rows(conn, "SELECT * FROM judgments WHERE doc_id = ? ORDER BY rowid", (doc_id,)):
        made = _machine(row, _JUDGMENT_FORECAST)
        if made is None:
            continue
        made["about"] = json.loads(made["about"])
        yield {"record": "judgment", **made, "outcome": layer["outcomes"].get(made["id"])}


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    one = lambda sql: int(conn.execute(sql).fetchone()[0] or 0)  # noqa: E731
    kept = dict(conn.execute("SELECT name, n FROM row_counts").fetchall())
    return {"documents": one("SELECT COUNT(*) FROM documents"), "actors": one("SELECT COUNT(*) FROM actors"),
            "sources": one("SELECT COUNT(*) FROM sources"), **{k: int(v) for k, v in kept.items()},
            "ties": one("SELECT COUNT(*) FROM ties WHERE evidence > 0"),
            "analyst_actions": one("SELECT COUNT(*) FROM analyst_actions")}


def iter_records(ws: Workspace, records: Records | None = None) -> Iterator[dict[str, Any]]:
    """Every record of the knowledge base of ``ws``, in file order (see the module docstring);
    ``records`` gives the derived ones (a :class:`~khabar.export.base.Records` of ``ws``,
    made when not given). Reads a document's rows at a time, never a whole table."""
    from khabar.export.base import Records
    from khabar.store.migrations import current_version
    from khabar.store.ties import refresh

    ws.require_existing()
    conn = ws.conn
    refresh(conn, ws.sources)  # the tie figures the header counts are current
    records = records if records is not None else Records(ws)
    layer = _analyst(ws)
    yield {"record": "khabar", "format": FORMAT, "schema": current_version(conn), "counts": _counts(conn)}
    for row in _rows(conn, "SELECT name, kind, reliability FROM sources ORDER BY rowid"):
        yield {"record": "source", **row}
    for row in _rows(conn, "SELECT * FROM actors ORDER BY rowid"):
        row.pop("correction", None)  # an actor an analyst made is kept: machine rows may name it
        row["aliases"] = json.loads(row["aliases"])
        row["listed"] = bool(row["listed"])
        extra: dict[str, Any] = {}
        into = ws._merged(row["id"], layer["merges"])
        if into != row["id"]:
            extra["merged_into"] = into
        if layer["aliases"].get(row["id"]):
            extra["analyst_aliases"] = layer["aliases"][row["id"]]
        yield {"record": "actor", **row, **extra}
    for doc in _documents(conn):
        yield {"record": "document", **doc}
        yield from _document_records(conn, doc["id"], layer)
    for row in _rows(conn, "SELECT doc_id, minhash FROM signatures ORDER BY rowid"):
        bands = [r[0] for r in conn.execute("SELECT key FROM lsh_bands WHERE doc_id = ? ORDER BY rowid",
                                            (row["doc_id"],))]
        yield {"record": "signature", "doc_id": row["doc_id"],
               "minhash": base64.b64encode(bytes(row["minhash"])).decode("ascii"), "bands": bands}
    for row in _rows(conn, "SELECT * FROM files ORDER BY rowid"):
        row["docs"] = json.loads(row["docs"])
        yield {"record": "file", **row}
    for row in _rows(conn, "SELECT * FROM analyst_actions ORDER BY id"):
        row["payload"] = json.loads(row["payload"])
        yield {"record": "analyst_action", **row}
    for tie in records.ties():
        yield {"record": "tie", **tie}
    for event in records.events():
        yield {"record": "event", **event}


def _filtered(records: Records) -> list[str]:
    """The filters ``records`` was made with (a JSONL export takes none)."""
    given = [k for k in ("actor", "place", "types", "since", "until") if records.event_filters.get(k)]
    return given + (["rejected"] if records.rejected else [])


def write(records: Records, path: Path) -> dict[str, int]:
    """Write the whole knowledge base of ``records.ws`` as JSON Lines at ``path`` (UTF-8, one
    record a line, ``\\n`` line ends); return how many records of each kind were written."""
    given = _filtered(records)
    if given:
        raise KhabarError("E318", f"the jsonl export is the whole knowledge base, not a part: drop "
                                  f"{', '.join('--' + g for g in given)}")
    counts: dict[str, int] = {}
    tmp = Path(path).with_name(Path(path).name + ".partial")
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        for record in iter_records(records.ws, records):
            fh.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
            counts[record["record"]] = counts.get(record["record"], 0) + 1
    tmp.replace(path)  # an export cut short leaves no file that looks whole
    counts.pop("khabar", None)
    return counts
