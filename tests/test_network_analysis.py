"""Network analysis (issue 12, part 3): centrality, communities and brokers, the path
between two actors, and the ties that changed between two windows.

Table-driven on hand-built graphs (known betweenness, a known broker, a known path, two
cliques joined by a bridge), then on a hand-built knowledge base whose windows hold known
appeared, strengthened and vanished ties (one vanished with coverage continuing, one with
none), with the analyst layer applied; then the CLI and the brief on the example corpus.
"""

from __future__ import annotations

import sqlite3

import networkx as nx
import pytest

from khabar.analyze.network import (
    COOPERATIVE,
    _install_functions,
    _Layer,
    actor_coverage,
    best_evidence,
    brief_section,
    centrality_table,
    change_coverage_label,
    check_types,
    classify_change,
    communities,
    graph,
    median_date,
    parse_windows,
    projection,
    shortest_paths,
    tie_changes,
    window_label,
)
from khabar.cli import main
from khabar.errors import KhabarError
from khabar.present.network_brief import network_analysis_html, network_analysis_markdown
from khabar.schema import Actor, Assertion, Document, Extraction, Mention, is_symmetric
from khabar.store import Store, assertions
from khabar.store.write import write_document
from khabar.workspace import Workspace

# -- hand-built graphs ------------------------------------------------------------------------

def _graph(edges: list[tuple], nodes: list[str] = ()) -> nx.MultiDiGraph:
    """A graph as ``graph()`` makes them: (subject, object[, type[, evidence[, asserted]]])."""
    g = nx.MultiDiGraph()
    for n in nodes:
        g.add_node(n, name=n.upper())
    for e in edges:
        s, o = e[0], e[1]
        t = e[2] if len(e) > 2 else "allied_with"
        ev = e[3] if len(e) > 3 else 1
        asserted = e[4] if len(e) > 4 else ev
        for n in (s, o):
            if n not in g:
                g.add_node(n, name=n.upper())
        g.add_edge(s, o, key=t, tie_type=t, evidence=ev, asserted=asserted, symmetric=is_symmetric(t), sources=1)
    return g


def _cliques() -> nx.MultiDiGraph:
    """Two cliques of four (a1-a4, b1-b4) joined through the bridge c (a1 - c - b1)."""
    edges = [(f"{x}{i}", f"{x}{j}") for x in "ab" for i in range(1, 5) for j in range(i + 1, 5)]
    return _graph([*edges, ("a1", "c"), ("c", "b1")])


BETWEENNESS_CASES = [
    # a path a-b-c-d: b and c lie on 2 of the 3 paths between the others
    ("path", [("a", "b"), ("b", "c"), ("c", "d")], {"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0}),
    # a star: the hub is on every path
    ("star", [("h", x) for x in "wxyz"], {"h": 1.0, "w": 0.0, "x": 0.0}),
    # a triangle: nobody is needed
    ("triangle", [("a", "b"), ("b", "c"), ("a", "c")], {"a": 0.0, "b": 0.0, "c": 0.0}),
    # two cliques and a bridge: 16 of the 28 pairs of the others pass through c, 15 through a1
    ("cliques", None, {"c": 16 / 28, "a1": 15 / 28, "b1": 15 / 28, "a2": 0.0}),
    # two ties of two types between one pair are one link; direction does not matter
    ("typed", [("a", "b", "hosts"), ("b", "a", "supports"), ("b", "c", "hosts")], {"b": 1.0, "a": 0.0}),
]


@pytest.mark.parametrize("name,edges,expected", BETWEENNESS_CASES, ids=[c[0] for c in BETWEENNESS_CASES])
def test_betweenness_is_known(name, edges, expected):
    g = _cliques() if edges is None else _graph(edges)
    rows = {r["id"]: r for r in centrality_table(g, types=None)}
    for node, value in expected.items():
        assert rows[node]["betweenness"] == pytest.approx(value, abs=1e-6), node


@pytest.mark.parametrize("edges,node,degree", [
    ([("a", "b"), ("a", "c"), ("a", "d")], "a", 3),
    ([("a", "b", "hosts"), ("a", "b", "supports"), ("b", "a", "allied_with")], "a", 1),  # one neighbour
    ([("a", "b"), ("a", "c", "allied_with", 2, 0)], "a", 1),  # a tie only denied is no link
])
def test_degree_counts_distinct_neighbours_with_asserted_ties(edges, node, degree):
    rows = {r["id"]: r for r in centrality_table(_graph(edges), types=None)}
    assert rows[node]["degree"] == degree


def test_two_cliques_are_two_communities_and_the_bridge_is_the_first_broker():
    g = _cliques()
    rows = {r["id"]: r for r in centrality_table(g, types=None)}
    a = {rows[f"a{i}"]["community"] for i in range(1, 5)}
    b = {rows[f"b{i}"]["community"] for i in range(1, 5)}
    assert len(a) == 1 and len(b) == 1 and a != b
    assert rows["c"]["broker"] and rows["c"]["broker_rank"] == 1 and rows["c"]["spans"] == 2
    assert rows["c"]["participation"] == pytest.approx(0.5)
    assert not rows["a2"]["broker"] and not rows["b3"]["broker"]
    assert rows["a2"]["participation"] == 0.0
    # the table is ordered by betweenness: the bridge first
    assert centrality_table(g, types=None)[0]["id"] == "c"


def test_communities_are_deterministic_and_numbered_by_size():
    g = _graph([("x", "y"), ("y", "z"), ("x", "z"), ("x", "w"), ("p", "q")])
    first = communities(projection(g))
    # the same graph built in another order gives the same answer
    again = communities(projection(_graph([("p", "q"), ("x", "w"), ("x", "z"), ("y", "z"), ("x", "y")])))
    assert first == again
    assert first["p"] == first["q"] != first["x"]
    assert max(first.values()) == len(set(first.values()))
    assert first["x"] < first["p"]  # the bigger community comes first


def test_hostility_makes_no_broker_by_default():
    # h is hostile to both cliques' members; with cooperative ties only it is not in the table
    g = _cliques()
    g.add_edge("h", "a2", key="hostile_to", tie_type="hostile_to", evidence=3, asserted=3)
    g.add_edge("h", "b2", key="hostile_to", tie_type="hostile_to", evidence=3, asserted=3)
    assert "h" not in {r["id"] for r in centrality_table(g)}
    every = {r["id"]: r for r in centrality_table(g, types=None)}
    assert every["h"]["broker"] and every["h"]["degree"] == 2
    assert "hostile_to" not in COOPERATIVE and "allied_with" in COOPERATIVE


PATH_CASES = [
    # (edges, source, target, types, expected paths as node lists)
    ([("a", "b"), ("b", "c"), ("c", "d"), ("a", "x"), ("x", "d")], "a", "d", None, [["a", "x", "d"]]),
    ([("a", "b"), ("b", "d"), ("a", "c"), ("c", "d")], "a", "d", None, [["a", "b", "d"], ["a", "c", "d"]]),
    # a type filter takes the shortcut away
    ([("a", "b"), ("b", "c"), ("a", "c", "hostile_to")], "a", "c", ["allied_with"], [["a", "b", "c"]]),
    ([("a", "b"), ("b", "c"), ("a", "c", "hostile_to")], "a", "c", None, [["a", "c"]]),
    # direction is ignored: c hosts b, b affiliate of a
    ([("b", "a", "affiliate_of"), ("c", "b", "hosts")], "a", "c", None, [["a", "b", "c"]]),
]


@pytest.mark.parametrize("edges,source,target,types,expected", PATH_CASES)
def test_known_shortest_paths(edges, source, target, types, expected):
    paths = shortest_paths(_graph(edges), source, target, types=types)
    assert [[p[0]["from"], *(h["to"] for h in p)] for p in paths] == expected
    assert all(h["ties"] for p in paths for h in p)


def test_a_hop_says_each_tie_its_direction_and_evidence():
    g = _graph([("b", "a", "affiliate_of", 3), ("a", "b", "allied_with", 1), ("a", "b", "supports", 0, 0),
                ("c", "b", "hosts", 2)])
    (path,) = shortest_paths(g, "a", "c")
    first, second = path
    assert [(t["tie_type"], t["direction"], t["evidence"]) for t in first["ties"]] == [
        ("affiliate_of", "<-", 3), ("allied_with", "--", 1)]  # best evidenced first; the denied one left out
    assert [(t["subject"], t["object"]) for t in first["ties"]] == [("b", "a"), ("a", "b")]
    assert [(t["tie_type"], t["direction"]) for t in second["ties"]] == [("hosts", "<-")]
    assert shortest_paths(g, "c", "a")[0][0]["ties"][0]["direction"] == "->"


def test_limit_of_paths():
    g = _graph([("s", f"m{i}") for i in range(5)] + [(f"m{i}", "t") for i in range(5)])
    assert len(shortest_paths(g, "s", "t", limit=2)) == 2
    assert len(shortest_paths(g, "s", "t", limit=10)) == 5


@pytest.mark.parametrize("edges,nodes,source,target,code", [
    ([("a", "b"), ("c", "d")], [], "a", "d", "E321"),
    ([("a", "b")], ["z"], "a", "z", "E324"),  # z has no tie
    ([("a", "b")], [], "a", "a", "E324"),
    ([("a", "b", "allied_with", 2, 0)], [], "a", "b", "E324"),  # only denied: no link
])
def test_path_errors(edges, nodes, source, target, code):
    with pytest.raises(KhabarError) as exc:
        shortest_paths(_graph(edges, nodes), source, target)
    assert exc.value.code == code


CHANGE_CASES = [
    # before, after, scale, expected kind
    (0, 3, 1.0, "appeared"),
    (0, 1, 1.0, "appeared"),
    (3, 0, 1.0, "vanished"),
    (2, 6, 1.0, "strengthened"),
    (6, 2, 1.0, "weakened"),
    (2, 3, 1.0, None),          # less than twice as many
    (1, 2, 1.0, None),          # twice, but only one sentence more
    (2, 6, 3.0, None),          # the second window holds three times the documents: as expected
    (4, 4, 0.25, "strengthened"),  # the same count from a quarter of the documents
    (6, 3, 1.0, "weakened"),    # half, and three fewer
    (0, 0, 1.0, None),
]


@pytest.mark.parametrize("before,after,scale,kind", CHANGE_CASES)
def test_classify_change(before, after, scale, kind):
    assert classify_change(before, after, scale) == kind


def test_thresholds_of_a_change():
    assert classify_change(6, 3, factor=3.0) is None
    assert classify_change(2, 5, min_change=4) is None
    assert classify_change(2, 1) is None  # one sentence fewer is not enough


@pytest.mark.parametrize("kind,before,after,scale,label", [
    ("vanished", 10, 9, 1.0, "no longer reported while coverage continued"),
    ("vanished", 10, 2, 1.0, "no coverage"),
    ("vanished", 10, 4, 1.0, "reduced coverage"),
    ("vanished", 10, 6, 2.0, "reduced coverage"),  # a window twice as big should have twice the documents
    ("weakened", 5, 5, 1.0, "less reported while coverage continued"),
    ("appeared", 1, 8, 1.0, "no earlier coverage"),
    ("appeared", 5, 20, 1.0, "coverage rose too"),
    ("strengthened", 5, 6, 1.0, "steady coverage"),
    ("strengthened", 5, 12, 2.0, "steady coverage"),
])
def test_change_coverage_label(kind, before, after, scale, label):
    assert change_coverage_label(kind, before, after, scale) == label


def test_windows_and_types_are_checked():
    assert parse_windows(before="2021-08-15") == [(None, "2021-08-15"), ("2021-08-15", None)]
    assert parse_windows(windows=["2020..2021-06", "2021-09.."]) == [("2020", "2021-06~"), ("2021-09", None)]
    assert window_label("2020", "2021-06~") == "2020 to 2021-06"
    assert window_label(None, "2021-08-15") == "before 2021-08-15"
    for before, windows in [(None, None), ("2021", ["2020..2021"]), (None, ["2020..2021"]),
                            (None, ["2020-2021", "2022.."]), (None, ["2022..2021", "2022.."])]:
        with pytest.raises(KhabarError) as exc:
            parse_windows(before, windows)
        assert exc.value.code == "E322"
    with pytest.raises(KhabarError) as exc:
        parse_windows(windows=["2021-13..", "2022.."])
    assert exc.value.code == "E303"
    with pytest.raises(KhabarError) as exc:
        check_types(["hosts", "hots"])
    assert exc.value.code == "E320" and "did you mean hosts" in exc.value.message
    assert check_types(None) is None and check_types(["hosts", "hosts"]) == ["hosts"]


# -- a hand-built knowledge base with known windows -------------------------------------------

ACTORS = ["a", "b", "c", "d", "e", "x"]
# (published, ties (subject, type, object), other actors mentioned)
DOCS = [
    ("2020-01-10", [("a", "allied_with", "b")], ["c", "d"]),
    ("2020-02-10", [("a", "allied_with", "b"), ("c", "hostile_to", "d")], []),
    ("2020-03-10", [("a", "allied_with", "b"), ("c", "hostile_to", "d")], []),
    ("2020-04-10", [("a", "hosts", "c"), ("e", "supports", "x")], []),
    ("2020-05-10", [("e", "supports", "x")], ["d"]),
    ("2020-06-10", [], ["c", "e"]),
    ("2022-01-10", [("a", "allied_with", "b"), ("a", "hosts", "c")], []),
    ("2022-02-10", [("a", "allied_with", "b"), ("a", "hosts", "c")], []),
    ("2022-03-10", [("a", "allied_with", "b"), ("a", "hosts", "c"), ("b", "cooperates_with", "d")], []),
    ("2022-04-10", [("a", "hosts", "c"), ("b", "cooperates_with", "d")], ["c", "d"]),
    ("2022-05-10", [("a", "hosts", "c")], ["c", "d"]),
    ("2022-06-10", [], ["c", "d", "x"]),
]


def _build(path) -> str:
    with Store(path) as st:
        for k, (day, ties, others) in enumerate(DOCS):
            doc_id = f"doc{k:02d}"
            sentences = [f"{s.upper()} {t.replace('_', ' ')} {o.upper()}, report {k} says." for s, t, o in ties]
            text = " ".join(sentences) + f" Also named in report {k}: " + ", ".join(others or ["nobody"]) + "."
            found, spans, pos = [], [], 0
            for (s, t, o), sentence in zip(ties, sentences, strict=True):
                found.append(Assertion(doc_id=doc_id, subject=s, type=t, object=o, sentence=sentence, start=pos,
                                       end=pos + len(sentence), trigger=t))
                spans.append((pos, pos + len(sentence)))
                pos += len(sentence) + 1
            named = sorted({a for tie in ties for a in (tie[0], tie[2])} | set(others))
            mentions = [Mention(doc_id=doc_id, start=0, end=1, surface=a.upper(), actor_id=a) for a in named]
            ex = Extraction(doc_id=doc_id, actors=[Actor(id=a, name=f"Group {a.upper()}", kind="armed_group")
                                                   for a in ACTORS],
                            mentions=mentions, assertions=found, events=[], places=[], judgments=[],
                            sentences=spans)
            write_document(st.conn, Document(id=doc_id, text=text, name=f"{doc_id}.txt", source=f"Outlet {k % 3}",
                                             title=f"Report {k}", published=day), ex)
    return str(path)


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("network") / "kb.db")


@pytest.fixture
def fresh(tmp_path):
    """A knowledge base of its own, for a test that records analyst actions."""
    with Workspace(_build(tmp_path / "kb.db")) as ws:
        yield ws


def _edges(g) -> dict[tuple[str, str, str], dict]:
    return {(u, k, v): d for u, v, k, d in g.edges(keys=True, data=True)}


def test_graph_reads_the_kept_figures(kb):
    with Workspace(kb) as ws:
        g = ws.graph()
    edges = _edges(g)
    assert set(edges) == {("a", "allied_with", "b"), ("a", "hosts", "c"), ("c", "hostile_to", "d"),
                          ("e", "supports", "x"), ("b", "cooperates_with", "d")}
    ab = edges[("a", "allied_with", "b")]
    assert (ab["evidence"], ab["documents"], ab["sources"], ab["first_seen"], ab["last_seen"]) == (
        6, 6, 3, "2020-01-10", "2022-03-10")
    assert ab["modality"] == "asserted" and ab["symmetric"] and ab["analyst"] is None
    assert not edges[("a", "hosts", "c")]["symmetric"]
    assert g.nodes["a"]["name"] == "Group A" and g.nodes["a"]["kind"] == "armed_group"
    assert isinstance(g.nodes["a"]["aliases"], list)
    # the same through an open Store, with filters
    with Store(kb) as st:
        only = graph(st, types=["hosts"], min_evidence=3)
    assert set(_edges(only)) == {("a", "hosts", "c")} and set(only.nodes) == {"a", "c"}
    with Store(kb) as st:
        assert set(_edges(graph(st, min_evidence=3))) == {("a", "allied_with", "b"), ("a", "hosts", "c")}


@pytest.mark.parametrize("since,until,expected", [
    ("2022", None, {("a", "allied_with", "b"): 3, ("a", "hosts", "c"): 5, ("b", "cooperates_with", "d"): 2}),
    (None, "2020", {("a", "allied_with", "b"): 3, ("a", "hosts", "c"): 1, ("c", "hostile_to", "d"): 2,
                    ("e", "supports", "x"): 2}),
    ("2020-03", "2020-04", {("a", "allied_with", "b"): 1, ("a", "hosts", "c"): 1, ("c", "hostile_to", "d"): 1,
                            ("e", "supports", "x"): 1}),
])
def test_graph_in_a_window_counts_its_evidence(kb, since, until, expected):
    with Workspace(kb) as ws:
        edges = _edges(ws.graph(since=since, until=until))
    assert {k: d["evidence"] for k, d in edges.items()} == expected
    if since == "2022":
        assert edges[("a", "hosts", "c")]["first_seen"] == "2022-01-10"
        assert edges[("a", "hosts", "c")]["credibility"] is not None  # the tie's kept rating


def test_graph_applies_the_analyst_layer(fresh):
    ws = fresh
    aid = next(a["aid"] for a in assertions(ws.conn) if a["type"] == "allied_with" and a["doc_id"] == "doc00")
    ws.reject(aid)
    ws.reject("tie:e|supports|x")
    ws.confirm("tie:a|hosts|c")
    ws.merge_actors("d", "c")
    g = ws.graph()
    edges = _edges(g)
    assert edges[("a", "allied_with", "b")]["evidence"] == 5  # the rejected sentence stops counting
    assert ("e", "supports", "x") not in edges and "e" not in g  # the rejected tie is out
    assert edges[("a", "hosts", "c")]["analyst"] == "confirmed"
    # d is c now: c hostile_to d loops on c and goes; b cooperates_with d is b cooperates_with c
    assert "d" not in g and ("c", "hostile_to", "c") not in edges
    assert edges[("b", "cooperates_with", "c")]["evidence"] == 2
    windowed = _edges(ws.graph(since="2020", until="2020"))
    assert windowed[("a", "allied_with", "b")]["evidence"] == 2
    assert ("e", "supports", "x") not in windowed
    best = best_evidence(ws, ("a", "allied_with", "b"), before="2020-02")
    assert best is None  # its only sentence in January was rejected
    # the changes leave out the rejected tie, and count d's coverage as c's
    changes = {(c["subject"], c["type"], c["object"]): c for c in
               tie_changes(ws, parse_windows(before="2021"))["changes"]}
    assert ("e", "supports", "x") not in changes
    assert changes[("b", "cooperates_with", "c")]["kind"] == "appeared"


def test_changes_between_two_windows(kb):
    with Workspace(kb) as ws:
        report = tie_changes(ws, parse_windows(before="2021-01-01"))
    assert [w["documents"] for w in report["windows"]] == [6, 6] and report["scale"] == 1.0
    found = {(c["subject"], c["type"], c["object"]): c for c in report["changes"]}
    assert {k: c["kind"] for k, c in found.items()} == {
        ("b", "cooperates_with", "d"): "appeared", ("a", "hosts", "c"): "strengthened",
        ("c", "hostile_to", "d"): "vanished", ("e", "supports", "x"): "vanished"}  # a-b stayed at 3 and 3
    assert [c["kind"] for c in report["changes"]] == ["appeared", "strengthened", "vanished", "vanished"]
    assert found[("a", "hosts", "c")]["evidence"] == [1, 5]
    # c and d kept being discussed after their fight stopped being reported: a finding
    cd = found[("c", "hostile_to", "d")]
    assert cd["coverage"] == {"subject": [5, 6], "object": [4, 4]}
    assert cd["label"] == "no longer reported while coverage continued"
    # e was never named again: the silence says nothing
    ex = found[("e", "supports", "x")]
    assert ex["coverage"]["subject"] == [3, 0] and ex["label"] == "no coverage"
    assert found[("b", "cooperates_with", "d")]["label"] == "steady coverage"


def test_changes_in_explicit_windows_and_with_thresholds(kb):
    with Workspace(kb) as ws:
        report = tie_changes(ws, parse_windows(windows=["2020-01..2020-03", "2022-01..2022-03"]))
        kinds = {(c["subject"], c["type"], c["object"]): c["kind"] for c in report["changes"]}
        assert [w["documents"] for w in report["windows"]] == [3, 3]
        assert kinds == {("c", "hostile_to", "d"): "vanished", ("a", "hosts", "c"): "appeared",
                         ("b", "cooperates_with", "d"): "appeared"}
        strict = tie_changes(ws, parse_windows(before="2021"), min_evidence=3)
        assert {c["kind"] for c in strict["changes"]} == {"strengthened"}
        with pytest.raises(KhabarError) as exc:
            tie_changes(ws, parse_windows(before="2021"), types=["alied_with"])
        assert exc.value.code == "E320"


def test_best_evidence_and_coverage(kb):
    with Workspace(kb) as ws:
        best = best_evidence(ws, ("a", "hosts", "c"), since="2022", before=None)
        assert best["published"] == "2022-05-10"  # the latest, all else equal
        assert best["sentence"].startswith("A hosts C") and best["title"] == "Report 10"
        assert best_evidence(ws, ("c", "hostile_to", "d"), since="2021") is None
        assert actor_coverage(ws.conn, ["c", "d"], parse_windows(before="2021")) == [6, 6]
        assert actor_coverage(ws.conn, ["e", "x"], parse_windows(before="2021")) == [3, 1]
        assert median_date(ws.conn) == "2022-01-10"


def test_window_reads_use_indexes(kb):
    """The statements of the window readers are planned without a scan of a big table."""
    from tests.test_query_plans import _scans

    with Workspace(kb) as ws:
        ws.conn.execute("ANALYZE")
        seen: list[str] = []
        ws.conn.set_trace_callback(seen.append)
        windows = parse_windows(before="2021")
        ws.graph(since="2022")
        tie_changes(ws, windows)
        best_evidence(ws, ("a", "hosts", "c"), since="2022")
        median_date(ws.conn)
        ws.conn.set_trace_callback(None)
        _install_functions(ws.conn, _Layer(ws))
        sqls = [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        assert any("WITH r AS MATERIALIZED" in s for s in sqls) and any("mentions m" in s for s in sqls)
        bad = {s[:200]: _scans(ws.conn, s) for s in sqls if _scans(ws.conn, s)}
    assert not bad, bad


def test_the_brief_section_from_the_knowledge_base(kb):
    with Workspace(kb) as ws:
        section = brief_section(ws, before="2021")
    assert section["central"][0]["id"] == "a"  # a joins b and c: the only actor between others
    assert {c["kind"] for c in section["changes"]["items"]} == {"appeared", "strengthened", "vanished"}
    assert section["changes"]["counts"] == {"appeared": 1, "strengthened": 1, "weakened": 0, "vanished": 2}
    assert all(c["best_evidence"] for c in section["changes"]["items"])
    html = network_analysis_html(section)
    md = "\n".join(network_analysis_markdown(section))
    for text in (html, md):
        assert "Central actors and brokers" in text and "What changed" in text
        assert "no longer reported while coverage continued" in text and "Group C" in text


def test_the_brief_section_escapes_what_documents_say():
    evil = "<script>alert(1)</script>"
    best = {"sentence": f"They said {evil} | **bold**", "title": "<b>title</b>", "source": "S", "published": "2021",
            "url": "javascript:alert(1)", "reliability": "B"}
    section = {"central": [{"id": "x", "name": evil, "degree": 1, "betweenness": 0.5, "community": 1,
                            "broker": True, "broker_rank": 1, "spans": 2}],
               "brokers": [{"id": "x", "name": evil, "betweenness": 0.5}], "actors": 1, "communities": 1,
               "changes": {"before": "2021", "windows": [{"since": None, "before": "2021", "documents": 1},
                                                         {"since": "2021", "before": None, "documents": 1}],
                           "counts": {"appeared": 1}, "hidden": 0,
                           "items": [{"kind": "appeared", "subject": "x", "subject_name": evil, "type": "hosts",
                                      "object": "y", "object_name": "Y", "evidence": [0, 1],
                                      "coverage": {"subject": [0, 1], "object": [0, 1]}, "label": "steady coverage",
                                      "best_evidence": best}]}}
    html = network_analysis_html(section)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>title</b>" not in html
    assert "javascript:" not in html.replace("javascript:alert(1)", "") and 'href="javascript' not in html
    md = "\n".join(network_analysis_markdown(section))
    assert "<script>" not in md and "](<javascript" not in md and "\\*\\*bold" in md
    assert network_analysis_html(None) == "" and network_analysis_markdown(None) == []


# -- the example corpus: CLI and brief ----------------------------------------------------------

@pytest.mark.slow
def test_cli_network_path_and_changes(demo_db, capsys):
    path = str(demo_db[0])
    assert main(["network", "--db", path, "--limit", "5"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["actor", "degree", "betweenness", "community", "broker?"]
    assert len([line for line in lines[1:] if not line.startswith("(")]) == 5 and "next: --offset 5" in out
    assert main(["network", "--db", path, "--brokers", "--json"]) == 0
    import json

    brokers = json.loads(capsys.readouterr().out)
    assert brokers and all(b["broker"] for b in brokers)
    assert [b["broker_rank"] for b in brokers] == list(range(1, len(brokers) + 1))

    assert main(["path", "taliban", "islamic state khorasan", "--db", path]) == 0
    out = capsys.readouterr().out
    assert "hostile to" in out and "evidence" in out and '"' in out  # a hop with its quoted sentence
    assert main(["changes", "--before", "2021-08-15", "--db", path, "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("window 1: before 2021-08-15") and "appeared" in out
    assert out.count("\nappeared: ") == 3 and '  "' in out  # each change with its best sentence
    assert main(["changes", "--before", "2021-08-15", "--db", path, "--limit", "3", "--table"]) == 0
    assert "\nappeared: " not in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("argv,code", [
    (["path", "taliban", "talibn"], "E301"),
    (["path", "taliban", "taliban"], "E324"),
    (["path", "taliban", "isis", "--type", "hots"], "E320"),
    (["network", "--type", "alied"], "E320"),
    (["network", "--min-evidence", "-1"], "E311"),
    (["changes"], "E322"),
    (["changes", "--window", "2021.."], "E322"),
    (["changes", "--before", "2021", "--factor", "0.5"], "E322"),
    (["network", "--limit", "-1"], "E311"),
])
def test_cli_errors_are_coded(demo_db, capsys, argv, code):
    assert main([*argv, "--db", str(demo_db[0])]) == 2
    assert f"[{code}]" in capsys.readouterr().err


def test_read_commands_need_a_knowledge_base(tmp_path, capsys):
    missing = tmp_path / "none.db"
    assert main(["network", "--db", str(missing)]) == 2
    assert "[E300]" in capsys.readouterr().err and not missing.exists()


@pytest.mark.slow
def test_the_brief_has_the_network_sections(demo_db, tmp_path):
    with Workspace(demo_db[0]) as ws:
        data = ws.brief_data()
        html = ws.brief(tmp_path / "b.html").read_text()
        md = ws.brief(tmp_path / "b.md", fmt="md").read_text()
    section = data["network_analysis"]
    assert section["central"] and section["changes"]["items"]
    assert section["central"][0]["name"] == "Taliban"
    assert '<section id="centrality">' in html and '<section id="changes">' in html
    nav = html.split("<nav>", 1)[1].split("</nav>", 1)[0]  # the brief's own contents line links them
    assert '<a href="#centrality">' in nav and '<a href="#changes">' in nav
    assert nav.index("#changes") < nav.index("#ties")
    assert "## Central actors and brokers" in md and "## What changed" in md
    assert html.count("<blockquote>") >= len(section["changes"]["items"]) - 1


def test_no_scan_helper_is_fooled(kb):
    """The plan check sees the window statement (a missing SQL function would hide it)."""
    with Workspace(kb) as ws:
        _install_functions(ws.conn, _Layer(ws))
        plan = [r[3] for r in ws.conn.execute(
            "EXPLAIN QUERY PLAN SELECT khabar_tie(x.subject, x.type, x.object) FROM documents d "
            "JOIN assertions x ON x.doc_id = d.id WHERE (d.published IS NULL) = 0 AND d.published >= '2021'")]
        assert any("assertions_doc" in p for p in plan)
        with pytest.raises(sqlite3.OperationalError):
            sqlite3.connect(kb).execute("EXPLAIN QUERY PLAN SELECT khabar_tie(1, 2, 3)")
