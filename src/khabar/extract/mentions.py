"""Finding actor mentions: gazetteer names first (longest match wins), then the model's NER.

spaCy's small model cuts names like "Al-Qaeda in the Indian Subcontinent" short and
tags some persons as organisations, so the gazetteer's matches take precedence and
the model only adds organisations the gazetteer lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from khabar.extract.lexicon import LOCATIVE_PREPOSITIONS
from khabar.resolve.gazetteer import Gazetteer
from khabar.resolve.names import is_acronym, slug

__all__ = ["MentionFinder", "Found", "AGENT_NOUNS", "is_unlisted_actor_name"]

# Nouns that make a demonym or a capital stand for its state: "Chinese officials",
# "leaders in Beijing".
AGENT_NOUNS = {
    "official", "officials", "forces", "force", "troops", "government", "military", "army",
    "authorities", "diplomats", "leaders", "leader", "intelligence", "police", "administration",
    "jets", "drones", "drone", "soldiers", "navy", "embassy", "envoy", "delegation", "ministry",
    "security", "airstrikes", "strikes", "commandos", "negotiators", "state", "regime",
}
# A capital followed by one of these is a name for a process or place, not the state:
# "the Doha agreement", "the Moscow format".
_METONYM_NOT_ACTOR = {
    "agreement", "accord", "talks", "process", "deal", "format", "office", "meeting", "conference",
    "summit", "negotiations", "peace", "airport", "embassy", "declaration", "protocol", "university",
    "province", "district", "city", "based", "-",
}
_LOCATIVE = LOCATIVE_PREPOSITIONS | {"of", "over"}

# Names the model tags ORG that are not actors in ties: think tanks, universities,
# newspapers and broadcasters (they are sources), companies.
_NOT_ACTOR_WORDS = re.compile(
    r"\b(institute|university|college|school|centre|center|council|foundation|times|post|news|journal|"
    r"television|tv|press|magazine|review|herald|tribune|guardian|telegraph|gazette|daily|weekly|radio|"
    r"broadcasting|channel|telegram|twitter|facebook|whatsapp|youtube|inc|ltd|corp|company|bank|"
    r"advisory|consulting|intelligence group|program|programme|project|studies|research|senate|congress|"
    r"parliament|court|committee on|hospital|airport|twitter|cnn|bbc|reuters|bloomberg|afp|ap)\b",
    re.I,
)
_ORG_HEADS = re.compile(
    r"\b(group|front|movement|army|brigades?|battalions?|party|organi[sz]ation|network|jamaat|jamaat?|"
    r"lashkar|harakat|tehri[kq]|jaish|katiba|ansar|hizb|jund|mujahideen|militia|faction|emirate|"
    r"wilayat|province|state|coalition|alliance|union|league|forces|command|agency|ministry|service)\b",
    re.I,
)


def is_unlisted_actor_name(name: str) -> bool:
    """Whether an ORG name the model found can stand for an actor of this field."""
    if len(name) < 3 or len(name) > 80 or not any(c.isupper() for c in name):
        return False
    if _NOT_ACTOR_WORDS.search(name):
        return False
    return bool(_ORG_HEADS.search(name)) or (name.isupper() and 2 <= len(name) <= 6)


@dataclass
class Found:
    """A mention found in a spaCy doc (token offsets) before it becomes a record."""

    start: int  # token index
    end: int
    actor_id: str
    via: str  # gazetteer | demonym | metonym | ner


def _variants(alias: str) -> set[str]:
    out = {alias}
    out.add(alias.replace("-", " "))
    out.add(re.sub(r"['\u2019`]", "", alias))
    out.add(re.sub(r"['\u2019`]", "", alias).replace("-", " "))
    if alias.lower().startswith("the "):
        out.add(alias[4:])
    if re.search(r"[-\s][A-Z]$", alias):
        # "ISIS-K." at the end of a sentence: the tokenizer reads "K." as an initial
        out |= {v + "." for v in list(out)}
    return {re.sub(r"\s+", " ", v).strip() for v in out if v.strip()}


class MentionFinder:
    """Gazetteer-driven mention finder over spaCy docs."""

    def __init__(self, nlp, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.metonyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.demonyms: dict[str, str] = {}
        for entry in gazetteer.entries.values():
            exact, lower = [], []
            for name in entry.names():
                for v in _variants(name):
                    (exact if is_acronym(v) else lower).append(v)
            if exact:
                self.exact.add(entry.id, list(nlp.tokenizer.pipe(sorted(set(exact)))))
            if lower:
                self.lower.add(entry.id, list(nlp.tokenizer.pipe(sorted({v.lower() for v in lower}))))
            if entry.metonyms:
                self.metonyms.add(entry.id, list(nlp.tokenizer.pipe(entry.metonyms)))
            for d in entry.demonyms:
                self.demonyms.setdefault(d, entry.id)
        self.strings = nlp.vocab.strings

    def find(self, doc: Doc) -> list[Found]:
        """Gazetteer mentions in a tokenised doc, longest match first, no overlaps."""
        spans: list[Span] = []
        for matcher in (self.exact, self.lower):
            for match_id, s, e in matcher(doc):
                spans.append(Span(doc, s, e, label=match_id))
        for match_id, s, e in self.metonyms(doc):
            if self._acts(doc, s):
                spans.append(Span(doc, s, e, label=match_id))
        for tok in doc:
            actor = self.demonyms.get(tok.text)
            if actor and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in AGENT_NOUNS:
                spans.append(Span(doc, tok.i, tok.i + 1, label=actor))
        found = []
        for sp in filter_spans(spans):
            actor_id = self.strings[sp.label]
            via = "gazetteer"
            if sp.text in self.demonyms:
                via = "demonym"
            found.append(Found(sp.start, sp.end, actor_id, via))
        return found

    @staticmethod
    def _acts(doc: Doc, start: int) -> bool:
        """A capital stands for its state unless it is the place something is in or goes to,
        a dateline ("NAIROBI:", "Brussels —") or part of a name ("the Doha agreement")."""
        nxt = doc[start + 1] if start + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in _METONYM_NOT_ACTOR:
            return False
        line_start = start == 0 or "\n" in doc[start - 1].text_with_ws
        if line_start and nxt is not None and nxt.text in (":", "—", "-", "–", ","):
            return False
        if start == 0:
            return True
        prev = doc[start - 1]
        if prev.lower_ not in _LOCATIVE:
            return True
        return start >= 2 and doc[start - 2].lower_ in AGENT_NOUNS

    def unlisted(self, sent_doc: Doc, taken: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
        """ORG entities of a parsed doc that the gazetteer lacks: (start, end, id, name)."""
        out = []
        for ent in sent_doc.ents:
            if ent.label_ != "ORG":
                continue
            if any(s < ent.end and ent.start < e for s, e in taken):
                continue
            name = ent.text.strip()
            if name.lower().startswith("the "):
                name = name[4:]
            if not is_unlisted_actor_name(name):
                continue
            known = self.gazetteer.lookup(name)
            actor_id = known or "x-" + slug(name)
            out.append((ent.start, ent.end, actor_id, name))
        return out

