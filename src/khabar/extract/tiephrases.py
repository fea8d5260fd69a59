"""Phrase shapes the tie rules of ``ties`` read: nouns that stand for their actor ("Taliban
fighters"), nouns that describe an actor (apposition, copula), giving verbs ("provided
support to X"), joint attacks, relation nouns typed by their adjective and coordinated
verbs sharing their arguments. Small token tests, no lexicon look-ups but ``qualifiers``.
"""

from __future__ import annotations

from spacy.tokens import Token

from khabar.extract.lexicon import Lexicon, Trigger

__all__ = ["LIGHT_GIVE", "TRANSPARENT", "coordinated_verbs", "describes", "joint", "light_dative", "qualified",
           "transparent_up"]

# Nouns that stand for their actor when an actor name modifies them: "Taliban members",
# "U.S. forces", "Al-Qaeda seniors".
TRANSPARENT = {
    "member", "fighter", "militant", "leader", "leadership", "official", "force", "troop", "soldier",
    "senior", "commander", "cadre", "operative", "delegation", "spokesman", "government", "army",
    "regime", "administration", "authority", "unit", "rank", "representative", "chief",
    "insurgent", "jihadist", "gunman", "rebel", "extremist", "terrorist", "bomber", "guard", "personnel",
    "officer", "agent", "envoy", "diplomat", "minister", "ministry", "police", "emir", "deputy",
    # the generic head of a name the text writes longer than the gazetteer: "Pakistan's
    # Inter-Services Intelligence Agency", "the Islamic State outfit"
    "agency", "directorate", "outfit", "organisation", "organization", "service",
}

# Verbs that hand their object noun to a receiver: "provided support to X", "gave refuge to X".
LIGHT_GIVE = {"give", "provide", "offer", "extend", "lend", "grant", "afford"}


def light_dative(t: Token, end: Token) -> bool:
    """Whether actor ``end`` receives trigger noun ``t`` through the verb that gives it."""
    verb = t.head
    if t.dep_ != "dobj" or verb.lemma_.lower() not in LIGHT_GIVE:
        return False
    up = transparent_up(end)
    if up.dep_ == "dative" and up.head.i == verb.i:
        return True
    return up.dep_ == "pobj" and up.head.lower_ in ("to", "for") and up.head.head.i == verb.i

# Words that make an attack a shared one: "a joint raid", "fought alongside".
_JOINT = {"joint", "jointly", "combined", "together", "alongside", "coordinated"}


def joint(t: Token, path: list[Token], trig: Trigger) -> bool:
    """A hostile word shared by the two actors: "a joint X and Y operation", "X's joint raid
    with Y", "X attacked the base together with Y": the tie is fighting alongside. Not the
    enemy of "against" ("fought alongside X against Y": Y is the enemy), nor the other side
    of a reciprocal word ("clashed with Y", "a war with Y")."""
    on = {p.i for p in path}
    if any(c.dep_ == "prep" and c.lower_ in ("against", "on") and c.i in on for c in t.children):
        return False
    if any(e.dep_ == "dobj" and e.head.i == t.i for e in (path[0], path[-1])):
        return False  # "X fought Y together with Z": Y is the target
    heads = [t, t.head] if t.dep_ == "conj" else [t]  # "a joint X and Y operation"
    if any(c.lower_ in _JOINT and (c.dep_ != "prep" or c.i in on) for h in heads for c in h.children):
        return True
    withs = ("alongside",) if trig.reciprocal else ("with", "alongside")
    return any(c.dep_ == "prep" and c.lower_ in withs and c.i in on for c in t.children)

def qualified(trig: Trigger, t: Token, lex: Lexicon) -> Trigger:
    """A relation noun retyped by its adjective: "a cooperative relationship" is cooperation,
    "hostile relations" hostility, "close ties" stay an alliance (``qualifiers`` in the lexicon)."""
    if trig.pos != "noun" or not trig.reciprocal:
        return trig
    mods = [c for c in t.children if c.dep_ in ("amod", "compound")]
    mods += [g for c in mods for g in c.children if g.dep_ == "conj"]  # "an ongoing and cooperative relationship"
    for c in mods:
        if c.lemma_.lower() in lex.qualifiers:
            return Trigger(word=trig.word, type=lex.qualifiers[c.lemma_.lower()], pos=trig.pos,
                           poss=trig.poss, of=trig.of, reciprocal=True)
    return trig


def describes(noun: Token, actor: Token) -> bool:
    """Whether ``noun`` stands for ``actor``: the actor itself, a noun it qualifies ("Taliban
    fighters"), a noun in apposition ("the IJU, an al-Qaeda-linked group"; "an
    Afghanistan-based group, the JuA") or the predicate of a copula ("the IJU is an
    al-Qaeda-linked group"). A participle on such a noun ties its compound to the actor."""
    if noun.i == actor.i or noun.i == transparent_up(actor).i:
        return True
    if noun.dep_ == "appos" and noun.head.i == actor.i:
        return True
    if actor.dep_ == "appos" and actor.head.i == noun.i:
        return True
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        return any(c.i == actor.i and c.dep_ == "nsubj" for c in noun.head.children)
    return False


# Posts whose holder acts for the group: "the emir of X", "the deputy leader of X".
LEADERS = {"emir", "amir", "leader", "chief", "head", "commander", "deputy", "founder", "spokesman",
           "spokesperson"}


def transparent_up(tok: Token) -> Token:
    """Climb from an actor name to the noun it qualifies when that noun stands for it."""
    if tok.dep_ in ("compound", "nmod", "amod", "poss") and tok.head.lemma_.lower() in TRANSPARENT:
        return tok.head
    return tok


def leader_up(tok: Token) -> Token:
    """From a group to the person who acts for it: "designated Osama Mehmood, the emir of
    AQIS" (AQIS stands at the name the post is in apposition to), "the leader of ISI
    declared a merger" (at the post). Anything else stays where it is."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "of" or tok.head.dep_ != "prep":
        return tok
    post = tok.head.head
    if post.lemma_.lower() not in LEADERS or post.pos_ != "NOUN":
        return tok
    if post.dep_ == "appos" and post.head.pos_ == "PROPN" and post.head.i != post.i:
        return post.head
    return post


def coordinated_verbs(t: Token) -> list[Token]:
    """Verbs coordinated with ``t`` that have no subject or object of their own."""
    if t.pos_ != "VERB":
        return []
    out = []
    for v in [t.head] if t.dep_ == "conj" else [c for c in t.children if c.dep_ == "conj"]:
        if v.pos_ != "VERB" or v.i == t.i:
            continue
        own = [c for c in v.children if c.dep_ in ("nsubj", "dobj", "nsubjpass")]
        mine = [c for c in t.children if c.dep_ in ("nsubj", "dobj", "nsubjpass")]
        if not own or not mine:
            out.append(v)
    return out
