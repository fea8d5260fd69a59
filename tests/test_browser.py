"""End to end in a real browser: Debian's Chromium driven by Playwright against `khabar serve`.

The server runs as a user would run it (a subprocess on a free loopback port) over a copy
of the example knowledge base with one hostile document added. Screenshots of every page
type go to ``test-output/screenshots/``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import urlopen

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "screenshots"
HOSTILE = """Taliban channel relays a message

<script>window.__pwned = 1; alert(1)</script>
The Taliban said on Monday that al-Qaeda fighters remain welcome in Kandahar.
<img src=x onerror="window.__pwned = 2; alert(2)">
Read more: <a href="javascript:alert(3)">click here</a> and <iframe src="https://evil.example.net/"></iframe>
<svg onload="alert(4)"></svg> <style>body{background:url(https://evil.example.net/x.png)}</style>
"""


def _browser_or_skip():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(CHROMIUM).exists():
        why = "Playwright or Debian chromium is missing (make test installs both)"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    return sync_playwright


@contextlib.contextmanager
def serving(db):
    """``khabar serve`` over ``db`` on a free port, as a user starts it (no token), until the
    block ends: the base URL."""
    port = _free_port()
    khabar = Path(sys.executable).with_name("khabar")
    proc = subprocess.Popen([str(khabar), "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={k: v for k, v in os.environ.items() if k != "KHABAR_TOKEN"})
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if urlopen(base + "/", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.terminate()
        pytest.fail(f"khabar serve did not start: {proc.stderr.read().decode()[-2000:]}")
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory, extractor):
    from khabar.workspace import Workspace

    path, _ = demo_db
    folder = tmp_path_factory.mktemp("web")
    db = folder / "khabar.db"
    shutil.copy(path, db)
    hostile = folder / "in" / "hostile_channel_post.txt"
    hostile.parent.mkdir()
    hostile.write_text(HOSTILE, encoding="utf-8")
    with Workspace(db) as ws:
        ws._extractor = extractor
        ws.ingest([hostile])
        hostile_id = next(d["id"] for d in ws.conn.execute("SELECT id, name FROM documents")
                          if d["name"] == hostile.name)
    with serving(db) as base:
        yield base, hostile_id


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


class Watch:
    """What a page did that it must not: dialogs, console errors, requests off this server."""

    def __init__(self, page, base: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        host = urlparse(base).netloc
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: None if urlparse(r.url).netloc in (host, "") or r.url.startswith("data:")
                else self.outside.append(r.url))


def test_overview_actor_tie_confirm_and_reload(server, browser):
    base, _ = server
    page = browser.new_page()
    watch = Watch(page, base)
    page.goto(base + "/")
    page.locator("a[href^='/actors/']").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(base + "/actors/")
    page.locator("a[href^='/ties/']").first.click()
    page.wait_for_load_state()
    assert "/ties/" in page.url
    tie_url = page.url.split("#")[0]
    assert page.locator("blockquote.quote").count() >= 1  # the evidence, quoted
    page.locator("form.verdict").first.locator("button[value='confirm']").click()
    page.wait_for_load_state()
    page.goto(tie_url)  # reload from the server
    assert page.locator(".badge.analyst.confirmed").count() >= 1
    assert not watch.dialogs and not watch.errors and not watch.outside
    page.close()


def test_hostile_document_runs_nothing(server, browser):
    base, hostile_id = server
    page = browser.new_page()
    watch = Watch(page, base)
    response = page.goto(f"{base}/documents/{hostile_id}")
    assert response is not None and response.status == 200
    page.wait_for_timeout(500)
    body = page.inner_text("body")
    assert "<script>window.__pwned = 1; alert(1)</script>" in body  # shown as text
    assert 'onerror="window.__pwned = 2' in body
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("iframe").count() == 0 and page.locator("a[href^='javascript:']").count() == 0
    assert watch.dialogs == [] and watch.outside == []
    assert not [e for e in watch.errors if "pwned" in e or "alert" in e]
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    page.close()


def test_every_page_type_answers_and_is_captured(server, browser, demo_db):
    from khabar.workspace import Workspace

    base, hostile_id = server
    path, _ = demo_db
    with Workspace(path) as ws:
        tie, items = ws.tie_records()[0]
        a = items[0]
    pages = {
        "overview": "/",
        "actors": "/actors",
        "actor": "/actors/taliban",
        "tie": f"/ties/{tie.subject}/{tie.type}/{tie.object}",
        "document": f"/documents/{a['doc_id']}?s={a['start']}&e={a['end']}#cited",
        "network": "/network",
        "events": "/events",
        "judgments": "/judgments",
        "search": "/search?q=safe+haven",
        "sources": "/sources",
        "analyst": "/analyst",
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page, base)
    for name, url in pages.items():
        response = page.goto(base + url)
        assert response is not None and response.status == 200, (name, url)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.locator("#cited").count() == 0  # the last page is the log, not the document
    assert not watch.dialogs and not watch.errors and not watch.outside, (watch.errors, watch.outside)
    assert len(list(SHOTS.glob("*.png"))) >= len(pages)
    page.close()
