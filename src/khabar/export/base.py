"""What every export reads: the knowledge base as plain records, with the analyst layer applied.

A format module (``khabar.export.stix``, ``.misp``, ``.ftm``, ``.graphs``, ...) gets one
:class:`Records` and writes what it needs from it; it never queries the store itself, so
every format shows the same actors, ties and events as the CLI and the web app:

* merged actors appear once, under the actor they were merged into (ties, events and
  judgments are re-pointed), with the analyst's aliases added;
* evidence an analyst rejected stops counting and, unless ``rejected=True``, is left
  out, as are ties the analyst rejected and ties left with no evidence;
* a tie carries the analyst's verdict (``confirmed``; ``rejected`` with ``rejected=True``).

The small tables (actors, places) are read once and kept; the big ones (ties with their
evidence, documents, events, judgments) are read a page at a time in SQL through the
``Workspace`` readers, and each iterator reads them again when iterated again.

Record shapes (plain dicts, JSON-ready): see :meth:`Records.actors`, :meth:`Records.ties`,
:meth:`Records.documents`, :meth:`Records.places`, :meth:`Records.events` and
:meth:`Records.judgments`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from khabar.store import documents as store_documents

if TYPE_CHECKING:
    from khabar.workspace import Workspace

__all__ = ["Records", "day_span", "PAGE", "ACTOR_FIELDS", "TIE_FIELDS", "EVIDENCE_FIELDS", "DOCUMENT_FIELDS",
           "PLACE_FIELDS", "EVENT_FIELDS", "JUDGMENT_FIELDS"]

PAGE = 2000  # rows read per query from the big tables (a page of judgments is sorted anew each time: few pages)

ACTOR_FIELDS = ("id", "name", "kind", "aliases", "parent", "country", "wikidata", "listed", "mentions",
                "documents")
TIE_FIELDS = ("subject", "type", "object", "subject_name", "object_name", "modality", "evidence", "sources",
              "documents", "first_seen", "last_seen", "asserted", "negated", "predicted", "credibility",
              "credibility_reason", "contested", "analyst", "source_names", "evidence_sentences")
EVIDENCE_FIELDS = ("id", "text", "doc_id", "source", "published", "title", "url", "start", "end", "modality",
                   "attributed_to", "reliability", "analyst")
DOCUMENT_FIELDS = ("id", "name", "title", "source", "url", "published", "language", "reliability")
PLACE_FIELDS = ("id", "name", "kind", "country", "admin1", "admin2", "lat", "lon", "precision", "parent")
EVENT_FIELDS = ("id", "type", "date_start", "date_end", "precision", "place", "location", "admin1", "admin2",
                "country", "lat", "lon", "geo_precision", "fatalities", "fatalities_low", "fatalities_high",
                "injured", "actors", "targets", "actor_names", "target_names", "documents", "sources",
                "credibility", "credibility_reason", "reports")
JUDGMENT_FIELDS = ("id", "speaker", "speaker_kind", "speaker_actor", "role", "text", "estimate", "band", "low", "high",
                   "confidence", "horizon", "due", "about", "outcome", "doc_id", "source", "published", "title",
                   "url", "start", "end", "reliability")


def day_span(text: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a partial ISO date ("2021" the year, "2021-08" the month,
    "2021-08-26" the day), or None when ``text`` is not one."""
    from khabar.analyze.activity import _partial_span

    return _partial_span(text)


def _dominant(tie: dict[str, Any]) -> str:
    """The modality most of a tie's evidence has (asserted wins a draw): what the tie "says"."""
    return max(("asserted", "negated", "predicted"), key=lambda m: (tie.get(m) or 0, m == "asserted"))


class Records:
    """The knowledge base of ``ws`` as records for one export.

    ``actor`` (id, name or alias) keeps the ties with the actor at either end, the events
    it is party to (``role``: "actor", "target" or "any") and the judgments about it;
    ``place``, ``types``, ``since`` and ``until`` filter events as ``Workspace.event_records``
    does. ``rejected``: keep what the analyst rejected (labelled) instead of leaving it out.
    """

    def __init__(self, ws: Workspace, *, actor: str | None = None, place: str | None = None,
                 types: str | Iterable[str] | None = None, since: str | None = None, until: str | None = None,
                 role: str = "any", rejected: bool = False, page: int = PAGE) -> None:
        ws.require_existing()
        self.ws = ws
        self.actor = ws.actor(actor)["id"] if actor else None
        self.event_filters: dict[str, Any] = {"actor": actor, "place": place, "types": types, "since": since,
                                              "until": until, "role": role}
        self.rejected = rejected
        self.page = max(1, int(page))
        self.analyst = ws._analyst()
        self.exported_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._actors: list[dict[str, Any]] | None = None
        self._places: list[dict[str, Any]] | None = None
        self._index: dict[str, dict[str, Any]] | None = None
        self._place_index: dict[str, dict[str, Any]] | None = None

    @property
    def created(self) -> dt.datetime:
        """When the knowledge base was first written (its first document's ingestion), or
        the export's time for an empty one: a "created" stamp that re-exports keep."""
        if not hasattr(self, "_created"):
            row = self.ws.conn.execute("SELECT MIN(ingested_at) FROM documents").fetchone()
            try:
                stamp = dt.datetime.fromisoformat(row[0]) if row and row[0] else self.exported_at
            except ValueError:
                stamp = self.exported_at
            self._created = (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
        return self._created

    # -- small tables, read once ------------------------------------------------------
    def merged(self, actor_id: str) -> str:
        """The actor ``actor_id`` is shown as (itself unless an analyst merged it)."""
        return self.ws._merged(actor_id, self.analyst["merges"])

    def actors(self) -> list[dict[str, Any]]:
        """Every actor found in the corpus (merged-away ones folded into theirs), most
        mentioned first: ``id, name, kind, aliases`` (the gazetteer's, the analyst's and the
        surfaces seen, as one list without the name), ``parent`` (merged), ``country``
        (ISO2), ``wikidata``, ``listed`` (in the gazetteer), ``mentions``, ``documents``.
        Any tie or event end not mentioned anywhere is added, so every reference resolves."""
        if self._actors is None:
            from khabar import store

            out = {a["id"]: self._actor(a) for a in self.ws.actor_records()}
            parents = {a["parent"] for a in out.values() if a["parent"]} - set(out)
            for a in store.actors(self.ws.conn) if parents else ():  # parents not mentioned themselves
                if a["id"] in parents:
                    out[a["id"]] = self._actor(a)
            self._actors = list(out.values())
        return self._actors

    def _actor(self, a: dict[str, Any]) -> dict[str, Any]:
        names = [*a.get("aliases", []), *self.analyst["aliases"].get(a["id"], []), *a.get("surfaces", [])]
        aliases = [n for n in dict.fromkeys(" ".join(str(n).split()) for n in names) if n and n != a["name"]]
        parent = self.merged(a["parent"]) if a.get("parent") else None
        return {"id": a["id"], "name": a["name"], "kind": a.get("kind") or "other", "aliases": aliases,
                "parent": parent if parent != a["id"] else None, "country": a.get("country"),
                "wikidata": a.get("wikidata"), "listed": bool(a.get("listed", True)),
                "mentions": int(a.get("mentions") or 0), "documents": int(a.get("documents") or 0)}

    def actor_index(self) -> dict[str, dict[str, Any]]:
        """``actors()`` by id (kept up to date as actors are added)."""
        if self._index is None or len(self._index) != len(self.actors()):
            self._index = {a["id"]: a for a in self.actors()}
        return self._index

    def ensure_actor(self, actor_id: str) -> dict[str, Any]:
        """The record of ``actor_id`` (merged), read and added to ``actors()`` if a tie or an
        event names an actor no mention counted (e.g. after a merge or a re-extraction)."""
        from khabar import store

        actor_id = self.merged(actor_id)
        index = self.actor_index()
        if actor_id not in index:
            row = store.actor(self.ws.conn, actor_id) if actor_id else None
            record = self._actor(row) if row and row["id"] == actor_id else {
                "id": actor_id, "name": actor_id, "kind": "other", "aliases": [], "parent": None, "country": None,
                "wikidata": None, "listed": False, "mentions": 0, "documents": 0}
            self.actors().append(record)
            return record
        return index[actor_id]

    def places(self) -> list[dict[str, Any]]:
        """The places the documents name or events happen at, from the place gazetteer:
        ``id, name, kind, country, admin1, admin2, lat, lon, precision, parent``."""
        if self._places is None:
            from khabar.resolve.places import load_places

            gazetteer = load_places()
            ids = [r[0] for r in self.ws.conn.execute(
                "SELECT DISTINCT place FROM place_mentions WHERE place IS NOT NULL ORDER BY place")]
            out: dict[str, dict[str, Any]] = {}
            for pid in ids:
                place = gazetteer.get(pid)
                if place is not None:
                    out[pid] = {k: getattr(place, k) for k in PLACE_FIELDS}
            self._places = list(out.values())
        return self._places

    def place(self, place_id: str | None) -> dict[str, Any] | None:
        """One place's record (added to ``places()`` when only an event named it)."""
        if not place_id:
            return None
        places = self.places()
        if self._place_index is None or len(self._place_index) != len(places):
            self._place_index = {p["id"]: p for p in places}
        if place_id in self._place_index:
            return self._place_index[place_id]
        from khabar.resolve.places import load_places

        found = load_places().get(place_id)
        if found is None:
            return None
        record = {k: getattr(found, k) for k in PLACE_FIELDS}
        places.append(record)
        self._place_index[place_id] = record
        return record

    # -- big tables, a page at a time --------------------------------------------------
    def ties(self) -> Iterator[dict[str, Any]]:
        """Ties, best evidenced first: ``subject, type, object`` (merged ids), their names,
        ``modality`` (what most evidence says: asserted, negated, predicted), the figures
        (``evidence`` sentences, independent ``sources``, ``documents``, ``first_seen``,
        ``last_seen``, ``asserted``/``negated``/``predicted``, ``credibility`` 1-6 and its
        reason, ``contested``), the ``analyst`` verdict, ``source_names``, and
        ``evidence_sentences``: one record per sentence (``id`` the assertion id, ``text``,
        ``doc_id``, ``source``, ``published``, ``title``, ``url``, ``start``/``end``
        character offsets in the document, ``modality``, ``attributed_to``, ``reliability``,
        ``analyst``)."""
        from khabar.analyze.credibility import tie_credibility

        names = {a["id"]: a["name"] for a in self.actors()}
        for tie, items in self._tie_pages():
            if tie.analyst == "rejected" and not self.rejected:
                continue
            kept = [a for a in items if self.rejected or a.get("analyst") != "rejected"]
            if not kept or not tie.evidence and not self.rejected:
                continue
            d = tie.to_dict()
            if tie.credibility is None:
                cred = tie_credibility([a for a in items if a.get("analyst") != "rejected"], self.ws.sources)
                d["credibility"], d["credibility_reason"] = cred.rating, cred.reason
            for end in (tie.subject, tie.object):
                if end not in names:
                    names[end] = self.ensure_actor(end)["name"]
            d["subject_name"], d["object_name"] = names[tie.subject], names[tie.object]
            d["modality"] = _dominant(d)
            d["contested"] = bool(d.get("contested"))
            d["evidence_sentences"] = [self._evidence(a) for a in kept]
            d["source_names"] = sorted({a["source"] for a in d["evidence_sentences"] if a.get("source")})
            yield {k: d.get(k) for k in TIE_FIELDS}

    def _tie_pages(self) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
        """``Workspace.tie_records`` a page at a time. With an analyst merge in force the
        ties of merged actors must be counted together, so they are read in one call."""
        if self.analyst["merges"]:
            yield from self.ws.tie_records(self.actor, evidence=True)
            return
        offset = 0
        while True:
            batch = self.ws.tie_records(self.actor, limit=self.page, offset=offset, evidence=True)
            yield from batch
            if len(batch) < self.page:
                return
            offset += self.page

    @staticmethod
    def _evidence(a: dict[str, Any]) -> dict[str, Any]:
        return {"id": a.get("aid"), "text": a.get("sentence") or "", "doc_id": a.get("doc_id"),
                "source": a.get("source"), "published": a.get("published"), "title": a.get("title"),
                "url": a.get("url"), "start": a.get("start"), "end": a.get("end"),
                "modality": a.get("modality"), "attributed_to": a.get("attributed_to"),
                "reliability": a.get("reliability"), "analyst": a.get("analyst")}

    def documents(self) -> Iterator[dict[str, Any]]:
        """Original documents (near-duplicates left out), oldest first: ``id, name, title,
        source, url, published, language, reliability`` (the source's grade A-F)."""
        grades = {r[0]: r[1] for r in self.ws.conn.execute("SELECT name, reliability FROM sources")}
        offset = 0
        while True:
            batch = store_documents(self.ws.conn, limit=self.page, offset=offset)
            for d in batch:
                yield {**{k: d.get(k) for k in DOCUMENT_FIELDS}, "reliability": grades.get(d.get("source"))}
            if len(batch) < self.page:
                return
            offset += self.page

    def events(self) -> Iterator[dict[str, Any]]:
        """Events (reports merged across documents), oldest first, filtered as asked: the
        event's fields (dates, place id and names, ``country`` ISO2, coordinates,
        fatalities), ``actors``/``targets`` (merged ids) and their names, ``documents``,
        ``sources``, ``credibility``, and ``reports``: one per report (``doc_id``, ``text``
        the sentence, ``start``/``end``, ``source``, ``published``, ``title``, ``url``)."""
        offset = 0
        while True:
            batch = self.ws.event_records(**self.event_filters, limit=self.page, offset=offset)
            for e in self.ws._named_events(batch):
                for x in (*e.get("actors", []), *e.get("targets", [])):
                    self.ensure_actor(x)
                e["reports"] = [{"doc_id": r.get("doc_id"), "text": r.get("sentence") or "",
                                 "start": r.get("start"), "end": r.get("end"), "source": r.get("source"),
                                 "published": r.get("published"), "title": r.get("title"), "url": r.get("url"),
                                 "modality": r.get("modality")} for r in e.get("reports", [])]
                yield {k: e.get(k) for k in EVENT_FIELDS}
            if len(batch) < self.page:
                return
            offset += self.page

    def judgments(self) -> Iterator[dict[str, Any]]:
        """Attributed judgments, oldest first: ``speaker`` (and ``speaker_actor``, merged;
        ``speaker_kind``: person, group, body or publisher),
        ``role``, ``text``, ``estimate`` (the estimative words), ``band`` (ICD 203),
        ``low``/``high`` (the band's probabilities), ``confidence``, ``horizon``, ``due``,
        ``about`` (merged actor ids), ``outcome`` (1, 0 or None), the document's fields and
        ``start``/``end`` offsets of the text."""
        offset = 0
        while True:
            batch = self.ws.judgment_records(about=self.actor, limit=self.page, offset=offset)
            for j in batch:
                j = dict(j)
                j["about"] = list(dict.fromkeys(self.merged(a) for a in j.get("about") or []))
                if j.get("speaker_actor"):
                    j["speaker_actor"] = self.merged(j["speaker_actor"])
                yield {k: j.get(k) for k in JUDGMENT_FIELDS}
            if len(batch) < self.page:
                return
            offset += self.page
