"""The ``khabar`` command: a thin wrapper over ``khabar.Workspace`` and ``khabar.batch``."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from khabar.cliargs import (
    LARGEST,
    CodedArgumentParser,
    actor_name,
    event_type,
    iso_date,
    place_name,
    port,
    tie_type,
    whole_number,
)
from khabar.errors import KhabarError

__all__ = ["main", "build_parser"]

EXAMPLES = {
    "ingest": "khabar ingest ../shared/corpus/seeds --meta ../shared/corpus/seeds.meta.jsonl",
    "reextract": "khabar reextract --db khabar.db   # after a gazetteer, lexicon or model change",
    "actors": "khabar actors --db khabar.db",
    "ties": 'khabar ties "Al Qaeda" --type hosts',
    "show": "khabar show taliban",
    "search": 'khabar search "safe haven"',
    "brief": "khabar brief -o brief.html      # or: khabar brief --format md -o brief.md",
    "events": "khabar events --actor isis-k --type attack --place Nangarhar --since 2021-08",
    "activity": "khabar activity --actor isis-k --place Nangarhar --by week",
    "export": "khabar export --format acled-csv -o events.csv",
    "judgments": "khabar judgments --due      # or: --speaker Sales, --about taliban, --scores",
    "resolve": "khabar resolve jd-0123abcd4567 --outcome yes",
    "grade": 'khabar grade "Meridian Wire" B',
    "backup": "khabar backup khabar-2026-12-03.db --db khabar.db",
    "restore": "khabar restore khabar-2026-12-03.db --db khabar.db",
    "extract": "khabar extract DIR --meta META.jsonl --format gold -o out.jsonl",
    "eval": "khabar eval ../shared/eval/seeds.gold.jsonl --corpus ../shared/corpus/seeds",
    "serve": "khabar serve --db khabar.db --port 8000   # then open http://127.0.0.1:8000/",
}


# Commands that live in modules of their own (``khabar.commands.*``). Each module has
# ``NAMES`` (the commands it adds), ``EXAMPLES`` (one line per name), ``register(sub, add)``
# adding its parsers through ``add`` (this module's ``_add``) and ``run(args) -> int``.
# build_parser imports them, so they import nothing heavy at module level.
COMMAND_MODULES: tuple[str, ...] = ("khabar.commands.network", "khabar.commands.correct", "khabar.commands.interop",
                                    "khabar.commands.people")


def _command_modules() -> list:
    import importlib

    return [importlib.import_module(name) for name in COMMAND_MODULES]


def _add(sub, name: str, help_text: str, db: bool = True, example: str | None = None) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text, description=help_text,
                       epilog="example:\n  " + (example or EXAMPLES[name]),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    if db:
        p.add_argument("--db", default="khabar.db", help="the knowledge base file (default: ./khabar.db)")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = CodedArgumentParser(  # every argument error coded; the subparsers are of its class
        prog="khabar",
        description="An evidence-backed knowledge base of armed groups, built from open sources.",
        epilog="examples:\n" + textwrap.indent("\n".join(
            [*EXAMPLES.values(), *(e for m in _command_modules() for e in m.EXAMPLES.values())]), "  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = _add(sub, "ingest", "read documents, extract actors and ties, store them")
    p.add_argument("paths", nargs="+", help="files or folders (.txt .md .html .htm .jsonl; .pdf .docx, Telegram "
                   "result.json, .rss .atom .xml feeds, .warc .warc.gz: see README, What khabar reads)")
    p.add_argument("--meta", help="JSONL sidecar: {doc, published, source, url, title} per file")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _workers(p)

    p = _add(sub, "reextract", "extract the stored documents again (the analyst's work stays)")
    p.add_argument("--all", dest="everything", action="store_true",
                   help="every document, also those already extracted by this version of khabar "
                   "(default: only those extracted otherwise; an interrupted run resumes)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _workers(p)

    p = _add(sub, "actors", "who is in the corpus, under which names")
    _paging(p, "actors")

    p = _add(sub, "ties", "typed ties with evidence counts, sources, first/last seen")
    p.add_argument("actor", nargs="?", type=actor_name, help="an actor's id, name or any alias (default: all ties)")
    p.add_argument("--type", dest="tie_type", type=tie_type, help="only ties of this type")
    _paging(p, "ties")

    p = _add(sub, "show", "every tie of an actor with the quoted sentence and its document")
    p.add_argument("actor", help="an actor's id, name or any alias")

    p = _add(sub, "search", "full-text search over sentences, with snippets")
    p.add_argument("query", help='words, or a "quoted phrase"')
    p.add_argument("--limit", type=whole_number(1, "E330"), default=20, help="show at most N matches (default 20)")
    p.add_argument("--raw", action="store_true",
                   help="the query is FTS5 syntax, passed through: 'A OR B', tali*, NEAR(a b), NOT")

    p = _add(sub, "brief", "write the brief: one offline HTML file, or Markdown")
    p.add_argument("-o", "--output", default="brief.html")
    p.add_argument("--format", dest="fmt", choices=["html", "md"], default=None,
                   help="html or md (default: from the output's extension)")

    p = _add(sub, "events", "events (reports merged across documents) with dates, places and fatalities")
    _event_filters(p)
    _paging(p, "events")
    p.add_argument("--evidence", action="store_true", help="print each event's sentences and documents")

    p = _add(sub, "activity", "events over time: counts, surges and stops with a coverage check, places' shares")
    p.add_argument("--actor", type=actor_name, help="who did it: an actor's id, name or alias")
    p.add_argument("--place", type=place_name, help="a place, district, province or country code")
    p.add_argument("--type", dest="types", action="append", type=event_type,
                   help="only this event type (repeatable)")
    p.add_argument("--role", choices=["actor", "target", "any"], default="actor",
                   help="count events the actor did (default), suffered, or either")
    p.add_argument("--by", choices=["day", "week", "month"], default="week")
    p.add_argument("--json", action="store_true", help="print the whole report as JSON")

    from khabar.export import FORMATS, default_output, format_help

    p = _add(sub, "export", "export the knowledge base for other tools (STIX, MISP, FtM, GraphML, GEXF, CSV...)")
    p.add_argument("--format", dest="fmt", choices=list(FORMATS), default="acled-csv", help=format_help())
    p.add_argument("-o", "--output", help=f"the file to write (default: {default_output('acled-csv')}, "
                                          "khabar.FORMAT's suffix for the others)")
    _event_filters(p)

    p = _add(sub, "judgments", "attributed judgments: speaker, estimative words and band, due date, outcome")
    p.add_argument("--speaker", help="only this speaker (as named in the text)")
    p.add_argument("--about", type=actor_name, help="only judgments about this actor (id, name or alias)")
    p.add_argument("--due", action="store_true", help="only those whose horizon has passed and that are unresolved")
    p.add_argument("--scores", action="store_true", help="print Brier scores per speaker and per source")
    _paging(p, "judgments")

    p = _add(sub, "resolve", "record a judgment's outcome (kept apart from machine output)")
    p.add_argument("judgment", help="the judgment's id (see 'khabar judgments')")
    p.add_argument("--outcome", required=True, choices=["yes", "no"], help="did it come true?")
    p.add_argument("--note", default="", help="what happened, in a few words")

    p = _add(sub, "grade", "grade a source's reliability (Admiralty A-F); the analyst's grade always wins")
    p.add_argument("source", help="the source's name")
    p.add_argument("grade", help="A completely reliable ... E unreliable, F cannot be judged")

    p = _add(sub, "backup", "copy the knowledge base, analyst layer included, to a new file")
    p.add_argument("dest", help="the backup file to write (must not exist)")

    p = _add(sub, "restore", "replace the knowledge base with a backup (the one replaced is kept beside it)")
    p.add_argument("src", help="a file 'khabar backup' wrote")

    p = _add(sub, "extract", "per-document extraction to JSONL (no knowledge base)", db=False)
    p.add_argument("paths", nargs="+")
    p.add_argument("--meta")
    p.add_argument("--format", dest="fmt", choices=["gold", "jsonl"], default="gold")
    p.add_argument("-o", "--output", default="-", help="output file (default: standard output)")

    p = _add(sub, "eval", "P/R/F1 per layer against gold files; --errors sorts every error by cause", db=False)
    p.add_argument("gold", nargs="+", help="gold files (khabar-gold/1); several print a table with their union")
    p.add_argument("--corpus", action="append",
                   help="the folder holding a gold file's documents, once per gold file "
                        "(default: ../corpus/NAME beside NAME.gold.jsonl's folder)")
    p.add_argument("--meta", action="append",
                   help="a sidecar adding source, title and url, once per gold file (default: the gold's dates only)")
    p.add_argument("--cv", type=whole_number(0, "E330"), default=0, metavar="K",
                   help="score the learned parts by K-fold cross-validation by document (e.g. 5)")
    p.add_argument("--errors", action="store_true", help="every miss and false alarm, sorted by cause")
    p.add_argument("--causes", action="store_true", help="only the counts of each cause (no items)")
    p.add_argument("--limit", type=whole_number(0, "E311"), default=0,
                   help="with --errors: at most N items per cause (0: all)")
    p.add_argument("--json", action="store_true", help="print the scores (and errors) as JSON")

    p = _add(sub, "serve", "browse and annotate the knowledge base in a local web app")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; any other needs a token)")
    p.add_argument("--port", type=port, default=8000,
                   help="port to listen on, 0-65535 (default 8000; 0: any free port)")
    p.add_argument("--workers", type=whole_number(1, "E330"), default=1,
                   help="worker processes (default 1; 2 or more for many concurrent users)")
    p.add_argument("--token", default=None,
                   help="every request must carry it (default: $KHABAR_TOKEN); open /?token=TOKEN once")

    for module in _command_modules():
        module.register(sub, _add)
    return parser


def _workers(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", type=int, metavar="N", help="extract in N worker processes (default: all cores; 1: "
                   "in this process); with --engine dask, the workers of a local cluster")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="where extraction runs: worker processes here, or Dask tasks (pip install 'khabar[dask]')")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: a running cluster's scheduler "
                   "(tcp://host:8786; default: a local cluster of --jobs workers)")


def _parallel(args: argparse.Namespace) -> dict:
    """jobs/engine/scheduler for Workspace.ingest and reextract."""
    from khabar.parallel import default_jobs

    if args.jobs is not None and args.jobs < 1:
        raise KhabarError("E314", f"--jobs {args.jobs}: give 1 or more worker processes")
    if args.scheduler and args.engine != "dask":
        raise KhabarError("E314", "--scheduler is for --engine dask")
    return {"jobs": args.jobs or default_jobs(), "engine": args.engine, "scheduler": args.scheduler}


def _paging(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--limit", type=int, default=0, metavar="N", help=f"show at most N {what} (0: all)")
    p.add_argument("--offset", type=int, default=0, metavar="K", help=f"skip the first K {what} (with --limit: a page)")


def _page(args: argparse.Namespace) -> dict:
    """limit/offset for a Workspace reader (no limit: everything from the offset)."""
    if not (0 <= args.limit <= LARGEST and 0 <= args.offset <= LARGEST):
        raise KhabarError("E311", "--limit and --offset take a number of rows, 0 or more (and below 2**63)")
    return {"limit": args.limit or None, "offset": args.offset}


def _more(args: argparse.Namespace, shown: int, total: int) -> None:
    """The line under a page that says where the next one starts."""
    if args.offset + shown < total:
        print(f"(rows {args.offset + 1}-{args.offset + shown} of {total}; next: --offset {args.offset + shown})")


_iso_date = iso_date  # the name command modules may know it by


def _event_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--actor", type=actor_name, help="an actor's id, name or alias (see --role)")
    p.add_argument("--role", choices=["any", "actor", "target"], default="any",
                   help="match the actor as the one who did it, the target, or either (default)")
    p.add_argument("--place", type=place_name, help="a place, district, province or country code")
    p.add_argument("--type", dest="types", action="append", type=event_type,
                   help="only this event type (repeatable)")
    p.add_argument("--since", type=_iso_date, help="events from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--until", type=_iso_date, help="events up to this date")


def _filters(args: argparse.Namespace) -> dict:
    return {"actor": args.actor, "place": args.place, "types": args.types, "since": args.since,
            "until": args.until, "role": args.role}


def _rows_table(rows: list[dict], columns: list[str], width: int = 60) -> str:
    """Rows as a text table (numbers right-aligned, cells cut at ``width``); no pandas, which
    takes 0.4 s to import, longer than the rest of a read command."""
    if not rows:
        return "(none)"

    def cell(value) -> str:
        text = "" if value is None else " ".join(str(value).split())
        return text if len(text) <= width else text[: width - 3] + "..."

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    numeric = [all(isinstance(r.get(c), (int, float)) for r in rows) for c in columns]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = []
    for row in [list(columns), *cells]:
        lines.append(" ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(row, widths, numeric,
                                                                                      strict=True)).rstrip())
    return "\n".join(lines)


def _per_gold(values: list[str] | None, n: int, flag: str) -> list[str | None]:
    if not values:
        return [None] * n
    if len(values) != n:
        raise KhabarError("E400", f"give {flag} once per gold file ({n}), or not at all")
    return list(values)


def _eval(args: argparse.Namespace) -> int:
    from khabar.evaluate import format_scores
    from khabar.evaluate.causes import format_errors
    from khabar.evaluate.crossval import gold_set
    from khabar.evaluate.runner import evaluate_sets
    from khabar.evaluate.table import format_table

    n = len(args.gold)
    sets = [gold_set(g, c, m) for g, c, m in zip(args.gold, _per_gold(args.corpus, n, "--corpus"),
                                                  _per_gold(args.meta, n, "--meta"), strict=True)]
    results = evaluate_sets(sets, cv=args.cv, progress=lambda msg: print(msg, file=sys.stderr))
    errors = [e for r in results for e in r.errors]
    if args.json:
        out: dict = {r.name: r.scores.as_dict() for r in results} if n > 1 else results[0].scores.as_dict()
        if args.errors or args.causes:
            out = {"scores": out, "errors": [e.to_dict() for e in errors]}
        print(json.dumps(out, indent=1))
        return 0
    if n == 1:
        print(format_scores(results[0].scores))
    else:
        print(format_table([(r.label, r.scores) for r in results]))
    if args.cv > 1:
        print(f"\n(cv): the learned parts scored by {args.cv}-fold cross-validation by document; "
              "other sets were never trained on")
    if args.errors or args.causes:
        print()
        print(format_errors(errors, items=args.errors, limit=args.limit))
    return 0


# Commands that may make a new knowledge base at --db. Every other command with --db reads
# one: a missing file is E300 before anything runs, never an empty base left behind (a
# command module that makes one lists its names in its own CREATES_DB).
CREATES_DB = ("ingest", "restore", "import")


def _check_inputs(args: argparse.Namespace) -> None:
    """Fail before any work, and before any file is made, when an input is missing: the
    knowledge base of a read command (E300), a document path (E200), a metadata sidecar
    (E201), a gold file (E100)."""
    creates = {*CREATES_DB, *(n for m in _command_modules() for n in getattr(m, "CREATES_DB", ()))}
    db = getattr(args, "db", None)
    if db and db != ":memory:" and args.command not in creates and not Path(db).exists():
        raise KhabarError("E300", f"no knowledge base at {db}")
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    if isinstance(since, str) and isinstance(until, str) and _first_day(since) > _last_day(until):
        raise KhabarError("E303", f"--until {until} is before --since {since}: the window is empty")
    if args.command not in ("ingest", "extract", "eval"):
        return
    for path in getattr(args, "paths", None) or []:
        if not Path(path).exists():
            raise KhabarError("E200", f"{path} does not exist")
    for gold in getattr(args, "gold", None) or []:
        if not Path(gold).is_file():
            raise KhabarError("E100", f"no gold file at {gold}")
    metas = [args.meta] if isinstance(args.meta, str) else args.meta or []
    for meta in metas:
        if not Path(meta).is_file():
            raise KhabarError("E201", f"no metadata sidecar at {meta}" + (" (a folder)" if Path(meta).is_dir() else ""))
    if args.command == "ingest" and metas and not Path(args.db).exists():
        # a first ingest reads the sidecar before making the base: a malformed one leaves no
        # empty base behind (later ingests find it malformed before writing anything)
        from khabar.collect.meta import MetaError, load_meta

        try:
            load_meta(metas[0])
        except MetaError as exc:
            raise KhabarError("E201", str(exc)) from None


def _first_day(date: str) -> str:
    """The first day a partial ISO date covers, as text ("2021" -> "2021-01-01")."""
    return date + "-01-01"[len(date) - 4:]


def _last_day(date: str) -> str:
    """A day no earlier than the last one a partial ISO date covers, as text for comparing
    ("2021" -> "2021-12-31", "2021-02" -> "2021-02-31")."""
    return date + "-12-31"[len(date) - 4:]


def _run(args: argparse.Namespace) -> int:
    from khabar.workspace import Workspace

    _check_inputs(args)
    for module in _command_modules():
        if args.command in module.NAMES:
            return int(module.run(args) or 0)

    if args.command == "extract":
        from khabar.batch import extract_corpus

        skipped: list[str] = []
        out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")  # noqa: SIM115
        n = 0
        try:
            for record in extract_corpus(args.paths, args.meta, args.fmt, skipped):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
        finally:
            if out is not sys.stdout:
                out.close()
        for s in skipped:
            print(s, file=sys.stderr)
        print(f"extracted {n} documents" + (f" to {args.output}" if args.output != "-" else ""), file=sys.stderr)
        return 0
    if args.command == "eval":
        return _eval(args)

    if args.command == "serve":
        import os

        from khabar.web.app import bind_problem, serve

        token = args.token or os.environ.get("KHABAR_TOKEN") or None
        problem = bind_problem(args.host, token)
        if problem:
            raise KhabarError("E334", problem)
        serve(args.db, host=args.host, port=args.port, token=token, workers=args.workers)
        return 0

    if args.command == "restore":
        counts, kept = Workspace(args.db).restore(args.src)
        print(f"restored {args.db} from {args.src}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        if kept:
            print(f"the knowledge base it replaced is kept as {kept}")
        return 0

    with Workspace(args.db) as ws:
        if args.command == "backup":
            counts = ws.backup(args.dest)
            print(f"backed up {args.db} to {args.dest}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
            return 0
        if args.command == "ingest":
            report = ws.ingest(args.paths, meta=args.meta, progress=not args.quiet, **_parallel(args))
            print(report.summary())
            print(f"knowledge base: {args.db}")
        elif args.command == "reextract":
            print(ws.reextract(progress=not args.quiet, everything=args.everything, **_parallel(args)).summary())
        elif args.command == "actors":
            everyone = ws.actor_records()
            page = _page(args)
            rows = everyone[page["offset"]:][: page["limit"]]
            rows = [{**a, "names": ", ".join(a.get("surfaces") or [])} for a in rows]
            print(_rows_table(rows, ["id", "name", "kind", "mentions", "documents", "names"]))
            _more(args, len(rows), len(everyone))
        elif args.command == "ties":
            rows = ws.tie_rows(args.actor, args.tie_type, **_page(args))
            print(_rows_table(rows, [
                "subject_name", "type", "object_name", "evidence", "sources", "first_seen", "last_seen", "negated",
                "predicted", "contested"]))
            _more(args, len(rows), ws.count_ties(args.actor, args.tie_type))
        elif args.command == "show":
            _show(ws, args.actor)
        elif args.command == "search":
            rows = ws.search_records(args.query, args.limit, raw=args.raw)
            if not rows:
                print("(no match)")
            for r in rows:
                print(f"- {r['snippet']}\n  [{r.get('title') or r.get('name')}, {r.get('source') or '?'}, "
                      f"{r.get('published') or 'n.d.'}" + (f", p. {r['page']}]" if r.get("page") else "]"))
        elif args.command == "events":
            _events(ws, args)
        elif args.command == "activity":
            report = ws.activity(args.actor, args.place, args.by, args.types, role=args.role)
            if args.json:
                print(json.dumps(report, indent=1, default=str))
            else:
                print(format_activity(report))
        elif args.command == "export":
            from khabar.export import default_output

            output = args.output or default_output(args.fmt)
            written = ws.export(args.fmt, output, actor=args.actor, place=args.place, types=args.types,
                                since=args.since, until=args.until, role=args.role)
            where = Path(output).resolve()
            if args.fmt == "csv":  # one file per table, beside FILE.csv or in a folder
                from khabar.export.tables import table_paths

                files = table_paths(Path(output).resolve())
                where = f"{files['actors'].parent}/ ({', '.join(p.name for p in files.values())})"
            print(f"{', '.join(f'{n} {what}' for what, n in written.items())} written to {where}")
        elif args.command == "judgments":
            _judgments(ws, args)
        elif args.command == "resolve":
            row = ws.resolve(args.judgment, args.outcome == "yes", args.note)
            print(f"{row['id']}: {row['speaker']} — outcome {'yes' if row['outcome'] else 'no'} recorded")
        elif args.command == "grade":
            ws.grade_source(args.source, args.grade)
            print(f"{args.source}: graded {args.grade.upper()}")
        elif args.command == "brief":
            fmt = args.fmt or ("md" if str(args.output).endswith(".md") else "html")
            path = ws.brief(args.output, fmt)
            print(f"brief written to {Path(path).resolve()}")
    return 0


def _events(ws, args: argparse.Namespace) -> None:
    rows = ws.event_rows(**_filters(args), **_page(args))
    if not rows:
        print("(no events)")
        return
    for r in rows:
        target = f" -> {r['target_names']}" if r.get("target_names") else ""
        country = f" [{r['country']}]" if r.get("country") else ""
        killed = r.get("fatalities")
        r.update(when=f"{r.get('date') or '?'} ({r.get('precision') or '?'})", who=r["actor_names"] + target,
                 where=(r.get("location") or "") + country, killed="" if killed is None else str(int(killed)),
                 reports=r["n_reports"])
    print(_rows_table(rows, ["when", "type", "who", "where", "killed", "reports"]))
    if args.evidence:
        for r in rows:
            print(f"\n{r['id']} {r['type']} {r['when']}: \"{r['evidence'].strip()}\"")
    _more(args, len(rows), ws.count_events(**_filters(args)))


def _judgments(ws, args: argparse.Namespace) -> None:
    if args.scores:
        print(format_scores(ws.forecast_scores()))
        return
    rows = ws.judgment_records(speaker=args.speaker, about=args.about, due=args.due, **_page(args))
    if not rows:
        print("(no judgments)" if not args.due else "(nothing due)")
        return
    for r in rows:
        band = f"{r['estimate']!r} = {r['band']} ({r['low']:.2f}-{r['high']:.2f})" if r.get("band") else "no band"
        due = f", due {r['due']}" if r.get("due") else ""
        outcome = "" if r.get("outcome") is None else f", outcome {'yes' if r['outcome'] else 'no'}"
        role = f", {r['role']}" if r.get("role") else ""
        print(f"{r['id']}  {r['speaker']}{role}: {band}{due}{outcome}")
        print(f"    \"{r['text'].strip()[:300]}\"")
        print(f"    {r.get('title') or r.get('name')} | {r.get('source') or '?'} "
              f"[{r.get('reliability') or 'F'}] | {r.get('published') or 'n.d.'}"
              + (f" | p. {r['page']}" if r.get("page") else ""))
    if args.limit and len(rows) == args.limit:
        print(f"(rows {args.offset + 1}-{args.offset + len(rows)}; more may follow: --offset {args.offset + len(rows)})")


def format_scores(scores: dict) -> str:
    """Forecast scores (``Workspace.forecast_scores``) as text: the overall Brier score, then
    a table per speaker and per source (judgments scored, mean Brier, mean probability
    given, share that came true, notes)."""
    mean = scores.get("mean_brier")
    lines = [f"{scores.get('n', 0)} judgments scored, {scores.get('pending', 0)} without an outcome or band"
             + (f"; mean Brier score {mean:.3f} (0 is perfect, 0.25 is always saying 50%)" if mean is not None
                else "; record outcomes with 'khabar resolve ID --outcome yes|no'")]
    for key, title in (("by_speaker", "speaker"), ("by_source", "source")):
        groups = scores.get(key) or {}
        if not groups:
            continue
        rows = [{title: name, "scored": g.get("n"), "brier": round(g.get("mean_brier") or 0.0, 3),
                 "mean_p": round(g.get("mean_p") or 0.0, 2), "came_true": round(g.get("hit_rate") or 0.0, 2),
                 "notes": "; ".join(g.get("notes") or [])} for name, g in groups.items()]
        lines += ["", _rows_table(rows, [title, "scored", "brier", "mean_p", "came_true", "notes"], width=80)]
    return "\n".join(lines)


def format_activity(report: dict) -> str:
    """The activity report as text: busy bins (runs of empty ones collapsed), the changes
    with their coverage check, and each place's share."""
    by = report.get("by", "week")
    series = report.get("series") or []
    coverage = {b.get("start"): b.get("count", 0) for b in report.get("coverage") or []}
    lines = [f"{sum(b.get('count', 0) for b in series)} events in {len(series)} {by}s"
             + (f" ({report['undated_for_resolution']} more dated too coarsely for a {by})"
                if report.get("undated_for_resolution") else "")]
    quiet = 0
    for b in series:
        docs = coverage.get(b.get("start"), 0)
        if not b.get("count") and not docs:
            quiet += 1
            continue
        if quiet:
            lines.append(f"  ... {quiet} {by}s without events or coverage")
            quiet = 0
        lines.append(f"  {b.get('start')}  {'#' * min(int(b.get('count', 0)), 40):<40} "
                     f"{b.get('count', 0):>3} events, {docs} documents")
    if quiet:
        lines.append(f"  ... {quiet} {by}s without events or coverage")
    for c in report.get("changes") or []:
        lines.append(f"{c.get('kind')} from {c.get('start')}: {c.get('rate_before', 0):.2f} -> "
                     f"{c.get('rate_after', 0):.2f} events per {by}; coverage {c.get('docs_before')} -> "
                     f"{c.get('docs_after')} documents: {c.get('label')}")
    if not report.get("changes"):
        lines.append("no surge or stop found")
    shares = report.get("concentration") or {}
    for level in ("location", "admin1"):
        rows = shares.get(level) if isinstance(shares, dict) else None
        if rows:
            lines.append(f"share by {'place' if level == 'location' else 'province'}: " + ", ".join(
                f"{r.get('name')} {r.get('count')} ({r.get('share', 0):.0%})" for r in rows[:8]))
    lines += [f"note: {n}" for n in report.get("notes") or []]
    return "\n".join(lines)


def _show(ws, name: str) -> None:
    actor = ws.actor(name)
    names = {a: n for a, n in ws._names().items()}
    print(f"{actor['name']} ({actor['id']}, {actor['kind']})")
    for tie, items in ws.tie_records(actor["id"]):
        flag = " CONTESTED" if tie.contested else ""
        print(f"\n{names.get(tie.subject, tie.subject)} -[{tie.type}]-> {names.get(tie.object, tie.object)}"
              f"  evidence {tie.evidence}, sources {tie.sources}{flag}")
        for a in items:
            who = f" (according to {a['attributed_to']})" if a.get("attributed_to") else ""
            print(f"  [{a['modality']}]{who} \"{a['sentence'].strip()}\"")
            page = f"p. {a['page']} | " if a.get("page") else ""  # a PDF's page (documents.pages)
            print(f"     {a.get('title') or a.get('name')} | {a.get('source') or '?'} | "
                  f"{a.get('published') or 'n.d.'} | {page}chars {a['start']}-{a['end']}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except KhabarError as exc:
        print(f"khabar: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:  # an output path that is a folder, a folder that cannot be made...
        where = f" {exc.filename}" if exc.filename else ""
        print(f"khabar: {KhabarError('E335', f'cannot use{where}: {exc.strerror or exc}')}", file=sys.stderr)
        return 2
    except ValueError as exc:  # a malformed sidecar met while reading (khabar.collect.meta)
        meta = sys.modules.get("khabar.collect.meta")
        if meta is None or not isinstance(exc, meta.MetaError):
            raise
        print(f"khabar: {KhabarError('E201', str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: a word, not a traceback; what was committed stays
        print("khabar: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
