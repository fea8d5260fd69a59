"""The knowledge base as FollowTheMoney entities in JSON lines (``khabar export --format ftm``;
extra ``khabar[ftm]``), for Aleph and the ``ftm`` tools.

* actors: states and state agencies as ``PublicBody``, every other actor as
  ``Organization`` (``name``, ``alias``, ``country``, ``wikidataId``, ``parent``, khabar's
  kind as ``classification``); the speakers of judgments whose name is a name (every word
  capitalised: "Farid Nazari", not "Its envoy in Islamabad") as ``Person`` with their role
  as ``position``;
* places as ``Address`` (``full`` name with province and country, coordinates);
* ties: ``affiliate_of`` as ``Membership`` (the subject a member of the object), every other
  tie as ``UnknownLink`` with ``role`` the tie type; on both, ``status`` the modality most
  of the evidence has (asserted, negated, predicted), ``startDate``/``endDate`` first and
  last seen, ``summary`` the figures and credibility, ``publisher`` the sources,
  ``sourceUrl`` the documents' addresses and ``proof`` the documents (``Article``);
* documents as ``Article`` (``title``, ``publishedAt``, ``publisher``, ``sourceUrl``,
  ``language``; the text itself is not exported);
* events as ``Event`` (``organizer`` who did it, ``involved`` the targets, dates, country,
  ``addressEntity`` the place, ``proof`` the documents that report it);
* evidence sentences and judgments as ``Note`` on the actors (``entity``), the sentence as
  ``description``, the document as ``proof``; a judgment's ICD 203 band, probabilities and
  due date in its ``summary``.

Ids are ``make_id`` hashes of khabar's ids, so a re-export keeps them. Values go through
FtM's own cleaning as they are added; :func:`check_entity` says what ``ftm validate``
would change or reject, so tests can ask for nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from khabar.export.base import Records

__all__ = ["write", "entities", "check_entity", "PUBLIC_BODY_KINDS"]

PUBLIC_BODY_KINDS = ("state", "state_agency")


def _entity(schema: str, *key: str) -> Any:
    from followthemoney import model

    proxy = model.make_entity(schema)
    proxy.make_id("khabar", schema.lower(), *key)
    return proxy


def _put(proxy: Any, prop: str, *values: Any) -> None:
    for value in values:
        if value is None or value == "":
            continue
        proxy.add(prop, str(value) if not isinstance(value, str) else value)


def _looks_named(speaker: str | None) -> bool:
    """Whether a speaker is given by a name (each word capitalised), not by a description."""
    words = (speaker or "").replace("-", " ").split()
    return 1 < len(words) <= 5 and all(w[:1].isupper() and "'" not in w for w in words)


def entities(records: Records) -> Any:
    """Yield the FtM entity proxies of ``records`` (articles last, once every proof is known)."""
    ids: dict[str, str] = {}
    actors = records.actors()
    for a in list(actors):
        ids[a["id"]] = _entity("PublicBody" if a["kind"] in PUBLIC_BODY_KINDS else "Organization", a["id"]).id

    def actor_id(actor: str) -> str:
        if actor not in ids:
            a = records.ensure_actor(actor)
            ids[a["id"]] = _entity("PublicBody" if a["kind"] in PUBLIC_BODY_KINDS else "Organization", a["id"]).id
        return ids[records.merged(actor)]

    def article_id(doc_id: str) -> str:
        return _entity("Article", doc_id).id

    cited: set[str] = set()
    for t in records.ties():
        schema = "Membership" if t["type"] == "affiliate_of" else "UnknownLink"
        link = _entity(schema, t["subject"], t["type"], t["object"])
        if schema == "Membership":
            _put(link, "member", actor_id(t["subject"]))
            _put(link, "organization", actor_id(t["object"]))
        else:
            _put(link, "subject", actor_id(t["subject"]))
            _put(link, "object", actor_id(t["object"]))
        _put(link, "role", t["type"].replace("_", " "))
        _put(link, "status", t.get("modality"))
        _put(link, "startDate", t.get("first_seen"))
        _put(link, "endDate", t.get("last_seen"))
        _put(link, "description", f"{t['subject_name']} {t['type'].replace('_', ' ')} {t['object_name']}")
        _put(link, "summary", "; ".join(x for x in (
            f"{t.get('evidence')} sentences from {t.get('sources')} independent sources in {t.get('documents')} "
            f"documents ({t.get('asserted')} asserted, {t.get('negated')} negated, {t.get('predicted')} predicted)",
            f"credibility {t.get('credibility')}: {t.get('credibility_reason') or ''}",
            "contested" if t.get("contested") else "", f"analyst: {t['analyst']}" if t.get("analyst") else "") if x))
        evidence = t.get("evidence_sentences") or []
        _put(link, "publisher", *sorted({e["source"] for e in evidence if e.get("source")}))
        _put(link, "sourceUrl", *sorted({e["url"] for e in evidence if e.get("url")}))
        _put(link, "proof", *sorted({article_id(e["doc_id"]) for e in evidence}))
        yield link
        for e in evidence:
            note = _entity("Note", e["id"] or f"{e['doc_id']}|{e['start']}")
            _put(note, "name", f"Evidence ({e.get('modality')}): {t['subject_name']} "
                               f"{t['type'].replace('_', ' ')} {t['object_name']}")
            _put(note, "description", e.get("text"))
            _put(note, "entity", actor_id(t["subject"]), actor_id(t["object"]))
            _put(note, "summary", "; ".join(x for x in (
                f"modality {e.get('modality')}", f"attributed to {e['attributed_to']}" if e.get("attributed_to") else "",
                f"characters {e.get('start')}-{e.get('end')} of document {e.get('doc_id')}",
                f"source grade {e['reliability']}" if e.get("reliability") else "",
                f"analyst: {e['analyst']}" if e.get("analyst") else "") if x))
            _put(note, "publisher", e.get("source"))
            _put(note, "sourceUrl", e.get("url"))
            _put(note, "proof", article_id(e["doc_id"]))
            cited.add(e["doc_id"])
            yield note
    places: set[str] = set()
    for ev in records.events():
        event = _entity("Event", ev["id"])
        _put(event, "name", ", ".join(x for x in (ev["type"], ev.get("date_start"), ev.get("location")) if x))
        _put(event, "startDate", ev.get("date_start"))
        _put(event, "endDate", ev.get("date_end"))
        _put(event, "country", ev.get("country"))
        _put(event, "location", ev.get("location"))
        _put(event, "organizer", *(actor_id(a) for a in ev.get("actors") or []))
        _put(event, "involved", *(actor_id(a) for a in ev.get("targets") or []))
        reports = ev.get("reports") or []
        _put(event, "description", reports[0].get("text") if reports else None)
        figures = [f"{k.replace('_', ' ')} {ev[k]}" for k in ("fatalities", "fatalities_low", "fatalities_high",
                                                              "injured") if ev.get(k) is not None]
        _put(event, "summary", "; ".join([f"khabar event {ev['id']} ({ev['type']}, {ev.get('precision') or 'undated'})",
                                          *figures, f"credibility {ev.get('credibility')}"]))
        _put(event, "publisher", *(ev.get("sources") or []))
        _put(event, "sourceUrl", *sorted({r["url"] for r in reports if r.get("url")}))
        _put(event, "proof", *(article_id(d) for d in ev.get("documents") or []))
        cited.update(ev.get("documents") or [])
        place = records.place(ev.get("place"))
        if place:
            _put(event, "addressEntity", _entity("Address", place["id"]).id)
            places.add(place["id"])
        yield event
    people: dict[str, Any] = {}
    for j in records.judgments():
        note = _entity("Note", j["id"])
        _put(note, "name", f"Judgment by {j.get('speaker')}: {j.get('band') or 'no estimative words'}")
        _put(note, "description", j.get("text"))
        about = [actor_id(a) for a in j.get("about") or []]
        if j.get("speaker_actor"):
            about.append(actor_id(j["speaker_actor"]))
        elif j.get("speaker_kind") == "person" and _looks_named(j.get("speaker")):
            person = people.get(j["speaker"])
            if person is None:
                person = people[j["speaker"]] = _entity("Person", j["speaker"])
                _put(person, "name", j["speaker"])
            _put(person, "position", j.get("role"))
            about.append(person.id)
        _put(note, "entity", *dict.fromkeys(about))
        probability = (f"probability {j['low']:.2f}-{j['high']:.2f}"
                       if j.get("low") is not None and j.get("high") is not None else "")
        _put(note, "summary", "; ".join(x for x in (
            f"speaker {j.get('speaker')}" + (f" ({j['role']})" if j.get("role") else ""),
            f"ICD 203 band {j['band']}" if j.get("band") else "", probability,
            f"estimative words '{j['estimate']}'" if j.get("estimate") else "",
            f"confidence {j['confidence']}" if j.get("confidence") else "",
            f"horizon {j['horizon']}" if j.get("horizon") else "", f"due {j['due']}" if j.get("due") else "",
            "" if j.get("outcome") is None else f"outcome {'yes' if j['outcome'] else 'no'}") if x))
        _put(note, "publisher", j.get("source"))
        _put(note, "sourceUrl", j.get("url"))
        _put(note, "proof", article_id(j["doc_id"]))
        cited.add(j["doc_id"])
        yield note
    yield from people.values()
    for a in records.actors():
        org = _entity("PublicBody" if a["kind"] in PUBLIC_BODY_KINDS else "Organization", a["id"])
        _put(org, "name", a["name"])
        _put(org, "alias", *a.get("aliases") or [])
        _put(org, "country", a.get("country"))
        _put(org, "wikidataId", a.get("wikidata"))
        _put(org, "classification", a["kind"].replace("_", " "))
        if a.get("parent"):
            _put(org, "parent", actor_id(a["parent"]))
        _put(org, "description", f"khabar actor {a['id']}: {a.get('mentions')} mentions in "
                                 f"{a.get('documents')} documents")
        yield org
    for p in records.places():
        if p["id"] not in places and p.get("country") is None and p.get("lat") is None:
            continue
        address = _entity("Address", p["id"])
        _put(address, "name", p["name"])
        _put(address, "full", ", ".join(dict.fromkeys(x for x in (p["name"], p.get("admin2"), p.get("admin1"),
                                                                  p.get("country")) if x)))
        _put(address, "country", p.get("country"))
        _put(address, "region", p.get("admin1"))
        if p.get("kind") in ("city", "town", "village"):
            _put(address, "city", p["name"])
        if p.get("lat") is not None and p.get("lon") is not None:
            _put(address, "latitude", p["lat"])
            _put(address, "longitude", p["lon"])
        yield address
    for d in records.documents():
        article = _entity("Article", d["id"])
        _put(article, "title", d.get("title") or d.get("name"))
        _put(article, "fileName", d.get("name"))
        _put(article, "publishedAt", d.get("published"))
        _put(article, "publisher", d.get("source"))
        _put(article, "sourceUrl", d.get("url"))
        _put(article, "language", d.get("language"))
        _put(article, "summary", f"khabar document {d['id']}" + (f", source grade {d['reliability']}"
                                                                  if d.get("reliability") else ""))
        yield article


def check_entity(data: dict[str, Any]) -> list[str]:
    """What is wrong with one entity as FtM reads it (unknown schema or property, a missing
    required property, a value FtM's cleaning would change or drop): empty when valid."""
    from followthemoney import model
    from followthemoney.exc import InvalidData

    try:
        proxy = model.get_proxy(data, cleaned=False)
    except (InvalidData, TypeError, KeyError) as exc:
        return [f"{data.get('id')}: {exc}"]
    problems = [f"{proxy.id}: {proxy.schema.name} lacks {p}" for p in proxy.schema.required if not proxy.get(p)]
    for prop, values in (data.get("properties") or {}).items():
        clean = model.get_proxy({"schema": proxy.schema.name, "id": proxy.id, "properties": {}})
        clean.add(prop, values)
        if sorted(clean.get(prop)) != sorted(values):
            problems.append(f"{proxy.id}: {prop} {values!r} cleans to {clean.get(prop)!r}")
    return problems


def write(records: Records, path: Path) -> dict[str, int]:
    """Write one entity a line (FtM's JSON) at ``path``; return the number of entities per schema."""
    counts: Counter[str] = Counter()
    with Path(path).open("w", encoding="utf-8") as fh:
        for proxy in entities(records):
            fh.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            counts[proxy.schema.name] += 1
    return dict(counts)
