"""A small, tested coreference step: "the group", "the movement", "it", "they" -> an actor.

Ties often reach across sentences ("ISIS-K was formed in 2015. The group has since
attacked ..."). The rules, in order:

* a pronoun or an anaphoric noun phrase ("the group", "the Afghan group") refers to a
  recent actor, the subject of its sentence or of the sentence before preferred;
* it never refers to the subject of its own clause when it is that clause's object
  ("the Pakistani Taliban have loose relations with the Afghan group"); a possessive
  may ("al-Nusra was listed for its ties to al-Qaeda");
* in an apposition that makes an actor a part of "the group" ("AQAP, the group's
  most important faction"), "the group" is that actor's parent in the gazetteer;
* "the group"/"the movement" never refers to a state, nor does "they" (a country is "it").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from khabar.extract.lexicon import ANAPHOR_NOUNS, PLURAL_ANAPHOR_NOUNS, PLURAL_DETERMINERS, PRONOUNS
from khabar.extract.tiephrases import TRANSPARENT
from khabar.resolve.gazetteer import Gazetteer

__all__ = ["Salience", "coordinated", "resolve_anaphors", "resolve_plurals", "is_anaphor"]

_NON_GROUP_KINDS = {"state", "igo", "state_agency"}
_PLURAL = {"they", "them", "their", "themselves"}


@dataclass
class Salience:
    """Recently mentioned actors, most recent last: (actor id, is subject, sentence number)."""

    items: list[tuple[str, bool, int]] = field(default_factory=list)
    lists: list[tuple[list[str], int]] = field(default_factory=list)  # actors named together, sentence number

    def add_list(self, actor_ids: list[str], sent_no: int) -> None:
        self.lists.append((actor_ids, sent_no))
        del self.lists[:-4]

    def add(self, actor_id: str, subject: bool, sent_no: int) -> None:
        self.items.append((actor_id, subject, sent_no))
        if len(self.items) > 40:
            del self.items[:10]

    def recent(self, sent_no: int, window: int = 2) -> list[tuple[str, bool, int]]:
        return [it for it in self.items if sent_no - it[2] <= window]


def is_anaphor(tok: Token) -> bool:
    low = tok.lower_
    if low in PRONOUNS and tok.pos_ == "PRON" and tok.dep_ != "expl":
        if low == "it" and _expletive_it(tok):
            return False
        return True
    if tok.lemma_.lower() in ANAPHOR_NOUNS and tok.tag_ == "NN":
        dets = [c for c in tok.children if c.dep_ == "det"]
        if dets and dets[0].lower_ in ("the", "this", "that"):
            # "the Afghan group" is anaphoric, "the militant group al-Shabab" is not.
            return not any(c.dep_ in ("appos", "compound") and c.pos_ == "PROPN" for c in tok.children)
    return False


def _expletive_it(tok: Token) -> bool:
    """ "it is possible that ...", "it seems" """
    head = tok.head
    if head.lemma_ in ("be", "seem", "appear", "remain") and any(
        c.dep_ in ("ccomp", "xcomp", "acomp") for c in head.children
    ):
        return any(c.dep_ == "ccomp" or c.lower_ in ("possible", "likely", "clear", "unclear", "worth", "true")
                   for c in head.subtree)
    return False


def _clause_subject(tok: Token) -> Token | None:
    cur = tok
    for _ in range(8):
        head = cur.head
        for c in head.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.i != cur.i:
                return c
        if head.i == cur.i or head.pos_ in ("VERB", "AUX"):
            return None
        cur = head
    return None


def resolve_anaphors(
    doc: Doc,
    actors: dict[int, str],
    salience: Salience,
    sent_no: int,
    gazetteer: Gazetteer,
) -> dict[int, str]:
    """Actor ids for the anaphors of one parsed sentence (token index -> actor id)."""
    out: dict[int, str] = {}
    for tok in doc:
        if tok.i in actors or not is_anaphor(tok):
            continue
        group_np = tok.pos_ != "PRON"
        plural = tok.lower_ in _PLURAL
        excluded: set[str] = set()
        subj = _clause_subject(tok)
        # a possessive may be the clause's own subject: "X was listed for its ties to Y"
        if subj is not None and tok.dep_ not in ("nsubj", "nsubjpass", "poss") and subj.i in actors:
            excluded.add(actors[subj.i])
        host = _apposition_host(tok)
        if host is not None and host.i in actors:
            parent = gazetteer.parent(actors[host.i])
            if parent:
                out[tok.i] = parent
                continue
            excluded.add(actors[host.i])
        before = [(i, a) for i, a in sorted(actors.items()) if i < tok.i]
        same = [(a, doc[i].dep_ in ("nsubj", "nsubjpass")) for i, a in reversed(before)]
        # "Pakistani officials announced their support": a state named on its people is "they"
        people = {a for i, a in before if _names_people(doc[i])}
        earlier = [(a, s) for a, s, _ in reversed(salience.recent(sent_no))]
        choice = None
        # The sentence's own actors first (its subject before others), then recent subjects.
        for pool, prefer in ((same, True), (same, False), (earlier, True), (earlier, False)):
            for actor_id, is_subj in pool:
                if actor_id in excluded or (prefer and not is_subj):
                    continue
                if group_np and gazetteer.kind(actor_id) in _NON_GROUP_KINDS:
                    continue
                if plural and gazetteer.kind(actor_id) == "state" and actor_id not in people:
                    continue  # a country is "it"; "they" are its people, forces or a group
                choice = actor_id
                break
            if choice:
                break
        if choice:
            out[tok.i] = choice
    return out


def _names_people(tok: Token) -> bool:
    """An actor name on a plural noun of people that stand for it: "Pakistani officials",
    "Afghan forces" (the noun is the subject, so the name is what "they" can mean)."""
    head = tok.head
    return (tok.dep_ in ("amod", "compound", "nmod") and head.tag_ == "NNS"
            and head.lemma_.lower() in TRANSPARENT and head.dep_ in ("nsubj", "nsubjpass"))


def _apposition_host(tok: Token) -> Token | None:
    """For "X, the group's faction": X (the head that "the group" sits in apposition under)."""
    cur = tok
    for _ in range(3):
        if cur.dep_ == "appos":
            return cur.head
        if cur.dep_ in ("poss", "pobj", "prep", "compound"):
            cur = cur.head
            continue
        return None
    return None


def coordinated(doc: Doc, actors: dict[int, str]) -> list[list[str]]:
    """Distinct actors named in one coordinated list ("the IMU and the IJU", "AQIM, JNIM and
    AQAP"), in sentence order: the referents of a later "both groups"."""
    out = []
    for i, a in sorted(actors.items()):
        tok = doc[i]
        if tok.dep_ == "conj":
            continue
        ids = [a]
        for c in tok.subtree:
            if c.i in actors and c.dep_ == "conj" and actors[c.i] not in ids:
                head = c
                while head.dep_ == "conj" and head.i != tok.i:
                    head = head.head
                if head.i == tok.i:
                    ids.append(actors[c.i])
        if len(ids) >= 2:
            out.append(ids)
    return out


def is_plural_anaphor(tok: Token) -> bool:
    """ "these groups", "both organisations", "the two affiliates" (not "two groups of fighters
    loyal to X", which names no one already mentioned)."""
    if tok.lower_ not in PLURAL_ANAPHOR_NOUNS or tok.tag_ != "NNS":
        return False
    dets = [c.lower_ for c in tok.children if c.dep_ in ("det", "predet", "nummod")]
    if not any(d in PLURAL_DETERMINERS for d in dets):
        return False
    if "two" in dets and "the" not in dets and "these" not in dets and "those" not in dets:
        return False  # "two groups" is new; "the two groups" refers back
    return not any(c.dep_ in ("prep", "relcl", "acl", "appos") for c in tok.children)


def resolve_plurals(doc: Doc, actors: dict[int, str], salience: Salience, sent_no: int) -> dict[int, list[str]]:
    """The actors a plural anaphor stands for: the list named last in this sentence before it,
    else in the sentence before."""
    out: dict[int, list[str]] = {}
    here = coordinated(doc, actors)
    for tok in doc:
        if tok.i in actors or not is_plural_anaphor(tok):
            continue
        before = [ids for ids in here if min(i for i, a in actors.items() if a == ids[0]) < tok.i]
        if before:
            out[tok.i] = before[-1]
            continue
        recent = [ids for ids, n in salience.lists if n == sent_no - 1]
        if recent:
            out[tok.i] = recent[-1]
    return out
