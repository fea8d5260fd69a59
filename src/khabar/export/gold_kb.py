"""The knowledge base as gold files (``khabar export --format gold``): one ``khabar-gold/1``
line per original document (shared/eval/GUIDE.md), with the analyst's work applied, so that
``khabar eval`` can score extraction against an analyst's corrected corpus and the
corrections can be learned from.

What a line holds, read from the store a document at a time (indexed by document):

* ``relations``: the document's assertions as the analyst left them (added, flipped,
  retyped, re-pointed; merged actors under the actor they were merged into), rejected
  evidence and rejected ties left out; one per (source, type, target), symmetric types in
  one order, the modality most of its sentences give, the clearest such sentence as evidence;
  ``analyst``: true when an analyst made or changed any of its evidence;
* ``events``: the document's event reports, each with its event's values where an analyst
  corrected that event (type, dates and precision, place, parties, fatalities), those an
  analyst added included; as the guide has them, only events done or suffered by an actor;
* ``actors``: those a relation or an event names, and the organisations the document names
  (groups, movements, international bodies, outlets); each with its name and the surfaces
  the document uses for it; persons stay out (the guide's rule);
* ``claims``: the document's attributed judgments (a judgment an analyst said is no
  forecast has no probability nor due date).

Per-document extraction (``khabar extract --format gold``, :mod:`khabar.export.gold`) decides
which states "act" from the parse of each sentence; the store keeps no parse, so here a
state or agency is listed when a relation or an event names it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from khabar import store
from khabar.export.base import Records
from khabar.schema import is_symmetric

__all__ = ["write_gold", "gold_lines", "GOLD_FORMAT"]

GOLD_FORMAT = "khabar-gold/1"
_ORGANISATIONS = {"armed_group", "igo", "political_movement", "media_outlet"}
_PAGE = 200  # documents read per query


def _relations(records: Records, doc_id: str) -> list[dict[str, Any]]:
    verdicts = records.analyst["verdicts"]
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for a in store.assertions(records.ws.conn, doc_id=doc_id):
        if verdicts.get(a["aid"]) == "rejected":
            continue
        s, o = records.merged(a["subject"]), records.merged(a["object"])
        if s == o:
            continue
        if is_symmetric(a["type"]) and s > o:
            s, o = o, s
        if verdicts.get(f"tie:{s}|{a['type']}|{o}") == "rejected":
            continue
        groups.setdefault((s, a["type"], o), []).append({**a, "source_id": s, "target_id": o})
    out = []
    for (s, t, o), items in groups.items():
        modality = Counter(a["modality"] for a in items)
        best = max(modality.items(), key=lambda kv: (kv[1], kv[0] == "asserted"))[0]
        ev = next(a for a in items if a["modality"] == best)
        out.append({"source": s, "type": t, "target": o, "modality": best, "evidence": ev["sentence"],
                    "evidence_count": len(items), "analyst": any(a.get("correction") is not None for a in items),
                    "trigger": ev.get("trigger") or ""})
    return out


def _events(records: Records, doc_id: str) -> list[dict[str, Any]]:
    conn = records.ws.conn
    reports = store.event_reports(conn, doc_id=doc_id)
    corrected_ids = sorted({r["event_id"] for r in reports if r.get("event_id")})
    corrected: dict[str, dict[str, Any]] = {}
    for k in range(0, len(corrected_ids), 500):
        chunk = corrected_ids[k:k + 500]
        for row in conn.execute(f"SELECT * FROM events WHERE id IN ({', '.join('?' for _ in chunk)}) "
                                "AND correction IS NOT NULL", chunk):
            corrected[row["id"]] = dict(row)
    out = []
    for r in reports:
        e = corrected.get(r.get("event_id") or "")
        src = r
        if e is not None:  # the analyst's values stand for every report of the event
            src = {**r, **{k: e[k] for k in ("type", "date", "precision", "location", "country", "fatalities")},
                   "actors": json.loads(e["actors"]), "targets": json.loads(e["targets"])}
        actors = list(dict.fromkeys(records.merged(x) for x in src["actors"]))
        targets = [x for x in dict.fromkeys(records.merged(x) for x in src["targets"]) if x not in actors]
        if not actors and not targets:
            continue
        out.append({"type": src["type"], "date": src["date"], "precision": src["precision"],
                    "location": src["location"], "country": src["country"], "actors": actors, "targets": targets,
                    "fatalities": src["fatalities"], "evidence": r["sentence"], "trigger": r.get("trigger") or "",
                    "date_text": r.get("date_text") or "",
                    "analyst": e is not None or r.get("correction") is not None})
    return out


def _claims(records: Records, doc_id: str) -> list[dict[str, Any]]:
    return [{"speaker": j["speaker"], "role": j.get("role"),
             "about": list(dict.fromkeys(records.merged(a) for a in j.get("about") or [])), "text": j["text"],
             "estimate": j.get("estimate"), "probability": [j["low"], j["high"]] if j.get("low") is not None else None,
             "due": j.get("due"), "via": j.get("via"), "analyst": j.get("correction") is not None}
            for j in store.judgments(records.ws.conn, doc_id=doc_id)]


def _actors(records: Records, doc_id: str, named: set[str], kinds: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    surfaces: dict[str, list[str]] = {}
    for m in store.mentions(records.ws.conn, doc_id=doc_id):
        if m["via"] == "coref":
            continue
        owner = records.merged(m["actor_id"])
        surfaces.setdefault(owner, [])
        if m["surface"] not in surfaces[owner]:
            surfaces[owner].append(m["surface"])
    keep = set(named) | {a for a in surfaces if (kinds.get(a) or {}).get("kind") in _ORGANISATIONS}
    out = []
    for actor_id in sorted(keep, key=lambda a: (a not in surfaces, a)):
        info = kinds.get(actor_id) or {"name": actor_id, "kind": "other", "listed": False}
        names = [info["name"], *(s for s in surfaces.get(actor_id, []) if s != info["name"])]
        out.append({"id": actor_id, "names": names, "kind": info["kind"], "listed": bool(info.get("listed")),
                    "analyst": info.get("correction") is not None})
    return out


def gold_lines(records: Records) -> Iterator[dict[str, Any]]:
    """One gold-shaped line per original document, oldest first (a page of documents read at a time)."""
    conn = records.ws.conn
    kinds = {a["id"]: a for a in store.actors(conn)}
    offset = 0
    while True:
        docs = store.documents(conn, limit=_PAGE, offset=offset)
        if not docs:
            return
        offset += len(docs)
        for d in docs:
            relations = _relations(records, d["id"])
            events = _events(records, d["id"])
            named = {x for r in relations for x in (r["source"], r["target"])}
            named |= {x for e in events for x in e["actors"] + e["targets"]}
            yield {"doc": d["name"] or d["id"], "published": d["published"],
                   "actors": _actors(records, d["id"], named, kinds), "relations": relations, "events": events,
                   "claims": _claims(records, d["id"])}


def write_gold(records: Records, path: str | Path) -> dict[str, int]:
    """Write the gold lines to ``path`` (JSON Lines); return how many documents, relations,
    events and claims, and how many of them carry the analyst's work."""
    counts = Counter()
    with Path(path).open("w", encoding="utf-8") as fh:
        for line in gold_lines(records):
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            counts["documents"] += 1
            for layer in ("relations", "events", "claims"):
                counts[layer] += len(line[layer])
                counts[f"analyst_{layer}"] += sum(bool(x.get("analyst")) for x in line[layer])
    return dict(counts)
