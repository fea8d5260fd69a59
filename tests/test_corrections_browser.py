"""Correcting the machine in a real browser (Debian's Chromium driven by Playwright against
`khabar serve`, as tests/test_browser.py does): create an actor, add a tie from a sentence,
flip the tie, correct an event's date; extract the documents again and ingest a changed
sidecar, and see every correction kept; undo each from the analyst log."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import EXAMPLES
from tests.test_browser import SHOTS, browser, serving  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow

ACTOR = "abbey-gate-cell"


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    path, _ = demo_db
    folder = tmp_path_factory.mktemp("correct-web")
    db = folder / "khabar.db"
    shutil.copy(path, db)
    with serving(db) as base:
        yield base, db


class Watch:
    """Console errors and requests off this server; confirm dialogs (undo asks) accepted."""

    def __init__(self, page, base: str) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        host = urlparse(base).netloc
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.accept()))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: None if urlparse(r.url).netloc in (host, "") or r.url.startswith("data:")
                else self.outside.append(r.url))


def _go(page, url: str) -> int:
    response = page.goto(url)
    return response.status if response is not None else 0


def _submit(page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def _reingest(db: Path, extractor, tmp: Path, doc_name: str) -> None:
    """Every document extracted again, then the corpus ingested with one date corrected in the
    sidecar (that document extracted once more)."""
    from khabar.workspace import Workspace

    lines = [json.loads(x) for x in (EXAMPLES / "corpus.meta.jsonl").read_text().splitlines() if x.strip()]
    for rec in lines:
        if rec.get("doc") == doc_name:
            rec["published"] = "2021-08-31"
    meta = tmp / "meta.jsonl"
    meta.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    with Workspace(db) as ws:
        ws._extractor = extractor
        assert ws.reextract(everything=True).extracted >= 19
        report = ws.ingest([EXAMPLES / "corpus"], meta=meta)
        assert [name for name, _ in report.updated] == [doc_name]


def test_correct_reingest_and_undo(server, browser, extractor, tmp_path):  # noqa: F811
    from khabar.workspace import Workspace

    base, db = server
    with Workspace(db) as ws:
        doc = ws.conn.execute("SELECT id, name FROM documents WHERE duplicate_of IS NULL "
                              "AND name LIKE '%kabul_airport_bombing_wire%'").fetchone()
        event = next(e for e in ws.event_records(types=["attack"]) if e.precision == "day" and e.actors)
    page = browser.new_page()
    watch = Watch(page, base)

    # create an actor
    _go(page, base + "/actors")
    with page.expect_navigation():
        page.locator("a[href='/correct/actor']").click()
    page.fill("input[name=id]", ACTOR)
    page.fill("input[name=name]", "Abbey Gate cell")
    page.fill("input[name=aliases]", "the Abbey Gate bombers")
    page.fill("input[name=parent]", "isis-k")
    _submit(page, "form.correct-actor")
    assert page.url == f"{base}/actors/{ACTOR}"
    assert page.locator("h1 .badge.analyst").count() == 1

    # add a tie from a sentence of a document
    _go(page, f"{base}/documents/{doc['id']}")
    with page.expect_navigation():
        page.locator(f"a[href='/correct/documents/{doc['id']}']").click()
    with page.expect_navigation():
        page.locator("a.pick").nth(4).click()
    assert "The bomber struck" in page.locator("blockquote.picked").inner_text()
    page.screenshot(path=str(SHOTS / "correct-cite-sentence.png"), full_page=True)
    page.fill("form.add-tie input[name=subject]", ACTOR)
    page.select_option("form.add-tie select[name=type]", "affiliate_of")
    page.fill("form.add-tie input[name=object]", "isis-k")
    _submit(page, "form.add-tie")
    assert page.url == f"{base}/ties/{ACTOR}/affiliate_of/isis-k"
    assert page.locator("text=analyst: added").count() == 1
    page.screenshot(path=str(SHOTS / "correct-tie-added.png"), full_page=True)

    # flip its direction
    page.check("form.edit-tie input[name=flip]")
    _submit(page, "form.edit-tie")
    assert page.url == f"{base}/ties/isis-k/affiliate_of/{ACTOR}"
    assert "The bomber struck" in page.locator("blockquote.quote").first.inner_text()

    # correct an event's date
    _go(page, f"{base}/events?type=attack")
    with page.expect_navigation():
        page.locator(f"a.correct-event[href='/correct/events/{event.id}']").click()
    page.fill("form.edit-event input[name=date]", "2019-03-04")
    _submit(page, "form.edit-event")
    assert "since=2019-03-04" in page.url
    assert page.locator(".badge.analyst.corrected").count() >= 1
    page.screenshot(path=str(SHOTS / "correct-event-date.png"), full_page=True)

    # re-ingest: every correction kept
    _reingest(db, extractor, tmp_path, doc["name"])
    assert _go(page, f"{base}/actors/{ACTOR}") == 200 and page.locator("h1 .badge.analyst").count() == 1
    assert _go(page, f"{base}/ties/isis-k/affiliate_of/{ACTOR}") == 200
    assert page.locator("text=analyst: added").count() == 1
    _go(page, f"{base}/events?since=2019-03-04&until=2019-03-04")
    assert page.locator(f"a.correct-event[href='/correct/events/{event.id}']").count() == 1
    assert page.locator(".badge.analyst.corrected").count() >= 1

    # undo each from the analyst log, newest first
    with Workspace(db) as ws:
        actions = [a["id"] for a in ws.corrections()]
    assert len(actions) == 4
    checks = [
        lambda: _go(page, f"{base}/events?since=2019-03-04&until=2019-03-04") == 200
        and page.locator(f"a.correct-event[href='/correct/events/{event.id}']").count() == 0,
        lambda: _go(page, f"{base}/ties/isis-k/affiliate_of/{ACTOR}") == 404
        and _go(page, f"{base}/ties/{ACTOR}/affiliate_of/isis-k") == 200,
        lambda: _go(page, f"{base}/ties/{ACTOR}/affiliate_of/isis-k") == 404,
        lambda: _go(page, f"{base}/actors/{ACTOR}") == 404,
    ]
    for action, check in zip(reversed(actions), checks, strict=True):
        _go(page, base + "/analyst")
        with page.expect_navigation():
            page.locator(f"form[action='/analyst/{action}/undo'] button").click()
        assert page.locator("tr.undone").count() >= 1
        assert check(), action
    assert len(watch.dialogs) == 4  # each undo asked first
    unexpected = [e for e in watch.errors if "status of 404" not in e]  # the checks open undone pages: 404s
    assert not unexpected and not watch.outside, (unexpected, watch.outside)
    page.close()
