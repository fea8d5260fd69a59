"""Correcting the machine from the command line: create an actor, re-point mentions (split a
wrong merge), add a tie read in a sentence, flip or retype a tie, add or correct an event,
say a judgment is no forecast; list the analyst's log and undo any action of it.

Each command is one ``Workspace`` method of ``khabar.correct``; each records one action in
the analyst log, which re-ingest and re-extraction never lose, and prints its number for
``khabar undo``. Nothing heavy is imported here (``khabar --help`` imports this module).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from khabar.errors import KhabarError

NAMES = ("actor-add", "mention-move", "sentences", "tie-add", "tie-edit", "event-add", "event-edit", "not-forecast",
         "log", "undo")
EXAMPLES = {
    "actor-add": 'khabar actor-add haqqani-network "Haqqani Network" --kind armed_group --alias Haqqanis '
                 "--parent taliban",
    "mention-move": 'khabar mention-move --to haqqani-network --from taliban --surface "Haqqanis"   '
                    "# or --mention DOC:START:END",
    "sentences": "khabar sentences 5f2c9a1b0e4d     # the numbered sentences of a document, to cite one",
    "tie-add": "khabar tie-add taliban hosts al-qaeda --doc 5f2c9a1b0e4d --sentence 3 --modality asserted",
    "tie-edit": "khabar tie-edit al-qaeda hosts taliban --flip     # or --type supports, --modality negated",
    "event-add": "khabar event-add attack --doc 5f2c9a1b0e4d --sentence 4 --date 2021-08-26 --place Kabul "
                 "--actor isis-k --target united-states --fatalities 183",
    "event-edit": "khabar event-edit ev-0123abcd4567 --date 2021-08-26 --fatalities 183",
    "not-forecast": 'khabar not-forecast jd-0123abcd4567 --note "describes the present"',
    "log": "khabar log        # every analyst action, newest first (--live: those in force)",
    "undo": "khabar undo 12    # take back action 12 of 'khabar log'",
}


def _doc(ws, text: str) -> str:
    """A document id from its id, the start of its id (8 characters or more) or its file name."""
    text = (text or "").strip()
    rows = ws.conn.execute("SELECT id FROM documents WHERE id = ? OR name = ? LIMIT 2", (text, text)).fetchall()
    if not rows and len(text) >= 8 and all(c in "0123456789abcdef" for c in text):
        rows = ws.conn.execute("SELECT id FROM documents WHERE id >= ? AND id < ? LIMIT 2",
                               (text, text + "g")).fetchall()
    if len(rows) != 1:
        raise KhabarError("E341", f"{'several documents match' if rows else 'no document'} {text!r}")
    return rows[0][0]


def _mention(text: str) -> tuple[str, int, int]:
    try:
        doc, start, end = text.rsplit(":", 2)
        return doc, int(start), int(end)
    except ValueError:
        raise KhabarError("E346", f"{text!r} is not DOC:START:END") from None


def _event_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", help="when: YYYY, YYYY-MM or YYYY-MM-DD (its precision follows)")
    p.add_argument("--until", dest="date_end", help="the last day of a range that started on --date")
    p.add_argument("--precision", help="day, month, season or year (default: from the date)")
    p.add_argument("--place", help="a place of the place table: id or name (Kabul, Nangarhar, PK)")
    p.add_argument("--actor", dest="actors", action="append", metavar="ACTOR", help="who did it (repeatable)")
    p.add_argument("--target", dest="targets", action="append", metavar="ACTOR", help="who suffered it (repeatable)")
    p.add_argument("--fatalities", help="how many were killed")


def register(sub, add) -> None:
    """Add the commands' parsers (``add`` is ``khabar.cli._add``)."""
    p = add(sub, "actor-add", "create an actor the machine missed (analyst layer, undoable)",
            example=EXAMPLES["actor-add"])
    p.add_argument("id", help="a new id: lowercase letters, digits, '.', '_', '-'")
    p.add_argument("name", help="its canonical name")
    p.add_argument("--kind", default="armed_group", help="a kind of data/vocab.yaml (default armed_group)")
    p.add_argument("--alias", dest="aliases", action="append", default=[], help="another name (repeatable)")
    p.add_argument("--parent", help="the actor it belongs to (id, name or alias)")
    p.add_argument("--country", help="its country (two-letter code)")

    p = add(sub, "mention-move", "re-point mentions to another actor: attach them, or split a wrong merge",
            example=EXAMPLES["mention-move"])
    p.add_argument("--to", required=True, dest="into", help="the actor they belong to")
    p.add_argument("--from", dest="source", help="the actor they are under now")
    p.add_argument("--surface", dest="surfaces", action="append", default=[],
                   help="every mention of --from under this name, now and later (repeatable)")
    p.add_argument("--mention", dest="mentions", action="append", default=[], metavar="DOC:START:END",
                   help="one mention by its document and offsets (repeatable)")

    p = add(sub, "sentences", "a document's numbered sentences (what tie-add and event-add cite)",
            example=EXAMPLES["sentences"])
    p.add_argument("doc", help="a document id (or its first 8+ characters) or file name")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--offset", type=int, default=0)

    p = add(sub, "tie-add", "add a tie read in a sentence of a document (analyst layer)",
            example=EXAMPLES["tie-add"])
    p.add_argument("subject", help="the actor the tie goes from")
    p.add_argument("type", help="a tie type of data/vocab.yaml")
    p.add_argument("object", help="the actor the tie goes to")
    p.add_argument("--doc", required=True, help="the document (id, 8+ first characters, or file name)")
    p.add_argument("--sentence", type=int, required=True, help="its sentence number ('khabar sentences DOC')")
    p.add_argument("--modality", default="asserted", help="asserted, negated or predicted")
    p.add_argument("--according-to", dest="attributed_to", help="who the sentence says it (optional)")

    p = add(sub, "tie-edit", "flip a tie's direction, change its type or the modality of its evidence",
            example=EXAMPLES["tie-edit"])
    p.add_argument("subject")
    p.add_argument("type")
    p.add_argument("object")
    p.add_argument("--flip", action="store_true", help="the tie goes the other way")
    p.add_argument("--type", dest="new_type", help="the type it should have")
    p.add_argument("--modality", help="asserted, negated or predicted")

    p = add(sub, "event-add", "add an event read in a sentence of a document (analyst layer)",
            example=EXAMPLES["event-add"])
    p.add_argument("type", help="an event type of data/vocab.yaml")
    p.add_argument("--doc", required=True, help="the document (id, 8+ first characters, or file name)")
    p.add_argument("--sentence", type=int, required=True, help="its sentence number ('khabar sentences DOC')")
    _event_options(p)

    p = add(sub, "event-edit", "correct an event: type, dates and precision, place, actors, targets, fatalities",
            example=EXAMPLES["event-edit"])
    p.add_argument("event", help="the event's id ('khabar events --evidence' prints it)")
    p.add_argument("--type", dest="event_type", help="the type it should have")
    _event_options(p)

    p = add(sub, "not-forecast", "say a judgment is not a forecast (it is never due nor scored)",
            example=EXAMPLES["not-forecast"])
    p.add_argument("judgment", help="the judgment's id (see 'khabar judgments')")
    p.add_argument("--note", default="", help="why, in a few words")

    p = add(sub, "log", "the analyst's actions, newest first, with the numbers 'khabar undo' takes",
            example=EXAMPLES["log"])
    p.add_argument("--live", action="store_true", help="only actions in force")
    p.add_argument("--limit", type=int, default=50, help="at most N actions (default 50; 0: all)")
    p.add_argument("--json", action="store_true", help="print the actions as JSON")

    p = add(sub, "undo", "undo one analyst action (it stays in the log, marked undone)", example=EXAMPLES["undo"])
    p.add_argument("action", type=int, help="the action's number ('khabar log')")


def _done(kind: str, action_id: int, what: str) -> None:
    print(f"#{action_id} {kind}: {what} (undo with: khabar undo {action_id})")


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    return {"date": args.date, "date_end": args.date_end, "precision": args.precision, "place": args.place,
            "fatalities": args.fatalities}


def run(args: argparse.Namespace) -> int:
    from khabar.workspace import Workspace

    with Workspace(args.db) as ws:
        ws.require_existing()
        c = args.command
        if c == "actor-add":
            n = ws.add_actor(args.id, args.name, args.kind, aliases=args.aliases, parent=args.parent,
                             country=args.country)
            _done(c, n, f"{args.id} ({args.name}, {args.kind})")
        elif c == "mention-move":
            n = ws.move_mentions(args.into, source=args.source, surfaces=args.surfaces,
                                 mentions=[_mention(m) for m in args.mentions])
            moved = ws.conn.execute("SELECT COUNT(*) FROM mentions WHERE correction = ?", (n,)).fetchone()[0]
            _done(c, n, f"{moved} mentions now under {ws.actor(args.into)['id']}")
        elif c == "sentences":
            from khabar.cli import _rows_table

            if (args.limit is not None and args.limit < 0) or args.offset < 0:
                raise KhabarError("E311", "give --limit and --offset as 0 or more")
            rows = ws.sentences(_doc(ws, args.doc), args.limit, args.offset)
            print(_rows_table(rows, ["idx", "start", "end", "text"], width=100))
        elif c == "tie-add":
            n = ws.add_tie(_doc(ws, args.doc), args.subject, args.type, args.object, sentence=args.sentence,
                           modality=args.modality, attributed_to=args.attributed_to)
            _done(c, n, f"{args.subject} {args.type} {args.object} ({args.modality})")
        elif c == "tie-edit":
            n = ws.edit_tie(args.subject, args.type, args.object, flip=args.flip, new_type=args.new_type,
                            modality=args.modality)
            _done(c, n, f"{args.subject} {args.type} {args.object}")
        elif c == "event-add":
            n = ws.add_event(_doc(ws, args.doc), args.type, sentence=args.sentence, actors=args.actors,
                             targets=args.targets, **_fields(args))
            row = ws.conn.execute("SELECT event_id FROM event_reports WHERE correction = ?", (n,)).fetchone()
            _done(c, n, f"{args.type} in event {row[0] if row else '?'}")
        elif c == "event-edit":
            n = ws.edit_event(args.event, event_type=args.event_type, actors=args.actors, targets=args.targets,
                              **_fields(args))
            _done(c, n, args.event)
        elif c == "not-forecast":
            n = ws.not_forecast(args.judgment, args.note)
            _done(c, n, args.judgment)
        elif c == "log":
            _log(ws, args)
        elif c == "undo":
            if not ws.undo(args.action):
                raise KhabarError("E347", f"no action #{args.action} in force")
            print(f"#{args.action} undone")
    return 0


def _log(ws, args: argparse.Namespace) -> None:
    from khabar.cli import _rows_table

    if args.limit < 0:
        raise KhabarError("E311", "give --limit as 0 or more")
    rows = [a for a in reversed(ws.analyst_log()) if not args.live or a.get("undone_at") is None]
    rows = rows[: args.limit] if args.limit else rows
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for a in rows:
        a["state"] = f"undone {a['undone_at']}" if a.get("undone_at") else "in force"
        a["details"] = ", ".join(f"{k}={v}" for k, v in a["payload"].items() if v not in (None, "", [], False))
    print(_rows_table(rows, ["id", "at", "kind", "target", "state", "details"]))
