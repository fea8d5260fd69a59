"""Per-document extraction in the gold shape of shared/eval/GUIDE.md (``khabar-gold/1``).

Which actors a document "has": the guide lists an actor when the document says
something about what it does or how it relates to another actor. So groups,
agencies, IGOs and outlets named in the text are listed; a state or a state agency is listed when it
acts or is acted on (subject or object of a clause, object of a preposition that is not a
place's, one of a list, named through a demonym, a capital or its forces or government, or
party to a tie), not when it is only the place where something happens; an organisation the
gazetteer lacks is listed only when it is party to a tie. A state agency also acts
through its people ("NDS officials", "an FSB officer": the agency as a modifier). A
country the gazetteer marks as a theatre (Afghanistan, Syria, ...) is mostly the
territory a report is about: its bare name does not make it act, its government's
names ("Syrian government"), a demonym or a tie do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from khabar.extract.mentions import AGENT_NOUNS
from khabar.resolve.gazetteer import load_gazetteer
from khabar.resolve.names import norm_name
from khabar.schema import Document, Extraction, is_symmetric

__all__ = ["to_gold", "gold_actor_ids"]

_ACTING_ROLES = {"nsubj", "nsubjpass", "poss", "agent"}
# an agency named as the modifier of its people or units ("NDS officials", "the chief of the FSB")
_AGENCY_ROLES = _ACTING_ROLES | {"compound", "nmod"}
# a state is acted on or takes part as an object too ("recognised Russia", "talks with China",
# "Russia, China and Pakistan"); locative objects ("in Pakistan") have the role "place" instead
_STATE_ROLES = _ACTING_ROLES | {"dobj", "pobj", "conj", "dative"}
_ALWAYS = {"armed_group", "igo", "political_movement", "media_outlet"}


def _names_agents(mention) -> bool:
    """A state named by its government or forces ("Afghan forces", "the Pakistani
    authorities") acts wherever the name stands, even in a sentence left unparsed."""
    words = mention.surface.lower().split()
    return len(words) >= 2 and words[-1] in AGENT_NOUNS and mention.role != "place"


def gold_actor_ids(extraction: Extraction) -> list[str]:
    kinds = {a.id: a for a in extraction.actors}
    in_tie = {x for a in extraction.assertions for x in (a.subject, a.object)}
    gazetteer = load_gazetteer()
    named = defaultdict(list)
    for m in extraction.mentions:
        if m.via != "coref":
            named[m.actor_id].append(m)
    out = []
    for actor_id, ms in named.items():
        actor = kinds.get(actor_id)
        if actor is None:
            continue
        entry = gazetteer.entries.get(actor_id)
        if entry is not None and entry.theatre:
            bare = norm_name(actor.name)
            ms = [m for m in ms if m.via != "gazetteer" or norm_name(m.surface) != bare]
        roles = {"state_agency": _AGENCY_ROLES, "state": _STATE_ROLES}.get(actor.kind, _ACTING_ROLES)
        if not actor.listed:
            keep = actor_id in in_tie
        elif actor.kind in _ALWAYS:
            keep = True
        else:
            keep = actor_id in in_tie or any(
                m.role in roles or m.via in ("demonym", "metonym") or (actor.kind == "state" and _names_agents(m))
                for m in ms
            ) or (actor.kind == "state" and sum(m.role != "place" for m in ms) >= 2)
        if keep:
            out.append(actor_id)
    return out


def _relations(extraction: Extraction, keep: set[str]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    for a in extraction.assertions:
        if a.subject not in keep or a.object not in keep:
            continue
        s, o = a.subject, a.object
        if is_symmetric(a.type) and s > o:
            s, o = o, s
        groups[(s, a.type, o)].append(a)
    out = []
    for (_s, t, _o), items in groups.items():
        modality = Counter(a.modality for a in items)
        best = max(modality.items(), key=lambda kv: (kv[1], kv[0] == "asserted"))[0]
        ev = next(a for a in items if a.modality == best)
        out.append({"source": ev.subject, "type": t, "target": ev.object, "modality": best,
                    "evidence": ev.sentence, "evidence_count": len(items),
                    "rule": ev.rule, "trigger": ev.trigger})
    return out


def _events(extraction: Extraction) -> list[dict[str, Any]]:
    """Events as the guide has them: each done or suffered by an actor (an attack by
    unknown men on unnamed people stays in the store, where a later report may name them)."""
    return [{
        "type": e.type, "date": e.date, "precision": e.precision, "location": e.location, "country": e.country,
        "actors": e.actors, "targets": e.targets, "fatalities": e.fatalities, "evidence": e.sentence,
        "trigger": e.trigger, "date_text": e.date_text,
    } for e in extraction.events if e.actors or e.targets]


def to_gold(document: Document, extraction: Extraction) -> dict[str, Any]:
    """One gold-shaped line: doc, published, actors, relations, events, claims.

    An actor that does or suffers an event is listed (it acts), even when a person
    stood for it ("Biden vowed" lists the United States)."""
    gazetteer = load_gazetteer()
    listed = {a.id for a in extraction.actors
              if a.listed and not getattr(gazetteer.entries.get(a.id), "theatre", False)}
    # an organisation no list knows that only does an event is a source or a firm more often
    # than an actor ("SITE said", "according to the EPC"): it needs a tie, as above; so does a
    # theatre country (an event "in Afghanistan" is read as done to it)
    keep = set(gold_actor_ids(extraction)) | {
        x for e in extraction.events for x in e.actors + e.targets if x in listed}
    surfaces: dict[str, list[str]] = defaultdict(list)
    for m in extraction.mentions:
        if m.via != "coref" and m.surface not in surfaces[m.actor_id]:
            surfaces[m.actor_id].append(m.surface)
    actors = []
    for a in extraction.actors:
        if a.id not in keep:
            continue
        names = [a.name] + [s for s in surfaces[a.id] if s != a.name]
        actors.append({"id": a.id, "names": names, "kind": a.kind, "listed": a.listed})
    return {
        "doc": document.name or document.id,
        "published": document.published,
        "actors": actors,
        "relations": _relations(extraction, keep),
        "events": _events(extraction),
        "claims": [{
            "speaker": j.speaker, "role": j.role, "about": j.about, "text": j.text, "estimate": j.estimate,
            "probability": [j.low, j.high] if j.low is not None else None, "due": j.due, "via": j.via,
        } for j in extraction.judgments],
    }
