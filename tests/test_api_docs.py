"""The Python API's docstring examples run as tests, over the example corpus.

Each docstring of ``khabar.workspace`` and of the modules whose classes ``Workspace`` inherits
(``khabar.workspace.*``) is one test; its examples see ``ws`` (a Workspace over
a copy of the session's example knowledge base, so that examples that write, then undo,
cannot disturb other test modules), ``tmp`` (a folder for files they write), ``examples``
(the example corpus's folder) and the module's own names (``Workspace``, ``dt``...). The API's shape is checked too: parameters named as
the CLI's flags, no ``**filters``, a docstring on every public method.
"""

from __future__ import annotations

import doctest
import inspect

import pytest

from khabar import workspace
from khabar.workspace import Workspace, analyst, brief, events, judgments, people, ties
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
MODULES = (workspace, analyst, ties, events, judgments, people, brief)
DOCTESTS = {t.name: t for m in MODULES for t in doctest.DocTestFinder().find(m) if t.examples}


@pytest.fixture(scope="module")
def docs_ws(demo_db, tmp_path_factory):
    """A Workspace over a backup of the example knowledge base (``demo_db`` is shared by the session)."""
    path, _ = demo_db
    folder = tmp_path_factory.mktemp("api_docs")
    with Workspace(path) as source:
        source.backup(folder / "khabar.db")
    ws = Workspace(folder / "khabar.db")
    yield ws, folder
    ws.close()


@pytest.mark.parametrize("name", sorted(DOCTESTS))
def test_docstring_examples(name, docs_ws):
    ws, folder = docs_ws
    test = DOCTESTS[name]
    test.globs = {**test.globs, **vars(workspace), "ws": ws, "tmp": folder, "examples": EXAMPLES}
    before = ws.analyst_log()
    out: list[str] = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    result = runner.run(test, out=out.append, clear_globs=False)
    assert result.failed == 0, "".join(out)
    # an example that writes to the analyst layer undoes it: the next one reads what it expects
    assert _all_undone(ws, before), f"{name} leaves analyst actions in force"


def _all_undone(ws: Workspace, before: list[dict]) -> bool:
    """Actions an example added are undone (the log is append-only: they stay in it, undone)."""
    known = {a["id"] for a in before}
    return all(a.get("undone_at") for a in ws.analyst_log() if a["id"] not in known)


# Methods whose examples must run (not be skipped): the readers an analyst calls first.
READERS = ("actors", "actor_records", "actor", "ties", "tie_rows", "tie_records", "count_ties", "degrees",
           "events", "event_rows", "event_records", "count_events", "activity", "export_acled",
           "judgments", "judgment_records", "counts")


@pytest.mark.parametrize("method", READERS)
def test_readers_have_running_examples(method):
    function = getattr(Workspace, method)
    test = DOCTESTS.get(f"{function.__module__}.{function.__qualname__}")
    assert test is not None, f"Workspace.{method} has no example"
    running = [e for e in test.examples if not e.options.get(doctest.SKIP)]
    assert running, f"Workspace.{method}: every example is skipped"


def _public_methods():
    return [(name, member) for name, member in inspect.getmembers(Workspace)
            if not name.startswith("_") and (inspect.isfunction(member) or isinstance(member, property))]


def test_every_public_method_is_documented():
    missing = [name for name, member in _public_methods()
               if not (member.fget if isinstance(member, property) else member).__doc__]
    assert not missing, f"Workspace methods without a docstring: {missing}"


def test_no_catch_all_filters():
    """Parameters are named (and so documented and checked), never ``**filters``."""
    loose = [name for name, member in _public_methods() if inspect.isfunction(member)
             and any(p.kind is p.VAR_KEYWORD for p in inspect.signature(member).parameters.values())]
    assert not loose, f"Workspace methods taking **kwargs: {loose}"


def test_event_filters_are_named_as_the_cli_flags():
    """``khabar events --actor --place --type --since --until --role --limit --offset``: the
    same names (``--type`` is repeatable, hence ``types``) on every event reader."""
    from khabar.cli import build_parser

    parser = build_parser()
    events = next(a for a in parser._subparsers._group_actions[0].choices["events"]._actions if a.dest == "since")
    assert events.dest == "since"
    cli = {a.dest for a in parser._subparsers._group_actions[0].choices["events"]._actions} - {
        "help", "db", "evidence"}
    for method in (Workspace.events, Workspace.event_rows, Workspace.event_records):
        assert cli <= set(inspect.signature(method).parameters), method.__name__
    for method in (Workspace.count_events, Workspace.export_acled):
        assert cli - {"limit", "offset"} <= set(inspect.signature(method).parameters), method.__name__


def test_nullable_integer_columns(docs_ws):
    """A fatality count that was never stated stays missing (<NA>), not a float NaN."""
    ws, _ = docs_ws
    df = ws.events()
    assert str(df["fatalities"].dtype) == "Int64"
    assert df["fatalities"].isna().any() and df["fatalities"].notna().any()
    known = df["fatalities"].dropna()
    assert all(isinstance(int(v), int) and float(v).is_integer() for v in known)
    assert str(ws.ties()["credibility"].dtype) == "Int64"
    assert str(ws.judgments()["outcome"].dtype) == "boolean"
    empty = ws.events(types="attack", since="1900", until="1900")
    assert empty.empty and str(empty["fatalities"].dtype) == "Int64"


@pytest.mark.parametrize("call, code", [
    (lambda ws: ws.events(types="picnic"), "E302"),
    (lambda ws: ws.events(types=["attack", "picnic"]), "E302"),
    (lambda ws: ws.events(since="2021-13"), "E303"),
    (lambda ws: ws.count_events(until="yesterday"), "E303"),
    (lambda ws: ws.events(role="bystander"), "E350"),
    (lambda ws: ws.activity(by="fortnight"), "E350"),
    (lambda ws: ws.actors(limit=-1), "E311"),
])
def test_bad_arguments_give_coded_errors(docs_ws, call, code):
    from khabar.errors import KhabarError

    ws, _ = docs_ws
    with pytest.raises(KhabarError, match=code):
        call(ws)


def test_one_type_as_a_string_is_that_type(docs_ws):
    ws, _ = docs_ws
    assert [e.id for e in ws.event_records(types="attack")] == [e.id for e in ws.event_records(types=["attack"])]
