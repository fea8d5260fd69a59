"""The learned tie scorer: type-or-none and direction for every candidate pair.

Two linear models read the features of ``features``: a multinomial one gives each
candidate a probability for "none" and for each tie type; a binary one gives, for
the directed types, the probability that the earlier mention (``a``) is the source.
The weights are plain JSON (``data/tie_model.json``, built by ``tools/train_ties.py``),
so that running needs no scikit-learn; training (``train_tie_model``) does.

The rules of ``ties`` are features and also overrides: a rule tie stands unless the
model gives its type less than ``veto``; the model adds ties of its own above
``threshold``. Every tie says what made it (``FoundTie.rule``): the rule, or
``model`` and the features that weighed most.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc, Token

from khabar.extract.candidates import Candidate, candidates
from khabar.extract.features import features, loose_trigger
from khabar.extract.lexicon import Lexicon
from khabar.extract.ties import FoundTie, _anchor, _path, _transparent_up, _trigger_at
from khabar.schema import is_symmetric

__all__ = ["TieModel", "train_tie_model", "MODEL_FILE"]

MODEL_FILE = "tie_model.json"
FORMAT = "khabar-tie-model/1"


@dataclass
class Linear:
    """A linear model as JSON: one weight vector per feature, one intercept per class."""

    classes: list[str]
    intercept: list[float]
    weights: dict[str, list[float]]

    def scores(self, feats: dict[str, float]) -> list[float]:
        z = list(self.intercept)
        for name, value in feats.items():
            w = self.weights.get(name)
            if w is not None:
                for k, wk in enumerate(w):
                    z[k] += wk * value
        return z

    def contributions(self, feats: dict[str, float], k: int) -> list[tuple[float, str]]:
        return sorted(((self.weights[n][k] * v, n) for n, v in feats.items() if n in self.weights), reverse=True)

    def to_dict(self) -> dict:
        return {"classes": self.classes, "intercept": [round(x, 6) for x in self.intercept],
                "weights": {n: [round(x, 6) for x in w] for n, w in sorted(self.weights.items())}}

    @classmethod
    def from_dict(cls, d: dict) -> Linear:
        return cls(list(d["classes"]), list(d["intercept"]), {n: list(w) for n, w in d["weights"].items()})


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z > -50 else 0.0


def direction_features(feats: dict[str, float], tie_type: str) -> dict[str, float]:
    """The direction model reads every feature, and each again joined with the type."""
    out = dict(feats)
    for name, value in feats.items():
        out[f"{tie_type}|{name}"] = value
    out[f"type:{tie_type}"] = 1
    return out


_FLIP = str.maketrans({">": "<", "<": ">"})


def canonical(feats: dict[str, float]) -> dict[str, float]:
    """A candidate's features without its order: what a pair of actors has, whichever
    of them the sentence names first ("on:hosts:>" and "on:hosts:<" both read
    "on:hosts:~", "da:nsubj" and "db:nsubj" read "d:nsubj")."""
    out: dict[str, float] = {}
    for name, value in feats.items():
        head, _, rest = name.partition(":")
        if head in ("da", "db"):
            name = f"d:{rest}"
        elif head in ("ka", "kb"):
            name = f"kind:{rest}"
        elif head == "k":
            name = "k:" + "|".join(sorted(rest.split(">", 1)))
        elif head in ("coref", "appos"):
            name = head
        elif head in ("poss", "mod"):
            name = head + ":" + rest.split(":", 1)[1]
        elif head == "lca" and rest.startswith("end:"):
            name = "lca:end:" + rest.split(":", 2)[2]
        elif head == "path":
            steps = rest.split(" ")
            back = [w[:-1] + ("v" if w.endswith("^") else "^") if w[-1:] in "^v" else w for w in reversed(steps)]
            name = "path:" + min(" ".join(steps), " ".join(back))
        elif head == "on" and "|" in rest:
            t, _, k = rest.partition("|")
            name = f"on:{t}|" + "|".join(sorted(k.split(">", 1)))
        else:
            name = name.replace(">", "~").replace("<", "~")
        out[name] = max(out.get(name, 0.0), value)
    return out


def pair_features(group: list[dict[str, float]]) -> dict[str, float]:
    """The features of one pair of actors in one document: every feature any of its
    candidates has, and how many candidates (sentences) name both."""
    out: dict[str, float] = {}
    for feats in group:
        out.update(canonical(feats))
    n = len(group)
    out["n:" + ("1" if n == 1 else "2" if n == 2 else "3-4" if n <= 4 else "5+")] = 1
    rules = sum(1 for feats in group if "rule" in feats)
    if rules:
        out["rules:" + ("1" if rules == 1 else "2+")] = 1
    return out


@dataclass
class TieModel:
    """Rules plus (when loaded) the learned scorer. ``TieModel()`` is rules only."""

    types: Linear | None = None  # one-vs-rest: a probability per tie type for a pair of actors
    direction: Linear | None = None  # per candidate: the earlier mention is the source
    threshold: float = 0.5
    veto: float = 0.0
    recorder: dict | None = None  # training: document id -> [(a, b, features)] of its candidates
    source: str = "rules only"  # where the weights came from, for messages and the model card

    @property
    def learned(self) -> bool:
        return self.types is not None

    @classmethod
    def load(cls, path: str | Path | None = None) -> TieModel:
        """The packaged model (``path=None``) or the one at ``path``. A missing packaged file
        gives rules only (``learned`` is False); a missing explicit path is an error."""
        if path is None:
            res = resources.files("khabar.data").joinpath(MODEL_FILE)
            if not res.is_file():
                return cls(source=f"rules only: no packaged {MODEL_FILE} (build it with tools/train_ties.py)")
            text, where = res.read_text("utf-8"), f"packaged {MODEL_FILE}"
        else:
            text, where = Path(path).read_text("utf-8"), str(path)
        model = cls.from_dict(json.loads(text))
        model.source = where
        return model

    @classmethod
    def from_dict(cls, d: dict) -> TieModel:
        if d.get("format") != FORMAT:
            raise ValueError(f"not a tie model ({d.get('format')!r})")
        return cls(types=Linear.from_dict(d["types"]), direction=Linear.from_dict(d["direction"]),
                   threshold=float(d["threshold"]), veto=float(d["veto"]))

    def to_dict(self) -> dict:
        if self.types is None or self.direction is None:
            raise ValueError("a rules-only model has no weights to write")
        return {"format": FORMAT, "threshold": self.threshold, "veto": self.veto,
                "types": self.types.to_dict(), "direction": self.direction.to_dict()}

    def save(self, path: str | Path) -> None:
        # one feature per line: small diffs when the model is retrained
        text = json.dumps(self.to_dict(), sort_keys=True, indent=1)
        text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + ", ".join(
            x.strip() for x in m.group(1).split(",")) + "]", text)
        Path(path).write_text(text + "\n", "utf-8")

    # -- scoring ----------------------------------------------------------------
    def type_probs(self, pair_feats: dict[str, float]) -> dict[str, float]:
        """The probability of each tie type between a pair of actors of a document."""
        assert self.types is not None
        return {t: _sigmoid(z) for t, z in zip(self.types.classes, self.types.scores(pair_feats), strict=True)}

    def forward_prob(self, feats: dict[str, float], tie_type: str) -> float:
        """The probability that a candidate's earlier mention is the source of a directed tie."""
        assert self.direction is not None
        return _sigmoid(self.direction.scores(direction_features(feats, tie_type))[0])

    def sentence_candidates(self, doc: Doc, actors: dict[int, str], lex: Lexicon,
                            kinds: dict[str, str] | None = None,
                            coref: frozenset[int] | set[int] = frozenset(),
                            plural: dict[int, list[str]] | None = None) -> list[Candidate]:
        """The candidates of one parsed sentence, with their features when they are needed."""
        kinds = kinds or {}
        out = candidates(doc, actors, lex, kinds, coref, plural)
        if self.learned or self.recorder is not None:
            for c in out:
                c.feats = features(c, lex, kinds)
        return out

    def ties(self, doc: Doc, actors: dict[int, str], lex: Lexicon, kinds: dict[str, str] | None = None,
             coref: frozenset[int] | set[int] = frozenset()) -> list[FoundTie]:
        """The ties of one parsed sentence read on its own (``actors``: token index -> actor id)."""
        cands = self.sentence_candidates(doc, actors, lex, kinds, coref)
        return [tie for _, tie in self.document_ties([cands], lex)]

    def document_ties(self, sentences: list[list[Candidate]], lex: Lexicon,
                      doc_id: str = "") -> list[tuple[int, FoundTie]]:
        """The ties of a document from its sentences' candidates, as (sentence index, tie).

        Rules alone: each rule tie where it was found. Learned: each pair of actors is
        scored once over all its candidates; a rule tie stands unless its type scores
        below ``veto``, and a type scoring ``threshold`` or more is added, in each sentence
        that has a cue for it (else in the pair's first sentence)."""
        if self.recorder is not None:
            self.recorder.setdefault(doc_id, []).extend((c.a, c.b, c.feats) for cands in sentences for c in cands)
        out: list[tuple[int, FoundTie]] = []
        seen: set[tuple[int, str, str, str]] = set()

        def add(n: int, tie: FoundTie) -> None:
            s, o = tie.subject, tie.object
            if is_symmetric(tie.type) and s > o:
                s, o = o, s
            if (n, s, tie.type, o) not in seen:
                seen.add((n, s, tie.type, o))
                out.append((n, tie))

        if not self.learned:
            for n, cands in enumerate(sentences):
                for c in cands:
                    for tie in c.rules:
                        add(n, tie)
            return out
        pairs: dict[tuple[str, str], list[tuple[int, Candidate]]] = {}
        for n, cands in enumerate(sentences):
            for c in cands:
                pairs.setdefault((min(c.a, c.b), max(c.a, c.b)), []).append((n, c))
        for (x, y), items in pairs.items():
            probs = self.type_probs(pair_features([c.feats for _, c in items]))
            kept: set[str] = set()
            for n, c in items:
                for tie in c.rules:
                    p = probs.get(tie.type, 0.0)
                    if p >= self.veto:
                        tie.score = round(p, 3)
                        kept.add(tie.type)
                        add(n, tie)
            for tie_type, p in sorted(probs.items(), key=lambda kv: -kv[1]):
                if p < self.threshold or tie_type in kept:
                    continue
                x_source = True
                if not is_symmetric(tie_type):
                    vote = 0.0
                    for _, c in items:
                        fp = self.forward_prob(c.feats, tie_type)
                        weight = 2.0 if _cue(c.feats, tie_type) else 1.0
                        vote += weight * ((2 * fp - 1) if c.a == x else (1 - 2 * fp))
                    x_source = vote >= 0
                subj, obj = (x, y) if x_source else (y, x)
                k = self.types.classes.index(tie_type)
                cued = [(n, c) for n, c in items if _cue(c.feats, tie_type)] or items[:1]
                for n, c in cued:
                    top = [name for w, name in self.types.contributions(canonical(c.feats), k)[:3] if w > 0]
                    modal = next((f.split(":", 1)[1] for f in c.feats if f.startswith("modal:")), "asserted")
                    add(n, FoundTie(subj, tie_type, obj, modal, trigger_token(c, lex, tie_type),
                                    "model:" + ",".join(top), 0, 0, score=round(p, 3)))
        return out


def _cue(feats: dict[str, float], tie_type: str) -> bool:
    """Whether a candidate has a word or rule of the type: on or near the path, between."""
    marks = (f"on:{tie_type}", f"near:{tie_type}", f"btw:{tie_type}", f"coord:{tie_type}", f"rtype:{tie_type}:")
    return any(f.startswith(marks) for f in feats)


def trigger_token(c: Candidate, lex: Lexicon, tie_type: str) -> Token:
    """The word that best stands for a learned tie: a trigger of its type on the path or
    between the mentions, else the word that joins them."""
    doc = c.doc
    aa, bb = _anchor(_transparent_up(doc[c.ia])), _anchor(_transparent_up(doc[c.ib]))
    res = _path(aa, bb) if aa.i != bb.i else None
    path = res[0][1:-1] if res else []
    for t in path:
        trig = _trigger_at(t, lex)
        if trig is not None and trig.type == tie_type:
            return t
    for t in doc[c.ia + 1: c.ib]:
        trig = loose_trigger(t, lex)
        if trig is not None and trig.type == tie_type:
            return t
    if res is not None:
        path, lca = res
        if lca.i not in (aa.i, bb.i):
            return lca
        return path[1] if len(path) > 2 else lca
    return aa.head


def train_tie_model(gold_paths, corpus_dirs, exclude_docs=frozenset(), extractor=None) -> TieModel:
    """A model trained on every document of the given gold files (each read from the corpus
    folder at the same position) except ``exclude_docs`` (file names). Needs scikit-learn."""
    from khabar.extract.tietrain import fit

    return fit(gold_paths, corpus_dirs, exclude_docs, extractor)
