"""Extraction without a knowledge base: documents in, one record per document out.

``khabar extract`` and ``khabar eval`` run on these; they keep every document (no
duplicate detection) so that per-document output lines up with a gold file.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from khabar.collect import Skipped, collect
from khabar.evaluate import Scores, load_gold, score
from khabar.export.gold import to_gold
from khabar.schema import Document

__all__ = ["extract_corpus", "evaluate_corpus", "FORMATS"]

FORMATS = ("gold", "jsonl")


def extract_corpus(paths, meta: str | Path | None = None, fmt: str = "gold",
                   skipped: list[str] | None = None, extractor=None) -> Iterator[dict[str, Any]]:
    """Yield one record per document: the gold shape, or the full extraction (``jsonl``)."""
    if extractor is None:
        from khabar.extract.pipeline import Extractor

        extractor = Extractor()
    docs: dict[str, Document] = {}

    def documents() -> Iterator[Document]:
        for item in collect(paths, meta):
            if isinstance(item, Skipped):
                if skipped is not None:
                    skipped.append(str(item))
                continue
            key = f"{item.id}:{item.name}"
            docs[key] = item
            # two files with the same text share an id: extract each under its own name
            yield item

    pending: list[Document] = []

    def tracked() -> Iterator[Document]:
        for d in documents():
            pending.append(d)
            yield d

    for extraction in extractor.extract_many(tracked()):
        doc = pending.pop(0)
        if fmt == "gold":
            yield to_gold(doc, extraction)
        else:
            record = extraction.to_dict()
            record["doc"] = doc.name
            record["published"] = doc.published
            yield record


def evaluate_corpus(gold_path: str | Path, corpus: str | Path, extractor=None,
                    meta: str | Path | None = None) -> tuple[Scores, list[dict]]:
    """Extract ``corpus`` and score it against the gold file.

    Documents get the gold file's publication dates and nothing else, as in the shared
    harness: who published them must come from the text. ``meta`` (a sidecar) adds its
    source, title and url; the gold's dates still win, since the gold was annotated
    against them."""
    gold = load_gold(gold_path)
    known: dict[str, dict] = {}
    if meta:
        for line in Path(meta).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                known[row.get("doc", "")] = row
    with tempfile.TemporaryDirectory() as tmp:
        meta_path = Path(tmp) / "meta.jsonl"
        with meta_path.open("w", encoding="utf-8") as fh:
            for name, line in gold.items():
                row = {**known.get(name, {}), "doc": name, "published": line.get("published")}
                fh.write(json.dumps(row) + "\n")
        files = [Path(corpus) / name for name in gold if (Path(corpus) / name).exists()]
        system = list(extract_corpus(files, meta_path, "gold", extractor=extractor))
    return score(gold, {d["doc"]: d for d in system}), system
