"""Where an actor's name is a place, not a party: "attacks in Pakistan", "Syria's
al-Nusra Front", a dateline ("KABUL, AFGHANISTAN -"). Such names stay out of ties
(``ties.acting``); ``events`` reads the same test for the places of events.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from khabar.extract.lexicon import LOCATIVE_PREPOSITIONS

__all__ = ["acting", "is_place"]


def _anchor(tok: Token) -> Token:
    """A coordinated list member stands where the list's first member stands."""
    seen = 0
    while tok.dep_ == "conj" and tok.head.i != tok.i and seen < 20:
        tok = tok.head
        seen += 1
    return tok



_LOCATIVE = LOCATIVE_PREPOSITIONS
_TERRITORIAL_VERBS = {"invade", "enter", "leave", "seize", "capture", "conquer", "visit", "reach", "control",
                      "occupy", "govern", "rule", "flee", "cross", "quit", "withdraw", "return", "travel"}
_PLACE_NOUNS = {"haven", "sanctuary", "ground", "hotbed", "base", "home", "battlefield", "province", "capital",
                "city", "border", "territory", "soil", "provinces", "region", "country", "mountains", "side"}


def is_place(tok: Token) -> bool:
    """A country name used as the place where something is, not as an actor."""
    tok = _anchor(tok)
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in _LOCATIVE:
        return True
    if tok.dep_ == "dobj" and head.lemma_.lower() in _TERRITORIAL_VERBS:
        return True
    if tok.dep_ == "poss" and head.lemma_.lower() in _PLACE_NOUNS:
        return True
    if tok.dep_ in ("compound", "nmod") and head.lemma_.lower() in _PLACE_NOUNS:
        return True
    if tok.dep_ == "nsubj" and head.lemma_ == "be":
        return any(c.dep_ == "attr" and c.lemma_.lower() in _PLACE_NOUNS for c in head.children)
    return False


def acting(doc: Doc, actors: dict[int, str], kinds: dict[str, str] | None = None) -> dict[int, str]:
    """The actor tokens that can be party to a tie: a state used as a place ("attacks in
    Pakistan", "Syria's al-Nusra Front") is left out."""
    kinds = kinds or {}

    dateline = _dateline_end(doc)

    def place(i: int) -> bool:
        if i < dateline:
            return True  # "KABUL, AFGHANISTAN –": where the report was filed
        tok = doc[i]
        if tok.dep_ == "poss" and tok.head.i in actors and kinds.get(actors[tok.head.i]) != "state":
            return True  # "Syria's al-Nusra Front"
        return is_place(tok)

    return {i: a for i, a in actors.items() if not (kinds.get(a) == "state" and place(i))}


_DASHES = {"-", "–", "—", "--"}


def _dateline_end(doc: Doc) -> int:
    """The first token after a dateline ("KABUL, Afghanistan — ..."), or 0: a dash among
    the first six tokens, before any verb, after a place in capitals."""
    if not (len(doc) and doc[0].is_upper and doc[0].is_alpha and len(doc[0]) > 2):
        return 0
    for tok in doc[:7]:
        if tok.text in _DASHES and tok.i > 0:
            return tok.i + 1
        if tok.pos_ in ("VERB", "AUX"):
            return 0
    return 0
