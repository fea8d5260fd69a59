"""``khabar import``: a JSONL export (:mod:`khabar.export.jsonl`) read back into an empty knowledge base.

Two passes over the file. The first checks every line without writing anything: its size
(bounded), that it is a JSON object with a known ``record`` type, the type of each field,
that records come in the file's order (sources and actors before documents, a document's
rows right after it), that offsets lie inside their document, that a sentence's text is
its document's text at its offsets, that every actor a row names was declared, that a
judgment's id is the one its document, offsets and speaker give. Each problem is one line,
``FILE:LINE: what is wrong``; the first few are reported together (E317) and nothing is
written.

The second pass writes through the store's write path (``store.write.write_document``, a
document with its sentences, mentions, assertions, event reports, places and judgments;
``upsert_source``, ``upsert_actor``, ``save_signature``, ``record_file``), documents in
the order the export stored them, one transaction per batch of documents. So everything
derived is computed again as on ingest, not copied: the full-text index (by trigger),
events merged report by report, tie figures and credibility, actor counts and degrees, row
counts; then the analyst's corrections are replayed over the machine rows
(``store.corrections.replay``), as after an ingest. Two things are put back as they were
rather than made anew: each document's
``ingested_at`` (the write path stamps the time of writing) and the analyst's log
(``analyst_actions``, ids and times kept: it is the analyst's record, never the machine's).
The derived ``tie`` and ``event`` records of the file are not written; they are compared
with what the import computed, and the differences counted in the result.

An import goes only into an empty knowledge base (E316): merging two bases is not a copy.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import math
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khabar.collect.readers import MAX_FILE_BYTES
from khabar.errors import KhabarError
from khabar.export.jsonl import DERIVED_RECORDS, FORMAT
from khabar.schema import (
    Actor,
    Assertion,
    Document,
    EventReport,
    Extraction,
    Judgment,
    Mention,
    PlaceMention,
    Source,
)

if TYPE_CHECKING:
    import sqlite3

    from khabar.workspace import Workspace

__all__ = ["import_jsonl", "check_jsonl", "MAX_LINE_BYTES", "MAX_ERRORS"]

MAX_LINE_BYTES = 3 * MAX_FILE_BYTES + (1 << 20)  # the largest document's text, JSON-escaped
MAX_FIELD_CHARS = 1_000_000  # any string but a document's text
MAX_ITEMS = 100_000  # any list
MAX_ERRORS = 10  # problems reported at once
BATCH = 200  # documents a transaction

# Where each record may stand: a record never comes before one of a lower rank.
_RANK = {"khabar": 0, "source": 1, "actor": 2, "document": 3, "sentence": 3, "mention": 3, "assertion": 3,
         "event_report": 3, "place_mention": 3, "judgment": 3, "signature": 4, "file": 5, "analyst_action": 6,
         "tie": 7, "event": 7}
# What the readers of the analyst log take from each kind's payload (``Workspace._analyst``,
# ``store.corrections``): an action without it would fail every later read, not this import.
_PAYLOAD: dict[str, dict[str, Any]] = {
    "merge": {"into": str}, "alias": {"alias": str}, "grade": {"grade": str}, "resolve": {"outcome": int},
    "add_actor": {"name": str}, "add_tie": {"doc_id": str, "start": int, "end": int},
    "add_event": {"doc_id": str, "start": int, "end": int},
}
_OF_DOCUMENT = ("sentence", "mention", "assertion", "event_report", "place_mention", "judgment")


def _dataclass_spec(cls: type, drop: tuple[str, ...] = (), **extra: Any) -> tuple[dict[str, Any], set[str]]:
    hints = {k: v for k, v in typing.get_type_hints(cls).items() if k not in drop}
    required = {f.name for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    return {**hints, **extra}, required


def _specs() -> dict[str, tuple[dict[str, Any], set[str]]]:
    """Each record type's fields with their types, and the fields it must have."""
    sentence = {"doc_id": str, "idx": int, "start": int, "end": int, "text": str}
    signature = {"doc_id": str, "minhash": str, "bands": list[int]}
    file = {"path": str, "size": int, "mtime_ns": int, "sha256": str, "meta": str, "docs": list[str]}
    action = {"id": int, "at": str, "kind": str, "target": str, "payload": dict, "undone_at": str | None}
    judgment, judgment_required = _dataclass_spec(Judgment, id=str)
    return {
        "khabar": ({"format": str, "schema": int}, {"format", "schema"}),
        "source": _dataclass_spec(Source),
        "actor": _dataclass_spec(Actor),
        "document": _dataclass_spec(Document, ingested_at=str | None, extracted_with=str | None),
        "sentence": (sentence, set(sentence)),
        "mention": _dataclass_spec(Mention, drop=("role",)),
        "assertion": _dataclass_spec(Assertion, drop=("rule", "score")),
        "event_report": _dataclass_spec(EventReport, event_id=str | None),
        "place_mention": _dataclass_spec(PlaceMention),
        "judgment": (judgment, judgment_required | {"id"}),
        "signature": (signature, set(signature)),
        "file": (file, set(file)),
        "analyst_action": (action, {"id", "at", "kind", "target"}),
    }


_SPECS = _specs()


def _type_ok(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_type_ok(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and len(value) <= MAX_ITEMS and all(_type_ok(v, item) for v in value)
    if hint is dict:
        return isinstance(value, dict)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:  # what SQLite can store: a 64-bit integer
        return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63
    if hint is float:  # finite: JSON's NaN and Infinity are no measure of anything
        return (isinstance(value, (int, float)) and not isinstance(value, bool)
                and math.isfinite(value) and abs(value) < 2**63)
    if hint is str:
        return isinstance(value, str)
    return True


def _type_name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


class _LineError(Exception):
    """One line's problem (the line number is added by the reader)."""


def _lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line, ``None`` for one over :data:`MAX_LINE_BYTES`
    (read past in pieces, never held whole)."""
    with path.open("rb") as fh:
        number = 0
        while True:
            line = fh.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE_BYTES:
                while line and not line.endswith(b"\n"):
                    line = fh.readline(1 << 20)
                yield number, None
                continue
            yield number, line


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any] | _LineError]]:
    """(line number, record) for each non-blank line, or the line's problem instead."""
    for number, raw in _lines(path):
        if raw is None:
            yield number, _LineError(f"a line longer than {MAX_LINE_BYTES} bytes")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield number, _LineError(f"not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, _LineError(f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield number, _LineError("JSON nested too deep")
            continue
        if not isinstance(record, dict):
            yield number, _LineError(f"a JSON {type(record).__name__}, not an object with a 'record' field")
            continue
        yield number, record


class _Checker:
    """The first pass: everything a line can be wrong about, and the order of the records."""

    def __init__(self) -> None:
        from khabar.store.migrations import MIGRATIONS

        self.schema = MIGRATIONS[-1][0]
        self.rank = -1
        self.actors: set[str] = set()
        self.documents: set[str] = set()
        self.actions: set[int] = set()
        self.doc_id: str | None = None
        self.text = ""
        self.next_idx = 0
        self.duplicate = False
        self.counts: dict[str, int] = {}

    def check(self, record: dict[str, Any]) -> None:
        kind = record.get("record")
        if not isinstance(kind, str) or kind not in _RANK:
            known = ", ".join(_RANK)
            raise _LineError(f"record {kind!r} is not one of {known}")
        if self.rank < 0 and kind != "khabar":
            raise _LineError(f"the first line must be the header (record 'khabar', format {FORMAT}), not a {kind}")
        if _RANK[kind] < self.rank:
            raise _LineError(f"a {kind} record after the records that follow it (sources, actors, documents "
                             "with their rows, signatures, files, analyst actions, then ties and events)")
        self.rank = _RANK[kind]
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if kind in DERIVED_RECORDS:
            return  # read for the check after the import, not written
        self._fields(kind, record)
        getattr(self, f"_{kind}", lambda r: None)(record)

    def _fields(self, kind: str, record: dict[str, Any]) -> None:
        hints, required = _SPECS[kind]
        missing = sorted(required - set(record))
        if missing:
            raise _LineError(f"a {kind} record without {', '.join(missing)}")
        for name, hint in hints.items():
            if name not in record:
                continue
            value = record[name]
            if not _type_ok(value, hint):
                raise _LineError(f"{kind}.{name} should be {_type_name(hint)}, not {json.dumps(value)[:60]}")
            bound = MAX_FILE_BYTES if (kind, name) == ("document", "text") else MAX_FIELD_CHARS
            if isinstance(value, str) and len(value) > bound:
                raise _LineError(f"{kind}.{name} has {len(value)} characters, over the {bound} limit")

    def _khabar(self, r: dict[str, Any]) -> None:
        if r["format"] != FORMAT:
            raise _LineError(f"format {r['format']!r}: this khabar reads {FORMAT}")
        if r["schema"] > self.schema:
            raise _LineError(f"exported by a newer khabar (schema {r['schema']}, this one {self.schema})")

    def _source(self, r: dict[str, Any]) -> None:
        if r.get("reliability", "F") not in ("A", "B", "C", "D", "E", "F"):
            raise _LineError(f"source.reliability {r['reliability']!r} is not a grade A-F")

    def _actor(self, r: dict[str, Any]) -> None:
        if not r["id"].strip():
            raise _LineError("an actor with an empty id")
        self.actors.add(r["id"])

    def _document(self, r: dict[str, Any]) -> None:
        if r["id"] in self.documents:
            raise _LineError(f"document {r['id']} a second time")
        if r.get("duplicate_of") == r["id"]:
            raise _LineError(f"document {r['id']} a duplicate of itself")
        self.documents.add(r["id"])
        self.doc_id, self.text, self.next_idx = r["id"], r["text"], 0
        self.duplicate = bool(r.get("duplicate_of"))

    def _of_document(self, kind: str, r: dict[str, Any]) -> None:
        if r["doc_id"] != self.doc_id:
            raise _LineError(f"a {kind} of document {r['doc_id'][:16]} not right after that document")
        if self.duplicate:
            raise _LineError(f"a {kind} of a near-duplicate document (it has no rows of its own)")
        start, end = r.get("start", 0), r.get("end", 0)
        if not 0 <= start <= end <= len(self.text):
            raise _LineError(f"{kind} offsets {start}-{end} outside its document ({len(self.text)} characters)")
        named = [r[k] for k in ("actor_id", "subject", "object") if k in r]
        named += [a for k in ("actors", "targets", "claimed_by") for a in r.get(k) or []]
        unknown = sorted(set(named) - self.actors)
        if unknown:
            raise _LineError(f"a {kind} naming actors no actor record declared: {', '.join(unknown[:5])}")

    def _sentence(self, r: dict[str, Any]) -> None:
        self._of_document("sentence", r)
        if r["idx"] != self.next_idx:
            raise _LineError(f"sentence {r['idx']} where sentence {self.next_idx} was due")
        if self.text[r["start"]:r["end"]] != r["text"]:
            raise _LineError(f"sentence {r['idx']}'s text is not its document's text at {r['start']}-{r['end']}")
        self.next_idx += 1

    def _mention(self, r: dict[str, Any]) -> None:
        self._of_document("mention", r)

    def _assertion(self, r: dict[str, Any]) -> None:
        self._of_document("assertion", r)
        if r.get("modality", "asserted") not in ("asserted", "negated", "predicted"):
            raise _LineError(f"assertion.modality {r['modality']!r} is not asserted, negated or predicted")

    def _event_report(self, r: dict[str, Any]) -> None:
        self._of_document("event_report", r)
        if r.get("precision") not in (None, "day", "month", "season", "year"):
            raise _LineError(f"event_report.precision {r['precision']!r} is not day, month, season or year")
        if r.get("geo_precision") is not None and not 1 <= r["geo_precision"] <= 4:
            raise _LineError(f"event_report.geo_precision {r['geo_precision']} is not 1-4")
        if r.get("date_start"):
            import datetime as dt

            try:
                dt.date.fromisoformat(r["date_start"][:10])
            except ValueError:
                raise _LineError(f"event_report.date_start {r['date_start']!r} is not an ISO day") from None

    def _place_mention(self, r: dict[str, Any]) -> None:
        self._of_document("place_mention", r)

    def _judgment(self, r: dict[str, Any]) -> None:
        from khabar.store.write import judgment_id

        self._of_document("judgment", r)
        low, high = r.get("low"), r.get("high")
        if low is not None and not (high is not None and 0 <= low <= high <= 1):
            raise _LineError(f"judgment band {low}-{high} is not 0 <= low <= high <= 1")
        if judgment_id(Judgment.from_dict(r)) != r["id"]:
            raise _LineError(f"judgment id {r['id']} is not the one its document, offsets and speaker give")

    def _signature(self, r: dict[str, Any]) -> None:
        if r["doc_id"] not in self.documents:
            raise _LineError(f"a signature of document {r['doc_id'][:16]}, which the file does not hold")
        try:
            base64.b64decode(r["minhash"], validate=True)
        except (binascii.Error, ValueError):
            raise _LineError("signature.minhash is not base64") from None

    def _analyst_action(self, r: dict[str, Any]) -> None:
        from khabar.store.analyst import KINDS

        if r["kind"] not in KINDS:
            raise _LineError(f"analyst action kind {r['kind']!r} is not one of {', '.join(KINDS)}")
        if r["id"] in self.actions:
            raise _LineError(f"analyst action {r['id']} a second time")
        payload = r.get("payload") or {}
        for key, hint in _PAYLOAD.get(r["kind"], {}).items():
            if not _type_ok(payload.get(key), hint):
                raise _LineError(f"a {r['kind']} action whose payload has no {key} ({_type_name(hint)})")
        self.actions.add(r["id"])


def check_jsonl(path: str | Path) -> dict[str, int]:
    """Check every line of the export at ``path`` (the first pass); return the records of each
    kind it holds, or raise E317 with up to :data:`MAX_ERRORS` problems, one line each."""
    path = Path(path)
    if not path.is_file():
        raise KhabarError("E100", f"no file at {path}")
    checker = _Checker()
    problems: list[str] = []
    more = 0
    for number, item in _records(path):
        try:
            if isinstance(item, _LineError):
                raise item
            checker.check(item)
        except _LineError as exc:
            if len(problems) < MAX_ERRORS:
                problems.append(f"{path}:{number}: {exc}")
            else:
                more += 1
    if checker.rank < 0 and not problems:
        problems.append(f"{path}: empty, not a khabar JSONL export")
    if problems:
        tail = f"\n(and {more} more)" if more else ""
        raise KhabarError("E317", "\n".join(problems) + tail)
    return checker.counts


def _require_empty(conn: sqlite3.Connection, db: str) -> None:
    held = [t for t in ("documents", "actors", "sources", "analyst_actions", "files")
            if conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is not None]
    if held:
        raise KhabarError("E316", f"{db} is not empty (it holds {', '.join(held)}): an import goes into a new "
                                  "knowledge base")


class _Writer:
    """The second pass: a document and its rows gathered, then written in one go."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.doc: Document | None = None
        self.ingested_at: str | None = None
        self.extracted_with: str | None = None
        self.extraction: Extraction | None = None
        self.written = 0

    def add(self, record: dict[str, Any]) -> None:
        from khabar.store.incremental import FileRecord, record_file, save_signature
        from khabar.store.write import upsert_actor, upsert_source

        kind = record["record"]
        if kind in _OF_DOCUMENT:
            self._row(kind, record)
            return
        self.flush()
        if kind == "source":
            upsert_source(self.conn, Source.from_dict(record))
        elif kind == "actor":
            upsert_actor(self.conn, Actor.from_dict(record))
        elif kind == "document":
            self.doc = Document.from_dict(record)
            self.ingested_at = record.get("ingested_at")
            self.extracted_with = record.get("extracted_with")  # what extracted the rows that follow
            self.extraction = Extraction(doc_id=self.doc.id)
        elif kind == "signature":
            save_signature(self.conn, record["doc_id"], base64.b64decode(record["minhash"]), record["bands"])
        elif kind == "file":
            record_file(self.conn, FileRecord(record["path"], record["size"], record["mtime_ns"], record["sha256"],
                                              record["meta"], tuple(record["docs"])))
        elif kind == "analyst_action":
            # the analyst's log is copied as it stands (ids, times, undone marks): record_action
            # would stamp it now and number it anew
            self.conn.execute("INSERT INTO analyst_actions (id, at, kind, target, payload, undone_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              (record["id"], record["at"], record["kind"], record["target"],
                               json.dumps(record.get("payload") or {}, ensure_ascii=False), record.get("undone_at")))

    def _row(self, kind: str, record: dict[str, Any]) -> None:
        extraction = self.extraction
        assert extraction is not None  # the first pass saw its document before it
        if kind == "sentence":
            extraction.sentences.append((record["start"], record["end"]))
        elif kind == "mention":
            extraction.mentions.append(Mention.from_dict(record))
        elif kind == "assertion":
            extraction.assertions.append(Assertion.from_dict(record))
        elif kind == "event_report":
            extraction.events.append(EventReport.from_dict(record))
        elif kind == "place_mention":
            extraction.places.append(PlaceMention.from_dict(record))
        elif kind == "judgment":
            extraction.judgments.append(Judgment.from_dict(record))

    def flush(self) -> None:
        """Write the document gathered so far, if any (a near-duplicate with no rows of its own)."""
        from khabar.store.write import write_document

        if self.doc is None:
            return
        write_document(self.conn, self.doc, None if self.doc.duplicate_of else self.extraction)
        if self.ingested_at:
            self.conn.execute("UPDATE documents SET ingested_at = ? WHERE id = ?", (self.ingested_at, self.doc.id))
        if self.extracted_with:
            self.conn.execute("UPDATE documents SET extracted_with = ? WHERE id = ?",
                              (self.extracted_with, self.doc.id))
        self.doc, self.extraction = None, None
        self.written += 1


def _derived(path: Path) -> tuple[dict[tuple[str, str, str], int], dict[str, list[str]]]:
    """The file's tie records (evidence count by key) and event records (documents by id)."""
    ties: dict[tuple[str, str, str], int] = {}
    events: dict[str, list[str]] = {}
    for _, record in _records(path):
        if isinstance(record, dict) and record.get("record") == "tie":
            ties[(record["subject"], record["type"], record["object"])] = record.get("evidence")
        elif isinstance(record, dict) and record.get("record") == "event":
            events[record["id"]] = sorted(record.get("documents") or [])
    return ties, events


def _compare(ws: Workspace, path: Path, held: dict[str, int]) -> dict[str, int]:
    """How many of the file's tie and event records the import did not give again (a file
    written without them, by hand or cut short, is not checked: 0)."""
    from khabar.export.base import Records

    ties, events = _derived(path)
    records = Records(ws)
    out = {"ties_differ": 0, "events_differ": 0}
    if held.get("tie") or held.get("event"):
        got_ties = {(t["subject"], t["type"], t["object"]): t["evidence"] for t in records.ties()}
        out["ties_differ"] = sum(1 for k in ties.keys() | got_ties.keys() if ties.get(k) != got_ties.get(k))
    if held.get("event") or held.get("tie"):
        got_events = {e["id"]: sorted(e.get("documents") or []) for e in records.events()}
        out["events_differ"] = sum(1 for k in events.keys() | got_events.keys()
                                   if events.get(k) != got_events.get(k))
    return out


def import_jsonl(ws: Workspace, path: str | Path, batch: int = BATCH) -> dict[str, int]:
    """Read the export at ``path`` into the empty knowledge base of ``ws``; return the records of
    each kind read and ``ties_differ``/``events_differ``: how many of the file's ties and
    events came out otherwise (0 when the base is the one exported).

    >>> import_jsonl(Workspace("copy.db"), "khabar.jsonl")          # doctest: +SKIP
    {'source': 10, 'actor': 65, 'document': 20, ..., 'ties_differ': 0, 'events_differ': 0}
    """
    path = Path(path)
    db = Path(ws.path)
    existed = ws.path == ":memory:" or db.exists()
    if existed:
        _require_empty(ws.conn, ws.path)
    try:
        counts = check_jsonl(path)
    except KhabarError:
        if not existed:  # nothing was written: leave no empty base behind
            ws.close()
            for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise
    conn = ws.conn
    _require_empty(conn, ws.path)
    writer = _Writer(conn)
    number = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for line, record in _records(path):
            number = line  # for the message, should the write fail
            assert isinstance(record, dict)  # checked in the first pass
            if record["record"] in ("khabar", *DERIVED_RECORDS):
                continue
            before = writer.written
            writer.add(record)
            if writer.written != before and writer.written % batch == 0:
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
        writer.flush()
        conn.execute("COMMIT")
    except Exception as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise KhabarError("E317", f"{path}:{number}: could not be written ({exc}); the knowledge base holds the "
                                  f"{writer.written // batch * batch} documents before the last batch") from exc
    from khabar.store.corrections import replay

    try:
        replay(conn)  # the analyst's corrections over the machine rows, as after an ingest
        ws._after_write()  # tie figures and degrees, as after an ingest
    except Exception as exc:
        raise KhabarError("E317", f"{path}: the documents were written but the analyst's log could not be "
                                  f"replayed over them ({type(exc).__name__}: {exc})") from exc
    counts.pop("khabar", None)
    return {**counts, **_compare(ws, path, counts)}
