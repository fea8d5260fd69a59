"""--db that is not a khabar knowledge base, and two processes creating one at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from khabar.cli import main
from khabar.errors import KhabarError
from khabar.store import Store
from khabar.store.migrations import _statements


def _other_program(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make", ["folder", "corrupt", "other", "text"])
def test_not_a_knowledge_base(tmp_path, make, capsys):
    path = tmp_path / "kb.db"
    if make == "folder":
        path.mkdir()
    elif make == "corrupt":
        path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    elif make == "other":
        _other_program(path)
    else:
        path.write_text("just some notes, not a database\n" * 200)
    with pytest.raises(KhabarError) as err:
        Store(path)
    assert err.value.code == "E309"
    assert main(["actors", "--db", str(path)]) == 2
    out = capsys.readouterr().err
    assert "E309" in out and "Traceback" not in out
    if make == "other":  # nothing of khabar's was added to the other program's file
        names = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
        assert names == {"invoices"}


def test_serve_refuses_what_is_not_a_knowledge_base(tmp_path, capsys):
    path = tmp_path / "kb.db"
    path.write_bytes(b"\x00garbage" * 100)
    assert main(["serve", "--db", str(path)]) == 2
    assert "E309" in capsys.readouterr().err


def test_statements_keep_trigger_bodies_whole():
    sql = """CREATE TABLE a (x TEXT); -- a comment; with a semicolon
    CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 'y;z'; DELETE FROM a WHERE 0; END;
    CREATE INDEX a_x ON a(x);"""
    parts = _statements(sql)
    assert len(parts) == 3 and "CREATE TRIGGER" in parts[1] and parts[1].endswith("END;")


_CREATE = """
import sys
from khabar.store import Store
with Store(sys.argv[1]) as s:
    print(s.version)
"""


def test_two_processes_create_one_database_at_once(tmp_path):
    for round_ in range(3):
        path = tmp_path / f"new-{round_}.db"
        procs = [subprocess.Popen([sys.executable, "-c", _CREATE, str(path)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
        results = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), [r[1][-500:] for r in results]
        assert len({r[0].strip() for r in results}) == 1


def test_ctrl_c_is_a_word_not_a_traceback(monkeypatch, capsys):
    import khabar.cli as cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run", interrupted)
    assert main(["actors"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "khabar: interrupted"
