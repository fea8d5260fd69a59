"""Tie figures kept up to date (store/ties.py): the same as aggregating every assertion
on each read, after writes, re-writes, deletions, source grades and analyst actions."""

from __future__ import annotations

import pytest

from khabar.analyze.ties import aggregate_ties
from khabar.schema import Actor, Assertion, Document, Extraction, Source
from khabar.store import Store
from khabar.store.read import assertions
from khabar.store.ties import count_ties, refresh, select_ties
from khabar.store.write import upsert_source, write_document

ACTORS = ["taliban", "al-qaeda", "isis-k", "pakistan"]


def _doc(st: Store, doc_id: str, ties: list[tuple[str, str, str, str]], source: str | None = "AP",
         published: str = "2021-09-01") -> None:
    text = " ".join(f"Sentence {k} of {doc_id} about them." for k in range(len(ties) + 1))
    sents, pos = [], 0
    for part in text.split(". "):
        sents.append((pos, pos + len(part) + 1))
        pos += len(part) + 2
    rows = [Assertion(doc_id=doc_id, subject=s, type=t, object=o, modality=m, sentence=text[a:b], start=a, end=b)
            for (s, t, o, m), (a, b) in zip(ties, sents, strict=False)]
    ex = Extraction(doc_id=doc_id, actors=[Actor(id=a, name=a, kind="armed_group") for a in ACTORS], mentions=[],
                    assertions=rows, events=[], places=[], judgments=[], sentences=sents[: len(ties)])
    write_document(st.conn, Document(id=doc_id, text=text, name=f"{doc_id}.txt", source=source, published=published),
                   ex)


def _fresh(st: Store) -> dict:
    return {(t.subject, t.type, t.object): (t.evidence, t.sources, t.documents, t.first_seen, t.last_seen,
                                            t.asserted, t.negated, t.predicted, t.contested)
            for t, _ in aggregate_ties(assertions(st.conn))}


def _kept(st: Store) -> dict:
    refresh(st.conn)
    from khabar.store.ties import degrees

    neighbours: dict[str, set[str]] = {}
    for t, _ in aggregate_ties(assertions(st.conn)):
        if t.evidence > 0:
            neighbours.setdefault(t.subject, set()).add(t.object)
            neighbours.setdefault(t.object, set()).add(t.subject)
    assert degrees(st.conn) == {a: len(n) for a, n in neighbours.items()}  # kept with the ties
    return {(r["subject"], r["type"], r["object"]): (r["evidence"], r["sources"], r["documents"], r["first_seen"],
                                                     r["last_seen"], r["asserted"], r["negated"], r["predicted"],
                                                     bool(r["contested"]))
            for r in select_ties(st.conn)}


@pytest.fixture
def st(tmp_path):
    with Store(tmp_path / "kb.db") as s:
        yield s


def test_kept_figures_equal_a_fresh_aggregate_through_changes(st):
    _doc(st, "a", [("taliban", "hosts", "al-qaeda", "asserted"), ("isis-k", "hostile_to", "taliban", "asserted")])
    _doc(st, "b", [("taliban", "hostile_to", "isis-k", "asserted")], source="Reuters", published="2021-10-01")
    _doc(st, "c", [("taliban", "hosts", "al-qaeda", "negated")], source="Dawn", published="2022-01-01")
    assert _kept(st) == _fresh(st)
    assert _kept(st)[("isis-k", "hostile_to", "taliban")][:3] == (2, 2, 2)  # symmetric: one tie both ways
    assert _kept(st)[("taliban", "hosts", "al-qaeda")][5:7] == (1, 1)  # asserted once, denied once
    _doc(st, "c", [("pakistan", "hostile_to", "isis-k", "asserted")], source="Dawn")  # c says something else now
    assert _kept(st) == _fresh(st)
    assert _kept(st)[("taliban", "hosts", "al-qaeda")][5:7] == (1, 0)
    _doc(st, "a", [])  # a says nothing any more
    assert ("taliban", "hosts", "al-qaeda") not in _kept(st)
    assert _kept(st) == _fresh(st)


def test_a_grade_or_a_date_changed_marks_the_ties_of_its_documents(st):
    _doc(st, "a", [("taliban", "hosts", "al-qaeda", "asserted")])
    refresh(st.conn)
    assert st.conn.execute("SELECT COUNT(*) FROM tie_dirty").fetchone()[0] == 0
    upsert_source(st.conn, Source(name="AP", kind="wire", reliability="A"))
    assert st.conn.execute("SELECT COUNT(*) FROM tie_dirty").fetchone()[0] == 1
    refresh(st.conn)
    st.conn.execute("UPDATE documents SET published = '2020-01-01' WHERE id = 'a'")
    st.conn.commit()
    assert _kept(st)[("taliban", "hosts", "al-qaeda")][3] == "2020-01-01"


def test_pages_and_counts_in_sql(st):
    for k in range(30):
        _doc(st, f"d{k}", [("taliban", "hostile_to", ACTORS[1 + k % 3], "asserted")], source=f"S{k}")
    refresh(st.conn)
    assert count_ties(st.conn) == 3 and count_ties(st.conn, ["isis-k"]) == 1
    page = select_ties(st.conn, limit=2)
    assert len(page) == 2 and page[0]["sources"] >= page[1]["sources"]
    assert select_ties(st.conn, limit=2, offset=2)[0] not in page
    plan = " | ".join(r[3] for r in st.conn.execute(
        "EXPLAIN QUERY PLAN SELECT t.* FROM ties t WHERE (t.subject IN (?) OR t.object IN (?)) AND t.type = ?",
        ["taliban", "taliban", "hosts"]))
    assert "SCAN t" not in plan, plan


def test_workspace_ties_with_the_analyst_layer(tmp_path):
    from khabar.workspace import Workspace

    path = tmp_path / "kb.db"
    with Store(path) as st:
        _doc(st, "a", [("taliban", "hosts", "al-qaeda", "asserted")])
        _doc(st, "b", [("taliban", "hosts", "al-qaeda", "asserted")], source="Reuters")
        _doc(st, "c", [("isis-k", "hostile_to", "taliban", "asserted")], source="Reuters")
    ws = Workspace(path)
    [(tie, items)] = ws.tie_records("al-qaeda")
    assert (tie.evidence, tie.sources) == (2, 2)
    ws.reject(items[0]["aid"])
    [(tie, _)] = ws.tie_records("al-qaeda")
    assert (tie.evidence, tie.sources) == (1, 1)  # rejected evidence stops counting
    ws.merge_actors("isis-k", "al-qaeda")
    ties = {(t.subject, t.type, t.object) for t, _ in ws.tie_records("al-qaeda")}
    assert ties == {("taliban", "hosts", "al-qaeda"), ("al-qaeda", "hostile_to", "taliban")}
    assert len(ws.tie_records(limit=1)) == 1 and ws.count_ties() == 2
    ws.close()


def _mention_doc(st: Store, doc_id: str, found: list[tuple[str, str]]) -> None:
    from khabar.schema import Mention

    text = " ".join(s for s, _ in found) + "."
    mentions, pos = [], 0
    for surface, actor in found:
        mentions.append(Mention(doc_id, pos, pos + len(surface), surface, actor, 1.0, "gazetteer", ""))
        pos += len(surface) + 1
    ex = Extraction(doc_id=doc_id, actors=[Actor(id=a, name=a, kind="armed_group") for a in ACTORS],
                    mentions=mentions, assertions=[], events=[], places=[], judgments=[], sentences=[(0, len(text))])
    write_document(st.conn, Document(id=doc_id, text=text, name=f"{doc_id}.txt"), ex)


def test_actor_counts_kept_on_write(st):
    def fresh():
        rows = st.conn.execute("SELECT actor_id, COUNT(*), COUNT(DISTINCT doc_id) FROM mentions GROUP BY actor_id")
        return {a: (m, d) for a, m, d in rows}

    def kept():
        return {r["id"]: (r["mentions"], r["documents"]) for r in store_actors(st.conn) if r["mentions"]}

    from khabar.store.read import actors as store_actors

    _mention_doc(st, "a", [("Taliban", "taliban"), ("Taleban", "taliban"), ("ISKP", "isis-k")])
    _mention_doc(st, "b", [("Taliban", "taliban")])
    assert kept() == fresh() == {"taliban": (3, 2), "isis-k": (1, 1)}
    surfaces = {r["id"]: r["surfaces"] for r in store_actors(st.conn)}
    assert surfaces["taliban"] == ["Taliban", "Taleban"]  # most frequent first
    _mention_doc(st, "a", [("ISKP", "isis-k")])  # stored again, saying less
    assert kept() == fresh() == {"taliban": (1, 1), "isis-k": (1, 1)}
    assert {r["id"]: r["surfaces"] for r in store_actors(st.conn)}["taliban"] == ["Taliban"]
    _mention_doc(st, "b", [])
    assert kept() == fresh() == {"isis-k": (1, 1)}


def test_refresh_in_short_transactions_gives_the_same_figures(st, monkeypatch):
    """With a time slice of nothing, every tie is its own transaction: the figures and the
    degrees are those of one long refresh, and nothing is left marked."""
    from khabar.store import ties as tie_store

    for k in range(12):
        _doc(st, f"d{k}", [("taliban", "hostile_to", ACTORS[1 + k % 3], "asserted"),
                           (ACTORS[1 + k % 3], "allied_with", ACTORS[(k + 2) % 4], "asserted")], source=f"S{k % 5}")
    commits = []
    real = tie_store._degrees

    def counted(conn, actors):
        commits.append(len(actors))
        real(conn, actors)

    monkeypatch.setattr(tie_store, "_degrees", counted)
    looked = refresh(st.conn, slice_s=0.0)
    assert looked == len(commits) > 1  # one tie a transaction
    assert st.conn.execute("SELECT COUNT(*) FROM tie_dirty").fetchone()[0] == 0
    assert _kept(st) == _fresh(st)


def test_readers_leave_the_tie_figures_to_a_running_ingest(tmp_path):
    """While another process holds the ingest lock, a read shows the figures as they are and
    does not take the write lock to recount them; once the ingest is gone, the next read does."""
    import subprocess
    import sys

    from khabar.ingest import ingest_running
    from khabar.workspace import Workspace

    db = tmp_path / "kb.db"
    with Store(db) as s:
        _doc(s, "a", [("taliban", "hosts", "al-qaeda", "asserted")])
    assert not ingest_running(str(db))
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom khabar.ingest import ingest_lock\n"
         f"with ingest_lock({str(db)!r}):\n    print('held', flush=True)\n    sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert ingest_running(str(db))
        ws = Workspace(db)
        assert ws.conn.execute("SELECT COUNT(*) FROM tie_dirty").fetchone()[0] == 1
        ws.ties()
        assert ws.conn.execute("SELECT COUNT(*) FROM tie_dirty").fetchone()[0] == 1  # left to the ingest
    finally:
        holder.communicate("")
    assert not ingest_running(str(db))
    assert list(ws.ties()["object"]) == ["al-qaeda"]
    assert ws.conn.execute("SELECT COUNT(*) FROM tie_dirty").fetchone()[0] == 0
    ws.close()


def test_originals_and_duplicates_counted_on_write(st):
    """counts() reads the documents and duplicates kept by trigger, never counting the table:
    an original, a near-duplicate, a document written again, one made a duplicate later, one
    deleted."""
    from khabar.store.read import counts
    from khabar.store.write import record_duplicate

    def fresh() -> tuple[int, int]:
        one = lambda sql: st.conn.execute(sql).fetchone()[0]  # noqa: E731
        return (one("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NULL"),
                one("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL"))

    _doc(st, "a", [("taliban", "hosts", "al-qaeda", "asserted")])
    _doc(st, "b", [])
    _doc(st, "a", [("taliban", "hostile_to", "isis-k", "asserted")])  # written again: still one original
    record_duplicate(st.conn, Document(id="c", text="Sentence 0 of a about them.", name="c.txt"), "a")
    assert (counts(st.conn)["documents"], counts(st.conn)["duplicates"]) == fresh() == (2, 1)
    st.conn.execute("UPDATE documents SET duplicate_of = 'a' WHERE id = 'b'")
    assert (counts(st.conn)["documents"], counts(st.conn)["duplicates"]) == fresh() == (1, 2)
    st.conn.execute("DELETE FROM documents WHERE id = 'c'")
    assert (counts(st.conn)["documents"], counts(st.conn)["duplicates"]) == fresh() == (1, 1)


def test_the_overview_lists_read_along_indexes(st):
    """The contested ties and the latest events, the overview's lists, are read in index order."""
    plans = {}
    for name, sql in {
        "contested": "SELECT t.* FROM ties t WHERE t.contested = 1 ORDER BY t.sources DESC, t.evidence DESC, "
                     "t.subject, t.type, t.object LIMIT 20",
        "latest": "SELECT e.* FROM events e ORDER BY e.date_end IS NULL, e.date_end DESC, e.seq DESC LIMIT 10",
    }.items():
        plans[name] = " | ".join(r[3] for r in st.conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert "ties_contested" in plans["contested"] and "TEMP B-TREE" not in plans["contested"], plans
    assert "events_latest" in plans["latest"] and "TEMP B-TREE" not in plans["latest"], plans
