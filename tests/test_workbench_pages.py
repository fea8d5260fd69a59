"""Pages an analyst can work in (issue 12, part 5): sorting and filters on every list, exports,
search that expands an actor's names with facets, the document's side panel, 404 pages that
suggest, names where ids go, the brief's folding sections and analyst marks, and a map that
never stripes the world nor zooms to an empty square. Browser tests at the end ("/" focuses
search; sorting a list by a column) drive Debian's Chromium through Playwright."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from khabar import store
from khabar.errors import KhabarError
from khabar.schema import Actor, Assertion, Document, EventReport, Extraction, Judgment, Mention, Source
from khabar.web import create_app

BASE = "http://127.0.0.1"

# (source, published, text, the actor each name mentions); ISIS-K goes by several names here.
DOCS = [
    ("Alpha Wire", "2021-03-02", "ISIS-K attacked a checkpoint in Jalalabad. The Taliban condemned ISIS-K.",
     [("ISIS-K", "isis-k"), ("Taliban", "taliban")]),
    ("Beta Post", "2022-05-10", "Islamic State Khorasan claimed the blast. Officials blamed the group.",
     [("Islamic State Khorasan", "isis-k")]),
    ("Beta Post", "2022-07-01", "The Taliban hosted al-Qaeda leaders in Kabul, officials said.",
     [("Taliban", "taliban"), ("al-Qaeda", "al-qaeda")]),
    ("Gamma Review", "2023-01-15", "Analysts said al-Qaeda will likely stay allied with the Taliban.",
     [("al-Qaeda", "al-qaeda"), ("Taliban", "taliban")]),
    ("Alpha Wire", "2023-09-09", "A spokesman said ISKP would be defeated. Nobody else spoke.",
     [("ISKP", "isis-k")]),
]
ACTORS = [Actor(id="isis-k", name="Islamic State Khorasan Province", kind="armed_group",
                aliases=["ISKP", "ISIS-K", "Islamic State Khorasan", 'IS "Khorasan"']),
          Actor(id="taliban", name="Taliban", kind="armed_group", aliases=["Taleban"]),
          Actor(id="al-qaeda", name="al-Qaeda", kind="armed_group", aliases=["AQ"])]


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _build(path) -> dict[str, str]:
    ids = {}
    with store.Store(path) as st:
        for name, grade in (("Alpha Wire", "B"), ("Beta Post", "C"), ("Gamma Review", "A")):
            store.upsert_source(st.conn, Source(name=name, kind="outlet", reliability=grade))
        for k, (source, published, text, names) in enumerate(DOCS):
            doc = Document(id=hashlib.sha256(text.encode()).hexdigest(), text=text, name=f"d{k}.txt", source=source,
                           published=published, title=f"Report {k}")
            ids[f"d{k}"] = doc.id
            first = text.index(".") + 1
            sentences = [(0, first), (first + 1, len(text))] if first < len(text) else [(0, len(text))]
            mentions = [Mention(doc.id, *_span(text, surface), surface, actor) for surface, actor in names]
            x = Extraction(doc_id=doc.id, actors=ACTORS, sentences=sentences, mentions=mentions, places=[],
                           assertions=[], events=[], judgments=[])
            if k == 0:
                x.events = [EventReport(doc_id=doc.id, type="attack", actors=["isis-k"], date=published,
                                        precision="day", date_start=published, date_end=published,
                                        sentence=text[:first], start=0, end=first, trigger="attacked",
                                        country="AF", lat=34.43, lon=70.45, geo_precision=2, location="Jalalabad")]
            if k == 2:
                x.assertions = [Assertion(doc.id, "taliban", "hosts", "al-qaeda", "asserted", None, text, 0, len(text),
                                          trigger="hosted")]
                x.events = [EventReport(doc_id=doc.id, type="meeting", actors=["taliban", "al-qaeda"], date=published,
                                        precision="day", date_start=published, date_end=published, sentence=text,
                                        start=0, end=len(text), trigger="hosted")]
            if k == 3:
                x.assertions = [Assertion(doc.id, "al-qaeda", "allied_with", "taliban", "predicted", "Analysts", text,
                                          0, len(text), trigger="allied")]
                x.judgments = [Judgment(doc_id=doc.id, speaker="Analysts", text=text, start=0, end=len(text),
                                        about=["al-qaeda"], estimate="likely", band="likely", low=0.55, high=0.8,
                                        due="2024-01-01")]
            if k == 4:
                x.judgments = [Judgment(doc_id=doc.id, speaker="A spokesman", text=text[:first], start=0, end=first,
                                        about=["isis-k"], estimate="would", due="2023-12-31")]
            store.write_document(st.conn, doc, x)
    return ids


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("workbench") / "kb.db"
    return path, _build(path)


@pytest.fixture(scope="module")
def client(kb):
    return TestClient(create_app(kb[0]), base_url=BASE)


def _names_in_table(html: str) -> list[str]:
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return re.findall(r'<td><a href="/actors/[^"]+">([^<]+)</a>', body)


# -- sorting ------------------------------------------------------------------------------------------------
def test_sort_terms_are_whitelisted():
    from khabar.store.read import JUDGMENT_SORTS, sort_terms

    assert sort_terms("due", JUDGMENT_SORTS, "published") == "j.due, j.rowid"
    assert sort_terms("-due", JUDGMENT_SORTS, "published") == "j.due DESC, j.rowid DESC"
    assert sort_terms(None, JUDGMENT_SORTS, "published").startswith("d.published IS NULL")
    for bad in ("j.due; DROP TABLE judgments", "due--", "--due", "rowid"):
        with pytest.raises(KhabarError) as err:
            sort_terms(bad, JUDGMENT_SORTS, "published")
        assert err.value.code == "E350"


def test_actors_sort_by_a_column_with_aria_sort(client):
    html = client.get("/actors?sort=name").text
    names = _names_in_table(html)
    assert names == sorted(names, key=str.casefold) and len(names) == 3
    assert re.search(r'<th class="sortable" aria-sort="ascending"><a href="/actors\?sort=-name">actor', html)
    assert _names_in_table(client.get("/actors?sort=-name").text) == names[::-1]
    assert 'aria-sort="descending"' in client.get("/actors?sort=-name").text
    # an unknown key is the default order, never an error or SQL
    assert _names_in_table(client.get("/actors?sort=name;drop").text) == _names_in_table(client.get("/actors").text)
    # the header links keep the filters and start again at the first row
    html = client.get("/actors?kind=armed_group&offset=100&sort=name").text
    assert 'href="/actors?kind=armed_group&amp;sort=-name"' in html


def _traced(kb_path, fn):
    """The SELECT statements ``fn(conn)`` runs."""
    seen: list[str] = []
    conn = store.connect(kb_path)
    conn.set_trace_callback(seen.append)
    try:
        fn(conn)
    finally:
        conn.set_trace_callback(None)
    return conn, [s for s in seen if s.lstrip().upper().startswith("SELECT")]


@pytest.mark.parametrize("order", ["start", "-start", "type", "-type"])
def test_event_sorts_read_an_index_in_order(kb, order):
    from khabar.store.events import select_events

    conn, sqls = _traced(kb[0], lambda c: select_events(c, order=order, limit=10))
    plan = " | ".join(r[3] for s in sqls for r in conn.execute("EXPLAIN QUERY PLAN " + s))
    assert "USING INDEX" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("order", ["due", "-due", "speaker", "-speaker"])
def test_judgment_sorts_read_an_index_in_order(kb, order):
    conn, sqls = _traced(kb[0], lambda c: store.judgments(c, order=order, limit=10))
    sql = next(s for s in sqls if "FROM judgments" in s)
    plan = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert ("judgments_due" if "due" in order else "judgments_speaker") in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_lists_sort_in_sql(client, kb):
    html = client.get("/judgments?sort=due").text
    dues = re.findall(r'<span class="due">due (\d{4}-\d\d-\d\d)</span>', html)
    assert dues == ["2023-12-31", "2024-01-01"]
    assert re.findall(r'<span class="due">due ([\d-]+)</span>', client.get("/judgments?sort=-due").text) == dues[::-1]
    assert 'aria-current="true" class="current">due date ▲' in html
    speakers = re.findall(r'<p class="jhead"><strong>([^<]+)</strong>', client.get("/judgments?sort=-speaker").text)
    assert speakers == sorted(speakers, reverse=True)
    types = re.findall(r'class="evtype ev-(\w+)"', client.get("/events?sort=type").text)
    assert types == ["attack", "meeting"]
    assert re.findall(r'class="evtype ev-(\w+)"', client.get("/events?sort=-type").text) == ["meeting", "attack"]
    dates = re.findall(r'<td class="nowrap">(\d{4}-\d\d-\d\d)', client.get("/documents?sort=-published").text)
    assert dates == sorted(dates, reverse=True) and len(dates) == len(DOCS)
    sources = re.findall(r'</td>\s*<td>([A-Z][a-z]+ [A-Z][a-z]+)</td>\s*<td class="num">',
                         client.get("/documents?sort=-source").text)
    assert sources == sorted(sources, reverse=True) and len(sources) == len(DOCS)
    counted = re.findall(r'<tr>\s*<td>([^<]+)</td><td>outlet</td><td class="num">(\d+)</td>',
                         client.get("/sources?sort=-documents").text)
    assert [int(n) for _, n in counted] == [2, 2, 1] and counted[-1][0] == "Gamma Review"


def test_actor_page_sorts_its_ties(client):
    html = client.get("/actors/taliban?tsort=-last_seen").text
    assert 'href="/actors/taliban?tsort=last_seen"' in html  # the reverse, a click away
    assert 'aria-current="true" class="current">last seen ▼' in html


# -- filters ------------------------------------------------------------------------------------------------
def test_documents_filter_by_source(client):
    html = client.get("/documents?source=Beta%20Post").text
    assert "2 documents from Beta Post" in html
    assert len(re.findall(r'<td class="nowrap">', html)) == 2
    assert '<option value="Beta Post" selected>' in html


def test_sources_filter_by_grade_and_kind(client):
    html = client.get("/sources?grade=C").text
    assert re.findall(r"<tr>\s*<td>([^<]+)</td><td>outlet</td>", html) == ["Beta Post"]
    assert '<option value="C" selected>' in html
    assert "<td>Beta Post</td>" not in client.get("/sources?kind=agency").text


def test_actor_page_filters_its_ties_by_type(client):
    html = client.get("/actors/taliban?ttype=hosts").text
    assert re.findall(r'<h3><span class="tietype t-(\w+)">', html) == ["hosts"]
    assert "/export/csv?table=ties&amp;actor=taliban&amp;type=hosts" in html
    assert re.findall(r'<h3><span class="tietype t-(\w+)">', client.get("/actors/taliban").text) == [
        "allied_with", "hosts"]


def test_filter_forms_are_get_forms(client):
    for url in ("/actors", "/actors/taliban", "/events", "/judgments", "/documents", "/sources", "/search?q=Taliban"):
        assert re.search(r'<form class="filters" method="get"', client.get(url).text), url


# -- exports ------------------------------------------------------------------------------------------------
def test_export_links_carry_the_filters(client):
    html = client.get("/events?type=attack&offset=0&sort=type").text
    links = re.findall(r'<a class="export" href="([^"]+)"', html)
    assert "/export/csv?table=events&amp;type=attack" in links
    assert "/export/stix?type=attack" in links and "/export/acled-csv?type=attack" in links
    assert all("sort=" not in x and "offset=" not in x for x in links)
    html = client.get("/actors/taliban").text
    assert "/export/csv?table=ties&amp;actor=taliban" in html
    assert "/export/graphml" in client.get("/network").text


def test_exports_have_headers_and_the_filtered_rows(client):
    r = client.get("/export/csv?table=events&actor=ISKP")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="khabar-events.csv"'
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["type"] for row in rows] == ["attack"] and json.loads(rows[0]["actors"]) == ["isis-k"]
    r = client.get("/export/json?table=actors&q=qaeda")
    assert r.headers["content-disposition"].endswith('filename="khabar-actors.json"')
    assert [a["id"] for a in r.json()] == ["al-qaeda"]
    r = client.get("/export/json?table=ties&type=hosts")
    assert [(t["subject"], t["object"]) for t in r.json()] == [("taliban", "al-qaeda")]
    assert r.json()[0]["evidence_sentences"][0]["text"].startswith("The Taliban hosted")
    r = client.get("/export/csv?table=documents&source=Alpha%20Wire")
    assert sorted(row["source"] for row in csv.DictReader(io.StringIO(r.text))) == ["Alpha Wire", "Alpha Wire"]
    r = client.get("/export/csv?table=judgments&speaker=analysts")
    assert [row["speaker"] for row in csv.DictReader(io.StringIO(r.text))] == ["Analysts"]


@pytest.mark.parametrize("fmt, name, marker", [("graphml", "khabar.graphml", "<graphml"),
                                                ("gexf", "khabar.gexf", "<gexf"),
                                                ("jsonl", "khabar.jsonl", '"kind"'),
                                                ("acled-csv", "events.csv", "event_date")])
def test_khabar_export_formats_download(client, fmt, name, marker):
    r = client.get(f"/export/{fmt}")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert marker in r.text


def test_exports_refuse_bad_requests(client):
    assert client.get("/export/exe").status_code == 404
    assert client.get("/export/csv?table=secrets").status_code == 400
    assert client.get("/export/csv?table=events&since=2021-13").status_code == 400
    r = client.get("/export/csv?table=events&actor=nobody-at-all")
    assert r.status_code == 404


# -- search -------------------------------------------------------------------------------------------------
def _found(html: str) -> int:
    m = re.search(r"<p>(\d+) sentences match", html)
    return int(m.group(1)) if m else 0


def test_search_expands_an_actors_names(client):
    html = client.get("/search?q=ISKP").text
    assert _found(html) == 4  # ISIS-K twice, "Islamic State Khorasan", ISKP
    assert "<mark>ISIS</mark>" in html or "<mark>ISIS-K</mark>" in html
    assert "also matched as" in html
    assert _found(client.get("/search?q=ISKP&exact=1").text) == 1
    # a word of a longer query that names an actor is expanded, the others kept
    assert _found(client.get("/search?q=Taleban%20Kabul").text) == 1
    assert _found(client.get("/search?q=ISKP%20nothing-like-this").text) == 0


def test_expand_names_quotes_every_name():
    from khabar.store.read import expand_names

    actor = {"id": "x", "name": 'A "B" C', "aliases": ["OR", "NEAR(", "*"], "surfaces": ["the group", "Kabul"],
             "listed": True}
    match, expanded = expand_names("NEAR(", lambda t: actor)
    assert match == '("NEAR(" OR "A B C" OR "x" OR "OR")'  # every name quoted: no FTS syntax gets through
    assert expanded == [('A "B" C', ["NEAR(", "A B C", "x", "OR"])]
    # a word the documents once used for an actor is no name of it: searched as typed
    assert expand_names('"the group"', lambda t: actor) == ('"the group"', [])
    assert expand_names("Kabul attack", lambda t: actor) == ('"Kabul" AND "attack"', [])
    assert expand_names("OR attack", lambda t: actor if t == "OR" else None)[0] == (
        '("OR" OR "A B C" OR "x" OR "NEAR(") AND "attack"')
    unlisted = {**actor, "listed": False, "aliases": [], "surfaces": ["they", "Its", "Group Seven", "g7"]}
    match, _ = expand_names("group seven", lambda t: unlisted)
    assert match == '("group seven" OR "A B C" OR "x")'  # its capitalised names, no pronoun, no lowercase word
    assert expand_names("they", lambda t: unlisted) == ('"they"', [])


def test_search_facets_count_and_filter(client):
    html = client.get("/search?q=ISKP").text
    facet = lambda name: re.findall(  # noqa: E731
        rf'data-facet="{name}">.*?</section>', html, re.S)[0]
    sources = dict(re.findall(r'>([^<>]+)</a> <span class="count">(\d+)</span>', facet("source")))
    assert sources == {"Alpha Wire": "3", "Beta Post": "1"}
    years = dict(re.findall(r'>(\d{4})</a> <span class="count">(\d+)</span>', facet("year")))
    assert years == {"2021": "2", "2022": "1", "2023": "1"}
    actors = dict(re.findall(r'>([^<>]+)</a> <span class="count">(\d+)</span>', facet("actor")))
    assert actors["Islamic State Khorasan Province"] == "3" and actors["Taliban"] == "1"  # sentences naming them
    assert _found(client.get("/search?q=ISKP&source=Beta%20Post").text) == 1
    assert _found(client.get("/search?q=ISKP&year=2021").text) == 2
    narrowed = client.get("/search?q=ISKP&actor=taliban").text
    assert _found(narrowed) == 1 and "The Taliban condemned" in narrowed.replace("<mark>", "").replace("</mark>", "")
    assert "no actor called" in client.get("/search?q=ISKP&actor=zzzz").text


def test_search_facets_are_counted_in_sql_over_the_window(kb):
    from khabar.store import read

    conn = store.connect(kb[0])
    facets = read.search_facets(conn, '"Taliban"')
    assert facets["source"] == [("Alpha Wire", "Alpha Wire", 1), ("Beta Post", "Beta Post", 1),
                                ("Gamma Review", "Gamma Review", 1)]
    hits, total = read.search_filtered(conn, '"Taliban"', 10, 0, order="-published")
    assert total == 3 and [h["published"] for h in hits] == ["2023-01-15", "2022-07-01", "2021-03-02"]


def test_search_sorts_by_date(client):
    html = client.get("/search?q=ISKP&sort=-published").text
    dates = re.findall(r"· (\d{4}-\d\d-\d\d)", html)
    assert dates == sorted(dates, reverse=True) and len(dates) == 4


# -- the document page --------------------------------------------------------------------------------------
def test_document_side_panel(client, kb):
    html = client.get(f"/documents/{kb[1]['d2']}").text
    panel = html[html.index('<aside class="doc-panel"'):html.index("</aside>")]
    assert '<a href="/actors/taliban">Taliban</a> <span class="count" title="mentions">1</span>' in panel
    assert "Taliban <span class=\"tietype\">hosts</span> al-Qaeda" in panel
    assert 'class="evtype ev-meeting">meeting</span> 2022-07-01' in panel
    assert f"/documents/{kb[1]['d2']}?s=0&amp;e=" in panel
    html = client.get(f"/documents/{kb[1]['d3']}").text
    panel = html[html.index('<aside class="doc-panel"'):html.index("</aside>")]
    assert "Analysts</a>: likely · due 2024-01-01" in panel


# -- 404s and names where ids go ----------------------------------------------------------------------------
def test_names_are_accepted_where_ids_are(client):
    r = client.get("/actors/ISKP", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/actors/isis-k"
    r = client.get("/actors/Taleban?tsort=evidence", follow_redirects=False)
    assert r.headers["location"] == "/actors/taliban?tsort=evidence"
    assert client.get("/actors/Islamic%20State%20Khorasan").url.path == "/actors/isis-k"
    r = client.get("/ties/Taliban/hosts/AQ", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ties/taliban/hosts/al-qaeda"
    assert client.get("/api/actors/ISKP").json()["id"] == "isis-k"


def test_404_pages_suggest_close_names(client):
    r = client.get("/actors/Talibn")
    assert r.status_code == 404
    assert '<a href="/actors/Taliban">Taliban</a>' in r.text and "Did you mean" in r.text
    r = client.get("/actors/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert r.status_code == 404 and "<script>alert" not in r.text
    r = client.get("/api/actors/Talibn")
    assert r.status_code == 404 and "did you mean 'Taliban'" in r.json()["detail"]
    assert client.get("/actors/" + "x" * 500).status_code == 404


# -- the brief ----------------------------------------------------------------------------------------------
def test_collapsible_wraps_top_level_sections_only():
    from khabar.present.brief import collapsible

    html = ('<section id="a"><h2>A</h2><p>x</p><section class="in"><h3>n</h3></section></section>'
            '<section id="b"><p>no heading</p></section>')
    assert collapsible(html) == ('<section id="a"><details class="fold" open><summary><h2>A</h2></summary><p>x</p>'
                                 '<section class="in"><h3>n</h3></section></details></section>'
                                 '<section id="b"><p>no heading</p></section>')


def test_brief_folds_and_marks_what_an_analyst_confirmed(kb, tmp_path):
    import shutil

    from khabar.present.brief import render_html
    from khabar.workspace import Workspace

    path = tmp_path / "kb.db"
    shutil.copy(kb[0], path)
    with Workspace(path) as ws:
        before = render_html(ws.brief_data())
        assert "analyst confirmed" not in before
        ws.confirm("tie:taliban|hosts|al-qaeda")
        html = render_html(ws.brief_data())
    assert html.count('<details class="fold" open><summary><h2>') == html.count("<h2>") > 3
    assert html.count("<details") == html.count("</details>")
    tie = re.search(r'<article class="tie confirmed"><h4>Taliban → al-Qaeda</h4><p class="stats">(.*?)</p>', html)
    assert tie and "✓ analyst confirmed" in tie.group(1)
    assert "<script" not in html


# -- the map ------------------------------------------------------------------------------------------------
def _stripes(svg: str) -> list:
    """Edges of country outlines that run more than a third of the map across its inside (not
    along its frame, where clipping puts long edges): what an unwrapped antimeridian draws."""
    w, h = map(float, re.search(r'clipPath id="khabar-map-clip"><rect x="0" y="0" width="(\d+)" height="(\d+)"',
                                svg).groups())
    out = []
    for d in re.findall(r'<path class="country" d="([^"]+)"', svg):
        for sub in d.split("M")[1:]:
            pts = [tuple(map(float, xy.split(","))) for xy in re.findall(r"-?[\d.]+,-?[\d.]+", sub)]
            for a, b in zip(pts, pts[1:] + pts[:1], strict=True):
                on_frame = all(p[1] < 0 or p[1] > h for p in (a, b)) or all(p[0] < 0 or p[0] > w for p in (a, b))
                if abs(a[0] - b[0]) > w / 3 and not on_frame:
                    out.append((a, b))
    return out


@pytest.mark.parametrize("events", [
    [{"type": "attack", "lat": 66.0, "lon": 178.0, "country": "RU"}],
    [{"type": "attack", "lat": -18.1, "lon": 178.4, "country": "FJ"},
     {"type": "attack", "lat": -16.8, "lon": -179.9, "country": "FJ"}],
    [{"type": "attack", "lat": 34.5, "lon": 69.2, "country": "AF"}, {"type": "attack", "lat": 38.9, "lon": -77.0},
     {"type": "attack", "lat": 64.7, "lon": 177.5, "country": "RU"}],
])
def test_the_map_never_draws_stripes_across_the_world(events):
    from khabar.present.geomap import event_map_svg

    svg = event_map_svg(events)
    assert 'class="country"' in svg and not _stripes(svg)


def test_outline_rings_are_unwrapped_across_the_antimeridian():
    from khabar.present.geomap import _countries, unwrap_ring

    ring = [(178.0, 60.0), (179.9, 61.0), (-179.9, 62.0), (-178.0, 61.0), (179.0, 59.0)]
    out = unwrap_ring(ring)
    assert out[:4] == [(178.0, 60.0), (179.9, 61.0), (180.1, 62.0), (182.0, 61.0)] and out[4] == (179.0, 59.0)
    assert all(abs(b[0] - a[0]) < 180 for a, b in zip(out, out[1:] + out[:1], strict=True))
    polar = [(-180.0 + 30 * k, -70.0) for k in range(12)]  # once around the south pole
    closed = unwrap_ring(polar)
    assert closed[-2:] == [(closed[-3][0], -90.0), (-180.0, -90.0)]
    bad = _countries({"XX": {"name": "X", "rings": [[[0, 0], [1, "nan"], [2, 95], [1, 1]], [[5, 5], [6, 6]]]}})
    assert bad == {}  # rings left with fewer than 3 valid points are dropped, and the country with them


def test_a_one_event_map_shows_its_region():
    from khabar.present.geomap import MIN_EXTENT, _default_countries, event_map_svg, map_frame

    countries = _default_countries()
    so = countries["SO"]["bbox"]
    west, south, east, north = map_frame([(45.3, 2.04)], countries, ["SO"])
    assert west <= so[0] and east >= so[2] and south <= so[1] and north >= so[3]  # the whole of Somalia
    assert east - west >= MIN_EXTENT[0] and north - south >= MIN_EXTENT[1]
    # a country too large to be "the region" does not zoom the map out to it; a wrong code does not stretch it
    west, south, east, north = map_frame([(100.0, 60.0)], countries, ["RU"])
    assert east - west < 30
    assert map_frame([(45.3, 2.04)], countries, ["BR"]) == map_frame([(45.3, 2.04)], countries, [])
    svg = event_map_svg([{"type": "attack", "lat": 2.04, "lon": 45.3, "country": "SO"}])
    assert "<title>Somalia</title>" in svg and 'data-events="1"' in svg
    # 0, 0 is a missing position written as zeros, not an event in the Gulf of Guinea
    assert "No event has coordinates" in event_map_svg([{"type": "attack", "lat": 0, "lon": 0}])


# -- in a browser -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(kb, tmp_path_factory):
    from tests.test_browser import serving

    with serving(kb[0]) as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    from tests.test_browser import CHROMIUM, _browser_or_skip

    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.mark.slow
def test_sort_a_list_by_a_column_in_a_browser(served, chromium):
    from tests.test_browser import Watch

    page = chromium.new_page()
    watch = Watch(page, served)
    page.goto(served + "/actors")
    page.click('th[aria-sort] a:has-text("actor")')
    page.wait_for_url("**/actors?sort=name")
    cells = page.locator("table.data tbody tr td:first-child a").all_inner_texts()
    assert cells == sorted(cells, key=str.casefold) and len(cells) == 3
    assert page.get_attribute('th:has(a:has-text("actor"))', "aria-sort") == "ascending"
    page.click('th[aria-sort] a:has-text("actor")')
    page.wait_for_url("**/actors?sort=-name")
    assert page.locator("table.data tbody tr td:first-child a").all_inner_texts() == cells[::-1]
    assert page.get_attribute('th:has(a:has-text("actor"))', "aria-sort") == "descending"
    page.goto(served + "/events")
    page.click('th[aria-sort] a:has-text("type")')
    page.wait_for_url("**/events?sort=type")
    assert page.locator("table.data span.evtype").all_inner_texts() == ["attack", "meeting"]
    assert not watch.errors and not watch.dialogs and not watch.outside
    page.close()


@pytest.mark.slow
def test_slash_focuses_search_in_a_browser(served, chromium):
    from tests.test_browser import Watch

    page = chromium.new_page()
    watch = Watch(page, served)
    page.goto(served + "/events")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "search"
    assert page.input_value('header.top input[name="q"]') == ""  # the "/" is not typed into it
    page.keyboard.type("ISKP")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=ISKP")
    assert "4 sentences match" in page.inner_text("main")
    # typing "/" in a field is a character, not a jump to search
    page.goto(served + "/events")
    page.click('input[name="since"]')
    page.keyboard.type("2021/")
    assert page.input_value('input[name="since"]') == "2021/"
    assert page.evaluate("document.activeElement.name") == "since"
    assert not watch.errors and not watch.dialogs and not watch.outside
    page.close()


def test_app_js_binds_slash_without_inline_script(client):
    js = client.get("/static/app.js").text
    assert 'event.key !== "/"' in js and "isContentEditable" in js
    assert "<script>" not in client.get("/actors").text.replace('<script src="/static/app.js" defer></script>', "")


def test_sorts_and_facets_leave_no_scan(kb):
    """The statements behind the sorted and faceted pages, planned: no big table read whole
    (an index read in order, or a search by key)."""
    big = ("mentions", "sentences", "assertions", "event_reports", "events", "judgments")
    from tests.test_query_plans import statements_run

    urls = ("/events?sort=-type", "/judgments?sort=-due", "/documents?sort=source",
            "/search?q=ISKP&year=2021&actor=taliban&sort=-published", "/actors/taliban?tsort=-last_seen")
    seen = statements_run(kb[0], urls, base_url=BASE)
    conn = sqlite3.connect(kb[0])
    aliases = {"e": "events", "j": "judgments", "s": "sentences", "m": "mentions", "r": "event_reports",
               "x": "assertions"}
    bad = []
    for sql in {s for s in seen if s.lstrip().upper().startswith("SELECT")}:
        try:
            plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        except sqlite3.Error:
            continue
        for step in plan:
            m = re.match(r"^SCAN (\w+)(?: AS (\w+))?( USING (?:COVERING )?INDEX \w+)?$", step.strip())
            if not m:
                continue
            table = aliases.get(m.group(1), m.group(1))
            # reading an index in order under a LIMIT is a page, not a scan; a plain SCAN of a big table is
            if table in big and (not m.group(3) or "LIMIT" not in sql.upper()):
                bad.append((sql[:140], step))
    assert not bad, bad
