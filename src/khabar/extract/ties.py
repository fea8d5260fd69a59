"""Ties from sentence structure: trigger words on the dependency path between two actors.

For every pair of actor tokens in a parsed sentence (gazetteer names are merged into
one token before parsing, pronouns and "the group" are resolved by ``coref``), the
path between them through their lowest common ancestor is searched for a trigger of
the lexicon. The trigger's own arguments decide the direction: the side attached as
subject, agent ("by"), possessor or compound is the tie's subject; the side attached
as object or through a preposition is its object. Members of a coordinated list share
the role of the list's first member, so "AQIS, TIP and TTP supported the Taliban" is
three ties. Modality comes from ``modality``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from khabar.extract.lexicon import Lexicon, Trigger
from khabar.extract.modality import modality_of
from khabar.extract.tiephrases import LIGHT_GIVE, TRANSPARENT, light_dative, qualified
from khabar.extract.tiephrases import coordinated_verbs as _coordinated_verbs
from khabar.extract.tiephrases import describes as _describes
from khabar.extract.tiephrases import joint as _joint
from khabar.extract.tiephrases import leader_up as _leader_up
from khabar.extract.tiephrases import transparent_up as _transparent_up
from khabar.extract.tieplaces import _anchor, acting, is_place
from khabar.schema import is_symmetric

__all__ = ["FoundTie", "TRANSPARENT", "acting", "find_ties", "is_place", "pair_ties"]

SUBJ_DEPS = {"nsubj", "csubj", "agent", "expl"}
OBJ_DEPS = {"dobj", "dative", "nsubjpass", "oprd", "pobj", "attr", "obj"}
MAX_PATH = 7  # tokens on the dependency path, endpoints included
COMPOUND_DEPS = {"compound", "nmod", "amod", "npadvmod", "nummod"}
@dataclass
class FoundTie:
    subject: str
    type: str
    object: str
    modality: str
    trigger: Token
    rule: str = ""
    governs: int = 0  # how many of the two actors the trigger takes as its own arguments
    length: int = 0  # tokens on the dependency path
    score: float = 1.0  # the learned scorer's probability for the type (rules alone: 1)


def _chain(tok: Token) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i and len(out) < 60:
        out.append(out[-1].head)
    return out


def _path(a: Token, b: Token) -> tuple[list[Token], Token] | None:
    up_a, up_b = _chain(a), _chain(b)
    ids_b = {t.i: n for n, t in enumerate(up_b)}
    for n, t in enumerate(up_a):
        if t.i in ids_b:
            return up_a[: n + 1] + list(reversed(up_b[: ids_b[t.i]])), t
    return None


def _is_passive(t: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in t.children):
        return True
    return t.tag_ == "VBN" and t.dep_ in ("acl", "amod", "advcl") and not any(c.dep_ == "aux" for c in t.children)


def _trigger_at(tok: Token, lex: Lexicon) -> Trigger | None:
    lemma = tok.lemma_.lower()
    low = tok.lower_
    if low in lex.modifiers and tok.tag_ in ("VBN", "JJ") and tok.dep_ in ("amod", "acl", "compound", "acomp", "advcl", "conj", "ROOT", "relcl", "attr"):
        trig = lex.modifiers[low]
        if trig.skip:
            return None
        if tok.dep_ in ("amod", "compound") or any(c.dep_ in ("npadvmod", "compound") for c in tok.children):
            return trig
        if low in ("aligned", "allied", "linked", "affiliated", "loyal", "hostile", "opposed"):
            return trig
    if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
        trig = lex.verbs.get(lemma)
        if trig and trig.passive_only and not _is_passive(tok):
            return None
        return trig
    if tok.pos_ in ("NOUN", "PROPN") or tok.tag_.startswith("NN"):
        return lex.nouns.get(lemma) or lex.nouns.get(low)
    if tok.pos_ == "ADP" or tok.dep_ == "prep":
        trig = lex.prepositions.get(low)
        if trig and trig.needs_head and tok.head.lemma_.lower() not in trig.needs_head:
            return None
        return trig
    return None


def _needs_met(trig: Trigger, tok: Token, path: list[Token]) -> bool:
    if not trig.needs:
        return True
    words = {c.lower_ for c in tok.children} | {c.lemma_.lower() for c in tok.children}
    words |= {t.lower_ for t in path} | {t.lemma_.lower() for t in path}
    for c in tok.children:
        for g in c.children:
            # "listed as a terrorist organisation": the word may qualify the preposition's object
            words |= {g.lower_} | {w.lower_ for w in g.children if w.dep_ in ("amod", "compound")}
    return any(n in words for n in trig.needs)


def _role_below(trigger: Trigger, t: Token, child: Token) -> str | None:
    """Role of the side reached from trigger token ``t`` through its child ``child``."""
    dep = child.dep_
    passive = trigger.pos == "verb" and _is_passive(t)
    if dep in ("nsubj", "csubj"):
        return "subject"
    if dep == "nsubjpass":
        return "subject" if trigger.invert_passive else "object"
    if dep == "agent" or (dep == "prep" and child.lower_ == "by"):
        return "object" if trigger.invert_passive else "subject"
    if dep == "poss":
        return trigger.poss
    if dep == "prep":
        if child.lower_ in ("as", "like", "including") and trigger.pos == "noun":
            return "subject"  # "affiliates such as al-Shabaab": the instances are the noun
        if child.lower_ == "with" and any(g.lower_ == "together" for g in child.children):
            return "subject"  # "together with X, Y supported Z"
        if child.lower_ == "of":
            if trigger.pos == "noun" and t.dep_ == "pobj" and t.head.lower_ in _AGENT_OF:
                return "subject"  # "with the support of X", "under the protection of X": X gives it
            return trigger.of if trigger.pos == "noun" else "object"
        if child.lower_ == "from" and trigger.type == "splinter_of":
            return "object"
        return "object"
    if dep in ("dobj", "dative", "oprd", "attr", "pobj", "obj"):
        return "object"
    if dep in COMPOUND_DEPS:
        if trigger.pos == "modifier":
            return trigger.compound
        if trigger.pos == "noun":
            return trigger.poss  # "an al-Qaeda affiliate" is al-Qaeda's affiliate
        return "subject" if not passive else "object"
    if dep == "appos":
        return "subject"
    return None


def _side_role(trigger: Trigger, t: Token, path: list[Token], end: Token) -> str | None:
    """Role of the path's endpoint ``end`` relative to trigger token ``t``."""
    idx = {tok.i: n for n, tok in enumerate(path)}
    ti, ei = idx[t.i], idx[end.i]
    step = 1 if ei > ti else -1
    nxt = path[ti + step]
    if nxt.head.i == t.i and nxt.i != t.i:  # the endpoint lies below the trigger
        return _role_below(trigger, t, nxt)
    return None


def _opposite(role: str) -> str:
    return "object" if role == "subject" else "subject"


def _below_child(t: Token, path: list[Token], end: Token) -> Token | None:
    """The child of ``t`` through which the path reaches ``end``, if ``end`` lies below ``t``."""
    idx = {tok.i: n for n, tok in enumerate(path)}
    ti, ei = idx[t.i], idx[end.i]
    nxt = path[ti + (1 if ei > ti else -1)]
    return nxt if nxt.head.i == t.i and nxt.i != t.i else None


# How a trigger may sit below the actor that is not one of its own arguments.
_NOUN_UP = {"appos", "attr", "acomp", "oprd", "dobj", "xcomp", "conj", "nsubj", "nsubjpass"}
_VERB_UP = {"xcomp", "conj", "acl", "relcl", "pcomp", "pobj", "prep"}
# "X waged war against Y": a tie preposition reaches its clause's subject through the
# object noun and the verbs that carry it, not out of a subordinate clause.
_PREP_UP = {"prep", "dobj", "pobj", "attr", "oprd", "xcomp", "conj", "acomp", "acl", "pcomp"}
# "X released a statement congratulating Y": the message's author is the trigger's subject.
_MESSAGES = {"statement", "video", "message", "audio", "recording", "letter", "communique", "speech",
             "declaration", "post", "tweet", "eulogy", "announcement", "bulletin", "editorial"}
_SUBJECT_LIKE = {"nsubj", "nsubjpass", "agent", "poss", "csubj"}
# Verbs whose subject receives their object: "X enjoys Y's patronage", "X received Y's backing".
_RECEIVE = {"enjoy", "receive", "get", "obtain", "gain", "win", "accept", "secure", "seek"}


def _linked(trigger: Trigger, t: Token, lca: Token, end: Token) -> bool:
    """Whether an actor above the trigger is its argument: the host of an apposition or a
    participle ("AQAP, a branch of ..."; "Al-Qaeda, hosted by ..."), or the subject of the
    clause the trigger completes ("China is Pakistan's closest ally"; "ISK continues to
    wage an insurgency against ...").
    """
    allowed = {"noun": _NOUN_UP, "verb": _VERB_UP, "prep": _PREP_UP}.get(trigger.pos, set())
    cur, steps = t, 0
    as_object = None  # "X listed Y as (being) associated with Z": Y is the complement's subject
    while cur.i != lca.i and steps < 6:
        if (cur.dep_ in ("pcomp", "pobj") and cur.head.lower_ == "as" or cur.dep_ == "pcomp" and cur.tag_ == "VBG"
                and cur.head.lower_ in ("of", "for")) and cur.head.dep_ == "prep":
            # "accused X of backing Y", "praised X for supporting Y": X does the backing
            objs = [c for c in cur.head.head.children if c.dep_ == "dobj"]
            as_object = objs[0] if objs and cur.head.head.pos_ in ("VERB", "AUX") else as_object
        said = cur.dep_ in ("dobj", "nsubj") and cur.lemma_.lower() in _MESSAGES and steps > 0
        # A participle without its own subject ("..., hosted by the Taliban") takes the clause's.
        participle = cur.dep_ == "advcl" and cur.tag_ in ("VBN", "VBG") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in cur.children)
        if cur.dep_ not in allowed and not said and not participle and not _role_phrase(trigger, cur):
            return False
        if cur.dep_ == "pobj" and cur.head.head.i != cur.head.i:
            cur, steps = cur.head.head, steps + 2  # over the preposition of a role phrase
            continue
        if (cur.dep_ == "dobj" and trigger.pos == "noun" and trigger.type in ("supports", "hosts")
                and cur.head.lemma_.lower() in _RECEIVE):
            # "X, which is seen as enjoying Y's patronage": who receives it stands where the
            # receiving verb's subject stands
            allowed = allowed | _VERB_UP
        if cur.dep_ in ("acl", "relcl", "appos") and cur.head.i == lca.i:
            return lca.i == end.i
        cur, steps = cur.head, steps + 1
    if end.i == lca.i:
        return True
    top = end
    while top.head.i != lca.i and top.i != top.head.i:
        top = top.head
    if top.i != end.i and top.i != _transparent_up(end).i:
        return False  # the actor is buried inside the subject phrase, not the subject
    if as_object is not None:
        return top.i == as_object.i
    return top.dep_ in _SUBJECT_LIKE or (top.dep_ == "prep" and top.lower_ == "by")


# "claimed responsibility for the attack on X": the claim makes the attack the claimant's.
_CLAIMED = {"responsibility", "credit", "blame"}
# Verbs whose "in" phrase is the subject's own activity.
_TAKING_PART = {"engage", "involve", "participate", "part", "join", "embroil", "entangle"}


def _role_phrase(trigger: Trigger, cur: Token) -> bool:
    """A trigger noun in a phrase that gives the clause's subject its role: "X acts as an arm
    of Y", "X is seen as a proxy of Y", "X claimed responsibility for the attack on Y",
    "with Y's support, X ..." (the subject is the one supported)."""
    if trigger.pos != "noun" or cur.dep_ != "pobj":
        return False
    prep = cur.head
    if prep.lower_ == "as":
        return True
    if prep.lower_ == "for" and prep.head.lemma_.lower() in _CLAIMED and prep.head.dep_ == "dobj":
        return True
    if prep.lower_ == "in" and prep.head.lemma_.lower() in _TAKING_PART:
        return True  # "X was engaged in talks with Y", "X took part in the offensive against Y"
    return prep.lower_ in ("with", "without") and trigger.type in ("supports", "hosts") and prep.head.pos_ == "VERB"


def _light_object(c: Token, end: Token) -> bool:
    """ "pledged allegiance to X", "waged war against X": the object noun's preposition."""
    if end.head.dep_ != "prep":
        return False
    if c.dep_ in ("dobj", "attr") and end.head.head.i == c.i:
        return True
    # "formed by defectors from X": the agent's noun and its "from".
    return c.dep_ == "agent" and end.head.head.head.i == c.i


def _as_by(c: Token, end: Token) -> bool:
    """ "listed as a terrorist group by X", "designated as ... by X": the parser hangs the agent
    on the noun of "as"; X is still the verb's agent."""
    return (c.dep_ == "prep" and c.lower_ == "as" and end.dep_ == "pobj" and end.head.lower_ == "by"
            and end.head.head.head.i == c.i and _is_passive(c.head))


def _direction(trigger: Trigger, t: Token, path: list[Token], a: Token, b: Token,
               lca: Token | None = None) -> tuple[bool, bool]:
    """(ok, a_is_subject)."""
    ca = _below_child(t, path, a) if t.i != a.i else None
    cb = _below_child(t, path, b) if t.i != b.i else None
    if ca is not None and cb is not None and ca.i == cb.i:
        return False, True  # both in one argument of the trigger: members of one list
    for c, end in ((ca, a), (cb, b)):
        # An argument is the trigger's child, or the object of its preposition; an actor
        # deeper down ("supported X in operations against Y") is not its argument.
        if c is not None and c.i != end.i and end.head.i != c.i and not _light_object(c, end) \
                and not _as_by(c, end):
            return False, True
    ra = _role_below(trigger, t, ca) if ca is not None else None
    rb = _role_below(trigger, t, cb) if cb is not None else None
    ra = "subject" if ca is not None and _as_by(ca, a) else ra
    rb = "subject" if cb is not None and _as_by(cb, b) else rb
    if trigger.pos == "modifier":
        # "the U.S.-backed Afghan army": the participle must modify the other actor itself.
        other = b if ca is not None and ca.i != t.head.i else a
        if not _describes(t.head, other):
            return False, True
    if lca is not None and trigger.pos in ("noun", "verb", "prep"):
        if ca is None and not _linked(trigger, t, lca, a):
            return False, True
        if cb is None and not _linked(trigger, t, lca, b):
            return False, True
    if ra is None and rb is not None:
        ra = _opposite(rb)
    elif rb is None and ra is not None:
        rb = _opposite(ra)
    if ra is None or ra == rb:
        if is_symmetric(trigger.type) and (ra is None or ra == rb == "object") is False:
            return True, a.i < b.i
        if ra is None and trigger.pos == "verb" and not _is_passive(t):
            return True, a.i < b.i
        return False, True
    return True, ra == "subject"


def _listed(tok: Token) -> Token:
    """Where an actor stands in a list: through the noun it names ("al Qaeda's affiliate,
    JNIM": JNIM stands as "affiliate") to the list's first member."""
    for _ in range(4):
        if tok.dep_ != "appos" or tok.head.i == tok.i:
            break
        tok = tok.head
    return _anchor(tok)


def _reciprocal(a: Token, b: Token, lex: Lexicon) -> tuple[Trigger, Token] | None:
    """A tie between coordinated actors: "the Taliban and Al-Qaeda remain closely aligned"."""
    head = _listed(a)
    if _listed(b).i != head.i:
        return None
    pred = head.head
    if pred.i == head.i:
        return None
    candidates = [pred]
    candidates += [c for c in pred.children if c.dep_ in ("acomp", "attr", "dobj", "xcomp", "conj", "oprd", "prep", "advmod")]
    if head.dep_ == "pobj" and pred.lower_ == "between":
        candidates.append(pred.head)
    each_other = any(t.lower_ in ("together", "jointly", "mutual", "each", "between") for t in pred.subtree)
    jointly = any(t.lower_ in ("together", "jointly", "joint") for t in pred.subtree)
    for c in candidates:
        extra = [c, *[g for g in c.children if g.dep_ in ("pobj", "dobj")]]
        for t in extra:
            trig = _trigger_at(t, lex)
            if trig is None:
                if t.lemma_.lower() in _MESSAGES and any(g.lower_ == "joint" for g in t.children):
                    # "X and Y issued a joint statement"
                    return Trigger(word=t.lemma_, type="cooperates_with", pos="noun", reciprocal=True), t
                continue
            if jointly and trig.type == "hostile_to" and not trig.reciprocal:
                # "X and Y jointly attacked the base": they fight alongside, not each other
                return Trigger(word=trig.word, type="allied_with", pos=trig.pos), t
            if trig.reciprocal or (each_other and trig.type in ("hostile_to", "allied_with", "cooperates_with")):
                return qualified(trig, t, lex), t
            if trig.mutual and t.i == pred.i and not _other_party(pred, lex):
                return qualified(trig, t, lex), t  # "ISSP and JNIM fought several battles"
            if each_other and trig.type in ("supports", "hosts"):
                return Trigger(word=trig.word, type="allied_with", pos=trig.pos), t
    return None


# What a fight may have as its object without a party in it: "fought several battles".
_FIGHTS = {"battle", "skirmish", "gunfight", "firefight", "war", "fight", "clash", "round"}


_SPANS = {"day", "week", "month", "year", "decade", "hour", "time", "while", "night"}


def _other_party(verb: Token, lex: Lexicon) -> bool:
    """Whether a verb of fighting has a party besides its coordinated subjects: an object that
    is not the fight itself ("fought the army", not "fought several battles") or a side
    ("against", "with", "alongside", "on")."""
    for c in verb.children:
        word = c.lemma_.lower()
        if c.dep_ in ("dobj", "dative") and word not in _FIGHTS and not (
                word in lex.nouns and lex.nouns[word].type == "hostile_to"):
            return True
        if c.dep_ == "prep" and c.lower_ in ("against", "with", "alongside", "on"):
            return True
        if c.dep_ == "prep" and c.lower_ == "for" and not any(
                g.dep_ == "pobj" and g.lemma_.lower() in _SPANS for g in c.children):
            return True  # "fought for the Taliban", not "fought for weeks"
    return False


# Prepositions before "the <noun> of X" that make X the giver: "with the backing of X".
_AGENT_OF = {"with", "under", "without", "through", "via"}
def _own_noun_apart(t: Token, path: list[Token], lex: Lexicon) -> bool:
    """ "the support of X and the protection of Y", "X and the protection of Y": coordinated
    trigger nouns each have their own actor; neither ties X to Y."""
    if t.pos_ not in ("NOUN", "PROPN"):
        return False
    on = {p.i for p in path}
    if t.dep_ == "conj" and t.head.i in (path[0].i, path[-1].i):
        # "X and the protection of Y": X is coordinated with the noun, not its argument
        # ("X and other branches of Y" is one of them)
        return not any(c.lower_ in ("other", "fellow", "sister") for c in t.children)
    if t.dep_ == "conj" and t.head.i in on and _trigger_at(t.head, lex) is not None:
        return True
    return any(c.dep_ == "conj" and c.i in on and _trigger_at(c, lex) is not None for c in t.children)


def pair_ties(doc: Doc, ia: int, ib: int, ida: str, idb: str, lex: Lexicon) -> list[FoundTie]:
    """What the rules find between actor tokens ``ia`` and ``ib`` (ids ``ida``, ``idb``)."""
    found = _pair(doc[ia], doc[ib], lex)
    if found is None:
        return []
    trig, t, a_subj, path, rule = found
    subj, obj = (ida, idb) if a_subj else (idb, ida)
    pos = next((n for n, p in enumerate(path) if p.i == t.i), 0)
    governs = sum(1 for n in (pos - 1, pos + 1) if 0 <= n < len(path) and path[n].head.i == t.i)
    out = [FoundTie(subj, trig.type, obj, modality_of(t, path, doc, trig), t, rule, governs, len(path))]
    # "it hosted or cooperated with X": coordinated verbs share their arguments.
    for other in _coordinated_verbs(t):
        trig2 = _trigger_at(other, lex)
        if trig2 is None or trig2.type == trig.type or trig2.needs or any(x.type == trig2.type for x in out):
            continue
        out.append(FoundTie(subj, trig2.type, obj, modality_of(other, path, doc, trig2), other,
                            rule + "+conj", governs, len(path)))
    return out


def find_ties(doc: Doc, actors: dict[int, str], lex: Lexicon, kinds: dict[str, str] | None = None
              ) -> list[FoundTie]:
    """Ties between the actor tokens of one parsed sentence (``actors``: token index -> id).

    ``kinds`` (actor id -> kind) lets states used as places ("attacks in Pakistan")
    stay out of ties.
    """
    actors = acting(doc, actors, kinds)
    out: list[FoundTie] = []
    seen: set[tuple[str, str, str]] = set()
    items = sorted(actors.items())
    for x in range(len(items)):
        for y in range(x + 1, len(items)):
            (ia, ida), (ib, idb) = items[x], items[y]
            if ida == idb:
                continue
            for tie in pair_ties(doc, ia, ib, ida, idb, lex):
                key = (tie.subject, tie.type, tie.object)
                if key not in seen:
                    seen.add(key)
                    out.append(tie)
    return out


HYPHENS = {"-", "\u2010", "\u2011", "\u2013"}


def _hyphen_modifier(a: Token, b: Token, lex: Lexicon):
    """ "LeT, a UN-designated group", "the Qaeda-aligned coalition, Fathbutou": an actor joined by
    a hyphen to a participle, whatever the parser made of the three tokens (it often hangs
    the name and the participle side by side on the noun). The participle ties the actor to
    what its noun stands for, as the compound form does."""
    doc = a.doc
    for x, y in ((a, b), (b, a)):
        if x.i + 2 >= len(doc) or doc[x.i + 1].text not in HYPHENS or doc[x.i + 1].whitespace_ \
                or x.whitespace_:
            continue
        w = doc[x.i + 2]
        trig = lex.modifiers.get(w.lower_)
        if trig is None or trig.skip or w.tag_ not in ("VBN", "JJ") or w.head.i in (x.i, w.i):
            continue
        noun = w.head
        if noun.pos_ not in ("NOUN", "PROPN") or not _describes(noun, y):
            continue
        x_subject = trig.compound == "subject"
        return trig, w, x_subject == (x.i == a.i), [a, w, b], "modifier"
    return None


# Verbs that cast their object in a role: "X considers Y an enemy", "X regards Y as an ally".
REGARD = {"consider", "regard", "see", "view", "deem", "call", "label", "brand", "declare", "treat"}
_ROLE_TYPES = {"hostile_to", "allied_with", "cooperates_with"}


def _regarded(a: Token, b: Token, lex: Lexicon):
    """ "The ISIS affiliate has considered the Taliban an enemy": the subject of a verb of
    regard stands in the role noun's relation to the verb's object. A role of someone else
    ("an ally of Z") is not the subject's."""
    for x, y in ((a, b), (b, a)):
        verb = x.head
        if x.dep_ != "nsubj" or verb.lemma_.lower() not in REGARD or y.dep_ != "dobj" or y.head.i != verb.i:
            continue
        roles = [c for c in y.children if c.dep_ in ("appos", "oprd", "attr")]
        for c in verb.children:
            if c.dep_ in ("oprd", "xcomp", "ccomp"):
                roles += [c, *(g for g in c.children if g.dep_ in ("attr", "oprd"))]
            elif c.dep_ == "prep" and c.lower_ == "as":
                roles += [g for g in c.children if g.dep_ == "pobj"]
        for noun in roles:
            trig = lex.nouns.get(noun.lemma_.lower()) if noun.pos_ == "NOUN" else None
            if trig is None or trig.type not in _ROLE_TYPES:
                continue
            if any(c.dep_ == "prep" and c.lower_ in ("of", "to", "for") for c in noun.children):
                continue
            return trig, noun, x.i == a.i, [a, verb, noun, b], "regard"
    return None


def _pair(a: Token, b: Token, lex: Lexicon):
    rec = _reciprocal(a, b, lex)
    if rec is not None:
        trig, t = rec
        return trig, t, a.i < b.i, [a, t, b], "reciprocal"
    hyphen = _hyphen_modifier(a, b, lex)
    if hyphen is not None:
        return hyphen
    aa, bb = _anchor(_leader_up(_transparent_up(a))), _anchor(_leader_up(_transparent_up(b)))
    if aa.i == bb.i:
        return None
    regard = _regarded(aa, bb, lex)
    if regard is not None:
        return regard
    for x, y in ((aa, bb), (bb, aa)):
        # An actor inside "U.S.-designated" ties only to what the participle modifies.
        if x.dep_ in ("npadvmod", "compound", "nmod") and x.head.lower_ in lex.modifiers:
            if not _describes(x.head.head, y):
                return None
    res = _path(aa, bb)
    if res is None:
        return None
    path, _lca = res
    if len(path) > MAX_PATH:
        return None
    best, best_score = None, -1
    for pos, t in enumerate(path[1:-1], 1):
        trig = _trigger_at(t, lex)
        if trig is None or not _needs_met(trig, t, path):
            continue
        if _own_noun_apart(t, path, lex):
            continue
        if trig.pos == "verb" and any(p.head.i == t.i and p.dep_ in ("dobj", "attr") and p.pos_ == "NOUN"
                                      and _trigger_at(p, lex) is not None for p in path[1:-1]):
            continue  # "hailed warming relations with X": the relation noun on the path says the tie
        ok, a_subj = _direction(trig, t, path, aa, bb, _lca)
        if not ok:
            continue
        if trig.type == "hostile_to" and _joint(t, path, trig):
            trig = Trigger(word=trig.word, type="allied_with", pos=trig.pos)
            a_subj = aa.i < bb.i
        between = [c for c in t.children if c.dep_ == "prep" and c.lower_ == "between"]
        if between and not all(any(x.i == w.i for w in between[0].subtree) for x in (aa, bb)):
            continue  # "meetings between X and Y" ties X and Y, not whoever mentions them
        # A trigger that takes an endpoint as its own argument beats one further
        # away; among equals the one nearer the second actor (usually the object).
        governs = (path[pos - 1].head.i == t.i) + (path[pos + 1].head.i == t.i)
        score = governs * 100 + pos
        if score > best_score:
            best, best_score = (qualified(trig, t, lex), t, a_subj, path, trig.pos), score
    if best is None and _lca.lemma_.lower() in LIGHT_GIVE:
        # "X provided support to Y": the trigger noun is the verb's object, off the path
        for t in _lca.children:
            trig = _trigger_at(t, lex) if t.dep_ == "dobj" else None
            if trig is None or trig.pos != "noun" or trig.type not in ("supports", "hosts"):
                continue
            given = light_dative(t, aa), light_dative(t, bb)
            giver = bb if given[0] and not given[1] else aa if given[1] and not given[0] else None
            if giver is not None and giver.dep_ == "nsubj" and giver.head.i == _lca.i:
                return trig, t, giver.i == aa.i, path, "noun"
    if best is None:
        # "X-backed Y", "Y, an X-linked group": the trigger hangs off one endpoint.
        for t, _other in ((aa, bb), (bb, aa)):
            for c in list(t.children) + [t.head]:
                trig = _trigger_at(c, lex) if c.lower_ in lex.modifiers else None
                if trig and c.i in {p.i for p in path}:
                    ok, a_subj = _direction(trig, c, path, aa, bb)
                    if ok:
                        return trig, c, a_subj, path, "modifier"
    return best
