"""No read scans the big tables: every SQL statement the web app, the API and the read
commands run is planned with an index on mentions, sentences, assertions, event reports
and events (EXPLAIN QUERY PLAN of each statement as it was run, on a base with
statistics)."""

from __future__ import annotations

import re
import sqlite3
import warnings

import pytest

from tests.test_paging import kb  # noqa: F401  (the fixture: a base of 40 documents)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from khabar.web import create_app

BIG = ("mentions", "sentences", "assertions", "event_reports", "events", "judgments")
# "SCAN t" without an index; "SCAN t USING [COVERING] INDEX" reads a whole index: both a scan.
_SCAN = re.compile(r"^SCAN (\w+)(?: AS \w+)?(?: USING (?:COVERING )?INDEX \w+)?$")

PAGES = ["/", "/actors", "/actors/group-03", "/actors/group-00?ties=5", "/events", "/events?actor=group-03",
         "/events?place=Kabul&since=2021-03", "/judgments", "/judgments?due=1", "/documents",
         "/ties/group-03/hostile_to/state", "/search?q=attacked", "/sources",
         "/api/actors", "/api/actors/group-03", "/api/ties?actor=group-03", "/api/ties?type=allied_with",
         "/api/events?actor=group-02&limit=5", "/api/events?type=attack&since=2021-05",
         "/api/judgments?about=group-01", "/api/documents?limit=10", "/api/search?q=allied",
         # the sorts, filters, facets and exports of the list pages
         "/actors?sort=name", "/actors/group-03?tsort=-last_seen", "/events?sort=type", "/events?sort=-start",
         "/events?type=attack&sort=start", "/judgments?sort=due", "/judgments?sort=-speaker", "/documents?sort=-source",
         "/documents?source=Outlet%203", "/sources?sort=-documents", "/search?q=attacked&sort=-published",
         "/search?q=attacked&source=Outlet%201&year=2021&actor=group-03", "/search?q=group-03",
         "/export/csv?table=events&actor=group-03", "/export/json?table=ties&type=allied_with",
         "/sources?grade=B&sort=-documents", "/actors/group-03?ttype=allied_with&tsort=-evidence",
         # persons (their pages on a base that names some: tests/test_people_entities.py)
         "/people", "/people?q=group&actor=group-03", "/api/people?actor=group-03"]


def _scans(conn: sqlite3.Connection, sql: str) -> list[str]:
    try:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, [None] * sql.count("?"))]
    except sqlite3.Error:
        return []
    out = []
    for step in plan:
        m = _SCAN.match(step.strip())
        if m and m.group(1) in BIG:
            out.append(step)
    return out


def statements_run(path, urls, base_url: str = "http://127.0.0.1", analyze: bool = True) -> list[str]:
    """Every SQL statement the web app runs to answer ``urls`` (each must answer 200) over the
    base at ``path``, after ANALYZE (as a served base has its statistics)."""
    from khabar.store import Store

    if analyze:
        with Store(path) as st:
            st.conn.execute("ANALYZE")
            st.conn.commit()
    seen: list[str] = []
    import khabar.store.db as db

    real = db.connect

    def traced(path):
        conn = real(path)
        conn.set_trace_callback(seen.append)
        return conn

    db.connect = traced
    try:
        client = TestClient(create_app(path), base_url=base_url)
        for url in urls:
            assert client.get(url).status_code == 200, url
    finally:
        db.connect = real
    return seen


@pytest.fixture(scope="module")
def statements(kb):  # noqa: F811
    seen = statements_run(kb, PAGES)
    return kb, [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def test_no_read_scans_a_big_table(statements):
    path, sqls = statements
    assert len(sqls) > 50
    conn = sqlite3.connect(path)
    bad = {}
    for sql in sqls:
        # the trace gives statements with their values; plan them with parameters again
        scans = _scans(conn, sql)
        if scans:
            bad[sql[:160]] = scans
    conn.close()
    assert not bad, "\n".join(f"{k}\n    {v}" for k, v in bad.items())
