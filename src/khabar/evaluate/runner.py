"""``khabar eval``: extract each gold set's documents and score them, optionally with the
learned parts cross-validated, and collect the causes of every error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from khabar.evaluate.causes import Error, find_errors
from khabar.evaluate.crossval import GoldSet, crossval_system, model_card, training_sets
from khabar.evaluate.scoring import Scores, load_gold, score

__all__ = ["SetResult", "evaluate_sets"]


@dataclass
class SetResult:
    name: str
    scores: Scores
    system: list[dict[str, Any]]
    errors: list[Error] = field(default_factory=list)
    crossvalidated: bool = False  # learned parts retrained without each document (k-fold)

    @property
    def label(self) -> str:
        return f"{self.name} (cv)" if self.crossvalidated else self.name


def evaluate_sets(sets: list[GoldSet], cv: int = 0, extractor=None,
                  progress: Callable[[str], None] | None = None) -> list[SetResult]:
    """Score each set; with ``cv`` > 1 the learned parts are scored by ``cv``-fold
    cross-validation by document (see ``crossval``).

    >>> from khabar.evaluate.crossval import gold_set                     # doctest: +SKIP
    >>> evaluate_sets([gold_set("../shared/eval/dev.gold.jsonl")])[0].scores.layers["relations"].f1  # doctest: +SKIP
    """
    from khabar.batch import extract_for_gold

    if extractor is None:
        from khabar.extract.pipeline import Extractor

        extractor = Extractor()
    out = []
    for s in sets:
        gold = load_gold(s.gold)
        if progress:
            progress(f"{s.name}: {len(gold)} documents")
        crossed = False
        if cv > 1:
            system, crossed = crossval_system(s, cv, extractor, training_sets(s.gold, model_card()), progress)
        else:
            system = extract_for_gold(gold, s.corpus, extractor, s.meta)
        by_doc = {d["doc"]: d for d in system}
        out.append(SetResult(s.name, score(gold, by_doc), system, find_errors(gold, by_doc), crossed))
    return out
