"""The Python API and the CLI over the bundled example corpus."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from khabar.cli import EXAMPLES as CLI_EXAMPLES
from khabar.cli import main
from khabar.errors import KhabarError
from khabar.workspace import Workspace
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


def test_ingest_report(demo_db):
    _, report = demo_db
    assert report.ingested >= 8
    assert [d for d in report.duplicates if d[1] == "near"], report.summary()
    assert not report.skipped, report.summary()


def test_reingest_changes_nothing(demo_db, extractor):
    path, _ = demo_db
    ws = Workspace(path)
    ws._extractor = extractor
    before = ws.counts()
    report = ws.ingest([EXAMPLES / "corpus"], meta=EXAMPLES / "corpus.meta.jsonl")
    assert report.ingested == 0 and report.unchanged >= 8
    assert ws.counts() == before
    ws.close()


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path, extractor):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Pakistan has supported the Taliban for years.", encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    ws = Workspace(tmp_path / "kb.db")
    ws._extractor = extractor
    report = ws.ingest([folder])
    assert report.ingested == 1
    assert len(report.skipped) == 2
    assert all(line.count("\n") == 0 and "skipped" in line for line in report.skipped)
    ws.close()


def test_api_returns_frames(demo_db):
    path, _ = demo_db
    with Workspace(path) as ws:
        actors = ws.actors()
        assert {"taliban", "al-qaeda"} <= set(actors["id"])
        ties = ws.ties("Al Qaeda")
        assert len(ties) > 0
        assert {"evidence", "sources", "first_seen", "last_seen"} <= set(ties.columns)
        hits = ws.search('"safe haven"')
        assert len(hits) > 0 and hits["snippet"].str.contains("haven", case=False).all()


def test_every_tie_type_and_modality_in_examples(demo_db):
    path, _ = demo_db
    with Workspace(path) as ws:
        ties = ws.ties()
    assert ties["negated"].sum() > 0 and ties["predicted"].sum() > 0
    assert len(set(ties["type"])) >= 6, sorted(set(ties["type"]))


def test_unknown_actor_is_a_clear_error(demo_db):
    path, _ = demo_db
    with Workspace(path) as ws, pytest.raises(KhabarError, match="E301"):
        ws.ties("No Such Group")


def test_missing_db_is_a_clear_error(tmp_path, capsys):
    assert main(["actors", "--db", str(tmp_path / "none.db")]) == 2
    assert "E300" in capsys.readouterr().err


@pytest.mark.parametrize("command", [
    ["actors"], ["ties", "Al Qaeda"], ["ties", "--type", "hosts"], ["show", "taliban"],
    ["search", "safe haven"], ["events"], ["events", "--type", "attack", "--since", "2021", "--evidence"],
    ["events", "--place", "Kabul"], ["judgments"], ["judgments", "--about", "ISIS-K"], ["judgments", "--scores"], ["activity", "--by", "month"], ["activity", "--actor", "taliban", "--role", "any"],
])
def test_cli_read_commands(demo_db, capsys, command):
    path, _ = demo_db
    assert main([*command, "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.strip() and "Traceback" not in out


def test_events_are_merged_across_documents(demo_db):
    """The Kabul airport bombing is told by several example documents: one event, many reports."""
    path, _ = demo_db
    with Workspace(path) as ws:
        events = ws.event_records(types=["attack"], place="Kabul", since="2021-08-26", until="2021-08-26")
        assert events, "the example corpus reports the Kabul airport bombing"
        assert max(len(e.documents) for e in events) >= 2
        df = ws.events()
        assert {"date", "precision", "type", "location", "fatalities", "n_reports"} <= set(df.columns)
        assert set(df["type"]) <= {"attack", "statement", "meeting", "agreement", "takeover", "release", "killing"}
        assert df["date"].notna().all()


def test_event_filters(demo_db):
    path, _ = demo_db
    with Workspace(path) as ws:
        every = ws.event_records()
        attacks = ws.event_records(types=["attack"])
        assert attacks and len(attacks) < len(every) and all(e.type == "attack" for e in attacks)
        recent = ws.event_records(since="2022")
        assert recent and all((e.date_end or e.date_start) >= "2022" for e in recent)
        by_taliban = ws.event_records(actor="Taliban", role="actor")
        assert by_taliban and all("taliban" in e.actors for e in by_taliban)
        with pytest.raises(KhabarError, match="E302"):
            ws.event_records(types=["picnic"])


def test_cli_rejects_bad_dates(demo_db, capsys):
    path, _ = demo_db
    with pytest.raises(SystemExit):
        main(["events", "--since", "last tuesday", "--db", str(path)])
    assert "E303" in capsys.readouterr().err


def test_activity_report(demo_db):
    path, _ = demo_db
    with Workspace(path) as ws:
        report = ws.activity(by="month")
    assert report["series"] and sum(b["count"] for b in report["series"]) > 0
    shares = report["concentration"]["location"]
    assert abs(sum(r["share"] for r in shares) - 1) < 0.01


def test_export_acled_csv(demo_db, tmp_path, capsys):
    import csv

    path, _ = demo_db
    out = tmp_path / "events.csv"
    assert main(["export", "--format", "acled-csv", "-o", str(out), "--db", str(path)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    with Workspace(path) as ws:
        assert len(rows) == len(ws.event_records())
    assert {"event_date", "event_type", "actor1", "country", "latitude", "longitude", "geo_precision",
            "fatalities", "source", "notes"} <= set(rows[0])


def test_judgments_resolve_and_score(demo_db, tmp_path, extractor):
    import shutil

    path, _ = demo_db
    copy = tmp_path / "kb.db"
    shutil.copy(path, copy)  # this test writes outcomes: keep the shared database clean
    with Workspace(copy) as ws:
        ws._extractor = extractor
        rows = ws.judgment_records()
        banded = [r for r in rows if r["band"]]
        assert banded, "the example corpus has judgments in words of estimative probability"
        assert all(r["low"] <= r["high"] for r in banded)
        dated = [r for r in rows if r["due"]]
        assert dated, "the example corpus has judgments with a horizon"
        due = ws.judgment_records(due=True, today=dt.date(2100, 1, 1))
        assert {r["id"] for r in due} == {r["id"] for r in dated}
        assert ws.judgment_records(due=True, today=dt.date(1990, 1, 1)) == []
        target = banded[0]
        ws.resolve(target["id"], True, note="it happened")
        scores = ws.forecast_scores()
        assert scores["n"] >= 1 and scores["by_speaker"][target["speaker"]]["n"] >= 1
        # an outcome is analyst work: re-ingesting keeps it
        ws.ingest([EXAMPLES / "corpus"], meta=EXAMPLES / "corpus.meta.jsonl")
        again = [r for r in ws.judgment_records() if r["id"] == target["id"]]
        assert again and again[0]["outcome"] == 1
        assert target["id"] not in {r["id"] for r in ws.judgment_records(due=True, today=dt.date(2100, 1, 1))}
        with pytest.raises(KhabarError, match="E304"):
            ws.resolve("jd-nosuchthing", False)


def test_cli_resolve(demo_db, tmp_path, capsys):
    import shutil

    path, _ = demo_db
    copy = tmp_path / "kb.db"
    shutil.copy(path, copy)
    with Workspace(copy) as ws:
        jid = ws.judgment_records()[0]["id"]
    assert main(["resolve", jid, "--outcome", "no", "--db", str(copy)]) == 0
    assert "outcome no" in capsys.readouterr().out
    assert main(["judgments", "--db", str(copy)]) == 0
    assert "outcome no" in capsys.readouterr().out


def test_analyst_grade_wins_and_survives_reingest(demo_db, tmp_path, extractor, capsys):
    import shutil

    path, _ = demo_db
    copy = tmp_path / "kb.db"
    shutil.copy(path, copy)
    assert main(["grade", "Meridian Wire", "b", "--db", str(copy)]) == 0
    with Workspace(copy) as ws:
        ws._extractor = extractor
        ws.ingest([EXAMPLES / "corpus"], meta=EXAMPLES / "corpus.meta.jsonl")
        grade = ws.conn.execute("SELECT reliability FROM sources WHERE name = 'Meridian Wire'").fetchone()[0]
        assert grade == "B"
        with pytest.raises(KhabarError, match="E305"):
            ws.grade_source("Meridian Wire", "Z")
        with pytest.raises(KhabarError, match="E306"):
            ws.grade_source("No Such Outlet", "A")


def test_sources_are_graded_from_the_source_book(demo_db):
    path, _ = demo_db
    with Workspace(path) as ws:
        grades = dict(ws.conn.execute("SELECT name, reliability FROM sources").fetchall())
        ties = ws.ties()
    assert grades and set(grades.values()) <= set("ABCDEF")
    assert ties["credibility"].between(1, 6).all() and ties["credibility_reason"].str.len().gt(0).all()


def test_cli_show_quotes_evidence(demo_db, capsys):
    path, _ = demo_db
    main(["show", "taliban", "--db", str(path)])
    out = capsys.readouterr().out
    assert re.search(r'\[(asserted|negated|predicted)\].*"', out)


@pytest.mark.parametrize("fmt, suffix", [("html", ".html"), ("md", ".md")])
def test_brief(demo_db, tmp_path, fmt, suffix):
    path, _ = demo_db
    out = tmp_path / f"brief{suffix}"
    assert main(["brief", "--db", str(path), "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Taliban" in text and "Events" in text
    if fmt == "html":
        assert "<svg" in text and "<script src" not in text and "http://" not in text.split("<body")[0]


def test_extract_gold_format(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    meta = EXAMPLES / "corpus.meta.jsonl"
    assert main(["extract", str(EXAMPLES / "corpus"), "--meta", str(meta), "--format", "gold", "-o", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) >= 8
    assert all(set(d) >= {"doc", "published", "actors", "relations", "events", "claims"} for d in lines)


def test_every_command_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in CLI_EXAMPLES:
        assert f"khabar {name}" in readme, name
    assert "make demo" in readme and "make test" in readme


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert Path(ROOT / "Makefile").read_text(encoding="utf-8").count("$(PIP) install") >= 2
