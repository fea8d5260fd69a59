"""The web app's correction forms: create an actor, re-point mentions (split a wrong merge),
add a tie or an event read in a sentence of a document, flip or retype a tie, correct an
event, say a judgment is no forecast.

Every form is a POST carrying the CSRF value (``web.security``), answered with a 303 to the
page that shows the result; each records one analyst action (``khabar.correct``), listed on
``/analyst`` with an undo button. Pages live under ``/correct/`` so that no address of the
reading pages is shadowed. Errors are the catalogue's (``KhabarError``), shown on the error page.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from khabar.errors import KhabarError
from khabar.present.text import tie_label
from khabar.schema import vocab
from khabar.store.events import reports_of
from khabar.web.api import (
    ACTOR_ID,
    DOC_ID,
    JUDGMENT_ID,
    PICK_ACTORS,
    actor_rows,
    check_id,
    not_found,
    workspace,
)
from khabar.web.pages import _analyst_error, _back, _int, _page, templates
from khabar.web.security import require_csrf

__all__ = ["router", "mark_corrected", "mark_corrected_ties"]

router = APIRouter(include_in_schema=False)


def _cited(request: Request, csrf: str, doc_id: str, sentence: str) -> int:
    """The sentence number a citing form chose, after the form's CSRF token and document id are
    checked (400 without a sentence)."""
    require_csrf(request, csrf)
    check_id(doc_id, DOC_ID, "such document")
    number = _int(sentence)
    if number is None:
        raise HTTPException(status_code=400, detail="choose a sentence")
    return number
templates.env.globals.setdefault("vocab", vocab)  # the correction forms list tie types and modalities

_Text = Annotated[str, Form(max_length=1000)]
_Many = Annotated[list[str], Form()]
SENTENCE_ROWS = 400  # sentences of a document listed to pick from


def mark_corrected(ws: Any, events: list[dict[str, Any]]) -> None:
    """Set ``correction`` (the analyst action that made or corrected it) on a page of event
    dicts, read for those events only."""
    ids = [e["id"] for e in events if e.get("id")]
    if not ids:
        return
    marks = ", ".join("?" for _ in ids)
    found = dict(ws.conn.execute(f"SELECT id, correction FROM events WHERE id IN ({marks}) "
                                 "AND correction IS NOT NULL", ids).fetchall())
    for e in events:
        e["correction"] = found.get(e.get("id"))


def mark_corrected_ties(ws: Any, ties: list[dict[str, Any]]) -> None:
    """Set ``corrected`` (how much of its evidence an analyst made or changed) on a page of
    tie dicts, read by each tie's key."""
    for t in ties:
        row = ws.conn.execute("SELECT corrected FROM ties WHERE subject = ? AND type = ? AND object = ?",
                              (t.get("subject"), t.get("type"), t.get("object"))).fetchone()
        t["corrected"] = row[0] if row else 0


def _names(ws: Any) -> list[dict[str, Any]]:
    return [{"id": r["id"], "name": r["name"]} for r in actor_rows(ws)[:PICK_ACTORS]]


def _lines(text: str) -> list[str]:
    """Names typed one per line or comma-separated."""
    return [x.strip() for x in text.replace("\n", ",").split(",") if x.strip()][:50]


def _run(call: Any) -> Any:
    try:
        return call()
    except KhabarError as exc:
        raise _analyst_error(exc) from None


# -- actors --------------------------------------------------------------------------------------------------
@router.get("/correct/actor", response_class=HTMLResponse)
def new_actor_page(request: Request) -> HTMLResponse:
    """The form that creates an actor."""
    with workspace(request) as ws:
        names = _names(ws)
    return _page(request, "correct_actor.html", title="New actor", kinds=list(vocab()["actor_kinds"]),
                 names=names)


@router.post("/correct/actor")
def new_actor(request: Request, id: _Text = "", name: _Text = "", kind: _Text = "other",  # noqa: A002
              aliases: _Text = "", parent: _Text = "", country: _Text = "", csrf: _Text = "") -> RedirectResponse:
    """Create an actor; then its page."""
    require_csrf(request, csrf)
    with workspace(request) as ws:
        _run(lambda: ws.add_actor(id.strip(), name, kind, aliases=_lines(aliases), parent=parent.strip() or None,
                                  country=country.strip() or None))
    return RedirectResponse(f"/actors/{id.strip()}", status_code=303)


@router.post("/correct/actors/{actor_id}/mentions")
def move_mentions(request: Request, actor_id: str, into: _Text = "", surfaces: _Many = [],  # noqa: B006
                  csrf: _Text = "") -> RedirectResponse:
    """Re-point the chosen surfaces of this actor to another actor; then that actor's page."""
    require_csrf(request, csrf)
    check_id(actor_id, ACTOR_ID, "such actor")
    if not into.strip():
        raise HTTPException(status_code=400, detail="say which actor the mentions belong to")
    with workspace(request) as ws:
        _run(lambda: ws.move_mentions(into.strip(), source=actor_id, surfaces=[s[:200] for s in surfaces][:200]))
        target = _run(lambda: ws.actor(into.strip()))["id"]
    return RedirectResponse(f"/actors/{target}", status_code=303)


# -- a sentence of a document: a tie or an event -----------------------------------------------------------
@router.get("/correct/documents/{doc_id}", response_class=HTMLResponse)
def cite_page(request: Request, doc_id: str, s: str | None = None) -> HTMLResponse:
    """A document's sentences, numbered; with ``?s=N`` the forms that add a tie or an event
    with sentence N as evidence."""
    check_id(doc_id, DOC_ID, "such document")
    with workspace(request) as ws:
        doc = ws.conn.execute("SELECT id, name, title, duplicate_of FROM documents WHERE id = ?",
                              (doc_id,)).fetchone()
        if doc is None:
            raise not_found("such document")
        sentences = ws.sentences(doc_id, limit=SENTENCE_ROWS)
        names = _names(ws)
        chosen = _int(s)
        picked = next((x for x in sentences if x["idx"] == chosen), None)
        mentions = [] if picked is None else [dict(r) for r in ws.conn.execute(
            'SELECT m."start", m."end", m.surface, m.actor_id, a.name AS actor_name, m.correction FROM mentions m '
            'JOIN actors a ON a.id = m.actor_id WHERE m.doc_id = ? AND m."start" >= ? AND m."end" <= ? '
            'ORDER BY m."start"', (doc_id, picked["start"], picked["end"]))]
    return _page(request, "correct_document.html", title="Cite a sentence", doc=dict(doc), sentences=sentences,
                 picked=picked, mentions=mentions, names=names,
                 tie_types=[(t, tie_label(t)) for t in vocab()["tie_types"]],
                 modalities=list(vocab()["modalities"]), event_types=list(vocab()["event_types"]),
                 precisions=list(vocab()["date_precisions"]))


@router.post("/correct/documents/{doc_id}/tie")
def add_tie(request: Request, doc_id: str, sentence: _Text = "", subject: _Text = "", type: _Text = "",  # noqa: A002
            object: _Text = "", modality: _Text = "asserted", attributed_to: _Text = "",  # noqa: A002
            csrf: _Text = "") -> RedirectResponse:
    """Add a tie with the chosen sentence as evidence; then the tie's page."""
    number = _cited(request, csrf, doc_id, sentence)
    with workspace(request) as ws:
        action = _run(lambda: ws.add_tie(doc_id, subject.strip(), type.strip(), object.strip(), sentence=number,
                                         modality=modality.strip(), attributed_to=attributed_to))
        target = ws.conn.execute("SELECT target FROM analyst_actions WHERE id = ?", (action,)).fetchone()[0]
    s, t, o = target[4:].split("|")
    return RedirectResponse(f"/ties/{s}/{t}/{o}", status_code=303)


@router.post("/correct/documents/{doc_id}/mentions")
def attach_mentions(request: Request, doc_id: str, sentence: _Text = "", into: _Text = "", mentions: _Many = [],  # noqa: B006
                    csrf: _Text = "") -> RedirectResponse:
    """Re-point the chosen mentions of a sentence to an actor; back to the sentence."""
    require_csrf(request, csrf)
    check_id(doc_id, DOC_ID, "such document")
    spots = []
    for m in mentions[:100]:
        start, _, end = m.partition(":")
        if not (_int(start) is not None and _int(end) is not None):
            raise HTTPException(status_code=400, detail=f"{m!r} is not START:END")
        spots.append((doc_id, int(start), int(end)))
    if not spots or not into.strip():
        raise HTTPException(status_code=400, detail="choose mentions and the actor they belong to")
    with workspace(request) as ws:
        _run(lambda: ws.move_mentions(into.strip(), mentions=spots))
    number = _int(sentence)
    return RedirectResponse(f"/correct/documents/{doc_id}" + (f"?s={number}#forms" if number is not None else ""),
                            status_code=303)


@router.post("/correct/documents/{doc_id}/event")
def add_event(request: Request, doc_id: str, sentence: _Text = "", type: _Text = "", date: _Text = "",  # noqa: A002
              date_end: _Text = "", precision: _Text = "", place: _Text = "", actors: _Text = "",
              targets: _Text = "", fatalities: _Text = "", csrf: _Text = "") -> RedirectResponse:
    """Add an event with the chosen sentence as evidence; then the events of its dates."""
    number = _cited(request, csrf, doc_id, sentence)
    with workspace(request) as ws:
        action = _run(lambda: ws.add_event(doc_id, type.strip(), sentence=number, date=date.strip() or None,
                                           date_end=date_end.strip() or None, precision=precision.strip() or None,
                                           place=place.strip() or None, actors=_lines(actors),
                                           targets=_lines(targets), fatalities=fatalities.strip() or None))
        row = ws.conn.execute("SELECT e.date_start, e.date_end, e.type FROM event_reports r JOIN events e "
                              "ON e.id = r.event_id WHERE r.correction = ?", (action,)).fetchone()
    return RedirectResponse(_events_url(row), status_code=303)


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _events_url(row: Any) -> str:
    """The events page showing an event of (date_start, date_end, type)."""
    if row is None:
        return "/analyst"
    query = {"type": row[2]}
    if row[0]:
        query.update(since=row[0], until=row[1] or row[0])
    return "/events?" + urlencode(query)


# -- ties ----------------------------------------------------------------------------------------------------
@router.post("/correct/ties/{subject}/{tie_type}/{obj}")
def edit_tie(request: Request, subject: str, tie_type: str, obj: str, flip: _Text = "", new_type: _Text = "",
             modality: _Text = "", csrf: _Text = "") -> RedirectResponse:
    """Flip a tie, change its type or modality; then the tie as it now is."""
    require_csrf(request, csrf)
    check_id(subject, ACTOR_ID, "such tie")
    check_id(obj, ACTOR_ID, "such tie")
    with workspace(request) as ws:
        _run(lambda: ws.edit_tie(subject, tie_type, obj, flip=bool(flip), new_type=new_type.strip() or None,
                                 modality=modality.strip() or None))
    s, o = (obj, subject) if flip else (subject, obj)
    return RedirectResponse(f"/ties/{s}/{new_type.strip() or tie_type}/{o}", status_code=303)


# -- events --------------------------------------------------------------------------------------------------
@router.get("/correct/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    """The form that corrects an event, filled with its values, and its reports."""
    with workspace(request) as ws:
        row = ws.conn.execute("SELECT * FROM events WHERE id = ?", (event_id[:100],)).fetchone()
        if row is None:
            raise not_found("such event")
        event = dict(row)
        reports = reports_of(ws.conn, [event_id])[event_id][:20]
        names = _names(ws)
        known = {n["id"]: n["name"] for n in names}
    event["actors"], event["targets"] = json.loads(event["actors"]), json.loads(event["targets"])
    return _page(request, "correct_event.html", title="Correct an event", event=event, reports=reports,
                 names=names, known=known, event_types=list(vocab()["event_types"]),
                 precisions=list(vocab()["date_precisions"]))


@router.post("/correct/events/{event_id}")
def edit_event(request: Request, event_id: str, type: _Text = "", date: _Text = "",  # noqa: A002
               date_end: _Text = "", precision: _Text = "", place: _Text = "", actors: _Text = "",
               targets: _Text = "", fatalities: _Text = "", csrf: _Text = "") -> RedirectResponse:
    """Correct an event with what the form changed; then the events of its (new) dates."""
    require_csrf(request, csrf)
    with workspace(request) as ws:
        row = ws.conn.execute("SELECT type, date, date_start, date_end, precision, place, actors, targets, "
                              "fatalities FROM events WHERE id = ?", (event_id[:100],)).fetchone()
        if row is None:
            raise not_found("such event")
        given: dict[str, Any] = {
            "event_type": type.strip() if type.strip() and type.strip() != row["type"] else None,
            "date": date.strip() or None, "precision": precision.strip() or None,
            "date_end": date_end.strip() or None, "place": place.strip() or None,
            "actors": _lines(actors), "targets": _lines(targets),
            "fatalities": fatalities.strip() if fatalities.strip() != _shown(row["fatalities"]) else None,
        }
        # what the form showed and still shows is not a correction (the end of a range is left blank)
        if (given["date"], given["precision"], given["date_end"]) == (row["date"], row["precision"], None):
            given.update(date=None, precision=None, date_end=None)
        if given["place"] == row["place"]:
            given["place"] = None
        for key in ("actors", "targets"):
            if given[key] == json.loads(row[key]):
                given[key] = None
        _run(lambda: ws.edit_event(event_id, **given))
        row = ws.conn.execute("SELECT date_start, date_end, type FROM events WHERE id = ?", (event_id,)).fetchone()
    return RedirectResponse(_events_url(row), status_code=303)


# -- judgments -----------------------------------------------------------------------------------------------
@router.post("/correct/judgments/{judgment_id}/not-forecast")
def not_forecast(request: Request, judgment_id: str, note: _Text = "", next: _Text = "",  # noqa: A002
                 csrf: _Text = "") -> RedirectResponse:
    """Say a judgment is no forecast; back to where the form was."""
    require_csrf(request, csrf)
    check_id(judgment_id, JUDGMENT_ID, "such judgment")
    with workspace(request) as ws:
        _run(lambda: ws.not_forecast(judgment_id, note))
    return _back(next, f"/judgments#{judgment_id}")
