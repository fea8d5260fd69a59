"""``khabar export --format csv`` (tables of actors, ties, evidence, judgments, events) and the ACLED-style
events CSV through the export registry, on the example knowledge base with an analyst layer."""

from __future__ import annotations

import csv
import json

import pytest

from khabar.cli import main
from khabar.export import export
from khabar.export.acled import ACLED_COLUMNS
from khabar.export.base import Records
from khabar.export.tables import TABLES, cell, table_paths
from khabar.workspace import Workspace

HOSTILE = '=HYPERLINK("http://evil.example","x")'
ACLED_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments"}


@pytest.fixture(scope="module")
def kb(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("tables") / "kb.db"
    with Workspace(demo_db[0]) as ws:
        ws.backup(path)
    with Workspace(path) as ws:
        actors = ws.actor_records()
        # an actor whose name a spreadsheet would run as a formula, holding real mentions
        ws.add_actor("evil-group", HOSTILE, "armed_group")
        mover = next(a for a in actors if a["mentions"] >= 2 and a.get("surfaces"))
        ws.move_mentions("evil-group", source=mover["id"], surfaces=[mover["surfaces"][0]])
        small = [a for a in actors if a["mentions"] <= 2]
        ws.merge_actors(small[0]["id"], small[1]["id"])
        tie = ws.tie_rows()[0]
        ws.confirm(f"tie:{tie['subject']}|{tie['type']}|{tie['object']}")
    return path


@pytest.fixture(scope="module")
def tables(kb, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "khabar.csv"
    with Workspace(kb) as ws:
        counts = export(ws, "csv", out)
    return out, counts


def _read(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_five_tables_beside_the_file_with_the_counts_returned(kb, tables):
    out, counts = tables
    paths = table_paths(out)
    assert [p.name for p in paths.values()] == ["khabar_actors.csv", "khabar_ties.csv", "khabar_evidence.csv",
                                                "khabar_judgments.csv", "khabar_events.csv"]
    for name, path in paths.items():
        rows = _read(path)
        assert list(rows[0]) == list(TABLES[name])
        assert len(rows) == counts[name] > 0, name
    with Workspace(kb) as ws:
        records = Records(ws)
        ties = list(records.ties())
        assert counts["ties"] == len(ties)
        assert counts["evidence"] == sum(len(t["evidence_sentences"]) for t in ties)
        assert counts["events"] == ws.count_events()
        assert counts["judgments"] == len(ws.judgment_records())
        assert counts["actors"] == len(records.actors())
    assert not out.exists()  # the stem names the tables; no file of that name is written


def test_lists_are_json_and_booleans_words(tables):
    paths = table_paths(tables[0])
    actors = _read(paths["actors"])
    assert all(isinstance(json.loads(a["aliases"]), list) for a in actors)
    assert any(json.loads(a["aliases"]) for a in actors)
    assert {a["listed"] for a in actors} <= {"true", "false"}
    ties = _read(paths["ties"])
    assert all(isinstance(json.loads(t["source_names"]), list) for t in ties)
    assert {t["contested"] for t in ties} <= {"true", "false"}
    assert any(t["analyst"] == "confirmed" for t in ties)
    for j in _read(paths["judgments"]):
        assert isinstance(json.loads(j["about"]), list)
    for e in _read(paths["events"]):
        assert all(isinstance(json.loads(e[k]), list) for k in ("actors", "targets", "documents", "sources"))
        assert int(e["reports"]) >= 1
    for path in paths.values():  # no Python repr of a list anywhere
        assert "['" not in path.read_text(encoding="utf-8")


def test_evidence_joins_its_ties(tables):
    paths = table_paths(tables[0])
    keys = {(t["subject"], t["type"], t["object"]): int(t["evidence"]) for t in _read(paths["ties"])}
    evidence = _read(paths["evidence"])
    assert {(e["subject"], e["type"], e["object"]) for e in evidence} <= set(keys)
    assert all(e["id"].startswith("as-") and e["text"] for e in evidence)


def test_the_analyst_layer_is_applied_and_formulas_neutralised(kb, tables):
    paths = table_paths(tables[0])
    actors = {a["id"]: a for a in _read(paths["actors"])}
    with Workspace(kb) as ws:
        merged_away = [a["target"] for a in ws.analyst_log() if a["kind"] == "merge"]
    assert merged_away and not set(merged_away) & set(actors)  # folded into the actor it was merged into
    assert actors["evil-group"]["name"] == "'" + HOSTILE
    for path in paths.values():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for value in row:
                    assert not value.startswith(("=", "+", "@", "\t", "\r")), (path.name, value)


def test_pandas_reads_the_tables(tables):
    pd = pytest.importorskip("pandas")
    paths = table_paths(tables[0])
    actors = pd.read_csv(paths["actors"])
    assert actors["mentions"].dtype.kind == "i" and actors["listed"].dtype == bool
    events = pd.read_csv(paths["events"])
    assert events["id"].is_unique


def test_a_folder_gets_plain_table_names(kb, tmp_path, capsys):
    folder = tmp_path / "tables"
    assert main(["export", "--format", "csv", "-o", str(folder), "--db", str(kb)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.csv" for name in TABLES)
    capsys.readouterr()


def test_the_cli_names_the_files_it_wrote(kb, tmp_path, capsys):
    """-o FILE.csv writes FILE_actors.csv and the others beside it: the line printed names
    those, not a FILE.csv that does not exist."""
    assert main(["export", "--format", "csv", "-o", str(tmp_path / "out.csv"), "--db", str(kb)]) == 0
    said = capsys.readouterr().out
    assert not (tmp_path / "out.csv").exists()
    for name in TABLES:
        assert (tmp_path / f"out_{name}.csv").exists() and f"out_{name}.csv" in said
    assert str(tmp_path) in said


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (True, "true"), (False, "false"), (3, 3), (-2.5, -2.5), (["a", "b"], '["a", "b"]'),
    ({"k": 1}, '{"k": 1}'), ("=1+1", "'=1+1"), ("-x", "'-x"), ("plain", "plain"), ("\u0637\u0627\u0644\u0628\u0627\u0646", "\u0637\u0627\u0644\u0628\u0627\u0646"),
])
def test_cell(value, expected):
    assert cell(value) == expected


def test_acled_csv_through_the_registry_has_acled_meanings(kb, tmp_path):
    out = tmp_path / "events.csv"
    with Workspace(kb) as ws:
        written = export(ws, "acled-csv", out)
        total = ws.count_events()
    rows = _read(out)
    assert written == {"events": total} and len(rows) == total
    assert list(rows[0]) == ACLED_COLUMNS
    assert {r["event_type"] for r in rows} <= ACLED_TYPES
    assert {r["khabar_event_type"] for r in rows} >= {"attack", "statement"}
    placed = [r for r in rows if r["country_code"]]
    assert placed
    for r in placed:
        assert r["iso"].isdigit() and int(r["iso"]) > 0  # ISO 3166-1 numeric
        assert len(r["country"]) > 2  # a name, not the code
    assert {r["inter1"] for r in rows} <= {"", "0", "1", "2", "3", "7", "8"}
    assert any(r["inter1"] == "2" for r in rows)  # armed groups act in the example corpus
