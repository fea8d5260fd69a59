"""Training the tie scorer of ``tiemodel`` from gold files (needs scikit-learn).

Each gold document is extracted once with the rules only while every candidate pair
and its features are recorded (kept in memory, keyed by the text's hash, so that the
folds of a cross-validation parse nothing twice). System actors are linked to gold
actors by name, as ``khabar.evaluate`` links them.

The gold lists a tie once per document, not per sentence, so the type model learns
from pairs of actors of a document (the unit the gold and the scorer count): a pair's
features are those of all its candidates, its labels the gold tie types between the
two gold actors (none: a negative for every type). The direction model learns from
the candidates of the pairs that hold a directed gold tie: does the tie run from the
earlier mention? Features seen in fewer than ``MIN_DOCS`` documents are dropped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from khabar.evaluate import link_actors, load_gold
from khabar.extract.tiemodel import Linear, TieModel, canonical, direction_features, pair_features
from khabar.schema import is_symmetric, tie_types

__all__ = ["DocRows", "doc_rows", "labelled", "pairs", "fit", "C_TYPES", "C_DIRECTION", "THRESHOLD", "VETO"]

C_TYPES = 0.3
C_DIRECTION = 0.5
THRESHOLD = 0.6
VETO = 0.0
MIN_DOCS = 2

_CACHE: dict[str, DocRows] = {}


@dataclass
class DocRows:
    name: str
    rows: list[tuple[str, str, dict[str, float]]]  # (a, b, features) of each candidate
    names: dict[str, list[str]]  # system actor id -> its names in the document


def _default_extractor():
    from khabar.extract.pipeline import Extractor

    return Extractor(tie_model=TieModel())


def doc_rows(gold_paths, corpus_dirs, exclude_docs=frozenset(), extractor=None) -> list[tuple[DocRows, dict]]:
    """(candidates, gold line) of every document of the gold files but ``exclude_docs``."""
    from khabar.collect import Skipped, collect

    wanted: list[tuple[Path, dict]] = []
    for gold_path, corpus in zip(gold_paths, corpus_dirs, strict=True):
        for name, line in load_gold(gold_path).items():
            path = Path(corpus) / name
            if name not in exclude_docs and path.exists():
                wanted.append((path, line))
    keys = {}
    todo = []
    for path, _line in wanted:
        key = hashlib.sha256(path.read_bytes()).hexdigest()
        keys[path] = key
        if key not in _CACHE:
            todo.append(path)
    if todo:
        extractor = extractor or _default_extractor()
        recorder: dict = {}
        saved = extractor.tie_model
        extractor.tie_model = TieModel(recorder=recorder)
        try:
            docs = [d for d in collect(todo) if not isinstance(d, Skipped)]
            by_name = {p.name: p for p in todo}
            for doc, ex in zip(docs, extractor.extract_many(docs), strict=True):
                names: dict[str, list[str]] = {a.id: [a.name] for a in ex.actors}
                for m in ex.mentions:
                    if m.via != "coref":
                        names.setdefault(m.actor_id, []).append(m.surface)
                path = by_name[doc.name]
                _CACHE[keys[path]] = DocRows(doc.name, recorder.pop(doc.id, []), names)
        finally:
            extractor.tie_model = saved
    return [(_CACHE[keys[path]], line) for path, line in wanted]


def labelled(rows: DocRows, gold: dict) -> list[tuple[dict[str, float], list[tuple[str, bool]]]]:
    """Each candidate's features and gold ties [(type, a is source)], empty for none."""
    mapping = _mapping(rows, gold)
    ties = _gold_ties(gold)
    out = []
    for a, b, feats in rows.rows:
        ga, gb = mapping.get(a), mapping.get(b)
        labels = []
        if ga and gb and ga != gb:
            labels = sorted({(t, src == ga) for t, src in ties.get(frozenset((ga, gb)), [])})
        out.append((feats, labels))
    return out


def pairs(rows: DocRows, gold: dict) -> list[tuple[dict[str, float], set[str]]]:
    """Each pair of actors of a document: its features and its gold tie types."""
    mapping = _mapping(rows, gold)
    ties = _gold_ties(gold)
    groups: dict[tuple[str, str], list[dict[str, float]]] = {}
    for a, b, feats in rows.rows:
        groups.setdefault((min(a, b), max(a, b)), []).append(feats)
    out = []
    for (a, b), group in groups.items():
        ga, gb = mapping.get(a), mapping.get(b)
        types = {t for t, _ in ties.get(frozenset((ga, gb)), [])} if ga and gb and ga != gb else set()
        out.append((pair_features(group), types))
    return out


def _mapping(rows: DocRows, gold: dict) -> dict[str, str | None]:
    return link_actors({"actors": [{"id": i, "names": n} for i, n in rows.names.items()]}, gold)


def _gold_ties(gold: dict) -> dict[frozenset, list[tuple[str, str]]]:
    ties: dict[frozenset, list[tuple[str, str]]] = {}
    for r in gold.get("relations", []):
        if r["source"] != r["target"]:
            ties.setdefault(frozenset((r["source"], r["target"])), []).append((r["type"], r["source"]))
    return ties


def _binary(x, ys: list[bool], c: float) -> tuple[float, list[float]]:
    from sklearn.linear_model import LogisticRegression

    if not any(ys) or all(ys):
        return (-10.0 if not any(ys) else 10.0), [0.0] * x.shape[1]
    clf = LogisticRegression(C=c, max_iter=2000, tol=1e-5)
    clf.fit(x, ys)
    return float(clf.intercept_[0]), [float(w) for w in clf.coef_[0]]


def _linear(dicts, targets: dict[str, list[bool]], c: float) -> Linear:
    """One binary logistic regression per class (one-vs-rest), as one ``Linear``."""
    from sklearn.feature_extraction import DictVectorizer
    from threadpoolctl import threadpool_limits

    vec = DictVectorizer()
    x = vec.fit_transform(dicts)
    names = vec.get_feature_names_out()
    classes = sorted(targets)
    intercepts, columns = [], []
    with threadpool_limits(1):  # small problems: threads only contend (and one is deterministic)
        for k in classes:
            b, w = _binary(x, targets[k], c)
            intercepts.append(b)
            columns.append(w)
    weights = {}
    for j, name in enumerate(names):
        col = [columns[k][j] for k in range(len(classes))]
        if any(abs(v) > 1e-6 for v in col):
            weights[str(name)] = col
    return Linear(classes, intercepts, weights)


def fit(gold_paths, corpus_dirs, exclude_docs=frozenset(), extractor=None, c_types: float = C_TYPES,
        c_direction: float = C_DIRECTION, threshold: float = THRESHOLD, veto: float = VETO,
        min_docs: int = MIN_DOCS) -> TieModel:
    data = doc_rows(gold_paths, corpus_dirs, exclude_docs, extractor)
    px, py = [], []
    dx, dy = [], []
    for rows, gold in data:
        for feats, types in pairs(rows, gold):
            px.append(feats)
            py.append(types)
        for feats, labels in labelled(rows, gold):
            for tie_type, forward in labels:
                if not is_symmetric(tie_type):
                    dx.append(direction_features(feats, tie_type))
                    dy.append(forward)
    # a feature seen in fewer than MIN_DOCS documents is an anecdote, not a pattern
    df: dict[str, int] = {}
    for rows, _gold in data:
        for name in {n for _, _, feats in rows.rows for n in canonical(feats)} | {
                n for _, _, feats in rows.rows for n in feats}:
            df[name] = df.get(name, 0) + 1
    px = [{n: v for n, v in f.items() if df.get(n, MIN_DOCS) >= min_docs} for f in px]
    dx = [{n: v for n, v in f.items() if df.get(n.split("|", 1)[-1], MIN_DOCS) >= min_docs} for f in dx]
    types = _linear(px, {t: [t in y for y in py] for t in tie_types()}, c_types)
    direction = _linear(dx, {"forward": dy}, c_direction)
    return TieModel(types=types, direction=direction, threshold=threshold, veto=veto)
