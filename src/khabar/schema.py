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
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "Actor",
    "Assertion",
    "Document",
    "Extraction",
    "Mention",
    "Source",
    "Tie",
    "vocab",
    "tie_types",
    "is_symmetric",
    "MODALITIES",
]


@functools.cache
def vocab() -> dict[str, Any]:
    """The shared vocabulary (tie types, modalities, event types, bands)."""
    text = resources.files("khabar.data").joinpath("vocab.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def tie_types() -> list[str]:
    return list(vocab()["tie_types"])


def is_symmetric(tie_type: str) -> bool:
    return bool(vocab()["tie_types"][tie_type]["symmetric"])


MODALITIES = ("asserted", "negated", "predicted")


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


@dataclass
class Extraction(Record):
    """What extraction found in one document."""

    doc_id: str
    actors: list[Actor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        return cls(
            doc_id=data["doc_id"],
            actors=[Actor.from_dict(a) for a in data.get("actors", [])],
            mentions=[Mention.from_dict(m) for m in data.get("mentions", [])],
            assertions=[Assertion.from_dict(a) for a in data.get("assertions", [])],
            sentences=[tuple(s) for s in data.get("sentences", [])],
        )
