"""``khabar people`` and ``khabar person``: the leaders, commanders, spokesmen and officials
the corpus names, as records of their own (``khabar.store.persons``; never actors).

``khabar people`` lists them by name (``--actor``: those with a post for an actor, with the
posts; ``--name``: part of a name); ``khabar person NAME`` shows one: posts over time, the
judgments they made, the events their name is in with their role (killed, arrested, met...),
the ties they are evidence for, and where the documents name them. Nothing heavy is imported.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from khabar.errors import KhabarError

NAMES = ("people", "person")
EXAMPLES = {
    "people": "khabar people --actor taliban      # leaders, spokesmen... (--name PART: search by name)",
    "person": 'khabar person "Zabihullah Mujahid"  # posts over time, statements, events, ties',
}


def _person_name(text: str) -> str:
    """A person's name or id as typed; an empty one is E352, not "everyone"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("[E352] an empty person name")
    return text


def register(sub, add) -> None:
    """Add the two commands' parsers (``add`` is ``khabar.cli._add``)."""
    from khabar.cli import _paging
    from khabar.cliargs import actor_name

    p = add(sub, "people", "persons the corpus names (leaders, spokesmen, commanders, officials) and their posts",
            example=EXAMPLES["people"])
    p.add_argument("--actor", type=actor_name, help="only those with a post for this actor (id, name or alias)")
    p.add_argument("--name", help="only those whose name or another spelling of it holds this")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    _paging(p, "persons")

    p = add(sub, "person", "one person: posts over time, statements and judgments, events, ties, mentions",
            example=EXAMPLES["person"])
    p.add_argument("name", type=_person_name, help="the person's id, name or another spelling of it")
    p.add_argument("--limit", type=int, default=10, metavar="N",
                   help="show at most N items of each list (default 10; 0: all)")
    p.add_argument("--json", action="store_true", help="print the whole record as JSON")


def run(args: argparse.Namespace) -> int:
    from khabar.workspace import Workspace

    with Workspace(args.db) as ws:
        ws.require_existing()
        if args.command == "people":
            _people(ws, args)
        else:
            _person(ws, args)
    return 0


def _people(ws, args: argparse.Namespace) -> None:
    from khabar.cli import _more, _page, _rows_table

    page = _page(args)
    rows = ws.people(actor=args.actor, q=args.name, **page)
    total = ws.count_people(actor=args.actor, q=args.name)
    if args.actor:
        from khabar.store.persons import actor_people

        posts = {p["id"]: p["posts"] for p in actor_people(ws.conn, ws._actor_and_merged(args.actor),
                                                           [r["id"] for r in rows], limit=len(rows))}
        for r in rows:
            r["posts"] = posts.get(r["id"], [])
    if args.json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    for r in rows:
        r["person"] = r["name"]
        r["from"] = "people list" if r["origin"] == "gazetteer" else "the text"
        if args.actor:
            r["posts for the actor"] = "; ".join(f"{o['role'] or 'post'} {_span(o)}" for o in r["posts"])
    columns = ["person", "id", "from", *(["posts for the actor"] if args.actor else []),
               "mentions", "judgments", "events", "ties"]
    print(_rows_table(rows, columns, width=120 if args.actor else 60))
    _more(args, len(rows), total)


def _span(post: dict[str, Any]) -> str:
    """When a post was held: "(2016-05 - now)" from the list, "(reported 2021-09-01)" from documents."""
    if post.get("source") == "text":
        seen = post.get("from") or "n.d."
        if post.get("to") and post.get("to") != post.get("from"):
            seen += f" to {post['to']}"
        return f"(reported {seen}" + (f", {post['documents']} documents)" if post.get("documents", 1) > 1 else ")")
    return f"({post.get('from') or '?'} - {post.get('to') or 'now'})"


def _person(ws, args: argparse.Namespace) -> None:
    if args.limit < 0:
        raise KhabarError("E311", "--limit takes a number of items, 0 or more")
    p = ws.person(args.name, limit=args.limit or None)
    if args.json:
        print(json.dumps(p, indent=1, ensure_ascii=False, default=str))
        return
    names = p["actor_names"]
    name = lambda a: names.get(a or "", a or "")  # noqa: E731
    counts = p["counts"]
    print(f"{p['name']}  ({p['id']}; {'in the people list' if p['origin'] == 'gazetteer' else 'found in the text'})")
    if p["aliases"]:
        print("also: " + ", ".join(p["aliases"]))
    print(f"named in {counts['mention']} sentences; {counts['judgment']} judgments, {counts['event']} event reports, "
          f"{counts['tie']} tie assertions")
    print("\nposts over time:")
    for o in p["posts"]:
        where = "people list" if o["source"] == "gazetteer" else f"{o.get('title') or 'document'} [{o['doc_id'][:12]}]"
        print(f"  {_span(o):26} {o['role'] or 'post'}" + (f", {name(o['actor_id'])}" if o["actor_id"] else "")
              + f"  <- {where}")
    if not p["posts"]:
        print("  (none known)")
    sections = [("judgments", "statements and judgments", lambda j: f"\"{_cut(j['text'])}\""
                 + (f" [{j['band']}]" if j.get("band") else "") + (f" due {j['due']}" if j.get("due") else "")),
                ("events", "events", lambda e: f"{e.get('date') or 'undated'} {e['type']}: {e['role']}  "
                 f"\"{_cut(e['sentence'])}\""),
                ("ties", "ties they are evidence for", lambda t: f"{name(t['subject'])} {t['type']} "
                 f"{name(t['object'])} ({t['modality']}) as {t['role']}  \"{_cut(t['sentence'])}\""),
                ("mentions", "named in", lambda s: f"\"{_cut(s['sentence'])}\"")]
    for key, title, line in sections:
        items = p[key]
        total = counts[key[:-1]]
        print(f"\n{title} ({total}):")
        for item in items:
            print(f"  {line(item)}")
            print(f"      {item.get('title') or 'document'} · {item.get('source') or 'unknown source'} · "
                  f"{item.get('published') or 'n.d.'} [{item['doc_id'][:12]} {item['start']}-{item['end']}]")
        if not items:
            print("  (none)")
        elif total > len(items):
            print(f"  ... and {total - len(items)} more (--limit 0: all)")


def _cut(text: str | None, width: int = 160) -> str:
    s = " ".join((text or "").split())
    return s if len(s) <= width else s[: width - 3] + "..."
