"""The trigger lexicon (``data/triggers.yaml``) and the small word lists of modality."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from khabar.data import load_yaml
from khabar.schema import tie_types

__all__ = ["Trigger", "Lexicon", "load_lexicon", "NEGATORS", "FUTURE_AUX", "SPEECH_VERBS", "ANAPHOR_NOUNS",
           "PRONOUNS"]


@dataclass(frozen=True)
class Trigger:
    word: str
    type: str
    pos: str  # verb | noun | modifier | prep
    poss: str = "subject"
    of: str = "object"
    compound: str = "subject"
    needs: tuple[str, ...] = ()
    needs_head: tuple[str, ...] = ()
    passive_only: bool = False
    invert_passive: bool = False  # "ISK was formed by defectors from X": the passive subject is the tie's subject
    skip: bool = False
    reciprocal: bool = False  # "X and Y <word>" ties X to Y: "remain closely aligned", "held talks"
    mutual: bool = False  # "X and Y fought" (no one else fought): X and Y fought each other


@dataclass
class Lexicon:
    verbs: dict[str, Trigger] = field(default_factory=dict)
    nouns: dict[str, Trigger] = field(default_factory=dict)
    modifiers: dict[str, Trigger] = field(default_factory=dict)
    prepositions: dict[str, Trigger] = field(default_factory=dict)
    qualifiers: dict[str, str] = field(default_factory=dict)  # adjective -> the type it gives a relation noun

    def __len__(self) -> int:
        return len(self.verbs) + len(self.nouns) + len(self.modifiers) + len(self.prepositions)


def _triggers(section: dict, pos: str, known: set[str]) -> dict[str, Trigger]:
    out = {}
    for word, spec in (section or {}).items():
        if spec["type"] not in known:
            raise ValueError(f"triggers.yaml: {word!r} has unknown tie type {spec['type']!r}")
        out[str(word)] = Trigger(
            word=str(word),
            type=spec["type"],
            pos=pos,
            poss=spec.get("poss", "subject"),
            of=spec.get("of", "object"),
            compound=spec.get("compound", "subject"),
            needs=tuple(spec.get("needs", ())),
            needs_head=tuple(spec.get("needs_head", ())),
            passive_only=bool(spec.get("passive_only", False)),
            invert_passive=bool(spec.get("invert_passive", False)),
            skip=bool(spec.get("skip", False)),
            reciprocal=bool(spec.get("reciprocal", False)),
            mutual=bool(spec.get("mutual", False)),
        )
    return out


@functools.cache
def load_lexicon() -> Lexicon:
    """The bundled trigger lexicon."""
    data = load_yaml("triggers.yaml")  # libyaml's safe loader
    known = set(tie_types())
    return Lexicon(
        verbs=_triggers(data.get("verbs"), "verb", known),
        nouns=_triggers(data.get("nouns"), "noun", known),
        modifiers=_triggers(data.get("modifiers"), "modifier", known),
        prepositions=_triggers(data.get("prepositions"), "prep", known),
        qualifiers=_qualifiers(data.get("qualifiers"), known),
    )


def _qualifiers(section: dict | None, known: set[str]) -> dict[str, str]:
    out = {}
    for word, tie_type in (section or {}).items():
        if tie_type not in known:
            raise ValueError(f"triggers.yaml: qualifier {word!r} has unknown tie type {tie_type!r}")
        out[str(word)] = str(tie_type)
    return out


# Cue words of the tie scorer's features (features.py). Modality itself is decided from
# data/modality.yaml (extract/modality.py); these two sets are the model's own inputs, kept
# as they were when the shipped model was trained: changing them needs tools/train_ties.py.
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without", "nothing", "none"}
FUTURE_AUX = {"will", "would", "shall", "could", "may", "might", "can", "'ll", "wo", "ca"}
SPEECH_VERBS = {
    "say", "tell", "argue", "note", "add", "believe", "claim", "assert", "warn", "state", "write",
    "explain", "confirm", "report", "insist", "reply", "conclude", "predict", "expect", "think",
    "assess", "estimate", "acknowledge", "announce", "contend", "suggest", "allege",
}
# Prepositions after which a country or capital is a place, not an actor ("attacks in Pakistan").
LOCATIVE_PREPOSITIONS = {"in", "into", "from", "across", "to", "throughout", "inside", "within", "on", "at",
                         "near", "toward", "towards", "around", "outside", "through", "beyond"}
ANAPHOR_NOUNS = {"group", "movement", "organization", "organisation", "network", "outfit", "militia"}
PRONOUNS = {"it", "its", "they", "their", "them", "itself", "themselves"}
# "these groups", "both organisations", "the two affiliates": a plural noun after one of
# PLURAL_DETERMINERS stands for the actors just listed together (``coref.resolve_plurals``).
PLURAL_ANAPHOR_NOUNS = {"groups", "organizations", "organisations", "movements", "networks", "outfits",
                        "militias", "affiliates", "factions", "branches", "allies"}
PLURAL_DETERMINERS = {"these", "those", "both", "two"}
