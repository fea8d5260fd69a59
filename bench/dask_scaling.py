"""Dask scaling: documents/s of an ingest whose extraction runs on a Dask cluster of 1 and of 2
workers, on the same synthetic corpus (bench/synth.py).

    python bench/dask_scaling.py --docs 200 [--workers 1 2] [--rounds 3] [--extract-only]

Needs the dask extra (pip install "khabar[dask]"). For each worker count a LocalCluster of
single-threaded worker processes is started and every worker loads the model before the clock
starts (a cluster is long-lived: its start-up is not the figure). Each round then ingests the
corpus into a new base through ``Workspace.ingest(engine="dask", scheduler=...)``: the
extraction on the workers, the writing here, as ``khabar ingest --engine dask`` does.
``--extract-only`` times the extraction alone (no base). Rounds of the worker counts are
interleaved, since a shared machine drifts. Figures, not a test: the issue's bar is 2 workers
>= 1.6x one.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import build  # noqa: E402  (bench/ is not a package)


def _warm() -> None:
    """Run on every worker: build its extractor (the model, the gazetteers) once."""
    from khabar import parallel
    from khabar.schema import Document

    parallel._extract_chunk_dask([Document(id="warm", text="The group met in Kabul on Monday.")],
                                 parallel.new_extractor)


def _documents(folder: Path):
    from khabar.schema import Document

    for path in sorted(folder.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        yield Document(id=hashlib.sha256(text.encode()).hexdigest(), text=text, name=path.name, path=str(path))


def one_round(address: str, folder: Path, meta: Path, work: Path, extract_only: bool) -> float:
    from khabar.parallel import extractions
    from khabar.workspace import Workspace

    start = time.perf_counter()
    if extract_only:
        n = sum(1 for e in extractions(_documents(folder), jobs=1, engine="dask", scheduler=address)
                if not e.error)
    else:
        with tempfile.TemporaryDirectory(dir=work) as tmp, Workspace(Path(tmp) / "kb.db") as ws:
            n = ws.ingest([folder], meta=meta, engine="dask", scheduler=address).ingested
    return n / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--words", type=int, default=450)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/khabar-bench"))
    parser.add_argument("--extract-only", action="store_true", help="time the extraction alone, no base")
    args = parser.parse_args(argv)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SystemExit('needs the dask extra: pip install "khabar[dask]"') from None
    logging.getLogger("distributed").setLevel(logging.ERROR)  # the scheduler's chatter, in this process

    folder = args.work / f"dask-synth-{args.docs}"
    meta = args.work / f"dask-synth-{args.docs}.meta.jsonl"
    if not meta.exists():
        build(folder, args.docs, args.words)
    clusters = {}
    for n in args.workers:
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        with Client(cluster) as client:
            client.run(_warm)
        clusters[n] = cluster
    rates: dict[int, list[float]] = {n: [] for n in args.workers}
    try:
        for r in range(args.rounds):
            for n in args.workers:
                rate = one_round(clusters[n].scheduler_address, folder, meta, args.work, args.extract_only)
                rates[n].append(rate)
                print(f"round {r + 1}, {n} worker(s): {rate:.2f} docs/s (load {os.getloadavg()[0]:.2f})", flush=True)
    finally:
        for cluster in clusters.values():
            cluster.close()
    what = "extraction" if args.extract_only else "ingest"
    base = statistics.median(rates[args.workers[0]])
    for n in args.workers:
        med = statistics.median(rates[n])
        print(f"{what}, {n} Dask worker(s): median {med:.2f} docs/s (min {min(rates[n]):.2f}, "
              f"max {max(rates[n]):.2f}), {med / base:.2f}x {args.workers[0]}")
    print(f"{args.docs} documents of ~{args.words} words; cores {os.cpu_count()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
