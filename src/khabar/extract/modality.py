"""Modality (asserted, negated, predicted) and attribution of a tie found in a sentence.

Negation: a negator on the trigger or on a verb that governs it ("did not support",
"no ties", "without the help of"), or a negating verb above it ("refused to host").
A severing verb flips a tie noun ("would not break its ties" holds the tie).
Prediction: a modal or future auxiliary, a predictive word ("likely", "expects"),
a conditional ("if"), or a question. A prediction judged improbable ("the
likelihood ... is small") counts as negated.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from khabar.extract.lexicon import (
    FUTURE_AUX,
    LOW_ESTIMATE,
    NEGATING_VERBS,
    NEGATORS,
    PREDICTIVE,
    SEVERING,
    SPEECH_VERBS,
    Trigger,
)

__all__ = ["modality_of", "speaker_of"]

_CLAUSE_STOP = {"ccomp", "advcl", "relcl", "acl", "parataxis"}


def _governors(t: Token, limit: int = 6) -> list[Token]:
    """The trigger and the verbs above it within its clause and the clause that embeds it."""
    out = [t]
    cur = t
    crossed = 0
    while cur.head.i != cur.i and len(out) < limit:
        if cur.dep_ in _CLAUSE_STOP:
            crossed += 1
            if crossed > 1 or cur.dep_ in ("relcl", "acl", "advcl"):
                break
        cur = cur.head
        out.append(cur)
    return out


def _negated_here(tok: Token) -> bool:
    for c in tok.children:
        if c.dep_ == "neg" or (c.lower_ in NEGATORS and c.dep_ in ("det", "advmod", "neg", "prep", "preconj")):
            return True
    return False


def modality_of(t: Token, path: list[Token], doc: Doc | Span, trig: Trigger | None = None) -> str:
    govs = _governors(t)
    # Count negations on the trigger and the verbs above it: "did not support" (1),
    # "refused to break with their ally" (2: the tie holds), "no ties" (1).
    flips = 0
    for g in govs:
        is_verb = g.pos_ in ("VERB", "AUX")
        if g.i == t.i or is_verb:
            if _negated_here(g):
                flips += 1
        if g.i != t.i and is_verb and g.lemma_.lower() in NEGATING_VERBS:
            flips += 1
        if g.i != t.i and is_verb and g.lemma_.lower() in SEVERING and trig is not None and trig.type != "splinter_of":
            flips += 1
    if any(tok.lower_ == "without" for tok in path) or t.head.lower_ == "without":
        flips = max(flips, 1)
    negated = flips % 2 == 1
    predicted = False
    for g in govs:
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX for c in g.children):
            predicted = True
        if g.lemma_.lower() in PREDICTIVE and g.i != t.i:
            predicted = True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in g.children):
            predicted = True
        if any(c.lemma_.lower() in PREDICTIVE and c.dep_ in ("acomp", "advmod", "amod") for c in g.children):
            predicted = True
    sent = t.doc  # extraction parses one sentence per doc
    text = sent.text.strip()
    if text.endswith("?"):
        predicted = True
    if predicted and not negated:
        low = {tok.lower_ for tok in sent}
        if low & LOW_ESTIMATE and ({"likelihood", "chance", "chances", "probability", "likely"} & low):
            negated = True
    if negated:
        return "negated"
    return "predicted" if predicted else "asserted"


def speaker_of(sent: Span) -> Span | None:
    """Who a sentence attributes its content to (the tokens that name them): the subject of
    a speech verb, or "according to X"."""
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor(1).lower_ == "to":
            objs = [c for c in tok.nbor(1).children if c.dep_ == "pobj"]
            if objs:
                return _phrase(objs[0])
    for tok in sent:
        if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ == "VERB":
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            if subj and subj[0].pos_ in ("PROPN", "NOUN", "PRON"):
                return _phrase(subj[0])
    return None


def _phrase(tok: Token) -> Span:
    words = [t for t in tok.subtree if t.dep_ not in ("punct", "relcl", "appos", "acl", "prep") or t is tok]
    # keep the contiguous span around the head
    left = min(w.i for w in words)
    right = tok.i
    for w in words:
        if w.i > right and w.i == right + 1:
            right = w.i
    return tok.doc[left : right + 1]
