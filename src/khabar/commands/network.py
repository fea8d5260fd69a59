"""``khabar network``, ``khabar path`` and ``khabar changes``: the tie network as analysts
study it (``khabar.analyze.network``): who is central and who brokers between groups, how
two actors are connected with the evidence for each hop, and which ties changed between
two windows of time with a coverage check.

Nothing heavy is imported here at module level (``khabar --help`` imports this module):
networkx comes in with ``khabar.analyze.network`` when a command runs.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from khabar.errors import KhabarError

NAMES = ("network", "path", "changes")
EXAMPLES = {
    "network": "khabar network --limit 20      # centrality, communities, brokers (--brokers: brokers only)",
    "path": 'khabar path taliban "islamic state khorasan"',
    "changes": "khabar changes --before 2021-08-15   # or: --window 2020..2021-06 --window 2021-09..2022",
}


def _types(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument("--type", dest="types", action="append", metavar="TYPE",
                   help=f"only ties of this type (repeatable; default: {default})")


def register(sub, add) -> None:
    """Add the three commands' parsers (``add`` is ``khabar.cli._add``)."""
    from khabar.cli import _iso_date, _paging

    p = add(sub, "network", "central actors, communities and brokers of the tie network",
            example=EXAMPLES["network"])
    _types(p, "every type but hostile_to")
    p.add_argument("--all-types", action="store_true", help="count hostile_to ties too")
    p.add_argument("--since", type=_iso_date, help="only evidence published from this date")
    p.add_argument("--until", type=_iso_date, help="only evidence published up to this date")
    p.add_argument("--min-evidence", type=int, default=1, metavar="N",
                   help="only ties with at least N distinct sentences (default 1)")
    p.add_argument("--brokers", action="store_true", help="only the brokers, best first")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    _paging(p, "actors")

    p = add(sub, "path", "the shortest chains of ties between two actors, with the evidence for each hop",
            example=EXAMPLES["path"])
    p.add_argument("source", help="an actor's id, name or alias")
    p.add_argument("target", help="another actor's id, name or alias")
    _types(p, "every type")
    p.add_argument("--since", type=_iso_date, help="only evidence published from this date")
    p.add_argument("--until", type=_iso_date, help="only evidence published up to this date")
    p.add_argument("--min-evidence", type=int, default=1, metavar="N",
                   help="only ties with at least N distinct sentences (default 1)")
    p.add_argument("--paths", type=int, default=3, metavar="K", help="show at most K shortest paths (default 3)")
    p.add_argument("--json", action="store_true", help="print the paths as JSON")

    p = add(sub, "changes", "ties that appeared, strengthened, weakened or vanished between two windows",
            example=EXAMPLES["changes"])
    p.add_argument("--before", type=_iso_date, metavar="DATE",
                   help="compare what was published before DATE with what was published from it on")
    p.add_argument("--window", dest="windows", action="append", metavar="A..B",
                   help="a window of publication dates (twice: the earlier, then the later; either end may "
                        "be left open, e.g. ..2021-08-14)")
    _types(p, "every type")
    p.add_argument("--kind", dest="kinds", action="append", choices=["appeared", "strengthened", "weakened",
                                                                     "vanished"],
                   help="only changes of this kind (repeatable)")
    p.add_argument("--min-evidence", type=int, default=1, metavar="N",
                   help="leave out ties with fewer than N sentences in both windows (default 1)")
    p.add_argument("--min-change", type=int, default=2, metavar="N",
                   help="a tie strengthens or weakens by at least N sentences (default 2)")
    p.add_argument("--factor", type=float, default=2.0, metavar="X",
                   help="... and by a factor of at least X, window sizes allowed for (default 2)")
    p.add_argument("--min-docs", type=int, default=3, metavar="N",
                   help="fewer documents than N on an actor in a window is no coverage (default 3)")
    p.add_argument("--table", action="store_true",
                   help="only the table (without the sentence that best shows each change)")
    p.add_argument("--json", action="store_true", help="print the whole comparison as JSON")
    _paging(p, "changes")


def run(args: argparse.Namespace) -> int:
    from khabar.workspace import Workspace

    if getattr(args, "min_evidence", 1) < 0:
        raise KhabarError("E311", "--min-evidence takes a number of sentences, 0 or more")
    with Workspace(args.db) as ws:
        ws.require_existing()
        if args.command == "network":
            _network(ws, args)
        elif args.command == "path":
            _path(ws, args)
        elif args.command == "changes":
            _changes(ws, args)
    return 0


def resolve_actor(ws, name: str) -> str:
    """An actor's id from what the user typed (as every command resolves it), or E301 with
    the nearest names the knowledge base knows."""
    try:
        return ws.actor(name)["id"]
    except KhabarError as exc:
        if exc.code != "E301" or "did you mean" in exc.message:
            raise
        hints = suggest_actors(ws, name)
        raise KhabarError("E301", exc.message + (f"; did you mean {', '.join(hints)}?" if hints else "")) from None


def suggest_actors(ws, name: str, n: int = 3) -> list[str]:
    """The names of up to ``n`` actors whose id, name, alias or a surface seen is near ``name``."""
    import difflib

    from khabar.store import actors
    from khabar.store.text import name_key

    names: dict[str, str] = {}
    for a in actors(ws.conn):
        for label in (a["id"], a["name"], *(a.get("aliases") or []), *(a.get("surfaces") or [])):
            if label:
                names.setdefault(name_key(label), a["name"])
    close = difflib.get_close_matches(name_key(name), list(names), n=n * 3, cutoff=0.6)
    return list(dict.fromkeys(names[k] for k in close))[:n]


def _page(args: argparse.Namespace, rows: list) -> list:
    from khabar.cli import _page as page

    p = page(args)
    return rows[p["offset"]:][: p["limit"]]


def _network(ws, args: argparse.Namespace) -> None:
    from khabar.analyze.network import COOPERATIVE, centrality_table, check_types
    from khabar.cli import _more, _rows_table

    types = check_types(args.types) if args.types else (None if args.all_types else list(COOPERATIVE))
    g = ws.graph(since=args.since, until=args.until, types=types, min_evidence=args.min_evidence)
    rows = centrality_table(g, types=None)  # the graph holds the chosen types only
    if args.brokers:
        rows = sorted((r for r in rows if r["broker"]), key=lambda r: r["broker_rank"])
    shown = _page(args, rows)
    if args.json:
        print(json.dumps(shown, indent=1))
        return
    for r in shown:
        r["broker?"] = f"yes #{r['broker_rank']} ({r['spans']} communities)" if r["broker"] else ""
        r["betweenness"] = f"{r['betweenness']:.3f}"
        r["actor"] = r["name"]
    print(_rows_table(shown, ["actor", "degree", "betweenness", "community", "broker?"]))
    _more(args, len(shown), len(rows))
    if not args.json and shown:
        print(f"({g.number_of_nodes()} actors, {g.number_of_edges()} ties of "
              + ("every type" if types is None else ", ".join(types))
              + "; betweenness unweighted over the undirected network"
              + (", estimated from a seeded sample of actors" if shown[0].get("approximate") else "")
              + "; a broker's neighbours span communities)")


def _hop_evidence(ws, tie: dict[str, Any], since: str | None, until: str | None, layer) -> dict[str, Any] | None:
    from khabar.analyze.network import _bounds, best_evidence

    lo, hi = _bounds(since, until)
    return best_evidence(ws, (tie["subject"], tie["tie_type"], tie["object"]), since=lo, before=hi, layer=layer)


def _path(ws, args: argparse.Namespace) -> None:
    from khabar.analyze.network import _Layer, check_types, shortest_paths
    from khabar.schema import vocab

    types = check_types(args.types)
    source, target = resolve_actor(ws, args.source), resolve_actor(ws, args.target)
    g = ws.graph(since=args.since, until=args.until, types=types, min_evidence=args.min_evidence)
    for end in (source, target):  # an actor without ties is not a node: name it as the user knows it
        if end not in g:
            g.add_node(end, name=ws.actor(end)["name"])
    paths = shortest_paths(g, source, target, types=types, limit=max(1, args.paths))
    layer = _Layer(ws)
    for path in paths:
        for hop in path:
            for tie in hop["ties"]:
                tie["best_evidence"] = _hop_evidence(ws, tie, args.since, args.until, layer)
    if args.json:
        print(json.dumps(paths, indent=1, default=str))
        return
    name = lambda n: g.nodes[n].get("name") or n  # noqa: E731
    labels = {t: d.get("label", t) for t, d in vocab()["tie_types"].items()}
    hops = len(paths[0])
    print(f"{name(source)} to {name(target)}: {hops} hop{'s' if hops != 1 else ''}, "
          f"{len(paths)} shortest path{'s' if len(paths) != 1 else ''} shown")
    for i, path in enumerate(paths, start=1):
        print(f"\npath {i}: " + " - ".join([name(path[0]["from"]), *(name(h["to"]) for h in path)]))
        for hop in path:
            print(f"  {name(hop['from'])} .. {name(hop['to'])}")
            for tie in hop["ties"]:
                end = "--" if tie["direction"] == "--" else "-->"  # subject to object, as the sources say
                flags = (" CONTESTED" if tie.get("contested") else "") + \
                        (" (confirmed by an analyst)" if tie.get("analyst") == "confirmed" else "")
                print(f"    {name(tie['subject'])} --[{labels.get(tie['tie_type'])}]{end} {name(tie['object'])}: "
                      f"evidence {tie['evidence']}, "
                      f"sources {tie['sources']}, {tie.get('first_seen') or '?'} to {tie.get('last_seen') or '?'}"
                      f"{flags}")
                best = tie.get("best_evidence")
                if best:
                    print(f"      \"{' '.join(best['sentence'].split())}\"")
                    print(f"      {best.get('title') or best.get('name')} | {best.get('source') or '?'} "
                          f"[{best.get('reliability') or 'F'}] | {best.get('published') or 'n.d.'}")


def _changes(ws, args: argparse.Namespace) -> None:
    from khabar.analyze.network import _Layer, best_evidence, parse_windows, tie_changes, window_label
    from khabar.cli import _more, _rows_table

    for flag, value in (("--min-change", args.min_change), ("--min-docs", args.min_docs)):
        if value < 0:
            raise KhabarError("E322", f"{flag} takes 0 or more")
    if args.factor < 1:
        raise KhabarError("E322", "--factor takes a number of 1 or more")
    windows = parse_windows(args.before, args.windows)
    report = tie_changes(ws, windows, types=args.types, factor=args.factor, min_change=args.min_change,
                         min_docs=args.min_docs, min_evidence=args.min_evidence)
    changes = [c for c in report["changes"] if not args.kinds or c["kind"] in args.kinds]
    shown = _page(args, changes)
    if not args.table or args.json:
        layer = _Layer(ws)
        for c in shown:
            lo, hi = windows[1] if c["kind"] in ("appeared", "strengthened") else windows[0]
            c["best_evidence"] = best_evidence(ws, (c["subject"], c["type"], c["object"]), lo, hi, layer)
    if args.json:
        print(json.dumps({**report, "changes": shown}, indent=1, default=str))
        return
    names = ws._names()
    w1, w2 = report["windows"]
    print(f"window 1: {window_label(w1['since'], w1['before'])} ({w1['documents']} documents); "
          f"window 2: {window_label(w2['since'], w2['before'])} ({w2['documents']} documents)")
    rows = []
    for c in shown:
        rows.append({"change": c["kind"], "subject": names.get(c["subject"], c["subject"]), "type": c["type"],
                     "object": names.get(c["object"], c["object"]), "before": c["evidence"][0],
                     "after": c["evidence"][1],
                     "coverage": f"{c['coverage']['subject'][0]}/{c['coverage']['object'][0]} -> "
                                 f"{c['coverage']['subject'][1]}/{c['coverage']['object'][1]}",
                     "check": c["label"]})
    print(_rows_table(rows, ["change", "subject", "type", "object", "before", "after", "coverage", "check"]))
    _more(args, len(shown), len(changes))
    if shown:
        print("(before/after: distinct sentences in each window; coverage: documents mentioning the subject/"
              "the object in window 1 -> window 2)")
    if not args.table:
        for c in shown:
            best = c.get("best_evidence")
            if best:
                print(f"\n{c['kind']}: {names.get(c['subject'], c['subject'])} {c['type']} "
                      f"{names.get(c['object'], c['object'])}\n  \"{' '.join(best['sentence'].split())}\"\n"
                      f"  {best.get('title') or best.get('name')} | {best.get('source') or '?'} "
                      f"[{best.get('reliability') or 'F'}] | {best.get('published') or 'n.d.'}")
