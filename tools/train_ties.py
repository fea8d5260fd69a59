"""Build the learned tie scorer (src/khabar/data/tie_model.json) and its card.

    .venv/bin/python tools/train_ties.py [--shared ../shared] [--no-cv]

Trains on the gold of the seeds and train sets (dev is held out, never read), then
writes the weights as JSON and a card beside them: the sha256 of every training file,
library versions, feature count and the scores of a 5-fold cross-validation by
document on train (each train document extracted by a model that never saw it; the
seeds are always in training), next to the in-sample scores. Deterministic: the same
gold and corpus give the same bytes (no dates are written).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "khabar" / "data"
TRAINING = ("seeds", "train")
CV_SET = "train"
FOLDS = 5


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _corpus_sha(folder: Path, names: list[str]) -> str:
    h = hashlib.sha256()
    for name in sorted(names):
        h.update(name.encode() + b"\0" + _sha(folder / name).encode() + b"\n")
    return h.hexdigest()


def _figures(scores) -> dict:
    c = scores.layers["relations"]
    return {"p": round(c.p, 4), "r": round(c.r, 4), "f1": round(c.f1, 4), "tp": c.tp, "fp": c.fp, "fn": c.fn,
            "modality_acc": None if scores.modality.value is None else round(scores.modality.value, 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation (the card keeps no scores)")
    ap.add_argument("--out", default=str(DATA / "tie_model.json"))
    args = ap.parse_args(argv)

    import sklearn
    import spacy

    from khabar.batch import extract_for_gold
    from khabar.evaluate import load_gold, score
    from khabar.evaluate.crossval import folds
    from khabar.extract import tietrain
    from khabar.extract.pipeline import Extractor
    from khabar.extract.tiemodel import TieModel

    shared = Path(args.shared)
    golds = [shared / "eval" / f"{name}.gold.jsonl" for name in TRAINING]
    corpora = [shared / "corpus" / name for name in TRAINING]
    extractor = Extractor(tie_model=TieModel())
    model = tietrain.fit(golds, corpora, extractor=extractor)
    model.save(args.out)
    print(f"wrote {args.out}: {len(model.types.weights)} type features, "
          f"{len(model.direction.weights)} direction features", file=sys.stderr)

    card: dict = {
        "model": Path(args.out).name,
        "training_sets": list(TRAINING),
        "training_data": {},
        "libraries": {"scikit-learn": sklearn.__version__, "spacy": spacy.__version__},
        "features": {"types": len(model.types.weights), "direction": len(model.direction.weights)},
        "hyperparameters": {"c_types": tietrain.C_TYPES, "c_direction": tietrain.C_DIRECTION,
                            "threshold": model.threshold, "veto": model.veto},
    }
    for name, gold, corpus in zip(TRAINING, golds, corpora, strict=True):
        docs = list(load_gold(gold))
        card["training_data"][name] = {"gold": f"eval/{gold.name}", "gold_sha256": _sha(gold),
                                       "corpus": f"corpus/{name}", "documents": len(docs),
                                       "corpus_sha256": _corpus_sha(corpus, docs)}
    if not args.no_cv:
        gold_path = shared / "eval" / f"{CV_SET}.gold.jsonl"
        corpus = shared / "corpus" / CV_SET
        gold = load_gold(gold_path)
        system: list[dict] = []
        for fold in folds(gold, FOLDS):
            extractor.tie_model = tietrain.fit(golds, corpora, exclude_docs=frozenset(fold), extractor=extractor)
            system += extract_for_gold(gold, corpus, extractor, docs=set(fold))
        cv = score(gold, {d["doc"]: d for d in system})
        extractor.tie_model = model
        inside = score(gold, {d["doc"]: d for d in extract_for_gold(gold, corpus, extractor)})
        extractor.tie_model = TieModel()
        rules = score(gold, {d["doc"]: d for d in extract_for_gold(gold, corpus, extractor)})
        card["evaluation"] = {
            "set": CV_SET, "folds": FOLDS, "fold_assignment": "sorted by name, dealt round-robin",
            "seeds_always_in_training": True,
            "cross_validated": _figures(cv), "in_sample": _figures(inside), "rules_only": _figures(rules),
        }
        print(json.dumps(card["evaluation"], indent=1), file=sys.stderr)
    card_path = Path(args.out).with_name(Path(args.out).stem + ".card.json")
    card_path.write_text(json.dumps(card, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {card_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
