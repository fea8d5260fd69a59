"""Readable features of a candidate tie (see ``candidates``) for the learned scorer.

Every feature is a short string a person can read back ("on:hosts:>" = a trigger of
``hosts`` on the dependency path takes a as its source), so that a stored tie can say
which features made it. Groups:

* kinds of the two actors, and whether either was reached through coreference;
* the dependency path between them: its length, its labels, the trigger words on it
  with the direction their arguments give, trigger words hanging off it ("remain
  closely aligned"), the words between the two mentions;
* constructions: coordination ("X and Y"), apposition ("X, Y's affiliate"),
  possession, participial modifiers ("X-backed Y"), "between X and Y";
* negation and modal cues (through ``modality``);
* what the rules of ``ties`` found (rule name, type, direction).
"""

from __future__ import annotations

from spacy.tokens import Token

from khabar.extract.candidates import Candidate
from khabar.extract.lexicon import FUTURE_AUX, NEGATORS, Lexicon, Trigger
from khabar.extract.modality import modality_of
from khabar.extract.ties import _anchor, _direction, _path, _transparent_up, _trigger_at

__all__ = ["features", "loose_trigger"]

_CONTENT = ("VERB", "NOUN", "ADJ")


_LOOSE: dict[tuple[int, int, int], Trigger | None] = {}


def loose_trigger(tok: Token, lex: Lexicon) -> Trigger | None:
    """A lexicon entry for a word whatever its part of speech or particles: a weaker cue
    than ``ties._trigger_at``, for words between or near the two mentions."""
    key = (id(lex), tok.orth, tok.lemma)
    if key in _LOOSE:
        return _LOOSE[key]
    found = None
    lemma, low = tok.lemma_.lower(), tok.lower_
    for table in (lex.modifiers, lex.verbs, lex.nouns):
        trig = table.get(low) or table.get(lemma)
        if trig is not None and not trig.skip:
            found = trig
            break
    if len(_LOOSE) > 100_000:
        _LOOSE.clear()
    _LOOSE[key] = found
    return found


def _modality(c: Candidate, t: Token, trig: Trigger | None) -> str:
    """The modality of the clause around ``t``, once per sentence and word."""
    key = ("modality", t.i, trig)
    if key not in c.memo:
        c.memo[key] = modality_of(t, None, c.doc, trig)
    return c.memo[key]


def _arrow(ok: bool, a_subj: bool) -> str:
    return (">" if a_subj else "<") if ok else "x"


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def features(c: Candidate, lex: Lexicon, kinds: dict[str, str]) -> dict[str, float]:
    doc = c.doc
    a, b = doc[c.ia], doc[c.ib]
    ka, kb = kinds.get(c.a, "other"), kinds.get(c.b, "other")
    f: dict[str, float] = {f"k:{ka}>{kb}": 1, f"ka:{ka}": 1, f"kb:{kb}": 1}
    if c.ia in c.coref:
        f["coref:a"] = 1
    if c.ib in c.coref:
        f["coref:b"] = 1
    ua, ub = _transparent_up(a), _transparent_up(b)
    f[f"da:{ua.dep_}"] = 1
    f[f"db:{ub.dep_}"] = 1
    f["dist:" + _bucket(c.ib - c.ia, (2, 4, 8, 15, 25))] = 1
    f["nact:" + _bucket(c.n_actors, (2, 3, 5))] = 1
    # rules
    for tie in c.rules:
        arrow = ">" if c.forward(tie) else "<"
        name = tie.rule.split("+")[0]
        f[f"rule:{name}:{tie.type}:{arrow}"] = 1
        f[f"rtype:{tie.type}:{arrow}"] = 1
        f[f"rgov:{tie.type}:{tie.governs}"] = 1
        f[f"rmod:{tie.modality}"] = 1
    if c.rules:
        f["rule"] = 1
    aa, bb = _anchor(ua), _anchor(ub)
    path_types: list[str] = []
    if aa.i == bb.i:
        f["coord"] = 1  # members of one list: "X and Y remain closely aligned"
        head = aa.head
        for t in [head, *head.children]:
            trig = loose_trigger(t, lex)
            if trig is not None and t.i not in (a.i, b.i):
                f[f"coord:{trig.type}"] = 1
                path_types.append(trig.type)
        modal = _modality(c, head, None)
    else:
        res = _path(aa, bb)
        modal = "asserted"
        if res is not None:
            path, lca = res
            inner = path[1:-1]
            f["plen:" + _bucket(len(path), (3, 4, 5, 7, 9))] = 1
            if len(path) <= 6:
                up = [t.dep_ + "^" for t in path[: path.index(lca)]]
                down = [t.dep_ + "v" for t in path[path.index(lca) + 1:]]
                f["path:" + " ".join(up + [lca.pos_] + down)] = 1
            f[f"lca:{lca.pos_}"] = 1
            if lca.i in (aa.i, bb.i):
                f["lca:end:" + ("a" if lca.i == aa.i else "b") + ":" + (bb if lca.i == aa.i else aa).dep_] = 1
            best = None
            for t in inner:
                trig = _trigger_at(t, lex)
                if t.pos_ in _CONTENT:
                    f[f"onw:{t.lemma_.lower()}"] = 1
                if trig is None:
                    continue
                ok, a_subj = _direction(trig, t, path, aa, bb, lca)
                arrow = _arrow(ok, a_subj)
                f[f"on:{trig.type}"] = 1
                f[f"on:{trig.type}:{arrow}"] = 1
                f[f"on:{trig.type}:{trig.pos}:{arrow}"] = 1
                f[f"on:{trig.type}|{ka}>{kb}"] = 1
                path_types.append(trig.type)
                if best is None or (ok and t.i == lca.i):
                    best = (t, trig)
                # "X-backed" or "Y, an X-linked group"
            on = {t.i for t in path}
            for t in path:
                for ch in t.children:
                    if ch.i in on or ch.dep_ in ("punct", "det"):
                        continue
                    trig = loose_trigger(ch, lex)
                    if trig is not None:
                        f[f"near:{trig.type}"] = 1
                        f[f"near:{trig.type}:{ch.dep_}"] = 1
                        path_types.append(trig.type)
                    if ch.lower_ in ("together", "jointly", "joint", "combined", "alongside", "each", "mutual", "between"):
                        f["near:together"] = 1
            modal = _modality(c, best[0], best[1]) if best is not None else _modality(c, lca, None)
    f[f"modal:{modal}"] = 1
    # words between the two mentions
    between = doc[c.ia + 1: c.ib]
    words = [t.lower_ for t in between if t.lower_ != "the"]
    if not words or words in (["and"], [","], [",", "and"], ["or"]):
        f["btw:list"] = 1
    short = len(between) <= 12
    for t in between:
        if short and t.pos_ in _CONTENT and t.i not in c.actor_tokens:
            f[f"bw:{t.lemma_.lower()}"] = 1
        trig = loose_trigger(t, lex)
        if trig is not None:
            f[f"btw:{trig.type}"] = 1
            if not path_types:
                f[f"btw_only:{trig.type}"] = 1
        if t.lower_ in NEGATORS:
            f["btw:neg"] = 1
        if t.lower_ in FUTURE_AUX:
            f["btw:modal"] = 1
    if "between" in [t.lower_ for t in doc[max(0, c.ia - 2): c.ia]]:
        f["between"] = 1
    # constructions
    if ub.dep_ == "appos" and ub.head.i in (a.i, ua.i):
        f["appos"] = 1
    if ua.dep_ == "appos" and ua.head.i in (b.i, ub.i):
        f["appos:rev"] = 1
    for side, tok, other in (("a", a, b), ("b", b, a)):
        if tok.dep_ == "poss":
            trig = loose_trigger(tok.head, lex)
            f[f"poss:{side}:{trig.type if trig else '-'}"] = 1
        head = tok.head
        if tok.dep_ in ("npadvmod", "compound", "nmod", "amod") and head.lower_ in lex.modifiers:
            trig = lex.modifiers[head.lower_]
            target = head.head
            ok = target.i in (other.i, _transparent_up(other).i)
            f[f"mod:{side}:{trig.type}:{'on' if ok else 'off'}"] = 1
    if not path_types and not c.rules:
        f["no_trigger"] = 1
    return f
