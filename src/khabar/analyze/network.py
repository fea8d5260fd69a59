"""The tie network as analysts study it: who is central, who brokers between groups of
actors, how two actors are connected, and which ties changed between two windows of time.

Two layers, kept apart so that hand-built graphs can test the analysis:

* pure functions over a ``networkx`` graph (``projection``, ``centrality_table``,
  ``communities``, ``shortest_paths``) and over per-window figures (``classify_change``,
  ``change_coverage_label``);
* readers over a knowledge base (``graph``, ``tie_changes``, ``best_evidence``) that apply
  the analyst layer as every other reader does: actors an analyst merged are one node,
  evidence and ties an analyst rejected are left out, confirmed ties are marked. They read
  the kept tie figures (``store.ties``), and count assertions per window in SQL (documents
  by date through ``documents_order``, their assertions through ``assertions_doc``): no
  reader brings every assertion into Python.

Choices, and why:

* Centrality runs on the undirected simple projection (one edge per pair of actors, any
  tie type, direction dropped: brokerage is about who can reach whom) and is *unweighted*.
  Evidence counts measure how much the press wrote about a pair, not how close the pair is;
  weighting by 1/evidence would make the most reported actors shortcuts for everyone and
  hide the quiet brokers analysts look for. Hop counts are also what an analyst can check
  by hand.
* Only ties some source asserts count as edges ("X is not allied with Y" is no link), and
  by default the centrality table leaves out ``hostile_to``: a common enemy is not a
  broker, and enmity does not make a community. ``types`` chooses otherwise. Paths use
  every type: that the Taliban fight ISIS-K is the shortest answer to how they are tied.
* Communities are Louvain's with a fixed seed (deterministic), numbered by size.
* A broker is an actor whose neighbours fall in two or more communities; brokers rank by
  betweenness, then by participation (1 - sum over communities of the squared share of the
  actor's neighbours in it: 0 when all neighbours are in one community).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from khabar.analyze.credibility import is_title_row, sentence_key, tie_credibility
from khabar.analyze.ties import aggregate_ties, tie_key
from khabar.errors import KhabarError
from khabar.schema import is_symmetric, vocab

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "graph", "projection", "centrality_table", "communities", "shortest_paths", "classify_change",
    "change_coverage_label", "window_figures", "parse_windows", "check_types", "dominant_modality",
    "tie_changes", "best_evidence", "actor_coverage", "window_label", "brief_section", "median_date",
    "COOPERATIVE", "CHANGE_KINDS",
]

MODALITY_ORDER = ("asserted", "negated", "predicted")
# Tie types that can make a community or a broker (every type but enmity).
COOPERATIVE = tuple(t for t in vocab()["tie_types"] if t != "hostile_to")
CHANGE_KINDS = ("appeared", "strengthened", "weakened", "vanished")
_GRADE_RANK = {g: i for i, g in enumerate("ABCDEF")}
BETWEENNESS_BUDGET = 5_000_000  # actors x links up to which betweenness is exact (a few seconds)


def _nx():
    """networkx, or a coded error saying how to get it (it is a core dependency)."""
    try:
        import networkx
    except ImportError:  # pragma: no cover - the package pins it
        raise KhabarError("E323", "network analysis needs networkx, which is not installed") from None
    return networkx


def check_types(types: Iterable[str] | None) -> list[str] | None:
    """``types`` as a list (None: every type), or E320 naming the unknown ones and the near ones."""
    if types is None:
        return None
    import difflib

    types = list(dict.fromkeys(types))
    known = list(vocab()["tie_types"])
    unknown = [t for t in types if t not in known]
    if unknown:
        hints = {t: difflib.get_close_matches(t, known, n=2, cutoff=0.5) for t in unknown}
        said = ", ".join(f"{t!r}" + (f" (did you mean {' or '.join(h)}?)" if h else "") for t, h in hints.items())
        raise KhabarError("E320", f"unknown tie type {said}; the types are: {', '.join(known)}")
    return types


# -- pure analysis over a graph ---------------------------------------------------------------

def dominant_modality(asserted: int, negated: int, predicted: int) -> str:
    """The modality most of a tie's evidence has (asserted wins ties)."""
    if asserted >= negated and asserted >= predicted:
        return "asserted"
    return "negated" if negated >= predicted else "predicted"


def projection(g: nx.MultiDiGraph, types: Iterable[str] | None = None, asserted_only: bool = True) -> nx.Graph:
    """The undirected simple graph of ``g``: one edge per pair of actors tied by a tie of
    ``types`` (None: any) that some source asserts (``asserted_only``; an edge without an
    ``asserted`` figure counts). Each edge keeps ``types`` (sorted) and summed ``evidence``;
    every node of ``g`` is kept, tied or not."""
    nx = _nx()
    wanted = set(types) if types is not None else None
    out = nx.Graph()
    out.add_nodes_from(g.nodes(data=True))
    for u, v, key, data in g.edges(keys=True, data=True):
        tie_type = data.get("tie_type", key)
        if u == v or (wanted is not None and tie_type not in wanted):
            continue
        if asserted_only and data.get("asserted", 1) <= 0:
            continue
        if out.has_edge(u, v):
            edge = out[u][v]
            edge["types"] = sorted({*edge["types"], tie_type})
            edge["evidence"] += int(data.get("evidence", 1) or 0)
        else:
            out.add_edge(u, v, types=[tie_type], evidence=int(data.get("evidence", 1) or 0))
    return out


def communities(simple: nx.Graph, seed: int = 0) -> dict[Any, int]:
    """Louvain communities of ``simple`` (unweighted, fixed ``seed``: the same graph gives
    the same answer), numbered from 1 by size, then by their first member; an actor with
    no tie is a community of its own."""
    nx = _nx()
    if simple.number_of_nodes() == 0:
        return {}
    found = nx.community.louvain_communities(simple, weight=None, seed=seed)
    ordered = sorted((sorted(map(str, c)), c) for c in found)
    ordered.sort(key=lambda p: -len(p[1]))
    return {node: i for i, (_, members) in enumerate(ordered, start=1) for node in members}


def participation(simple: nx.Graph, node: Any, community: dict[Any, int]) -> tuple[float, int]:
    """(participation coefficient, number of communities among ``node``'s neighbours)."""
    counts: dict[int, int] = {}
    for other in simple.neighbors(node):
        counts[community[other]] = counts.get(community[other], 0) + 1
    k = sum(counts.values())
    if not k:
        return 0.0, 0
    return 1.0 - sum((n / k) ** 2 for n in counts.values()), len(counts)


def centrality_table(g: nx.MultiDiGraph, types: Iterable[str] | None = COOPERATIVE, seed: int = 0
                     ) -> list[dict[str, Any]]:
    """One row per tied actor: ``degree`` (distinct actors tied to it), ``betweenness``
    (normalised, unweighted), ``community``, ``participation``, ``spans`` (communities among
    its neighbours) and ``broker`` (spans >= 2), over the projection of ties of ``types``
    (default: all but hostile_to). Ordered by betweenness, then degree, then name;
    ``broker_rank`` numbers the brokers (by betweenness, then participation). On a network
    whose actors times links exceed ``BETWEENNESS_BUDGET``, betweenness is estimated from a
    seeded sample of actors (``approximate`` True)."""
    nx = _nx()
    simple = projection(g, types)
    simple.remove_nodes_from([n for n in list(simple.nodes) if simple.degree(n) == 0])
    n, m = simple.number_of_nodes(), simple.number_of_edges()
    # exact betweenness costs nodes x edges; past the budget it is estimated from a fixed
    # sample of source actors (the same seed gives the same figures)
    pivots = min(n, max(100, BETWEENNESS_BUDGET // max(1, m))) if n * m > BETWEENNESS_BUDGET else None
    pivots = None if pivots is not None and pivots >= n else pivots
    between = nx.betweenness_centrality(simple, k=pivots, normalized=True, seed=seed if pivots else None)
    community = communities(simple, seed)
    rows = []
    for node in simple.nodes:
        part, spans = participation(simple, node, community)
        rows.append({"id": node, "name": simple.nodes[node].get("name") or str(node),
                     "degree": simple.degree(node), "betweenness": round(between.get(node, 0.0), 6),
                     "community": community[node], "participation": round(part, 6), "spans": spans,
                     "broker": spans >= 2, "approximate": pivots is not None})
    brokers = sorted((r for r in rows if r["broker"]), key=lambda r: (-r["betweenness"], -r["participation"],
                                                                       r["name"], str(r["id"])))
    for i, r in enumerate(brokers, start=1):
        r["broker_rank"] = i
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], r["name"], str(r["id"])))
    return rows


def _hop_ties(g: nx.MultiDiGraph, u: Any, v: Any, types: set[str] | None) -> list[dict[str, Any]]:
    """The ties between ``u`` and ``v`` (either way), best evidenced first, each with its
    direction as walked from ``u``: "->" (u is the subject), "<-" or "--" (symmetric)."""
    out = []
    for a, b in ((u, v), (v, u)):
        for key, data in (g.get_edge_data(a, b) or {}).items():
            tie_type = data.get("tie_type", key)
            if types is not None and tie_type not in types:
                continue
            if data.get("asserted", 1) <= 0:
                continue
            direction = "--" if data.get("symmetric", is_symmetric(tie_type)) else ("->" if a == u else "<-")
            out.append({**data, "tie_type": tie_type, "subject": a, "object": b, "direction": direction})
    out.sort(key=lambda t: (-int(t.get("evidence", 0) or 0), t["tie_type"], t["direction"]))
    return out


def shortest_paths(g: nx.MultiDiGraph, source: Any, target: Any, types: Iterable[str] | None = None,
                   limit: int = 3) -> list[list[dict[str, Any]]]:
    """The shortest paths (at most ``limit``, in order of their actors' names) from ``source``
    to ``target`` over asserted ties of ``types`` (None: every type), direction ignored.
    Each path is a list of hops: ``{"from", "to", "ties"}`` with the ties of ``_hop_ties``.
    E324 when an end has no tie (or both ends are one actor), E321 when no path joins them."""
    nx = _nx()
    simple = projection(g, types)
    name = lambda n: (simple.nodes[n].get("name") if n in simple else None) or str(n)  # noqa: E731
    if source == target:
        raise KhabarError("E324", f"{name(source)} is at both ends: give two different actors")
    for end in (source, target):
        if end not in simple or simple.degree(end) == 0:
            raise KhabarError("E324", f"{name(end)} has no tie in the network"
                                      + (" of the types asked" if types is not None else ""))
    if not nx.has_path(simple, source, target):
        raise KhabarError("E321", f"no chain of ties joins {name(source)} and {name(target)}"
                                  + (" (with the tie types asked)" if types is not None else ""))
    wanted = set(types) if types is not None else None
    found = nx.all_shortest_paths(simple, source, target)
    paths = sorted(found, key=lambda p: [name(n) for n in p])[:max(1, limit)]
    return [[{"from": u, "to": v, "ties": _hop_ties(g, u, v, wanted)} for u, v in zip(p, p[1:], strict=False)]
            for p in paths]


# -- pure change classification ---------------------------------------------------------------

def classify_change(before: int, after: int, scale: float = 1.0, factor: float = 2.0, min_change: int = 2
                    ) -> str | None:
    """How a tie's evidence changed from ``before`` to ``after`` (distinct sentences in two
    windows): "appeared" (none before), "vanished" (none after), "strengthened" or
    "weakened" (at least ``factor`` times more or fewer than the ``before`` figure scaled by
    ``scale``, the ratio of documents in the two windows, and by at least ``min_change``
    sentences), else None (steady, or too few to tell)."""
    if before <= 0 and after <= 0:
        return None
    if before <= 0:
        return "appeared"
    if after <= 0:
        return "vanished"
    expected = before * scale
    if after >= factor * expected and after - expected >= min_change:
        return "strengthened"
    if after * factor <= expected and expected - after >= min_change:
        return "weakened"
    return None


def change_coverage_label(kind: str, cover_before: int, cover_after: int, scale: float = 1.0,
                          min_docs: int = 3, kept: float = 0.5, rose: float = 2.0) -> str:
    """The coverage check of a change, as ``activity`` does for events. ``cover_*``: the
    documents in each window that mention the less covered of the tie's two actors (both
    must be discussed for the tie to be reported); ``scale``: the ratio of documents in the
    two windows, so that a bigger window is not mistaken for more attention.

    A tie that vanished or weakened: "no coverage" (fewer than ``min_docs`` documents after:
    the silence says nothing), "no longer reported while coverage continued" /
    "less reported while coverage continued" (coverage kept at least ``kept`` of its rate),
    else "reduced coverage". A tie that appeared or strengthened: "no earlier coverage"
    (the tie may be older than the reporting), "coverage rose too" (by ``rose`` or more: the
    change may be one of reporting), else "steady coverage"."""
    ratio = cover_after / (cover_before * scale) if cover_before and scale else None
    if kind in ("vanished", "weakened"):
        if cover_after < min_docs:
            return "no coverage"
        if ratio is None or ratio >= kept:
            return ("no longer reported" if kind == "vanished" else "less reported") + " while coverage continued"
        return "reduced coverage"
    if cover_before < min_docs:
        return "no earlier coverage"
    return "coverage rose too" if ratio is not None and ratio >= rose else "steady coverage"


# -- reading the knowledge base ----------------------------------------------------------------

class _Layer:
    """The analyst layer as the graph readers apply it (``Workspace._analyst`` replayed)."""

    def __init__(self, ws) -> None:
        analyst = ws._analyst()
        self.merges: dict[str, str] = analyst["merges"]
        self.aliases: dict[str, list[str]] = analyst["aliases"]
        self.verdicts: dict[str, str] = analyst["verdicts"]
        self._merged = ws._merged
        self.rejected = sorted(t for t, v in self.verdicts.items() if v == "rejected" and t.startswith("as-"))

    def merged(self, actor: str) -> str:
        return self._merged(actor, self.merges)

    def members(self, actor: str) -> set[str]:
        """``actor`` and every actor an analyst merged into it."""
        return {actor} | {a for a in self.merges if self.merged(a) == actor}

    def key(self, subject: str, tie_type: str, obj: str) -> tuple[str, str, str]:
        return tie_key(self.merged(subject), tie_type, self.merged(obj))

    def tie_verdict(self, key: tuple[str, str, str]) -> str | None:
        return self.verdicts.get(f"tie:{key[0]}|{key[1]}|{key[2]}")


_SEP = "\x1f"


def _install_functions(conn: sqlite3.Connection, layer: _Layer) -> None:
    """SQL functions the window counts use: a tie's key with merges applied, a sentence's
    comparison key (a repeated sentence is one piece of evidence), whether a row is its
    document's title, and an assertion's stable id (to leave out rejected evidence)."""
    from khabar.store.read import assertion_id

    conn.create_function("khabar_tie", 3, lambda s, t, o: _SEP.join(layer.key(s, t, o)))
    conn.create_function("khabar_skey", 1, lambda text: sentence_key(text) or None, deterministic=True)
    conn.create_function("khabar_title_row", 2, lambda sentence, title: int(
        is_title_row({"sentence": sentence, "title": title})), deterministic=True)
    conn.create_function("khabar_aid", 7, lambda *v: assertion_id(dict(zip(
        ("doc_id", "start", "end", "subject", "type", "object", "trigger"), v, strict=True))), deterministic=True)


def _workspace(source):
    """A Workspace over ``source`` (a Workspace, or an open ``store.Store``)."""
    from khabar.workspace import Workspace

    if isinstance(source, Workspace):
        return source
    if hasattr(source, "conn") and hasattr(source, "path"):
        ws = Workspace(source.path)
        ws._store = source
        return ws
    raise TypeError(f"graph() reads a Workspace or a Store, not {type(source).__name__}")


def _bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """A window of partial ISO dates as [lo, hi) strings: ``until`` counts whole (a month
    "2021-08" ends after its last day), compared as text like every date in the store."""
    from khabar.schema import is_partial_date

    for value in (since, until):
        if value is not None and not is_partial_date(value):
            raise KhabarError("E303", f"{value!r} is not a date")
    return since or None, (until + "~") if until else None


def parse_windows(before: str | None = None, windows: Sequence[str] | None = None
                  ) -> list[tuple[str | None, str | None]]:
    """Two windows as [lo, hi) bounds: ``before`` a date cuts the corpus there (before it,
    then from it on), or ``windows`` gives two "A..B" spans (either end may be left open:
    "..2021-08-14", "2021-08-15.."). E322 for anything else."""
    if (before is None) == (not windows):
        raise KhabarError("E322", "give either --before DATE or two --window A..B, not both or neither")
    if before is not None:
        _bounds(before, None)
        return [(None, before), (before, None)]
    if len(windows) != 2:
        raise KhabarError("E322", f"give exactly two --window spans (got {len(windows)})")
    out = []
    for text in windows:
        if text.count("..") != 1:
            raise KhabarError("E322", f"{text!r}: a window is A..B (dates, either may be left out)")
        lo, hi = (p.strip() or None for p in text.split(".."))
        out.append(_bounds(lo, hi))
        if lo and hi and lo > hi:
            raise KhabarError("E322", f"{text!r} ends before it starts")
    return out


def _date_clause(lo: str | None, hi: str | None) -> tuple[str, list[str]]:
    """A condition on ``d.published`` for [lo, hi), planned on ``documents_order``."""
    parts, params = ["(d.published IS NULL) = 0"], []
    if lo:
        parts.append("d.published >= ?")
        params.append(lo)
    if hi:
        parts.append("d.published < ?")
        params.append(hi)
    return " AND ".join(parts), params


def _span(windows: Sequence[tuple[str | None, str | None]]) -> tuple[str | None, str | None]:
    los, his = [w[0] for w in windows], [w[1] for w in windows]
    return (None if None in los else min(los)), (None if None in his else max(his))


def window_figures(ws, windows: Sequence[tuple[str | None, str | None]], types: Sequence[str] | None = None,
                   layer: _Layer | None = None) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Per tie (merges applied), its figures in each window: ``evidence`` (distinct
    sentences, titles and rejected evidence left out), ``asserted``/``negated``/``predicted``,
    ``documents``, ``sources`` (distinct outlets; the kept figures join outlets of one family,
    a window count does not), ``first_seen``/``last_seen`` and ``contested`` (an outlet
    asserts it and another denies it). One SQL statement: documents by date, then their
    assertions, grouped in SQLite."""
    layer = layer or _Layer(ws)
    conn = ws.conn
    _install_functions(conn, layer)
    where, params = _date_clause(*_span(windows))
    where += " AND (d.title IS NULL OR khabar_title_row(x.sentence, d.title) = 0)"
    if types:
        where += f" AND x.type IN ({', '.join('?' for _ in types)})"
        params += list(types)
    if layer.rejected:
        where += " AND khabar_aid(x.doc_id, x.\"start\", x.\"end\", x.subject, x.type, x.object, x.trigger) " \
                 "NOT IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(layer.rejected))
    if layer.merges:
        key = "khabar_tie(x.subject, x.type, x.object)"
    else:  # the stored key, a symmetric tie in its canonical order (as tie_key), without a Python call
        symmetric = ", ".join(f"'{t}'" for t in vocab()["tie_types"] if is_symmetric(t))
        key = (f"CASE WHEN x.type IN ({symmetric}) AND x.subject > x.object "
               "THEN x.object || char(31) || x.type || char(31) || x.subject "
               "ELSE x.subject || char(31) || x.type || char(31) || x.object END")
    cols, col_params = [], []
    for lo, hi in windows:
        cond = " AND ".join(["r.pub IS NOT NULL", *(["r.pub >= ?"] if lo else []), *(["r.pub < ?"] if hi else [])])
        cp = [v for v in (lo, hi) if v]
        cols += [f"COUNT(DISTINCT CASE WHEN {cond} THEN r.sk END)"]
        cols += [f"COUNT(DISTINCT CASE WHEN {cond} AND r.m = '{m}' THEN r.sk END)" for m in MODALITY_ORDER]
        cols += [f"COUNT(DISTINCT CASE WHEN {cond} THEN r.doc END)", f"COUNT(DISTINCT CASE WHEN {cond} THEN r.src END)",
                 f"MIN(CASE WHEN {cond} THEN r.pub END)", f"MAX(CASE WHEN {cond} THEN r.pub END)",
                 f"COUNT(DISTINCT CASE WHEN {cond} AND r.m = 'asserted' THEN r.src END)",
                 f"COUNT(DISTINCT CASE WHEN {cond} AND r.m = 'negated' THEN r.src END)"]
        col_params += cp * 10
    # the rows of the window(s) once, each sentence's comparison key computed once
    sql = (f"WITH r AS MATERIALIZED (SELECT {key} AS k, COALESCE(khabar_skey(x.sentence), 'row:' || x.id) AS sk, "
           "x.modality AS m, x.doc_id AS doc, COALESCE(d.source, 'doc:' || d.id) AS src, d.published AS pub "
           f"FROM documents d JOIN assertions x ON x.doc_id = d.id WHERE {where}) "
           f"SELECT r.k, {', '.join(cols)} FROM r GROUP BY r.k")
    out: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    names = ("evidence", *MODALITY_ORDER, "documents", "sources", "first_seen", "last_seen", "_for", "_against")
    cur = conn.cursor()
    cur.row_factory = None
    for row in cur.execute(sql, params + col_params):
        key = tuple(row[0].split(_SEP))
        if key[0] == key[2]:
            continue  # a merge made the tie loop on one actor
        figures = []
        for i in range(len(windows)):
            d = dict(zip(names, row[1 + i * len(names): 1 + (i + 1) * len(names)], strict=True))
            pro, con = d.pop("_for"), d.pop("_against")
            d["contested"] = bool(pro and con and d["asserted"] > 0)
            figures.append(d)
        out[key] = figures  # type: ignore[index]
    return out


def _kept_ties(ws, layer: _Layer, types: Sequence[str] | None, min_evidence: int) -> dict[tuple, dict[str, Any]]:
    """The kept tie figures (``ties``), with merges and rejected evidence applied: ties of
    merged actors or holding rejected evidence are counted again over their own assertions
    (read by their key), the others are read as kept."""
    from khabar.store.ties import refresh, tie_assertions

    conn = ws.conn
    refresh(conn, ws.sources)
    floor = 1 if layer.merges or layer.rejected else max(1, min_evidence)
    cols = "subject, type, object, evidence, sources, documents, first_seen, last_seen, asserted, negated, " \
           "predicted, contested, credibility"
    sql, params = f"SELECT {cols} FROM ties t WHERE t.evidence >= ?", [floor]
    if types:
        sql += f" AND t.type IN ({', '.join('?' for _ in types)})"
        params += list(types)
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples: a Row per tie costs more than the query
    names = [c.strip() for c in cols.split(",")]
    rows = [dict(zip(names, r, strict=True)) for r in cur.execute(sql, params)]
    touched: set[tuple[str, str, str]] = set()
    if layer.rejected:
        _install_functions(conn, layer)
        # the ties an analyst rejected a piece of evidence of (only when there are such rejections)
        touched |= {tie_key(*r) for r in conn.execute(
            "SELECT DISTINCT subject, type, object FROM assertions WHERE khabar_aid(doc_id, \"start\", \"end\", "
            "subject, type, object, trigger) IN (SELECT value FROM json_each(?))", (json.dumps(layer.rejected),))}
    out: dict[tuple, dict[str, Any]] = {}
    recount: dict[tuple, list[tuple[str, str, str]]] = {}
    if not layer.merges and not touched:  # the figures as kept: no tie changes its key or its count
        return {(r["subject"], r["type"], r["object"]): r for r in rows}
    for r in rows:
        stored = (r["subject"], r["type"], r["object"])
        key = layer.key(*stored)
        if key[0] == key[2]:
            continue
        if key != stored or stored in touched or key in recount:
            group = recount.setdefault(key, [])
            if key in out:  # a tie kept as it is, met again through a merge: count both
                group.append(key)
                del out[key]
            group.append(stored)
        else:
            out[key] = r
    for key, stored in recount.items():
        items = [a for rows_ in tie_assertions(conn, stored).values() for a in rows_]
        for a in items:
            a["subject"], a["object"] = layer.merged(a["subject"]), layer.merged(a["object"])
        kept = [a for a in items if layer.verdicts.get(a["aid"]) != "rejected"]
        again = aggregate_ties(kept, ws.sources)
        if not again:
            continue
        tie = again[0][0]
        cred = tie_credibility(again[0][1], ws.sources)
        out[key] = {**tie.to_dict(), "subject": key[0], "type": key[1], "object": key[2],
                    "credibility": cred.rating, "credibility_reason": cred.reason}
    return out


def _actor_nodes(ws, ids: Iterable[str], layer: _Layer) -> dict[str, dict[str, Any]]:
    """name, kind and aliases (the analyst's added) of each actor id, read for those ids only."""
    ids = sorted(set(ids))
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in ws.conn.execute(f"SELECT id, name, kind, aliases FROM actors WHERE id IN "
                                 f"({', '.join('?' for _ in chunk)})", chunk):
            aliases = json.loads(r["aliases"] or "[]")
            out[r["id"]] = {"name": r["name"], "kind": r["kind"],
                            "aliases": list(dict.fromkeys([*aliases, *layer.aliases.get(r["id"], [])]))}
    for a in ids:
        out.setdefault(a, {"name": a, "kind": "other", "aliases": list(layer.aliases.get(a, []))})
    return out


def graph(source, since: str | None = None, until: str | None = None, types: Iterable[str] | None = None,
          min_evidence: int = 1) -> nx.MultiDiGraph:
    """The tie network of a knowledge base (a ``Workspace`` or an open ``store.Store``) as a
    ``networkx.MultiDiGraph``, with the analyst layer applied.

    Nodes are actor ids (merged actors are one node) with ``name``, ``kind`` and ``aliases``
    (a list). Edges go subject -> object (a symmetric type once, in its stored order, with
    ``symmetric`` True), keyed by tie type, with ``tie_type``, ``modality`` (most of the
    evidence), ``evidence`` (distinct sentences), ``asserted``/``negated``/``predicted``,
    ``sources``, ``documents``, ``first_seen``, ``last_seen``, ``credibility`` (1-6, None
    when not rated), ``contested``, and ``analyst`` ("confirmed" or None). Ties an analyst
    rejected are left out, and so are ties with fewer than ``min_evidence`` pieces of evidence.

    ``since``/``until`` (partial ISO dates): count only evidence published in that window
    (``window_figures``; ``credibility`` is then the tie's kept rating over all its
    evidence); ``types``: only ties of those types."""
    nx = _nx()
    ws = _workspace(source)
    ws.require_existing()
    types = check_types(types)
    if min_evidence < 0:
        raise KhabarError("E311", "min_evidence takes a number of sentences, 0 or more")
    layer = _Layer(ws)
    lo, hi = _bounds(since, until)
    if lo or hi:
        figures = {k: f[0] for k, f in window_figures(ws, [(lo, hi)], types, layer).items() if f[0]["evidence"]}
        kept = _kept_ties(ws, layer, types, 1) if figures else {}
        for key, f in figures.items():
            f["credibility"] = (kept.get(key) or {}).get("credibility")
    else:
        figures = _kept_ties(ws, layer, types, min_evidence)
    g = nx.MultiDiGraph()
    edges = []
    symmetric = {t: is_symmetric(t) for t in vocab()["tie_types"]}
    floor = max(1, min_evidence)
    for key, f in figures.items():
        verdict = layer.tie_verdict(key) if layer.verdicts else None
        if f["evidence"] < floor or verdict == "rejected":
            continue
        s, t, o = key
        edges.append((s, o, t, {
            "tie_type": t, "symmetric": symmetric.get(t, False),
            "modality": dominant_modality(f["asserted"], f["negated"], f["predicted"]),
            "evidence": f["evidence"], "asserted": f["asserted"], "negated": f["negated"],
            "predicted": f["predicted"], "sources": f["sources"], "documents": f["documents"],
            "first_seen": f["first_seen"], "last_seen": f["last_seen"],
            "credibility": f.get("credibility"), "contested": bool(f["contested"]),
            "analyst": "confirmed" if verdict == "confirmed" else None,
        }))
    nodes = _actor_nodes(ws, {e[0] for e in edges} | {e[1] for e in edges}, layer)
    g.add_nodes_from(sorted(nodes.items()))
    edges.sort(key=lambda e: (e[0], e[2], e[1]))
    g.add_edges_from(edges)
    return g


def _window_documents(conn: sqlite3.Connection, windows: Sequence[tuple[str | None, str | None]]) -> list[int]:
    """How many original documents each window holds (read from ``documents_order``)."""
    out = []
    for lo, hi in windows:
        cond, params = _date_clause(lo, hi)
        out.append(conn.execute(f"SELECT COUNT(*) FROM documents d WHERE {cond} AND d.duplicate_of IS NULL",
                                params).fetchone()[0])
    return out


def actor_coverage(conn: sqlite3.Connection, actors: Iterable[str],
                   windows: Sequence[tuple[str | None, str | None]]) -> list[int]:
    """How many original documents in each window mention any of ``actors`` (an actor and
    those merged into it): the watching that would have reported a tie of theirs."""
    ids = sorted(set(actors))
    span, params = _date_clause(*_span(windows))
    cols, col_params = [], []
    for lo, hi in windows:
        cond, cp = _date_clause(lo, hi)
        cols.append(f"COUNT(DISTINCT CASE WHEN {cond} THEN m.doc_id END)")
        col_params += cp
    sql = (f"SELECT {', '.join(cols)} FROM mentions m JOIN documents d ON d.id = m.doc_id "
           f"WHERE m.actor_id IN ({', '.join('?' for _ in ids)}) AND {span} AND d.duplicate_of IS NULL")
    return list(conn.execute(sql, [*col_params, *ids, *params]).fetchone())


def _tie_rows(ws, key: tuple[str, str, str], layer: _Layer) -> list[dict[str, Any]]:
    """The assertions of a tie as shown (merges applied), with their documents, oldest first:
    those of every stored tie that the merges make this one, each read by its key."""
    from khabar.store.ties import tie_assertions

    s, t, o = key
    stored = {tie_key(a, t, b) for a in layer.members(s) for b in layer.members(o)}
    if is_symmetric(t):
        stored |= {tie_key(b, t, a) for a in layer.members(s) for b in layer.members(o)}
    rows: dict[int, dict[str, Any]] = {}
    for items in tie_assertions(ws.conn, sorted(stored)).values():
        for a in items:
            rows.setdefault(a["id"], a)
    out = [a for a in rows.values() if layer.verdicts.get(a["aid"]) != "rejected" and not is_title_row(a)]
    out.sort(key=lambda r: (r["published"] is None, r["published"] or "", r["doc_id"], r["start"], r["id"]))
    return out


def best_evidence(ws, key: tuple[str, str, str], since: str | None = None, before: str | None = None,
                  layer: _Layer | None = None) -> dict[str, Any] | None:
    """The sentence that best shows the tie ``key`` (merges applied), published in [since,
    before) when given: asserted before predicted before negated, then the best graded
    source, then the latest; None when it has none there (or the analyst rejected them all)."""
    layer = layer or _Layer(ws)
    rows = [a for a in _tie_rows(ws, key, layer)
            if (not since or (a["published"] or "") >= since) and (not before or (a["published"] or "~") < before)]
    if not rows:
        return None
    rank = {"asserted": 0, "predicted": 1, "negated": 2}
    best = min(reversed(rows), key=lambda a: (rank.get(a["modality"], 3),
                                              _GRADE_RANK.get((a.get("reliability") or "F").upper(), 5)))
    out = {k: best.get(k) for k in ("sentence", "modality", "attributed_to", "doc_id", "name", "title", "source",
                                     "reliability", "published", "url", "start", "end", "aid")}
    out["subject"], out["object"] = layer.merged(best["subject"]), layer.merged(best["object"])
    return out


def tie_changes(source, windows: Sequence[tuple[str | None, str | None]], types: Iterable[str] | None = None,
                factor: float = 2.0, min_change: int = 2, min_docs: int = 3, min_evidence: int = 1
                ) -> dict[str, Any]:
    """Ties that appeared, strengthened, weakened or vanished from the first window to the
    second (``parse_windows`` bounds), with the analyst layer applied.

    Returns ``{"windows": [{"since", "before", "documents"}...], "changes": [...]}``; each
    change has ``subject``, ``type``, ``object``, ``kind`` (``classify_change``; the scale
    is the ratio of documents in the two windows), ``evidence``/``documents``/``sources``
    per window, ``expected`` (the first window's evidence scaled to the second's size),
    ``coverage`` (documents mentioning each actor per window), ``label``
    (``change_coverage_label`` over the less covered actor) and ``analyst``. A tie with
    fewer than ``min_evidence`` sentences in both windows is left out (one sentence coming
    or going is often noise). Ordered by kind, then by how far the second figure is from
    the expected one."""
    ws = _workspace(source)
    ws.require_existing()
    types = check_types(types)
    if len(windows) != 2:
        raise KhabarError("E322", "changes compare two windows")
    layer = _Layer(ws)
    totals = _window_documents(ws.conn, windows)
    scale = totals[1] / totals[0] if totals[0] else 1.0
    figures = window_figures(ws, windows, types, layer)
    covered: dict[str, list[int]] = {}

    def coverage(actor: str) -> list[int]:
        if actor not in covered:
            covered[actor] = actor_coverage(ws.conn, layer.members(actor), windows)
        return covered[actor]

    changes = []
    for key, (a, b) in figures.items():
        verdict = layer.tie_verdict(key)
        if verdict == "rejected" or max(a["evidence"], b["evidence"]) < min_evidence:
            continue
        kind = classify_change(a["evidence"], b["evidence"], scale, factor, min_change)
        if kind is None:
            continue
        cov_s, cov_o = coverage(key[0]), coverage(key[2])
        label = change_coverage_label(kind, min(cov_s[0], cov_o[0]), min(cov_s[1], cov_o[1]), scale, min_docs)
        changes.append({
            "subject": key[0], "type": key[1], "object": key[2], "kind": kind,
            "evidence": [a["evidence"], b["evidence"]], "documents": [a["documents"], b["documents"]],
            "sources": [a["sources"], b["sources"]], "expected": round(a["evidence"] * scale, 2),
            "last_seen": [a["last_seen"], b["last_seen"]],
            "coverage": {"subject": cov_s, "object": cov_o}, "label": label, "analyst": verdict,
        })
    changes.sort(key=lambda c: (CHANGE_KINDS.index(c["kind"]), -abs(c["evidence"][1] - c["expected"]),
                                c["subject"], c["type"], c["object"]))
    return {"windows": [{"since": lo, "before": hi, "documents": n} for (lo, hi), n in zip(windows, totals,
                                                                                            strict=True)],
            "scale": round(scale, 4), "changes": changes}


def window_label(lo: str | None, hi: str | None) -> str:
    """A window's bounds in words: "2021-08-15 on", "before 2021-08-15", "2021-01 to 2021-06"."""
    end = hi[:-1] if hi and hi.endswith("~") else None
    if lo and hi:
        return f"{lo} to {end}" if end else f"{lo} to before {hi}"
    if lo:
        return f"{lo} on"
    if hi:
        return f"to {end}" if end else f"before {hi}"
    return "all dates"


def median_date(conn: sqlite3.Connection) -> str | None:
    """The publication date halfway through the original documents (by count, read on
    ``documents_order``): a cut that leaves as many documents on either side."""
    where = "(d.published IS NULL) = 0 AND d.duplicate_of IS NULL"
    n = conn.execute(f"SELECT COUNT(*) FROM documents d WHERE {where}").fetchone()[0]
    if n < 2:
        return None
    row = conn.execute(f"SELECT d.published FROM documents d WHERE {where} ORDER BY (d.published IS NULL), "
                       "d.published LIMIT 1 OFFSET ?", (n // 2,)).fetchone()
    return row[0][:10] if row else None


def brief_section(source, before: str | None = None, central: int = 10, brokers: int = 5, changes: int = 12
                  ) -> dict[str, Any]:
    """What the brief says about the network, as plain data: the ``central`` actors with
    most betweenness and the best ``brokers`` (cooperative ties, as ``centrality_table``),
    and ``changes`` changes of ties around ``before`` (default: ``median_date``), taken from
    each kind in turn (biggest first, so that vanished ties are not crowded out by new ones),
    each with its best sentence from the window that shows it."""
    ws = _workspace(source)
    rows = centrality_table(graph(ws, types=COOPERATIVE))
    out: dict[str, Any] = {
        "central": rows[:central],
        "brokers": sorted((r for r in rows if r["broker"]), key=lambda r: r["broker_rank"])[:brokers],
        "communities": len({r["community"] for r in rows}), "actors": len(rows), "changes": None,
    }
    before = before or median_date(ws.conn)
    if before:
        windows = parse_windows(before=before)
        report = tie_changes(ws, windows)
        layer = _Layer(ws)
        names = dict(ws.conn.execute("SELECT id, name FROM actors"))
        by_kind = [[c for c in report["changes"] if c["kind"] == k] for k in CHANGE_KINDS]
        picked: list[dict[str, Any]] = []
        while len(picked) < changes and any(by_kind):  # each kind in turn, its biggest first
            picked += [group.pop(0) for group in by_kind if group][:changes - len(picked)]
        picked.sort(key=lambda c: CHANGE_KINDS.index(c["kind"]))
        items = []
        for c in picked:
            lo, hi = windows[1] if c["kind"] in ("appeared", "strengthened") else windows[0]
            items.append({**c, "subject_name": names.get(c["subject"], c["subject"]),
                          "object_name": names.get(c["object"], c["object"]),
                          "best_evidence": best_evidence(ws, (c["subject"], c["type"], c["object"]), lo, hi, layer)})
        counts = {k: sum(1 for c in report["changes"] if c["kind"] == k) for k in CHANGE_KINDS}
        out["changes"] = {"before": before, "windows": report["windows"], "items": items, "counts": counts,
                          "hidden": max(0, len(report["changes"]) - len(items))}
    return out
