"""SIGKILL at random moments of an ingest, repeated: a re-run then completes exactly what a
clean run stores. And a file removed while the batch runs is one skip line."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from khabar.workspace import Workspace
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

TABLES = ("documents", "sentences", "mentions", "assertions", "event_reports", "judgments", "place_mentions")


def _ingest(db, wait=True):
    cmd = [sys.executable, "-m", "khabar.cli", "ingest", str(EXAMPLES / "corpus"), "--meta",
           str(EXAMPLES / "corpus.meta.jsonl"), "--db", str(db), "--quiet"]
    if wait:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _state(db):
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
        ids = sorted(r[0] for r in conn.execute("SELECT id FROM documents"))
        return counts, ids
    finally:
        conn.close()


def test_sigkill_at_random_moments_then_rerun_matches_a_clean_run(tmp_path):
    clean = tmp_path / "clean.db"
    assert _ingest(clean).returncode == 0
    expected = _state(clean)
    rng = random.Random(20261203)
    db = tmp_path / "killed.db"
    for _ in range(3):  # the same base killed three times at random moments, then completed
        proc = _ingest(db, wait=False)
        time.sleep(rng.uniform(2.0, 9.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if db.exists():
            _state(db)  # whatever was committed is whole: the integrity check passes
    done = _ingest(db)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _state(db) == expected


def test_a_file_removed_while_the_batch_runs(tmp_path, extractor, monkeypatch):
    import khabar.collect as collect_module

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"Officials said the {name[0]} convoy had reached Kandahar on Monday.")
    original = collect_module.read_path

    def read_and_remove(path):
        if str(path).endswith("a.txt"):
            (folder / "b.txt").unlink()  # removed after the folder was listed, before it is read
        return original(path)

    monkeypatch.setattr(collect_module, "read_path", read_and_remove)
    ws = Workspace(tmp_path / "kb.db")
    ws._extractor = extractor
    report = ws.ingest([folder])
    ws.close()
    assert report.ingested == 2 and len(report.skipped) == 1
    assert "b.txt" in report.skipped[0] and "\n" not in report.skipped[0]
