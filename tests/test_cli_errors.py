"""No silent wrong answers in the CLI (issue 12, part 6).

Every command, given a bad argument of each kind (a date, a tie or event type, an actor, a
place, a number, a missing knowledge base, a bad sidecar, a bad file, a bad usage), fails
with a coded error on standard error (``khabar: [Exxx] ...``), exit status 2 and no
traceback; read commands never leave an empty knowledge base behind; a place named by its
country, its code or in lower case filters the same events.

To cover a new command: add rows to ``CASES`` (``test_every_command_has_a_row`` fails until
there is one). Placeholders: {db} an existing (empty) knowledge base, {nodb} a path where
none is, {tmp} a folder, {docs} a folder with one document, {badmeta} a malformed sidecar,
{text} a text file that is no knowledge base, {gold} a file standing for a gold file.
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from khabar.cli import CREATES_DB, build_parser, main
from khabar.store import Store

# (command line, the code it must fail with). The kind of bad argument heads each group.
CASES: list[tuple[str, str]] = [
    # dates
    ("events --since 2021-13 --db {db}", "E303"),
    ("events --until 2021-02-30 --db {db}", "E303"),
    ("events --since yesterday --db {db}", "E303"),
    ("events --since 2021-1 --db {db}", "E303"),
    ("export --since 2021-13 -o {tmp}/x.csv --db {db}", "E303"),
    ("export --until 2021-02-29 -o {tmp}/x.csv --db {db}", "E303"),
    ("network --since 2021-13 --db {db}", "E303"),
    ("path taliban isis-k --until 2021-00 --db {db}", "E303"),
    ("changes --before 2021-13 --db {db}", "E303"),
    ("events --since 2022 --until 2021 --db {db}", "E303"),  # an empty window
    ("export --since 2021-08-15 --until 2021-07 -o {tmp}/x.csv --db {db}", "E303"),
    ("path taliban isis-k --since 2022 --until 2021-06 --db {db}", "E303"),
    # tie and event types
    ("ties --type alied --db {db}", "E320"),
    ("ties --type '' --db {db}", "E320"),
    ("path taliban isis-k --type alied --db {db}", "E320"),
    ("network --type hots --db {db}", "E320"),
    ("changes --before 2021-08-15 --type hots --db {db}", "E320"),
    ("events --type atack --db {db}", "E302"),
    ("activity --type atack --db {db}", "E302"),
    ("export --type atack -o {tmp}/x.csv --db {db}", "E302"),
    # actors
    ("ties talibn --db {db}", "E301"),
    ("show talibn --db {db}", "E301"),
    ("events --actor talibn --db {db}", "E301"),
    ("activity --actor talibn --db {db}", "E301"),
    ("judgments --about talibn --db {db}", "E301"),
    ("export --actor talibn -o {tmp}/x.csv --db {db}", "E301"),
    ("path talibn taliban --db {db}", "E301"),
    ("ties '' --db {db}", "E301"),  # an unset shell variable: not "every actor"
    ("events --actor ' ' --db {db}", "E301"),
    ("judgments --about '' --db {db}", "E301"),
    # places
    ("events --place Atlantis --db {db}", "E332"),
    ("activity --place Atlantis --db {db}", "E332"),
    ("export --place Atlantis -o {tmp}/x.csv --db {db}", "E332"),
    ("events --place '' --db {db}", "E332"),
    ("activity --place ' ' --db {db}", "E332"),
    # numbers
    ("actors --limit -1 --db {db}", "E311"),
    ("ties --offset -1 --db {db}", "E311"),
    ("events --limit abc --db {db}", "E311"),
    ("ties --limit 99999999999999999999 --db {db}", "E311"),  # beyond SQLite's integers
    ("search taliban --limit 99999999999999999999 --db {db}", "E330"),
    ("judgments --limit -1 --db {db}", "E311"),
    ("search taliban --limit -1 --db {db}", "E330"),
    ("search taliban --limit 0 --db {db}", "E330"),
    ("ingest {docs} --jobs 0 --quiet --db {tmp}/new.db", "E314"),
    ("reextract --jobs 0 --db {db}", "E314"),
    ("serve --port -1 --db {db}", "E330"),
    ("serve --port 70000 --db {db}", "E330"),
    ("serve --workers 0 --db {db}", "E330"),
    ("eval {gold} --cv -1", "E330"),
    ("eval {gold} --limit -1", "E311"),
    ("network --min-evidence -1 --db {db}", "E311"),
    ("changes --before 2021-08-15 --min-change -5 --db {db}", "E322"),
    # a missing knowledge base (every read command: test_read_commands_never_create_a_base)
    ("actors --db {nodb}", "E300"),
    ("serve --db {nodb}", "E300"),
    ("actors --db {tmp}", "E309"),
    ("actors --db {text}", "E309"),
    # metadata sidecars
    ("ingest {docs} --meta {tmp}/none.jsonl --quiet --db {tmp}/new.db", "E201"),
    ("ingest {docs} --meta {tmp} --quiet --db {tmp}/new.db", "E201"),
    ("ingest {docs} --meta {badmeta} --quiet --jobs 1 --db {tmp}/new.db", "E201"),
    ("extract {docs} --meta {tmp}/none.jsonl", "E201"),
    ("extract {docs} --meta {badmeta}", "E201"),
    ("eval {gold} --meta {tmp}/none.jsonl", "E201"),
    # files
    ("ingest {tmp}/nothing-here --quiet --db {tmp}/new.db", "E200"),
    ("extract {tmp}/nothing-here", "E200"),
    ("eval {tmp}/none.gold.jsonl", "E100"),
    ("restore {tmp}/none.db --db {tmp}/restored.db", "E100"),
    ("backup {db} --db {db}", "E310"),
    ("brief -o {tmp} --db {db}", "E335"),
    ("extract {docs} -o {tmp}", "E335"),
    # values the command checks itself
    ("grade 'Meridian Wire' Z --db {db}", "E305"),
    ("grade 'No Such Wire' B --db {db}", "E306"),
    ("resolve jd-nosuch --outcome yes --db {db}", "E304"),
    ("serve --host 0.0.0.0 --db {db}", "E334"),
    # the analyst's corrections (khabar.commands.correct) on an empty base
    ("actor-add 'Bad Id!' Name --db {db}", "E340"),
    ("actor-add newgrp New --kind armd --db {db}", "E340"),
    ("actor-add newgrp New --parent talibn --db {db}", "E301"),
    ("mention-move --to talibn --db {db}", "E301"),
    ("mention-move --db {db}", "E333"),
    ("sentences nosuchdoc --db {db}", "E341"),
    ("sentences x --limit -1 --db {db}", "E311"),
    ("tie-add taliban hosts isis-k --doc x --sentence abc --db {db}", "E333"),
    ("tie-add taliban hosts isis-k --doc nosuchdoc --sentence 1 --db {db}", "E341"),
    ("tie-edit taliban hosts isis-k --flip --db {db}", "E301"),
    ("event-add attack --doc nosuchdoc --sentence 1 --db {db}", "E341"),
    ("event-edit ev-nosuch --type attack --db {db}", "E343"),
    ("not-forecast jd-nosuch --db {db}", "E304"),
    ("log --limit -1 --db {db}", "E311"),
    # persons (khabar.commands.people)
    ("people --limit -1 --db {db}", "E311"),
    ("people --actor talibn --db {db}", "E301"),
    ("person 'Nobody Atall' --db {db}", "E352"),
    ("person '' --db {db}", "E352"),
    ("person x --limit -2 --db {db}", "E311"),
    ("undo 99999 --db {db}", "E347"),
    ("undo abc --db {db}", "E333"),
    # import (khabar.commands.interop)
    ("import {tmp}/none.jsonl --db {tmp}/imported.db", "E100"),
    ("import {badmeta} --db {tmp}/imported.db", "E317"),
    # usage
    ("", "E333"),
    ("nosuch", "E333"),
    ("evnts --db {db}", "E333"),
    ("events --bogus --db {db}", "E333"),
    ("events --role boss --db {db}", "E333"),
    ("resolve jd-0 --db {db}", "E333"),
    ("show --db {db}", "E333"),
    ("changes --kind grew --db {db}", "E333"),
    ("export --format stx --db {db}", "E500"),
    ("brief --format pdf --db {db}", "E500"),
    ("extract {docs} --format xml", "E500"),
]

CODED = re.compile(r"^khabar: \[(E\d{3})\] ", re.M)


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, str]:
    """The files the placeholders of ``CASES`` name."""
    tmp = tmp_path_factory.mktemp("cli-errors")
    db = tmp / "kb.db"
    Store(db).close()
    docs = tmp / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The Taliban hosted al-Qaeda in Kabul.", encoding="utf-8")
    (tmp / "bad.meta.jsonl").write_text('{"doc": "a.txt"}\nnot json\n', encoding="utf-8")
    (tmp / "notes.txt").write_text("not a knowledge base", encoding="utf-8")
    (tmp / "x.gold.jsonl").write_text("", encoding="utf-8")
    return {"db": str(db), "nodb": str(tmp / "nothere.db"), "tmp": str(tmp), "docs": str(docs),
            "badmeta": str(tmp / "bad.meta.jsonl"), "text": str(tmp / "notes.txt"),
            "gold": str(tmp / "x.gold.jsonl")}


def run(argv: list[str], capsys) -> tuple[int, str]:
    """``khabar ARGV`` in this process: its exit status (argparse exits, commands return) and
    standard error."""
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    return status, capsys.readouterr().err


def _assert_coded(status: int, err: str, code: str) -> None:
    codes = CODED.findall(err)
    assert status == 2, (status, err)
    assert codes == [code], err
    assert "Traceback" not in err
    assert err.rstrip().endswith(")"), err  # the catalogue's remedy closes the message


@pytest.mark.parametrize("line, code", CASES, ids=[f"{c}:{line.split(' ')[0] or 'none'}" for line, c in CASES])
def test_bad_argument_is_a_coded_error(line, code, places, capsys, monkeypatch):
    monkeypatch.delenv("KHABAR_TOKEN", raising=False)
    import khabar.web.app as web_app

    # a row that got past its check would serve: fail it instead of blocking
    monkeypatch.setattr(web_app, "serve", lambda *a, **k: pytest.fail(f"{line!r} started serving"))
    status, err = run(shlex.split(line.format(**places)), capsys)
    _assert_coded(status, err, code)


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_has_a_row():
    """A command added to the CLI needs its bad-argument rows here."""
    covered = {shlex.split(line)[0] for line, _ in CASES + DEMO_CASES if line}
    missing = sorted(set(_commands()) - covered)
    assert not missing, f"add rows to CASES for: {', '.join(missing)}"


def _dummy_argv(parser: argparse.ArgumentParser) -> list[str]:
    """Values for a command's required arguments that its parser accepts."""
    argv: list[str] = []

    def value(action: argparse.Action) -> str:
        if action.choices:
            return str(next(iter(action.choices)))
        for candidate in ("taliban", "2021-08-15", "1"):
            try:
                (action.type or str)(candidate)
                return candidate
            except (argparse.ArgumentTypeError, ValueError, TypeError):
                continue
        return "x"

    for action in parser._actions:
        if not action.option_strings and action.dest != "help":
            argv.append(value(action))
        elif action.required:
            argv += [action.option_strings[0], value(action)]
    return argv


def test_read_commands_never_create_a_base(tmp_path, capsys, monkeypatch):
    """Every command with --db that does not make a knowledge base fails with E300 on a path
    where there is none, and leaves no file there."""
    monkeypatch.delenv("KHABAR_TOKEN", raising=False)
    import khabar.web.app as web_app

    monkeypatch.setattr(web_app, "serve", lambda *a, **k: pytest.fail("served a missing knowledge base"))
    checked = []
    for name, parser in _commands().items():
        if name in CREATES_DB or not any("--db" in a.option_strings for a in parser._actions):
            continue
        missing = tmp_path / f"{name}.db"
        status, err = run([name, *_dummy_argv(parser), "--db", str(missing)], capsys)
        _assert_coded(status, err, "E300")
        assert not list(tmp_path.iterdir()), f"{name} left {list(tmp_path.iterdir())}"
        checked.append(name)
    assert {"actors", "ties", "show", "search", "events", "activity", "export", "judgments", "brief", "resolve",
            "grade", "backup", "serve", "reextract"} <= set(checked)


def test_a_window_that_ends_where_it_starts_is_not_empty(places, capsys):
    for since, until in (("2021-08", "2021-08"), ("2021-08-15", "2021-08"), ("2021", "2021-12-31")):
        assert main(["events", "--since", since, "--until", until, "--db", places["db"]]) == 0
    assert "(no events)" in capsys.readouterr().out


def test_a_first_ingest_with_a_malformed_sidecar_leaves_no_base(places, tmp_path, capsys):
    db = tmp_path / "first.db"
    status, err = run(["ingest", places["docs"], "--meta", places["badmeta"], "--quiet", "--db", str(db)], capsys)
    _assert_coded(status, err, "E201")
    assert "line 2" in err and not list(tmp_path.iterdir())


def test_the_installed_command_exits_2_without_a_traceback(tmp_path):
    """The same through the console script, as a user runs it."""
    khabar = Path(sys.executable).with_name("khabar")
    if not khabar.exists():
        pytest.skip("no khabar script beside this Python")
    for argv, code in ((["actors", "--db", str(tmp_path / "none.db")], "E300"),
                       (["events", "--since", "2021-13", "--db", str(tmp_path / "none.db")], "E303"),
                       (["ingest", str(tmp_path), "--meta", str(tmp_path / "none.jsonl"), "--db",
                         str(tmp_path / "kb.db")], "E201")):
        proc = subprocess.run([str(khabar), *argv], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert CODED.findall(proc.stderr) == [code] and "Traceback" not in proc.stderr
    assert not (tmp_path / "none.db").exists()


# -- the messages: what was wrong, and what is close --------------------------------------------

@pytest.mark.parametrize("text, reason", [
    ("2021-13", "no month 13"),
    ("2021-02-30", "February 2021 has no day 30"),
    ("2023-02-29", "February 2023 has no day 29"),
    ("0000", "no year 0"),
    ("yesterday", "not a date"),
    ("2021/08/15", "not a date"),
    ("21-08-15", "not a date"),
])
def test_a_bad_date_says_why(text, reason):
    from khabar.cliargs import iso_date

    with pytest.raises(argparse.ArgumentTypeError, match=reason) as err:
        iso_date(text)
    assert str(err.value).startswith("[E303]")


@pytest.mark.parametrize("text", ["2021", "2021-08", "2021-08-15", "2024-02-29"])
def test_good_dates_pass(text):
    from khabar.cliargs import iso_date

    assert iso_date(text) == text


@pytest.mark.parametrize("typed, wanted", [
    ("hosts", "hosts"), ("Hosts", "hosts"), ("allied with", "allied_with"), ("Allied-With", "allied_with"),
    ("hostile to", "hostile_to"), ("affiliate of", "affiliate_of"),
])
def test_tie_types_are_read_in_any_spelling(typed, wanted):
    from khabar.suggest import tie_type

    assert tie_type(typed) == wanted


@pytest.mark.parametrize("typed, near", [("alied", "allied_with"), ("hots", "hosts"), ("suports", "supports")])
def test_an_unknown_tie_type_suggests_the_near_one(typed, near):
    from khabar.errors import KhabarError
    from khabar.suggest import tie_type

    with pytest.raises(KhabarError) as err:
        tie_type(typed)
    assert err.value.code == "E320" and f"did you mean '{near}'" in err.value.message


def test_an_unknown_event_type_suggests_the_near_one(capsys):
    status, err = run(["events", "--type", "atack"], capsys)
    assert status == 2 and "did you mean 'attack'?" in err


@pytest.mark.parametrize("typed, near", [("Nangarhr", "Nangarhar"), ("Pakstan", "Pakistan"), ("Peshwar", "Peshawar")])
def test_an_unknown_place_suggests_the_near_one(typed, near):
    from khabar.errors import KhabarError
    from khabar.suggest import place_term

    with pytest.raises(KhabarError) as err:
        place_term(typed)
    assert err.value.code == "E332" and f"did you mean '{near}'" in err.value.message


def test_a_far_place_gets_no_wild_guess():
    from khabar.resolve.places import load_places

    assert load_places().suggest("Atlantis") == []


@pytest.mark.parametrize("typed, term", [
    ("Pakistan", "PK"), ("pakistan", "PK"), ("PK", "PK"), ("pk", "PK"), ("af", "AF"),
    ("Ningarhar", "Nangarhar"), ("af-nangarhar", "Nangarhar"), ("Kabul", "Kabul"),
])
def test_a_place_is_one_filter_however_it_is_named(typed, term):
    from khabar.suggest import place_term

    assert place_term(typed) == term


def test_an_unknown_command_suggests_the_near_one(capsys):
    status, err = run(["evnts"], capsys)
    assert status == 2 and "did you mean 'events'?" in err


def test_scores_print_a_table_not_a_dict():
    from khabar.cli import format_scores

    scores = {"n": 3, "pending": 5, "mean_brier": 0.1234,
              "by_speaker": {"Jane Analyst": {"n": 3, "mean_brier": 0.1234, "mean_p": 0.7, "hit_rate": 0.667,
                                              "notes": ["only 3 scored: too few to judge calibration"]}},
              "by_source": {"Meridian Wire": {"n": 3, "mean_brier": 0.1234, "mean_p": 0.7, "hit_rate": 0.667,
                                              "notes": []}}}
    text = format_scores(scores)
    assert "{" not in text and '"' not in text
    lines = text.splitlines()
    assert lines[0].startswith("3 judgments scored, 5 without") and "0.123" in lines[0]
    header = next(x for x in lines if x.startswith("speaker"))
    assert header.split() == ["speaker", "scored", "brier", "mean_p", "came_true", "notes"]
    row = lines[lines.index(header) + 1]
    assert row.split()[:6] == ["Jane", "Analyst", "3", "0.123", "0.7", "0.67"]
    assert any(x.startswith("Meridian Wire") for x in lines)
    assert "record outcomes" in format_scores({"n": 0, "pending": 2, "mean_brier": None, "by_speaker": {},
                                               "by_source": {}})


def test_the_ingest_bar_has_a_total(tmp_path):
    from khabar.ingest import _count_files

    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.md", "sub/c.html", ".hidden.txt"):
        (docs / name).write_text("x", encoding="utf-8")
    meta = docs / "docs.meta.jsonl"
    meta.write_text("", encoding="utf-8")
    assert _count_files([docs], meta) == 3  # the hidden file and the sidecar are not read
    assert _count_files([docs, tmp_path / "none"], None) == 4


# -- on the demo knowledge base --------------------------------------------------------------------

# Rows that need a stored document ({doc}, its sentence 1) or event ({event}): run on a copy of
# the demo base, as a row that got past its check would write to it.
DEMO_CASES: list[tuple[str, str]] = [
    ("ties talibn", "E301"),
    ("events --place Atlantis", "E332"),
    ("tie-add taliban alied isis-k --doc {doc} --sentence 1", "E342"),
    ("tie-add taliban hosts isis-k --doc {doc} --sentence 1 --modality maybe", "E342"),
    ("tie-add taliban hosts isis-k --doc {doc} --sentence 9999", "E341"),
    ("tie-add talibn hosts isis-k --doc {doc} --sentence 1", "E301"),
    ("tie-edit taliban hosts ttp --type alied", "E342"),
    ("tie-edit taliban hosts ttp --modality maybe", "E342"),
    ("event-add atack --doc {doc} --sentence 1", "E302"),
    ("event-add attack --doc {doc} --sentence 1 --date 2021-13", "E303"),
    ("event-add attack --doc {doc} --sentence 1 --place Atlantis", "E344"),
    ("event-add attack --doc {doc} --sentence 1 --actor talibn", "E301"),
    ("event-add attack --doc {doc} --sentence 1 --fatalities many", "E344"),
    ("event-edit {event} --type atack", "E302"),
    ("event-edit {event} --date 2021-13", "E303"),
    ("event-edit {event} --place Atlantis", "E344"),
    ("event-edit {event} --fatalities -3", "E344"),
    ("path taliban talibn", "E301"),
    ("changes --window 2021..2020", "E322"),
]


@pytest.fixture(scope="module")
def demo_copy(demo_db, tmp_path_factory) -> dict[str, str]:
    import sqlite3

    from khabar.workspace import Workspace

    path = tmp_path_factory.mktemp("cli-errors-demo") / "kb.db"
    src, dst = sqlite3.connect(demo_db[0]), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    with Workspace(path) as ws:
        doc = ws.conn.execute("SELECT id FROM documents WHERE duplicate_of IS NULL ORDER BY id LIMIT 1").fetchone()[0]
        event = ws.event_records(limit=1)[0].id
    return {"db": str(path), "doc": doc, "event": event}


@pytest.mark.slow
@pytest.mark.parametrize("line, code", DEMO_CASES, ids=[f"{c}:{line.split(' ')[0]}" for line, c in DEMO_CASES])
def test_bad_argument_on_the_demo_base(line, code, demo_copy, capsys):
    actions = _log_size(demo_copy["db"])
    status, err = run([*shlex.split(line.format(**demo_copy)), "--db", demo_copy["db"]], capsys)
    _assert_coded(status, err, code)
    assert _log_size(demo_copy["db"]) == actions  # nothing was recorded


def _log_size(db: str) -> int:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM analyst_actions").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
def test_an_unknown_actor_suggests_the_near_one(demo_db, capsys):
    path, _ = demo_db
    for argv in (["ties", "talibn"], ["show", "talibn"], ["events", "--actor", "talibn"],
                 ["judgments", "--about", "talibn"]):
        status, err = run([*argv, "--db", str(path)], capsys)
        _assert_coded(status, err, "E301")
        assert "did you mean 'Taliban'?" in err
    status, err = run(["show", "Al Qeada", "--db", str(path)], capsys)
    assert "did you mean 'al-Qaeda'?" in err


@pytest.mark.slow
def test_actor_suggestions_come_from_names_aliases_and_surfaces(demo_db):
    import sqlite3

    from khabar.suggest import actor_suggestions

    path, _ = demo_db
    conn = sqlite3.connect(path)
    try:
        assert actor_suggestions(conn, "ISKPP") == ["Islamic State Khorasan Province"]  # its alias ISKP
        assert actor_suggestions(conn, "talibn") == ["Taliban"]  # not a far second
        assert actor_suggestions(conn, "zzzz") == []
    finally:
        conn.close()


@pytest.mark.slow
def test_pakistan_pk_and_lower_case_give_the_same_events(demo_db):
    from khabar.workspace import Workspace

    path, _ = demo_db
    with Workspace(path) as ws:
        ids = [[e.id for e in ws.event_records(place=p)] for p in ("Pakistan", "PK", "pakistan", "pk")]
        assert ids[0] and all(i == ids[0] for i in ids)
        assert all(e.country == "PK" for e in ws.event_records(place="Pakistan"))
        assert ws.count_events(place="Pakistan") == len(ids[0])
        # another spelling of a province finds its events too
        assert [e.id for e in ws.event_records(place="Ningarhar")] == [e.id for e in
                                                                         ws.event_records(place="Nangarhar")]
        assert ws.event_records(place="Nangarhar")
        by_name = ws.activity(place="Pakistan", by="month")
        assert by_name["events"] == ws.activity(place="PK", by="month")["events"] > 0


@pytest.mark.slow
def test_the_cli_lists_the_same_events_for_pk_and_pakistan(demo_db, capsys):
    path, _ = demo_db
    outputs = []
    for place in ("Pakistan", "PK", "pakistan"):
        assert main(["events", "--place", place, "--db", str(path)]) == 0
        outputs.append(capsys.readouterr().out)
    assert "[PK]" in outputs[0] and "[AF]" not in outputs[0]
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.slow
def test_tie_types_in_any_spelling_list_the_same_ties(demo_db):
    from khabar.workspace import Workspace

    path, _ = demo_db
    with Workspace(path) as ws:
        rows = ws.tie_rows(tie_type="allied_with")
        assert rows and ws.tie_rows(tie_type="Allied with") == rows
        assert ws.count_ties(tie_type="allied with") == ws.count_ties(tie_type="allied_with")


@pytest.mark.slow
def test_the_api_reads_types_in_any_case_and_names_the_close_ones(demo_db):
    from khabar.errors import KhabarError
    from khabar.workspace import Workspace

    path, _ = demo_db
    with Workspace(path) as ws:
        assert [e.id for e in ws.event_records(types="Attack")] == [e.id for e in ws.event_records(types="attack")]
        with pytest.raises(KhabarError, match="did you mean 'attack'") as err:
            ws.event_records(types=["atack"])
        assert err.value.code == "E302"
        with pytest.raises(KhabarError, match="did you mean 'hosts'") as err:
            ws.tie_rows(tie_type="hots")
        assert err.value.code == "E320"
        with pytest.raises(KhabarError, match="did you mean 'Pakistan'") as err:
            ws.count_events(place="Pakstan")
        assert err.value.code == "E332"


@pytest.mark.slow
def test_the_ingest_bar_counts_files_against_their_total(empty_ws, tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, text in enumerate(("The Taliban hosted al-Qaeda.", "ISIS-K attacked Kabul airport.", "TTP met in Kabul.")):
        (docs / f"{i}.txt").write_text(text, encoding="utf-8")
    (docs / "many.jsonl").write_text("".join(f'{{"id": "j{i}", "text": "Report {i} on the Haqqani network."}}\n'
                                             for i in range(4)), encoding="utf-8")
    empty_ws.ingest([docs], progress=True)
    bar = capsys.readouterr().err.replace("\r", "\n").strip().splitlines()[-1]
    assert "4/4" in bar and "7 docs" in bar, bar  # 4 files, 7 documents (a .jsonl holds 4)


@pytest.mark.slow
def test_an_analysts_alias_is_suggested_too(demo_db, tmp_path):
    import sqlite3

    from khabar.errors import KhabarError
    from khabar.workspace import Workspace

    path = tmp_path / "kb.db"
    src, dst = sqlite3.connect(demo_db[0]), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    with Workspace(path) as ws:
        ws.add_alias("taliban", "Kandahari Shura Council")
        with pytest.raises(KhabarError, match="did you mean 'Kandahari Shura Council'"):
            ws.actor("Kandahari Shura Councel")
