"""Candidate ties: every pair of actor mentions in a parsed sentence.

A candidate is two actor tokens of one parsed sentence (names merged into one token,
pronouns and "the group" resolved by ``coref``), in sentence order: ``a`` before ``b``.
It carries what the rules of ``ties`` found between them, so that the learned scorer of
``tiemodel`` reads the rules as features and can keep them as overrides. Labels and
predicted directions are relative to this order: ``>`` means a is the tie's source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from khabar.extract.lexicon import Lexicon
from khabar.extract.ties import FoundTie, acting, pair_ties

__all__ = ["Candidate", "candidates"]

MAX_ACTORS = 12  # a sentence listing more actors than this is a list, not a set of ties


@dataclass
class Candidate:
    doc: Doc
    ia: int
    ib: int
    a: str
    b: str
    rules: list[FoundTie] = field(default_factory=list)
    coref: frozenset[int] = frozenset()  # token indices resolved by coreference
    n_actors: int = 2  # distinct actors of the sentence
    feats: dict[str, float] = field(default_factory=dict)  # see ``features``
    actor_tokens: frozenset[int] = frozenset()  # every actor token of the sentence
    memo: dict = field(default_factory=dict)  # shared by the candidates of one sentence

    def forward(self, tie: FoundTie) -> bool:
        """Whether a rule tie runs from ``a`` to ``b``."""
        return tie.subject == self.a


def candidates(doc: Doc, actors: dict[int, str], lex: Lexicon, kinds: dict[str, str] | None = None,
               coref: frozenset[int] | set[int] = frozenset(),
               plural: dict[int, list[str]] | None = None) -> list[Candidate]:
    """Every pair of distinct actors' tokens of one parsed sentence, with the rules' ties.

    ``plural`` (token index -> actor ids): a plural anaphor ("both groups") stands for each
    of the actors it refers to; they are never paired with each other through it."""
    actors = acting(doc, actors, kinds)
    items = sorted(list(actors.items()) + [(i, a) for i, ids in (plural or {}).items() for a in ids])
    distinct = len({a for _, a in items})
    if distinct > MAX_ACTORS:
        items = items[: MAX_ACTORS * 2]
    coref = frozenset(coref) | frozenset(plural or ())
    tokens = frozenset(actors) | frozenset(plural or ())
    memo: dict = {}
    out = []
    for x in range(len(items)):
        for y in range(x + 1, len(items)):
            (ia, ida), (ib, idb) = items[x], items[y]
            if ida == idb or ia == ib:
                continue
            rules = pair_ties(doc, ia, ib, ida, idb, lex)
            out.append(Candidate(doc, ia, ib, ida, idb, rules, coref, distinct, actor_tokens=tokens, memo=memo))
    return out
