"""Incremental ingest: unchanged files passed by unread, stored signatures, no needless
revision bump, no model for nothing new, old bases migrated, and `khabar reextract`."""

from __future__ import annotations

import os
import sqlite3

import pytest

from khabar import store
from khabar.cli import main
from khabar.collect import Deduplicator
from khabar.collect.dedup import StoredIndex, lsh_params
from khabar.store.migrations import MIGRATIONS, migrate
from khabar.workspace import Workspace

pytestmark = pytest.mark.slow

TEXTS = {
    "a.txt": "The Northern Front said on Monday it had reached a truce with the Coastal Brigade after "
             "weeks of fighting near the river crossing, officials in the provincial capital said.",
    "b.txt": "Officials in Kabul said the Taliban had met envoys of Uzbekistan in Termez on Sunday to "
             "discuss trade across the bridge and the security of the border posts. The talks, the third "
             "this year, also covered the railway line to Mazar-i-Sharif, the price of electricity sold "
             "across the river and the fate of aircraft flown north in August. Neither side gave details "
             "of what was agreed, but a trade official said a new market near the crossing would open "
             "before the winter and that customs fees would be cut for traders from both countries.",
    "c.txt": "The Hill Brigade attacked a police post in the eastern district on Friday, killing two "
             "officers, according to a statement from the interior ministry.",
}


class NoModel:
    """An extractor that fails the test if anything is extracted."""

    def extract_many(self, docs):
        for _ in docs:
            raise AssertionError("a document was extracted")
        return iter(())


def no_model(monkeypatch):
    """Fail the test if the workspace so much as asks for its extractor (the model's load)."""

    def load(self):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(Workspace, "extractor", property(load))


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "in"
    path.mkdir()
    for name, text in TEXTS.items():
        (path / name).write_text(text)
    return path


@pytest.fixture
def ws(empty_ws):
    return empty_ws


def revision(ws) -> int:
    return ws.conn.execute("SELECT n FROM revision").fetchone()[0]


def test_unchanged_folder_is_not_read_extracted_or_counted_as_a_change(folder, ws, monkeypatch):
    assert ws.ingest([folder]).ingested == 3
    before = revision(ws)
    no_model(monkeypatch)

    def no_reading(path):
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr("khabar.collect.read_path", no_reading)
    report = ws.ingest([folder])
    assert (report.ingested, report.unchanged, report.duplicates, report.skipped) == (0, 3, [], [])
    assert revision(ws) == before


def test_model_loads_only_for_a_new_document(folder, tmp_path, monkeypatch):
    w = Workspace(tmp_path / "lazy.db")
    no_model(monkeypatch)
    (folder / "empty.txt").write_text("   ")
    report = w.ingest([folder / "empty.txt"])  # nothing to extract: the model is never asked
    assert report.ingested == 0 and len(report.skipped) == 1
    w.close()


@pytest.mark.parametrize("change, ingested, unchanged", [
    ("touch", 0, 3),     # same bytes, new mtime: told by the hash, not read again
    ("edit", 1, 2),      # new bytes: read, a new document
])
def test_a_touched_or_edited_file(folder, ws, monkeypatch, change, ingested, unchanged):
    ws.ingest([folder])
    path = folder / "a.txt"
    if change == "touch":
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    else:
        path.write_text(TEXTS["a.txt"].replace("Monday", "Tuesday and again on Wednesday"))
    report = ws.ingest([folder])
    assert (report.ingested, report.unchanged) == (ingested, unchanged), report.summary()
    rec = ws.conn.execute("SELECT size, mtime_ns FROM files WHERE path = ?", (os.path.abspath(path),)).fetchone()
    assert tuple(rec) == (path.stat().st_size, path.stat().st_mtime_ns)  # the next run needs no hashing
    ws._extractor = NoModel()
    assert ws.ingest([folder]).unchanged == 3


def test_signatures_are_stored_and_find_a_later_near_copy(folder, ws, tmp_path):
    ws.ingest([folder])
    n = ws.conn.execute("SELECT COUNT(*) FROM signatures").fetchone()[0]
    bands = ws.conn.execute("SELECT COUNT(*) FROM lsh_bands").fetchone()[0]
    assert n == 3 and bands == 3 * lsh_params(0.8, 128)[0]
    later = tmp_path / "later"
    later.mkdir()
    (later / "copy.txt").write_text(TEXTS["b.txt"].replace("Sunday", "Saturday"))
    report = ws.ingest([later])
    assert report.duplicates == [("copy.txt", "near", "b.txt")]


def _old_base(path, texts):
    """A knowledge base as khabar wrote it before signatures were kept (schema version 4)."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:4])
    for name, text in texts.items():
        conn.execute("INSERT INTO documents (id, name, path, text, ingested_at) VALUES (?, ?, ?, ?, '2026')",
                     (f"id-{name}", name, f"/gone/{name}", text))
    conn.close()


def test_an_old_base_is_migrated_and_signed_when_a_new_document_needs_checking(tmp_path, extractor):
    db = tmp_path / "old.db"
    _old_base(db, {"b.txt": TEXTS["b.txt"]})
    w = Workspace(db)
    w._extractor = extractor
    assert store.current_version(w.conn) == MIGRATIONS[-1][0]
    assert w.conn.execute("SELECT COUNT(*) FROM signatures").fetchone()[0] == 0
    (tmp_path / "copy.txt").write_text(TEXTS["b.txt"].replace("Sunday", "Saturday"))
    report = w.ingest([tmp_path / "copy.txt"])
    assert report.duplicates == [("copy.txt", "near", "b.txt")]
    assert w.conn.execute("SELECT doc_id FROM signatures").fetchall()[0][0] == "id-b.txt"
    w.close()


def test_stored_index_keeps_memory_flat():
    conn = store.connect(":memory:")
    migrate(conn)
    dedup = Deduplicator(stored=StoredIndex(conn))
    text = TEXTS["b.txt"]
    conn.execute("INSERT INTO documents (id, text, ingested_at) VALUES ('c', ?, '2026')", (text,))
    dedup.add("c", text)
    dedup.store("c")  # signed in the base, dropped from memory
    assert len(dedup) == 0 and conn.execute("SELECT COUNT(*) FROM signatures").fetchone()[0] == 1
    assert dedup.check("c2", text.replace("Sunday", "Saturday")) == ("near", "c")
    assert dedup.check("other", TEXTS["a.txt"]) == (None, None)


@pytest.mark.parametrize("threshold, num_perm, expected", [(0.8, 128, (9, 13)), (0.5, 128, (25, 5)),
                                                           (0.9, 64, (3, 21))])
def test_lsh_params(threshold, num_perm, expected):
    assert lsh_params(threshold, num_perm) == expected


def test_reextract_keeps_the_analyst_layer(folder, ws, capsys):
    ws.ingest([folder])
    actor = ws.actor_records()[0]["id"]
    ws.add_alias(actor, "The Usual Suspects")
    judged = ws.conn.execute("SELECT COUNT(*) FROM analyst_actions").fetchone()[0]
    before = ws.conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
    ws.conn.execute("DELETE FROM mentions")  # as if a gazetteer change had found other names
    ws.conn.execute("UPDATE documents SET extracted_with = 'an older khabar'")
    report = ws.reextract()
    assert report.extracted == 3 and report.current == 0 and not report.skipped
    assert ws.conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0] == before
    assert ws.conn.execute("SELECT COUNT(*) FROM analyst_actions").fetchone()[0] == judged
    assert ws.actor("The Usual Suspects")["id"] == actor
    ws.close()
    assert main(["reextract", "--db", ws.path, "--quiet"]) == 0  # all up to date now
    assert "re-extracted 0, already up to date 3" in capsys.readouterr().out
    assert main(["reextract", "--db", ws.path, "--quiet", "--all"]) == 0
    assert "re-extracted 3, already up to date 0" in capsys.readouterr().out


def test_reextract_resumes_where_it_stopped(folder, ws, monkeypatch):
    """Each document notes what extracted it: after an upgrade, a run that stops part way
    leaves the rest marked out of date, and the next run does only those."""
    from khabar.extract import stamp

    ws.ingest([folder])
    current = stamp.extraction_stamp()
    stamps = {r[0] for r in ws.conn.execute("SELECT extracted_with FROM documents WHERE duplicate_of IS NULL")}
    assert stamps == {current}
    monkeypatch.setattr(stamp, "extraction_stamp", lambda: "upgraded")  # a new khabar
    real = store.write_document
    calls = []

    def dies_on_the_second(conn, doc, extraction=None):
        calls.append(doc.id)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the analyst stops the run
        real(conn, doc, extraction)

    monkeypatch.setattr(store, "write_document", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        ws.reextract()
    monkeypatch.setattr(store, "write_document", real)
    done = ws.conn.execute("SELECT COUNT(*) FROM documents WHERE extracted_with = 'upgraded'").fetchone()[0]
    assert done == 1  # the first is kept; the second rolled back whole
    report = ws.reextract()
    assert (report.extracted, report.current) == (2, 1)
    assert ws.reextract().extracted == 0


def test_reextract_needs_a_base(tmp_path, capsys):
    assert main(["reextract", "--db", str(tmp_path / "none.db"), "--quiet"]) == 2
    assert "E300" in capsys.readouterr().err


def test_folder_records_hold_only_that_folders_files():
    from khabar.store.incremental import FileRecord, folder_records, record_file

    conn = store.connect(":memory:")
    migrate(conn)
    paths = ["/in/a.txt", "/in/b.jsonl", "/in/sub/c.txt", "/in-other/d.txt", "/in0/e.txt", "/inner/f.txt"]
    for p in paths:
        record_file(conn, FileRecord(p, 1, 2, "h", "", ("x",)))
    assert sorted(folder_records(conn, "/in")) == ["/in/a.txt", "/in/b.jsonl"]
    assert sorted(folder_records(conn, "/in/sub/")) == ["/in/sub/c.txt"]
    assert folder_records(conn, "/nowhere") == {}
    assert sorted(folder_records(conn, "/in", start="/in/b", limit=5)) == ["/in/b.jsonl"]
    assert sorted(folder_records(conn, "/in", limit=1)) == ["/in/a.txt"]


def test_a_big_folder_is_recognised_through_windows_of_records(tmp_path, ws, monkeypatch):
    """Records are read a window at a time (never the whole folder): every unchanged file is
    still recognised, an edited one in the middle is read again, and a copy met after its
    original's name has left the recent names is still reported with that name."""
    monkeypatch.setattr("khabar.ingest.RECORD_WINDOW", 3)
    monkeypatch.setattr("khabar.ingest.RECENT_NAMES", 2)
    folder = tmp_path / "big"
    folder.mkdir()
    words = ("river grain bridge market border convoy railway valley cloth customs winter envoy harbour "
             "salt copper orchard mill ferry").split()
    for i in range(10):  # texts far apart, so that none is a near copy of another
        text = " ".join(words[(i * 7 + j * j) % len(words)] + str((i * 31 + j) % 97) for j in range(60))
        (folder / f"d{i:02d}.txt").write_text(f"Report {i}. {text}.")
    assert ws.ingest([folder]).ingested == 10
    seen = []
    real = __import__("khabar.store.incremental", fromlist=["folder_records"]).folder_records

    def counted(*args, **kwargs):
        out = real(*args, **kwargs)
        seen.append(len(out))
        return out

    monkeypatch.setattr("khabar.store.incremental.folder_records", counted)
    (folder / "d05.txt").write_text("Report five, rewritten: " + TEXTS["c.txt"])
    (folder / "e99.txt").write_text((folder / "d00.txt").read_text())  # a copy, met 10 files later
    report = ws.ingest([folder])
    assert (report.ingested, report.unchanged) == (1, 9), report.summary()
    assert report.duplicates == [("e99.txt", "exact", "d00.txt")]
    assert len(seen) >= 4 and max(seen) <= 3  # windows of at most RECORD_WINDOW records


@pytest.mark.parametrize("n_keys", [1, 9])
def test_candidates_query_never_walks_all_documents(n_keys):
    from khabar.store.incremental import candidates_sql

    conn = store.connect(":memory:")
    migrate(conn)
    plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + candidates_sql(n_keys), list(range(n_keys)))]
    assert plan[0].startswith("SEARCH b USING INDEX lsh_bands_key"), plan
    assert not any(step.startswith("SCAN") for step in plan), plan


def test_a_checked_document_is_hashed_once(monkeypatch):
    dedup = Deduplicator()
    calls = []
    real = dedup.signature
    monkeypatch.setattr(dedup, "signature", lambda text: calls.append(1) or real(text))
    text = TEXTS["b.txt"]
    assert dedup.check("b", text) == (None, None)
    dedup.add("b", text)
    assert len(calls) == 1 and "b" in dedup
