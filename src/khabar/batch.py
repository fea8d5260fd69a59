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

__all__ = ["extract_corpus", "extract_for_gold", "evaluate_corpus", "FORMATS"]

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
        if extraction.error and skipped is not None:
            skipped.append(str(Skipped(doc.path or doc.name, extraction.error)))
        if fmt == "gold":
            yield to_gold(doc, extraction)
        else:
            record = extraction.to_dict()
            record["doc"] = doc.name
            record["published"] = doc.published
            yield record


def extract_for_gold(gold: dict[str, dict], corpus: str | Path, extractor=None,
                     meta: str | Path | None = None, docs: set[str] | None = None) -> list[dict[str, Any]]:
    """Extract the documents of a gold file (all of them, or those named in ``docs``) from
    ``corpus``, as the shared harness does: each document gets the gold's publication date
    and nothing else, so who published it must come from the text. ``meta`` (a sidecar)
    adds source, title and url; the gold's dates still win, since the gold was annotated
    against them."""
    known: dict[str, dict] = {}
    if meta:
        for line in Path(meta).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                known[row.get("doc", "")] = row
    names = [n for n in gold if docs is None or n in docs]
    with tempfile.TemporaryDirectory() as tmp:
        meta_path = Path(tmp) / "meta.jsonl"
        with meta_path.open("w", encoding="utf-8") as fh:
            for name in names:
                row = {**known.get(name, {}), "doc": name, "published": gold[name].get("published")}
                fh.write(json.dumps(row) + "\n")
        files = [Path(corpus) / name for name in names if (Path(corpus) / name).exists()]
        return list(extract_corpus(files, meta_path, "gold", extractor=extractor))


def evaluate_corpus(gold_path: str | Path, corpus: str | Path, extractor=None,
                    meta: str | Path | None = None) -> tuple[Scores, list[dict]]:
    """Extract ``corpus`` and score it against the gold file (see ``extract_for_gold``)."""
    gold = load_gold(gold_path)
    system = extract_for_gold(gold, corpus, extractor, meta)
    return score(gold, {d["doc"]: d for d in system}), system
