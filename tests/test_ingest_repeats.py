"""Ingest: the same text twice (in one run, in one .jsonl, across runs), and corrected sidecars."""

from __future__ import annotations

import json
import shutil

import pytest

from khabar.workspace import Workspace

pytestmark = pytest.mark.slow

TEXT = ("The Northern Front said on Monday it had reached a truce with the Coastal Brigade. "
        "The Coastal Brigade has long received weapons from Pakistan, officials said.")
OTHER = "Officials in Kabul said the Taliban had met envoys of Uzbekistan in Termez on Sunday."


@pytest.fixture
def ws(empty_ws):
    return empty_ws


def test_identical_files_in_one_group(tmp_path, ws):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.txt").write_text(TEXT)
    (folder / "c.txt").write_text(OTHER)
    report = ws.ingest([folder])
    assert report.ingested == 2 and report.duplicates == [("b.txt", "exact", "a.txt")], report.summary()
    again = ws.ingest([folder])
    # a.txt is the stored original; b.txt, still beside it, is still a duplicate, not "unchanged"
    assert again.ingested == 0 and again.unchanged == 2, again.summary()
    assert again.duplicates == [("b.txt", "exact", "a.txt")]


def test_identical_lines_of_a_jsonl(tmp_path, ws):
    path = tmp_path / "channel.jsonl"
    rows = [{"name": f"post-{i}", "text": t} for i, t in enumerate([TEXT, OTHER, TEXT])]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = ws.ingest([path])
    assert report.ingested == 2 and len(report.duplicates) == 1 and report.duplicates[0][1] == "exact"


def test_a_copy_in_a_later_run_is_a_duplicate(tmp_path, ws):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(TEXT)
    assert ws.ingest([first]).ingested == 1
    shutil.copy(first / "a.txt", second / "copy.txt")
    report = ws.ingest([second])
    assert report.duplicates == [("copy.txt", "exact", "a.txt")] and report.unchanged == 0


def test_a_moved_file_is_unchanged(tmp_path, ws):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    (first / "a.txt").write_text(TEXT)
    assert ws.ingest([first]).ingested == 1
    shutil.move(first, second)
    report = ws.ingest([second])
    assert report.unchanged == 1 and not report.duplicates


def test_a_corrected_sidecar_is_applied_and_reported(tmp_path, ws):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.txt").write_text(OTHER)
    meta = tmp_path / "meta.jsonl"

    def write_meta(published, title):
        meta.write_text(json.dumps({"doc": "a.txt", "published": published, "title": title}) + "\n"
                        + json.dumps({"doc": "b.txt", "published": "2021-05-01"}) + "\n")

    write_meta("2021-03-01", "First title")
    assert ws.ingest([folder], meta=meta).ingested == 2

    write_meta("2021-03-01", "Corrected title")
    report = ws.ingest([folder], meta=meta)
    assert report.updated == [("a.txt", ["title"])] and report.unchanged == 1 and report.ingested == 0
    assert "updated a.txt: title" in report.summary()
    row = ws.conn.execute("SELECT title, published FROM documents WHERE name = 'a.txt'").fetchone()
    assert tuple(row) == ("Corrected title", "2021-03-01")

    write_meta("2021-04-05", "Corrected title")
    report = ws.ingest([folder], meta=meta)
    assert report.updated == [("a.txt", ["published"])] and report.ingested == 0
    row = ws.conn.execute("SELECT published FROM documents WHERE name = 'a.txt'").fetchone()
    assert row[0] == "2021-04-05"
    assert ws.ingest([folder], meta=meta).unchanged == 2


def test_two_ingests_take_turns(tmp_path, extractor, capsys):
    import fcntl
    import threading
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    done = []
    db = tmp_path / "turns.db"

    def run():
        w = Workspace(db)
        w._extractor = extractor
        done.append(w.ingest([folder]))
        w.close()

    with open(f"{db}.ingest.lock", "a+b") as other:  # another process's ingest holds the lock
        fcntl.flock(other, fcntl.LOCK_EX)
        worker = threading.Thread(target=run)
        worker.start()
        time.sleep(1.0)
        assert not done and worker.is_alive()  # it waits
        fcntl.flock(other, fcntl.LOCK_UN)
        worker.join(60)
    assert done and done[0].ingested == 1
    assert "another ingest" in capsys.readouterr().err
