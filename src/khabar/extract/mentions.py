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
from khabar.resolve.names import HYPHENS, NameWords, is_acronym, name_key, slug, token_key

__all__ = ["MentionFinder", "VariantIndex", "Found", "AGENT_NOUNS", "is_unlisted_actor_name"]

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
# "Iranian-backed", "a Russian-Turkish brokered truce": the state acts ("Kazakh-led" groups are
# led by Kazakhs, not by Kazakhstan)
_AGENT_PARTICIPLES = {"backed", "brokered", "sponsored", "mediated", "funded", "supported", "trained"}
_LIST_JOINERS = {",", "and", "or", "-", "/", "\u2013"}
_ABBREVIATION = re.compile(r"^(?:[A-Z]\.){2,3}$|^[A-Z]{2,3}$")  # "U.S.", "UK" in a list of demonyms
# An acronym a text defines in brackets after a name: "Hizb-ul-Ahrar (HuA)", "(ISSP)".
_DEFINED = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z]{2,7}$")

# Names the model tags ORG that are not actors in ties: think tanks, universities,
# newspapers and broadcasters (they are sources), companies.
_NOT_ACTOR_WORDS = re.compile(
    r"\b(institute|university|college|school|centre|center|council|foundation|times|post|news|journal|"
    r"television|tv|press|magazine|review|herald|tribune|guardian|telegraph|gazette|daily|weekly|radio|"
    r"broadcasting|channel|telegram|twitter|facebook|whatsapp|youtube|inc|ltd|corp|company|bank|"
    r"advisory|consulting|intelligence group|program|programme|project|studies|research|senate|congress|"
    r"parliament|court|committee on|hospital|airport|twitter|cnn|bbc|reuters|bloomberg|afp|ap|"
    # designations and projects, not bodies: "the FTO designation", "an SDGT", "the CPEC corridor"
    r"ftos?|sdgts?|sdn|corridor|cpec)\b",
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
    if _ORG_HEADS.fullmatch(name):
        return False  # "Army", "Movement": a head noun without the name it heads
    return bool(_ORG_HEADS.search(name)) or (name.isupper() and 2 <= len(name) <= 6)


@dataclass
class Found:
    """A mention found in a spaCy doc (token offsets) before it becomes a record."""

    start: int  # token index
    end: int
    actor_id: str
    via: str  # gazetteer | demonym | metonym | ner


# One-word acronyms with a lowercase letter inside, which texts also write in capitals.
_MIXED_ACRONYM = re.compile(r"^(?=[A-Za-z]*[a-z])(?=(?:[a-z]*[A-Z]){2})[A-Za-z]{3,5}$")
# ... unless the capitals spell a word a headline may print: "LET", "HAD".
_CAPITAL_WORDS = {"LET", "HAD", "HAS", "HIS", "HER", "ITS", "WAS", "CAN", "MAY", "NOT", "AND", "BUT", "FOR",
                  "THE", "ARE", "OUR", "OUT", "WAR", "MEN", "NEW", "OLD", "NOW", "TOP", "ISIS"}


def _variants(alias: str) -> set[str]:
    out = {alias}
    out.add(alias.replace("-", " "))
    out.add(re.sub(r"['\u2019`]", "", alias))
    out.add(re.sub(r"['\u2019`]", "", alias).replace("-", " "))
    if alias.lower().startswith("the "):
        out.add(alias[4:])
    if _MIXED_ACRONYM.match(alias) and alias.upper() not in _CAPITAL_WORDS:
        out.add(alias.upper())  # "JeM" written "JEM", "JuA" written "JUA"
    if _MIXED_ACRONYM.match(alias):
        out.add(alias + ".")  # "... designation of LeT." : the tokenizer keeps the full stop
    if re.search(r"[-\s][A-Z]$", alias):
        # "ISIS-K." at the end of a sentence: the tokenizer reads "K." as an initial
        out |= {v + "." for v in list(out)}
    return {re.sub(r"\s+", " ", v).strip() for v in out if v.strip()}


def _spoken(alias: str) -> str | None:
    """An acronym of four or more letters as British papers write it, as a word ("Nato",
    "Isis", "Centcom", "Isis-K"); matched case-sensitively like the acronym itself."""
    words = re.split(r"([\s\-]+)", alias)
    out = "".join(w.capitalize() if w.isascii() and w.isalpha() and w.isupper() and len(w) >= 4 else w
                  for w in words)
    return out if out != alias else None


class VariantIndex:
    """Multi-word names under their spelling-folded key (``names.name_key``), so that one
    listed spelling finds "Jaish e Mohammad", "Jaish-e-Muhammad" and "Jaish Mohammed".

    One-word names stay with the phrase matchers: folding them would find common words.
    Acronyms inside a name ("ISIS Khurasan") are kept as written, case-sensitively.
    A key that two actors share is dropped (ambiguous)."""

    MAX_TOKENS = 16

    def __init__(self, nlp, gazetteer: Gazetteer) -> None:
        self.small = NameWords.load()
        names = [(e.id, n) for e in gazetteer.entries.values() for n in e.names()]
        owners: dict[tuple[str, ...], set[str]] = {}
        for (actor_id, _), doc in zip(names, nlp.tokenizer.pipe(n for _, n in names), strict=True):
            key = self.key(doc, 0, len(doc))
            if len(key) >= 2:
                owners.setdefault(key, set()).add(actor_id)
        self.clashes = {k: v for k, v in owners.items() if len(v) > 1}
        self.index = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}
        self.prefixes = {k[:i] for k in self.index for i in range(1, len(k) + 1)}

    @staticmethod
    def _hyphen_next(doc: Doc, j: int) -> bool:
        return not doc[j].whitespace_ and j + 1 < len(doc) and doc[j + 1].text in HYPHENS

    def _skip(self, doc: Doc, j: int) -> bool:
        return self.small.skip(doc[j].text, self._hyphen_next(doc, j))

    def key(self, doc: Doc, start: int, end: int) -> tuple[str, ...]:
        return name_key([(doc[j].text, self._hyphen_next(doc, j)) for j in range(start, end)], self.small)

    def _article(self, text: str) -> bool:
        low = text.lower()
        return low in self.small.articles or low in self.small.hyphenated

    def find(self, doc: Doc) -> list[Span]:
        out = []
        firsts = self.prefixes
        for tok in doc:
            text = tok.text
            if not text[:1].isalpha():
                continue
            i = tok.i
            if not (self._article(text) and self._skip(doc, i)) and not (
                    text[0].isupper() and (token_key(text),) in firsts):
                continue
            parts: list[str] = []
            best = None
            for j in range(i, min(len(doc), i + self.MAX_TOKENS)):
                t = doc[j]
                if "\n" in t.text or (j > i and "\n" in doc[j - 1].whitespace_):
                    break
                if self._skip(doc, j):
                    continue
                if not parts and not t.text[:1].isupper():
                    break
                parts.append(token_key(t.text))
                key = tuple(parts)
                if key not in firsts:
                    break
                if key in self.index:
                    best = (j + 1, self.index[key])
            if best:
                out.append(Span(doc, i, best[0], label=best[1]))
        return out


class MentionFinder:
    """Gazetteer-driven mention finder over spaCy docs."""

    def __init__(self, nlp, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.metonyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.demonyms: dict[str, str] = {}
        # a capital standing for whoever governs from it, by date: place -> [(since, until, actor)]
        self.seats: dict[str, list[tuple[str, str, str]]] = {}
        self.seat_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for entry in gazetteer.entries.values():
            exact, lower = [], []
            for name in entry.names():
                for v in _variants(name):
                    (exact if is_acronym(v) else lower).append(v)
                spoken = _spoken(name)
                if spoken:
                    exact.extend(_variants(spoken))
            if exact:
                self.exact.add(entry.id, list(nlp.tokenizer.pipe(sorted(set(exact)))))
            if lower:
                self.lower.add(entry.id, list(nlp.tokenizer.pipe(sorted({v.lower() for v in lower}))))
            if entry.metonyms:
                self.metonyms.add(entry.id, list(nlp.tokenizer.pipe(entry.metonyms)))
            for d in entry.demonyms:
                self.demonyms.setdefault(d, entry.id)
            for g in entry.governs_from:
                self.seats.setdefault(g["place"], []).append((g["since"], g["until"], entry.id))
        for place in self.seats:
            self.seat_matcher.add(place, [nlp.make_doc(place)])
        self.variants = VariantIndex(nlp, gazetteer)
        self.strings = nlp.vocab.strings

    def find(self, doc: Doc, published: str | None = None) -> list[Found]:
        """Gazetteer mentions in a tokenised doc, longest match first, no overlaps. A capital
        that stands for whoever governs from it is read only when ``published`` is known."""
        spans: list[Span] = []
        for matcher in (self.exact, self.lower):
            for match_id, s, e in matcher(doc):
                spans.append(Span(doc, s, e, label=match_id))
        spans.extend(self.variants.find(doc))
        for match_id, s, e in self.metonyms(doc):
            if self._acts(doc, s):
                spans.append(Span(doc, s, e, label=match_id))
        if published and self.seats:
            for match_id, s, e in self.seat_matcher(doc):
                actor = self.governing(self.strings[match_id], published)
                if actor and self._acts(doc, s):
                    spans.append(Span(doc, s, e, label=actor))
        for tok in doc:
            actor = self.demonyms.get(tok.text)
            if actor and self._demonym_acts(doc, tok.i + 1):
                spans.append(Span(doc, tok.i, tok.i + 1, label=actor))
        found = []
        for sp in filter_spans(spans):
            actor_id = self.strings[sp.label]
            via = "gazetteer"
            if sp.text in self.demonyms:
                via = "demonym"
            found.append(Found(sp.start, sp.end, actor_id, via))
        return self._defined_acronyms(doc, found)

    @staticmethod
    def _defined_acronyms(doc: Doc, found: list[Found]) -> list[Found]:
        """Acronyms the text defines after a name ("Hizb-ul-Ahrar (HuA)") name that actor
        wherever they stand alone in the document, before the definition too, and over a
        gazetteer's reading of the same letters: "the Islamic State of Iraq (ISI)" makes ISI
        that group in this text, not Pakistan's intelligence service."""
        defined: dict[str, str] = {}
        for f in found:
            if f.end + 2 < len(doc) and doc[f.end].text == "(" and doc[f.end + 2].text == ")" \
                    and _DEFINED.match(doc[f.end + 1].text) and f.end - f.start >= 2:
                defined.setdefault(doc[f.end + 1].text, f.actor_id)
        if not defined:
            return found
        by_start = {f.start: f for f in found}
        covered = {i for f in found for i in range(f.start, f.end)}
        for tok in doc:
            actor = defined.get(tok.text)
            if actor is None:
                continue
            if tok.i not in covered:
                by_start[tok.i] = Found(tok.i, tok.i + 1, actor, "acronym")
            elif tok.i in by_start and by_start[tok.i].end == tok.i + 1:
                by_start[tok.i] = Found(tok.i, tok.i + 1, actor, "acronym")
        return [by_start[k] for k in sorted(by_start)]

    def governing(self, place: str, on: str) -> str | None:
        """Who governs from ``place`` on the date ``on`` (ISO, any precision): the one listed
        actor whose time there covers it (none when a coarse date spans a change of hands)."""
        found = {actor for since, until, actor in self.seats.get(place, ())
                 if (not since or on >= since[: len(on)]) and (not until or on <= until[: len(on)])}
        return found.pop() if len(found) == 1 else None

    def _demonym_acts(self, doc: Doc, j: int) -> bool:
        """A demonym names its state before an agent noun ("Chinese officials"), also through
        a list of them ("French, U.S. and U.N. forces") or a hyphen ("Iranian-backed", "the
        Russian-Turkish brokered ceasefire")."""
        for k in range(j, min(len(doc), j + 8)):
            tok = doc[k]
            if tok.lower_ in AGENT_NOUNS or tok.lower_ in _AGENT_PARTICIPLES:
                return True
            if not (tok.text in _LIST_JOINERS or tok.text in self.demonyms or _ABBREVIATION.match(tok.text)):
                return False
        return False

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
            if re.match(r"(?i)an? ", name):
                continue  # "a Foreign Terrorist Organisation": a description, not a name
            if not is_unlisted_actor_name(name):
                continue
            known = self.gazetteer.lookup(name)
            actor_id = known or "x-" + slug(name)
            out.append((ent.start, ent.end, actor_id, name))
        return out

