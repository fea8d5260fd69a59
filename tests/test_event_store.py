"""Events merged on write (store/events.py): the same clusters as the batch merge, kept
right when documents are stored again, and looked up through indexes only."""

from __future__ import annotations

import random

import pytest

from khabar.analyze.events import merge_reports
from khabar.schema import Actor, Document, EventReport, Extraction
from khabar.store import Store
from khabar.store.events import attach_pending, count_events, select_events
from khabar.store.write import write_document
from tests.test_event_merge import JALALABAD, KABUL, KHOST, NANGARHAR, report


def _store(st: Store, doc_id: str, reports: list[EventReport], published: str = "2021-09-01") -> None:
    for r in reports:
        r.doc_id = doc_id
    ids = sorted({x for r in reports for x in r.actors + r.targets})
    ex = Extraction(doc_id=doc_id, actors=[Actor(id=i, name=i, kind="armed_group") for i in ids], mentions=[],
                    assertions=[], events=reports, places=[],
                    judgments=[], sentences=[(0, 5)])
    write_document(st.conn, Document(id=doc_id, text=f"{doc_id} text.", name=f"{doc_id}.txt", published=published),
                   ex)


def _clusters(st: Store) -> set[frozenset[str]]:
    rows = st.conn.execute("SELECT event_id, doc_id FROM event_reports ORDER BY event_id").fetchall()
    out: dict[str, set[str]] = {}
    for event_id, doc_id in rows:
        out.setdefault(event_id, set()).add(doc_id)
    return {frozenset(v) for v in out.values()}


@pytest.fixture
def st(tmp_path):
    with Store(tmp_path / "kb.db") as s:
        yield s


def test_reports_of_one_event_merge_as_documents_arrive(st):
    _store(st, "a", [report("a", "2021-08-26", fatalities=73, place=KABUL)])
    _store(st, "b", [report("b", "2021-08-26", fatalities=170, place=KABUL, targets=("united-states",))])
    _store(st, "c", [report("c", "2021-08-26", place=KHOST)])  # same day, far away: another event
    rows = select_events(st.conn)
    assert len(rows) == 2
    kabul = next(r for r in rows if r["location"] == "Kabul")
    assert (kabul["n_reports"], kabul["n_documents"], kabul["fatalities"]) == (2, 2, 73)
    assert kabul["targets"] == ["united-states"]
    assert count_events(st.conn, actors=["united-states"], role="target") == 1
    assert count_events(st.conn, actors=["united-states"], role="actor") == 0
    assert count_events(st.conn, actors=["isis-k"]) == 2
    assert count_events(st.conn, place="khost") == 1 and count_events(st.conn, place="AF") == 2


def test_storing_a_document_again_keeps_events_and_ids(st):
    _store(st, "a", [report("a", "2021-08-10")])
    _store(st, "b", [report("b", "2021-08-10", place=NANGARHAR)])
    before = [(r["id"], r["n_reports"]) for r in select_events(st.conn)]
    _store(st, "a", [report("a", "2021-08-10")])
    _store(st, "b", [report("b", "2021-08-10", place=NANGARHAR)])
    assert [(r["id"], r["n_reports"]) for r in select_events(st.conn)] == before == [(before[0][0], 2)]


def test_a_report_that_leaves_takes_nothing_else_with_it(st):
    _store(st, "a", [report("a", "2021-08-10")])
    _store(st, "b", [report("b", "2021-08-10", place=NANGARHAR)])
    _store(st, "c", [report("c", "2021-08-10")])
    first = select_events(st.conn)[0]["id"]
    _store(st, "a", [report("a", "2021-07-01")])  # a now reports another day
    assert _clusters(st) == {frozenset({"a"}), frozenset({"b", "c"})}
    assert first not in {r["id"] for r in select_events(st.conn)} or count_events(st.conn) == 2
    _store(st, "a", [])
    _store(st, "b", [])
    _store(st, "c", [])
    assert count_events(st.conn) == 0
    assert st.conn.execute("SELECT COUNT(*) FROM event_actors").fetchone()[0] == 0


def test_same_clusters_as_the_batch_merge():
    rng = random.Random(7)
    places = [JALALABAD, NANGARHAR, KABUL, KHOST, None]
    reports = []
    for k in range(160):
        day = f"2021-08-{rng.randint(1, 20):02d}"
        precision = rng.choice(["day"] * 6 + ["month"])
        end = "2021-08-31" if precision == "month" else None
        if precision == "month":
            day = "2021-08-01"
        actors = rng.choice([("isis-k",), ("taliban",), ()])
        reports.append(report(f"d{k:03d}", day, precision=precision, end=end, actors=actors,
                              place=rng.choice(places), type=rng.choice(["attack", "statement"])))
    batch = {frozenset(e.documents) for e in merge_reports(reports)}
    with Store(":memory:") as st:
        ordered = sorted(reports, key=lambda r: (r.date_start or "9999", r.doc_id, r.start))
        for r in ordered:
            _store(st, r.doc_id, [EventReport.from_dict(r.to_dict())])
        assert _clusters(st) == batch


def test_base_made_before_merging_on_write_is_merged_when_opened(tmp_path):
    path = tmp_path / "old.db"
    with Store(path) as st:
        _store(st, "a", [report("a", "2021-08-10")])
        _store(st, "b", [report("b", "2021-08-10")])
        st.conn.execute("UPDATE event_reports SET event_id = NULL")
        st.conn.execute("DELETE FROM events")
        st.conn.execute("DELETE FROM event_actors")
        st.conn.commit()
    with Store(path) as st:
        assert _clusters(st) == {frozenset({"a", "b"})}
        assert attach_pending(st.conn) == 0  # nothing left to do


def _plan(conn, sql: str, params: list) -> str:
    return " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_reads_and_merges_use_indexes(st):
    from khabar.store.events import _candidates, event_filter

    _store(st, "a", [report("a", "2021-08-10")])
    r = report("x", "2021-08-10")
    # the candidates of a new report: a bounded range of one type's dates, never the whole table
    sql_plans = []
    real = st.conn.execute

    class Spy:
        def execute(self, sql, params=()):
            if sql.lstrip().startswith("SELECT e.id, e.seq FROM events"):
                sql_plans.append(_plan(st.conn, sql, list(params)))
            return real(sql, params)

    _candidates(Spy(), r)  # type: ignore[arg-type]
    assert sql_plans and "SCAN e" not in sql_plans[0]
    assert "events_type_date" in sql_plans[0] or "events_type_span" in sql_plans[0]
    for filters in ({"actors": ["isis-k"]}, {"place": "Kabul"}, {"types": ["attack"], "start": "2021-08-01"},
                    {"actors": ["isis-k"], "role": "target"}):
        clause, params = event_filter(**filters)
        plan = _plan(st.conn, f"SELECT e.* FROM events e{clause}", params)
        assert "SCAN e " not in plan + " " and "SCAN event_reports" not in plan, (filters, plan)
