"""Person pages of ``khabar serve``: ``/people`` (a page of the persons the corpus names,
searchable by name, or those with a post for one actor) and ``/people/{person}`` (one
person's posts over time, the judgments they made, the events and ties whose sentences name
them, each linked to its sentence in its document). A name is accepted where an id is
(``/people/Zabihullah%20Mujahid`` answers with a redirect to ``/people/zabihullah-mujahid``).

Everything from the documents (names, roles, sentences, titles) is escaped by the templates.
The same data as JSON: ``/api/people`` and ``/api/people/{person}``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from khabar.errors import KhabarError
from khabar.web.api import MAX_LIMIT, doc_link, not_found, tie_url, workspace
from khabar.web.pages import PAGE_ROWS, SECTION_ROWS, _offset, _page, _pager

__all__ = ["router"]

router = APIRouter()  # the HTML pages stay out of the OpenAPI schema, the JSON reads are in it

MAX_QUERY = 200  # characters of a name searched for or looked up


def _person_url(pid: str) -> str:
    return "/people/" + quote(pid, safe="")


def _shape(rec: dict[str, Any]) -> dict[str, Any]:
    """A person record with display names and links for the page (and the JSON)."""
    names = rec.get("actor_names", {})
    for p in rec["posts"]:
        p["actor_name"] = names.get(p["actor_id"] or "", p["actor_id"])
        p["document_url"] = doc_link(p.get("doc_id"), p.get("start"), p.get("end")) if p.get("doc_id") else ""
    for kind in ("mentions", "judgments", "events", "ties"):
        for item in rec.get(kind, []):
            item["document_url"] = doc_link(item.get("doc_id"), item.get("start"), item.get("end"))
            for key in ("sentence", "text"):
                if isinstance(item.get(key), str):
                    item[key] = item[key].strip()
    for e in rec.get("events", []):
        e["actor_names"] = [(a, names.get(a, a)) for a in e.get("actors") or []]
        e["target_names"] = [(a, names.get(a, a)) for a in e.get("targets") or []]
    for t in rec.get("ties", []):
        t["subject_name"], t["object_name"] = names.get(t["subject"], t["subject"]), names.get(t["object"], t["object"])
        t["url"] = tie_url(t["subject"], t["type"], t["object"])
    for j in rec.get("judgments", []):
        j["speaker_actor_name"] = names.get(j.get("speaker_actor") or "", j.get("speaker_actor"))
    return rec


def _find(ws: Any, ref: str) -> dict[str, Any]:
    if not ref or len(ref) > MAX_QUERY:
        raise not_found("such person")
    persons = ws._persons()
    found = persons.find_person(ws.conn, ref)
    if found is None:
        hints = persons.suggestions(ws.conn, ref)
        raise not_found("person called " + repr(ref) + (f"; did you mean {', '.join(hints)}?" if hints else ""))
    return found


@router.get("/people", response_class=HTMLResponse, include_in_schema=False)
def people_page(request: Request, q: str | None = None, actor: str | None = None,
                offset: str | None = None) -> HTMLResponse:
    """The persons the corpus names, by name, a page at a time; ``q``: part of a name,
    ``actor``: only those with a post for it (its leaders, spokesmen, commanders...)."""
    start = _offset(offset)
    q = (q or "").strip()[:MAX_QUERY] or None
    with workspace(request) as ws:
        actor_row = ws.actor(actor[:MAX_QUERY]) if actor else None
        rows = ws.people(actor=actor_row["id"] if actor_row else None, q=q, limit=PAGE_ROWS, offset=start)
        total = ws.count_people(actor=actor_row["id"] if actor_row else None, q=q)
        posts: dict[str, list[dict[str, Any]]] = {}
        if actor_row:
            from khabar.store.persons import actor_people

            posts = {p["id"]: p["posts"] for p in actor_people(ws.conn, ws._actor_and_merged(actor_row["id"]),
                                                               [r["id"] for r in rows], limit=len(rows))}
    for r in rows:
        r["url"] = _person_url(r["id"])
        r["actor_posts"] = posts.get(r["id"], [])
    title = f"People of {actor_row['name']}" if actor_row else "People"
    return _page(request, "people.html", title=title, rows=rows, total=total, q=q or "", actor=actor_row,
                 pg=_pager(request, start, len(rows), total))


@router.get("/people/{ref}", response_class=HTMLResponse, response_model=None, include_in_schema=False)
def person_page(request: Request, ref: str, mentions: str | None = None, judgments: str | None = None,
                events: str | None = None, ties: str | None = None) -> Response:
    """One person: names, posts over time, judgments, events, ties and the sentences naming
    them, each list a page at a time (``?events=`` and the like give where its page starts)."""
    at = {"mention": _offset(mentions), "judgment": _offset(judgments), "event": _offset(events),
          "tie": _offset(ties)}
    with workspace(request) as ws:
        found = _find(ws, ref)
        if found["id"] != ref:
            return RedirectResponse(_person_url(found["id"]), status_code=303)
        from khabar.store.persons import person_record

        rec = _shape(person_record(ws.conn, found, SECTION_ROWS, at))
    pagers = {kind: _pager(request, at[kind], len(rec[kind + "s"]), rec["counts"][kind], key=kind + "s",
                           limit=SECTION_ROWS) for kind in at}
    return _page(request, "person.html", title=rec["name"], p=rec, pg=pagers)


@router.get("/api/people", tags=["read"])
def people_api(request: Request, q: str | None = None, actor: str | None = None, limit: int = 50,
               offset: int = 0) -> JSONResponse:
    """Persons the corpus names, by name (``q``: part of a name; ``actor``: only those with a
    post for it), with how many mentions, judgments, events and ties each has."""
    if not 0 <= limit <= MAX_LIMIT or offset < 0:
        raise KhabarError("E311", f"limit={limit}, offset={offset}: give a limit of 0 to {MAX_LIMIT} and an offset "
                                  "of 0 or more")
    with workspace(request) as ws:
        rows = ws.people(actor=actor[:MAX_QUERY] if actor else None, q=(q or "")[:MAX_QUERY] or None, limit=limit,
                         offset=offset)
    return JSONResponse(rows)


@router.get("/api/people/{ref}", tags=["read"])
def person_api(request: Request, ref: str, limit: int = 50) -> JSONResponse:
    """One person (by id or any spelling of the name) with posts, judgments, events, ties and mentions."""
    if not 0 <= limit <= MAX_LIMIT:
        raise KhabarError("E311", f"limit={limit}: give 0 to {MAX_LIMIT}")
    with workspace(request) as ws:
        found = _find(ws, ref)
        from khabar.store.persons import person_record

        rec = _shape(person_record(ws.conn, found, limit))
    return JSONResponse(rec)
