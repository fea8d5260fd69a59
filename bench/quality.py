"""Extraction quality on the shared gold sets, with the learned parts cross-validated.

Prints the table of issue 9 (actors F1; ties, events and claims P / R / F1; one row per
set and their union) twice: with the shipped model, and with every learned part scored by
document-level k-fold cross-validation (each document of a training set extracted by a
model that never saw it; dev, never trained on, is the same in both). Then the causes of
the remaining errors on the cross-validated run.

    python bench/quality.py [--shared ../shared] [--folds 5] [--no-causes]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from khabar.evaluate.causes import format_errors
from khabar.evaluate.crossval import gold_set, model_card
from khabar.evaluate.runner import evaluate_sets
from khabar.evaluate.table import format_table
from khabar.extract.pipeline import Extractor


def main() -> None:
    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(here.parent / "shared"))
    ap.add_argument("--sets", default="seeds,dev,train")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-causes", action="store_true")
    args = ap.parse_args()

    sets = [gold_set(Path(args.shared) / "eval" / f"{name}.gold.jsonl") for name in args.sets.split(",")]
    extractor = Extractor()
    card = model_card() or {}
    if card:
        data = card.get("training_data", {})
        print(f"tie model: {card.get('model', '?')}, trained on "
              + ", ".join(f"{k} ({v.get('documents')} documents, gold sha256 {str(v.get('gold_sha256'))[:12]})"
                          for k, v in data.items()))
    t = time.perf_counter()
    shipped = evaluate_sets(sets, extractor=extractor)
    print(f"\n== shipped model ({time.perf_counter() - t:.0f} s)")
    print(format_table([(r.name, r.scores) for r in shipped]))
    if not hasattr(extractor, "tie_model"):
        print("\n(no learned parts: nothing to cross-validate)")
        return
    t = time.perf_counter()
    crossed = evaluate_sets(sets, cv=args.folds, extractor=extractor,
                            progress=lambda msg: print("  " + msg, file=sys.stderr))
    print(f"\n== learned parts by {args.folds}-fold cross-validation by document ({time.perf_counter() - t:.0f} s)")
    print(format_table([(r.label, r.scores) for r in crossed]))
    print("(cv): each document extracted by learned parts trained without it; other sets were never trained on")
    if not args.no_causes:
        print("\n== causes of the errors left (cross-validated run, all sets)")
        print(format_errors([e for r in crossed for e in r.errors], items=False))


if __name__ == "__main__":
    main()
