"""The one place for khabar's records and vocabulary.

Every stage takes and returns these plain records (dataclasses that turn into and
from JSON-ready dicts), so a stage can run alone on JSON Lines and be tested
without the others. The controlled vocabularies (tie types, modalities, event
types, ICD 203 bands) are data in ``data/vocab.yaml``; this module only loads them.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Actor",
    "Assertion",
    "Document",
    "Event",
    "EventReport",
    "Extraction",
    "Judgment",
    "Place",
    "PlaceMention",
    "Mention",
    "Source",
    "Tie",
    "vocab",
    "date_key",
    "coarser",
    "PREC_RANK",
    "tie_types",
    "is_symmetric",
    "MODALITIES",
]


@functools.cache
def vocab() -> dict[str, Any]:
    """The shared vocabulary (tie types, modalities, event types, bands)."""
    from khabar.data import load_yaml

    return load_yaml("vocab.yaml")


def tie_types() -> list[str]:
    return list(vocab()["tie_types"])


def is_symmetric(tie_type: str) -> bool:
    return bool(vocab()["tie_types"][tie_type]["symmetric"])


MODALITIES = ("asserted", "negated", "predicted")

# Date precisions from finest to coarsest, and the season of each month.
PREC_RANK = {"day": 0, "month": 1, "season": 2, "year": 3}
_SEASON = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring",
           6: "summer", 7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}


def date_key(date: str | None, precision: str | None) -> tuple | None:
    """A partial ISO date cut to ``precision``, for comparing dates at a common precision."""
    if not date:
        return None
    parts = (date.split("-") + ["", ""])[:3]
    if precision == "year":
        return (parts[0],)
    if precision == "season":
        month = int(parts[1]) if parts[1].isdigit() else parts[1]
        return (parts[0], _SEASON.get(month, month))
    if precision == "month":
        return tuple(parts[:2])
    return tuple(parts)


def is_partial_date(text: str | None) -> bool:
    """Whether ``text`` is YYYY, YYYY-MM or YYYY-MM-DD naming a real day or month
    ("2021-13-45" and "9999-99-99" are not)."""
    import datetime

    parts = (text or "").split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return False
    if [len(p) for p in parts] != [4, 2, 2][: len(parts)]:
        return False
    try:
        datetime.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def coarser(a: str | None, b: str | None) -> str:
    """The coarser of two date precisions (None counts as day)."""
    a, b = a or "day", b or "day"
    return a if PREC_RANK.get(a, 0) >= PREC_RANK.get(b, 0) else b


class Record:
    """Mixin: JSON-ready dict conversion for the dataclass records."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Source(Record):
    """A publisher, outlet, channel or body, graded on the Admiralty scale."""

    name: str
    kind: str = "outlet"
    reliability: str = "F"


@dataclass
class Document(Record):
    """One text as ingested. ``id`` is the sha256 of the normalised text."""

    id: str
    text: str
    name: str = ""  # file name (or name inside a .jsonl) the document came from
    path: str = ""
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None  # partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD
    language: str = "en"
    duplicate_of: str | None = None  # id of the document this one repeats (near-duplicate)
    pages: list[int] | None = None  # where each page starts in ``text`` (a PDF), else None


@dataclass
class Actor(Record):
    """A group, state, agency, IGO, movement or outlet."""

    id: str
    name: str
    kind: str = "other"
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    country: str | None = None
    wikidata: str | None = None
    listed: bool = True  # False: found by NER only, not in the gazetteer


@dataclass
class Mention(Record):
    """A span of a document that names an actor."""

    doc_id: str
    start: int
    end: int
    surface: str
    actor_id: str
    score: float = 1.0
    via: str = "gazetteer"  # gazetteer | demonym | metonym | ner | coref
    role: str = ""  # syntactic role where the sentence was parsed (nsubj, dobj, pobj ...)


@dataclass
class Assertion(Record):
    """One piece of evidence for a tie, found in one sentence of one document."""

    doc_id: str
    subject: str
    type: str
    object: str
    modality: str = "asserted"
    attributed_to: str | None = None
    sentence: str = ""
    start: int = 0  # character offsets of the sentence in the document text
    end: int = 0
    trigger: str = ""
    time_scope: str | None = None
    rule: str = ""  # how it was found: verb, noun, modifier, prep, reciprocal, name
    score: float = 1.0  # confidence of the rule that found it


@dataclass
class Tie(Record):
    """The aggregate of assertions for one (subject, type, object)."""

    subject: str
    type: str
    object: str
    evidence: int = 0
    sources: int = 0  # independent sources
    documents: int = 0
    first_seen: str | None = None
    last_seen: str | None = None
    asserted: int = 0
    negated: int = 0
    predicted: int = 0
    contested: bool = False
    analyst: str | None = None  # "confirmed" | "rejected" when an analyst has said so
    credibility: int | None = None  # 1-6 (``analyze.credibility``) when read with the tie's figures
    credibility_reason: str = ""


@dataclass
class Place(Record):
    """A named place from the place gazetteer, with its admin hierarchy.

    ``precision`` is the geo precision of the conflict datasets: 1 a town, city,
    village or site; 2 a district (or "near" a town); 3 a province; 4 a country.
    """

    id: str
    name: str
    kind: str  # country | province | district | city | town | village | area | site | border
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None  # province / state / region name
    admin2: str | None = None  # district name
    lat: float | None = None
    lon: float | None = None
    precision: int = 4
    parent: str | None = None  # id of the enclosing place
    variants: list[str] = field(default_factory=list)


@dataclass
class PlaceMention(Record):
    """A span of a document that names a place of the place gazetteer."""

    doc_id: str
    start: int
    end: int
    surface: str
    place: str  # place id


@dataclass
class EventReport(Record):
    """One document's report of something that happened at a time.

    ``date`` is a partial ISO date at ``precision`` (``YYYY-MM-DD`` for a day,
    ``YYYY-MM`` for a month or season, ``YYYY`` for a year); ``date_start`` and
    ``date_end`` are the full days the expression covers (a range for "2002-2004",
    "in spring 2019" or "since May 1, 2021").
    """

    doc_id: str
    type: str  # one of vocab()["event_types"]
    actors: list[str] = field(default_factory=list)  # who did it (a claimant included)
    targets: list[str] = field(default_factory=list)
    claimed_by: list[str] = field(default_factory=list)
    date: str | None = None
    precision: str | None = None  # day | month | season | year
    date_start: str | None = None
    date_end: str | None = None
    date_text: str = ""
    place: str | None = None  # place id
    location: str | None = None  # place name
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    place_text: str = ""
    fatalities: int | None = None  # best estimate: the lowest figure stated
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    injured: int | None = None
    sentence: str = ""
    start: int = 0  # character offsets of the sentence in the document text
    end: int = 0
    trigger: str = ""
    modality: str = "asserted"


@dataclass
class Event(Record):
    """One event after merging every document's report of it."""

    id: str
    type: str
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    date: str | None = None
    precision: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    place: str | None = None
    location: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    injured: int | None = None
    reports: list[EventReport] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        event = super().from_dict(data)
        event.reports = [EventReport.from_dict(r) for r in data.get("reports", [])]
        return event


@dataclass
class Judgment(Record):
    """An attributed judgment about what is or will be: who says it, how sure, by when.

    ``speaker`` is a person or a body as the text names it; ``speaker_actor`` the actor
    the speaker speaks for where known; ``about`` the actors the judgment concerns.
    ``estimate`` is the words of estimative probability used and ``low``/``high`` the
    ICD 203 band they take (None where the text gives no such words); ``confidence``
    is an analytic confidence level stated apart from likelihood. ``due`` is the date by
    which the judgment resolves, from a horizon such as "within two years".
    """

    doc_id: str
    speaker: str
    text: str
    start: int = 0  # character offsets of ``text`` in the document
    end: int = 0
    speaker_kind: str = "person"  # person | body | publisher
    role: str | None = None
    speaker_actor: str | None = None
    about: list[str] = field(default_factory=list)
    estimate: str | None = None
    band: str | None = None
    low: float | None = None
    high: float | None = None
    confidence: str | None = None
    horizon: str | None = None
    due: str | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    via: str = ""  # how the speaker was found: lead, trailing, according, pronoun, quote, report, publisher


@dataclass
class Extraction(Record):
    """What extraction found in one document."""

    doc_id: str
    actors: list[Actor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    events: list[EventReport] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    judgments: list[Judgment] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    error: str | None = None  # why extraction failed for this document (nothing else is then set)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        return cls(
            doc_id=data["doc_id"],
            actors=[Actor.from_dict(a) for a in data.get("actors", [])],
            mentions=[Mention.from_dict(m) for m in data.get("mentions", [])],
            assertions=[Assertion.from_dict(a) for a in data.get("assertions", [])],
            events=[EventReport.from_dict(e) for e in data.get("events", [])],
            places=[PlaceMention.from_dict(p) for p in data.get("places", [])],
            judgments=[Judgment.from_dict(j) for j in data.get("judgments", [])],
            sentences=[tuple(s) for s in data.get("sentences", [])],
            error=data.get("error"),
        )
