"""The correction forms of the web app (``khabar.web.correct``) and the CLI commands
(``khabar.commands.correct``), and that neither the pages showing corrections nor the
replay of the log scans a big table."""

from __future__ import annotations

import shutil
import sqlite3
import warnings

import pytest

from khabar.cli import main
from khabar.web import create_app
from khabar.workspace import Workspace
from tests.test_query_plans import _scans

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

BASE = "http://127.0.0.1"


@pytest.fixture()
def db(demo_db, tmp_path):
    path, _ = demo_db
    copy = tmp_path / "kb.db"
    shutil.copy(path, copy)
    return copy


def _doc(path) -> str:
    with sqlite3.connect(path) as c:
        return c.execute("SELECT id FROM documents WHERE duplicate_of IS NULL AND name LIKE '%kabul_airport_bombing_wire%'"
                         ).fetchone()[0]


class Client:
    def __init__(self, path) -> None:
        self.c = TestClient(create_app(path), base_url=BASE)
        self.c.get("/")
        self.csrf = self.c.cookies.get("khabar_csrf")

    def get(self, url: str):
        return self.c.get(url)

    def post(self, url: str, data: dict, csrf: str | None = None):
        return self.c.post(url, data={"csrf": csrf or self.csrf, **data}, headers={"Origin": BASE},
                           follow_redirects=False)


def test_forms_record_label_and_undo(db):
    web = Client(db)
    doc = _doc(db)
    page = web.get(f"/documents/{doc}")
    assert f'href="/correct/documents/{doc}"' in page.text  # the way in from the document
    cite = web.get(f"/correct/documents/{doc}?s=3")
    assert cite.status_code == 200 and 'stacked add-tie"' in cite.text and "Thirteen US" in cite.text

    r = web.post("/correct/actor", {"id": "abbey-gate-cell", "name": "Abbey Gate cell", "kind": "armed_group",
                                    "aliases": "the cell, AG cell", "parent": "isis-k"})
    assert (r.status_code, r.headers["location"]) == (303, "/actors/abbey-gate-cell")
    actor = web.get("/actors/abbey-gate-cell")
    assert actor.status_code == 200 and "created by an analyst" in actor.text and "AG cell" in actor.text

    r = web.post(f"/correct/documents/{doc}/tie", {"sentence": "3", "subject": "Abbey Gate cell",
                                                   "type": "affiliate_of", "object": "ISIS-K"})
    assert (r.status_code, r.headers["location"]) == (303, "/ties/abbey-gate-cell/affiliate_of/isis-k")
    tie = web.get(r.headers["location"])
    assert "analyst: added" in tie.text and "Thirteen US service members" in tie.text

    r = web.post("/correct/ties/abbey-gate-cell/affiliate_of/isis-k", {"flip": "1"})
    assert r.headers["location"] == "/ties/isis-k/affiliate_of/abbey-gate-cell"
    assert "analyst: added" in web.get(r.headers["location"]).text

    with Workspace(db) as ws:
        event = next(e for e in ws.event_records(types=["attack"]) if e.precision == "day")
    form = web.get(f"/correct/events/{event.id}")
    assert form.status_code == 200 and f'value="{event.date}"' in form.text
    r = web.post(f"/correct/events/{event.id}", {"type": event.type, "date": "2018-02-03", "precision": "",
                                                 "fatalities": "12", "actors": ", ".join(event.actors),
                                                 "targets": ", ".join(event.targets)})
    assert r.headers["location"] == "/events?type=attack&since=2018-02-03&until=2018-02-03"
    listed = web.get(r.headers["location"])
    assert "analyst: corrected" in listed.text and f"/correct/events/{event.id}" in listed.text

    r = web.post(f"/correct/documents/{doc}/event", {"sentence": "4", "type": "meeting", "date": "2018-05",
                                                     "place": "Kabul", "actors": "abbey-gate-cell"})
    assert r.status_code == 303 and "since=2018-05-01" in r.headers["location"]

    cite = web.get(f"/correct/documents/{doc}?s=3").text  # "Thirteen US service members were also killed."
    assert 'value="317:319"' in cite and "attach-mentions" in cite
    r = web.post(f"/correct/documents/{doc}/mentions", {"sentence": "3", "mentions": ["317:319"],
                                                        "into": "us-armed-forces"})
    assert r.headers["location"] == f"/correct/documents/{doc}?s=3#forms"
    with Workspace(db) as ws:
        assert ws.conn.execute('SELECT actor_id FROM mentions WHERE doc_id = ? AND "start" = 317',
                               (doc,)).fetchone()[0] == "us-armed-forces"
    r = web.post("/correct/actors/isis-k/mentions", {"surfaces": ["ISIS-K"], "into": "abbey-gate-cell"})
    assert r.headers["location"] == "/actors/abbey-gate-cell"

    with Workspace(db) as ws:
        judgment = next(j for j in ws.judgment_records() if j.get("band"))
    r = web.post(f"/correct/judgments/{judgment['id']}/not-forecast", {"next": "/judgments"})
    assert r.headers["location"] == "/judgments"
    assert "analyst: not a forecast" in web.get("/judgments").text

    log = web.get("/analyst").text
    for kind in ("add_actor", "add_tie", "edit_tie", "edit_event", "add_event", "move_mentions", "not_forecast"):
        assert kind in log
    with Workspace(db) as ws:
        ids = [a["id"] for a in ws.corrections()]
    for action in reversed(ids):
        assert web.post(f"/analyst/{action}/undo", {"next": "/analyst"}).status_code == 303
    with Workspace(db) as ws:
        assert ws.corrections() == []
        assert ws.conn.execute("SELECT COUNT(*) FROM actors WHERE id = 'abbey-gate-cell'").fetchone()[0] == 0


def test_forms_refuse(db):
    web = Client(db)
    doc = _doc(db)
    assert web.post("/correct/actor", {"id": "x-1", "name": "X", "kind": "armed_group"}, csrf="f" * 40
                    ).status_code == 403
    cases = [
        ("/correct/actor", {"id": "taliban", "name": "T", "kind": "armed_group"}, 400, "E340"),
        (f"/correct/documents/{doc}/tie", {"sentence": "3", "subject": "taliban", "type": "likes",
                                           "object": "isis-k"}, 400, "E342"),
        (f"/correct/documents/{doc}/tie", {"sentence": "", "subject": "taliban", "type": "hosts",
                                           "object": "isis-k"}, 400, "choose a sentence"),
        (f"/correct/documents/{doc}/tie", {"sentence": "3", "subject": "nobody-here", "type": "hosts",
                                           "object": "isis-k"}, 404, "E301"),
        ("/correct/events/ev-000000000000", {"date": "2020"}, 404, "no such event"),
        ("/correct/judgments/jd-000000000000/not-forecast", {}, 404, "E304"),
        ("/correct/actors/taliban/mentions", {"surfaces": ["no such name"], "into": "isis-k"}, 400, "E346"),
    ]
    for url, data, status, text in cases:
        r = web.post(url, data)
        assert (r.status_code, text in r.text) == (status, True), (url, r.status_code, r.text[-300:])
    assert web.get("/correct/documents/" + "0" * 64).status_code == 404
    with Workspace(db) as ws:
        assert ws.analyst_log() == []


def test_hostile_names_are_escaped(db):
    web = Client(db)
    r = web.post("/correct/actor", {"id": "xss-front", "name": "<script>alert(1)</script>", "kind": "other",
                                    "aliases": "<img src=x onerror=alert(2)>"})
    assert r.status_code == 303
    page = web.get("/actors/xss-front").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_cli_commands(db, capsys):
    doc = _doc(db)
    d = ["--db", str(db)]
    assert main(["actor-add", "cli-front", "CLI Front", "--alias", "CF", "--parent", "taliban", *d]) == 0
    assert main(["sentences", doc[:12], "--limit", "5", *d]) == 0
    assert "Thirteen US service members" in capsys.readouterr().out
    assert main(["tie-add", "cli-front", "hosts", "al-qaeda", "--doc", doc[:12], "--sentence", "3", *d]) == 0
    assert main(["tie-edit", "cli-front", "hosts", "al-qaeda", "--flip", *d]) == 0
    assert main(["tie-edit", "cli-front", "hosts", "al-qaeda", "--flip", *d]) == 2  # flipped already: no such tie
    assert main(["event-add", "statement", "--doc", doc, "--sentence", "2", "--date", "2021-08-30",
                 "--actor", "cli-front", *d]) == 0
    assert main(["not-forecast", "jd-000000000000", *d]) == 2
    assert main(["tie-add", "cli-front", "hosts", "al-qaeda", "--doc", "nothing", "--sentence", "3", *d]) == 2
    assert main(["mention-move", "--to", "cli-front", "--mention", "bad", *d]) == 2
    err = capsys.readouterr().err
    assert "[E307]" in err and "[E304]" in err and "[E341]" in err and "[E346]" in err
    assert main(["log", "--live", *d]) == 0
    out = capsys.readouterr().out
    assert "add_actor" in out and "edit_tie" in out and "add_event" in out
    assert main(["undo", "1", *d]) == 2  # the actor is in use
    assert "[E345]" in capsys.readouterr().err
    for n in (4, 3, 2, 1):
        assert main(["undo", str(n), *d]) == 0
    assert main(["undo", "1", *d]) == 2
    assert "[E347]" in capsys.readouterr().err


def test_pages_and_replay_read_through_indexes(db):
    """What shows corrections and what replays them plans every big table with an index."""
    doc = _doc(db)
    with Workspace(db) as ws:
        ws.add_actor("plan-front", "Plan Front", "armed_group")
        ws.move_mentions("plan-front", source="isis-k", surfaces=["ISIS-K"])
        ws.add_tie(doc, "plan-front", "hosts", "al-qaeda", sentence=3)
        event = ws.event_records(limit=1)[0]
        ws.edit_event(event.id, fatalities=4)
        ws.add_event(doc, "attack", sentence=4, date="2021-08-26", actors=["plan-front"])
        ws.not_forecast(next(j for j in ws.judgment_records() if j.get("band"))["id"])
        ws.conn.execute("ANALYZE")
        seen: list[str] = []
        ws.conn.set_trace_callback(seen.append)
        from khabar.store.corrections import replay

        replay(ws.conn)
        ws.conn.set_trace_callback(None)
    from tests.test_query_plans import statements_run

    urls = ("/actors/plan-front", "/ties/plan-front/hosts/al-qaeda", f"/correct/documents/{doc}?s=3",
            f"/correct/events/{event.id}", "/events", "/judgments", "/analyst", "/correct/actor")
    seen += statements_run(db, urls, analyze=False)
    reads = [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(reads) > 20
    conn = sqlite3.connect(db)
    bad = {sql[:160]: scans for sql in reads if (scans := _scans(conn, sql))}
    conn.close()
    assert not bad, "\n".join(f"{k}\n    {v}" for k, v in bad.items())


def test_the_api_says_who_made_the_evidence(db):
    doc = _doc(db)
    with Workspace(db) as ws:
        ws.add_tie(doc, "isis-k", "supports", "ttp", sentence=3)
    web = Client(db)
    tie = web.get("/api/ties/isis-k/supports/ttp").json()
    assert [a["made_by"] for a in tie["assertions"]] == ["analyst"]
