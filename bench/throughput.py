"""Throughput of khabar extraction against plain spaCy, interleaved on the same text.

The ratio is khabar's words/s (``Extractor.extract_many``, what ``khabar extract`` and
ingest run) over plain ``nlp.pipe`` with the full stock en_core_web_sm pipeline, on the
same documents; >= 1.0 means khabar is not slower than parsing the text once.

On a shared machine two halves run one after the other drift by +-30%, so the two are
measured interleaved: the corpus is cut into chunks of documents and, in each round, every
chunk is read by both, A/B alternating which goes first. Per round it prints CPU time
(``time.process_time``, what this process used) and wall time of both, and their ratio;
then the minimum, median and maximum ratio over the rounds.

The default corpus is the seed articles plus ``../shared/corpus/train`` (real texts of many
outlets), repeated to at least ``--words`` words per round.

    python bench/throughput.py [--corpus DIR ...] [--words 15000] [--rounds 6] [--chunk 16]
    python bench/throughput.py --jobs 2 --chunk 32      # khabar on 2 worker processes

With ``--jobs N`` khabar extracts each chunk in N worker processes (``khabar ingest --jobs N``'s
pool, started once, its workers' model loaded before the clock starts; tasks of
``--task`` documents), against plain spaCy in one process: then the wall ratio is the
figure (this process's CPU time no longer counts the work), and the issue's bar is a median
of 2.0 on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from khabar.collect import Skipped, collect
from khabar.extract.nlp import MODEL
from khabar.extract.pipeline import Extractor
from khabar.schema import Document


def corpus(paths: list[str], words: int) -> tuple[list[Document], int]:
    """The documents of ``paths``, repeated (with fresh ids) until they hold ``words`` words."""
    base = [d for p in paths for d in collect(p) if not isinstance(d, Skipped)]
    if not base:
        raise SystemExit(f"no documents under {', '.join(paths)}")
    docs: list[Document] = []
    total = 0
    while total < words or len(docs) < len(base):
        for d in base:
            docs.append(Document(id=f"{d.id}-{len(docs)}", text=d.text, name=d.name, source=d.source,
                                 published=d.published, title=d.title))
            total += len(d.text.split())
    return docs, total


def _timed(run, chunk: list[Document], clock=None) -> tuple[float, float]:
    cpu, wall = clock or (time.process_time, time.perf_counter)
    c, w = cpu(), wall()
    run(chunk)
    return cpu() - c, wall() - w


def interleaved(chunks: list, plain, khabar, rounds: int, clock=None):
    """Per round, the CPU and wall seconds of ``plain`` and of ``khabar`` over all chunks:
    (plain cpu, plain wall, khabar cpu, khabar wall). Every chunk is read by both, one right
    after the other, A/B alternating per chunk and per round, so that neither always runs on
    a warmer cache or in a quieter moment."""
    for r in range(rounds):
        pc = pw = kc = kw = 0.0
        for k, chunk in enumerate(chunks):
            for is_plain in ((True, False) if (k + r) % 2 == 0 else (False, True)):
                c, w = _timed(plain if is_plain else khabar, chunk, clock)
                if is_plain:
                    pc, pw = pc + c, pw + w
                else:
                    kc, kw = kc + c, kw + w
        yield pc, pw, kc, kw


def spread(values: list[float]) -> str:
    return f"min {min(values):.2f}  median {statistics.median(values):.2f}  max {max(values):.2f}"


def gate_share(extractor: Extractor, docs: list[Document]) -> str:
    """How much of the text the parse gate lets through (share of tokens): what decides the
    ratio, since the parser and NER are most of the cost."""
    total = parsed = ties = 0
    for d in docs:
        for s in extractor._prepare(d.text, d.published)[0]:
            total += len(s.span)
            parsed += len(s.span) if s.parse else 0
            ties += len(s.span) if s.parse and not s.light else 0
    return (f"parse gate: {parsed / total:.0%} of tokens parsed, {ties / total:.0%} in tie sentences "
            "(NER runs on those of them that hold a name)")


def main() -> None:
    here = Path(__file__).resolve().parents[1]
    shared = here.parent / "shared" / "corpus"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", nargs="+", default=[str(shared / "seeds"), str(shared / "train")])
    ap.add_argument("--words", type=int, default=15_000, help="words per round at least (the corpus is repeated)")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--chunk", type=int, default=16, help="documents per chunk (one A/B pair)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for khabar (1: in this process)")
    ap.add_argument("--task", type=int, default=2, help="with --jobs: documents per task sent to a worker")
    args = ap.parse_args()

    docs, words = corpus(args.corpus, args.words)
    chunks = [docs[i:i + args.chunk] for i in range(0, len(docs), args.chunk)]
    print(f"corpus: {len(docs)} documents, {words:,} words per round, {len(chunks)} chunks "
          f"({', '.join(args.corpus)})")

    import spacy

    plain = spacy.load(MODEL)  # the full stock pipeline, as shipped
    extractor = Extractor()
    # warm both up so that loading and first-call set-up are not timed
    list(plain.pipe([d.text for d in chunks[0]]))
    list(extractor.extract_many(chunks[0]))
    print(f"plain nlp.pipe: {', '.join(plain.pipe_names)}")

    def read_plain(chunk: list[Document]) -> None:
        for _ in plain.pipe((d.text for d in chunk), batch_size=16):
            pass

    def read_khabar(chunk: list[Document]) -> None:
        n = sum(1 for _ in extractor.extract_many(chunk))
        assert n == len(chunk)

    if args.jobs > 1:
        from khabar.parallel import LocalPool, new_extractor

        pool = LocalPool(args.jobs, new_extractor)
        # every worker loads its model before the clock starts
        for f in [pool.submit(chunks[0][:1]) for _ in range(args.jobs * 2)]:
            pool.result(f)

        def read_khabar(chunk: list[Document]) -> None:  # noqa: F811 - the pool's version
            tasks = [pool.submit(chunk[i:i + args.task]) for i in range(0, len(chunk), args.task)]
            n = sum(len(pool.result(t)) for t in tasks)
            assert n == len(chunk)

        print(f"khabar: {args.jobs} worker processes, tasks of {args.task} documents (the wall ratio counts)")

    print(gate_share(extractor, docs))
    cpu_ratios, wall_ratios = [], []
    print(f"{'round':>5}  {'plain w/s cpu':>13}  {'khabar w/s cpu':>14}  {'ratio cpu':>9}  "
          f"{'plain w/s wall':>14}  {'khabar w/s wall':>15}  {'ratio wall':>10}")
    for r, (pc, pw, kc, kw) in enumerate(interleaved(chunks, read_plain, read_khabar, args.rounds)):
        cpu_ratios.append(pc / kc)
        wall_ratios.append(pw / kw)
        print(f"{r + 1:>5}  {words / pc:>13,.0f}  {words / kc:>14,.0f}  {pc / kc:>9.2f}  "
              f"{words / pw:>14,.0f}  {words / kw:>15,.0f}  {pw / kw:>10.2f}", flush=True)
    if args.jobs > 1:
        print("ratio khabar/plain, CPU:  (not a figure with --jobs: the workers' CPU is not this process's)")
    else:
        print(f"ratio khabar/plain, CPU:  {spread(cpu_ratios)}")
    print(f"ratio khabar/plain, wall: {spread(wall_ratios)}")


if __name__ == "__main__":
    main()
