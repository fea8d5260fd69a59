"""Modality (asserted, negated, predicted) and attribution of a tie found in a sentence.

The scope of a tie is its trigger and the words that govern it, climbed up the parse
until something shields the tie from what lies above (see ``_scope``): an apposition or a
possessed noun in an adjunct ("Al-Nusra, al-Qaeda's branch in Syria, will split" states
the branch), a verb that harms or strengthens the tie ("has not harmed the relationship"
states it), a contrasting conjunct ("did not attack but supported"), a relative or
adverbial clause, a second reported clause.

Negation is a parity over that scope: each negator on a governor ("not", "never", "no
longer", "no evidence of"), each denying verb ("refused to", "denied that"), each
"without" or "far from" the tie sits under, and each severing verb whose object is the
tie ("cut ties", "renouncing their alliance") flips it; so "refused to break with its
ally" and "without ever renouncing their alliance" state the tie, twice negated.
"not only ... but" is no negation.

Prediction: a modal or future auxiliary, a predictive word ("likely", "expects",
"plans to"), a conditional ("if"), or a yes/no question whose main clause holds the
tie. A vow or threat of hostility is hostility now ("vowed to fight the army"). A
prediction judged improbable ("the likelihood ... is small") counts as negated.
Word lists: ``data/modality.yaml``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from khabar.data import load_yaml
from khabar.extract.lexicon import SPEECH_VERBS, Trigger

__all__ = ["modality_of", "path_modality", "speaker_of", "modality_words"]


@dataclass(frozen=True)
class Words:
    negators: frozenset[str]
    focus_after_not: frozenset[str]
    negating_verbs: frozenset[str]
    negating_adjectives: frozenset[str]
    negating_nouns: frozenset[str]
    severing_verbs: frozenset[str]
    presupposing_verbs: frozenset[str]
    claim_nouns: frozenset[str]
    affirmed_when_negated: frozenset[str]
    future_aux: frozenset[str]
    predictive: frozenset[str]
    volitional: frozenset[str]
    performative: frozenset[str]
    conditional_marks: frozenset[str]
    low_estimate: frozenset[str]
    contrast_cc: frozenset[str]
    wh_words: frozenset[str]


@functools.cache
def modality_words() -> Words:
    """The bundled word lists (``data/modality.yaml``)."""
    data = load_yaml("modality.yaml")
    return Words(**{f: frozenset(str(w).replace("_", " ") for w in data[f]) for f in Words.__dataclass_fields__})


# Clause links the scope never climbs: what a relative, adverbial or loose clause says
# is its own.
_CLAUSE_STOP = {"relcl", "acl", "advcl", "parataxis"}
# Prepositions whose object stays in the scope: "without the help of X", "no evidence of ties".
_ADJUNCT_PREPS_KEEP = {"without", "with", "of"}
_DETERMINERS = {"the", "this", "that", "these", "those"}
_LIMIT = 9
# Passive or prepositional attachment of a tie noun to a severing verb: "ties were cut",
# "broke with its ally", "broke away from".
_SEVER_PREPS = {"with", "from", "off"}
_LIKELIHOOD = {"likelihood", "chance", "chances", "probability", "likely"}


def _is_verb(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")


def _is_noun(t: Token) -> bool:
    return t.pos_ in ("NOUN", "PROPN", "PRON") or t.tag_.startswith("NN")


def _presupposed(noun: Token) -> bool:
    """A noun phrase the writer takes as given: possessed ("the Taliban's ties") or definite."""
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DETERMINERS) for c in noun.children)


def _shares(conj: Token, head: Token, w: Words) -> bool:
    """A conjunct shares its head's auxiliaries and negation ("did not host or support"),
    unless it has a subject of its own or is set against the head ("not X but Y")."""
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
        return False
    return not any(c.dep_ in ("cc", "mark") and c.lower_ in w.contrast_cc and head.i < c.i < conj.i
                   for c in head.children)


def _object_verb(noun: Token) -> Token | None:
    """The verb that takes a tie noun as its object or passive subject ("cut ties", "ties
    were cut"), directly or through "with"/"from" ("broke with its ally")."""
    if noun.dep_ in ("dobj", "nsubjpass", "nsubj") and _is_verb(noun.head):
        return noun.head
    if noun.dep_ == "pobj" and noun.head.lower_ in _SEVER_PREPS and _is_verb(noun.head.head):
        return noun.head.head
    return None


@dataclass
class _Scope:
    tokens: list[Token]  # the trigger, then its governors up to where the scope stops
    severing: int = 0  # severing verbs whose object is the tie
    shielded: bool = False  # stopped below the sentence root


def _scope(t: Token, w: Words) -> _Scope:
    """The trigger and the words that govern it, up to the first shield (module docstring)."""
    out = _Scope([t])
    cur, crossed = t, 0
    while cur.head.i != cur.i and len(out.tokens) < _LIMIT:
        dep, head = cur.dep_, cur.head
        if dep == "acl" and head.lemma_.lower() in w.negating_nouns:
            pass  # "its refusal to support X": the noun denies its clause
        elif dep in _CLAUSE_STOP or dep == "appos":
            out.shielded = True  # an apposition is the writer's own description
            return out
        if dep in ("ccomp", "csubj"):
            crossed += 1
            if crossed > 1:
                out.shielded = True
                return out
        if dep == "conj" and not _shares(cur, head, w):
            out.shielded = True
            return out
        if _is_noun(cur):
            verb = _object_verb(cur)
            lemma = verb.lemma_.lower() if verb is not None else ""
            if lemma in w.severing_verbs and (cur.dep_ != "nsubj" or not any(
                    c.dep_ == "dobj" for c in verb.children)):
                out.severing += 1
            elif lemma in w.presupposing_verbs and cur.dep_ != "nsubj":
                out.shielded = True  # "has not harmed the relationship": the tie is given
                return out
            elif (dep == "pobj" and head.dep_ == "prep" and head.lower_ not in _ADJUNCT_PREPS_KEEP
                  and _presupposed(cur)):
                out.shielded = True  # "a boost from the Taliban's victory over X"
                return out
        out.tokens.append(head)
        if cur.i == t.i and cur.pos_ == "ADP" and head.lemma_.lower() in w.claim_nouns:
            out.shielded = True  # "X's accusations against Y": denying them is not undoing them
            return out
        cur = head
    return out


def _negations(tok: Token, w: Words) -> int:
    """1 when a negator attaches to ``tok`` ("not", "never", "no", "no longer", a subject
    with "no"/"neither"), else 0."""
    doc = tok.doc
    if tok.lemma_.lower() in w.affirmed_when_negated or any(
            c.dep_ in ("attr", "acomp") and c.lemma_.lower() in w.affirmed_when_negated for c in tok.children):
        return 0  # "no doubt", "was no secret"
    for c in tok.children:
        low = c.lower_
        if c.dep_ == "neg" or (low in w.negators and c.dep_ in ("det", "advmod", "neg", "preconj")):
            if low == "not" and c.i + 1 < len(doc) and doc[c.i + 1].lower_ in w.focus_after_not:
                continue  # "not only ... but also"
            return 1
        if low == "longer" and any(g.lower_ == "no" for g in c.children):
            return 1
        if c.dep_ in ("nsubj", "nsubjpass") and _is_verb(tok) and any(
                g.lower_ in ("no", "neither") and g.dep_ in ("det", "preconj") for g in c.children):
            return 1
    return 0


def _flips(scope: _Scope, t: Token, trig: Trigger | None, w: Words) -> int:
    flips = sum(_negations(g, w) for g in scope.tokens)
    for g in scope.tokens[1:]:
        low, lemma = g.lower_, g.lemma_.lower()
        if (_is_verb(g) and lemma in w.negating_verbs) or (g.pos_ == "ADJ" and lemma in w.negating_adjectives) \
                or (_is_noun(g) and lemma in w.negating_nouns):
            flips += 1  # "refused to host", "denied that it supports", "unwilling to", "its refusal to"
        elif low == "without" and g.pos_ in ("ADP", "SCONJ"):
            flips += 1
        elif low == "from" and g.head.lower_ == "far":
            flips += 1  # "far from supporting"
    if trig is None or trig.type != "splinter_of":  # "broke away from" is how a splinter is born
        flips += scope.severing
    return flips


def _polar_question(scope: _Scope, w: Words) -> bool:
    """A yes/no question whose main clause holds the tie ("Will the Taliban host ...?");
    a wh-question ("why does X support Y?") takes its content as given."""
    top = scope.tokens[-1]
    doc = top.doc
    if scope.shielded or top.head.i != top.i or not doc.text.rstrip().endswith("?"):
        return False
    subj = [c.i for c in top.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    aux = [c.i for c in top.children if c.dep_ in ("aux", "auxpass")]
    if top.pos_ == "AUX":
        aux.append(top.i)
    if not subj or not aux or min(aux) > min(subj):
        return False
    return not any(doc[i].lower_ in w.wh_words for i in range(min(aux)))


def _predicted(scope: _Scope, t: Token, trig: Trigger | None, w: Words) -> bool:
    hostile = trig is not None and trig.type == "hostile_to"

    def predictive(lemma: str) -> bool:
        # a vow or threat of hostility is hostility now
        return lemma in w.predictive and not (hostile and lemma in w.volitional)

    for n, g in enumerate(scope.tokens):
        if _is_verb(g) and any(c.dep_ in ("aux", "auxpass") and c.lower_ in w.future_aux for c in g.children):
            return True
        lemma = g.lemma_.lower()
        if g.i != t.i and predictive(lemma) and not (
                lemma in w.performative and scope.tokens[n - 1].dep_ not in ("xcomp", "ccomp")):
            return True
        if any(c.dep_ == "mark" and c.lower_ in w.conditional_marks for c in g.children):
            return True
        if any(c.dep_ in ("acomp", "advmod", "amod") and predictive(c.lemma_.lower()) for c in g.children):
            return True
        if g.lemma_ == "go" and g.tag_ == "VBG" and any(c.dep_ == "xcomp" for c in g.children):
            return True  # "is going to support"
    return _polar_question(scope, w)


def modality_of(t: Token, path: list[Token] | None = None, doc: Doc | Span | None = None,
                trig: Trigger | None = None) -> str:
    """The modality of the tie that trigger token ``t`` expresses: "asserted", "negated"
    or "predicted". ``path`` and ``doc`` are accepted for the callers' convenience; the
    sentence is ``t.doc`` (extraction parses one sentence per Doc)."""
    w = modality_words()
    scope = _scope(t, w)
    predicted = _predicted(scope, t, trig, w)
    if predicted and scope.severing:
        # "threatened to end its support", "would not break its ties": the tie holds now
        return "asserted"
    negated = _flips(scope, t, trig, w) % 2 == 1
    if predicted and not negated:
        low = {tok.lower_ for tok in t.doc}
        if low & w.low_estimate and low & _LIKELIHOOD:
            negated = True  # "the likelihood of ... is small"
    if negated:
        return "negated"
    return "predicted" if predicted else "asserted"


def path_modality(path: list[Token], lca: Token, trig: Trigger | None = None) -> str:
    """The modality of a tie that no trigger word carries, read off the dependency path
    between its two actors: from the lowest verb on the path (the clause that links them:
    "X, which denied giving any support to Y"), else from their lowest common ancestor."""
    def depth(t: Token) -> int:
        n = 0
        while t.head.i != t.i and n < 60:
            t, n = t.head, n + 1
        return n

    verbs = [t for t in path[1:-1] if _is_verb(t)]
    return modality_of(max(verbs, key=depth) if verbs else lca, path, None, trig)


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
