"""khabar: an evidence-backed knowledge base of armed groups, built from open sources.

Library first: ``Workspace`` is the API, the ``khabar`` command a thin wrapper over it.
Nothing happens on import beyond defining names; heavy modules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["Workspace", "IngestReport", "extract_corpus", "evaluate_corpus", "__version__"]
__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from khabar.batch import evaluate_corpus, extract_corpus
    from khabar.workspace import IngestReport, Workspace


def __getattr__(name: str):
    if name in ("Workspace", "IngestReport"):
        from khabar import workspace

        return getattr(workspace, name)
    if name in ("extract_corpus", "evaluate_corpus"):
        from khabar import batch

        return getattr(batch, name)
    raise AttributeError(name)
