"""Ingest at scale: documents/s of a first ingest, time of re-ingesting the unchanged folder,
peak RSS of each, on a synthetic corpus (bench/synth.py) of the size asked.

    python bench/ingest.py --docs 1000 [--rounds 3] [--work /tmp/khabar-bench] [--fresh]
    python bench/ingest.py --docs 10000 --skip-first     # re-ingest only, into an existing base

Each ingest runs as its own ``khabar ingest`` process (so peak RSS is that process's own,
read from the kernel with wait4), the corpus and the base kept under ``--work`` so a later
run can measure re-ingest alone. Figures, not a test: the issue's bar is a re-ingest of an
unchanged 10k-document folder under 5 s. Extra arguments after ``--`` go to
``khabar ingest`` (``-- --jobs 2``, say).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import build  # noqa: E402  (bench/ is not a package)

KHABAR = [sys.executable, "-m", "khabar.cli"]


def measure(args: list[str]) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak RSS MB, first line of output) of one khabar process, its CPU and
    RSS from wait4 on that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(KHABAR + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"khabar {' '.join(args)} failed ({proc.returncode})")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, out.strip().splitlines()[0] if out.strip() else ""


class SentencesOnly:
    """A stand-in extractor for ``--no-model``: sentence spans only (by punctuation), no model.
    It builds a large base quickly to time re-ingest, whose path reads no extracted rows; the
    first-ingest figures it gives are not extraction's."""

    def extract_many(self, docs):
        import re

        from khabar.schema import Extraction

        for doc in docs:
            spans = [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+[.!?]?", doc.text) if m.group().strip()]
            yield Extraction(doc_id=doc.id, sentences=spans)


def first_without_model(folder: Path, meta: Path, db: Path) -> tuple[float, float, str]:
    from khabar.workspace import Workspace

    start, cpu = time.perf_counter(), time.process_time()
    with Workspace(db) as ws:
        ws._extractor = SentencesOnly()
        report = ws.ingest([folder], meta=meta)
    return time.perf_counter() - start, time.process_time() - cpu, report.summary().splitlines()[0]


def revision(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT n FROM revision").fetchone()[0]


def compare_jobs(jobs: list[int], rounds: int, docs: int, ingest: list[str], db: Path) -> int:
    """docs/s of a first ingest with each ``--jobs N``, the runs interleaved (a shared machine
    drifts), and each N's median against the first N's."""
    rates: dict[int, list[float]] = {n: [] for n in jobs}
    for r in range(rounds):
        for n in jobs:
            for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                f.unlink(missing_ok=True)
            wall, cpu, rss, line = measure([*ingest, "--jobs", str(n)])
            rates[n].append(docs / wall)
            print(f"round {r + 1} --jobs {n}: {wall:.1f} s wall, {docs / wall:.2f} docs/s, "
                  f"peak RSS (writer) {rss:.0f} MB, load {os.getloadavg()[0]:.2f}  [{line}]")
    base = statistics.median(rates[jobs[0]])
    for n in jobs:
        med = statistics.median(rates[n])
        print(f"--jobs {n}: median {med:.2f} docs/s (min {min(rates[n]):.2f}, max {max(rates[n]):.2f}), "
              f"{med / base:.2f}x --jobs {jobs[0]}")
    print(f"cores {os.cpu_count()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=450)
    parser.add_argument("--rounds", type=int, default=3, help="re-ingests to time")
    parser.add_argument("--work", type=Path, default=Path("/tmp/khabar-bench"))
    parser.add_argument("--fresh", action="store_true", help="rebuild the corpus and the base")
    parser.add_argument("--skip-first", action="store_true", help="re-ingest an existing base only")
    parser.add_argument("--no-model", action="store_true",
                        help="first ingest with sentence spans only (fast; to time re-ingest at large sizes)")
    parser.add_argument("--first-only", action="store_true", help=argparse.SUPPRESS)  # the --no-model child
    parser.add_argument("--jobs", type=int, nargs="+", metavar="N",
                        help="first ingests only, one with khabar ingest --jobs N for each N (--jobs 1 2: "
                        "the bar's ratio), interleaved over --rounds")
    parser.add_argument("extra", nargs="*", help="after --: more arguments for khabar ingest")
    args = parser.parse_args(argv)

    folder = args.work / f"synth-{args.docs}"
    meta = args.work / f"synth-{args.docs}.meta.jsonl"
    db = args.work / f"synth-{args.docs}{'-nomodel' if args.no_model else ''}.db"
    if args.fresh or not meta.exists():
        t = time.perf_counter()
        build(folder, args.docs, args.words)
        print(f"corpus: {args.docs} documents of ~{args.words} words in {folder} "
              f"({time.perf_counter() - t:.1f} s to write)")
    ingest = ["ingest", str(folder), "--meta", str(meta), "--db", str(db), "--quiet", *args.extra]
    if args.jobs:
        return compare_jobs(args.jobs, args.rounds, args.docs, ingest, db)
    if not args.skip_first:
        for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            f.unlink(missing_ok=True)
        if args.first_only:
            wall, cpu, line = first_without_model(folder, meta, db)
            import resource

            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"first ingest WITHOUT the model (sentence spans only): {wall:.1f} s wall, {cpu:.1f} s CPU, "
                  f"peak RSS {rss:.0f} MB  [{line}]")
            return 0
        if args.no_model:
            # in a process of its own: a child forked from a big process starts with its
            # pages, which would show in the re-ingests' peak RSS
            subprocess.run([sys.executable, __file__, "--docs", str(args.docs), "--work", str(args.work),
                            "--no-model", "--first-only"], check=True)
        else:
            wall, cpu, rss, line = measure(ingest)
            print(f"first ingest: {wall:.1f} s wall, {cpu:.1f} s CPU, {args.docs / wall:.2f} docs/s, "
                  f"peak RSS {rss:.0f} MB  [{line}]")
    elif not db.exists():
        raise SystemExit(f"no base at {db}: run without --skip-first first")
    before = revision(db)
    walls = []
    for i in range(args.rounds):
        wall, cpu, rss, line = measure(ingest)
        walls.append(wall)
        print(f"re-ingest {i + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU, peak RSS {rss:.0f} MB  [{line}]")
    print(f"re-ingest of {args.docs} unchanged documents: median {statistics.median(walls):.2f} s wall "
          f"(min {min(walls):.2f}, max {max(walls):.2f}); revision {before} -> {revision(db)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
