"""The knowledge base as a STIX 2.1 bundle (``khabar export --format stix``; extra ``khabar[stix]``).

What each record becomes:

* actors: armed groups and political movements as ``threat-actor``; states, state
  agencies, IGOs and media outlets as ``identity`` (class ``organization``, with the
  sector that fits: ``government-national``, ``government-regional`` for IGOs,
  ``communications`` for outlets); any other actor as an ``identity`` of class ``unknown``.
  Aliases go in ``aliases`` (threat actors) and ``x_khabar_aliases`` (identities, which
  have no such property);
* places as ``location`` (name, ISO2 country, province as ``administrative_area``,
  coordinates); a place with neither country nor coordinates is left out;
* ties whose evidence asserts them (``asserted`` > 0) as ``relationship``: its type is
  khabar's with ``-`` for ``_`` (``hosts``, ``allied-with``, ``affiliate-of``...),
  ``start_time``/``stop_time`` the first and last days the tie was seen, ``confidence``
  from khabar's credibility 1-5 on STIX's Admiralty scale (1 -> 90, 2 -> 70, 3 -> 50,
  4 -> 30, 5 -> 10; 6, "cannot be judged", gives none, as the STIX appendix says). A
  symmetric tie (allied with, hostile to...) is one relationship, ``x_khabar_symmetric``;
  ties that evidence only denies or predicts are not relationships, but their sentences
  still come as notes on both actors;
* every evidence sentence as a ``note`` (the sentence as ``content``, its source as
  author and external reference, ``x_khabar_modality`` asserted/negated/predicted) on the
  relationship and both actors;
* documents as ``report`` (``published``: the first day of the publication date; for an
  undated document, which STIX does not allow, when the knowledge base was first written,
  with no ``x_khabar_published``, which keeps the date as the document gives it),
  referring to every object they evidence; a document evidencing nothing exported is left
  out (a report needs ``object_refs``);
* events as ``incident`` with ``attributed-to`` (who did it), ``targets`` and
  ``located-at`` relationships, dates, place and fatalities as ``x_khabar_*``, and each
  report's sentence as a note;
* judgments as ``note`` (STIX ``opinion`` is agreement with an object, not a likelihood):
  the judgment's words as ``content``, the speaker as author, the ICD 203 band and its
  probabilities as ``x_khabar_band``/``_low``/``_high``, on the actors it is about and the
  document's report.

Custom properties are all ``x_khabar_*`` at the top level of an object, declared by one
``extension-definition`` (``toplevel-property-extension``) that each such object names in
``extensions``; the definition and every object are ``created_by_ref`` an ``identity``
for khabar. Ids are UUIDv5 of a khabar namespace and the khabar id (actor id, tie key,
assertion, document, event and judgment ids), so a re-export keeps every id; ``created``
is when the knowledge base was first written and ``modified`` the export's time, so a
consumer sees a re-export as new versions of the same objects.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from khabar.export.base import Records, day_span
from khabar.schema import is_symmetric, vocab

__all__ = ["write", "stix_id", "NAMESPACE", "EXTENSION_PROPERTIES", "relationship_type", "confidence"]

NAMESPACE = uuid.UUID("760144a7-1d2e-40f7-84eb-1d5c7836da8f")  # khabar's: never change it (ids would)

THREAT_ACTOR_KINDS = ("armed_group", "political_movement")
IDENTITY_KINDS = {  # kind -> (identity_class, sectors)
    "state": ("organization", ["government-national"]),
    "state_agency": ("organization", ["government-national"]),
    "igo": ("organization", ["government-regional"]),
    "media_outlet": ("organization", ["communications"]),
}
ADMIRALTY_CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}  # STIX 2.1 appendix A; 6 has none

EXTENSION_PROPERTIES = (
    "x_khabar_id", "x_khabar_kind", "x_khabar_aliases", "x_khabar_parent", "x_khabar_country",
    "x_khabar_wikidata", "x_khabar_listed", "x_khabar_mentions", "x_khabar_documents",
    "x_khabar_tie_type", "x_khabar_symmetric", "x_khabar_modality", "x_khabar_evidence", "x_khabar_sources",
    "x_khabar_first_seen", "x_khabar_last_seen", "x_khabar_asserted", "x_khabar_negated", "x_khabar_predicted",
    "x_khabar_credibility", "x_khabar_credibility_reason", "x_khabar_contested", "x_khabar_analyst",
    "x_khabar_doc_id", "x_khabar_start", "x_khabar_end", "x_khabar_source", "x_khabar_reliability",
    "x_khabar_published", "x_khabar_attributed_to", "x_khabar_event_type", "x_khabar_date_start",
    "x_khabar_date_end", "x_khabar_precision", "x_khabar_place", "x_khabar_fatalities",
    "x_khabar_fatalities_low", "x_khabar_fatalities_high", "x_khabar_injured", "x_khabar_speaker",
    "x_khabar_role", "x_khabar_estimate", "x_khabar_band", "x_khabar_low", "x_khabar_high",
    "x_khabar_confidence", "x_khabar_horizon", "x_khabar_due", "x_khabar_outcome",
)
_SCHEMA = ("khabar's properties, all optional, at the top level of the objects that name this extension: "
           + ", ".join(EXTENSION_PROPERTIES) + ". Ids (x_khabar_id, x_khabar_parent, x_khabar_doc_id, "
           "x_khabar_place) are khabar's; dates are partial ISO dates (YYYY, YYYY-MM or YYYY-MM-DD); "
           "x_khabar_credibility is 1 (confirmed) to 6 (cannot be judged); x_khabar_reliability is the "
           "Admiralty source grade A-F; x_khabar_modality is asserted, negated or predicted; x_khabar_band "
           "is an ICD 203 likelihood band with its probabilities x_khabar_low and x_khabar_high; "
           "x_khabar_start and x_khabar_end are character offsets in the document.")


def stix_id(kind: str, key: str) -> str:
    """The STIX id of the khabar item ``key`` as a ``kind`` object (the same on every export)."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}|{key}')}"


def relationship_type(tie_type: str) -> str:
    """khabar's tie type as a STIX relationship type (lower case and hyphens)."""
    return tie_type.replace("_", "-").lower()


def confidence(credibility: int | None) -> int | None:
    """khabar's credibility 1-6 on STIX's 0-100 confidence (Admiralty scale); None for 6 or unknown."""
    return ADMIRALTY_CONFIDENCE.get(credibility) if isinstance(credibility, int) else None


def _stamp(day: dt.date, end: bool = False) -> str:
    """A day as a STIX timestamp: its first instant, or its last millisecond with ``end``."""
    clock = "23:59:59.999" if end else "00:00:00.000"
    return f"{day.isoformat()}T{clock}Z"


class _Bundle:
    """The objects of one export, built with the stix2 library (which checks each one)."""

    def __init__(self, records: Records, emit: Callable[[Any], None]) -> None:
        import stix2

        self.stix2 = stix2
        self.records = records
        self.emit = emit
        self.seen: set[str] = set()
        self.counts: Counter[str] = Counter()
        self.created = records.created.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        self.modified = max(records.created, records.exported_at).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        self.producer = stix_id("identity", "khabar")
        self.extension = stix_id("extension-definition", "khabar-properties")
        self.add(stix2.Identity(id=self.producer, name="khabar", identity_class="system",
                                description="khabar: a knowledge base of armed groups built from open sources",
                                created=self.created, modified=self.modified))
        self.add(stix2.ExtensionDefinition(
            id=self.extension, created_by_ref=self.producer, name="khabar properties", version="1.0.0",
            description="khabar's own properties: the figures, evidence offsets and analyst judgments "
                        "behind each object", schema=_SCHEMA, extension_types=["toplevel-property-extension"],
            extension_properties=list(EXTENSION_PROPERTIES), created=self.created, modified=self.modified))
        self.refs: dict[str, set[str]] = {}  # document id -> ids of what it evidences

    def add(self, obj: Any) -> Any:
        """Hand ``obj`` to the writer, once (a place or an actor may be reached twice)."""
        if obj.id not in self.seen:
            self.seen.add(obj.id)
            self.counts[obj.type] += 1
            self.emit(obj)
        return obj

    def actor(self, actor_id: str) -> str:
        """The STIX id of an actor (its record read if only a tie or an event names it)."""
        return actor_ref(self.records.ensure_actor(actor_id))

    def make(self, cls: str, key: str, **props: Any) -> Any:
        """A ``cls`` object (stix2 class name) with a deterministic id, the common properties,
        and the ``x_khabar_*`` ones (None values dropped) declared through the extension."""
        kind = {"ThreatActor": "threat-actor", "Identity": "identity", "Location": "location",
                "Relationship": "relationship", "Note": "note", "Report": "report",
                "Incident": "incident"}[cls]
        props = {k: v for k, v in props.items() if v is not None and v != [] and v != ""}
        if any(k.startswith("x_khabar_") for k in props):
            props["extensions"] = {self.extension: {"extension_type": "toplevel-property-extension"}}
        obj = getattr(self.stix2, cls)(id=stix_id(kind, key), created=self.created, modified=self.modified,
                                       created_by_ref=self.producer, **props)
        return self.add(obj)

    def cite(self, doc_id: str | None, *ids: str) -> None:
        if doc_id:
            self.refs.setdefault(doc_id, set()).update(ids)


def _actor(b: _Bundle, a: dict[str, Any]) -> None:
    common = {"x_khabar_id": a["id"], "x_khabar_kind": a["kind"], "x_khabar_parent": a.get("parent"),
              "x_khabar_country": a.get("country"), "x_khabar_wikidata": a.get("wikidata"),
              "x_khabar_listed": a.get("listed"), "x_khabar_mentions": a.get("mentions"),
              "x_khabar_documents": a.get("documents")}
    if a.get("wikidata"):
        common["external_references"] = [{"source_name": "wikidata", "external_id": a["wikidata"],
                                          "url": f"https://www.wikidata.org/wiki/{a['wikidata']}"}]
    if a["kind"] in THREAT_ACTOR_KINDS:
        b.make("ThreatActor", a["id"], name=a["name"], aliases=a.get("aliases"), **common)
    else:
        identity_class, sectors = IDENTITY_KINDS.get(a["kind"], ("unknown", None))
        b.make("Identity", a["id"], name=a["name"], identity_class=identity_class, sectors=sectors,
               x_khabar_aliases=a.get("aliases"), **common)


def actor_ref(a: dict[str, Any]) -> str:
    """The STIX id of an actor record."""
    return stix_id("threat-actor" if a["kind"] in THREAT_ACTOR_KINDS else "identity", a["id"])


def _place(b: _Bundle, p: dict[str, Any]) -> str | None:
    has_point = p.get("lat") is not None and p.get("lon") is not None
    if not p.get("country") and not has_point:
        return None
    obj = b.make("Location", p["id"], name=p["name"], country=p.get("country"),
                 administrative_area=p.get("admin1"), latitude=p["lat"] if has_point else None,
                 longitude=p["lon"] if has_point else None, x_khabar_id=p["id"], x_khabar_kind=p.get("kind"))
    return obj.id


def _note(b: _Bundle, key: str, text: str, refs: list[str], *, abstract: str, author: str | None,
          url: str | None, doc_id: str | None, **extra: Any) -> str:
    reference = {"source_name": author or "khabar document", "description": f"khabar document {doc_id}"}
    if url:
        reference["url"] = url
    obj = b.make("Note", key, content=text or "(empty sentence)", abstract=abstract[:300],
                 authors=[author] if author else None, object_refs=list(dict.fromkeys(refs)),
                 external_references=[reference], x_khabar_doc_id=doc_id, x_khabar_source=author, **extra)
    b.cite(doc_id, obj.id)
    return obj.id


def _tie(b: _Bundle, t: dict[str, Any]) -> bool:
    """The tie's relationship (if its evidence asserts it) and a note per evidence sentence."""
    s_ref, o_ref = b.actor(t["subject"]), b.actor(t["object"])
    key = f"{t['subject']}|{t['type']}|{t['object']}"
    refs = [s_ref, o_ref]
    related = bool(t.get("asserted"))
    if related:
        first, last = day_span(t.get("first_seen")), day_span(t.get("last_seen"))
        rel = b.make(
            "Relationship", key, relationship_type=relationship_type(t["type"]), source_ref=s_ref, target_ref=o_ref,
            description=f"{t['subject_name']} {t['type'].replace('_', ' ')} {t['object_name']}",
            start_time=_stamp(first[0]) if first else None,
            stop_time=_stamp(last[1], end=True) if last and (not first or last[1] >= first[0]) else None,
            confidence=confidence(t.get("credibility")), x_khabar_tie_type=t["type"],
            x_khabar_symmetric=is_symmetric(t["type"]), x_khabar_modality=t.get("modality"),
            x_khabar_evidence=t.get("evidence"), x_khabar_sources=t.get("sources"),
            x_khabar_documents=t.get("documents"), x_khabar_first_seen=t.get("first_seen"),
            x_khabar_last_seen=t.get("last_seen"), x_khabar_asserted=t.get("asserted"),
            x_khabar_negated=t.get("negated"), x_khabar_predicted=t.get("predicted"),
            x_khabar_credibility=t.get("credibility"), x_khabar_credibility_reason=t.get("credibility_reason"),
            x_khabar_contested=t.get("contested"), x_khabar_analyst=t.get("analyst"))
        refs.insert(0, rel.id)
    label = t["type"].replace("_", " ")
    for e in t.get("evidence_sentences") or []:
        _note(b, e["id"] or f"{key}|{e['doc_id']}|{e['start']}", e.get("text") or "", refs,
              abstract=f"Evidence ({e.get('modality')}): {t['subject_name']} {label} {t['object_name']}",
              author=e.get("source"), url=e.get("url"), doc_id=e.get("doc_id"),
              x_khabar_start=e.get("start"), x_khabar_end=e.get("end"), x_khabar_modality=e.get("modality"),
              x_khabar_attributed_to=e.get("attributed_to"), x_khabar_reliability=e.get("reliability"),
              x_khabar_published=e.get("published"), x_khabar_analyst=e.get("analyst"))
        b.cite(e.get("doc_id"), *refs)
    return related


def _event(b: _Bundle, ev: dict[str, Any], records: Records) -> None:
    when = ev.get("date_start") or "undated"
    where = ev.get("location") or ev.get("country")
    name = ", ".join(x for x in (ev["type"], when, where) if x)
    incident = b.make(
        "Incident", ev["id"], name=name, description=(ev.get("reports") or [{}])[0].get("text") or None,
        x_khabar_id=ev["id"], x_khabar_event_type=ev["type"], x_khabar_date_start=ev.get("date_start"),
        x_khabar_date_end=ev.get("date_end"), x_khabar_precision=ev.get("precision"), x_khabar_place=ev.get("place"),
        x_khabar_country=ev.get("country"), x_khabar_fatalities=ev.get("fatalities"),
        x_khabar_fatalities_low=ev.get("fatalities_low"), x_khabar_fatalities_high=ev.get("fatalities_high"),
        x_khabar_injured=ev.get("injured"), x_khabar_sources=len(ev.get("sources") or []),
        x_khabar_documents=len(ev.get("documents") or []), x_khabar_credibility=ev.get("credibility"),
        x_khabar_credibility_reason=ev.get("credibility_reason"))
    refs = [incident.id]
    for role, rel_type in (("actors", "attributed-to"), ("targets", "targets")):
        for actor_id in ev.get(role) or []:
            target = b.actor(actor_id)
            rel = b.make("Relationship", f"{ev['id']}|{rel_type}|{actor_id}", relationship_type=rel_type,
                         source_ref=incident.id, target_ref=target, confidence=confidence(ev.get("credibility")))
            refs += [rel.id, target]
    place = records.place(ev.get("place"))
    location = _place(b, place) if place else None
    if location:
        rel = b.make("Relationship", f"{ev['id']}|located-at|{place['id']}", relationship_type="located-at",
                     source_ref=incident.id, target_ref=location)
        refs += [rel.id, location]
    for r in ev.get("reports") or []:
        _note(b, f"{ev['id']}|{r.get('doc_id')}|{r.get('start')}", r.get("text") or "", [incident.id],
              abstract=f"Report of the {name} event", author=r.get("source"), url=r.get("url"),
              doc_id=r.get("doc_id"), x_khabar_start=r.get("start"), x_khabar_end=r.get("end"),
              x_khabar_modality=r.get("modality"), x_khabar_published=r.get("published"))
        b.cite(r.get("doc_id"), *refs)


def _judgment(b: _Bundle, j: dict[str, Any]) -> None:
    refs = [b.actor(a) for a in [*(j.get("about") or []), j.get("speaker_actor")] if a]
    refs.append(stix_id("report", j["doc_id"]))  # the document's report, which cites this note back
    band = j.get("band") or "no estimative words"
    _note(b, j["id"], j.get("text") or "", refs, abstract=f"Judgment by {j.get('speaker')}: {band}",
          author=j.get("source"), url=j.get("url"), doc_id=j.get("doc_id"), x_khabar_id=j["id"],
          x_khabar_speaker=j.get("speaker"), x_khabar_role=j.get("role"), x_khabar_estimate=j.get("estimate"),
          x_khabar_band=j.get("band"), x_khabar_low=j.get("low"), x_khabar_high=j.get("high"),
          x_khabar_confidence=j.get("confidence"), x_khabar_horizon=j.get("horizon"), x_khabar_due=j.get("due"),
          x_khabar_outcome=None if j.get("outcome") is None else bool(j["outcome"]),
          x_khabar_start=j.get("start"), x_khabar_end=j.get("end"), x_khabar_published=j.get("published"),
          x_khabar_reliability=j.get("reliability"))


def _report(b: _Bundle, d: dict[str, Any]) -> bool:
    refs = b.refs.get(d["id"])
    if not refs:
        return False
    span = day_span(d.get("published"))
    published = _stamp(span[0]) if span else b.created
    reference = {"source_name": d.get("source") or "khabar document", "external_id": d["id"]}
    if d.get("url"):
        reference["url"] = d["url"]
    b.make("Report", d["id"], name=d.get("title") or d.get("name") or d["id"], published=published,
           report_types=["threat-report"], object_refs=sorted(refs), external_references=[reference],
           x_khabar_id=d["id"], x_khabar_source=d.get("source"), x_khabar_reliability=d.get("reliability"),
           x_khabar_published=d.get("published"))
    return True


def build(records: Records, emit: Callable[[Any], None]) -> Counter[str]:
    """Hand each STIX object of ``records`` to ``emit`` as it is made (stix2 library objects,
    each checked by the library), so a large base is written without being held; return the
    number of objects of each type. Actors come last: a tie or an event may name one that no
    mention counted."""
    b = _Bundle(records, emit)
    for p in records.places():
        _place(b, p)
    for t in records.ties():
        _tie(b, t)
    for ev in records.events():
        _event(b, ev, records)
    for j in records.judgments():
        _judgment(b, j)
    for a in records.actors():
        _actor(b, a)
    reported = {d["id"] for d in records.documents() if _report(b, d)}
    # a judgment whose document was not reported (it cites nothing else) still needs its report
    dangling = {doc for doc in b.refs if doc not in reported}
    if dangling:
        from khabar import store

        for d in store.documents_of(records.ws.conn, dangling).values():
            _report(b, {**d, "reliability": None})
    return b.counts


def write(records: Records, path: Path) -> dict[str, int]:
    """Write the bundle to ``path`` (JSON, one object per line inside ``objects``); return the
    number of objects of each STIX type."""
    bundle_id = f"bundle--{uuid.uuid5(NAMESPACE, 'bundle|' + records.exported_at.isoformat())}"
    with Path(path).open("w", encoding="utf-8") as fh:
        fh.write('{"type": "bundle", "id": ' + json.dumps(bundle_id) + ', "objects": [\n')
        first = True

        def emit(obj: Any) -> None:
            nonlocal first
            fh.write(("" if first else ",\n") + obj.serialize())
            first = False

        counts = build(records, emit)
        fh.write("\n]}\n")
    return dict(counts)


# the tie types khabar knows, as STIX relationship types (for a reader of the bundle)
RELATIONSHIP_TYPES = {t: relationship_type(t) for t in vocab()["tie_types"]}
