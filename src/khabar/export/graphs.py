"""The tie network as GraphML and GEXF (``khabar export --format graphml|gexf``), for Gephi,
yEd, Cytoscape and networkx.

The network is :func:`khabar.analyze.network.graph` (the analyst layer applied there:
merged actors are one node, rejected evidence and ties left out): a directed multigraph,
one edge per tie keyed by its type, subject -> object (a symmetric type once, with
``symmetric`` true). What the files carry:

* nodes: the actor id, ``label`` and ``name`` (the display name), ``kind`` (armed_group,
  state...), ``aliases`` as a JSON list in a string (GraphML and GEXF attributes are
  scalars);
* edges: ``tie_type`` (``type`` is reserved in GEXF), ``weight`` the evidence count
  (sentences), ``modality``, ``asserted``/``negated``/``predicted``, ``sources``,
  ``documents``, ``first_seen``/``last_seen`` (partial ISO dates as khabar keeps them),
  ``credibility`` (1-6; absent when not rated), ``contested``, ``symmetric``, ``analyst``
  (absent unless confirmed); in GEXF also ``start``/``end``, the first and last day the tie
  was seen as whole dates, so Gephi's timeline can play the network.

An attribute with no value is left off its node or edge (neither format has a null), and
text loses the characters XML 1.0 cannot hold (control characters a document may carry),
which would make the whole file unreadable.
``actor`` keeps the ties of that actor only; ``since``/``until`` count only the evidence
published in that window (``graph``'s window).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from khabar.export.base import Records, day_span

__all__ = ["network", "write_graphml", "write_gexf", "xml_safe"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    """``value`` with the characters XML 1.0 forbids removed, if it is text."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def network(records: Records, dynamic: bool = False) -> Any:
    """The networkx MultiDiGraph to write: scalar attributes only (see the module's docstring);
    ``dynamic`` adds GEXF's ``start``/``end`` days to each edge."""
    from khabar.analyze.network import graph

    filters = records.event_filters
    g = graph(records.ws, since=filters.get("since"), until=filters.get("until"))
    if records.actor:
        keep = [(s, o, k) for s, o, k in g.edges(keys=True) if records.actor in (s, o)]
        g = g.edge_subgraph(keep).copy()
    out = type(g)()
    for node, data in g.nodes(data=True):
        attrs = {"label": data.get("name") or node, "name": data.get("name") or node, "kind": data.get("kind")}
        aliases = data.get("aliases")
        attrs["aliases"] = json.dumps(list(aliases) if aliases else [], ensure_ascii=False)
        out.add_node(xml_safe(node), **{k: xml_safe(v) for k, v in attrs.items() if v is not None})
    for s, o, key, data in g.edges(keys=True, data=True):
        attrs = {k: v for k, v in data.items() if v is not None and not isinstance(v, (list, dict, tuple))}
        attrs["tie_type"] = data.get("tie_type") or key
        attrs["weight"] = int(data.get("evidence") or 0)
        if dynamic:  # GEXF: a stable edge id (the tie), and the days it was seen
            attrs["id"] = f"{s}|{attrs['tie_type']}|{o}"
            first, last = day_span(data.get("first_seen")), day_span(data.get("last_seen"))
            if first and last and last[1] >= first[0]:
                attrs["start"], attrs["end"] = first[0].isoformat(), last[1].isoformat()
        out.add_edge(xml_safe(s), xml_safe(o), key=xml_safe(key), **{k: xml_safe(v) for k, v in attrs.items()})
    return out


def _counts(g: Any) -> dict[str, int]:
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}


def write_graphml(records: Records, path: Path) -> dict[str, int]:
    """Write the network as GraphML at ``path``; return the node and edge counts."""
    import networkx as nx

    g = network(records)
    nx.write_graphml(g, str(path), encoding="utf-8", prettyprint=True)
    return _counts(g)


def write_gexf(records: Records, path: Path) -> dict[str, int]:
    """Write the network as GEXF 1.2 at ``path`` (dynamic edges: first and last seen); return the counts."""
    import networkx as nx

    g = network(records, dynamic=True)
    nx.write_gexf(g, str(path), encoding="utf-8", prettyprint=True, version="1.2draft")
    return _counts(g)
