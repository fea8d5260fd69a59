"""The full-text index as other tools open it (migration 15), and raw FTS5 search (--raw, raw=true)."""

from __future__ import annotations

import hashlib
import sqlite3
import warnings

import pytest
import sqlite_utils

from khabar import store
from khabar.cli import main
from khabar.errors import KhabarError
from khabar.schema import Document, Extraction
from khabar.store import migrations as migrations_module
from khabar.store.text import RAW_QUERY_CHARS, is_fts_syntax_error, raw_fts_query

SENTENCES = [
    "The Haqqani network hosted al-Qaeda fighters in North Waziristan.",
    "Hamas denied any link with the Taliban.",
    "Talibanisation of the border districts worried the monitors.",
    "Nothing in this sentence names a group.",
]


def _write(conn: sqlite3.Connection, sentences: list[str]) -> Document:
    text = " ".join(sentences)
    doc = Document(id=hashlib.sha256(text.encode()).hexdigest(), text=text, name="a.txt", title="A")
    spans, at = [], 0
    for s in sentences:
        start = text.index(s, at)
        spans.append((start, start + len(s)))
        at = start + len(s)
    store.write_document(conn, doc, Extraction(doc_id=doc.id, sentences=spans))
    return doc


def _write_old(conn: sqlite3.Connection, sentences: list[str]) -> None:
    """A document and its sentences as a base of that schema holds them (today's write path
    also fills tables later migrations made): plain rows, the index kept by its triggers."""
    text = " ".join(sentences)
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    conn.execute("INSERT INTO documents (id, name, text, ingested_at) VALUES (?, 'a.txt', ?, 'then')", (doc_id, text))
    at = 0
    for i, s in enumerate(sentences):
        start = text.index(s, at)
        conn.execute('INSERT INTO sentences (doc_id, idx, "start", "end", text) VALUES (?, ?, ?, ?, ?)',
                     (doc_id, i, start, start + len(s), s))
        at = start + len(s)
    conn.commit()


@pytest.fixture()
def kb(tmp_path):
    path = tmp_path / "kb.db"
    with store.Store(path) as s:
        _write(s.conn, SENTENCES)
    return path


def _fts_sql(path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sentences_fts'").fetchone()[0]
    finally:
        conn.close()


def test_sqlite_utils_finds_the_index_and_searches_through_it(kb):
    db = sqlite_utils.Database(kb)
    assert db["sentences"].detect_fts() == "sentences_fts"
    found = list(db["sentences"].search("haqqani"))
    assert [r["text"] for r in found] == [SENTENCES[0]]
    assert 'content="sentences"' in _fts_sql(kb)
    assert "remove_diacritics 2" in _fts_sql(kb)  # the tokenizer is kept


def test_a_base_made_before_migration_15_is_upgraded_and_its_index_rebuilt(tmp_path):
    path = tmp_path / "old.db"
    conn = store.connect(path)
    before = [m for m in migrations_module.MIGRATIONS if m[0] < 15]
    migrations_module.migrate(conn, before)
    _write_old(conn, SENTENCES)
    assert "content='sentences'" in _fts_sql(path)
    assert sqlite_utils.Database(conn)["sentences"].detect_fts() is None  # what the issue reports
    conn.close()
    with store.Store(path) as s:  # opening migrates
        assert s.version >= 15
        assert sqlite_utils.Database(s.conn)["sentences"].detect_fts() == "sentences_fts"
        assert [h["snippet"] for h in store.search(s.conn, "Haqqani")] == [
            "The «Haqqani» network hosted al-Qaeda fighters in North Waziristan."]
        # the triggers still keep the index in step with the sentences
        doc = _write(s.conn, ["Jaish al-Adl attacked a border post."])
        assert len(store.search(s.conn, "Jaish")) == 1
        store.write_document(s.conn, doc, None)  # the document's sentences go, and with them its hits
        assert store.search(s.conn, "Jaish") == []
        s.conn.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)")  # raises when out of step


def test_raw_search_passes_fts5_syntax_through(kb):
    with store.Store(kb) as s:
        either = store.search(s.conn, "haqqani OR hamas", raw=True)
        assert len(either) == 2
        assert store.search(s.conn, "haqqani OR hamas") == []  # quoted: OR is a word no sentence has
        prefix = store.search(s.conn, "taliban*", raw=True)
        assert len(prefix) == 2 and len(store.search(s.conn, "taliban")) == 1
        assert len(store.search(s.conn, '"denied any link" NOT haqqani', raw=True)) == 1
        assert len(store.search(s.conn, "NEAR(haqqani waziristan, 8)", raw=True)) == 1
        assert store.search(s.conn, "   ", raw=True) == []


@pytest.mark.parametrize("query", ["haqqani OR", '"unterminated', "nosuchcolumn:taliban", "*x", "NOT taliban",
                                   "NEAR(a b", "(", "a AND"])
def test_malformed_raw_query_is_a_coded_error(kb, query):
    with store.Store(kb) as s, pytest.raises(KhabarError) as err:
        store.search(s.conn, query, raw=True)
    assert err.value.code == "E315"
    assert query.strip() in err.value.message


def test_raw_query_bounds_and_error_recognition():
    assert raw_fts_query(" a OR b ") == "a OR b"
    assert raw_fts_query("") is None
    with pytest.raises(ValueError):
        raw_fts_query("x" * (RAW_QUERY_CHARS + 1))
    assert is_fts_syntax_error(sqlite3.OperationalError('fts5: syntax error near ""'))
    assert not is_fts_syntax_error(sqlite3.OperationalError("database is locked"))


def test_too_long_raw_query_is_e315(kb):
    with store.Store(kb) as s, pytest.raises(KhabarError) as err:
        store.search(s.conn, "taliban " * 100, raw=True)
    assert err.value.code == "E315"


def test_cli_raw_flag(kb, capsys):
    assert main(["search", "--db", str(kb), "--raw", "haqqani OR hamas"]) == 0
    out = capsys.readouterr().out
    assert "«Haqqani»" in out and "«Hamas»" in out
    assert main(["search", "--db", str(kb), "--raw", "haqqani OR"]) == 2
    err = capsys.readouterr().err
    assert "[E315]" in err and "Traceback" not in err
    assert main(["search", "--db", str(kb), "haqqani OR"]) == 0  # the default mode quotes every word
    assert "(no match)" in capsys.readouterr().out


def test_web_raw_flag(kb):
    pytest.importorskip("fastapi", reason="the web app is the [web] extra")
    with warnings.catch_warnings():  # starlette's TestClient would rather have httpx2; httpx is what is pinned
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from khabar.web import create_app

    client = TestClient(create_app(kb), base_url="http://127.0.0.1")
    hits = client.get("/api/search", params={"q": "haqqani OR hamas", "raw": "true"})
    assert hits.status_code == 200 and len(hits.json()) == 2
    assert client.get("/api/search", params={"q": "haqqani OR hamas"}).json() == []
    bad = client.get("/api/search", params={"q": "haqqani OR", "raw": "true"})
    assert bad.status_code == 400 and "E315" in bad.json()["detail"]
    page = client.get("/search", params={"q": "haqqani OR hamas", "raw": "1"})
    assert page.status_code == 200 and "<mark>Hamas</mark>" in page.text
    assert 'name="raw" value="1" checked' in page.text
    page = client.get("/search", params={"q": 'haqqani OR "<b>', "raw": "1"})
    assert page.status_code == 200 and "E315" in page.text
    assert "<b>" not in page.text  # the query echoed in the message is escaped
    assert 'name="raw" value="1">' in client.get("/search").text  # unchecked by default
