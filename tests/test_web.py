"""``khabar serve``: pages, the read API, the analyst's forms and the app's defences (no browser)."""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import re
import threading
import time
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette's TestClient would rather have httpx2; httpx is what is pinned
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from khabar import store
from khabar.cli import main
from khabar.schema import (
    Actor,
    Assertion,
    Document,
    EventReport,
    Extraction,
    Judgment,
    Mention,
    PlaceMention,
    Source,
)
from khabar.web import create_app
from khabar.web.security import CSP

BASE = "http://127.0.0.1"
ORIGIN = {"Origin": BASE}
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    '<iframe src="https://evil.example/"></iframe>',
]


# -- a small knowledge base full of hostile text, written without the model -----------------------------------
def _doc(text: str, **meta) -> Document:
    return Document(id=hashlib.sha256(text.encode()).hexdigest(), text=text, **meta)


def _span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def _write_hostile(path: Path) -> dict[str, str]:
    s1 = "Evil Group <script>alert(1)</script> is allied with the Taliban in Kabul."
    s2 = 'They met <img src=x onerror=alert(1)> near <a href="javascript:alert(1)">click</a> the border.'
    s3 = 'The monitor <iframe src="https://evil.example/"></iframe> says Evil Group will likely attack by 2024.'
    text1 = " ".join([s1, s2, s3])
    text2 = "The Taliban denied that Evil Group is allied with the Taliban. Nobody else spoke."
    d1 = _doc(text1, name="evil<b>1</b>.txt", source="<script>alert('source')</script>", url="javascript:alert(1)",
              title="<script>alert('title')</script> Evil report", published="2024-01-05")
    d2 = _doc(text2, name="calm.txt", source="Meridian Wire", url="https://example.org/calm?a=1&b=2",
              title="A calm report", published="2024-02-01")
    actors = [Actor(id="evil-group", name="Evil <b>Group</b>", kind="armed_group", aliases=["<i>EG</i>"]),
              Actor(id="taliban", name="Taliban", kind="armed_group"),
              Actor(id="other-group", name="Other Group", kind="armed_group")]
    s1_span, s3_span = _span(text1, s1), _span(text1, s3)
    eg1, tal1 = _span(text1, "Evil Group"), _span(text1, "Taliban")
    eg3 = _span(text1, "Evil Group", s3_span[0])
    kabul = _span(text1, "Kabul")
    x1 = Extraction(
        doc_id=d1.id, actors=actors,
        sentences=[s1_span, _span(text1, s2), s3_span],
        mentions=[Mention(d1.id, *eg1, "Evil Group", "evil-group"), Mention(d1.id, *tal1, "Taliban", "taliban"),
                  Mention(d1.id, *eg3, "Evil Group", "evil-group")],
        places=[PlaceMention(d1.id, *kabul, "Kabul", "af-kabul-city")],
        assertions=[Assertion(d1.id, "evil-group", "allied_with", "taliban", "asserted", None, s1, *s1_span,
                              trigger="allied"),
                    Assertion(d1.id, "evil-group", "allied_with", "other-group", "asserted",
                              "<img src=x onerror=alert(1)>", s3, *s3_span, trigger="allied")],
        events=[EventReport(doc_id=d1.id, type="attack", actors=["evil-group"], targets=["taliban"],
                            date="2024-01-04", precision="day", date_start="2024-01-04", date_end="2024-01-04",
                            place="af-kabul-city", location="Kabul <script>x</script>", country="AF", lat=34.5,
                            lon=69.2, geo_precision=1, fatalities=3, sentence=s1, start=s1_span[0],
                            end=s1_span[1], trigger="attack")],
        judgments=[Judgment(doc_id=d1.id, speaker="<img src=x onerror=alert(1)>", text=s3, start=s3_span[0],
                            end=s3_span[1], about=["evil-group"], estimate="likely", band="likely", low=0.55,
                            high=0.8, due="2024-06-01")],
    )
    n1 = _span(text2, "Evil Group is allied with the Taliban")
    sentence2 = text2[: text2.index(".") + 1]
    x2 = Extraction(
        doc_id=d2.id, actors=actors[:2], sentences=[(0, len(sentence2))],
        mentions=[Mention(d2.id, *_span(text2, "Taliban"), "Taliban", "taliban"),
                  Mention(d2.id, *n1[:1], n1[0] + 10, "Evil Group", "evil-group")],
        assertions=[Assertion(d2.id, "evil-group", "allied_with", "taliban", "negated", "Taliban", sentence2, 0,
                              len(sentence2), trigger="allied")],
    )
    with store.Store(path) as st:
        for name, grade in (("<script>alert('source')</script>", "F"), ("Meridian Wire", "B")):
            store.upsert_source(st.conn, Source(name=name, kind="outlet", reliability=grade))
        store.write_document(st.conn, d1, x1)
        store.write_document(st.conn, d2, x2)
    return {"doc1": d1.id, "doc2": d2.id, "s1": s1, "s1_start": str(s1_span[0]), "s1_end": str(s1_span[1])}


@pytest.fixture()
def kb(tmp_path):
    path = tmp_path / "kb.db"
    info = _write_hostile(path)
    return path, info


@pytest.fixture()
def client(kb):
    return TestClient(create_app(kb[0]), base_url=BASE)


def _csrf(client: TestClient) -> str:
    client.get("/")
    return client.cookies.get("khabar_csrf")


def _post(client: TestClient, url: str, data: dict, **kw):
    return client.post(url, data={"csrf": _csrf(client), **data}, headers=ORIGIN, follow_redirects=False, **kw)


# -- pages and API on the example corpus --------------------------------------------------------------------
@pytest.mark.slow
def test_every_page_and_endpoint_answers_on_the_example_corpus(demo_db):
    path, _ = demo_db
    c = TestClient(create_app(path), base_url=BASE)
    ties = c.get("/api/ties", params={"assertions": "true"}).json()
    assert ties and all(t["assertions"] for t in ties)
    tie = ties[0]
    doc_url = tie["assertions"][0]["document_url"]
    doc_id = tie["assertions"][0]["doc_id"]
    pages = ["/", "/actors", "/actors/taliban", tie["url"], doc_url, f"/documents/{doc_id}", "/network",
             "/network?type=supports&since=2015&until=2022-06&modality=asserted", "/events",
             "/events?type=attack&actor=isis-k&place=Kabul&since=2021-08&until=2021-09", "/judgments",
             "/judgments?due=1", "/judgments?speaker=Hindu+Kush+Monitor", '/search?q="safe+haven"', "/sources",
             "/analyst", "/documents", "/api/docs"]
    for url in pages:
        r = c.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("text/html")
        # no inline script or style anywhere: the CSP has no 'unsafe-inline'
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/(?:app|network)\.js\")", r.text), url
        assert not re.search(r"<style\b|\sstyle=", r.text), url
        assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=\"(?:https?:)?//", r.text), url
    assert 'id="cited"' in c.get(doc_url).text
    # every actor, tie and document has a page
    every = [a["url"] for a in c.get("/api/actors").json()] + [t["url"] for t in ties]
    every += [d["document_url"] for d in c.get("/api/documents").json()]
    assert len(every) > 100
    for url in every:
        assert c.get(url).status_code == 200, url
    endpoints = ["/api/actors", "/api/actors/taliban", "/api/ties", "/api/ties?actor=taliban&type=hosts",
                 f"/api{tie['url']}", "/api/events", "/api/events?type=attack&actor=isis-k&since=2021",
                 "/api/judgments", "/api/judgments?due=true", f"/api/documents/{doc_id}",
                 "/api/search?q=haven&limit=5", "/api/documents", "/openapi.json"]
    for url in endpoints:
        r = c.get(url)
        assert r.status_code == 200, url
        json.loads(r.text)
    assert c.get("/api/search?q=haven&limit=5").json()
    paths = c.get("/openapi.json").json()["paths"]
    assert {"/api/actors", "/api/actors/{actor_id}", "/api/ties", "/api/events", "/api/judgments",
            "/api/documents/{doc_id}", "/api/search"} <= set(paths)


def test_fastapi_docs_pages_that_load_from_a_cdn_are_off(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    r = client.get("/api/docs")
    assert r.status_code == 200 and "/api/actors" in r.text and "cdn" not in r.text.lower()


# -- escaping -----------------------------------------------------------------------------------------------
def _no_live_markup(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<iframe" not in html
    assert 'href="javascript:' not in html.lower()
    assert "<b>Group</b>" not in html and "<i>EG</i>" not in html


def test_hostile_text_is_shown_as_text_everywhere(client, kb):
    _, info = kb
    urls = ["/", "/actors", "/actors/evil-group", "/ties/evil-group/allied_with/taliban",
            "/ties/evil-group/allied_with/other-group", f"/documents/{info['doc1']}",
            f"/documents/{info['doc1']}?s={info['s1_start']}&e={info['s1_end']}", "/network", "/events",
            "/judgments", "/search?q=alert", "/sources", "/analyst", "/documents"]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        _no_live_markup(r.text)
    doc = client.get(f"/documents/{info['doc1']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc
    assert "&lt;iframe src=" in doc
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;" in doc
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in doc
    judgments = client.get("/judgments").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in judgments
    # and the JSON keeps the text as it is (it is data; the pages escape it)
    assert client.get(f"/api/documents/{info['doc1']}").json()["text"].count("<script>") == 1


def test_only_http_addresses_become_links(client, kb):
    _, info = kb
    hostile = client.get(f"/documents/{info['doc1']}").text
    assert "javascript:alert(1)</a>" not in hostile and 'href="javascript' not in hostile
    calm = client.get(f"/documents/{info['doc2']}").text
    assert 'href="https://example.org/calm?a=1&amp;b=2"' in calm
    assert client.get(f"/api/documents/{info['doc1']}").json()["url"] is None
    assert client.get(f"/api/documents/{info['doc2']}").json()["url"] == "https://example.org/calm?a=1&b=2"


def test_search_marks_matches_after_escaping(client):
    r = client.get("/search", params={"q": "alert"})
    assert r.status_code == 200
    assert "<mark>alert</mark>" in r.text
    _no_live_markup(r.text)
    hits = client.get("/api/search", params={"q": "alert"}).json()
    assert hits and "«alert»" in hits[0]["snippet"]


def test_document_highlights_mentions_places_and_the_cited_sentence(client, kb):
    _, info = kb
    url = f"/documents/{info['doc1']}?s={info['s1_start']}&e={info['s1_end']}"
    html = client.get(url).text
    cited = re.search(r'<mark id="cited" class="cited"[^>]*>(.*?)</mark>', html, re.S)
    assert cited, html
    inner = re.sub(r"<[^>]+>", "", cited.group(1))
    assert inner.startswith("Evil Group &lt;script&gt;") and inner.endswith("Kabul.")
    assert 'class="m-actor" href="/actors/evil-group"' in html
    assert 'class="m-place"' in html
    # offsets outside the text, or not numbers, are ignored
    for bad in ("?s=5&e=999999", "?s=abc&e=9", "?s=9&e=3"):
        r = client.get(f"/documents/{info['doc1']}{bad}")
        assert r.status_code == 200 and 'id="cited"' not in r.text


# -- security ------------------------------------------------------------------------------------------------
def _check_headers(r) -> None:
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"


def test_security_headers_on_every_response(kb):
    path, _ = kb
    c = TestClient(create_app(path), base_url=BASE)
    for url in ["/", "/actors/evil-group", "/api/actors", "/openapi.json", "/static/app.css", "/static/app.js",
                "/nothing", "/api/actors/nobody", "/documents/zz"]:
        _check_headers(c.get(url))
    _check_headers(c.post("/sources/grade", data={"name": "x"}))  # 403: no origin
    _check_headers(c.get("/", headers={"Host": "evil.example"}))  # 400: host
    locked = TestClient(create_app(path, token="s3cret-long-enough"), base_url=BASE)
    _check_headers(locked.get("/"))  # 401
    assert CSP == ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                   "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def test_the_host_header_must_be_this_server(client):
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "evil.example:8000"}).status_code == 400
    assert client.get("/api/actors", headers={"Host": "127.0.0.1.evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8765"}).status_code == 200


def test_a_token_guards_every_request(kb):
    path, _ = kb
    c = TestClient(create_app(path, token="s3cret-token-16chars"), base_url=BASE)
    for url in ["/", "/actors", "/api/actors", "/openapi.json", "/static/app.css", "/api/docs"]:
        assert c.get(url).status_code == 401, url
    assert c.get("/api/actors").json()["detail"]
    assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/?token=wrong").status_code == 401
    assert c.get("/api/actors", headers={"Authorization": "Bearer s3cret-token-16chars"}).status_code == 200
    r = c.get("/actors?token=s3cret-token-16chars&kind=armed_group", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/actors?kind=armed_group"
    cookie = r.headers["set-cookie"]
    assert "khabar_session=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "s3cret-token-16chars" not in cookie
    assert c.get("/").status_code == 200 and c.get("/static/app.js").status_code == 200
    c.cookies.clear()
    assert c.get("/").status_code == 401


def test_binding_beyond_loopback_needs_a_token(kb, monkeypatch, capsys):
    path, _ = kb
    with pytest.raises(ValueError, match="token"):
        create_app(path, host="0.0.0.0")
    assert create_app(path, host="0.0.0.0", token="t" * 16) is not None
    assert create_app(path, host="::1") is not None
    calls = []
    import khabar.web.app as web_app

    monkeypatch.setattr(web_app, "serve", lambda db, **kw: calls.append((db, kw)))
    monkeypatch.delenv("KHABAR_TOKEN", raising=False)
    assert main(["serve", "--db", str(path), "--host", "0.0.0.0"]) == 2
    assert "token" in capsys.readouterr().err and not calls
    assert main(["serve", "--db", str(path), "--host", "0.0.0.0", "--token", "t1" * 8]) == 0
    monkeypatch.setenv("KHABAR_TOKEN", "t2" * 8)
    assert main(["serve", "--db", str(path), "--host", "192.168.1.5", "--port", "9000"]) == 0
    assert main(["serve", "--db", str(path)]) == 0
    assert [c[1] for c in calls] == [{"host": "0.0.0.0", "port": 8000, "token": "t1" * 8, "workers": 1},
                                     {"host": "192.168.1.5", "port": 9000, "token": "t2" * 8, "workers": 1},
                                     {"host": "127.0.0.1", "port": 8000, "token": "t2" * 8, "workers": 1}]


@pytest.mark.parametrize("token", ["t", " ", "short-token", " " * 20, "spaces-at-the-end-   ", "ctrl\x00char-in-token"])
def test_weak_tokens_are_refused(kb, token, monkeypatch, capsys):
    path, _ = kb
    import khabar.web.app as web_app

    monkeypatch.setattr(web_app, "serve", lambda db, **kw: pytest.fail("served with a weak token"))
    with pytest.raises(ValueError, match="at least 16"):
        create_app(path, token=token)
    assert main(["serve", "--db", str(path), "--token", token]) == 2
    assert "at least 16" in capsys.readouterr().err


def test_sign_in_redirects_only_to_paths_of_this_server(kb):
    path, _ = kb
    token = "s3cret-token-16chars"
    c = TestClient(create_app(path, token=token), base_url=BASE)
    for url, expected in [(f"/%5Cevil.example?token={token}", "/%5Cevil.example"),
                          (f"//evil.example?token={token}", "/"),
                          (f"/%2F%2Fevil.example?token={token}", "/"),
                          (f"/actors?token={token}&kind=armed_group", "/actors?kind=armed_group")]:
        r = c.get(url, follow_redirects=False)
        assert r.status_code == 303, url
        location = r.headers["location"]
        assert location == expected, url
        assert location.startswith("/") and not location.startswith("//") and "\\" not in location
    r = c.get(f"/a%0D%0ASet-Cookie:%20x=1?token={token}", follow_redirects=False)
    assert r.status_code == 400
    assert all("x=1" not in v for k, v in r.headers.items() if k.lower() == "set-cookie")


@pytest.mark.parametrize("url", ["/api/search?q=%00Taliban", "/search?q=Tali%00ban", "/api/events?actor=%0Ataliban",
                                 "/actors/tali%00ban", "/search?q=%1b[31m"])
def test_control_characters_in_a_query_get_400(client, url):
    r = client.get(url)
    assert r.status_code == 400 and "control characters" in r.text


def test_head_answers_like_get(client):
    for url in ["/", "/actors", "/api/actors", "/static/app.css"]:
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-security-policy"] == CSP


def test_serve_refuses_a_missing_knowledge_base(tmp_path, capsys):
    assert main(["serve", "--db", str(tmp_path / "none.db")]) == 2
    assert "E300" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_posts_need_the_csrf_value_and_the_same_origin(client):
    token = _csrf(client)
    assert token and len(token) >= 32
    url, data = "/sources/grade", {"name": "Meridian Wire", "grade": "A"}
    assert client.post(url, data=data, headers=ORIGIN).status_code == 403  # no CSRF field
    assert client.post(url, data={**data, "csrf": "x" * 43}, headers=ORIGIN).status_code == 403  # wrong value
    assert client.post(url, data={**data, "csrf": token}).status_code == 403  # no Origin, no Referer
    assert client.post(url, data={**data, "csrf": token},
                       headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post(url, data={**data, "csrf": token}, headers={"Origin": "null"}).status_code == 403
    assert client.post(url, data={**data, "csrf": token},
                       headers={"Referer": "http://evil.example/sources"}).status_code == 403
    client.cookies.clear()
    assert client.post(url, data={**data, "csrf": token}, headers=ORIGIN).status_code == 403  # no cookie
    assert "analyst" not in client.get("/sources").text.split("Meridian Wire", 1)[1].split("</tr>")[0]
    r = client.post(url, data={**data, "csrf": _csrf(client)}, headers={"Referer": f"{BASE}/sources"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/sources"
    row = client.get("/sources").text.split("Meridian Wire", 1)[1].split("</tr>")[0]
    assert 'title="source reliability A' in row and "analyst" in row


def test_the_csrf_cookie_is_strict(kb):
    c = TestClient(create_app(kb[0]), base_url=BASE)
    cookie = c.get("/").headers["set-cookie"]
    assert "khabar_csrf=" in cookie and "SameSite=Strict" in cookie and "HttpOnly" in cookie
    assert 'name="csrf" value="' + c.cookies.get("khabar_csrf") + '"' in c.get("/judgments").text
    fresh = TestClient(create_app(kb[0]), base_url=BASE)
    for url in ["/static/app.css", "/static/app.js", "/api/actors", "/openapi.json"]:
        assert "set-cookie" not in fresh.get(url).headers, url  # only pages (with forms) hand one out


def test_ids_are_checked_and_paths_cannot_escape(client):
    for url in ["/documents/../../etc/passwd", "/documents/..%2F..%2Fetc%2Fpasswd", "/documents/%2e%2e%2fapp.py",
                "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/documents/abc",
                "/documents/" + "0" * 64, "/actors/.%2e", "/actors/No%20Such%20Group", "/actors/a'--",
                "/ties/evil-group/nope/taliban", "/ties/evil-group/allied_with/..%2f"]:
        r = client.get(url)
        assert r.status_code == 404, url
        assert "root:" not in r.text and "import" not in r.text
    for url in ["/api/documents/zz", "/api/documents/" + "f" * 64, "/api/actors/nobody", "/api/actors/BAD%20ID",
                "/api/ties/evil-group/allied_with/nobody", "/api/ties?actor=nobody", "/api/events?actor=nobody"]:
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.headers["content-type"] == "application/json" and r.json()["detail"]


def test_api_parameters_are_validated(client):
    assert client.get("/api/search", params={"q": "x", "limit": 100000}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "limit": 0}).status_code == 422
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "x" * 501}).status_code == 422
    assert client.get("/api/events", params={"since": "last week"}).status_code == 422
    assert client.get("/api/events", params={"type": "picnic"}).status_code == 422
    assert client.get("/api/ties", params={"type": "friends"}).status_code == 422
    # FTS5 syntax in a query is inert
    assert client.get("/api/search", params={"q": 'alert" OR NEAR(x'}).status_code == 200


def test_api_shapes(client, kb):
    _, info = kb
    actors = client.get("/api/actors").json()
    assert {a["id"] for a in actors} >= {"evil-group", "taliban"}
    ties = client.get("/api/ties", params={"actor": "evil-group", "type": "allied_with"}).json()
    contested = next(t for t in ties if t["object"] == "taliban")
    assert contested["contested"] and contested["asserted"] == 1 and contested["negated"] == 1
    assert contested["analyst"] is None and contested["credibility"] is not None
    tie = client.get("/api/ties/evil-group/allied_with/taliban").json()
    assert {a["modality"] for a in tie["assertions"]} == {"asserted", "negated"}
    assert all(a["aid"].startswith("as-") and a["made_by"] == "machine" for a in tie["assertions"])
    assert tie["assertions"][0]["document_url"].startswith(f"/documents/{info['doc1']}?s=")
    events = client.get("/api/events", params={"actor": "Evil Group", "type": "attack", "since": "2024"}).json()
    assert len(events) == 1 and events[0]["actor_names"] == ["Evil <b>Group</b>"]
    assert client.get("/api/events", params={"until": "2023"}).json() == []
    due = client.get("/api/judgments", params={"due": "true"}).json()
    assert [j["id"] for j in due] == [_jd(client)]
    assert client.get("/api/judgments", params={"speaker": "nobody"}).json() == []
    actor = client.get("/api/actors/evil-group").json()
    assert actor["ties"] and actor["events"] and actor["judgments"]
    doc = client.get(f"/api/documents/{info['doc1']}").json()
    assert doc["mentions"] and doc["places"][0]["place"] == "af-kabul-city"


# -- the analyst layer ------------------------------------------------------------------------------------------
def test_confirm_and_reject_ties_and_assertions_then_undo(client):
    page = "/ties/evil-group/allied_with/taliban"
    assert "analyst:" not in client.get(page).text and ">machine<" in client.get(page).text
    r = _post(client, page + "/verdict", {"verdict": "confirm", "note": "seen it <b>myself</b>"})
    assert r.status_code == 303 and r.headers["location"] == page
    html = client.get(page).text
    assert "analyst: confirmed" in html and "&lt;b&gt;myself&lt;/b&gt;" in html
    assert client.get("/api" + page).json()["analyst"] == "confirmed"

    aid = next(a["aid"] for a in client.get("/api" + page).json()["assertions"] if a["modality"] == "negated")
    r = _post(client, f"/assertions/{aid}/verdict", {"verdict": "reject", "next": f"{page}#{aid}"})
    assert r.status_code == 303 and r.headers["location"] == f"{page}#{aid}"
    tie = client.get("/api" + page).json()
    assert next(a for a in tie["assertions"] if a["aid"] == aid)["analyst"] == "rejected"
    assert tie["negated"] == 0 and not tie["contested"] and tie["rejected_assertions"] == 1
    assert "analyst: rejected" in client.get(page).text

    # a hostile "next" never leads off the site
    r = _post(client, f"/assertions/{aid}/verdict", {"verdict": "confirm", "next": "//evil.example/x"})
    assert r.status_code == 303 and r.headers["location"] == "/analyst"
    assert _post(client, f"/assertions/{aid}/verdict", {"verdict": "maybe"}).status_code == 400
    assert _post(client, "/assertions/as-ffffffffffff/verdict", {"verdict": "confirm"}).status_code == 404

    log = client.get("/analyst").text
    assert log.count("Undo") >= 3
    first = int(re.search(r'action="/analyst/(\d+)/undo"', log).group(1))
    r = _post(client, f"/analyst/{first}/undo", {"next": "/analyst"})
    assert r.status_code == 303
    assert "undone" in client.get("/analyst").text
    assert _post(client, f"/analyst/{first}/undo", {}).status_code == 404  # already undone


def test_merge_alias_and_undo(client):
    r = _post(client, "/actors/other-group/merge", {"into": "evil-group"})
    assert r.status_code == 303 and r.headers["location"] == "/actors/evil-group"
    r = client.get("/actors/other-group", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/actors/evil-group"
    html = client.get("/actors/evil-group").text
    assert "merged into this actor" in html and "Other Group" in html
    r = _post(client, "/actors/evil-group/alias", {"alias": "<script>EG</script>"})
    assert r.status_code == 303
    html = client.get("/actors/evil-group").text
    assert "&lt;script&gt;EG&lt;/script&gt;" in html and "<script>EG" not in html
    assert client.get("/api/actors/evil-group").json()["aliases"][-1] == "<script>EG</script>"
    assert _post(client, "/actors/evil-group/merge", {"into": "nobody"}).status_code == 404
    assert _post(client, "/actors/evil-group/merge", {"into": "evil-group"}).status_code == 400
    assert _post(client, "/actors/evil-group/alias", {"alias": "  "}).status_code == 400
    actions = re.findall(r'<td class="num">(\d+)</td>\s*<td class="nowrap"><small>[^<]*</small></td>\s*'
                         r'<td><span class="badge analyst">analyst</span> (\w+)</td>', client.get("/analyst").text)
    merge_id = next(int(i) for i, kind in actions if kind == "merge")
    assert _post(client, f"/analyst/{merge_id}/undo", {}).status_code == 303
    assert client.get("/actors/other-group", follow_redirects=False).status_code == 200


def _jd(client: TestClient) -> str:
    return client.get("/api/judgments").json()[0]["id"]


def test_resolve_a_judgment(client):
    JD = _jd(client)  # noqa: N806
    assert _post(client, f"/judgments/{JD}/resolve", {"outcome": "perhaps"}).status_code == 400
    assert _post(client, "/judgments/jd-ffffffffffff/resolve", {"outcome": "yes"}).status_code == 404
    r = _post(client, f"/judgments/{JD}/resolve", {"outcome": "yes", "note": "it did", "next": f"/judgments#{JD}"})
    assert r.status_code == 303 and r.headers["location"] == f"/judgments#{JD}"
    html = client.get("/judgments").text
    assert "yes, it came true" in html
    assert client.get("/api/judgments").json()[0]["outcome"] is True
    assert client.get("/api/judgments", params={"due": "true"}).json() == []


def test_grade_a_source_rejects_bad_grades(client):
    assert _post(client, "/sources/grade", {"name": "Meridian Wire", "grade": "Z"}).status_code == 400
    assert _post(client, "/sources/grade", {"name": "Nobody", "grade": "A"}).status_code == 404


def test_machine_and_analyst_labels(client):
    html = client.get("/actors/evil-group").text
    assert 'class="badge machine"' in html
    _post(client, "/ties/evil-group/allied_with/taliban/verdict", {"verdict": "reject"})
    html = client.get("/actors/evil-group").text
    assert "analyst: rejected" in html
    assert "analyst: rejected" in client.get("/network?rejected=1").text
    assert "/ties/evil-group/allied_with/taliban" not in client.get("/network").text


def test_network_filters(client):
    assert "2 ties" in client.get("/network").text
    assert "1 ties" in client.get("/network?modality=negated").text
    assert "0 ties" in client.get("/network?since=2024-03").text
    assert "2 ties" in client.get("/network?since=2024-01&until=2024-01").text
    assert "0 ties" in client.get("/network?type=hosts").text
    r = client.get("/network?since=2024-01&type=nonsense")
    assert r.status_code == 200 and "ignored" in r.text
    for bad in ("yesterday", "2021-13-45", "2021-02-30", "9999-99-99"):
        r = client.get(f"/network?since={bad}")
        assert r.status_code == 400 and "E303" in r.text, bad
        assert client.get(f"/events?until={bad}").status_code == 400, bad
        assert client.get(f"/api/events?since={bad}").status_code == 422, bad
    assert client.get("/api/events?since=2024-02-29").status_code == 200


@pytest.mark.parametrize("text, ok", [("2021", True), ("2021-08", True), ("2021-08-31", True), ("2024-02-29", True),
                                      ("2021-13", False), ("2021-13-45", False), ("2023-02-29", False),
                                      ("9999-99-99", False), ("21-08-31", False), ("2021-8-3", False), ("", False),
                                      ("２０２１", False), ("2021-08-31T00", False)])
def test_partial_dates(text, ok):
    from khabar.schema import is_partial_date

    assert is_partial_date(text) is ok


def test_cli_refuses_impossible_dates(kb, capsys):
    path, _ = kb
    with pytest.raises(SystemExit):
        main(["events", "--db", str(path), "--since", "2021-13-45"])
    assert "E303" in capsys.readouterr().err


def test_events_page_filters_and_figures(client):
    html = client.get("/events").text
    assert "<svg" in html and "1 events" in html
    assert "0 events" in client.get("/events?place=Peshawar").text
    r = client.get("/events?actor=nobody")
    assert r.status_code == 200 and "no actor called" in r.text


# -- many clients at once --------------------------------------------------------------------------------------
def test_fifty_concurrent_clients(kb):
    import httpx
    import uvicorn

    path, info = kb
    server = uvicorn.Server(uvicorn.Config(create_app(path), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started
    port = server.servers[0].sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    urls = ["/", "/actors", "/actors/evil-group", "/ties/evil-group/allied_with/taliban",
            f"/documents/{info['doc1']}", "/network", "/events", "/judgments", "/search?q=alert",
            "/api/actors", "/api/ties", "/api/events", "/api/judgments", "/api/search?q=group"]

    def visit(i: int) -> list[int]:
        codes = []
        with httpx.Client(base_url=base, timeout=60) as c:
            for k in range(6):
                codes.append(c.get(urls[(i + k) % len(urls)]).status_code)
            if i % 5 == 0:  # some clients write while the others read
                token = c.cookies.get("khabar_csrf")
                r = c.post("/ties/evil-group/allied_with/taliban/verdict",
                           data={"csrf": token, "verdict": "confirm" if i % 2 else "reject"},
                           headers={"Origin": base}, follow_redirects=True)
                codes.append(r.status_code)
        return codes

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
            results = [code for codes in pool.map(visit, range(50)) for code in codes]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert len(results) == 50 * 6 + 10
    assert set(results) == {200}, sorted(set(results))
