"""The read API (JSON under ``/api/``), and the data shaping the HTML pages share with it.

Everything here reads through :class:`khabar.Workspace` and the ``khabar.store`` read
functions: no SQL is built from request values. Ids in paths are checked against strict
patterns before any lookup, and an unknown id is a 404 with ``{"detail": ...}``.

One Workspace (one SQLite connection) is opened per request, in the thread that serves the
request, and closed after it (:func:`workspace`): SQLite connections are not shared between
threads, and in WAL mode readers never wait for each other or for the writer.
"""

from __future__ import annotations

import contextlib
import math
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import AfterValidator, BaseModel, Field

from khabar import store
from khabar.analyze.credibility import LABELS, tie_credibility
from khabar.analyze.ties import aggregate_ties, tie_key
from khabar.errors import KhabarError
from khabar.present.text import safe_url, tie_colour, tie_label
from khabar.schema import Event, Tie, is_partial_date, vocab
from khabar.store import read as store_read
from khabar.workspace import Workspace

__all__ = [
    "router",
    "workspace",
    "ACTOR_ID",
    "DOC_ID",
    "JUDGMENT_ID",
    "ASSERTION_ID",
    "ISO_DATE",
    "check_id",
    "actor_row",
    "actor_rows",
    "tie_dict",
    "tie_dicts",
    "tie_url",
    "doc_link",
    "event_dicts",
    "judgment_dict",
    "document_dict",
    "document_rows",
    "search_hits",
    "names_of",
    "not_found",
    "network_dict",
]

ACTOR_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}$")
DOC_ID = re.compile(r"^[0-9a-f]{16,64}$")
JUDGMENT_ID = re.compile(r"^jd-[0-9a-f]{4,40}$")
ASSERTION_ID = re.compile(r"^as-[0-9a-f]{4,40}$")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_LIMIT = 200

router = APIRouter(prefix="/api", tags=["read"])


# -- plumbing --------------------------------------------------------------------------------------------
_book_lock = threading.Lock()


def _source_book(request: Request) -> Any:
    """The source book, loaded once and again only when ``sources.yaml`` beside the knowledge base changes."""
    from khabar.resolve.sources import load_sources

    state = request.app.state
    overrides = Path(state.db_path).with_name("sources.yaml")
    try:
        stamp: float | None = overrides.stat().st_mtime
    except OSError:
        stamp = None
    with _book_lock:
        cached = getattr(state, "source_book", None)
        if cached is None or cached[0] != stamp:
            book = load_sources(overrides=overrides if stamp is not None else None)
            state.source_book = (stamp, book)
        return state.source_book[1]


@contextlib.contextmanager
def workspace(request: Request) -> Iterator[Workspace]:
    """A Workspace on the app's knowledge base for this request only (closed afterwards)."""
    ws = Workspace(request.app.state.db_path)
    ws.require_existing()
    ws._sources = _source_book(request)  # shared, read-only: loading it costs more than a request
    try:
        yield ws
    finally:
        ws.close()


def not_found(what: str) -> HTTPException:
    """A 404 saying what was not found."""
    return HTTPException(status_code=404, detail=f"no {what}")


def check_id(value: str, pattern: re.Pattern[str], what: str) -> str:
    """``value`` if it has the shape of an id of this kind, else a 404 (never looked up)."""
    if not isinstance(value, str) or not pattern.match(value):
        raise not_found(what)
    return value


def _plain(value: Any) -> Any:
    """pandas' missing values (NaN) as None."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def names_of(ws: Workspace) -> dict[str, str]:
    """Actor id -> display name."""
    return {a["id"]: a["name"] for a in store.actors(ws.conn)}


def actor_url(actor_id: str) -> str:
    """The actor's page."""
    return f"/actors/{actor_id}"


def tie_url(subject: str, tie_type: str, obj: str) -> str:
    """The tie's page."""
    return f"/ties/{subject}/{tie_type}/{obj}"


def doc_link(doc_id: Any, start: Any = None, end: Any = None) -> str:
    """The document page, with the cited span highlighted and scrolled to when given."""
    if not isinstance(doc_id, str) or not DOC_ID.match(doc_id):
        return ""
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return f"/documents/{doc_id}?s={start}&e={end}#cited"
    return f"/documents/{doc_id}"


# -- shaping ---------------------------------------------------------------------------------------------
PICK_ACTORS = 500  # actors offered in a form's list of names (the most mentioned); any name may be typed


def actor_rows(ws: Workspace) -> list[dict[str, Any]]:
    """Actors found in the corpus (analyst merges and aliases applied), most mentioned first."""
    return [_actor_row(rec) for rec in ws.actor_records()]  # plain dicts: no DataFrame per request


def actor_row(ws: Workspace, actor_id: str) -> dict[str, Any] | None:
    """One actor shaped as :func:`actor_rows` gives it, read by key (a page about one actor
    must not shape every actor of a large base)."""
    rec = ws.actor_record(actor_id)
    return None if rec is None else _actor_row(rec)


def _actor_row(rec: dict[str, Any]) -> dict[str, Any]:
    row = {k: _plain(v) for k, v in rec.items()}
    row["aliases"] = list(row.get("aliases") or [])
    row["surfaces"] = list(row.get("surfaces") or [])
    row["listed"] = bool(row.get("listed"))
    row["mentions"] = int(row.get("mentions") or 0)
    row["documents"] = int(row.get("documents") or 0)
    row["url"] = actor_url(row["id"])
    return row


def _assertion(a: dict[str, Any]) -> dict[str, Any]:
    return {
        "aid": a.get("aid"), "modality": a.get("modality"), "attributed_to": a.get("attributed_to"),
        "sentence": a.get("sentence") or "", "trigger": a.get("trigger") or "", "start": a.get("start"),
        "end": a.get("end"), "doc_id": a.get("doc_id"), "doc_name": a.get("name"), "title": a.get("title"),
        "source": a.get("source"), "published": a.get("published"), "url": safe_url(a.get("url")),
        "reliability": a.get("reliability"), "time_scope": a.get("time_scope"), "page": a.get("page"),
        "analyst": a.get("analyst"), "made_by": "analyst" if a.get("correction") is not None else "machine",
        "document_url": doc_link(a.get("doc_id"), a.get("start"), a.get("end")),
    }


def tie_dict(tie: Tie, items: list[dict[str, Any]], names: dict[str, str], book: Any,
             with_assertions: bool = False) -> dict[str, Any]:
    """A tie as a plain dict: counts, credibility (over the assertions the analyst did not reject),
    the analyst's verdict and, optionally, every assertion."""
    counted = [a for a in items if a.get("analyst") != "rejected"]
    if tie.credibility is not None and len(counted) == len(items):  # as kept with the tie's figures
        rating, reason = tie.credibility, tie.credibility_reason
    else:
        cred = tie_credibility(counted, book) if counted else None
        rating, reason = (cred.rating, cred.reason) if cred else (None, "")
    d = tie.to_dict()
    d.update({
        "subject_name": names.get(tie.subject, tie.subject), "object_name": names.get(tie.object, tie.object),
        "label": tie_label(tie.type), "credibility": rating,
        "credibility_label": LABELS.get(rating) if rating else None, "credibility_reason": reason,
        "analyst": getattr(tie, "analyst", None), "url": tie_url(tie.subject, tie.type, tie.object),
        "target": f"tie:{tie.subject}|{tie.type}|{tie.object}", "rejected_assertions": len(items) - len(counted),
    })
    if with_assertions:
        d["assertions"] = [_assertion(a) for a in items]
    return d


def tie_dicts(ws: Workspace, actor: str | None = None, tie_type: str | None = None,
              with_assertions: bool = False, limit: int | None = None, offset: int = 0,
              contested: bool | None = None, order: str | None = None) -> list[dict[str, Any]]:
    """The ties (of ``actor``, of ``tie_type``; all, or a page; in ``order``, a sort of
    ``store.ties.TIE_SORTS``) as :func:`tie_dict` shapes them."""
    names = names_of(ws)
    return [tie_dict(t, items, names, ws.sources, with_assertions)
            for t, items in ws.tie_records(actor, tie_type, limit, offset, contested, evidence=with_assertions,
                                           order=order)]


NETWORK_TIES = 150  # the best-evidenced ties a network figure is drawn from


def filtered_ties(ws: Workspace, tie_type: str | None = None, since: str | None = None, until: str | None = None,
                  modality: str | None = None, include_rejected: bool = False,
                  limit: int | None = NETWORK_TIES) -> list[dict[str, Any]]:
    """The best-evidenced ties (``limit`` of them) re-counted over the assertions in a window
    of publication dates and of one modality.

    ``since``/``until`` are partial ISO dates compared at their own precision; rejected
    assertions never count, and ties the analyst rejected are left out unless ``include_rejected``."""
    names = names_of(ws)
    out = []
    if not (since or until or modality):  # the figures as kept: no assertion needs reading
        for tie, items in ws.tie_records(None, tie_type, limit=limit, evidence=False):
            if getattr(tie, "analyst", None) != "rejected" or include_rejected:
                out.append(tie_dict(tie, items, names, ws.sources))
        return [t for t in out if t["evidence"] > 0]
    for tie, items in ws.tie_records(None, tie_type, limit=limit):
        if getattr(tie, "analyst", None) == "rejected" and not include_rejected:
            continue
        keep = [a for a in items if a.get("analyst") != "rejected"]
        if modality:
            keep = [a for a in keep if a.get("modality") == modality]
        if since or until:
            keep = [a for a in keep if a.get("published")
                    and (not since or str(a["published"])[:len(since)] >= since)
                    and (not until or str(a["published"])[:len(until)] <= until)]
        if not keep:
            continue
        again = aggregate_ties(keep)
        sub = again[0][0] if again else tie
        sub.subject, sub.type, sub.object = tie.subject, tie.type, tie.object
        sub.analyst = getattr(tie, "analyst", None)
        out.append(tie_dict(sub, keep, names, ws.sources))
    return out


def event_dicts(ws: Workspace, events: list[Event]) -> list[dict[str, Any]]:
    """Events with display names, credibility and each report's document details (as the brief
    shapes them), with safe links for a page."""
    out = ws._named_events(events)
    for d in out:
        for r in d["reports"]:
            r["url"] = safe_url(r.get("url"))
            r["document_url"] = doc_link(r.get("doc_id"), r.get("start"), r.get("end"))
    return out


def judgment_dict(r: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A judgment with display names, a boolean outcome (recorded by the analyst) and its links."""
    d = dict(r)
    d["about"] = list(d.get("about") or [])
    d["about_names"] = [names.get(a, a) for a in d["about"]]
    d["outcome"] = None if d.get("outcome") is None else bool(d["outcome"])
    d["url"] = safe_url(d.get("url"))
    d["document_url"] = doc_link(d.get("doc_id"), d.get("start"), d.get("end"))
    d["outcome_by"] = "analyst" if d["outcome"] is not None else None
    return d


def document_dict(ws: Workspace, doc_id: str) -> dict[str, Any] | None:
    """A document with its text, actor mentions and place mentions (None if unknown)."""
    doc = store.document(ws.conn, doc_id)
    if doc is None:
        return None
    d = {k: doc.get(k) for k in ("id", "name", "title", "source", "published", "language", "duplicate_of", "text")}
    d["url"] = safe_url(doc.get("url"))
    d["mentions"] = [{"start": m["start"], "end": m["end"], "surface": m["surface"], "actor_id": m["actor_id"],
                      "actor_name": m.get("actor_name"), "via": m.get("via")}
                     for m in store.mentions(ws.conn, doc_id=doc_id)]
    d["places"] = [{"start": p["start"], "end": p["end"], "surface": p["surface"], "place": p["place"]}
                   for p in store_read.place_mentions(ws.conn, doc_id)]
    return d


_MARK = re.compile(r"«([^«»]*)»")


def hit_dict(rec: dict[str, Any]) -> dict[str, Any]:
    """One search hit as a plain dict with a link to its sentence in the document."""
    row = {k: _plain(v) for k, v in rec.items()}
    for k in ("sentence_start", "sentence_end"):
        row[k] = int(row[k]) if row.get(k) is not None else None
    row["url"] = safe_url(row.get("url"))  # a document's address is hostile input too
    row["document_url"] = doc_link(row.get("doc_id"), row.get("sentence_start"), row.get("sentence_end"))
    return row


def search_hits(ws: Workspace, q: str, limit: int, offset: int = 0, raw: bool = False) -> list[dict[str, Any]]:
    """Search hits as plain dicts, each with a link to its sentence in the document (``raw``:
    ``q`` is FTS5 syntax; a malformed one is a KhabarError E315, shown as a 400)."""
    return [hit_dict(rec) for rec in ws.search_records(q, limit, offset, raw=raw)]


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, is_match) pieces: a match is what FTS5 put between « and »."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _MARK.finditer(snippet or ""):
        if m.start() > pos:
            parts.append((snippet[pos:m.start()], False))
        parts.append((m.group(1), True))
        pos = m.end()
    if pos < len(snippet or ""):
        parts.append((snippet[pos:], False))
    return parts


# -- response models ---------------------------------------------------------------------------------------
class ErrorOut(BaseModel):
    detail: str


class ActorOut(BaseModel):
    id: str
    name: str
    kind: str | None = None
    listed: bool = True
    mentions: int = 0
    documents: int = 0
    parent: str | None = None
    aliases: list[str] = Field(default_factory=list)
    surfaces: list[str] = Field(default_factory=list)
    url: str


class AssertionOut(BaseModel):
    aid: str | None = None
    modality: str | None = None
    attributed_to: str | None = None
    sentence: str = ""
    trigger: str = ""
    start: int | None = None
    end: int | None = None
    doc_id: str | None = None
    doc_name: str | None = None
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = Field(None, description="the document's address, only when it is http(s)")
    reliability: str | None = None
    analyst: str | None = Field(None, description="confirmed | rejected, when an analyst said so")
    made_by: str = "machine"
    document_url: str = ""


class TieOut(BaseModel):
    subject: str
    type: str
    object: str
    subject_name: str
    object_name: str
    label: str
    evidence: int
    sources: int
    documents: int
    first_seen: str | None = None
    last_seen: str | None = None
    asserted: int
    negated: int
    predicted: int
    contested: bool
    credibility: int | None = None
    credibility_label: str | None = None
    credibility_reason: str = ""
    analyst: str | None = Field(None, description="confirmed | rejected, when an analyst said so")
    rejected_assertions: int = 0
    url: str
    assertions: list[AssertionOut] | None = None


class ReportOut(BaseModel):
    doc_id: str | None = None
    sentence: str = ""
    start: int | None = None
    end: int | None = None
    date_text: str = ""
    modality: str | None = None
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    document_url: str = ""


class EventOut(BaseModel):
    id: str
    type: str
    date: str | None = None
    precision: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    actors: list[str] = Field(default_factory=list)
    actor_names: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    target_names: list[str] = Field(default_factory=list)
    place: str | None = None
    location: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    injured: int | None = None
    credibility: int | None = None
    credibility_label: str | None = None
    credibility_reason: str = ""
    documents: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    reports: list[ReportOut] = Field(default_factory=list)


class JudgmentOut(BaseModel):
    id: str
    speaker: str
    speaker_kind: str | None = None
    role: str | None = None
    speaker_actor: str | None = None
    about: list[str] = Field(default_factory=list)
    about_names: list[str] = Field(default_factory=list)
    text: str
    estimate: str | None = None
    band: str | None = None
    low: float | None = None
    high: float | None = None
    confidence: str | None = None
    horizon: str | None = None
    due: str | None = None
    outcome: bool | None = None
    outcome_by: str | None = Field(None, description="'analyst' when an outcome was recorded")
    resolved_at: str | None = None
    doc_id: str
    title: str | None = None
    source: str | None = None
    reliability: str | None = None
    published: str | None = None
    url: str | None = None
    document_url: str = ""


class ActorDetailOut(ActorOut):
    country: str | None = None
    wikidata: str | None = None
    merged_from: list[str] = Field(default_factory=list)
    ties: list[TieOut] = Field(default_factory=list)
    events: list[EventOut] = Field(default_factory=list)
    judgments: list[JudgmentOut] = Field(default_factory=list)


class MentionOut(BaseModel):
    start: int
    end: int
    surface: str
    actor_id: str
    actor_name: str | None = None
    via: str | None = None


class PlaceMentionOut(BaseModel):
    start: int
    end: int
    surface: str
    place: str


class DocumentOut(BaseModel):
    id: str
    name: str | None = None
    title: str | None = None
    source: str | None = None
    published: str | None = None
    language: str | None = None
    duplicate_of: str | None = None
    url: str | None = Field(None, description="only when it is http(s)")
    text: str
    mentions: list[MentionOut] = Field(default_factory=list)
    places: list[PlaceMentionOut] = Field(default_factory=list)


class DocumentSummaryOut(BaseModel):
    id: str
    name: str | None = None
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = Field(None, description="only when it is http(s)")
    duplicate_of: str | None = None
    length: int | None = None
    document_url: str = ""


class SearchHitOut(BaseModel):
    snippet: str = Field(description="the sentence around the matches, each match between « and »")
    doc_id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    name: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None
    document_url: str = ""


_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "unknown id"}}
def _real_date(value: str | None) -> str | None:
    if value is not None and not is_partial_date(value):
        raise ValueError("not a real date: give YYYY, YYYY-MM or YYYY-MM-DD [E303]")
    return value


_Date = Annotated[str | None, Query(pattern=ISO_DATE.pattern, description="YYYY, YYYY-MM or YYYY-MM-DD"),
                  AfterValidator(_real_date)]
_ActorParam = Annotated[str | None, Query(max_length=200, description="an actor's id, name or alias")]


NAME_CHARS = 200  # the longest name looked up where an id goes


def _actor_or_404(ws: Workspace, actor: str | None) -> str | None:
    """The id of the actor ``actor`` names (id, name or alias), or a 404 naming the close ones."""
    if not actor:
        return None
    try:
        return ws.actor(actor)["id"]
    except KhabarError:
        from khabar.suggest import actor_suggestions, did_you_mean

        near = actor_suggestions(ws.conn, actor[:NAME_CHARS]) if len(actor) <= NAME_CHARS else []
        raise not_found(f"actor called {actor!r}{did_you_mean(near)}") from None


# -- paging ------------------------------------------------------------------------------------------------
PAGE = 100  # rows per page unless ``limit`` says otherwise
_Limit = Annotated[int, Query(ge=1, le=1000, description="rows per page (at most 1000)")]
_Offset = Annotated[int, Query(ge=0, le=10**9, description="rows to skip: the next page starts at offset + limit")]


def paged(request: Request, response: Response, rows: list[Any], limit: int, offset: int,
          total: int | None = None) -> list[Any]:
    """A page of rows, with ``X-Total-Count`` (when known) and a ``Link: <...>; rel="next"``
    header when more may follow (a full page, or fewer rows than the total)."""
    if total is not None:
        response.headers["X-Total-Count"] = str(total)
    more = offset + len(rows) < total if total is not None else len(rows) == limit
    if more:
        url = request.url.include_query_params(limit=limit, offset=offset + len(rows))
        response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
    return rows


# -- routes --------------------------------------------------------------------------------------------------
@router.get("/actors", response_model=list[ActorOut])
def api_actors(request: Request, response: Response, limit: _Limit = PAGE, offset: _Offset = 0
               ) -> list[dict[str, Any]]:
    """Actors found in the corpus, most mentioned first (a page: see the Link header)."""
    with workspace(request) as ws:
        rows = actor_rows(ws)
        return paged(request, response, rows[offset:offset + limit], limit, offset, len(rows))


@router.get("/actors/{actor_id}", response_model=ActorDetailOut, responses=_NOT_FOUND)
def api_actor(request: Request, actor_id: str) -> dict[str, Any]:
    """One actor (by id, or by a name or alias) with its best-evidenced ties, latest events and
    judgments about it (100 of each; /api/ties, /api/events and /api/judgments page through all)."""
    if len(actor_id) > NAME_CHARS:
        raise not_found("such actor")
    with workspace(request) as ws:
        aid = _actor_or_404(ws, actor_id)
        found = ws.actor(aid or actor_id)
        row = actor_row(ws, found["id"]) or {**found, "url": ""}
        names = names_of(ws)
        return {**row, "country": found.get("country"), "wikidata": found.get("wikidata"),
                "merged_from": found.get("merged_from") or [], "aliases": found.get("aliases") or [],
                "url": actor_url(found["id"]),
                "ties": tie_dicts(ws, found["id"], limit=PAGE),
                "events": event_dicts(ws, ws.event_records(actor=found["id"], role="any", order="recent",
                                                           limit=PAGE)),
                "judgments": [judgment_dict(r, names) for r in ws.judgment_records(about=found["id"], limit=PAGE)]}


@router.get("/ties", response_model=list[TieOut], responses=_NOT_FOUND)
def api_ties(request: Request, response: Response, actor: _ActorParam = None,
             type: Annotated[str | None, Query(max_length=40)] = None,  # noqa: A002
             assertions: bool = False, limit: _Limit = PAGE, offset: _Offset = 0) -> list[dict[str, Any]]:
    """Typed ties (of one actor, of one type), best evidenced first, a page at a time;
    ``assertions=true`` adds the evidence."""
    if type is not None and type not in vocab()["tie_types"]:
        raise HTTPException(status_code=422, detail=f"unknown tie type (one of {', '.join(vocab()['tie_types'])})")
    with workspace(request) as ws:
        aid = _actor_or_404(ws, actor)
        rows = tie_dicts(ws, aid, type, with_assertions=assertions, limit=limit, offset=offset)
        return paged(request, response, rows, limit, offset, ws.count_ties(aid, type))


@router.get("/ties/{subject}/{tie_type}/{obj}", response_model=TieOut, responses=_NOT_FOUND)
def api_tie(request: Request, subject: str, tie_type: str, obj: str) -> dict[str, Any]:
    """One tie with every assertion for and against it."""
    with workspace(request) as ws:
        found = find_tie(ws, subject, tie_type, obj)
        return tie_dict(found[0], found[1], names_of(ws), ws.sources, with_assertions=True)


def find_tie(ws: Workspace, subject: str, tie_type: str, obj: str) -> tuple[Tie, list[dict[str, Any]]]:
    """The tie (merges and symmetric order applied) and its assertions, or a 404. Its ends may
    be given by id or by name ("Taliban"); the pages then redirect to the ids."""
    if not (0 < len(subject) <= NAME_CHARS and 0 < len(obj) <= NAME_CHARS):
        raise not_found("such tie")
    if tie_type not in vocab()["tie_types"]:
        raise not_found("such tie")
    try:
        s, o = ws.actor(subject)["id"], ws.actor(obj)["id"]
    except KhabarError:
        raise not_found("such tie") from None
    key = tie_key(s, tie_type, o)
    for tie, items in ws.tie_records(s, tie_type, key=key):
        if tie_key(tie.subject, tie.type, tie.object) == key:
            return tie, items
    raise not_found("such tie")


@router.get("/events", response_model=list[EventOut], responses=_NOT_FOUND)
def api_events(request: Request, response: Response,
               type: Annotated[str | None, Query(max_length=40)] = None,  # noqa: A002
               actor: _ActorParam = None, place: Annotated[str | None, Query(max_length=200)] = None,
               since: _Date = None, until: _Date = None, limit: _Limit = PAGE, offset: _Offset = 0) -> list[dict[str, Any]]:
    """Events (reports merged across documents), filtered by type, actor (either role), place and
    dates, in date order, a page at a time."""
    if type is not None and type not in vocab()["event_types"]:
        raise HTTPException(status_code=422, detail=f"unknown event type (one of {', '.join(vocab()['event_types'])})")
    with workspace(request) as ws:
        aid = _actor_or_404(ws, actor)
        filters = {"actor": aid, "place": place or None, "types": [type] if type else None, "since": since,
                   "until": until, "role": "any"}
        events = ws.event_records(**filters, limit=limit, offset=offset)
        return paged(request, response, event_dicts(ws, events), limit, offset, ws.count_events(**filters))


@router.get("/judgments", response_model=list[JudgmentOut], responses=_NOT_FOUND)
def api_judgments(request: Request, response: Response, due: bool = False,
                  speaker: Annotated[str | None, Query(max_length=200)] = None,
                  about: _ActorParam = None, limit: _Limit = PAGE, offset: _Offset = 0) -> list[dict[str, Any]]:
    """Attributed judgments, a page at a time; ``due=true``: those whose horizon has passed and
    that have no outcome yet."""
    with workspace(request) as ws:
        aid = _actor_or_404(ws, about)
        names = names_of(ws)
        rows = ws.judgment_records(speaker=speaker or None, about=aid, due=due, limit=limit, offset=offset)
        return paged(request, response, [judgment_dict(r, names) for r in rows], limit, offset)


def document_rows(ws: Workspace, limit: int | None = None, offset: int = 0, order: str | None = None,
                  source: str | None = None) -> list[dict[str, Any]]:
    """Documents' metadata (duplicates included, marked), oldest first (``order``: a sort of
    ``store.read.DOCUMENT_SORTS``; ``source``: one source's): all, or a page."""
    return [{**{k: d.get(k) for k in ("id", "name", "title", "source", "published", "duplicate_of", "length")},
             "url": safe_url(d.get("url")), "document_url": doc_link(d["id"])}
            for d in store.documents(ws.conn, include_duplicates=True, limit=limit, offset=offset, order=order,
                                     source=source)]


@router.get("/documents", response_model=list[DocumentSummaryOut])
def api_documents(request: Request, response: Response, limit: _Limit = PAGE, offset: _Offset = 0
                  ) -> list[dict[str, Any]]:
    """Documents' metadata (not their text), oldest first, a page at a time; near-duplicates
    carry ``duplicate_of``."""
    with workspace(request) as ws:
        counts = ws.counts()
        total = counts["documents"] + counts["duplicates"]
        return paged(request, response, document_rows(ws, limit, offset), limit, offset, total)


@router.get("/documents/{doc_id}", response_model=DocumentOut, responses=_NOT_FOUND)
def api_document(request: Request, doc_id: str) -> dict[str, Any]:
    """One document: its text, and where it names actors and places."""
    check_id(doc_id, DOC_ID, "such document")
    with workspace(request) as ws:
        doc = document_dict(ws, doc_id)
    if doc is None:
        raise not_found("such document")
    return doc


@router.get("/search", response_model=list[SearchHitOut])
def api_search(request: Request, response: Response, q: Annotated[str, Query(min_length=1, max_length=500)],
               limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20, offset: _Offset = 0,
               raw: Annotated[bool, Query(description="q is FTS5 syntax (A OR B, tali*, NEAR(a b)); "
                                                      "malformed: 400 with E315")] = False) -> list[dict[str, Any]]:
    """Full-text search over sentences (words are ANDed; a "quoted phrase" must occur as written;
    ``raw=true``: FTS5 syntax passed through), best match first, a page at a time."""
    with workspace(request) as ws:
        return paged(request, response, search_hits(ws, q, limit, offset, raw=raw), limit, offset)


# -- the network as data (the interactive figure of /network) ------------------------------------------------
_TIE_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class NetworkNodeOut(BaseModel):
    id: str
    name: str
    kind: str | None = None
    shape: str = Field(description="circle | square | diamond | hexagon | triangle | pentagon, by kind")
    fill: str = Field(description="#rrggbb, by kind")
    ties: int = Field(description="ties of this actor among those returned")
    evidence: int = Field(description="evidence of those ties, summed")
    url: str


class NetworkEdgeOut(BaseModel):
    subject: str
    type: str
    object: str
    label: str
    colour: str = Field(description="#rrggbb, by tie type")
    symmetric: bool
    modality: str = Field(description="the modality most of the counted evidence has")
    evidence: int = Field(description="distinct sentences (of the modality asked, when one is)")
    asserted: int
    negated: int
    predicted: int
    sources: int
    documents: int
    first_seen: str | None = None
    last_seen: str | None = None
    credibility: int | None = None
    credibility_label: str | None = None
    contested: bool = False
    analyst: str | None = Field(None, description="confirmed, when an analyst said so")
    url: str


class NetworkOut(BaseModel):
    nodes: list[NetworkNodeOut]
    edges: list[NetworkEdgeOut]
    total: int = Field(description="ties that pass the filters (before the limit)")
    limit: int
    actor: str | None = Field(None, description="the actor whose neighbourhood this is, when one was asked")


def network_dict(ws: Workspace, tie_type: str | None = None, modality: str | None = None, since: str | None = None,
                 until: str | None = None, min_evidence: int = 1, min_credibility: int | None = None,
                 actor: str | None = None, depth: int = 1, limit: int = NETWORK_TIES) -> dict[str, Any]:
    """The tie network (``khabar.analyze.network.graph``: the kept tie figures, analyst layer
    applied) as nodes and edges for the interactive figure: the ``limit`` best-evidenced ties
    that pass the filters, with the actors they join.

    ``modality``: only ties with evidence of that modality, counted over it alone;
    ``since``/``until``: evidence published in that window; ``min_credibility``: ties rated
    that well or better (1 confirmed ... 6 cannot be judged; unrated ties are left out);
    ``actor``: that actor's neighbourhood, ``depth`` hops along ties either way (its own ties
    first). ``total`` counts the ties before the limit."""
    from khabar.analyze.network import graph
    from khabar.present.legend import kind_style

    floor = max(1, min_evidence)
    g = graph(ws, since=since, until=until, types=[tie_type] if tie_type else None,
              min_evidence=1 if modality else floor)
    centre = ws.actor(actor)["id"] if actor else None
    if centre is not None:
        import networkx as nx

        near = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), centre, cutoff=depth) \
            if centre in g else {centre: 0}
    kept = []  # (rank, subject, type, object, evidence, data): the full record only for the ties returned
    for s, o, t, data in g.edges(keys=True, data=True):
        evidence = int(data.get(modality) or 0) if modality else int(data.get("evidence") or 0)
        if evidence < floor:
            continue
        rating = data.get("credibility")
        if min_credibility is not None and (rating is None or rating > min_credibility):
            continue
        if centre is not None and (s not in near or o not in near):
            continue
        kept.append((centre is not None and centre not in (s, o), -evidence, s, t, o, data))
    kept.sort(key=lambda k: k[:5])
    total, edges = len(kept), []
    colours = {t: tie_colour(t) for t in vocab()["tie_types"]}
    for _, minus, s, t, o, data in kept[:limit]:
        rating, colour = data.get("credibility"), colours.get(t) or tie_colour(t)
        edges.append({
            "subject": s, "type": t, "object": o, "label": tie_label(t),
            "colour": colour if _TIE_COLOUR.match(colour) else "#777777",
            "symmetric": bool(data.get("symmetric")), "modality": modality or data.get("modality") or "asserted",
            "evidence": -minus, **{m: int(data.get(m) or 0) for m in ("asserted", "negated", "predicted")},
            "sources": int(data.get("sources") or 0), "documents": int(data.get("documents") or 0),
            "first_seen": data.get("first_seen"), "last_seen": data.get("last_seen"), "credibility": rating,
            "credibility_label": LABELS.get(rating) if rating else None, "contested": bool(data.get("contested")),
            "analyst": data.get("analyst"), "url": tie_url(s, t, o),
        })
    weight: dict[str, list[int]] = {}
    for e in edges:
        for end in (e["subject"], e["object"]):
            w = weight.setdefault(end, [0, 0])
            w[0], w[1] = w[0] + 1, w[1] + e["evidence"]
    if centre is not None:
        weight.setdefault(centre, [0, 0])
    nodes = []
    for node_id, (ties, evidence) in weight.items():
        data = g.nodes[node_id] if node_id in g else {}
        name = data.get("name") or (ws.actor(node_id)["name"] if node_id == centre else node_id)
        shape, fill = kind_style(data.get("kind"))
        nodes.append({"id": node_id, "name": name, "kind": data.get("kind"), "shape": shape, "fill": fill,
                      "ties": ties, "evidence": evidence, "url": actor_url(node_id)})
    nodes.sort(key=lambda n: (-n["evidence"], n["name"], n["id"]))
    return {"nodes": nodes, "edges": edges, "total": total, "limit": limit, "actor": centre}


@router.get("/network", response_model=NetworkOut, responses=_NOT_FOUND)
def api_network(request: Request,
                type: Annotated[str | None, Query(max_length=40, description="one tie type")] = None,  # noqa: A002
                modality: Annotated[str | None, Query(max_length=20, description="asserted | negated | predicted")
                                    ] = None,
                since: _Date = None, until: _Date = None,
                min_evidence: Annotated[int, Query(ge=1, le=10**6, description="sentences, at least")] = 1,
                min_credibility: Annotated[int | None, Query(ge=1, le=6, description="1 (confirmed) to 6: "
                                                         "ties rated this well or better")] = None,
                actor: _ActorParam = None, depth: Annotated[int, Query(ge=1, le=2)] = 1,
                limit: Annotated[int, Query(ge=1, le=500)] = NETWORK_TIES) -> dict[str, Any]:
    """The network of actors and ties as nodes and edges (the interactive figure of /network):
    the best-evidenced ties that pass the filters (``limit``, 150 unless asked), with their
    actors; ``actor`` (id, name or alias): that actor's neighbours, ``depth`` hops away."""
    if type and type not in vocab()["tie_types"]:
        raise HTTPException(status_code=422, detail=f"unknown tie type (one of {', '.join(vocab()['tie_types'])})")
    if modality and modality not in vocab()["modalities"]:
        raise HTTPException(status_code=422, detail=f"unknown modality (one of {', '.join(vocab()['modalities'])})")
    with workspace(request) as ws:
        centre = _actor_or_404(ws, actor)
        return network_dict(ws, type or None, modality or None, since, until, min_evidence, min_credibility,
                            centre, depth, limit)
