"""Ingest and re-extraction: the write side of ``Workspace`` (``Workspace.ingest`` and
``Workspace.reextract`` call these).

Ingest is incremental. A file read before is passed by when its path, size and mtime (else
the sha256 of its bytes) and the sidecar entries for it are as recorded, without reading,
decoding or normalising it; a new document is compared for near duplicates with the stored
signatures its LSH bands point at; the spaCy model loads only when a document needs
extracting; and nothing is written (so the revision readers cache on stays) when nothing
changed.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khabar import store
from khabar.schema import Document
from khabar.store.db import CACHE_MB, set_cache

if TYPE_CHECKING:
    from khabar.collect import FileSeen, Unchanged
    from khabar.workspace import Workspace

__all__ = ["IngestReport", "ReextractReport", "ingest_lock", "ingest_running", "run_ingest", "run_reextract"]


@contextlib.contextmanager
def ingest_lock(db_path: str) -> Iterator[None]:
    """Hold ``DB.ingest.lock`` for the time of an ingest; wait, saying so, while another holds it.
    An advisory lock of the operating system: a killed ingest releases it by dying."""
    if db_path == ":memory:":
        yield
        return
    import fcntl

    with open(f"{db_path}.ingest.lock", "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"khabar: another ingest into {db_path} is running; waiting for it to finish", file=sys.stderr,
                  flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ingest_running(db_path: str) -> bool:
    """Whether another process holds ``DB.ingest.lock`` now (asked without waiting, and
    without creating the file). Readers then leave the tie figures to the ingest, which
    brings them up to date when it ends, instead of competing for the write lock."""
    if db_path == ":memory:":
        return False
    import fcntl

    try:
        fh = open(f"{db_path}.ingest.lock", "rb")
    except OSError:
        return False
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


# Sidecar fields a re-ingest applies to a stored document (its text, and so its id, unchanged).
_META_FIELDS = ("published", "source", "url", "title")
# Records of input files read from the knowledge base at a time (see _Files.known).
RECORD_WINDOW = 2048
# Documents a re-extraction reads ids of at a time.
REEXTRACT_WINDOW = 1000
# Names of the texts met last, kept to name the original of a copy met in the same run.
RECENT_NAMES = 4096
CHECK_CACHE_MB = 4  # page cache while only recognising unchanged files


@dataclass
class IngestReport:
    """What an ingest did: counts, and a reason for everything skipped."""

    ingested: int = 0
    unchanged: int = 0
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, of name)
    skipped: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, sidecar fields changed)

    def summary(self) -> str:
        lines = [f"ingested {self.ingested}, unchanged {self.unchanged}, updated {len(self.updated)}, "
                 f"duplicates {len(self.duplicates)}, skipped {len(self.skipped)}"]
        lines += [f"  updated {name}: {', '.join(fields)} from the sidecar" for name, fields in self.updated]
        lines += [f"  duplicate ({kind}) {name} of {of}" for name, kind, of in self.duplicates]
        lines += [f"  {s}" for s in self.skipped]
        return "\n".join(lines)


@dataclass
class ReextractReport:
    """What a re-extraction did."""

    extracted: int = 0
    current: int = 0  # documents already extracted as this khabar would: left as they are
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return "\n".join([f"re-extracted {self.extracted}, already up to date {self.current}, "
                          f"skipped {len(self.skipped)}",
                          *(f"  {s}" for s in self.skipped)])


def _progress(enabled: bool, desc: str, total: int | None = None, unit: str = "doc"):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc=desc, unit=unit, total=total, file=sys.stderr)


def _count_files(paths: list, meta: str | Path | None) -> int:
    """How many files an ingest of ``paths`` reads (the sidecar among them excluded): the
    walker's listing, no file opened, so the progress bar has a total."""
    from khabar.collect.readers import iter_files

    sidecar = Path(meta).resolve() if meta else None
    return sum(1 for f in iter_files(paths) if isinstance(f, Path) and not (
        sidecar is not None and f.suffix == sidecar.suffix and f.resolve() == sidecar))


class _Files:
    """The files of one ingest: recognising unchanged ones, and remembering each file read
    once all its documents are stored (a crash in between leaves it to be read again)."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.docs: list[str] = []  # ids the file being read gave so far
        self.ok = True  # False once one of them is not stored as itself (an exact copy)
        self.waiting: list[tuple[Any, set[str]]] = []  # (record, ids not written yet)
        self.unwritten: set[str] = set()
        # A window of the records of one folder, in path order: from _first to _last (None: to
        # the folder's end). Files come in sorted order, so a window serves RECORD_WINDOW files.
        self._folder: str | None = None
        self._first = self._last = None
        self._records: dict[str, Any] = {}

    def known(self, seen: FileSeen) -> Unchanged | None:
        """``Unchanged`` when ``seen`` is as recorded: size and mtime, else the same bytes; and the
        same sidecar entries. (Documents are never deleted but with the whole base, so the ids
        recorded are stored.)"""
        from khabar.collect import Unchanged
        from khabar.store.incremental import FileRecord, folder_records, record_file

        folder, key = os.path.dirname(seen.key), seen.key
        if folder != self._folder or key < self._first or (self._last is not None and key > self._last):
            self._records = folder_records(self.conn, folder, key, RECORD_WINDOW)
            self._folder, self._first = folder, key
            self._last = max(self._records) if len(self._records) == RECORD_WINDOW else None
        rec = self._records.get(key)
        if rec is None or rec.meta != seen.meta:
            return None
        if (rec.size, rec.mtime_ns) != (seen.size, seen.mtime_ns):
            if seen.content_hash() != rec.sha256:
                return None
            # touched, not changed: remember the new stat so the next run need not hash it
            record_file(self.conn, FileRecord(seen.key, seen.size, seen.mtime_ns, rec.sha256, rec.meta, rec.docs))
        return Unchanged(seen, rec.docs)

    def document(self, doc_id: str, stored_as_itself: bool) -> None:
        self.docs.append(doc_id)
        self.ok = self.ok and stored_as_itself

    def extracting(self, doc_id: str) -> None:
        self.unwritten.add(doc_id)

    def done(self, seen: FileSeen) -> None:
        """The file's documents have all been seen; remember it when they are all stored."""
        from khabar.store.incremental import FileRecord

        docs, ok = tuple(dict.fromkeys(self.docs)), self.ok and seen.complete
        self.docs, self.ok = [], True
        if not ok:
            return
        record = FileRecord(seen.key, seen.size, seen.mtime_ns, seen.content_hash(), seen.meta, docs)
        waiting = set(docs) & self.unwritten
        if waiting:
            self.waiting.append((record, waiting))
        else:
            self._record(record)

    def written(self, doc_id: str, stored: bool) -> None:
        self.unwritten.discard(doc_id)
        still = []
        for record, waiting in self.waiting:
            if doc_id in waiting:
                if not stored:
                    continue  # its extraction failed: the file is read again next time
                waiting.discard(doc_id)
                if not waiting:
                    self._record(record)
                    continue
            still.append((record, waiting))
        self.waiting = still

    def _record(self, record) -> None:
        from khabar.store.incremental import record_file

        record_file(self.conn, record)


def _extracted(ws: Workspace, documents: Iterator[Document], jobs: int, engine: str,
               scheduler: str | None):
    """Extractions in input order: here, in ``jobs`` worker processes, or on Dask (``khabar.parallel``)."""
    from khabar.parallel import extractions

    return extractions(documents, jobs=jobs, engine=engine, scheduler=scheduler, here=lambda: ws.extractor)


def run_ingest(ws: Workspace, paths: list, meta: str | Path | None, progress: bool, *, jobs: int = 1,
               engine: str = "local", scheduler: str | None = None) -> IngestReport:
    # collecting is for writers only: read commands, which import this module through
    # Workspace, do not pay for it
    from khabar.collect import Deduplicator, FileSeen, Skipped, Unchanged, collect
    from khabar.collect.dedup import StoredIndex
    from khabar.collect.meta import base_name, load_meta

    report = IngestReport()
    conn = ws.conn
    for (name,) in conn.execute("SELECT name FROM sources").fetchall():
        ws._grade_source(name)  # the source book may have been edited since
    files = _Files(conn)
    items = collect(paths, meta, known=files.known)
    # the bar counts files against how many the walker lists (folders listed, nothing read);
    # a .jsonl file holds many documents, so the documents read so far go beside it
    bar = _progress(progress, "ingest", total=_count_files(paths, meta) if progress else None, unit="file")
    n_docs = 0
    sidecar: dict | None = None  # read when a stored document is met again (not for a file passed by)
    # The second of two copies of a text in one run is a duplicate: the first is either being
    # extracted (``pending``) or stored already (found in the base), so no set of every text
    # met is kept (a run of a million documents would hold it all). The names of the latest
    # texts are (a copy mostly follows its original closely; older names are read from the base).
    pending: dict[str, Document] = {}  # read, not yet written
    names: OrderedDict[str, str] = OrderedDict()
    again: set[str] = set()  # ids extracted again for a corrected publication date
    dedup: Deduplicator | None = None  # made when a new text needs checking

    def name_of(doc_id: str) -> str:
        if doc_id in names:
            return names[doc_id]
        stored = store.document_meta(conn, doc_id)
        return (stored or {}).get("name") or doc_id[:12]

    def fresh() -> Iterator[Document]:
        nonlocal dedup, sidecar, n_docs
        for item in items:
            if isinstance(item, (FileSeen, Unchanged)) and bar is not None:
                n_docs += len(item.docs) if isinstance(item, Unchanged) else 0
                bar.set_postfix_str(f"{n_docs} docs", refresh=False)
                bar.update(1)
            if isinstance(item, FileSeen):
                files.done(item)
                continue
            if isinstance(item, Unchanged):
                # a copy read later in the run finds the stored document (whose file exists)
                report.unchanged += len(item.docs)
                continue
            n_docs += 1
            if isinstance(item, Skipped):
                report.skipped.append(str(item))
                continue
            if item.id in pending:  # the same text twice in one run: the second is a duplicate
                report.duplicates.append((item.name, "exact", name_of(item.id)))
                files.document(item.id, False)
                continue
            names[item.id] = item.name
            if len(names) > RECENT_NAMES:
                names.popitem(last=False)
            stored = store.document_meta(conn, item.id)
            if stored is not None:
                if stored["name"] != item.name and stored["path"] and Path(stored["path"]).exists():
                    report.duplicates.append((item.name, "exact", stored["name"]))
                    files.document(item.id, False)
                    continue
                files.document(item.id, True)
                if sidecar is None:
                    sidecar = load_meta(meta) if meta else {}
                changed = [k for k in sidecar.get(base_name(item.name), {})
                           if k in _META_FIELDS and getattr(item, k) != stored[k]]
                if "published" in changed:  # dates in the text resolve against it: extract again
                    report.updated.append((item.name, changed))
                    again.add(item.id)
                    files.extracting(item.id)
                    yield item
                elif changed:
                    store.update_document_meta(conn, item.id, {k: getattr(item, k) for k in changed})
                    report.updated.append((item.name, changed))
                else:
                    report.unchanged += 1
                continue
            if dedup is None:
                dedup = Deduplicator(stored=StoredIndex(conn))
            kind, of = dedup.check(item.id, item.text)
            files.document(item.id, True)
            if kind is not None and of is not None:
                store.record_duplicate(conn, item, of)
                report.duplicates.append((item.name, kind, name_of(of)))
                continue
            dedup.add(item.id, item.text)
            files.extracting(item.id)
            yield item

    def tracked() -> Iterator[Document]:
        for d in fresh():
            pending[d.id] = d
            yield d

    stream = tracked()
    # Recognising unchanged files reads one row of the files table each: a small page cache
    # does, and a re-ingest of 100k files then needs no more memory than one of 10k. Writing
    # documents updates many indexes and gets the full cache back.
    set_cache(conn, CHECK_CACHE_MB)
    try:
        first = next(stream, None)  # the model loads only when a document needs extracting
    finally:
        set_cache(conn, CACHE_MB)
    if first is not None:
        for extraction in _extracted(ws, itertools.chain([first], stream), jobs, engine, scheduler):
            doc = pending.pop(extraction.doc_id)
            if extraction.error:  # that document alone: the rest of its group is stored
                report.skipped.append(str(Skipped(doc.path or doc.name, extraction.error)))
                if dedup is not None:
                    dedup.forget(doc.id)
                files.written(doc.id, False)
                continue
            ws._grade_source(doc.source)
            with store.transaction(conn):  # the document, its rows and its signature: all or nothing
                store.write_document(conn, doc, extraction)
                _stamp(conn, doc.id)
                if dedup is not None:
                    dedup.store(doc.id)
            files.written(doc.id, True)
            report.ingested += doc.id not in again
    if bar is not None:
        bar.close()
    return report


def _stamp(conn, doc_id: str) -> None:
    """Note what the document's rows were just extracted with (``khabar.extract.stamp``)."""
    from khabar.extract.stamp import extraction_stamp

    conn.execute("UPDATE documents SET extracted_with = ? WHERE id = ?", (extraction_stamp(), doc_id))


def run_reextract(ws: Workspace, progress: bool, *, jobs: int = 1, engine: str = "local",
                  scheduler: str | None = None, everything: bool = False) -> ReextractReport:
    """Extract the stored originals again and replace their machine rows, one transaction per
    document; duplicates, signatures, file records and the analyst layer stay as they are.

    Only the documents extracted otherwise than this process would (their stamp differs, or
    they have none) are done, unless ``everything``: a run that was interrupted resumes where
    it stopped, and a second run finds nothing to do. Documents are read from the base in
    windows of rowids, never listed whole."""
    from khabar.collect import Skipped
    from khabar.extract.stamp import extraction_stamp

    conn = ws.conn
    report = ReextractReport()
    stamp = extraction_stamp()
    stale = "duplicate_of IS NULL" + ("" if everything else " AND extracted_with IS NOT ?")
    params: tuple = () if everything else (stamp,)
    total = conn.execute(f"SELECT COUNT(*) FROM documents WHERE {stale}", params).fetchone()[0]
    report.current = conn.execute("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NULL").fetchone()[0] - total
    bar = _progress(progress, "reextract", total=total)

    def documents() -> Iterator[Document]:
        last = 0
        while True:  # a window of rowids at a time: a million ids are never held
            rows = conn.execute(f"SELECT rowid, id FROM documents WHERE rowid > ? AND {stale} "
                                "ORDER BY rowid LIMIT ?", (last, *params, REEXTRACT_WINDOW)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            for _, doc_id in rows:  # one text in memory at a time (and those the extractor batches)
                row = store.document(conn, doc_id)
                if row is not None:
                    yield Document(id=row["id"], text=row["text"], name=row["name"], path=row["path"],
                                   source=row["source"], url=row["url"], title=row["title"],
                                   published=row["published"], language=row["language"] or "en")

    pending: dict[str, Document] = {}

    def tracked() -> Iterator[Document]:
        for d in documents():
            pending[d.id] = d
            yield d

    if total:
        for extraction in _extracted(ws, tracked(), jobs, engine, scheduler):
            doc = pending.pop(extraction.doc_id)
            if bar is not None:
                bar.update(1)
            if extraction.error:  # its old rows stay: better stale than none
                report.skipped.append(str(Skipped(doc.path or doc.name, extraction.error)))
                continue
            with store.transaction(conn):  # its new rows and its stamp: all or nothing
                store.write_document(conn, doc, extraction)
                _stamp(conn, doc.id)
            report.extracted += 1
    if bar is not None:
        bar.close()
    return report
