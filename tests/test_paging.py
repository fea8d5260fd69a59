"""Every list pages: the Workspace readers, the CLI (--limit/--offset), the API (limit/offset
with Link and X-Total-Count headers) and the web pages (previous/next links). Pages put
together give the whole list, in the same order, with nothing twice."""

from __future__ import annotations

import warnings

import pytest

from khabar.cli import main
from khabar.schema import Actor, Assertion, Document, EventReport, Extraction
from khabar.store import Store
from khabar.store.write import write_document
from khabar.workspace import Workspace

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from khabar.web import create_app

GROUPS = [f"group-{k:02d}" for k in range(12)]


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    """40 documents: ties between the groups and the state, one event each."""
    path = tmp_path_factory.mktemp("paging") / "kb.db"
    with Store(path) as st:
        for k in range(40):
            doc_id = f"doc{k:02d}"
            g = GROUPS[k % len(GROUPS)]
            text = f"{g} attacked the state on day {k}. {g} and group-00 are allied, says report {k}."
            s1 = text.index(". ") + 1
            sents = [(0, s1), (s1 + 1, len(text))]
            ties = [Assertion(doc_id=doc_id, subject=g, type="hostile_to", object="state", sentence=text[:s1],
                              start=0, end=s1)]
            if g != "group-00":
                ties.append(Assertion(doc_id=doc_id, subject=g, type="allied_with", object="group-00",
                                      sentence=text[s1 + 1:], start=s1 + 1, end=len(text)))
            day = f"2021-{1 + k % 12:02d}-{1 + k // 12:02d}"
            event = EventReport(doc_id=doc_id, type="attack", actors=[g], targets=["state"], date=day,
                                precision="day", date_start=day, date_end=day, sentence=text[:s1], end=s1)
            actors = [Actor(id=a, name=a.replace("-", " ").title(), kind="armed_group") for a in GROUPS]
            actors.append(Actor(id="state", name="The State", kind="state"))
            ex = Extraction(doc_id=doc_id, actors=actors, mentions=[], assertions=ties, events=[event], places=[],
                            judgments=[], sentences=sents)
            write_document(st.conn, Document(id=doc_id, text=text, name=f"{doc_id}.txt", source=f"Outlet {k % 7}",
                                             published=f"2021-{1 + k % 12:02d}-15"), ex)
    return path


def _keys(ties) -> list[tuple[str, str, str]]:
    return [(t.subject, t.type, t.object) for t, _ in ties]


def test_workspace_pages_add_up_to_the_whole(kb):
    with Workspace(kb) as ws:
        ties = _keys(ws.tie_records())
        assert len(ties) == ws.count_ties() == 23
        pages = [k for off in range(0, 30, 7) for k in _keys(ws.tie_records(limit=7, offset=off))]
        assert pages == ties
        events = [e.id for e in ws.event_records()]
        assert len(events) == ws.count_events() == 40
        assert [e.id for off in range(0, 40, 9) for e in ws.event_records(limit=9, offset=off)] == events
        recent = ws.event_records(order="recent", limit=3)
        assert [e.date_end for e in recent] == sorted((e.date_end for e in ws.event_records()), reverse=True)[:3]
        assert ws.count_events(actor="group-03") == len(ws.event_records(actor="group-03")) > 0


def test_cli_pages(kb, capsys):
    assert main(["ties", "--db", str(kb), "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "(rows 1-5 of 23; next: --offset 5)" in out
    assert main(["ties", "--db", str(kb), "--limit", "5", "--offset", "20"]) == 0
    out = capsys.readouterr().out
    assert "next:" not in out and out.count("\n") == 1 + 3  # a header and three rows
    assert main(["events", "--db", str(kb), "--limit", "4", "--offset", "4"]) == 0
    assert "(rows 5-8 of 40; next: --offset 8)" in capsys.readouterr().out
    assert main(["ties", "--db", str(kb), "--limit", "-1"]) == 2
    assert "E311" in capsys.readouterr().err


@pytest.fixture(scope="module")
def client(kb):
    return TestClient(create_app(kb), base_url="http://127.0.0.1")


def test_api_pages_with_link_headers(client):
    seen = []
    url = "/api/ties?limit=10"
    while url:
        r = client.get(url)
        assert r.status_code == 200
        assert r.headers["X-Total-Count"] == "23"
        seen += [(t["subject"], t["type"], t["object"]) for t in r.json()]
        link = r.headers.get("Link")
        url = link[1:link.index(">")] if link else None
    assert len(seen) == len(set(seen)) == 23
    r = client.get("/api/events?limit=15&offset=30")
    assert len(r.json()) == 10 and r.headers["X-Total-Count"] == "40" and "Link" not in r.headers
    assert client.get("/api/events?limit=0").status_code == 422
    assert client.get("/api/documents?limit=5").headers["Link"].endswith('offset=5>; rel="next"')
    everyone = client.get("/api/actors?limit=1000").json()
    r = client.get("/api/actors?limit=4&offset=1")
    assert r.json() == everyone[1:5] and r.headers["X-Total-Count"] == str(len(everyone))


def test_web_pages_link_the_next_page(client, monkeypatch):
    import khabar.web.pages as pages

    monkeypatch.setattr(pages, "PAGE_ROWS", 15)
    html = client.get("/events").text
    assert "rows 1–15 of 40" in html and 'href="/events?offset=15" rel="next"' in html
    html = client.get("/events?offset=30&type=attack").text
    assert "rows 31–40 of 40" in html and "offset=15" in html and 'rel="next"' not in html
    monkeypatch.setattr(pages, "SECTION_ROWS", 5)
    html = client.get("/actors/group-00").text
    assert "rows 1–5 of 12" in html and "ties=5" in html  # one hostile and eleven allied ties
    html = client.get("/actors/group-00?ties=10").text
    assert "rows 11–12 of 12" in html and "ties=5" in html
    assert client.get("/documents?offset=abc").status_code == 200  # not a number: the first page


def test_search_of_a_common_word_ranks_the_latest_matches(kb, monkeypatch):
    import khabar.store.read as read
    from khabar.store import Store

    with Store(kb) as st:
        everything = read.search(st.conn, "attacked", limit=100)
        assert len(everything) == 40
        monkeypatch.setattr(read, "SEARCH_WINDOW", 10)
        latest = read.search(st.conn, "attacked", limit=100)
        assert len(latest) == 10  # only the ten newest matching sentences are ranked
        newest = {r[0] for r in st.conn.execute(
            "SELECT doc_id FROM sentences WHERE text LIKE '%attacked%' ORDER BY id DESC LIMIT 10")}
        assert {r["doc_id"] for r in latest} == newest
        assert read.search(st.conn, "attacked", limit=3, offset=3)[0] == latest[3]


def test_a_very_common_word_is_listed_newest_first(kb, monkeypatch):
    """When the window is full and the word is in more than COMMON_SHARE of the sentences around
    its latest matches, no bm25 is computed: the window's matches come newest first; below that
    share they are ranked."""
    import khabar.store.read as read
    from khabar.store import Store

    with Store(kb) as st:
        monkeypatch.setattr(read, "SEARCH_WINDOW", 10)
        order = [r[0] for r in st.conn.execute(
            "SELECT s.doc_id FROM sentences s JOIN documents d ON d.id = s.doc_id WHERE s.text LIKE '%attacked%' "
            "AND d.duplicate_of IS NULL ORDER BY s.id DESC LIMIT 10")]
        monkeypatch.setattr(read, "COMMON_SHARE", 0.0)  # every full window is "common"
        newest = read.search(st.conn, "attacked", limit=10)
        assert [h["doc_id"] for h in newest] == order
        rows, total = read.search_filtered(st.conn, '"attacked"', limit=10)
        assert [h["doc_id"] for h in rows] == order and total == 10
        monkeypatch.setattr(read, "COMMON_SHARE", 2.0)  # never common: ranked by bm25
        ranked = read.search(st.conn, "attacked", limit=10)
        assert {h["doc_id"] for h in ranked} == set(order)
