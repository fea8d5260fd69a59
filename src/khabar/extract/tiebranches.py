"""A branch named through its parent: "Islamic State's branch in Afghanistan".

Articles about a branch often name it by its parent and a branch noun ("the ISIS
Afghanistan affiliate", "a regional affiliate of Islamic State", "al-Qaeda's branch in
Yemen") as well as by its own name. The phrase is a mention of the parent to the
gazetteer, so no sentence holds the two names a tie needs; yet the document says that the
branch belongs to the parent. When a document names exactly one branch of a parent (the
gazetteer's ``parent``), a sentence that calls the parent's branch so is the evidence that
the branch is its ``affiliate_of``.

Only branch nouns count: an "offshoot" or "faction" split from its parent (``splinter_of``),
and a "-linked" or "-aligned" group is not necessarily a branch.

A weaker reading (``branch:near``, scored lower): a branch named in the same sentence as
its gazetteer parent or in the next one, where the sentence rules found no tie between
them, is taken as its affiliate; the sentence naming the branch is the evidence. Measured
on train (cross-validated) this adds about six true ties for four false ones, mostly
groups the gazetteer files under a parent that the text calls an ally or a splinter.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable

from khabar.schema import Assertion, Mention

__all__ = ["branch_ties", "branch_nouns", "only_branches", "BRANCH_KINDS"]

BRANCH_KINDS = ("armed_group", "media_outlet")
WINDOW = 1  # sentences between a branch and its parent for "branch:near"
_NOUNS = r"(?:branch|branches|affiliate|affiliates|franchise|province|wing|arm|chapter|wilayat)"
# after the parent's name: "Islamic State's branch", "the ISIS Afghanistan affiliate",
# "al-Qaeda's South Asian branch"
_AFTER = re.compile(rf"^(?:'s?)?(?:\s+[\w-]+){{0,2}}?\s+{_NOUNS}\b", re.I)
# before it: "an affiliate of Islamic State", "the local branch of al-Qaeda"
_BEFORE = re.compile(rf"\b{_NOUNS}\s+(?:of|to)\s+(?:the\s+)?$", re.I)


_NOUN_WORD = re.compile(rf"^{_NOUNS}$", re.I)


def only_branches(present: Iterable[str], parent: Callable[[str], str | None],
                  kind: Callable[[str], str | None]) -> dict[str, str]:
    """{parent: its branch} for each parent of which a document names exactly one branch."""
    children: dict[str, list[str]] = {}
    for actor in sorted(set(present)):
        p = parent(actor)
        if p and kind(actor) in BRANCH_KINDS:
            children.setdefault(p, []).append(actor)
    return {p: kids[0] for p, kids in children.items() if len(kids) == 1}


def branch_nouns(sub, actors: dict[int, str], branches: dict[str, str]) -> dict[int, str]:
    """Parsed-sentence tokens that name a branch through its parent: in "the ISIS Afghanistan
    affiliate has considered the Taliban an enemy" and "Islamic State's branch in Afghanistan
    claimed the attack" the branch noun stands for the document's one branch of ISIS, as its
    name would. Returns {token index: branch id} for the branch nouns (the parent's own token
    keeps the parent, whose affiliate the branch is)."""
    out: dict[int, str] = {}
    for i, actor in actors.items():
        kid = branches.get(actor)
        if kid is None or kid in actors.values():
            continue
        tok = sub[i]
        noun = None
        # after the name: the noun it qualifies, through at most two words ("ISIS Afghanistan affiliate")
        head, steps = tok, 0
        while head.dep_ in ("compound", "poss", "nmod", "amod") and head.head.i != head.i and steps < 3:
            head, steps = head.head, steps + 1
            if _NOUN_WORD.match(head.text):
                noun = head
                break
        # before it: "an affiliate of Islamic State", "the local branch of al-Qaeda"
        if noun is None and tok.dep_ == "pobj" and tok.head.lower_ == "of" and _NOUN_WORD.match(tok.head.head.text):
            noun = tok.head.head
        if noun is not None and noun.i not in actors and not any(c.dep_ == "prep" and c.lower_ == "of"
                                                                   and c.i != tok.head.i for c in noun.children):
            out[noun.i] = kid
    return out


def branch_ties(doc_id: str, text: str, mentions: Iterable[Mention], parent: Callable[[str], str | None],
                kind: Callable[[str], str | None], sentences: list[tuple[int, int]],
                existing: Iterable[Assertion] = ()) -> list[Assertion]:
    """``affiliate_of`` ties of a document's branches to their parents: from a sentence that
    names the parent with a branch noun (one branch of it in the document), else from a
    branch named next to its parent. ``sentences`` are the (start, end) spans."""
    mentions = [m for m in mentions if m.via != "coref"]
    present = {m.actor_id for m in mentions}
    children: dict[str, list[str]] = {}
    for actor in sorted(present):  # sorted: the same output in every process (set order varies)
        p = parent(actor)
        if p and p in present and kind(actor) in BRANCH_KINDS:
            children.setdefault(p, []).append(actor)
    existing = list(existing)
    have = {(a.subject, a.object) for a in existing if a.type == "affiliate_of"}
    tied = {frozenset((a.subject, a.object)) for a in existing}
    starts = [s for s, _ in sentences]
    out: list[Assertion] = []
    for m in mentions:
        kids = children.get(m.actor_id, [])
        if len(kids) != 1 or (kids[0], m.actor_id) in have:
            continue
        k = bisect.bisect_right(starts, m.start) - 1
        if k < 0 or m.end > sentences[k][1]:
            continue
        s0, s1 = sentences[k]
        after, before = text[m.end:min(s1, m.end + 40)], text[max(s0, m.start - 30):m.start]
        if not (_AFTER.match(after) or _BEFORE.search(before)):
            continue
        have.add((kids[0], m.actor_id))
        out.append(Assertion(doc_id=doc_id, subject=kids[0], type="affiliate_of", object=m.actor_id,
                             sentence=text[s0:s1], start=s0, end=s1, trigger=m.surface, rule="branch",
                             score=0.7))
    # the branch and its parent named in one sentence or the next: a text that names them
    # together speaks of the one as part of the other (the gazetteer's parent)
    sent_of: dict[str, set[int]] = {}
    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        sent_of.setdefault(m.actor_id, set()).add(k)
    for p, kids in sorted(children.items()):
        for kid in kids:
            if (kid, p) in have or frozenset((kid, p)) in tied:
                continue
            near = sorted(k for k in sent_of.get(kid, ()) if any(abs(k - j) <= WINDOW for j in sent_of.get(p, ())))
            if not near:
                continue
            s0, s1 = sentences[near[0]]
            have.add((kid, p))
            out.append(Assertion(doc_id=doc_id, subject=kid, type="affiliate_of", object=p,
                                 sentence=text[s0:s1], start=s0, end=s1, trigger="", rule="branch:near",
                                 score=0.5))
    return out
