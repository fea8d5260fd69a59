"""Hostility read off the attacks a document reports.

The guide counts attacks as hostility (``hostile_to``: "fighting, attacks"), and a
document that reports "ISWAP claimed the ambush that killed 28 soldiers in Niger" says
that ISWAP is hostile to Niger without any sentence putting the two names in a relation
a parser could read. So every attack or killing the extraction found in a document gives
its doers a hostile tie to its targets, with the event's sentence as evidence:

* named targets: "IS-K fired rockets at an Uzbek base" (the target as the event found it);
* an attack with one doer and no named target is one on the state where it happened (its
  place, else the one country its sentence's places lie in), when that state is an actor
  of the document ("an attack on a hospital in the Pakistani city of Quetta", in an
  article that speaks of Pakistan), since a state's territory and
  people are what such an attack strikes. A state attacking abroad is not read so (a U.S.
  strike in Afghanistan is not hostility to the Afghan government), nor is a fight among
  several groups somewhere ("ISSP and JNIM fought battles across Mali").

A theatre country (``theatre`` in the gazetteer: Afghanistan, Syria, Iraq ...) is never a
target here: its bare name is the place fought over, and who holds it (a government, the
Taliban) is named apart.

Only reported events count, so the modality is always asserted (predicted or denied
attacks are not events). A pair that already has a hostile tie from the sentences gets
nothing more from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from khabar.schema import Assertion, EventReport

__all__ = ["event_ties", "HOSTILE_EVENTS", "NON_STATE_KINDS"]

HOSTILE_EVENTS = ("attack", "killing")
# who can be said to strike a state by attacking on its territory
NON_STATE_KINDS = ("armed_group", "political_movement")


def event_ties(doc_id: str, events: Iterable[EventReport], kind: Callable[[str], str | None],
               states: dict[str, str], present: set[str], related: Callable[[str, str], bool],
               theatre: Callable[[str], bool], existing: Iterable[Assertion] = (),
               places: Iterable[tuple[int, int, str | None]] = ()) -> list[Assertion]:
    """Hostile ties from the attacks and killings of one document.

    ``kind`` gives an actor's kind, ``states`` maps an ISO country code to its state's
    actor id, ``present`` holds the actors the document names, ``related`` says whether
    two actors are one body (a branch and its core, an agency and its state), ``theatre``
    whether a state is a theatre country; ``existing`` are the ties already found, which are
    not repeated; ``places`` the (start, end, country) of the places the text names, for an
    attack whose own place was not found (the country of the places its sentence names, when
    they all lie in one)."""
    places = list(places)
    have = {frozenset((a.subject, a.object)) for a in existing if a.type == "hostile_to"}
    events = list(events)
    # "X claimed the ambush that killed 28 soldiers in Niger": the place may have gone to
    # another report of the same sentence
    placed: dict[tuple[int, int], set[str]] = {}
    for e in events:
        if e.type in HOSTILE_EVENTS and e.country:
            placed.setdefault((e.start, e.end), set()).add(e.country)
    out: list[Assertion] = []
    for e in events:
        if e.type not in HOSTILE_EVENTS or not e.actors:
            continue
        targets = [t for t in e.targets if t not in e.actors and not theatre(t)]
        rule = f"event:{e.type}"
        if not targets and len(e.actors) == 1 and kind(e.actors[0]) in NON_STATE_KINDS:
            country = e.country
            if not country:
                near = placed.get((e.start, e.end)) or {c for a, b, c in places if e.start <= a and b <= e.end and c}
                country = next(iter(near)) if len(near) == 1 else None
            state = states.get(country or "")
            if state and state in present and not theatre(state):
                targets, rule = [state], f"event:{e.type}:place"
        for a in e.actors:
            for t in targets:
                pair = frozenset((a, t))
                if a == t or pair in have or related(a, t):
                    continue
                have.add(pair)
                out.append(Assertion(doc_id=doc_id, subject=a, type="hostile_to", object=t,
                                     sentence=e.sentence, start=e.start, end=e.end, trigger=e.trigger,
                                     rule=rule, score=0.6))
    return out
