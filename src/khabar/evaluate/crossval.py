"""Learned parts scored by k-fold cross-validation by document.

A model scored on the documents it was trained on says little about text it has never
seen. Here each document of a gold set is extracted by a model trained without it: the
set's documents are dealt into ``k`` folds (sorted by name, dealt round-robin, so that
every fold mixes the set's batches), and for each fold the learned parts are retrained
on every training document outside the fold. A set that shares no document with the
training sets (dev, or an analyst's own corpus) is simply extracted with the shipped
model, which never saw it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from khabar.errors import KhabarError
from khabar.evaluate.scoring import load_gold

__all__ = ["GoldSet", "gold_set", "folds", "training_sets", "crossval_system", "model_card", "DEFAULT_TRAINING"]

# The shared gold sets the shipped model learns from (dev is held out); the model card,
# when it names them, wins.
DEFAULT_TRAINING = ("seeds", "train")


@dataclass(frozen=True)
class GoldSet:
    name: str
    gold: Path
    corpus: Path
    meta: Path | None = None


def gold_set(gold: str | Path, corpus: str | Path | None = None, meta: str | Path | None = None) -> GoldSet:
    """A gold file with its documents' folder: given, or ``../corpus/NAME`` beside the
    gold file's folder for ``NAME.gold.jsonl`` (the layout of shared/)."""
    gold = Path(gold)
    name = gold.name.removesuffix(".jsonl").removesuffix(".gold")
    if corpus is None:
        guess = gold.resolve().parent.parent / "corpus" / name
        if not guess.is_dir():
            raise KhabarError("E400", f"no corpus folder for {gold}: give it with --corpus DIR "
                                      f"(looked for {guess})")
        corpus = guess
    if not Path(corpus).is_dir():
        raise KhabarError("E200", f"{corpus} is not a folder: give the folder holding {gold.name}'s documents")
    return GoldSet(name, gold, Path(corpus), Path(meta) if meta else None)


def folds(names: list[str] | set[str], k: int) -> list[list[str]]:
    """Document names dealt into ``k`` folds: sorted, then round-robin (deterministic)."""
    ordered = sorted(names)
    return [f for f in (ordered[i::k] for i in range(max(1, k))) if f]


def training_sets(beside: Path, card: dict[str, Any] | None = None) -> list[GoldSet]:
    """The gold sets the learned parts train on, looked for beside ``beside`` (a gold file)."""
    names = (card or {}).get("training_sets") or DEFAULT_TRAINING
    out = []
    for name in names:
        path = beside.resolve().parent / f"{name}.gold.jsonl"
        if path.exists():
            out.append(gold_set(path))
    if not out:
        raise KhabarError("E400", f"no training gold ({', '.join(names)}) beside {beside}: "
                                  "cross-validation retrains on them")
    return out


def crossval_system(target: GoldSet, k: int, extractor, training: list[GoldSet],
                    progress: Callable[[str], None] | None = None) -> tuple[list[dict[str, Any]], bool]:
    """The system lines of ``target``, each document extracted by learned parts that never saw
    it; and whether that took retraining (False: no document of ``target`` is trained on)."""
    from khabar.batch import extract_for_gold

    try:
        from khabar.extract.tiemodel import train_tie_model
    except ImportError:
        raise KhabarError("E400", "this khabar has no learned parts to cross-validate") from None
    gold = load_gold(target.gold)
    seen = {name for t in training for name in load_gold(t.gold)}
    if not set(gold) & seen:
        return extract_for_gold(gold, target.corpus, extractor, target.meta), False
    shipped = extractor.tie_model
    out: list[dict[str, Any]] = []
    try:
        for n, fold in enumerate(folds(gold, k), 1):
            if progress:
                progress(f"{target.name}: fold {n}/{k}, training without {len(fold)} documents")
            extractor.tie_model = train_tie_model([t.gold for t in training], [t.corpus for t in training],
                                                  exclude_docs=frozenset(fold), extractor=extractor)
            out += extract_for_gold(gold, target.corpus, extractor, target.meta, docs=set(fold))
    finally:
        extractor.tie_model = shipped
    return out, True


def model_card() -> dict[str, Any] | None:
    """The shipped tie model's card (training sets, data hashes, cross-validated scores), if any."""
    try:
        return json.loads(resources.files("khabar.data").joinpath("tie_model.card.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
