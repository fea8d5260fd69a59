"""Throughput of khabar extraction against plain spaCy, on the same text.

Prints words/s of ``Extractor.extract_many`` (what ``khabar extract`` runs) and of plain
``nlp.pipe`` with the full en_core_web_sm pipeline, over the seed articles repeated to at
least ``--words`` words, and their ratio (khabar / plain; >= 1.0 means khabar is not slower).

    python bench/throughput.py [--corpus ../shared/corpus/seeds] [--words 200000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from khabar.collect import Skipped, collect
from khabar.extract.nlp import MODEL
from khabar.extract.pipeline import Extractor
from khabar.schema import Document


def main() -> None:
    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(here.parent / "shared" / "corpus" / "seeds"))
    ap.add_argument("--words", type=int, default=200_000)
    args = ap.parse_args()

    base = [d for d in collect(args.corpus) if not isinstance(d, Skipped)]
    if not base:
        raise SystemExit(f"no documents under {args.corpus}")
    docs: list[Document] = []
    words = 0
    while words < args.words:
        for d in base:
            docs.append(Document(id=f"{d.id}-{len(docs)}", text=d.text, name=d.name))
            words += len(d.text.split())
    print(f"corpus: {len(docs)} documents, {words} words ({args.corpus})")

    import spacy

    plain = spacy.load(MODEL)  # the full stock pipeline, as shipped
    extractor = Extractor()
    # warm both up so that model loading is not timed
    list(plain.pipe([base[0].text]))
    list(extractor.extract_many(base[:1]))

    t = time.perf_counter()
    for _ in plain.pipe((d.text for d in docs), batch_size=16):
        pass
    plain_s = time.perf_counter() - t

    t = time.perf_counter()
    n = sum(1 for _ in extractor.extract_many(docs))
    khabar_s = time.perf_counter() - t
    assert n == len(docs)

    print(f"plain nlp.pipe ({', '.join(plain.pipe_names)}): {words / plain_s:,.0f} words/s ({plain_s:.1f} s)")
    print(f"khabar extract: {words / khabar_s:,.0f} words/s ({khabar_s:.1f} s)")
    print(f"ratio khabar/plain: {plain_s / khabar_s:.2f}")


if __name__ == "__main__":
    main()
