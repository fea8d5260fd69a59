"""Measuring extraction against gold files (shape ``khabar-gold/1``, shared/eval/GUIDE.md).

- ``scoring``: P/R/F1 per layer, as the shared reference scorer computes them;
- ``causes``: every miss and false alarm sorted by its cause;
- ``table``: several gold sets side by side, and their union;
- ``crossval``: learned parts scored by k-fold cross-validation by document.
"""

from khabar.evaluate.scoring import (
    LAYERS,
    Counts,
    Ratio,
    Scores,
    format_scores,
    link_actors,
    load_gold,
    score,
)

__all__ = ["LAYERS", "Counts", "Ratio", "Scores", "format_scores", "link_actors", "load_gold", "score"]
