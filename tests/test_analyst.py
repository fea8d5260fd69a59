"""The analyst layer: verdicts, merges, aliases and undo, replayed over machine output and kept on re-ingest."""

from __future__ import annotations

import shutil

import pytest

from khabar.errors import KhabarError
from khabar.workspace import Workspace
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow


@pytest.fixture()
def ws(demo_db, tmp_path, extractor):
    path, _ = demo_db
    copy = tmp_path / "kb.db"
    shutil.copy(path, copy)
    w = Workspace(copy)
    w._extractor = extractor
    yield w
    w.close()


def _reingest(ws):
    ws.ingest([EXAMPLES / "corpus"], meta=EXAMPLES / "corpus.meta.jsonl")


def test_rejected_assertion_stops_counting_but_stays_visible(ws):
    tie, items = next((t, i) for t, i in ws.tie_records() if t.evidence >= 2)
    victim = items[0]
    ws.reject(victim["aid"], note="misread")
    after = next((t, i) for t, i in ws.tie_records() if (t.subject, t.type, t.object) == (
        tie.subject, tie.type, tie.object))
    assert after[0].evidence == tie.evidence - 1
    assert [a["analyst"] for a in after[1] if a["aid"] == victim["aid"]] == ["rejected"]
    _reingest(ws)
    again = next(i for t, i in ws.tie_records() if (t.subject, t.type, t.object) == (
        tie.subject, tie.type, tie.object))
    assert [a["analyst"] for a in again if a["aid"] == victim["aid"]] == ["rejected"]


def test_confirm_a_tie_and_undo(ws):
    tie, _ = ws.tie_records()[0]
    action = ws.confirm(f"tie:{tie.subject}|{tie.type}|{tie.object}")
    assert ws.tie_records()[0][0].analyst == "confirmed"
    assert ws.undo(action)
    assert ws.tie_records()[0][0].analyst is None
    assert not ws.undo(action)  # already undone
    with pytest.raises(KhabarError, match="E307"):
        ws.confirm("tie:nobody|allied_with|noone")
    with pytest.raises(KhabarError, match="E307"):
        ws.reject("as-000000000000")


def test_merge_actors_and_undo(ws):
    before = {(t.subject, t.object) for t, _ in ws.tie_records("ISIS-K")}
    assert before
    action = ws.merge_actors("ISIS-K", "Islamic State")
    assert ws.actor("ISIS-K")["id"] == "isis"
    assert "isis-k" not in set(ws.actors()["id"])
    ends = {x for t, _ in ws.tie_records() for x in (t.subject, t.object)}
    assert "isis-k" not in ends
    assert all("isis-k" not in e.actors for e in ws.event_records())
    _reingest(ws)
    assert ws.actor("ISIS-K")["id"] == "isis"  # analyst work survives re-ingest
    ws.undo(action)
    assert ws.actor("ISIS-K")["id"] == "isis-k"
    with pytest.raises(KhabarError, match="E308"):
        ws.merge_actors("Taliban", "taliban")


def test_alias_is_found_at_once(ws):
    with pytest.raises(KhabarError):
        ws.actor("The Emirate of the Students")
    ws.add_alias("Taliban", "The Emirate of the Students")
    found = ws.actor("The Emirate of the Students")
    assert found["id"] == "taliban" and "The Emirate of the Students" in found["aliases"]
    log = ws.analyst_log()
    assert [a["kind"] for a in log][-1] == "alias"
