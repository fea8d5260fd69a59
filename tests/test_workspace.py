"""The Python API and the CLI over the bundled example corpus."""

from __future__ import annotations

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
    ["search", "safe haven"],
])
def test_cli_read_commands(demo_db, capsys, command):
    path, _ = demo_db
    assert main([*command, "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.strip() and "Traceback" not in out


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
    assert "Taliban" in text
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
