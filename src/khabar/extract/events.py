"""Events from parsed sentences: a trigger word, its actors and targets, a date, a place.

The seven event types of ``vocab.yaml`` are found from trigger lemmas
(``data/events.yaml``) in a sentence the parser has read with actor names replaced by
placeholders (see ``pipeline``). For each trigger:

* **arguments** come from the dependency tree: the subject (or ``by`` agent, possessor,
  compound or demonym: "Chinese officials met", "the Taliban's conquest", "ISIS
  attack") does the event; the object (or ``on``/``against``/``into``, a passive
  subject) is its target; ``with`` adds a party to meetings and agreements. An event
  noun borrows the subject of its light verb ("AQAP issued a statement", "carried out
  an attack"). A claim of responsibility ("for which the Taliban claimed
  responsibility") makes the claimant an actor; an unclaimed attack keeps its actors
  empty rather than guessed.
* **date**: only events the text dates count. The date must hang from the trigger or
  from the clause that governs it (not from a clause introduced by "after", "before" or
  "since", nor from a noun the trigger only describes). Open-ended and multi-year
  vague ranges are not event dates. A statement in the present perfect ("has issued")
  without a date is dated to the month of publication.
* **modality**: predicted, conditional and negated triggers are not events.
* **place**: the most specific place attached to the trigger or its clause by a
  locative preposition ("in", "at", "near" …), else, for events that happen somewhere
  (not statements), the most specific place in the sentence.
* **fatalities** of attacks and killings come from ``fatalities.parse_casualties``.

Reports of one event within one document are merged by ``merge_in_document``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from khabar.data import load_yaml
from khabar.extract.dates import DateValue, find_dates
from khabar.extract.events_context import REPORTED, attribute_claims, dedupe, from_context, month_end
from khabar.extract.fatalities import WEEKDAYS, parse_casualties
from khabar.extract.lexicon import LOCATIVE_PREPOSITIONS
from khabar.extract.modality import modality_of
from khabar.extract.nlp import PLACEHOLDER_WORDS
from khabar.extract.ties import _anchor, is_place
from khabar.resolve.events import parties, places_agree
from khabar.resolve.places import Places
from khabar.schema import PREC_RANK, EventReport, Place, coarser, date_key, vocab

__all__ = ["EventLexicon", "EventFinder", "from_context", "load_event_lexicon", "merge_in_document",
           ]

_CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "csubj", "pcomp"}
_ARGUMENT_DEPS = {"dobj", "attr"}  # objects: a subject event is the same one ("the report in June said")
_TEMPORAL_MARKS = {"after", "before", "since", "until", "till", "once", "following", "prior", "while"}
_SUBJECT = {"nsubj", "csubj"}
_TARGET_PREPS = {"on", "against", "into", "at", "upon", "targeting", "toward", "towards"}
_PARTY_PREPS = {"with", "between", "among"}
_NEAR = {"near", "outside", "around", "close"}
_MAX_YEARS = 3  # a vaguer range ("the 1990s", "over the past decades") is not an event date
_CARRY_TYPES = {"attack", "takeover", "killing", "release", "meeting", "agreement"}
_PLAIN_MEDIA = "media_outlet"
_GOVERNMENT = {"state", "state_agency"}
_CASUALTY_WORDS = {"killed", "died", "dead", "deaths", "wounded", "injured", "injuries", "casualties"}
_NUMBER_WORDS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds"}
_TO_POWER = {"return", "come", "rise", "sweep"}  # takeovers only "to power"
_RELATIVE = {"who", "whom"}
_DEFINITE = {"the", "this", "that"}
_PERSONAL = {"he", "she", "him", "her"}
_DIE = {"die", "kill"}
# statements that react to news, so that "has congratulated" dates itself to the news
_REACTIONS = {"congratulate", "praise", "condemn", "welcome", "hail", "celebrate", "mourn"}


@dataclass(frozen=True)
class EventLexicon:
    verbs: dict[str, tuple[str, ...]]
    nouns: dict[str, tuple[str, ...]]
    forms: frozenset[str]
    message_verbs: frozenset[str]
    message_nouns: frozenset[str]
    prisoner_nouns: frozenset[str]
    control_words: frozenset[str]
    claim_verbs: frozenset[str]
    claim_nouns: frozenset[str]
    light_verbs: frozenset[str]
    report_forms: frozenset[str] = frozenset()  # past forms of statement verbs: "said", "denied"

    def types_of(self, tok: Token) -> tuple[str, ...]:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") or (tok.tag_ in ("VBN", "VBG") and tok.pos_ == "ADJ"):
            return self.verbs.get(lemma, ())
        if tok.pos_ in ("NOUN", "PROPN"):
            return self.nouns.get(lemma, ()) or self.nouns.get(tok.lower_, ())
        return ()


_IRREGULAR_SAID = {"said", "told"}


def _inflections(lemma: str) -> set[str]:
    out = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        out |= {lemma[:-1] + "ing", lemma[:-1] + "ed"}
    if lemma.endswith("y"):
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return out


@functools.cache
def load_event_lexicon() -> EventLexicon:
    """The bundled event triggers (``data/events.yaml``)."""
    data = load_yaml("events.yaml")
    known = set(vocab()["event_types"])
    verbs: dict[str, list[str]] = {}
    nouns: dict[str, list[str]] = {}
    for etype, spec in data["types"].items():
        if etype not in known:
            raise ValueError(f"events.yaml: unknown event type {etype!r}")
        for lemma in spec.get("verbs", []):
            verbs.setdefault(str(lemma), []).append(etype)
        for lemma in spec.get("nouns", []):
            nouns.setdefault(str(lemma), []).append(etype)
    forms: set[str] = {str(f) for f in data.get("forms", [])}
    for lemma in list(verbs) + list(nouns):
        forms |= _inflections(lemma)
    words = {k: frozenset(str(w) for w in data.get(k, [])) for k in (
        "message_verbs", "message_nouns", "prisoner_nouns", "control_words", "claim_verbs", "claim_nouns",
        "light_verbs")}
    said = {str(f) for f in data.get("forms", []) if str(f) in _IRREGULAR_SAID}
    for lemma, types in verbs.items():
        if "statement" in types:
            said |= {f for f in _inflections(lemma) if f.endswith("d")}
    return EventLexicon(
        verbs={k: tuple(v) for k, v in verbs.items()},
        nouns={k: tuple(v) for k, v in nouns.items()},
        forms=frozenset(forms),
        report_forms=frozenset(said),
        **words,
    )


@dataclass
class _Args:
    actors: list[int] = field(default_factory=list)  # token indices of actor tokens
    targets: list[int] = field(default_factory=list)
    claimed: list[int] = field(default_factory=list)
    objects: list[Token] = field(default_factory=list)  # object head words, for the type rules


def _phrase_actors(tok: Token, actors: dict[int, str]) -> list[int]:
    """Actor tokens inside a noun phrase: its head, appositions, "of"/"by" complements,
    coordinated members, compounds and possessors; never inside a clause it contains."""
    out: list[int] = []
    stack = [tok]
    seen = set()
    while stack:
        t = stack.pop()
        if t.i in seen:
            continue
        seen.add(t.i)
        if t.i in actors:
            out.append(t.i)
        for c in t.children:
            if c.dep_ in ("acl", "amod") and c.lemma_.lower() in _BELONGING:
                # "terrorists belonging to the Pakistani Taliban", "fighters loyal to ISIS"
                stack += [p for x in c.children if x.dep_ == "prep" and x.lower_ in ("to", "with")
                          for p in x.children if p.dep_ == "pobj"]
                continue
            if c.dep_ in _CLAUSE_DEPS or c.dep_ in ("punct", "cc", "det"):
                continue
            if c.dep_ == "prep" and c.lower_ not in ("of", "by", "from", "including"):
                continue
            stack.append(c)
    return sorted(out)


# Words by which a noun phrase says whose its people are: "militants belonging to X".
_BELONGING = {"belong", "belonging", "loyal", "affiliate", "affiliated", "link", "linked", "align", "aligned",
              "tie", "tied", "connect", "connected", "attach", "attached"}


def _is_passive(t: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in t.children):
        return True
    return t.tag_ == "VBN" and t.dep_ in ("acl", "amod", "advcl") and not any(c.dep_ == "aux" for c in t.children)


def _subject_of_verb(v: Token) -> Token | None:
    """The subject of a verb, borrowed through coordination and control ("vowed to strike")."""
    raised = False
    for _ in range(4):
        subj = next((c for c in v.children if c.dep_ in _SUBJECT or (raised and c.dep_ == "nsubjpass")), None)
        if subj is not None and subj.lower_ in ("that", "which", "who") and v.dep_ == "relcl":
            subj = v.head  # "TRF, a shadowy group that claimed the attack": the group
            while subj.dep_ == "appos" and subj.head.i != subj.i:
                subj = subj.head
        if subj is not None:
            return subj
        if v.dep_ in ("conj", "xcomp") and v.head.i != v.i:
            raised = v.dep_ == "xcomp"  # "X was suspected to have orchestrated the attack"
            v = v.head
            continue
        return None
    return None


def _noun_phrase(tok: Token) -> list[Token]:
    """A noun phrase without the places and times it is put in ("74 people in the city of Quetta")."""
    out, stack = [], [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        stack += [c for c in t.children if not (c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPOSITIONS | {"on"})
                  and c.dep_ not in _CLAUSE_DEPS]
    return out


_COUNTED = {"det", "nummod", "poss", "quantmod", "predet"}


def _series(t: Token) -> bool:
    """A bare plural that a clause describes ("ISIS attacks were a near daily occurrence") or
    counts up or down ("has increased attacks") names a run of events, not one; "there were
    incursions", "held meetings", "the 2008 Mumbai attacks", "five suicide attacks" are events."""
    if t.tag_ != "NNS" or t.dep_ not in ("nsubj", "dobj"):
        return False
    head = t.head.lemma_.lower()
    if not ((t.dep_ == "nsubj" and head == "be") or (t.dep_ == "dobj" and head in _TREND)):
        return False
    return not any(c.dep_ in _COUNTED or (c.dep_ == "amod" and c.tag_ in ("JJ", "CD") and c.lower_ in _QUANTITY)
                   for c in t.children)


_TREND = {"increase", "intensify", "escalate", "step", "reduce", "decrease", "double", "triple", "ramp"}
_QUANTITY = {"several", "many", "multiple", "numerous", "two", "three", "four", "five", "six", "seven", "eight",
             "nine", "ten", "dozens", "hundreds", "few", "twin", "simultaneous", "coordinated", "serial"}


def _makers(thing: Token, actors: dict[int, str]) -> list[int]:
    """ "an explosive device made by Taliban fighters", "a bomb planted by X": who made it."""
    return [i for c in thing.children if c.dep_ == "acl" and _is_passive(c)
            for a in c.children if a.dep_ == "agent" for p in a.children for i in _phrase_actors(p, actors)]


def _verb_args(t: Token, actors: dict[int, str], lex: EventLexicon) -> _Args:
    args = _Args()
    passive = _is_passive(t)
    subj = _subject_of_verb(t)
    if subj is not None and not passive:
        args.actors += _phrase_actors(subj, actors) or _makers(subj, actors)
    if t.dep_ in ("acl", "relcl") and t.head.i != t.i and not passive:
        # "the blast ..., which killed": the noun the clause describes did it
        if t.head.i in actors:
            args.actors.append(t.head.i)
    for c in t.children:
        if c.dep_ == "agent":
            for p in c.children:
                args.actors += _phrase_actors(p, actors)
        elif c.dep_ in ("dobj", "dative", "obj") or (c.dep_ == "nsubjpass"):
            args.objects.append(c)
            args.targets += _phrase_actors(c, actors)
        elif c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
            for p in c.children:
                args.targets += _phrase_actors(p, actors)
        elif c.dep_ == "prep" and c.lower_ in _PARTY_PREPS:
            for p in c.children:
                args.actors += _phrase_actors(p, actors)
        elif c.dep_ == "prt" and c.lower_ in lex.control_words:
            args.objects.append(c)
        elif c.dep_ == "xcomp":
            # "vowed to strike the leadership of ISIS-K": what the vow is against
            for cc in c.children:
                if cc.dep_ in ("dobj", "dative") or (cc.dep_ == "prep" and cc.lower_ in _TARGET_PREPS):
                    for p in [cc] if cc.dep_ != "prep" else list(cc.children):
                        args.targets += _phrase_actors(p, actors)
    if passive and t.dep_ in ("acl", "amod") and t.head.i != t.i:
        args.objects.append(t.head)  # "militants ... being freed by the Taliban"
        args.targets += _phrase_actors(t.head, actors)
    return args


def _noun_args(t: Token, actors: dict[int, str], lex: EventLexicon) -> _Args:
    args = _Args()
    for c in t.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i in actors:
            args.actors += _phrase_actors(c, actors)
        elif c.dep_ in ("poss", "compound", "amod", "nmod"):
            args.actors += [i for i in _phrase_actors(c, actors)]
        elif c.dep_ == "prep" and c.lower_ == "by":
            for p in c.children:
                args.actors += _phrase_actors(p, actors)
        elif c.dep_ == "prep" and c.lower_ in ("of", "against", "on", "upon", "targeting"):
            for p in c.children:
                args.objects.append(p)
                args.targets += _phrase_actors(p, actors)
        elif c.dep_ == "prep" and c.lower_ in _PARTY_PREPS:
            for p in c.children:
                args.actors += _phrase_actors(p, actors)
        elif c.dep_ in ("acl", "relcl"):
            # "a statement congratulating the Taliban", "attack, for which X claimed responsibility"
            if c.lemma_.lower() in lex.claim_verbs:
                subj = _subject_of_verb(c)
                if subj is not None:
                    args.claimed += _phrase_actors(subj, actors)
            else:
                for cc in c.children:
                    if cc.dep_ in ("dobj", "dative"):
                        args.targets += _phrase_actors(cc, actors)
                    elif cc.dep_ == "agent":  # "the blast, which was carried out by X"
                        args.actors += [i for p in cc.children for i in _phrase_actors(p, actors)]
    # the light verb's subject does what the noun names: "AQAP issued a statement"
    head = t.head
    if t.dep_ in ("dobj", "attr", "nsubjpass", "obj") and head.pos_ in ("VERB", "AUX") and head.i != t.i:
        lemma = head.lemma_.lower()
        passive = _is_passive(head)
        if lemma in lex.light_verbs or lemma in lex.message_verbs or lemma in lex.claim_verbs:
            if passive:
                for c in head.children:
                    if c.dep_ == "agent":
                        for p in c.children:
                            args.actors += _phrase_actors(p, actors)
            else:
                subj = _subject_of_verb(head)
                if subj is not None:
                    args.actors += _phrase_actors(subj, actors)
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ in _PARTY_PREPS:
                    for p in c.children:
                        args.actors += _phrase_actors(p, actors)
    elif t.dep_ == "nsubj" and head.i != t.i:
        # "the attack killed 13 soldiers": the verb's object is the target
        for c in head.children:
            if c.dep_ in ("dobj",):
                args.objects.append(c)
                args.targets += _phrase_actors(c, actors)
            elif c.dep_ == "prep" and c.lower_ in ("between", "among"):
                for p in c.children:  # "clashes continued on Thursday between X and Y"
                    args.actors += _phrase_actors(p, actors)
    elif t.dep_ == "pobj" and head.lower_ == "behind" and head.head.lemma_ == "be":
        subj = _subject_of_verb(head.head)  # "they were behind the attack"
        if subj is not None:
            args.actors += _phrase_actors(subj, actors)
    if t.dep_ == "nsubj" and not args.actors:
        args.actors += _makers(t, actors)
    # "claimed the attack"
    if t.dep_ == "dobj" and head.lemma_.lower() in lex.claim_verbs:
        subj = _subject_of_verb(head)
        if subj is not None:
            args.claimed += _phrase_actors(subj, actors)
    # "claimed responsibility for the attack"
    if t.dep_ == "pobj" and head.lower_ == "for" and (head.head.lemma_.lower() in lex.claim_nouns or any(
            c.dep_ == "dobj" and c.lemma_.lower() in lex.claim_nouns for c in head.head.children)):
        verb = head.head.head if head.head.lemma_.lower() in lex.claim_nouns else head.head
        if verb.lemma_.lower() in lex.claim_verbs or verb.lemma_.lower() == "take":  # "took credit for"
            subj = _subject_of_verb(verb)
            if subj is not None:
                args.claimed += _phrase_actors(subj, actors)
    return args


@dataclass
class _Dated:
    value: DateValue
    tokens: set[int]
    root: Token


def _bounding(d: _Dated) -> bool:
    """ "after 2011", "since the 2001 invasion": a date that bounds another, not an event's date."""
    head = d.root.head
    return d.root.dep_ == "pobj" and head.lower_ in _TEMPORAL_MARKS


def _attached_dates(t: Token, dates: list[_Dated], others: frozenset[int] = frozenset()) -> list[_Dated]:
    """The dates hanging from ``t`` without crossing a clause boundary. A clause opened
    by "after"/"since" holds only the dates written inside it ("Last October, after
    they signed a deal, X confirmed": October dates the confirming, not the deal)."""
    marks = [c.i for c in t.children if c.dep_ == "mark" and c.lower_ in _TEMPORAL_MARKS]
    out = []
    for d in dates:
        if _bounding(d) or (marks and d.root.i < marks[0]):
            continue
        node = d.root
        for _ in range(5):
            if node.i == t.i:
                out.append(d)
                break
            if node.head.i == node.i or node.dep_ in _CLAUSE_DEPS or node.dep_ in ("conj",):
                break
            if node.i in others and node.i != d.root.i and node.dep_ in _ARGUMENT_DEPS:
                break  # "the blast follows two attacks in October 2022": the attacks' date
            node = node.head
    return out


def _reference_point(t: Token) -> bool:
    """ "since the Taliban seizure of X", "after the invasion": the event is a point of
    reference for another, whatever the parser made of the preposition."""
    first = t.left_edge.i
    return first > 0 and t.doc[first - 1].lower_ in _TEMPORAL_MARKS


def _event_date(t: Token, dates: list[_Dated], others: frozenset[int] = frozenset()) -> DateValue | None:
    """The date of the event the trigger ``t`` names (see the module docstring)."""
    if _reference_point(t):
        own = _attached_dates(t, dates)
        return own[0].value if own else None
    node = t
    for _ in range(6):
        found = _attached_dates(node, dates, others - {t.i})
        if found:
            found.sort(key=lambda d: (abs(d.root.i - t.i), d.root.i))
            return found[0].value
        head = node.head
        if head.i == node.i:
            return _lone_weekday(dates, node)
        if node.dep_ in ("advcl", "relcl", "acl", "ccomp") and any(
                c.dep_ in ("mark", "advmod") and c.lower_ in _TEMPORAL_MARKS for c in node.children):
            return _lone_weekday(dates, node)
        if node.dep_ == "pobj" and node.i != t.i and head.lower_ == "of":
            return None
        if node.dep_ in ("acl",) and node.tag_ == "VBG" and node.i != t.i:
            return None
        if node.dep_ == "pobj" and head.lower_ in _TEMPORAL_MARKS | {"from", "about", "over", "despite"}:
            return None  # "since the Taliban seizure of X", "after the invasion": a reference point
        node = head
    return None


def _lone_weekday(dates: list[_Dated], clause: Token) -> DateValue | None:
    """ "an attack by terrorists belonging to the Pakistani Taliban in Chitral on Wednesday": the
    parser hangs "on Wednesday" on the nearest verb, here a clause inside the trigger's
    argument. A news story's weekday dates the event it reports: the sentence's only date,
    a weekday, inside the trigger's clause (``clause``) dates it."""
    if len(dates) != 1 or _bounding(dates[0]):
        return None
    d = dates[0]
    if not any(w in d.value.text.lower() for w in WEEKDAYS):
        return None
    if not clause.left_edge.i <= d.root.i <= clause.right_edge.i:
        return None
    return d.value


def _usable_date(value: DateValue) -> bool:
    if getattr(value, "open_ended", False):
        return False
    return (value.end.year - value.start.year) < _MAX_YEARS


_PAST_TAGS = {"VBD", "VBN"}
_MODALS = {"will", "would", "could", "can", "may", "might", "should", "must", "shall"}
_RECENT = {"recent", "latest", "last", "recently"}


def _clause_verb(t: Token) -> Token | None:
    """The verb whose clause a trigger belongs to: the trigger itself, or the verb an
    event noun hangs from ("issued a statement", "in a statement, police said")."""
    node = t
    for _ in range(3):
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _reported(t: Token) -> bool:
    """A statement told as news, in the past or present perfect ("said", "has accused",
    "had claimed", "was quoted as saying"), not a habit or a plan ("says", "will say")."""
    verb = _clause_verb(t)
    for _ in range(3):
        if verb is None or any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children):
            return False
        if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and any(
                c.dep_ in ("aux", "auxpass") for c in verb.children)):
            return True
        if verb.dep_ not in ("xcomp", "advcl", "conj", "pcomp", "pobj") or verb.head.i == verb.i:
            return False
        verb = _clause_verb(verb.head)  # "was quoted as saying", "contacted a journalist to claim"
    return False


def _recent(t: Token) -> bool:
    """ "the recent attack", "the latest bombing": an attack of the days before publication."""
    return t.pos_ in ("NOUN", "PROPN") and any(c.dep_ in ("amod", "advmod") and c.lower_ in _RECENT
                                                 for c in t.children)


def _present_perfect(t: Token) -> bool:
    verb = t if t.pos_ in ("VERB", "AUX") else t.head
    return any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children) and verb.tag_ == "VBN"


class EventFinder:
    """Finds EventReports in one parsed sentence.

    ``kinds`` maps actor ids to their gazetteer kind; ``person_actor`` (optional)
    turns a person's name (a PERSON entity of the sentence) into the actor that person
    speaks or acts for, on a date.
    """

    def __init__(self, kinds: dict[str, str], places: Places, lexicon: EventLexicon | None = None,
                 person_actor: Callable[[str, str | None], str | None] | None = None,
                 parents: dict[str, str | None] | None = None, countries: dict[str, str | None] | None = None,
                 ) -> None:
        self.kinds = kinds
        self.places = places
        self.lex = lexicon or load_event_lexicon()
        self.person_actor = person_actor
        self.parents = parents or {}
        self.countries = countries or {}  # actor id -> ISO country code
        # the state of a country, for attacks nobody claims (the shortest id among states without a parent)
        self.states: dict[str, str] = {}
        for actor_id, code in sorted(self.countries.items(), key=lambda kv: (len(kv[0]), kv[0]), reverse=True):
            if code and kinds.get(actor_id) == "state" and not self.parents.get(actor_id):
                self.states[code] = actor_id

    def might_hold(self, words: list[str], text: str) -> bool:
        """A cheap test before any parsing: a trigger word, and a date-like word or a
        message or claim noun (undated statements and claims may take their date from
        the sentences around them)."""
        if not any(w in self.lex.forms for w in words):
            return False
        return bool(_DATE_HINT.search(text)) or self.tells_casualties(words) or any(
            w in self.lex.message_nouns or w in self.lex.claim_nouns or w in self.lex.report_forms
            or w == "similar" for w in words)

    def tells_casualties(self, words: list[str]) -> bool:
        """ "17 soldiers died in the attack": figures for an attack told before, in a sentence
        that names no actor or place (a cheap test on lowercased words)."""
        return any(w in _CASUALTY_WORDS for w in words) and any(
            w.isdigit() or w in _NUMBER_WORDS for w in words) and "the" in words

    # -- one sentence -------------------------------------------------------------
    def find(self, sub: Doc, actors: dict[int, str], chars: list[tuple[int, int]], text: str,
             sent_start: int, sent_end: int, doc_id: str, published: str | None) -> list[EventReport]:
        """Events of one parsed sentence. ``chars`` maps each token of ``sub`` to its
        character span in the document ``text``; ``actors`` maps token indices to actor ids."""
        forms = self.lex.forms
        triggers = [(t, types) for t in sub if t.lower_ in forms and (types := self.lex.types_of(t))]
        if not triggers:
            return []
        sentence = text[sent_start:sent_end]
        actors = dict(actors)
        self._add_persons(sub, actors, published)
        dates = functools.cache(lambda: self._dates(sub, chars, sentence, sent_start, published))
        places = functools.cache(lambda: self._places(sub, chars, sentence, sent_start, actors))
        out: list[EventReport] = []
        for t, types in triggers:
            if t.i in actors:
                continue
            report = self._event(t, types, sub, actors, dates, places, sentence, doc_id, published)
            if report is not None:
                report.start, report.end = sent_start, sent_end
                out.append(report)
        out = _merge_sentence(out)
        for report in out:
            if report.type == "attack" and not report.actors and not report.targets and report.country in self.states:
                # "a suicide attack in Lahore", "their convoy was ambushed near Damasak": an attack
                # nobody is named for is one on the country where it happens
                report.targets = [self.states[report.country]]
        return out

    def _add_persons(self, sub: Doc, actors: dict[int, str], published: str | None) -> None:
        if self.person_actor is None:
            return
        for ent in _persons(sub):
            if any(i in actors for i in range(ent.start, ent.end)):
                continue
            actor = self.person_actor(_with_title(ent), published)
            if actor:
                actors[ent.root.i] = actor

    def _dates(self, sub: Doc, chars, sentence: str, sent_start: int, published: str | None) -> list[_Dated]:
        out: list[_Dated] = []
        if not _DATE_HINT.search(sentence):
            return out  # no word that can start a date: skip the date layer
        dateline = DATELINE.match(sentence)
        for start, end, value in find_dates(sentence, published, past=True):
            if dateline and end <= dateline.end():
                continue  # "MOSCOW, 27 March 2024 -": when the story was filed, not what happened
            a, b = start + sent_start, end + sent_start
            toks = {k for k, (c0, c1) in enumerate(chars) if c0 < b and c1 > a}
            if not toks:
                continue
            root = next((sub[k] for k in sorted(toks) if sub[k].head.i not in toks or sub[k].head.i == k),
                        sub[min(toks)])
            out.append(_Dated(value, toks, root))
        return out

    def _places(self, sub: Doc, chars, sentence: str, sent_start: int, actors: dict[int, str]
                ) -> list[tuple[Place, Token, bool]]:
        """Places named in the sentence, less datelines ("BRUSSELS —") and country names
        used as actors ("U.S. drone strike", "Pakistan's army"), not as places."""
        out = []
        for start, end, place in self.places.scan(sentence):
            a, b = start + sent_start, end + sent_start
            toks = [k for k, (c0, c1) in enumerate(chars) if c0 < b and c1 > a]
            if not toks:
                continue
            root = next((sub[k] for k in toks if sub[k].head.i not in toks), sub[toks[0]])
            if toks[-1] + 1 < len(sub) and toks[0] <= 3 and sub[toks[-1] + 1].text in ("—", "–", "--", "-", ":") \
                    and sentence[start:end].isupper():
                continue  # a dateline
            acting = [k for k in toks if k in actors]
            # a country named as an actor is a place only where the event hangs it
            # ("invaded Afghanistan"), an institution named by its building ("the
            # Pentagon said") never is; a city standing for its state is still a place
            as_actor = bool(acting) and place.kind not in _SETTLEMENTS and (
                place.kind != "country" or not self._is_place_role(sub[acting[0]], actors[acting[0]]))
            anchor = _anchor(root)
            if anchor.dep_ == "pobj" and anchor.head.lower_ == "to" and anchor.head.head.lower_ == "according":
                continue  # "according to officials and the Pentagon": a source, not a place
            place = self._as_written(place, sentence[start:end])
            part = _PART_OF.search(sentence, 0, start)
            if part and place.kind == "country":
                # "southern Kyrgyzstan", "northeastern Mali": the part of it that is named
                place = dataclasses.replace(place, name=f"{part.group(1).lower()} {place.name}")
            out.append((place, root, as_actor))
        return out

    def _as_written(self, place: Place, surface: str) -> Place:
        """ "Kabul airport" names Kabul and a facility: the event's place is the town.
        A site named in its own right ("Jinnah International Airport") stays the site."""
        if place.kind not in ("site", "area") or not place.parent:
            return place
        parent = self.places.get(place.parent)
        if parent is not None and parent.name.lower() in surface.lower():
            return parent
        return place

    def _event(self, t: Token, types: tuple[str, ...], sub: Doc, actors: dict[int, str],
               dates: Callable[[], list[_Dated]], places: Callable[[], list[tuple[Place, Token, bool]]],
               sentence: str, doc_id: str, published: str | None) -> EventReport | None:
        """One trigger's event, or None; the sentence's dates and places are computed on
        first need (most triggers fall before)."""
        lex = self.lex
        verb = t.pos_ in ("VERB", "AUX") or t.tag_ in ("VBN", "VBG")
        lemma = t.lemma_.lower()
        args = _verb_args(t, actors, lex) if verb else _noun_args(t, actors, lex)
        etype = self._choose_type(t, types, args, verb, lemma, sub)
        if etype is None:
            return None
        place_roles = {i for i in args.actors + args.targets if self._is_place_role(sub[i], actors[i])}
        actor_ids = _ids(args.actors, actors, place_roles) + _ids(args.claimed, actors, place_roles)
        target_ids = [x for x in _ids(args.targets, actors, place_roles) if x not in actor_ids]
        actor_ids = [x for x in actor_ids if self.kinds.get(x) != _PLAIN_MEDIA or self.parents.get(x)]
        if etype in ("statement", "takeover") and not actor_ids and not args.claimed:
            return None  # a statement is somebody's; a takeover is an actor seizing a place
        if any(t.i in d.tokens for d in dates()) or modality_of(t, [t], sub) != "asserted":
            return None  # "the fall of 2019" is a date, not a takeover
        value = _event_date(t, dates(), frozenset(x.i for x in sub if x.lower_ in lex.forms and lex.types_of(x)))
        if value is not None and not _usable_date(value):
            value = None
        date = precision = start = end = None
        date_text = ""
        if value is not None:
            date, precision, date_text = value.iso, value.precision, value.text
            start, end = value.start.isoformat(), value.end.isoformat()
            if etype == "takeover" and precision == "day" and end != start:
                date = end  # "seized control August 14-15": control is complete at the end
        elif etype == "statement" and published and len(published) >= 7 and _present_perfect(t) and (
                not verb or lemma in _REACTIONS):
            date, precision = published[:7], "month"  # "has issued a statement", "have congratulated"
        elif etype == "attack" and args.claimed:
            pass  # "X claimed the attack": dated by the attack it refers to (see from_context)
        elif published and len(published) >= 7 and (
                (etype == "statement" and _reported(t)) or (etype == "attack" and _recent(t))):
            # "a Nato spokesman said", "the recent attack on the embassy": news of the
            # publication's month, unless the sentence before dates it (see from_context)
            date, precision, date_text = published[:7], "month", REPORTED
            start = published[:7] + "-01"
            end = month_end(start)
        elif etype == "attack" and not verb and any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in t.children):
            pass  # "reporting five deaths in the attack": the attack told before (see from_context)
        elif etype != "statement":
            return None
        report = EventReport(
            doc_id=doc_id, type=etype, actors=dedupe(actor_ids), targets=dedupe(target_ids),
            claimed_by=dedupe(_ids(args.claimed, actors, place_roles)),
            date=date, precision=precision, date_start=start, date_end=end, date_text=date_text,
            sentence=sentence, trigger=t.text,
        )
        claim = next((c for c in t.children if c.dep_ == "dobj" and c.lemma_.lower() in lex.claim_nouns), None)
        if etype == "statement" and verb and claim is not None:
            report.trigger = f"{t.text} {claim.text}"  # "claimed responsibility": see attribute_claims
        place = self._event_place(t, etype, places())
        if place is not None:
            _set_place(report, place, self.places)
        elif etype == "statement" and report.actors and self.kinds.get(report.actors[0]) in _GOVERNMENT:
            report.country = self.countries.get(report.actors[0])  # a government speaks from its country
        if etype in ("attack", "killing"):
            cas = parse_casualties(sentence)
            report.fatalities, report.fatalities_low = cas.best, cas.low
            report.fatalities_high, report.injured = cas.high, cas.injured
        return report

    def _choose_type(self, t: Token, types: tuple[str, ...], args: _Args, verb: bool, lemma: str,
                     sub: Doc) -> str | None:
        lex = self.lex
        # "hundreds of prisoners": the noun a quantity is of counts as the object
        objects = {x.lemma_.lower() for o in args.objects for x in [o, *(
            p for c in o.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children)]}
        if verb and lemma in lex.message_verbs:
            return None  # the object noun is the event ("released a statement")
        if verb and any(c.lemma_.lower() in lex.claim_nouns and c.dep_ == "dobj" for c in t.children):
            # "claimed responsibility for the attack": a statement of its own, and the
            # claimed event carries the claimant (see _noun_args)
            return "statement" if lemma in lex.claim_verbs or lemma == "take" else None
        if not verb and lemma in lex.claim_nouns:
            return None
        if "release" in types:
            if verb and objects & lex.prisoner_nouns:
                return "release"
            if not verb and (objects & lex.prisoner_nouns):
                return "release"
            types = tuple(x for x in types if x != "release")
        if "takeover" in types and lemma in ("take", "fall"):
            words = {c.lower_ for c in t.children} | {c.lower_ for c in t.subtree}
            if lemma == "take" and not (words & lex.control_words):
                types = tuple(x for x in types if x != "takeover")
        if "takeover" in types and lemma in _TO_POWER and not any(
                c.dep_ == "prep" and c.lower_ == "to" and any(p.lower_ == "power" for p in c.children)
                for c in t.children):
            types = tuple(x for x in types if x != "takeover")  # "returned to power", not "returned home"
        if not verb and "attack" in types and self._dies_in(t, sub):
            return "killing"
        if "killing" in types:
            if self._named_victim(t, args, sub):
                return "killing"
            types = tuple(x for x in types if x != "killing")
        if not verb and lemma in ("operation", "strike") and not args.actors and not args.targets:
            return None
        if not verb and _series(t):
            return None  # "ISIS attacks in Afghanistan were a near daily occurrence in 2021"
        return types[0] if types else None

    def _named_victim(self, t: Token, args: _Args, sub: Doc) -> bool:
        """Whether the trigger kills a person: one named, or a "he" or "who" standing for one."""
        persons = {i for e in _persons(sub) if not self.places.candidates(e.text) for i in range(e.start, e.end)}
        victims = list(args.objects)
        if _is_passive(t):
            victims += [c for c in t.children if c.dep_ == "nsubjpass"]
        for v in victims:
            if v.lower_ in _RELATIVE and t.dep_ == "relcl":
                v = t.head  # "al-Zawahiri, who was killed by a US airstrike"
            if v.lower_ in _PERSONAL or any(x.i in persons for x in _noun_phrase(v)):
                return True
        return False

    def _dies_in(self, t: Token, sub: Doc) -> bool:
        """ "X died in a U.S. drone strike", "he was killed in a raid": the attack kills a person."""
        prep = t.head
        if t.dep_ != "pobj" or prep.lower_ not in ("in", "by") or prep.head.lemma_.lower() not in _DIE:
            return False
        verb = prep.head
        return self._named_victim(verb, _Args(objects=[c for c in verb.children if c.dep_ == "nsubj"]), sub)

    def _is_place_role(self, tok: Token, actor_id: str) -> bool:
        return self.kinds.get(actor_id) == "state" and is_place(tok)

    def _of_another_event(self, root: Token, t: Token) -> bool:
        """ "the Charlie Hebdo shooting in 2015 and the Pensacola attack": Pensacola is where
        the other attack happened, not the shooting."""
        node = root
        for _ in range(4):
            if node.i == t.i:
                return False
            if node.i != root.i and node.lower_ in self.lex.forms and self.lex.types_of(node):
                return True
            if node.head.i == node.i:
                return False
            node = node.head
        return False

    def _event_place(self, t: Token, etype: str, places: list[tuple[Place, Token, bool]]) -> Place | None:
        attached = []
        clause = t if t.pos_ in ("VERB", "AUX") else t.head
        for place, root, as_actor in places:
            if as_actor and place.kind != "country":
                continue  # "the Pentagon said": an institution, not where it happened
            if as_actor and root.dep_ in ("compound", "amod", "nmod", "poss"):
                continue  # "in a U.S. drone strike": who struck, not where
            node, near = root, False
            for _ in range(5):
                head = node.head
                if head.i == node.i:
                    break
                if head.lower_ in _NEAR:
                    near = True
                if head.dep_ == "prep" or head.lower_ in LOCATIVE_PREPOSITIONS or head.lower_ in _NEAR:
                    if head.head.i in (t.i, clause.i):
                        attached.append(self.places.near(place) if near and place.precision == 1 else place)
                        break
                if head.i in (t.i, clause.i) and node.i == root.i and node.dep_ in ("dobj", "pobj") \
                        and etype in ("takeover", "attack"):
                    attached.append(place)  # "seized Jalalabad", "conquest of Afghanistan", "invaded X"
                    break
                node = head
        if attached:
            return min(attached, key=_specificity)
        loose = [p for p, root, as_actor in places if not as_actor and not self._of_another_event(root, t)]
        if etype in _CARRY_TYPES and loose:
            return min(loose, key=_specificity)
        return None


_SETTLEMENTS = {"city", "town", "village"}
_PART_OF = re.compile(r"\b((?:north|south)?-?(?:north|south|east|west)(?:ern)|central)\s+(?:the\s+)?$",
                      re.IGNORECASE)
_DATE_HINT = re.compile(
    r"\b(?:1[89]\d\d|20\d\d|\d{1,2}/\d{1,2}"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?|May"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"|(?i:today|yesterday|tonight|ago|recent(?:ly)?|latest|earlier this|(?:this|last|next|past) (?:week|month|year|decade|spring"
    r"|summer|autumn|fall|winter)|spring|summer|autumn|winter|decades?))\b")
# "KABUL, 30 August 2021 (Meridian Wire) -", "MOSCOW, 27 March 2024 -"
DATELINE = re.compile(r"\s*[A-Z][A-Z .'/-]{2,40}(?:,[^-—–(]{0,40})?(?:\([^)]{0,60}\))?\s*[-—–]+\s")
_KIND_RANK = {"site": 0, "village": 1, "town": 2, "city": 3, "district": 4, "area": 5, "border": 6}


def _specificity(place: Place) -> tuple[int, int]:
    """Most specific first: geo precision, then a site before the town it is in."""
    return place.precision, _KIND_RANK.get(place.kind, 9)


_TITLES = {"mr.", "mrs.", "ms.", "dr.", "president", "general", "gen.", "secretary", "minister", "mullah",
           "sheikh", "maulvi", "emir", "prime", "senator", "ambassador", "commander", "admiral", "colonel"}


_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
             "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
             "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec."}


def _persons(sub: Doc) -> list:
    """Person names in a parsed sentence: the model's PERSON entities where it ran NER,
    else runs of proper nouns that are not placeholders of actor names (sentences parsed
    only for events skip NER, which is the costliest step)."""
    if sub.has_annotation("ENT_IOB"):
        return [e for e in sub.ents if e.label_ == "PERSON"]
    out, start = [], None
    for t in [*sub, None]:
        if t is not None and t.pos_ == "PROPN" and not t.is_upper and t.text not in PLACEHOLDER_WORDS \
                and t.lower_ not in _CALENDAR:
            start = t.i if start is None else start
            continue
        if start is not None:
            span = sub[start:t.i if t is not None else len(sub)]
            if span.text.lower().split()[0] not in _TITLES:
                out.append(span)
            elif len(span) > 1:
                out.append(span[1:])
            start = None
    return out


def _with_title(span) -> str:
    """ "Mr. Austin", "General Milley": the title helps the people gazetteer choose."""
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].lower_ in _TITLES:
        return f"{doc[span.start - 1].text} {span.text}"
    return span.text


def _ids(idx: list[int], actors: dict[int, str], skip: set[int]) -> list[str]:
    return [actors[i] for i in idx if i not in skip]


def _set_place(report: EventReport, place: Place, places: Places) -> None:
    report.place, report.location = place.id, place.name
    report.admin1, report.admin2, report.country = place.admin1, place.admin2, place.country
    report.lat, report.lon, report.geo_precision = place.lat, place.lon, place.precision


def _same_event(a: EventReport, b: EventReport) -> bool:
    if a.type != b.type or not a.date or not b.date:
        return False
    if a.type == "statement" and a.targets and b.targets and not set(a.targets) & set(b.targets):
        return False  # "Pakistan accused India ... Pakistan urged Kabul ...": two things said
    p = coarser(a.precision, b.precision)
    if date_key(a.date, p) != date_key(b.date, p):
        return False
    return parties(a, b) != "conflict" and places_agree(a, b)


def _absorb(into: EventReport, other: EventReport) -> None:
    into.actors = dedupe(into.actors + other.actors)
    into.targets = [x for x in dedupe(into.targets + other.targets) if x not in into.actors]
    into.claimed_by = dedupe(into.claimed_by + other.claimed_by)
    if other.date and (not into.date or PREC_RANK.get(other.precision or "year", 3) < PREC_RANK.get(
            into.precision or "year", 3)):
        into.date, into.precision = other.date, other.precision
        into.date_start, into.date_end, into.date_text = other.date_start, other.date_end, other.date_text
    if other.geo_precision is not None and (into.geo_precision is None or other.geo_precision < into.geo_precision):
        for f in ("place", "location", "admin1", "admin2", "country", "lat", "lon", "geo_precision"):
            setattr(into, f, getattr(other, f))
    if into.fatalities is None and other.fatalities is not None:
        into.fatalities, into.fatalities_low = other.fatalities, other.fatalities_low
        into.fatalities_high, into.injured = other.fatalities_high, other.injured


def _merge_sentence(reports: list[EventReport]) -> list[EventReport]:
    """Triggers of one sentence that name the same event ("released a joint statement
    congratulating") become one report; a trigger without actors joins the others."""
    out: list[EventReport] = []
    for r in reports:
        for o in out:
            if o.type == r.type and (o.date == r.date or not r.date or (not o.date and o.claimed_by)) and (
                    not r.actors or not o.actors or set(r.actors) & set(o.actors)) and places_agree(o, r):
                _absorb(o, r)
                break
        else:
            out.append(r)
    return out



def merge_in_document(reports: list[EventReport]) -> list[EventReport]:
    """One report per event and document: the first sentence stays as evidence.
    Claims made in one sentence reach the attacks of the others first."""
    out: list[EventReport] = []
    for r in attribute_claims(reports, claim_nouns=load_event_lexicon().claim_nouns):
        for o in out:
            if _same_event(o, r):
                _absorb(o, r)
                break
        else:
            out.append(r)
    return out
