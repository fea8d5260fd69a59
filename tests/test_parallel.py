"""Extraction in worker processes and on Dask (khabar.parallel): the same records in the same
order as in one process, a failing document reported alone, a dead worker costing only its
document, and the same knowledge base whatever ran the extraction."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3

import pytest

from khabar import parallel
from khabar.errors import KhabarError
from khabar.schema import Document, Extraction
from tests.conftest import need_shared


# -- stand-in extractors: no model, so that a pool starts in a fraction of a second ------------
class Spans:
    """Sentence spans by full stops; raises on a document saying FAIL, kills its worker
    process on one saying DIE."""

    def extract_many(self, documents):
        documents = list(documents)  # a whole chunk fails when one of its documents does
        if any("FAIL" in d.text for d in documents):
            raise ValueError("this extractor cannot read FAIL")
        if any("DIE" in d.text for d in documents) and multiprocessing.parent_process() is not None:
            os._exit(3)  # as the kernel's OOM killer would
        for d in documents:
            yield Extraction(doc_id=d.id, sentences=[(0, len(d.text))], error=None)


def spans():
    return Spans()


class Pids:
    """Gives each document its worker's process id (as its one sentence's start)."""

    def extract_many(self, documents):
        for d in documents:
            yield Extraction(doc_id=d.id, sentences=[(os.getpid(), os.getpid())])


def pids():
    return Pids()


def unbuildable():
    raise KhabarError("E102", "no model here")


def _docs(n: int, special: dict[int, str] | None = None) -> list[Document]:
    special = special or {}
    return [Document(id=f"d{i:03d}", text=special.get(i, f"Text number {i}.")) for i in range(n)]


@pytest.fixture()
def small_chunks(monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(parallel, "POOL_FROM", 1)


@pytest.mark.parametrize("jobs", [1, 2])
def test_records_come_back_in_input_order(small_chunks, jobs):
    docs = _docs(11)
    got = list(parallel.extractions(iter(docs), jobs=jobs, extractor_factory=spans))
    assert [e.doc_id for e in got] == [d.id for d in docs]
    assert all(e.error is None and e.sentences for e in got)


def test_few_documents_are_extracted_here_without_a_pool(monkeypatch):
    monkeypatch.setattr(parallel, "LocalPool", None)  # starting one would fail
    made = []

    def here():
        made.append(1)
        return Spans()

    got = list(parallel.extractions(iter(_docs(3)), jobs=2, extractor_factory=spans, here=here))
    assert [e.doc_id for e in got] == ["d000", "d001", "d002"] and made == [1]


def test_a_generator_is_read_as_the_workers_catch_up(small_chunks):
    read = []

    def endless():
        i = 0
        while True:
            read.append(i)
            yield Document(id=f"d{i}", text="Some text.")
            i += 1

    stream = parallel.extractions(endless(), jobs=2, extractor_factory=spans)
    first = [next(stream) for _ in range(3)]
    stream.close()
    assert [e.doc_id for e in first] == ["d0", "d1", "d2"]
    # two workers, two chunks ahead each, two documents a chunk, and the chunk being refilled
    assert len(read) <= 2 * parallel.AHEAD * parallel.CHUNK + parallel.CHUNK + 1


@pytest.mark.parametrize("marker", ["FAIL", "DIE"])
def test_a_failing_document_is_reported_and_the_others_kept(small_chunks, marker):
    docs = _docs(9, {4: f"This one says {marker}."})
    got = list(parallel.extractions(iter(docs), jobs=2, extractor_factory=spans))
    assert [e.doc_id for e in got] == [d.id for d in docs]
    failed = [e.doc_id for e in got if e.error]
    assert failed == ["d004"]
    assert "extraction worker failed" in got[4].error
    assert all(e.sentences for e in got if not e.error)


_KILLED = """
import sys, time
sys.path.insert(0, {root!r})
from khabar import parallel
from khabar.schema import Document
from tests.test_parallel import pids
if __name__ == "__main__":
    parallel.CHUNK, parallel.POOL_FROM = 1, 1
    docs = (Document(id=str(i), text="Some text.") for i in range(1000))
    seen = set()
    for e in parallel.extractions(docs, jobs=2, extractor_factory=pids):
        seen.add(e.sentences[0][0])
        if len(seen) == 2:
            print(*seen, flush=True)
            time.sleep(60)
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "\tZ" not in next(line for line in fh if line.startswith("State:"))
    except (FileNotFoundError, StopIteration):
        return False


@pytest.mark.skipif(not os.path.exists("/proc"), reason="reads /proc")
def test_workers_exit_when_the_ingest_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    script = tmp_path / "killed.py"
    script.write_text(_KILLED.format(root=str(ROOT)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert len(workers) == 2 and all(_running(p) for p in workers)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 15
    while any(_running(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_running(p) for p in workers)


def test_a_worker_that_cannot_build_its_extractor_stops_the_run(small_chunks):
    with pytest.raises(KhabarError) as err:
        list(parallel.extractions(iter(_docs(5)), jobs=2, extractor_factory=unbuildable))
    assert err.value.code == "E102"


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError):
        list(parallel.extractions(iter(_docs(1)), engine="spark"))


def test_dask_missing_is_a_coded_error(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError("No module named 'distributed'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(KhabarError) as err:
        list(parallel.extractions(iter(_docs(1)), engine="dask", extractor_factory=spans))
    assert err.value.code == "E312"


@pytest.mark.parametrize("argv, code", [
    (["--jobs", "0"], "E314"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "E314"),
])
def test_bad_worker_flags_are_coded_errors(tmp_path, capsys, argv, code):
    from khabar.cli import main

    (tmp_path / "a.txt").write_text("The group met.", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "kb.db"), "--quiet", *argv]) != 0
    assert code in capsys.readouterr().err


# -- Dask: skipped where the extra is not installed ---------------------------------------------
@pytest.fixture(scope="module")
def dask_cluster():
    pytest.importorskip("distributed")
    import logging

    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    yield cluster.scheduler_address
    cluster.close()


@pytest.mark.slow
def test_dask_gives_the_records_in_order_and_reports_failures(small_chunks, dask_cluster):
    docs = _docs(9, {5: "This one says FAIL."})
    got = list(parallel.extractions(iter(docs), jobs=2, engine="dask", scheduler=dask_cluster,
                                    extractor_factory=spans))
    assert [e.doc_id for e in got] == [d.id for d in docs]
    assert [e.doc_id for e in got if e.error] == ["d005"]


def test_no_scheduler_at_the_address_is_a_coded_error(monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(parallel, "SCHEDULER_TIMEOUT", 1)
    with pytest.raises(KhabarError) as err:
        list(parallel.extractions(iter(_docs(1)), engine="dask", scheduler="tcp://127.0.0.1:9",
                                  extractor_factory=spans))
    assert err.value.code == "E313"


# -- the whole ingest: one knowledge base whatever ran the extraction ---------------------------
_MOVING = {("documents", "ingested_at"), ("schema_version", "applied_at")}


def _tables(db) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the columns that record when they were written."""
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out = {}
        for name in names:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info('{name}')") if (name, r[1]) not in _MOVING]
            if not cols:  # a virtual table's shadow without columns of its own
                continue
            quoted = ", ".join(f'"{c}"' for c in cols)
            out[name] = sorted(conn.execute(f'SELECT {quoted} FROM "{name}"').fetchall(), key=repr)
        return out
    finally:
        conn.close()


@pytest.mark.slow
def test_pool_and_dask_build_the_knowledge_base_of_one_process(tmp_path, monkeypatch, dask_cluster):
    from khabar.workspace import Workspace

    corpus = need_shared("corpus", "seeds")
    meta = need_shared("corpus", "seeds.meta.jsonl")
    monkeypatch.setattr(parallel, "CHUNK", 2)  # five documents: three chunks
    monkeypatch.setattr(parallel, "POOL_FROM", 1)
    bases = {}
    for label, kwargs in [("one", {"jobs": 1}), ("pool", {"jobs": 2}),
                          ("dask", {"jobs": 2, "engine": "dask", "scheduler": dask_cluster})]:
        db = tmp_path / f"{label}.db"
        with Workspace(db) as ws:
            report = ws.ingest([corpus], meta=meta, **kwargs)
        assert report.ingested == 5 and not report.skipped, label
        bases[label] = _tables(db)
    one = bases["one"]
    assert one["assertions"] and one["event_reports"] and one["judgments"]
    for label in ("pool", "dask"):
        assert bases[label].keys() == one.keys()
        for table in one:
            assert bases[label][table] == one[table], f"{label}: {table} differs"
    # re-extraction numbers rows anew: the pool's against one process's, both re-extracted
    for label, jobs in (("one", 1), ("pool", 2)):
        with Workspace(tmp_path / f"{label}.db") as ws:
            assert ws.reextract(jobs=jobs, everything=True).extracted == 5
    again, pool = _tables(tmp_path / "one.db"), _tables(tmp_path / "pool.db")
    assert again["assertions"] and all(pool[t] == again[t] for t in again)
