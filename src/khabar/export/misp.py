"""The knowledge base as one MISP event in JSON (``khabar export --format misp``; extra ``khabar[misp]``).

Built with pymisp's objects, each checked against the object templates pymisp ships
(``MISPObject(..., strict=True)``: known attributes, required ones present):

* every actor is an ``organization`` object (MISP ships no threat-actor object template;
  threat actors are galaxy clusters there, which a MISP instance attaches by its own
  galaxies): ``name``, each alias as ``alias``, khabar's kind as ``type-of-organization``
  ("armed group", "state agency"...), a ``description`` with its khabar id, country and
  Wikidata id, and a ``khabar:kind`` tag on the name;
* every tie the evidence asserts is an object reference from its subject to its object:
  the relationship type from MISP's relationship list where one says the same
  (``is-allied-with``, ``cooperates-with``, ``supports``, ``hosts``, ``affiliated``,
  ``enemy-of``), else khabar's own (``splinter-of``, ``endorsed``), the figures, dates,
  credibility and verdict in the reference's comment;
* every document that evidences something is a ``report`` object (``title``, ``link``,
  ``summary``: source and date, ``type`` "Online"), and its URL also an event attribute
  (``link``, category "External analysis", the source named in the comment): the sources
  of the sentences;
* every evidence sentence is an ``annotation`` object (``text`` the sentence, ``ref`` the
  document's URL) that ``annotates`` both actors and is ``extracted-from`` the report;
* every event is an ``event`` object (name, description the first report's sentence,
  start and end days with their fidelity, status "occurred") ``attributed-to`` who did it
  and ``targets`` its targets, ``located-at`` a ``geolocation`` object;
* every judgment is an ``annotation`` (type "Other") whose comment carries the speaker,
  ICD 203 band, probabilities and due date, annotating the actors it is about.

UUIDs are UUIDv5 of the khabar ids (the STIX export's namespace), so a re-import into
MISP updates objects instead of duplicating them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from khabar.export.base import Records, day_span
from khabar.export.stix import NAMESPACE

__all__ = ["write", "build", "RELATIONSHIPS"]

RELATIONSHIPS = {  # khabar tie type -> MISP relationship type
    "allied_with": "is-allied-with", "cooperates_with": "cooperates-with", "supports": "supports",
    "hosts": "hosts", "affiliate_of": "affiliated", "splinter_of": "splinter-of", "hostile_to": "enemy-of",
    "endorsed": "endorsed",
}
_FIDELITY = {"day": "day", "month": "month", "season": "month", "year": "year"}


def _uuid(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"misp-{kind}|{key}"))


def _object(name: str, key: str, comment: str | None = None) -> Any:
    from pymisp import MISPObject

    obj = MISPObject(name, strict=True, standalone=False)
    obj.uuid = _uuid(name, key)
    if comment:
        obj.comment = comment[:1000]
    return obj


def _actor(a: dict[str, Any]) -> Any:
    obj = _object("organization", a["id"], comment=f"khabar actor {a['id']}")
    name = obj.add_attribute("name", value=a["name"])
    name.add_tag(f'khabar:kind="{a["kind"]}"')
    for alias in a.get("aliases") or []:
        obj.add_attribute("alias", value=alias)
    obj.add_attribute("type-of-organization", value=a["kind"].replace("_", " "))
    facts = [f"khabar id: {a['id']}"] + [f"{k}: {a[k]}" for k in ("country", "wikidata", "parent") if a.get(k)]
    obj.add_attribute("description", value="; ".join(facts))
    return obj


def _tie_comment(t: dict[str, Any]) -> str:
    parts = [f"khabar tie {t['type']}", f"{t.get('evidence')} sentences", f"{t.get('sources')} sources",
             f"seen {t.get('first_seen') or '?'} to {t.get('last_seen') or '?'}",
             f"credibility {t.get('credibility')} ({t.get('credibility_reason') or ''})"]
    if t.get("contested"):
        parts.append(f"contested ({t.get('negated')} against)")
    if t.get("analyst"):
        parts.append(f"analyst: {t['analyst']}")
    return "; ".join(parts)


def _stamp(day: Any) -> str:
    return f"{day.isoformat()}T00:00:00+00:00"


def build(records: Records) -> Any:
    """The MISPEvent of ``records`` (objects validated against pymisp's templates as they are serialised)."""
    from pymisp import MISPEvent

    event = MISPEvent()
    event.uuid = _uuid("event", records.created.isoformat())  # the same knowledge base, wherever it lies
    event.info = f"khabar knowledge base {Path(records.ws.path).name}: actors, ties, evidence, events, judgments"
    event.date = records.exported_at.date()
    event.analysis = 2  # complete: the export holds what khabar knows
    event.threat_level_id = 4  # undefined
    event.distribution = 0  # this organisation only, until the analyst shares it
    event.add_tag("khabar:export")

    ties = list(records.ties())
    events = list(records.events())
    judgments = list(records.judgments())
    actors = {a["id"]: _actor(a) for a in records.actors()}
    reports: dict[str, Any] = {}
    docs_needed: dict[str, list[Any]] = {}  # doc id -> objects extracted from it
    evidence: list[Any] = []

    for t in ties:
        subj, obj = actors[t["subject"]], actors[t["object"]]
        if t.get("asserted"):
            subj.add_reference(obj.uuid, RELATIONSHIPS.get(t["type"], t["type"].replace("_", "-")),
                               comment=_tie_comment(t))
        for e in t.get("evidence_sentences") or []:
            note = _object("annotation", e["id"] or f"{e['doc_id']}|{e['start']}",
                           comment=f"evidence ({e.get('modality')}) that {t['subject_name']} "
                                   f"{t['type'].replace('_', ' ')} {t['object_name']}; source {e.get('source')}")
            note.add_attribute("text", value=e.get("text") or "(empty sentence)")
            note.add_attribute("type", value="Annotation")
            if e.get("url"):
                note.add_attribute("ref", value=e["url"])
            note.add_reference(subj.uuid, "annotates")
            note.add_reference(obj.uuid, "annotates")
            docs_needed.setdefault(e["doc_id"], []).append(note)
            evidence.append(note)
    happenings = []
    places: dict[str, Any] = {}
    for ev in events:
        obj = _object("event", ev["id"], comment=f"khabar event {ev['id']} ({ev['type']})")
        obj.add_attribute("name", value=", ".join(x for x in (ev["type"], ev.get("date_start"), ev.get("location")) if x))
        obj.add_attribute("status", value="occurred")
        first = (ev.get("reports") or [{}])[0]
        if first.get("text"):
            obj.add_attribute("description", value=first["text"])
        start, end = day_span(ev.get("date_start")), day_span(ev.get("date_end") or ev.get("date_start"))
        if start:
            obj.add_attribute("start_time", value=_stamp(start[0]))
            obj.add_attribute("start_time_fidelity", value=_FIDELITY.get(ev.get("precision") or "", "day"))
        if end:
            obj.add_attribute("end_time", value=_stamp(end[1]))
            obj.add_attribute("end_time_fidelity", value=_FIDELITY.get(ev.get("precision") or "", "day"))
        for role, rel in (("actors", "attributed-to"), ("targets", "targets")):
            for actor_id in ev.get(role) or []:
                if actor_id not in actors:
                    actors[actor_id] = _actor(records.ensure_actor(actor_id))
                obj.add_reference(actors[actor_id].uuid, rel)
        place = records.place(ev.get("place"))
        if place and (place.get("country") or place.get("lat") is not None):
            if place["id"] not in places:
                geo = _object("geolocation", place["id"], comment=f"khabar place {place['id']}")
                if place.get("lat") is not None and place.get("lon") is not None:
                    geo.add_attribute("latitude", value=place["lat"])
                    geo.add_attribute("longitude", value=place["lon"])
                if place.get("country"):
                    geo.add_attribute("countrycode", value=place["country"])
                if place.get("admin1"):
                    geo.add_attribute("region", value=place["admin1"])
                if place.get("kind") in ("city", "town", "village"):
                    geo.add_attribute("city", value=place["name"])
                places[place["id"]] = geo
            obj.add_reference(places[place["id"]].uuid, "located-at")
        for r in ev.get("reports") or []:
            docs_needed.setdefault(r["doc_id"], []).append(obj)
        happenings.append(obj)
    remarks = []
    for j in judgments:
        note = _object("annotation", j["id"], comment=(
            f"judgment by {j.get('speaker')}" + (f" ({j['role']})" if j.get("role") else "")
            + f"; ICD 203 band: {j.get('band') or 'none'}"
            + (f" ({j['low']:.2f}-{j['high']:.2f})" if j.get("low") is not None and j.get("high") is not None else "")
            + (f"; due {j['due']}" if j.get("due") else "")
            + ("" if j.get("outcome") is None else f"; outcome: {'yes' if j['outcome'] else 'no'}")))
        note.add_attribute("text", value=j.get("text") or "(empty judgment)")
        note.add_attribute("type", value="Other")
        if j.get("url"):
            note.add_attribute("ref", value=j["url"])
        for about in j.get("about") or []:
            if about in actors:
                note.add_reference(actors[about].uuid, "annotates")
        docs_needed.setdefault(j["doc_id"], []).append(note)
        remarks.append(note)

    links: set[str] = set()
    for d in records.documents():
        if d["id"] not in docs_needed:
            continue
        rep = _object("report", d["id"], comment=f"khabar document {d['id']}")
        rep.add_attribute("title", value=d.get("title") or d.get("name") or d["id"])
        rep.add_attribute("summary", value=f"{d.get('source') or 'unknown source'}"
                                           f" (grade {d.get('reliability') or '?'}), {d.get('published') or 'undated'}")
        rep.add_attribute("type", value="Online")
        if d.get("url"):
            rep.add_attribute("link", value=d["url"])
            if d["url"] not in links:
                links.add(d["url"])
                event.add_attribute("link", d["url"], category="External analysis",
                                    comment=f"source: {d.get('source') or 'unknown'}; {d.get('title') or ''}"[:1000],
                                    uuid=_uuid("link", d["url"]))
        reports[d["id"]] = rep
        for item in docs_needed[d["id"]]:
            item.add_reference(rep.uuid, "extracted-from")
    for obj in [*actors.values(), *places.values(), *happenings, *reports.values(), *evidence, *remarks]:
        event.add_object(obj)
    return event


def write(records: Records, path: Path) -> dict[str, int]:
    """Write the MISP event as JSON (``{"Event": ...}``) at ``path``; return the number of objects of each template,
    references and attributes."""
    event = build(records)
    # wrapped as MISP's own exports and its "add event from JSON" are: {"Event": {...}}
    text = '{"Event": ' + event.to_json(indent=1) + "}\n"
    Path(path).write_text(text, encoding="utf-8")
    counts = Counter(obj.name for obj in event.objects)
    counts["references"] = sum(len(obj.references) for obj in event.objects)
    counts["attributes"] = len(event.attributes)
    return dict(counts)
