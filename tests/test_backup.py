"""khabar backup / restore: the whole knowledge base, analyst layer included."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from khabar.cli import main
from khabar.errors import KhabarError
from khabar.workspace import Workspace

pytestmark = pytest.mark.slow


def _actions(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT kind, target FROM analyst_actions ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture
def kb(demo_db, tmp_path):
    path = tmp_path / "kb.db"
    src = sqlite3.connect(demo_db[0])
    dest = sqlite3.connect(path)
    src.backup(dest)
    src.close()
    dest.close()
    return path


def test_backup_and_restore_keep_the_analyst_layer(kb, tmp_path, capsys):
    with Workspace(kb) as ws:
        ws.grade_source("Meridian Wire", "B")
        counts = ws.backup(tmp_path / "b1.db")
    assert counts["analyst_actions"] == 1 and counts["documents"] > 0
    assert _actions(tmp_path / "b1.db") == [("grade", "Meridian Wire")]
    with Workspace(kb) as ws:  # later work, then a restore
        ws.grade_source("Meridian Wire", "D")
    assert len(_actions(kb)) == 2
    assert main(["restore", str(tmp_path / "b1.db"), "--db", str(kb)]) == 0
    out = capsys.readouterr().out
    assert "restored" in out and "kept as" in out
    assert _actions(kb) == [("grade", "Meridian Wire")]
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and len(_actions(kept[0])) == 2  # the replaced state is not lost
    conn = sqlite3.connect(kb)
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == counts["documents"]
    conn.close()


def test_backup_never_overwrites_and_restore_refuses_what_is_not_a_backup(kb, tmp_path, capsys):
    target = tmp_path / "b.db"
    target.write_text("precious")
    assert main(["backup", str(target), "--db", str(kb)]) == 2
    assert "E310" in capsys.readouterr().err and target.read_text() == "precious"
    assert main(["backup", str(tmp_path / "new.db"), "--db", str(kb)]) == 0
    before = kb.read_bytes()
    assert main(["restore", str(target), "--db", str(kb)]) == 2
    assert "E309" in capsys.readouterr().err
    assert kb.read_bytes() == before
    with pytest.raises(KhabarError) as err:
        Workspace(tmp_path / "none.db").backup(tmp_path / "x.db")
    assert err.value.code == "E300"


def test_restore_into_a_new_path(kb, tmp_path):
    Workspace(kb).backup(tmp_path / "b.db")
    fresh = tmp_path / "elsewhere" / "kb.db"
    fresh.parent.mkdir()
    counts, kept = Workspace(fresh).restore(tmp_path / "b.db")
    assert kept is None and counts["documents"] > 0
    shutil.rmtree(fresh.parent)
