"""The interactive network of the web app (issue 12, part 4): ``/api/network`` (filters by tie
type, modality, window, evidence and credibility; the cap on ties; an actor's neighbourhood;
hostile names passed as data), the /network page that loads ``static/network.js`` under the
strict CSP, and the script in Debian's Chromium driven by Playwright: no CSP violation, a click
on an actor and on a tie opens its page, the filter form refetches, dragging moves an actor,
zooming changes the view, expanding an actor adds its neighbours, labels stay off the legend.

The knowledge base is hand-built (no model): five actors, one of them with a hostile name,
ties with known evidence per type, modality and date."""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette's TestClient would rather have httpx2; httpx is what is pinned
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from khabar import store
from khabar.schema import Actor, Assertion, Document, Extraction, Mention, Source
from khabar.web import create_app
from khabar.workspace import Workspace
from tests.conftest import ROOT
from tests.test_browser import SHOTS, Watch, _browser_or_skip, browser, serving  # noqa: F401  (the fixture)

BASE = "http://127.0.0.1"
HOSTILE_NAME = 'Alpha <img src=x onerror="window.__pwned=1">'
STATIC = ROOT / "src" / "khabar" / "web" / "static"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

ACTORS = {"alpha": HOSTILE_NAME, "beta": "Beta Front", "gamma": "Gamma Brigade", "delta": "Delta Movement",
          "epsilon": "Epsilon Council"}
# (subject, type, object, modality, published, source): one document and one sentence each
TIES = [
    ("alpha", "allied_with", "beta", "asserted", "2020-01-10", "Meridian Wire"),
    ("alpha", "allied_with", "beta", "asserted", "2020-02-11", "Rumour Mill"),
    ("alpha", "allied_with", "beta", "asserted", "2022-01-12", "Meridian Wire"),
    ("alpha", "hosts", "gamma", "asserted", "2022-03-01", "Meridian Wire"),
    ("alpha", "hosts", "gamma", "asserted", "2022-04-02", "Harbour Times"),
    ("beta", "hostile_to", "gamma", "negated", "2021-05-03", "Rumour Mill"),
    ("gamma", "supports", "delta", "predicted", "2023-01-04", "Rumour Mill"),
    ("delta", "allied_with", "epsilon", "asserted", "2019-06-05", "Harbour Times"),
]
WORDS = {"allied_with": "is allied with", "hosts": "hosts", "hostile_to": "is hostile to", "supports": "supports"}


def build_kb(path: Path) -> None:
    """The hand-built knowledge base: each tie row of TIES is one document of one sentence."""
    actors = [Actor(id=i, name=n, kind="armed_group") for i, n in ACTORS.items()]
    with store.Store(path) as st:
        for name, grade in (("Meridian Wire", "A"), ("Harbour Times", "B"), ("Rumour Mill", "E")):
            store.upsert_source(st.conn, Source(name=name, kind="outlet", reliability=grade))
        for n, (s, t, o, modality, published, source) in enumerate(TIES):
            words = WORDS[t] if modality != "negated" else "is not " + WORDS[t].removeprefix("is ")
            if modality == "predicted":
                words = "will likely " + words.removesuffix("s")
            sentence = f"In report {n} the {ACTORS[s]} {words} the {ACTORS[o]} near town {n}."
            doc = Document(id=hashlib.sha256(sentence.encode()).hexdigest(), text=sentence, name=f"r{n}.txt",
                           source=source, published=published, title=f"Report {n}")
            ms = sentence.index(ACTORS[s])
            mo = sentence.index(ACTORS[o], ms + len(ACTORS[s]))
            x = Extraction(doc_id=doc.id, actors=[a for a in actors if a.id in (s, o)], sentences=[(0, len(sentence))],
                           mentions=[Mention(doc.id, ms, ms + len(ACTORS[s]), ACTORS[s], s),
                                     Mention(doc.id, mo, mo + len(ACTORS[o]), ACTORS[o], o)],
                           assertions=[Assertion(doc.id, s, t, o, modality, None, sentence, 0, len(sentence),
                                                 trigger=t)])
            store.write_document(st.conn, doc, x)


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("network-ui") / "kb.db"
    build_kb(path)
    return path


@pytest.fixture()
def client(kb) -> TestClient:
    return TestClient(create_app(kb), base_url=BASE)


def _net(client: TestClient, **params) -> dict:
    r = client.get("/api/network", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def _ties(data: dict) -> dict[tuple[str, str, str], int]:
    return {(e["subject"], e["type"], e["object"]): e["evidence"] for e in data["edges"]}


# -- the API -------------------------------------------------------------------------------------------
def test_whole_network_best_evidenced_first(client):
    data = _net(client)
    assert _ties(data) == {("alpha", "allied_with", "beta"): 3, ("alpha", "hosts", "gamma"): 2,
                           ("beta", "hostile_to", "gamma"): 1, ("gamma", "supports", "delta"): 1,
                           ("delta", "allied_with", "epsilon"): 1}
    assert [e["evidence"] for e in data["edges"]] == sorted((e["evidence"] for e in data["edges"]), reverse=True)
    assert data["total"] == 5 and data["limit"] == 150 and data["actor"] is None
    assert {n["id"] for n in data["nodes"]} == set(ACTORS)
    alpha = next(n for n in data["nodes"] if n["id"] == "alpha")
    assert (alpha["ties"], alpha["evidence"], alpha["url"]) == (2, 5, "/actors/alpha")
    assert data["nodes"][0]["id"] == "alpha"  # most evidence first
    for e in data["edges"]:
        assert e["url"] == f"/ties/{e['subject']}/{e['type']}/{e['object']}"
        assert COLOUR.match(e["colour"])
    for n in data["nodes"]:
        assert COLOUR.match(n["fill"]) and n["shape"]
    hostile = next(e for e in data["edges"] if e["type"] == "hostile_to")
    assert hostile["modality"] == "negated" and hostile["symmetric"] is True
    assert next(e for e in data["edges"] if e["type"] == "hosts")["symmetric"] is False


def test_filters_type_modality_window_evidence(client):
    assert set(_ties(_net(client, type="allied_with"))) == {("alpha", "allied_with", "beta"),
                                                            ("delta", "allied_with", "epsilon")}
    assert _ties(_net(client, modality="negated")) == {("beta", "hostile_to", "gamma"): 1}
    predicted = _net(client, modality="predicted")
    assert _ties(predicted) == {("gamma", "supports", "delta"): 1}
    assert predicted["edges"][0]["modality"] == "predicted"
    assert {n["id"] for n in predicted["nodes"]} == {"gamma", "delta"}
    # evidence published in the window only; until counts its whole month
    assert _ties(_net(client, since="2022")) == {("alpha", "allied_with", "beta"): 1, ("alpha", "hosts", "gamma"): 2,
                                                 ("gamma", "supports", "delta"): 1}
    assert _ties(_net(client, until="2020-02")) == {("alpha", "allied_with", "beta"): 2,
                                                    ("delta", "allied_with", "epsilon"): 1}
    assert _ties(_net(client, since="2020", until="2020-01")) == {("alpha", "allied_with", "beta"): 1}
    assert _ties(_net(client, min_evidence=2)) == {("alpha", "allied_with", "beta"): 3, ("alpha", "hosts", "gamma"): 2}
    assert _ties(_net(client, min_evidence=2, modality="asserted", since="2022")) == {("alpha", "hosts", "gamma"): 2}
    empty = _net(client, type="endorsed")
    assert empty["edges"] == [] and empty["nodes"] == [] and empty["total"] == 0


def test_credibility_filter_keeps_the_rated_ties_that_well_or_better(client):
    everything = _net(client)["edges"]
    ratings = {(e["subject"], e["type"], e["object"]): e["credibility"] for e in everything}
    assert len(set(ratings.values())) > 1, ratings  # the sources' grades make a difference
    for best in range(1, 7):
        got = _ties(_net(client, min_credibility=best))
        assert set(got) == {k for k, r in ratings.items() if r is not None and r <= best}, best
    for e in everything:
        assert (e["credibility_label"] is None) == (e["credibility"] is None)


def test_limit_keeps_the_best_evidenced_and_counts_the_rest(client):
    data = _net(client, limit=2)
    assert _ties(data) == {("alpha", "allied_with", "beta"): 3, ("alpha", "hosts", "gamma"): 2}
    assert data["total"] == 5 and data["limit"] == 2
    assert {n["id"] for n in data["nodes"]} == {"alpha", "beta", "gamma"}  # only the actors of the ties kept


def test_an_actors_neighbourhood(client):
    data = _net(client, actor="gamma")
    assert data["actor"] == "gamma"
    assert set(_ties(data)) == {("alpha", "hosts", "gamma"), ("beta", "hostile_to", "gamma"),
                                ("gamma", "supports", "delta"), ("alpha", "allied_with", "beta")}
    assert all("gamma" in (e["subject"], e["object"]) for e in data["edges"][:3])  # its own ties first
    assert data["edges"][3]["type"] == "allied_with"
    assert {n["id"] for n in data["nodes"]} == {"alpha", "beta", "gamma", "delta"}
    two = _net(client, actor="gamma", depth=2)
    assert ("delta", "allied_with", "epsilon") in _ties(two) and len(two["edges"]) == 5
    # its own ties come first under a limit, whatever their evidence
    assert set(_ties(_net(client, actor="delta", limit=2))) == {("gamma", "supports", "delta"),
                                                                ("delta", "allied_with", "epsilon")}
    by_name = _net(client, actor="Gamma Brigade")
    assert by_name["actor"] == "gamma" and _ties(by_name) == _ties(data)
    # an actor with no tie that passes the filters is there alone
    alone = _net(client, actor="epsilon", type="hosts")
    assert alone["edges"] == [] and [n["id"] for n in alone["nodes"]] == ["epsilon"]
    assert alone["nodes"][0]["name"] == "Epsilon Council"


@pytest.mark.parametrize("params, status", [
    ({"type": "friends_with"}, 422), ({"modality": "rumoured"}, 422), ({"since": "2021-13"}, 422),
    ({"until": "yesterday"}, 422), ({"min_evidence": 0}, 422), ({"min_credibility": 7}, 422),
    ({"min_credibility": 0}, 422), ({"depth": 3}, 422), ({"limit": 0}, 422), ({"limit": 501}, 422),
    ({"actor": "no such group"}, 404), ({"actor": "x" * 201}, 422),
])
def test_bad_parameters(client, params, status):
    r = client.get("/api/network", params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json") and "detail" in r.json()


def test_the_analyst_layer_applies(kb, tmp_path):
    import shutil

    copy = tmp_path / "kb.db"
    shutil.copy(kb, copy)
    with Workspace(copy) as ws:
        ws.reject("tie:alpha|hosts|gamma")
        ws.merge_actors("epsilon", into="delta")
    data = _net(TestClient(create_app(copy), base_url=BASE))
    assert ("alpha", "hosts", "gamma") not in _ties(data)
    assert "epsilon" not in {n["id"] for n in data["nodes"]}  # merged into delta: the tie loops on one actor


def test_hostile_names_are_data_in_json_and_escaped_in_html(client):
    data = _net(client)
    assert next(n["name"] for n in data["nodes"] if n["id"] == "alpha") == HOSTILE_NAME  # the name as it is
    assert "<img" in json.dumps(data)  # JSON carries text; the script sets it with textContent
    page = client.get("/network")
    assert page.status_code == 200
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text


def test_the_page_loads_the_script_under_the_csp(client):
    page = client.get("/network")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = page.text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert '<script src="/static/network.js" defer>' in scripts
    assert all(" src=" in s for s in scripts)  # no inline script
    assert not re.search(r"<script\b[^>]*>(?!</script>)", html)  # nothing between script tags
    assert not re.search(r"\son[a-z]+=", html.split("<main>")[1].split('<div class="figure"')[0])
    assert ' style="' not in html  # style-src 'self': no style attributes
    assert 'id="network-static"' in html and "<svg" in html  # the picture for browsers without script
    assert 'id="network-app"' in html and 'id="network-filters"' in html
    assert client.get("/static/network.js").status_code == 200


def test_the_script_never_writes_markup():
    code = (STATIC / "network.js").read_text(encoding="utf-8")
    for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                   "setAttribute(\"style\"", "http://", "https://"):
        if banned == "http://":  # only the SVG namespace may be written as an address
            assert code.count("http://") == code.count("http://www.w3.org/2000/svg"), banned
            continue
        assert banned not in code, banned
    assert "textContent" in code and "requestAnimationFrame" in code


def test_the_page_filters_by_evidence_and_credibility(client):
    def rows(**params) -> int:
        html = client.get("/network", params=params).text
        return int(re.search(r"<h2>(\d+) ties</h2>", html).group(1))

    assert rows() == 5
    assert rows(min_evidence="2") == 2
    assert rows(min_evidence="junk") == 5  # ignored, as the page ignores other malformed filters
    ratings = [e["credibility"] for e in _net(client)["edges"]]
    assert rows(min_credibility="1") == sum(1 for r in ratings if r is not None and r <= 1)
    html = client.get("/network", params={"min_evidence": "2", "min_credibility": "3"}).text
    assert 'name="min_evidence" value="2"' in html and '<option value="3" selected>' in html


# -- in a browser ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(kb):
    _browser_or_skip()
    with serving(kb) as base:
        yield base


@pytest.fixture()
def page(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.watch = Watch(page, server)
    yield page
    page.close()


def _open(page, base: str, query: str = "") -> None:
    page.goto(base + "/network" + query)
    page.wait_for_selector("#network-app[data-state=settled]", timeout=20000)


def _clean(page) -> None:
    w = page.watch
    assert not w.dialogs and not w.errors and not w.outside, (w.dialogs, w.errors, w.outside)
    assert page.evaluate("window.__pwned === undefined")


def _edges(page) -> int:
    return page.locator("#network-app a.tie").count()


def _hit_point(page, selector: str) -> dict | None:
    """The screen point of the first element of ``selector`` whose middle is not covered by
    another link, with the address that element opens."""
    return page.evaluate("""(selector) => {
        for (const link of document.querySelectorAll(selector)) {
            let x, y;
            if (link.classList.contains("tie")) {
                const path = link.querySelector("path.edge");
                const p = path.getPointAtLength(path.getTotalLength() / 2);
                const m = path.getScreenCTM();
                x = m.a * p.x + m.c * p.y + m.e; y = m.b * p.x + m.d * p.y + m.f;
            } else {
                const r = link.querySelector(".shape").getBoundingClientRect();
                x = r.left + r.width / 2; y = r.top + r.height / 2;
            }
            const hit = document.elementFromPoint(x, y);
            if (hit && hit.closest("a") === link) { return {x: x, y: y, href: link.getAttribute("href")}; }
        }
        return null;
    }""", selector)


@pytest.mark.slow
def test_browser_draws_the_network_without_csp_violations(page, server):
    _open(page, server)
    assert page.locator("#network-static").is_hidden()  # replaced by the interactive figure
    assert page.locator("#network-app svg.network-canvas").is_visible()
    assert _edges(page) == 5 and page.locator("#network-app a.node").count() == 5
    # the hostile name is shown as text, nothing of it runs
    labels = page.locator("#network-app a.node text.label").all_text_contents()
    assert any(label.startswith("Alpha <img") for label in labels), labels
    assert page.locator("#network-app img").count() == 0
    # the legend is beside the drawing: no label overlaps it, zoomed or not
    for _ in range(2):
        overlap = page.evaluate("""() => {
            const legend = document.querySelector(".network-legend").getBoundingClientRect();
            const area = document.querySelector("svg.network-canvas").getBoundingClientRect();
            return [...document.querySelectorAll("svg.network-canvas text.label")].some(t => {
                const r = t.getBoundingClientRect();
                const left = Math.max(r.left, area.left), right = Math.min(r.right, area.right);
                const top = Math.max(r.top, area.top), bottom = Math.min(r.bottom, area.bottom);
                if (left >= right || top >= bottom) { return false; }  // clipped away by the drawing area
                return left < legend.right && right > legend.left && top < legend.bottom && bottom > legend.top;
            });
        }""")
        assert overlap is False
        assert page.locator(".network-legend li").count() >= 4
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "network-interactive.png"), full_page=True)
        for _ in range(4):
            page.click("button[data-zoom=in]")
    _clean(page)


@pytest.mark.slow
def test_browser_click_a_node_opens_the_actor(page, server):
    _open(page, server)
    point = _hit_point(page, "#network-app a.node")
    assert point and point["href"].startswith("/actors/")
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert page.url == server + point["href"]
    assert page.locator("h1").count() == 1
    _clean(page)


@pytest.mark.slow
def test_browser_click_an_edge_opens_the_tie(page, server):
    _open(page, server)
    point = _hit_point(page, "#network-app a.tie")
    assert point and re.match(r"^/ties/[a-z]+/[a-z_]+/[a-z]+$", point["href"])
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert page.url.split("#")[0] == server + point["href"]
    assert page.locator("blockquote.quote").count() >= 1  # the tie's evidence
    _clean(page)


@pytest.mark.slow
def test_browser_keyboard_opens_an_actor(page, server):
    _open(page, server)
    page.locator("#network-app button[data-action=expand]").focus()
    for _ in range(6):  # Tab leads from the controls to the actors (the ties are left out of the order)
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('a.node')"):
            break
    assert page.evaluate("() => document.activeElement.getAttribute('data-id')") in ACTORS
    node = page.locator("#network-app a.node[data-id=beta]")
    node.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == server + "/actors/beta"
    _clean(page)


@pytest.mark.slow
def test_browser_filter_by_type_refetches(page, server):
    _open(page, server)
    assert _edges(page) == 5
    page.select_option("#network-filters select[name=type]", "allied_with")
    page.click("#network-filters button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#network-app a.tie').length === 2")
    assert {page.locator("#network-app a.tie").nth(i).get_attribute("data-type") for i in range(2)} == {"allied_with"}
    assert "type=allied_with" in page.url and page.url.startswith(server + "/network")  # no page load: same page
    page.wait_for_function("() => document.querySelector('#network-list h2').textContent.trim() === '2 ties'")
    # the form is still usable (no field left disabled), and a window narrows again
    page.fill("#network-filters input[name=since]", "2021")
    page.click("#network-filters button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#network-app a.tie').length === 1")
    assert page.locator("#network-filters [disabled]").count() == 0
    page.fill("#network-filters input[name=since]", "")
    page.select_option("#network-filters select[name=type]", "")
    page.fill("#network-filters input[name=min_evidence]", "2")
    page.click("#network-filters button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#network-app a.tie').length === 2")
    _clean(page)
    # a date the API refuses: said in the status line, the figure stays as it was
    page.fill("#network-filters input[name=until]", "2021-13")
    page.click("#network-filters button[type=submit]")
    page.wait_for_selector("#network-app[data-state=error]")
    assert "Could not load" in page.locator(".network-status").text_content() and _edges(page) == 2
    assert all("422" in e for e in page.watch.errors), page.watch.errors  # only the refused request


@pytest.mark.slow
def test_browser_drag_a_node_moves_it(page, server):
    _open(page, server)
    node = page.locator("#network-app a.node[data-id=gamma]")
    before = node.get_attribute("transform")
    box = node.locator(".shape").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 25, steps=5)
    page.mouse.move(x + 90, y + 60, steps=5)
    page.mouse.up()
    page.wait_for_selector("#network-app[data-state=settled]", timeout=20000)
    after = node.locator(".shape").bounding_box()
    assert node.get_attribute("transform") != before
    assert abs(after["x"] + after["width"] / 2 - (x + 90)) < 6 and abs(after["y"] + after["height"] / 2 - (y + 60)) < 6
    assert page.url == server + "/network"  # the drag opened nothing
    # and dragging the background pans the whole view
    view = page.locator("#network-app g.network-viewport").get_attribute("transform")
    area = page.locator("svg.network-canvas").bounding_box()
    page.mouse.move(area["x"] + 8, area["y"] + 8)
    page.mouse.down()
    page.mouse.move(area["x"] + 60, area["y"] + 40, steps=4)
    page.mouse.up()
    assert page.locator("#network-app g.network-viewport").get_attribute("transform") != view
    _clean(page)


@pytest.mark.slow
def test_browser_zoom_changes_the_transform(page, server):
    _open(page, server)
    view = page.locator("#network-app g.network-viewport")
    scale = lambda: float(re.search(r"scale\(([0-9.]+)\)", view.get_attribute("transform")).group(1))  # noqa: E731
    k0 = scale()
    page.click("button[data-zoom=in]")
    assert scale() == pytest.approx(k0 * 1.25, rel=1e-3)
    page.click("button[data-zoom=out]")
    page.click("button[data-zoom=out]")
    assert scale() < k0
    area = page.locator("svg.network-canvas").bounding_box()
    page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    k1 = scale()
    page.mouse.wheel(0, -200)
    page.wait_for_function(f"() => !document.querySelector('g.network-viewport').getAttribute('transform')"
                           f".includes('scale({k1:.4f})')")
    assert scale() > k1
    _clean(page)


@pytest.mark.slow
def test_browser_expand_adds_an_actors_neighbours(page, server):
    _open(page, server, "?limit=2")  # the two best-evidenced ties: alpha-beta, alpha-gamma
    assert _edges(page) == 2 and page.locator("#network-app a.node").count() == 3
    page.select_option("#network-app select.network-expand", "gamma")
    page.click("#network-app button[data-action=expand]")
    page.wait_for_function("() => document.querySelectorAll('#network-app a.tie').length === 4")
    assert page.locator("#network-app a.node[data-id=delta]").count() == 1
    # from the keyboard: + on a focused actor
    page.locator("#network-app a.node[data-id=delta]").focus()
    page.keyboard.press("+")
    page.wait_for_function("() => document.querySelectorAll('#network-app a.tie').length === 5")
    assert page.locator("#network-app a.node").count() == 5
    _clean(page)


def test_network_reads_scan_no_big_table(kb, tmp_path):
    """Every statement /api/network and /network run is planned with an index on the big tables
    (as tests/test_query_plans.py checks the other pages), the window and modality filters too."""
    import shutil
    import sqlite3

    from tests.test_query_plans import _scans, statements_run

    copy = tmp_path / "kb.db"
    shutil.copy(kb, copy)
    seen = statements_run(copy, ["/api/network", "/api/network?since=2021&until=2022-06&modality=asserted",
                    "/api/network?actor=gamma&depth=2&min_credibility=5", "/api/network?type=hosts&min_evidence=2",
                    "/network?min_evidence=2&since=2020"], base_url=BASE)
    reads = [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert any("assertions" in s for s in reads)  # the window was counted in SQL
    conn = sqlite3.connect(copy)
    bad = {s[:160]: _scans(conn, s) for s in reads if _scans(conn, s)}
    conn.close()
    assert not bad, bad


@pytest.mark.slow
def test_browser_without_script_sees_the_static_figure(server, browser):  # noqa: F811
    page = browser.new_page(java_script_enabled=False)
    page.goto(server + "/network?type=allied_with")
    assert page.locator("#network-static svg.khabar-network").is_visible()
    assert page.locator("#network-static path.edge").count() == 2  # the filters apply to it too
    assert page.locator("#network-app").is_hidden()
    page.close()
