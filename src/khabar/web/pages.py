"""The HTML pages of ``khabar serve``, rendered on the server (Jinja2, autoescaping on).

Every page has a stable address; filters are query parameters, so a filtered view can be
bookmarked. Analyst actions are POST forms carrying the CSRF value, and each answers with a
303 redirect back to the page it came from. Everything from the documents is escaped by the
templates; the SVG figures come from ``khabar.present``, which escapes every string itself.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from khabar import store
from khabar.errors import KhabarError
from khabar.present.geomap import event_map_svg
from khabar.present.model import CREDIBILITY_LABELS, date_label, event_colour, grade_title, place_label
from khabar.present.network import network_svg
from khabar.present.text import kind_label, ordered_tie_types, tie_colour, tie_label
from khabar.present.timeline import timeline_svg
from khabar.schema import is_partial_date, vocab
from khabar.store import read as store_read
from khabar.store.read import JUDGMENT_SORTS
from khabar.store.text import is_fts_syntax_error
from khabar.store.ties import TIE_SORTS
from khabar.web.api import (
    ACTOR_ID,
    ASSERTION_ID,
    DOC_ID,
    JUDGMENT_ID,
    MAX_LIMIT,
    PICK_ACTORS,
    actor_row,
    actor_rows,
    check_id,
    doc_link,
    document_dict,
    document_rows,
    event_dicts,
    filtered_ties,
    find_tie,
    hit_dict,
    judgment_dict,
    names_of,
    not_found,
    snippet_parts,
    tie_dict,
    tie_dicts,
    workspace,
)
from khabar.web.listing import columns, export_links, sort_key
from khabar.web.security import CSRF_FIELD, csrf_value, require_csrf

__all__ = ["router", "templates", "render_error"]

_HERE = Path(__file__).resolve().parent
_LOCAL_PATH = re.compile(r"^/(?!/)[A-Za-z0-9/_.~%?=&#+-]*$")
_DIGITS = re.compile(r"^\d{1,9}$")

router = APIRouter(include_in_schema=False)


PAGE_ROWS = 100  # rows of a list page (actors, ties and events of an actor, events, judgments, documents)
SECTION_ROWS = 50  # rows of each list on an actor's page (ties, events, judgments)
NEIGHBOURHOOD_TIES = 30  # ties drawn in an actor page's neighbourhood figure


def _offset(value: str | None) -> int:
    """``?offset=`` as a number of rows (anything else: the first page)."""
    return int(value) if value is not None and _DIGITS.match(value) else 0


def _pager(request: Request, offset: int, shown: int, total: int | None, key: str = "offset",
           limit: int | None = None) -> dict[str, Any]:
    """Links to the previous and next pages of a list, keeping the page's other filters."""
    limit = limit or PAGE_ROWS
    def at(k: int) -> str:
        return f"{request.url.path}?{request.url.include_query_params(**{key: k}).query}"
    more = offset + shown < total if total is not None else shown >= limit
    return {"first": offset + 1 if shown else offset, "last": offset + shown, "total": total,
            "prev": at(max(0, offset - limit)) if offset > 0 else None, "next": at(offset + shown) if more else None}


def _context(request: Request) -> dict[str, Any]:
    query = request.url.query
    return {"csrf": csrf_value(request), "csrf_field": CSRF_FIELD,
            "here": request.url.path + (f"?{query}" if query else ""), "path": request.url.path}


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_HERE / "templates")), autoescape=True,
                             undefined=jinja2.ChainableUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update({
        "tie_label": tie_label, "kind_label": kind_label, "grade_title": grade_title, "date_label": date_label,
        "place_label": place_label, "event_colour": event_colour, "tie_colour": tie_colour,
        "credibility_label": lambda r: CREDIBILITY_LABELS.get(r, "") if isinstance(r, int) else "",
    })
    env.globals["export_links"] = export_links  # export links from a template (the network page's)
    return env


templates = Jinja2Templates(env=_env(), context_processors=[_context])


def _page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def render_error(request: Request, status: int, message: str,
                 suggestions: list[tuple[str, str]] | None = None) -> HTMLResponse:
    """The HTML error page; ``suggestions``: (href, text) of pages the visitor may have meant."""
    titles = {400: "Bad request", 403: "Forbidden", 404: "Not found", 405: "Method not allowed"}
    return _page(request, "error.html", status_code=status, status=status, title=titles.get(status, "Error"),
                 message=message, suggestions=suggestions or [])


MAX_NAME = 200  # characters of a name looked up where an id goes


def _actor_or_suggest(request: Request, ws: Any, text: str) -> dict[str, Any] | HTMLResponse:
    """The actor ``text`` names (an id, a name, an alias, a name the documents use), or the
    404 page listing the actors with the closest names (``khabar.suggest``), each a link."""
    from urllib.parse import quote

    from khabar.suggest import actor_suggestions

    text = " ".join(str(text).split())[:MAX_NAME]
    if text:
        try:
            return ws.actor(text)
        except KhabarError:
            pass
    near = actor_suggestions(ws.conn, text, n=5) if text else []
    return render_error(request, 404, f"no actor called {text!r}",
                        suggestions=[(f"/actors/{quote(n, safe='')}", n) for n in near])


def _back(next_url: str | None, default: str) -> RedirectResponse:
    """303 to ``next_url`` when it is a path on this server, else to ``default``."""
    target = next_url if next_url and _LOCAL_PATH.match(next_url) and "\\" not in next_url else default
    return RedirectResponse(target, status_code=303)


def _int(value: str | None) -> int | None:
    return int(value) if value and _DIGITS.match(value) else None


def _date(value: str | None, notes: list[str], what: str) -> str | None:
    if not value:
        return None
    if not is_partial_date(value):
        raise HTTPException(status_code=400, detail=f"{what}: {value!r} is not a date: give YYYY, YYYY-MM or "
                                                    "YYYY-MM-DD naming a real month and day [E303]")
    return value


def _analyst_error(exc: KhabarError) -> HTTPException:
    return HTTPException(status_code=404 if exc.code in ("E301", "E304", "E306", "E307") else 400, detail=str(exc))


def _live_log(ws: Any, kind: str | None = None) -> list[dict[str, Any]]:
    return [a for a in ws.analyst_log() if a.get("undone_at") is None and (kind is None or a["kind"] == kind)]


def _event_sort_key(e: dict[str, Any]) -> str:
    return str(e.get("date_end") or e.get("date_start") or "")


# -- reading pages -------------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    """Counts, most connected actors, recent events, contested ties, due judgments."""
    with workspace(request) as ws:
        counts = ws.counts()
        actors = {a["id"]: a for a in actor_rows(ws)}
        names = names_of(ws)
        degree = ws.degrees(limit=12)
        most = [{"id": a, "name": names.get(a, a), "degree": n,
                 "mentions": actors.get(a, {}).get("mentions", 0), "kind": actors.get(a, {}).get("kind")}
                for a, n in degree.items()]
        events = ws.event_records(order="recent", limit=10)
        recent = event_dicts(ws, events)
        contested = tie_dicts(ws, limit=20, contested=True)
        due = [judgment_dict(r, names) for r in ws.judgment_records(due=True, limit=50)]
        log = list(reversed(ws.analyst_log()))[:8]
        ties_total = ws.count_ties()
    return _page(request, "overview.html", title="Overview", counts=counts, ties_total=ties_total,
                 actors_total=len(actors), most=most, recent=recent, contested=contested, due=due, log=log)


# The sorts of the actors list. Actors are a small table and the list is built with the
# analyst's merges applied (Workspace.actor_records), so it is sorted where it is built.
_ACTOR_SORTS: dict[str, Any] = {
    "name": lambda r: (str(r["name"]).casefold(), r["id"]),
    "kind": lambda r: (str(r.get("kind") or ""), str(r["name"]).casefold()),
    "mentions": lambda r: (r["mentions"], r["documents"]),
    "documents": lambda r: (r["documents"], r["mentions"]),
}
EXPORT_FORMATS = ("csv", "json")  # the formats of one list; the network and events add khabar export's own
EVENT_EXPORTS = ("csv", "json", "acled-csv", "jsonl", "stix", "misp", "ftm", "gold")


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, kind: str | None = None, q: str | None = None,
                offset: str | None = None, sort: str | None = None) -> HTMLResponse:
    """The actors found in the corpus, most mentioned first (``?sort=``: by name, kind,
    mentions or documents, "-" first for the reverse), with their names and how connected
    each is; a page at a time."""
    start = _offset(offset)
    order = sort_key(sort, _ACTOR_SORTS, "-mentions")
    with workspace(request) as ws:
        rows = actor_rows(ws)
        kinds = sorted({str(r.get("kind")) for r in rows if r.get("kind")})
        if kind:
            rows = [r for r in rows if r.get("kind") == kind]
        if q:
            needle = q.strip().lower()[:200]
            rows = [r for r in rows if needle in r["name"].lower() or needle in r["id"]
                    or any(needle in str(n).lower() for n in r["aliases"] + r["surfaces"])]
        total = len(rows)
        if order != "-mentions":  # else as read: most mentioned first, then by name
            rows.sort(key=_ACTOR_SORTS[order.removeprefix("-")], reverse=order.startswith("-"))
        rows = rows[start:start + PAGE_ROWS]
        degree = ws.degrees([r["id"] for r in rows])
    for r in rows:
        r["degree"] = degree.get(r["id"], 0)
    cols = columns(request, [("actor", "name", False), ("kind", "kind", False), ("mentions", "mentions", True, "num"),
                             ("documents", "documents", True, "num"), ("tied to", None, False, "num"),
                             ("found as", None, False)], order)
    return _page(request, "actors.html", title="Actors", rows=rows, kinds=kinds, kind=kind or "", q=q or "",
                 total=total, pg=_pager(request, start, len(rows), total), cols=cols, sort=order,
                 exports=export_links(request, "actors", EXPORT_FORMATS))


@router.get("/actors/{actor_id}", response_class=HTMLResponse, response_model=None)
def actor_page(request: Request, actor_id: str, ties: str | None = None, events: str | None = None,
               judgments: str | None = None, tsort: str | None = None, ttype: str | None = None) -> Response:
    """One actor: names, kind, parent, ties by type, events, judgments about it, its
    neighbourhood; each list a page at a time (``?ties=``, ``?events=``, ``?judgments=``
    give where its page starts; ``?tsort=`` orders its ties within each type: evidence,
    sources, first_seen, last_seen, credibility, "-" first for the reverse; ``?ttype=``: its
    ties of one type only).

    A name or alias where the id goes (``/actors/Taliban``) answers with the actor's page
    (a redirect to its id); a name khabar does not know, with the closest names it knows."""
    at = {"ties": _offset(ties), "events": _offset(events), "judgments": _offset(judgments)}
    tie_order = sort_key(tsort, TIE_SORTS, "-sources")
    tie_type = ttype if ttype in vocab()["tie_types"] else None
    with workspace(request) as ws:
        actor = _actor_or_suggest(request, ws, actor_id)
        if not isinstance(actor, dict):
            return actor
        if actor["id"] != actor_id:
            return RedirectResponse(f"/actors/{actor['id']}" + (f"?{request.url.query}" if request.url.query else ""),
                                    status_code=303)
        row = actor_row(ws, actor_id) or {}
        names = names_of(ws)
        tie_rows = tie_dicts(ws, actor_id, tie_type, limit=SECTION_ROWS, offset=at["ties"],
                             order=None if tie_order == "-sources" else tie_order)
        tie_pg = _pager(request, at["ties"], len(tie_rows), ws.count_ties(actor_id, tie_type), key="ties",
                        limit=SECTION_ROWS)
        event_rows = event_dicts(ws, ws.event_records(actor=actor_id, role="any", order="recent", limit=SECTION_ROWS,
                                                      offset=at["events"]))
        from khabar.web.correct import mark_corrected, mark_corrected_ties

        mark_corrected(ws, event_rows)  # the events and ties an analyst made or corrected, labelled
        mark_corrected_ties(ws, tie_rows)
        event_pg = _pager(request, at["events"], len(event_rows), ws.count_events(actor=actor_id, role="any"),
                          key="events", limit=SECTION_ROWS)
        judgment_rows = [judgment_dict(r, names) for r in ws.judgment_records(about=actor_id, limit=SECTION_ROWS,
                                                                             offset=at["judgments"])]
        judgment_pg = _pager(request, at["judgments"], len(judgment_rows), None, key="judgments", limit=SECTION_ROWS)
        log = _live_log(ws)
        parent = None
        if actor.get("parent"):
            try:
                parent = ws.actor(actor["parent"])
            except KhabarError:
                parent = {"id": None, "name": actor["parent"]}
    analyst_aliases = [(a["payload"].get("alias"), a["id"]) for a in log
                       if a["kind"] == "alias" and a["target"] == actor_id]
    own = {n for n, _ in analyst_aliases}
    machine_aliases = [n for n in actor.get("aliases") or [] if n not in own]
    merged_in = [(a["target"], names.get(a["target"], a["target"]), a["id"]) for a in log
                 if a["kind"] == "merge" and a["payload"].get("into") == actor_id]
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in tie_rows:
        other = t["object"] if t["subject"] == actor_id else t["subject"]
        t["other"], t["other_name"] = other, names.get(other, other)
        t["outgoing"] = t["subject"] == actor_id
        groups[t["type"]].append(t)
    grouped = [(tt, groups[tt]) for tt in ordered_tie_types(list(groups))]
    # the neighbourhood figure draws the best-evidenced ties (a force layout grows with the square of its nodes)
    drawn = [t for t in tie_rows if t["evidence"] > 0][:NEIGHBOURHOOD_TIES]
    ends = dict.fromkeys(x for t in drawn for x in (t["subject"], t["object"]))
    nodes = [r for r in (actor_row(ws, x) for x in ends) if r is not None]
    svg = network_svg(nodes, drawn, width=820, height=460) if drawn else ""
    # merge targets: the most mentioned actors (a form's list stays short in a base of many)
    merges = ws._analyst()["merges"]
    others = [{"id": x, "name": n} for x, n in names.items() if x != actor_id and x not in merges][:PICK_ACTORS]
    return _page(request, "actor.html", title=actor["name"], actor=actor, row=row, parent=parent,
                 machine_aliases=machine_aliases, analyst_aliases=analyst_aliases, merged_in=merged_in,
                 grouped=grouped, events=event_rows, judgments=judgment_rows, svg=Markup(svg), others=others,
                 tie_pg=tie_pg, event_pg=event_pg, judgment_pg=judgment_pg,
                 tie_sorts=columns(request, [("sources", "sources", True), ("evidence", "evidence", True),
                                             ("last seen", "last_seen", True), ("first seen", "first_seen", False),
                                             ("credibility", "credibility", True)], tie_order, "tsort", "ties"),
                 tie_exports=export_links(request, "ties", EXPORT_FORMATS,
                                          {"actor": actor_id, **({"type": tie_type} if tie_type else {})}),
                 tie_types=list(vocab()["tie_types"]), ttype=tie_type or "", tsort=tie_order,
                 event_exports=export_links(request, "events", EXPORT_FORMATS, {"actor": actor_id}),
                 judgment_exports=export_links(request, "judgments", EXPORT_FORMATS, {"actor": actor_id}))


@router.get("/ties/{subject}/{tie_type}/{obj}", response_class=HTMLResponse, response_model=None)
def tie_page(request: Request, subject: str, tie_type: str, obj: str) -> Response:
    """One tie: every assertion for, against and predicting it, with the analyst's verdicts."""
    with workspace(request) as ws:
        tie, items = find_tie(ws, subject, tie_type, obj)
        if (tie.subject, tie.type, tie.object) != (subject, tie_type, obj):
            return RedirectResponse(f"/ties/{tie.subject}/{tie.type}/{tie.object}", status_code=303)
        t = tie_dict(tie, items, names_of(ws), ws.sources, with_assertions=True)
        for shown, a in zip(t["assertions"], items, strict=True):  # evidence an analyst added or changed
            shown["correction"], shown["machine"] = a.get("correction"), a.get("machine")
        aids = {a["aid"] for a in t["assertions"]}
        log = [a for a in _live_log(ws) if a["target"] == t["target"] or a["target"] in aids]
    sides = [("asserted", "For: says the tie holds", [a for a in t["assertions"] if a["modality"] == "asserted"]),
             ("negated", "Against: says it does not", [a for a in t["assertions"] if a["modality"] == "negated"]),
             ("predicted", "Predicted: says it will or may", [a for a in t["assertions"]
                                                             if a["modality"] == "predicted"])]
    return _page(request, "tie.html", title=f"{t['subject_name']} {t['label']} {t['object_name']}", tie=t,
                 sides=sides, log=log)


def _highlight(text: str, mentions: list[dict], places: list[dict], cited: tuple[int, int] | None) -> list[dict]:
    """The text cut where any mention, place or the cited span starts or ends: a flat list of
    pieces (``{"open": True}`` / ``{"close": True}`` around the cited span, text pieces between)."""
    n = len(text)
    spans: list[tuple[int, int, str, dict]] = []
    for m in mentions:
        spans.append((max(0, m["start"]), min(n, m["end"]), "actor", m))
    for p in places:
        spans.append((max(0, p["start"]), min(n, p["end"]), "place", p))
    spans = [s for s in spans if s[0] < s[1]]
    cuts = {0, n}
    for s, e, _, _ in spans:
        cuts |= {s, e}
    if cited:
        cuts |= set(cited)
    bounds = sorted(cuts)
    starts: dict[int, list[int]] = defaultdict(list)
    for i, (s, _, _, _) in enumerate(spans):
        starts[s].append(i)
    active: set[int] = set()
    pieces: list[dict] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if cited and a == cited[0]:
            pieces.append({"open": True})
        active |= set(starts.get(a, ()))
        active = {i for i in active if spans[i][1] > a}
        actor = next((spans[i][3] for i in sorted(active) if spans[i][2] == "actor"), None)
        place = next((spans[i][3] for i in sorted(active) if spans[i][2] == "place"), None)
        pieces.append({"text": text[a:b], "actor": actor, "place": place})
        if cited and b == cited[1]:
            pieces.append({"close": True})
    return pieces


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, offset: str | None = None, sort: str | None = None,
                   source: str | None = None) -> HTMLResponse:
    """The documents, oldest first (``?sort=``: published or source, "-" first for the
    reverse; ``?source=``: one source's), a page at a time."""
    start = _offset(offset)
    order = sort_key(sort, store_read.DOCUMENT_SORTS, "published")
    source = (source or "").strip()[:200] or None
    with workspace(request) as ws:
        rows = document_rows(ws, PAGE_ROWS, start, order=order, source=source)
        total = store_read.count_documents(ws.conn, include_duplicates=True, source=source)
        sources = store_read.document_sources(ws.conn)
    cols = columns(request, [("published", "published", False), ("title", None, False), ("source", "source", False),
                             ("characters", None, False, "num"), ("original address", None, False)], order)
    return _page(request, "documents.html", title="Documents", rows=rows, total=total,
                 pg=_pager(request, start, len(rows), total), cols=cols, sources=sources, source=source or "",
                 exports=export_links(request, "documents", EXPORT_FORMATS))


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, s: str | None = None, e: str | None = None) -> HTMLResponse:
    """A document's full text with actors and places marked, and the cited sentence (``?s=&e=``) highlighted."""
    check_id(doc_id, DOC_ID, "such document")
    with workspace(request) as ws:
        doc = document_dict(ws, doc_id)
        if doc is None:
            raise not_found("such document")
        names = names_of(ws)
        ties = [{"aid": a["aid"], "modality": a["modality"], "subject_name": names.get(a["subject"], a["subject"]),
                 "object_name": names.get(a["object"], a["object"]), "label": tie_label(a["type"]),
                 "url": f"/ties/{a['subject']}/{a['type']}/{a['object']}",
                 "here": doc_link(doc_id, a["start"], a["end"]), "correction": a.get("correction")}
                for a in store.assertions(ws.conn, doc_id=doc_id)]
        judgments = [judgment_dict(r, names) for r in store.judgments(ws.conn, doc_id=doc_id)]
        events = [{"id": r.get("event_id"), "type": r["type"], "date": r.get("date") or r.get("date_start"),
                   "place": place_label(r), "here": doc_link(doc_id, r.get("start"), r.get("end")),
                   "actor_names": [names.get(a, a) for a in r.get("actors") or []]}
                  for r in store_read.event_reports(ws.conn, doc_id=doc_id)]
        original = store.document(ws.conn, doc["duplicate_of"]) if doc.get("duplicate_of") else None
    start, end = _int(s), _int(e)
    cited = (start, end) if start is not None and end is not None and 0 <= start < end <= len(doc["text"]) else None
    pieces = _highlight(doc["text"], doc["mentions"], doc["places"], cited)
    return _page(request, "document.html", title=doc.get("title") or doc.get("name") or doc_id, doc=doc,
                 pieces=pieces, cited=cited, ties=ties, judgments=judgments, original=original,
                 panel=_document_panel(doc, ties, events, judgments))


def _document_panel(doc: dict[str, Any], ties: list[dict[str, Any]], events: list[dict[str, Any]],
                    judgments: list[dict[str, Any]]) -> dict[str, Any]:
    """The side panel of a document page: the actors it names (most named first, with how
    often), its ties, events and judgments, each linked to where the document says it (all
    read by doc_id, through the indexes on mentions, assertions, event_reports, judgments)."""
    named: dict[str, dict[str, Any]] = {}
    for m in doc["mentions"]:
        a = named.setdefault(m["actor_id"], {"id": m["actor_id"], "name": m.get("actor_name") or m["actor_id"],
                                             "n": 0, "first": m["start"], "end": m["end"]})
        a["n"] += 1
    actors = sorted(named.values(), key=lambda a: (-a["n"], str(a["name"]).casefold()))
    for a in actors:
        a["here"] = doc_link(doc["id"], a.pop("first"), a.pop("end"))
    return {"actors": actors, "ties": ties, "events": events, "judgments": judgments}


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, type: str | None = None, since: str | None = None,  # noqa: A002
                 until: str | None = None, modality: str | None = None, rejected: str | None = None,
                 min_evidence: str | None = None, min_credibility: str | None = None) -> HTMLResponse:
    """The network of actors and ties, filtered by tie type, a window of dates, modality, evidence
    and credibility; static/network.js draws it interactively from /api/network (same filters)."""
    notes: list[str] = []
    floor = int(min_evidence) if min_evidence and _DIGITS.match(min_evidence) and int(min_evidence) > 0 else 1
    best = int(min_credibility) if min_credibility in ("1", "2", "3", "4", "5", "6") else None
    types = list(vocab()["tie_types"])
    if type and type not in types:
        notes.append("unknown tie type (ignored)")
        type = None  # noqa: A001
    if modality and modality not in vocab()["modalities"]:
        notes.append("unknown modality (ignored)")
        modality = None
    since, until = _date(since, notes, "since"), _date(until, notes, "until")
    with workspace(request) as ws:
        ties = filtered_ties(ws, type or None, since, until, modality or None, include_rejected=bool(rejected))
        actors = actor_rows(ws)
    ties = [t for t in ties if t["evidence"] >= floor
            and (best is None or (t.get("credibility") is not None and t["credibility"] <= best))]
    svg = network_svg(actors, ties)
    return _page(request, "network.html", title="Network", svg=Markup(svg), ties=ties, types=types,
                 modalities=list(vocab()["modalities"]), notes=notes,
                 credibility_levels=sorted(CREDIBILITY_LABELS.items()),
                 f={"type": type or "", "since": since or "", "until": until or "", "modality": modality or "",
                    "rejected": bool(rejected), "min_evidence": floor, "min_credibility": best})


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, type: str | None = None, actor: str | None = None,  # noqa: A002
                place: str | None = None, since: str | None = None, until: str | None = None,
                offset: str | None = None, sort: str | None = None) -> HTMLResponse:
    """Events on a timeline and a map, and as a table; filtered by type, actor, place and dates;
    the latest first (``?sort=``: by date or type, each read in the order of an index, "-"
    first for the reverse), a page at a time (the figures draw the page's events)."""
    start = _offset(offset)
    order = sort_key(sort, ("start", "type"), "recent")
    total = 0
    notes: list[str] = []
    types = list(vocab()["event_types"])
    if type and type not in types:
        notes.append("unknown event type (ignored)")
        type = None  # noqa: A001
    since, until = _date(since, notes, "since"), _date(until, notes, "until")
    actor = (actor or "").strip()[:200] or None
    place = (place or "").strip()[:200] or None
    events: list[dict[str, Any]] = []
    with workspace(request) as ws:
        try:
            filters = {"actor": actor, "place": place, "types": [type] if type else None, "since": since,
                       "until": until, "role": "any"}
            records = ws.event_records(**filters, order=order, limit=PAGE_ROWS, offset=start)
            total = ws.count_events(**filters)
        except KhabarError as exc:
            notes.append(exc.message)
            records = []
        events = event_dicts(ws, records)
        from khabar.web.correct import mark_corrected

        mark_corrected(ws, events)  # the events an analyst made or corrected, labelled
    timeline = timeline_svg(events) if events else ""
    geo = event_map_svg(events) if events else ""
    if order == "recent":
        events.sort(key=_event_sort_key, reverse=True)
    cols = columns(request, [("date", "start", True), ("type", "type", False), ("who", None, False),
                             ("where", None, False), ("killed", None, False), ("credibility", None, False),
                             ("evidence", None, False)], order)
    return _page(request, "events.html", title="Events", events=events, timeline=Markup(timeline), geo=Markup(geo),
                 types=types, notes=notes, total=total, pg=_pager(request, start, len(events), total),
                 cols=cols, sort=order, exports=export_links(request, "events", EVENT_EXPORTS),
                 f={"type": type or "", "actor": actor or "", "place": place or "", "since": since or "",
                    "until": until or ""})


@router.get("/judgments", response_class=HTMLResponse)
def judgments_page(request: Request, due: str | None = None, speaker: str | None = None,
                   offset: str | None = None, sort: str | None = None) -> HTMLResponse:
    """The ledger of attributed judgments: speaker, band, due date, outcome; a resolve form for
    each; a page at a time, by the source's date (``?sort=``: published, due or speaker, in
    SQL, "-" first for the reverse)."""
    speaker = (speaker or "").strip()[:200] or None
    start = _offset(offset)
    order = sort_key(sort, JUDGMENT_SORTS, "published")
    with workspace(request) as ws:
        names = names_of(ws)
        rows = [judgment_dict(r, names) for r in ws.judgment_records(speaker=speaker, due=bool(due),
                                                                     limit=PAGE_ROWS, offset=start, order=order)]
        speakers = sorted({r["speaker"] for r in rows}, key=str.lower)  # the page's: no scan of every judgment
        scores = ws.forecast_scores()
    sorts = columns(request, [("source date", "published", False), ("due date", "due", False),
                              ("speaker", "speaker", False)], order)
    return _page(request, "judgments.html", title="Judgments", rows=rows, speakers=speakers, scores=scores,
                 pg=_pager(request, start, len(rows), None), f={"due": bool(due), "speaker": speaker or ""},
                 sorts=sorts, sort=order, exports=export_links(request, "judgments", EXPORT_FORMATS))


def _name_finder(ws: Any) -> Any:
    """``find(text)`` for ``store.read.expand_names``: the actor a word or phrase names (the
    analyst's aliases and merges applied), or None; no suggestions are computed for a miss."""
    def find(text: str) -> dict[str, Any] | None:
        try:
            return ws.actor(text, suggest=False)
        except KhabarError:
            return None
    return find


_YEAR = re.compile(r"^\d{4}$")


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str | None = None, limit: str | None = None, raw: str | None = None,
                exact: str | None = None, source: str | None = None, year: str | None = None,
                actor: str | None = None, sort: str | None = None, offset: str | None = None) -> HTMLResponse:
    """Full-text search over every sentence, matches marked. A name of an actor matches every
    name the actor goes by ("ISKP" finds "ISIS-K"; ``exact``: only the words as typed); facets
    count the matches by source, year and actor, and filter by them (``source``, ``year``,
    ``actor``); ``sort``: best match first, or "published"/"-published". ``raw`` (a checkbox):
    the query is FTS5 syntax, and a malformed one is said on the page (E315), not a server error."""
    query = (q or "").strip()[:500]
    n = min(MAX_LIMIT, max(1, _int(limit) or 50))
    start = _offset(offset)
    order = sort_key(sort, store_read.SEARCH_SORTS, "rank")
    f = {"source": (source or "").strip()[:200] or None, "year": year if year and _YEAR.match(year) else None,
         "actor": (actor or "").strip()[:200] or None}
    hits: list[dict[str, Any]] = []
    facets: dict[str, list[tuple[str, str, int]]] = {}
    expanded: list[tuple[str, list[str]]] = []
    problem, total, actor_name = None, 0, None
    if query:
        with workspace(request) as ws:
            try:
                if raw or exact:
                    match = store_read.search_match(query, raw=bool(raw))
                else:
                    match, expanded = store_read.expand_names(query, _name_finder(ws))
                actor_id = None
                if f["actor"]:
                    found = _name_finder(ws)(f["actor"])
                    if found is None:
                        raise KhabarError("E301", f"no actor called {f['actor']!r}")
                    actor_id, actor_name = found["id"], found["name"]
                if match:
                    rows, total = store_read.search_filtered(ws.conn, match, n, start, source=f["source"],
                                                             year=f["year"], actor=actor_id, order=order)
                    hits = [hit_dict(r) for r in rows]
                    facets = store_read.search_facets(ws.conn, match)
            except KhabarError as exc:
                if exc.code not in ("E315", "E301"):
                    raise
                problem = exc.message
            except sqlite3.OperationalError as exc:
                if not (raw and is_fts_syntax_error(exc)):
                    raise
                problem = f"{query!r} is not a full-text query SQLite can read ({exc}) [E315]"
    for h in hits:
        h["parts"] = snippet_parts(h.get("snippet") or "")
    facet_links = {name: [{"value": v, "label": label, "count": c, "selected": f[name] == v,
                           "href": _facet_href(request, name, None if f[name] == v else v)}
                          for v, label, c in values] for name, values in facets.items()}
    if f["actor"] and actor_name:
        for item in facet_links.get("actor", []):
            item["selected"] = item["label"] == actor_name or item["value"] == f["actor"]
    sorts = columns(request, [("best match", "rank", False), ("date", "published", True)], order)
    return _page(request, "search.html", title="Search", q=query, hits=hits, limit=n, raw=bool(raw),
                 exact=bool(exact), problem=problem, total=total, window=store_read.SEARCH_WINDOW,
                 expanded=expanded, facets=facet_links,
                 f=f, actor_name=actor_name, sorts=sorts, pg=_pager(request, start, len(hits), total, limit=n),
                 clear={k: _facet_href(request, k, None) for k, v in f.items() if v})


def _facet_href(request: Request, name: str, value: str | None) -> str:
    """This search with the facet ``name`` set to ``value`` (None: that facet cleared), from its first hit."""
    url = request.url.remove_query_params(["offset", name])
    if value is not None:
        url = url.include_query_params(**{name: value})
    return f"{url.path}?{url.query}"


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, sort: str | None = None, grade: str | None = None,
                 kind: str | None = None) -> HTMLResponse:
    """Sources with their reliability grade, who set it, and a form to grade each; by name
    (``?sort=``: name, kind, documents or reliability, in SQL, "-" first for the reverse);
    ``?grade=``, ``?kind=``: those of one grade, of one kind."""
    order = sort_key(sort, store_read.SOURCE_SORTS, "name")
    grades = vocab().get("reliability_grades") or {}
    grade = grade if grade in grades else None
    kind = (kind or "").strip()[:100] or None
    with workspace(request) as ws:
        graded = {a["target"]: a for a in _live_log(ws, "grade")}
        rows = [{**r, "by": "analyst" if r["name"] in graded else "machine",
                 "action": graded.get(r["name"], {}).get("id")}
                for r in store_read.sources(ws.conn, order, reliability=grade, kind=kind)]
        kinds = [r[0] for r in ws.conn.execute("SELECT DISTINCT kind FROM sources WHERE kind IS NOT NULL ORDER BY kind")]
    cols = columns(request, [("source", "name", False), ("kind", "kind", False), ("documents", "documents", True, "num"),
                             ("grade", "reliability", False), ("set by", None, False), ("grade it", None, False)],
                   order)
    return _page(request, "sources.html", title="Sources", rows=rows, grades=grades, cols=cols, kinds=kinds,
                 f={"grade": grade or "", "kind": kind or "", "sort": order})


@router.get("/analyst", response_class=HTMLResponse)
def analyst_page(request: Request) -> HTMLResponse:
    """Every analyst action, newest first, with an undo button for those still in force."""
    with workspace(request) as ws:
        names = names_of(ws)
        log = list(reversed(ws.analyst_log()))
    for a in log:
        a["link"] = _target_link(a, names)
    return _page(request, "analyst.html", title="Analyst log", log=log)


def _target_link(action: dict[str, Any], names: dict[str, str]) -> tuple[str, str]:
    """(href, text) of what an action is about."""
    target = str(action.get("target") or "")
    if target.startswith("tie:"):
        parts = target[4:].split("|")
        if len(parts) == 3 and ACTOR_ID.match(parts[0]) and ACTOR_ID.match(parts[2]):
            return (f"/ties/{parts[0]}/{parts[1]}/{parts[2]}",
                    f"{names.get(parts[0], parts[0])} {tie_label(parts[1])} {names.get(parts[2], parts[2])}")
    if action.get("kind") in ("merge", "alias", "add_actor", "move_mentions") and ACTOR_ID.match(target):
        return f"/actors/{target}", names.get(target, target)
    if action.get("kind") in ("add_event", "edit_event") and target.startswith("ev-"):
        return f"/correct/events/{target}", target
    if JUDGMENT_ID.match(target):
        return f"/judgments#{target}", target
    if action.get("kind") == "grade":
        return "/sources", target
    return "", target


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The read API's endpoints and parameters, from the OpenAPI schema (no external scripts)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in sorted(schema.get("paths", {}).items()):
        for method, op in methods.items():
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "description": op.get("description", ""),
                              "parameters": [{"name": p.get("name"), "in": p.get("in"),
                                              "required": p.get("required", False),
                                              "description": p.get("description", "")}
                                             for p in op.get("parameters", [])]})
    return _page(request, "apidocs.html", title="API", endpoints=endpoints)


# -- analyst forms -------------------------------------------------------------------------------------------
_Text = Annotated[str, Form(max_length=1000)]


@router.post("/ties/{subject}/{tie_type}/{obj}/verdict")
def tie_verdict(request: Request, subject: str, tie_type: str, obj: str, verdict: _Text = "", note: _Text = "",
                csrf: _Text = "") -> RedirectResponse:
    """The analyst confirms or rejects a whole tie."""
    require_csrf(request, csrf)
    with workspace(request) as ws:
        tie, _ = find_tie(ws, subject, tie_type, obj)
        target = f"tie:{tie.subject}|{tie.type}|{tie.object}"
        _verdict(ws, verdict, target, note)
    return RedirectResponse(f"/ties/{tie.subject}/{tie.type}/{tie.object}", status_code=303)


@router.post("/assertions/{aid}/verdict")
def assertion_verdict(request: Request, aid: str, verdict: _Text = "", note: _Text = "", next: _Text = "",  # noqa: A002
                      csrf: _Text = "") -> RedirectResponse:
    """The analyst confirms or rejects one assertion (one sentence's evidence)."""
    require_csrf(request, csrf)
    check_id(aid, ASSERTION_ID, "such assertion")
    with workspace(request) as ws:
        _verdict(ws, verdict, aid, note)
    return _back(next, "/analyst")


def _verdict(ws: Any, verdict: str, target: str, note: str) -> None:
    if verdict not in ("confirm", "reject"):
        raise HTTPException(status_code=400, detail="the verdict must be confirm or reject")
    try:
        (ws.confirm if verdict == "confirm" else ws.reject)(target, note=note.strip())
    except KhabarError as exc:
        raise _analyst_error(exc) from None


@router.post("/actors/{actor_id}/merge")
def merge_actor(request: Request, actor_id: str, into: _Text = "", csrf: _Text = "") -> RedirectResponse:
    """The analyst says this actor is the same as ``into``."""
    require_csrf(request, csrf)
    check_id(actor_id, ACTOR_ID, "such actor")
    into = into.strip()
    if not into:
        raise HTTPException(status_code=400, detail="say which actor to merge into")
    with workspace(request) as ws:
        try:
            ws.merge_actors(actor_id, into)
            target = ws.actor(into)["id"]
        except KhabarError as exc:
            raise _analyst_error(exc) from None
    return RedirectResponse(f"/actors/{target}", status_code=303)


@router.post("/actors/{actor_id}/alias")
def add_alias(request: Request, actor_id: str, alias: _Text = "", csrf: _Text = "") -> RedirectResponse:
    """The analyst adds a name the actor goes by."""
    require_csrf(request, csrf)
    check_id(actor_id, ACTOR_ID, "such actor")
    with workspace(request) as ws:
        try:
            ws.add_alias(actor_id, alias)
            target = ws.actor(actor_id)["id"]
        except KhabarError as exc:
            raise _analyst_error(exc) from None
    return RedirectResponse(f"/actors/{target}", status_code=303)


@router.post("/judgments/{judgment_id}/resolve")
def resolve_judgment(request: Request, judgment_id: str, outcome: _Text = "", note: _Text = "", next: _Text = "",  # noqa: A002
                     csrf: _Text = "") -> RedirectResponse:
    """The analyst records whether a judgment came true."""
    require_csrf(request, csrf)
    check_id(judgment_id, JUDGMENT_ID, "such judgment")
    if outcome not in ("yes", "no"):
        raise HTTPException(status_code=400, detail="the outcome must be yes or no")
    with workspace(request) as ws:
        try:
            ws.resolve(judgment_id, outcome == "yes", note.strip())
        except KhabarError as exc:
            raise _analyst_error(exc) from None
    return _back(next, f"/judgments#{judgment_id}")


@router.post("/sources/grade")
def grade_source(request: Request, name: _Text = "", grade: _Text = "", csrf: _Text = "") -> RedirectResponse:
    """The analyst grades a source A-F."""
    require_csrf(request, csrf)
    with workspace(request) as ws:
        try:
            ws.grade_source(name, grade.strip())
        except KhabarError as exc:
            raise _analyst_error(exc) from None
    return RedirectResponse("/sources", status_code=303)


@router.post("/analyst/{action_id}/undo")
def undo_action(request: Request, action_id: str, next: _Text = "", csrf: _Text = "") -> RedirectResponse:  # noqa: A002
    """Undo one analyst action (it stays in the log, marked undone)."""
    require_csrf(request, csrf)
    number = _int(action_id)
    if number is None:
        raise not_found("such action")
    with workspace(request) as ws:
        if not ws.undo(number):
            raise not_found("such action in force")
    return _back(next, "/analyst")

