"""The JSONL export and ``khabar import``: a knowledge base, its analyst layer and corrections included,
read back into an empty base gives the same rows and the same answers; bad lines are refused one line each."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from khabar import store
from khabar.cli import main
from khabar.errors import KhabarError
from khabar.export import jsonl_read
from khabar.export.jsonl import FORMAT
from khabar.export.jsonl_read import MAX_ERRORS, import_jsonl
from khabar.workspace import Workspace

# Tables whose rows differ by nature: a counter every write bumps, and when each migration ran.
# The full-text index is compared through search (its shadow tables store segments, whose
# layout depends on how rows were written); sqlite_stat* are the planner's statistics.
_NOT_COMPARED = {"revision", "schema_version"}


def _analyst_work(ws: Workspace) -> None:
    """An analyst's layer over the example base: every kind of action, one of them undone, and
    corrections of each kind, so the round trip has to carry all of them."""
    actors = ws.actor_records()
    ties = ws.tie_rows()
    judgments = [j for j in ws.judgment_records() if j.get("band")]
    small = [a for a in actors if a["mentions"] <= 2]
    ws.merge_actors(small[0]["id"], small[1]["id"])
    ws.add_alias(actors[0]["id"], "the Student Movement")
    undone = ws.add_alias(actors[1]["id"], "a name taken back")
    ws.undo(undone)
    ws.confirm(f"tie:{ties[0]['subject']}|{ties[0]['type']}|{ties[0]['object']}", "read it myself")
    rejected = store.assertions(ws.conn, actor_id=ties[1]["subject"])[0]["aid"]
    ws.reject(rejected, "misread")
    ws.resolve(judgments[0]["id"], True, "it happened")
    source = ws.conn.execute("SELECT name FROM sources ORDER BY name LIMIT 1").fetchone()[0]
    ws.grade_source(source, "B")
    # corrections (store.corrections): an actor made, mentions moved to it, a tie added and one edited,
    # an event corrected, a judgment said to be no forecast
    ws.add_actor("test-network", "Test Network", "armed_group")
    mover = next(a for a in actors if a["mentions"] >= 2 and a.get("surfaces"))
    ws.move_mentions("test-network", source=mover["id"], surfaces=[mover["surfaces"][0]])
    doc = ws.conn.execute("SELECT doc_id FROM sentences GROUP BY doc_id ORDER BY doc_id LIMIT 1").fetchone()[0]
    ws.add_tie(doc, actors[2]["id"], "hosts", actors[3]["id"], sentence=0)
    edited = next(t for t in ties[2:] if t["type"] == "hostile_to" or t["type"] == "supports")
    ws.edit_tie(edited["subject"], edited["type"], edited["object"], modality="negated")
    event = ws.event_rows(limit=1)[0]
    ws.edit_event(event["id"], fatalities=7)
    ws.not_forecast(judgments[1]["id"])


@pytest.fixture(scope="module")
def roundtrip(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    original, copy, exported = folder / "original.db", folder / "copy.db", folder / "kb.jsonl"
    with Workspace(demo_db[0]) as ws:
        ws.backup(original)  # the session's base stays clean
    with Workspace(original) as ws:
        _analyst_work(ws)
        written = ws.export("jsonl", exported)
    with Workspace(copy) as ws:
        counts = import_jsonl(ws, exported)
    return original, copy, exported, written, counts


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'sentences_fts%' ORDER BY name") if r[0] not in _NOT_COMPARED]


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    cols = ", ".join(f'"{r[1]}"' for r in conn.execute(f"PRAGMA table_info({table})"))
    return conn.execute(f"SELECT {cols} FROM {table} ORDER BY {cols}").fetchall()


def test_every_table_has_the_same_rows(roundtrip):
    original, copy, *_ = roundtrip
    a, b = sqlite3.connect(original), sqlite3.connect(copy)
    try:
        tables = _tables(a)
        assert tables == _tables(b)
        assert {"documents", "sentences", "mentions", "assertions", "event_reports", "events", "event_actors",
                "judgments", "ties", "actor_stats", "actor_surfaces", "row_counts", "analyst_actions", "signatures",
                "lsh_bands", "files", "sources", "actors"} <= set(tables)
        for table in tables:
            assert _rows(a, table) == _rows(b, table), table  # surrogate ids and ingested_at included
        assert a.execute("SELECT COUNT(*) FROM analyst_actions").fetchone()[0] == 13
        assert a.execute("SELECT COUNT(*) FROM assertions WHERE correction IS NOT NULL").fetchone()[0] >= 2
        assert [r[:2] for r in _rows(a, "schema_version")] == [r[:2] for r in _rows(b, "schema_version")]
    finally:
        a.close()
        b.close()


def test_the_same_reads(roundtrip):
    original, copy, *_ = roundtrip
    with Workspace(original) as one, Workspace(copy) as two:
        assert one.actor_records() == two.actor_records()
        assert one.tie_rows() == two.tie_rows()
        assert one.event_rows() == two.event_rows()
        assert one.judgment_records() == two.judgment_records()
        assert one.counts() == two.counts()
        assert one.analyst_log() == two.analyst_log()
        assert one.forecast_scores() == two.forecast_scores()
        for query, raw in (("Taliban", False), ('"safe haven"', False), ("taliban OR qaeda*", True)):
            hits = one.search_records(query, 50, raw=raw)
            assert hits and hits == two.search_records(query, 50, raw=raw)


def test_derived_records_came_out_the_same(roundtrip):
    *_, written, counts = roundtrip
    assert counts["ties_differ"] == 0 and counts["events_differ"] == 0
    assert counts["tie"] == written["tie"] > 0 and counts["event"] == written["event"] > 0
    assert {k: v for k, v in counts.items() if not k.endswith("_differ")} == written


def test_smaller_batches_give_the_same_base(roundtrip, tmp_path):
    original, copy, exported, *_ = roundtrip
    with Workspace(tmp_path / "b.db") as ws:
        import_jsonl(ws, exported, batch=3)  # a commit every three documents
    a, b = sqlite3.connect(copy), sqlite3.connect(tmp_path / "b.db")
    try:
        for table in _tables(a):
            assert _rows(a, table) == _rows(b, table), table
    finally:
        a.close()
        b.close()


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_file_is_json_lines_with_the_analyst_layer_shown(roundtrip):
    original, _, exported, *_ = roundtrip
    records = _lines(exported)
    assert records[0]["record"] == "khabar" and records[0]["format"] == FORMAT
    kinds = {r["record"] for r in records}
    assert {"source", "actor", "document", "sentence", "mention", "assertion", "event_report", "place_mention",
            "judgment", "signature", "file", "analyst_action", "tie", "event"} <= kinds
    assert any(r["record"] == "actor" and r.get("merged_into") for r in records)
    assert any(r["record"] == "actor" and "the Student Movement" in r.get("analyst_aliases", []) for r in records)
    assert any(r["record"] == "assertion" and r["analyst"] == "rejected" for r in records)
    assert any(r["record"] == "judgment" and r["outcome"] == 1 for r in records)
    assert any(r["record"] == "tie" and r["analyst"] == "confirmed" for r in records)
    assert any(r["record"] == "analyst_action" and r["undone_at"] for r in records)
    # rows an analyst made are not machine rows: the log makes them again
    assert not any(r["record"] == "assertion" and r["trigger"].startswith("analyst:") for r in records)
    assert not any("correction" in r or "machine" in r for r in records)
    # lists are JSON lists, not Python's repr of them
    actor = next(r for r in records if r["record"] == "actor" and r["aliases"])
    assert isinstance(actor["aliases"], list)
    assert all("'" not in line[:2] for line in exported.read_text(encoding="utf-8").splitlines())


def test_import_refuses_a_base_that_is_not_empty(roundtrip):
    original, _, exported, *_ = roundtrip
    with Workspace(original) as ws:
        before = ws.counts()
        with pytest.raises(KhabarError) as err:
            import_jsonl(ws, exported)
        assert err.value.code == "E316"
        assert ws.counts() == before


def test_a_filtered_jsonl_export_is_refused(roundtrip, tmp_path):
    original, *_ = roundtrip
    with Workspace(original) as ws, pytest.raises(KhabarError) as err:
        ws.export("jsonl", tmp_path / "part.jsonl", types="attack")
    assert err.value.code == "E318" and "--types" in err.value.message
    assert not (tmp_path / "part.jsonl").exists()


def _index(records: list[dict], kind: str, nth: int = 0) -> int:
    return [i for i, r in enumerate(records) if r["record"] == kind][nth]


def _broken(records: list[dict], how: str) -> tuple[list[str], int]:
    """The export's lines with one broken as ``how`` says; and the (1-based) line at fault."""
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    at = _index(records, "mention", 3)
    record = dict(records[at])
    if how == "not json":
        lines[at] = '{"record": "mention", '
    elif how == "not an object":
        lines[at] = "[1, 2, 3]"
    elif how == "unknown record":
        lines[at] = json.dumps({"record": "gadget"})
    elif how == "missing field":
        del record["surface"]
        lines[at] = json.dumps(record)
    elif how == "wrong type":
        lines[at] = json.dumps({**record, "start": "12"})
    elif how == "outside its document":
        lines[at] = json.dumps({**record, "end": 10**9})
    elif how == "unknown actor":
        lines[at] = json.dumps({**record, "actor_id": "nobody-at-all"})
    elif how == "not its document":
        lines[at] = json.dumps({**record, "doc_id": "f" * 64})
    elif how == "sentence text":
        at = _index(records, "sentence", 2)
        lines[at] = json.dumps({**records[at], "text": "Something else entirely."})
    elif how == "sentence order":
        at = _index(records, "sentence", 2)
        lines[at] = json.dumps({**records[at], "idx": 7})
    elif how == "judgment id":
        at = _index(records, "judgment", 1)
        lines[at] = json.dumps({**records[at], "id": "jd-000000000000"})
    elif how == "out of order":
        at = _index(records, "document", 1)
        lines.insert(at, json.dumps(records[_index(records, "actor")]))
    elif how == "no header":
        lines.pop(0)
        at = 0
    elif how == "analyst kind":
        at = _index(records, "analyst_action")
        lines[at] = json.dumps({**records[at], "kind": "delete_everything"})
    elif how == "document twice":
        at = _index(records, "document", 1)
        lines[at] = json.dumps({**records[at], "id": records[_index(records, "document")]["id"]})
    elif how == "not a number":
        lines[at] = json.dumps({**record, "score": float("nan")})
    elif how == "too big a number":
        at = _index(records, "event_report")
        lines[at] = json.dumps({**records[at], "fatalities": 10**30})
    elif how == "nested too deep":
        lines[at] = "[" * 200_000 + "]" * 200_000
    elif how == "merge without into":
        at = next(i for i, r in enumerate(records) if r["record"] == "analyst_action" and r["kind"] == "merge")
        lines[at] = json.dumps({**records[at], "payload": {}})
    elif how == "bad grade":
        at = _index(records, "source")
        lines[at] = json.dumps({**records[at], "reliability": "Z"})
    return lines, at + 1


@pytest.mark.parametrize(("how", "said"), [
    ("not json", "not JSON"), ("not an object", "not an object"), ("unknown record", "'gadget' is not one of"),
    ("missing field", "without surface"), ("wrong type", "mention.start should be int"),
    ("outside its document", "outside its document"), ("unknown actor", "nobody-at-all"),
    ("not its document", "not right after that document"), ("sentence text", "is not its document's text"),
    ("sentence order", "sentence 7 where sentence 2"), ("judgment id", "is not the one"),
    ("out of order", "after the records that follow it"), ("no header", "must be the header"),
    ("analyst kind", "delete_everything"), ("document twice", "a second time"), ("bad grade", "not a grade"),
    ("not a number", "mention.score should be float"), ("too big a number", "event_report.fatalities should be"),
    ("nested too deep", "nested too deep"), ("merge without into", "payload has no into"),
])
def test_a_bad_line_is_one_line_with_its_number_and_nothing_is_written(roundtrip, tmp_path, how, said):
    records = _lines(roundtrip[2])
    lines, number = _broken(records, how)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "new.db"
    with Workspace(db) as ws, pytest.raises(KhabarError) as err:
        import_jsonl(ws, path)
    assert err.value.code == "E317"
    first = err.value.message.splitlines()[0]
    assert first.startswith(f"{path}:{number}: ") and said in first, first
    assert not db.exists()  # a new base is not left behind, empty


def test_oversized_and_undecodable_lines(roundtrip, tmp_path, monkeypatch):
    records = _lines(roundtrip[2])
    raw = [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in records]
    at = _index(records, "mention", 1)
    raw[at] = b'{"record": "mention", "surface": "\xff\xfe"}'
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join(raw) + b"\n")
    with Workspace(tmp_path / "a.db") as ws, pytest.raises(KhabarError) as err:
        import_jsonl(ws, path)
    assert f":{at + 1}: not UTF-8" in err.value.message
    monkeypatch.setattr(jsonl_read, "MAX_LINE_BYTES", 2000)  # every document's line is now too long
    path.write_bytes(b"\n".join(json.dumps(r, ensure_ascii=False).encode() for r in records) + b"\n")
    with Workspace(tmp_path / "b.db") as ws, pytest.raises(KhabarError) as err:
        import_jsonl(ws, path)
    first = err.value.message.splitlines()[0]
    assert f":{_index(records, 'document') + 1}: a line longer than 2000 bytes" in first


def test_many_bad_lines_are_reported_together(roundtrip, tmp_path):
    records = _lines(roundtrip[2])
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    mentions = [i for i, r in enumerate(records) if r["record"] == "mention"][:MAX_ERRORS + 5]
    for i in mentions:
        lines[i] = "{"
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Workspace(tmp_path / "new.db") as ws, pytest.raises(KhabarError) as err:
        import_jsonl(ws, path)
    said = err.value.message.splitlines()
    assert len(said) == MAX_ERRORS + 1 and said[-1] == "(and 5 more)"
    assert [int(s.split(":")[1]) for s in said[:-1]] == [i + 1 for i in mentions[:MAX_ERRORS]]


def test_cli_import(roundtrip, tmp_path, capsys):
    _, _, exported, *_ = roundtrip
    new = tmp_path / "cli.db"
    assert main(["import", str(exported), "--db", str(new)]) == 0
    out = capsys.readouterr().out
    assert "imported" in out and "document" in out and "note:" not in out
    assert main(["import", str(exported), "--db", str(new)]) == 2  # not empty now
    assert "[E316]" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"record": "khabar", "format": "something-else/9", "schema": 1}\n', encoding="utf-8")
    assert main(["import", str(bad), "--db", str(tmp_path / "other.db")]) == 2
    err = capsys.readouterr().err
    assert "[E317]" in err and f"{bad}:1: format 'something-else/9'" in err and "Traceback" not in err
    assert main(["import", str(tmp_path / "missing.jsonl"), "--db", str(tmp_path / "x.db")]) == 2
    assert "[E100]" in capsys.readouterr().err


def test_pages_and_near_duplicates_come_back(tmp_path):
    """A paged document (a PDF's page starts) and a near-duplicate, written without the model."""
    from khabar.schema import Document, Extraction

    text = "Page one names nobody. Page two names nobody either."
    doc = Document(id="a" * 64, text=text, name="report.pdf", source="Monitor", pages=[0, 23])
    repeat = Document(id="b" * 64, text=text + " ", name="report-copy.pdf", source="Monitor")
    source, copy, exported = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "kb.jsonl"
    with store.Store(source) as s:
        store.write_document(s.conn, doc, Extraction(doc_id=doc.id, sentences=[(0, 22), (23, len(text))]))
        store.record_duplicate(s.conn, repeat, doc.id)
    with Workspace(source) as ws:
        ws.export("jsonl", exported)
    with Workspace(copy) as ws:
        counts = import_jsonl(ws, exported)
    assert counts["document"] == 2 and counts["sentence"] == 2
    a, b = sqlite3.connect(source), sqlite3.connect(copy)
    try:
        for table in ("documents", "sentences", "sources"):
            assert _rows(a, table) == _rows(b, table), table
        assert b.execute("SELECT pages FROM documents WHERE id = ?", (doc.id,)).fetchone()[0] == "[0,23]"
    finally:
        a.close()
        b.close()
    with Workspace(copy) as ws:
        assert [h["doc_id"] for h in ws.search_records("either")] == [doc.id]  # the repeat is not a hit


def test_a_file_without_derived_records_imports_the_same(roundtrip, tmp_path):
    _, copy, exported, *_ = roundtrip
    lines = [line for line in exported.read_text(encoding="utf-8").splitlines()
             if json.loads(line)["record"] not in ("tie", "event")]
    path = tmp_path / "machine.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Workspace(tmp_path / "c.db") as ws:
        counts = import_jsonl(ws, path)
    assert counts["ties_differ"] == 0 and counts["events_differ"] == 0 and "tie" not in counts
    a, b = sqlite3.connect(copy), sqlite3.connect(tmp_path / "c.db")
    try:
        for table in _tables(a):
            assert _rows(a, table) == _rows(b, table), table
    finally:
        a.close()
        b.close()
