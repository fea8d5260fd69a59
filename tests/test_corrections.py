"""Correcting the machine (issue 12, part 1): each correction through the Workspace, labelled
analyst, kept when documents are re-ingested or re-extracted, and undone exactly."""

from __future__ import annotations

import json
import shutil

import pytest

from khabar.analyze.ties import tie_key
from khabar.errors import KhabarError
from khabar.workspace import Workspace
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

# what undo must give back exactly: the tables every reader reads (events without their
# insertion order, which a rebuilt event may change)
_TABLES = {
    "ties": "SELECT * FROM ties",
    "actor_stats": "SELECT actor_id, mentions, documents, degree FROM actor_stats WHERE mentions > 0 OR degree > 0",
    "actor_surfaces": "SELECT * FROM actor_surfaces",
    "actors": "SELECT id, name, kind, parent, aliases, correction FROM actors",
    "mentions": 'SELECT doc_id, "start", "end", surface, actor_id, correction, machine FROM mentions',
    "assertions": 'SELECT doc_id, "start", "end", subject, type, object, modality, trigger, correction, machine '
                  "FROM assertions",
    "events": "SELECT id, type, date, precision, date_start, date_end, place, country, fatalities, actors, targets, "
              "n_reports, span_days, correction FROM events",
    "event_actors": "SELECT * FROM event_actors",
    "event_reports": 'SELECT doc_id, "start", type, event_id, correction FROM event_reports',
    "judgments": "SELECT id, due, horizon, low, high, band, correction, machine FROM judgments",
}


def snapshot(ws: Workspace) -> dict[str, list[tuple]]:
    ws.tie_records(limit=1)  # the tie figures brought up to date
    return {name: sorted((tuple(r) for r in ws.conn.execute(sql)), key=repr) for name, sql in _TABLES.items()}


def _copy(demo_db, tmp_path, extractor) -> Workspace:
    path, _ = demo_db
    copy = tmp_path / "kb.db"
    shutil.copy(path, copy)
    w = Workspace(copy)
    w._extractor = extractor
    return w


@pytest.fixture()
def ws(demo_db, tmp_path, extractor):
    w = _copy(demo_db, tmp_path, extractor)
    yield w
    w.close()


def _lone_subject(ws: Workspace) -> tuple[dict, dict]:
    """An assertion whose subject is named by exactly one mention in its sentence, and that mention."""
    for a in ws.conn.execute('SELECT * FROM assertions ORDER BY doc_id, "start"').fetchall():
        named = ws.conn.execute('SELECT * FROM mentions WHERE doc_id = ? AND actor_id = ? AND "start" >= ? '
                                'AND "end" <= ?', (a["doc_id"], a["subject"], a["start"], a["end"])).fetchall()
        if len(named) == 1 and a["subject"] != a["object"]:
            return dict(a), dict(named[0])
    raise AssertionError("the example corpus has no such assertion")


def _directed_tie(ws: Workspace):
    return next(t for t, _ in ws.tie_records() if t.type in ("hosts", "supports", "affiliate_of") and t.evidence >= 2)


def _day_event(ws: Workspace):
    return next(e for e in ws.event_records(types=["attack"]) if e.precision == "day" and e.actors)


def _forecast(ws: Workspace) -> dict:
    return next(j for j in ws.judgment_records() if j.get("band") and j.get("due"))


@pytest.fixture(scope="module")
def corrected(demo_db, tmp_path_factory, extractor):
    """Every kind of correction made on one copy of the example base, with the machine's
    tables before them, the tables after them, and what each concerned."""
    w = _copy(demo_db, tmp_path_factory.mktemp("corr"), extractor)
    before = snapshot(w)
    assertion, mention = _lone_subject(w)
    tie = _directed_tie(w)
    event = _day_event(w)
    judgment = _forecast(w)
    doc = w.conn.execute("SELECT id FROM documents WHERE duplicate_of IS NULL AND name LIKE '%kabul_airport%'"
                         ).fetchone()[0]
    done = {
        "actor": w.add_actor("analyst-front", "Analyst Front", "armed_group", aliases=["AF Front"],
                             parent="taliban"),
    }
    done["move"] = w.move_mentions("analyst-front", source=mention["actor_id"],
                                   mentions=[(mention["doc_id"], mention["start"], mention["end"])])
    done["tie"] = w.add_tie(doc, "isis-k", "hostile_to", "analyst-front", sentence=2, modality="asserted")
    done["flip"] = w.edit_tie(tie.subject, tie.type, tie.object, flip=True)
    done["event"] = w.edit_event(event.id, date="2019-03-04", fatalities=7)
    done["new_event"] = w.add_event(doc, "meeting", sentence=3, date="2019-05", place="Kabul",
                                    actors=["analyst-front"], targets=["taliban"])
    done["forecast"] = w.not_forecast(judgment["id"], note="a description, not a prediction")
    info = {"assertion": assertion, "mention": mention, "tie": tie, "event": event, "judgment": judgment,
            "doc": doc}
    yield w, before, snapshot(w), done, info
    w.close()


def check_applied(ws: Workspace, done: dict, info: dict) -> None:
    """Every correction of ``corrected`` shows in what readers read, labelled analyst."""
    made = ws.actor("AF Front")
    assert made["id"] == "analyst-front" and made["correction"] == done["actor"] and made["parent"] == "taliban"
    assert made["kind"] == "armed_group"
    # the mention re-pointed, and the tie its sentence gave with it
    m, a = info["mention"], info["assertion"]
    row = ws.conn.execute('SELECT actor_id, machine, correction FROM mentions WHERE doc_id = ? AND "start" = ? '
                          'AND "end" = ?', (m["doc_id"], m["start"], m["end"])).fetchone()
    assert tuple(row) == ("analyst-front", m["actor_id"], done["move"])
    moved = ws.conn.execute('SELECT subject, correction FROM assertions WHERE doc_id = ? AND "start" = ? '
                            "AND type = ? AND object = ? AND subject = 'analyst-front'",
                            (a["doc_id"], a["start"], a["type"], a["object"])).fetchall()
    assert moved and all(r[1] == done["move"] for r in moved)
    assert any(r["id"] == "analyst-front" and r["mentions"] >= 1 for r in ws.actor_records())
    # the tie read in a sentence: counted, quoted, labelled
    ties = {(t.subject, t.type, t.object): items for t, items in ws.tie_records("analyst-front")}
    key = tie_key("isis-k", "hostile_to", "analyst-front")  # a symmetric type: stored in one order
    items = ties[key]
    assert [x["correction"] for x in items] == [done["tie"]]
    assert items[0]["trigger"] == f"analyst:{done['tie']}" and items[0]["sentence"].strip()
    row = ws.conn.execute("SELECT evidence, corrected FROM ties WHERE subject = ? AND type = ? AND object = ?",
                          key).fetchone()
    assert tuple(row) == (1, 1)
    # the flipped tie: all its evidence the other way, none left the machine's way
    t = info["tie"]
    flipped = ws.tie_records(key=(t.object, t.type, t.subject))
    assert flipped and flipped[0][0].evidence == t.evidence
    assert all(x["correction"] == done["flip"] for x in flipped[0][1])
    assert ws.conn.execute("SELECT COUNT(*) FROM assertions WHERE subject = ? AND type = ? AND object = ?",
                           (t.subject, t.type, t.object)).fetchone()[0] == 0
    # the corrected event, found by its new date and its id
    e = info["event"]
    again = [x for x in ws.event_records(since="2019-03-04", until="2019-03-04") if x.id == e.id]
    assert again and (again[0].date, again[0].precision, again[0].fatalities) == ("2019-03-04", "day", 7)
    assert ws.conn.execute("SELECT correction FROM events WHERE id = ?", (e.id,)).fetchone()[0] == done["event"]
    # the analyst's event: its party finds it
    mine = ws.event_records(actor="analyst-front", types=["meeting"])
    assert [(x.date, x.precision, x.location, x.targets) for x in mine] == [("2019-05", "month", "Kabul", ["taliban"])]
    # the judgment that is no forecast: neither due nor scored
    j = info["judgment"]
    row = next(r for r in ws.judgment_records() if r["id"] == j["id"])
    assert (row["due"], row["band"], row["correction"]) == (None, None, done["forecast"])
    assert j["id"] not in {r["id"] for r in ws.judgment_records(due=True, today=__import__("datetime").date(2100, 1, 1))}


def test_each_correction_shows_labelled(corrected):
    ws, _, _, done, info = corrected
    check_applied(ws, done, info)
    kinds = [a["kind"] for a in ws.corrections()]
    assert kinds == ["add_actor", "move_mentions", "add_tie", "edit_tie", "edit_event", "add_event", "not_forecast"]


def test_kept_after_reextract(corrected):
    ws, _, applied, done, info = corrected
    ws.reextract(everything=True)
    check_applied(ws, done, info)
    assert snapshot(ws) == applied  # the same rows as before the re-extraction, corrections included


def test_undone_exactly_in_any_order(corrected):
    ws, before, _, done, _ = corrected
    with pytest.raises(KhabarError, match="E345"):  # the analyst's actor is still used
        ws.undo(done["actor"])
    for name in ("flip", "forecast", "move", "event", "tie", "new_event"):
        assert ws.undo(done[name])
        assert not ws.undo(done[name])
    assert ws.undo(done["actor"])
    assert snapshot(ws) == before
    assert ws.corrections() == []
    assert len(ws.analyst_log()) == len(done)  # the log keeps every action, marked undone


def test_undo_one_keeps_the_others(ws):
    def count(s, t, o):
        return ws.conn.execute("SELECT COUNT(*) FROM assertions WHERE subject = ? AND type = ? AND object = ?",
                               (s, t, o)).fetchone()[0]

    tie = next(t for t, _ in ws.tie_records() if t.type in ("hosts", "supports", "affiliate_of")
               and t.evidence >= 2 and not count(t.object, t.type, t.subject))
    n = count(tie.subject, tie.type, tie.object)
    before = snapshot(ws)
    flip = ws.edit_tie(tie.subject, tie.type, tie.object, flip=True)
    kind = ws.edit_tie(tie.object, tie.type, tie.subject, new_type="supports", modality="predicted")
    rows = ws.conn.execute("SELECT subject, type, object, modality, machine FROM assertions WHERE correction = ?",
                           (kind,)).fetchall()
    assert len(rows) == n
    assert {tuple(r)[:4] for r in rows} == {(tie.object, "supports", tie.subject, "predicted")}
    assert all(json.loads(r[4])["subject"] == tie.subject for r in rows)  # the machine's values kept
    assert ws.undo(flip)  # the type change was made on the flipped tie: without the flip it finds nothing
    assert snapshot(ws) == before
    assert ws.undo(kind) and snapshot(ws) == before


def test_kept_when_a_changed_document_is_ingested_again(ws, tmp_path):
    """A corrected date in the sidecar makes the document be extracted again: the corrections stay."""
    doc = ws.conn.execute("SELECT id, name, published FROM documents WHERE duplicate_of IS NULL "
                          "AND name LIKE '%kabul_airport%'").fetchone()
    added = ws.add_tie(doc["id"], "isis-k", "hostile_to", "taliban", sentence=2, modality="negated")
    event = next(e for e in ws.event_records() if doc["id"] in e.documents)
    edited = ws.edit_event(event.id, fatalities=999)
    meta = tmp_path / "meta.jsonl"
    lines = [json.loads(x) for x in (EXAMPLES / "corpus.meta.jsonl").read_text().splitlines() if x.strip()]
    for rec in lines:
        if rec.get("doc") == doc["name"]:
            rec["published"] = "2021-08-31"
    meta.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    report = ws.ingest([EXAMPLES / "corpus"], meta=meta)
    assert [name for name, _ in report.updated] == [doc["name"]]
    assert ws.conn.execute("SELECT COUNT(*) FROM assertions WHERE correction = ? AND modality = 'negated'",
                           (added,)).fetchone()[0] == 1
    assert ws.conn.execute("SELECT fatalities, correction FROM events WHERE correction = ?",
                           (edited,)).fetchone()[0] == 999


def test_refusals(ws):
    doc = ws.conn.execute("SELECT id FROM documents WHERE duplicate_of IS NULL LIMIT 1").fetchone()[0]
    cases = [
        ("E340", lambda: ws.add_actor("taliban", "Taliban again", "armed_group")),
        ("E340", lambda: ws.add_actor("Bad Id!", "x", "armed_group")),
        ("E340", lambda: ws.add_actor("new-one", "New", "militia")),
        ("E301", lambda: ws.add_actor("new-one", "New", "armed_group", parent="nobody at all")),
        ("E341", lambda: ws.add_tie("0" * 64, "taliban", "hosts", "al-qaeda", sentence=0)),
        ("E341", lambda: ws.add_tie(doc, "taliban", "hosts", "al-qaeda", sentence=10_000)),
        ("E341", lambda: ws.add_tie(doc, "taliban", "hosts", "al-qaeda", start=5, end=5)),
        ("E342", lambda: ws.add_tie(doc, "taliban", "likes", "al-qaeda", sentence=0)),
        ("E342", lambda: ws.add_tie(doc, "taliban", "hosts", "al-qaeda", sentence=0, modality="maybe")),
        ("E342", lambda: ws.add_tie(doc, "taliban", "hosts", "taliban", sentence=0)),
        ("E307", lambda: ws.edit_tie("taliban", "endorsed", "united-nations", flip=True)),
        ("E342", lambda: ws.edit_tie(*_tie_of(ws, "allied_with"), flip=True)),
        ("E342", lambda: ws.edit_tie(*_tie_of(ws, "hosts"))),
        ("E343", lambda: ws.edit_event("ev-000000000000", fatalities=3)),
        ("E303", lambda: ws.edit_event(_day_event(ws).id, date="2021-13")),
        ("E344", lambda: ws.edit_event(_day_event(ws).id, date="2021-08-05", date_end="2021-08-01")),
        ("E344", lambda: ws.edit_event(_day_event(ws).id, place="Atlantis under the sea")),
        ("E344", lambda: ws.edit_event(_day_event(ws).id, fatalities="many")),
        ("E344", lambda: ws.edit_event(_day_event(ws).id)),
        ("E302", lambda: ws.add_event(doc, "picnic", sentence=0)),
        ("E304", lambda: ws.not_forecast("jd-000000000000")),
        ("E346", lambda: ws.move_mentions("al-qaeda", source="taliban", surfaces=["no such surface"])),
        ("E346", lambda: ws.move_mentions("al-qaeda", surfaces=["Taliban"])),
        ("E346", lambda: ws.move_mentions("al-qaeda", mentions=[(doc, 0, 1)])),
    ]
    for code, call in cases:
        with pytest.raises(KhabarError, match=code):
            call()
    assert ws.analyst_log() == []  # nothing refused was recorded


def _tie_of(ws: Workspace, tie_type: str) -> tuple[str, str, str]:
    t = next(t for t, _ in ws.tie_records(tie_type=tie_type))
    return t.subject, t.type, t.object


def test_gold_export_carries_the_corrections(ws, tmp_path):
    """``khabar export --format gold``: the base's lines in the gold shape; scored against the
    machine's lines, exactly what the analyst changed differs."""
    from khabar.cli import main
    from khabar.evaluate import load_gold, score

    machine = tmp_path / "machine.gold.jsonl"
    assert main(["export", "--format", "gold", "-o", str(machine), "--db", ws.path]) == 0
    doc = ws.conn.execute("SELECT id, name FROM documents WHERE duplicate_of IS NULL "
                          "AND name LIKE '%kabul_airport_bombing_wire%'").fetchone()
    ws.add_tie(doc["id"], "isis-k", "supports", "ttp", sentence=2)
    event = next(e for e in ws.event_records() if doc["id"] in e.documents and e.actors)
    ws.edit_event(event.id, fatalities=4321)
    judgment = next(j for j in ws.judgment_records() if j.get("low") is not None)
    ws.not_forecast(judgment["id"])
    analyst = tmp_path / "analyst.gold.jsonl"
    assert main(["export", "--format", "gold", "-o", str(analyst), "--db", ws.path]) == 0
    gold, system = load_gold(analyst), load_gold(machine)
    assert set(gold) == set(system) and len(gold) == ws.counts()["documents"]
    line = gold[doc["name"]]
    mine = [r for r in line["relations"] if r["analyst"]]
    assert [(r["source"], r["type"], r["target"]) for r in mine] == [("isis-k", "supports", "ttp")]
    assert {"isis-k", "ttp"} <= {a["id"] for a in line["actors"]}
    assert any(e["fatalities"] == 4321 and e["analyst"] for e in line["events"])
    claims = [c for g in gold.values() for c in g["claims"] if c["analyst"]]
    assert [(c["probability"], c["due"]) for c in claims] == [(None, None)]
    scores = score(gold, system)  # the machine scored against the analyst's corpus
    assert scores.layers["relations"].fn == 1 and scores.layers["relations"].fp == 0
    assert score(system, system).layers["relations"].f1 == 1.0


def _lone_party(ws: Workspace) -> tuple[dict, dict]:
    """An event report and the one mention, in its sentence, of an actor the report names."""
    for r in ws.conn.execute('SELECT * FROM event_reports WHERE event_id IS NOT NULL ORDER BY doc_id, "start"'):
        for actor in json.loads(r["actors"]) + json.loads(r["targets"]):
            named = ws.conn.execute('SELECT * FROM mentions WHERE doc_id = ? AND actor_id = ? AND "start" >= ? '
                                    'AND "end" <= ?', (r["doc_id"], actor, r["start"], r["end"])).fetchall()
            if len(named) == 1:
                return dict(r), dict(named[0])
    raise AssertionError("the example corpus has no such report")


def test_moved_mentions_carry_their_event_reports(ws):
    before = snapshot(ws)
    report, mention = _lone_party(ws)
    edited = ws.edit_event(report["event_id"], fatalities=77)  # an older correction of the same event
    ws.add_actor("split-off", "Split Off", "armed_group")
    moved = ws.move_mentions("split-off", mentions=[(mention["doc_id"], mention["start"], mention["end"])])
    row = ws.conn.execute("SELECT actors, targets, machine, correction, event_id FROM event_reports WHERE id = ?",
                          (report["id"],)).fetchone()
    parties = json.loads(row["actors"]) + json.loads(row["targets"])
    assert "split-off" in parties and mention["actor_id"] not in parties and row["correction"] == moved
    assert json.loads(row["machine"])["actors"] == json.loads(report["actors"])
    events = ws.event_records(actor="split-off")
    assert [e.id for e in events] == [row["event_id"]]
    # merged again, the event keeps the older correction
    assert ws.conn.execute("SELECT fatalities FROM events WHERE id = ?", (row["event_id"],)).fetchone()[0] == 77
    assert edited and ws.undo(moved) and ws.undo(edited)
    assert ws.event_records(actor="split-off") == []
    ws.undo(ws.corrections()[0]["id"])
    assert snapshot(ws) == before
