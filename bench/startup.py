"""Start-up of the khabar command: wall and CPU time of a few commands, each its own process.

    python bench/startup.py [--db demo/khabar.db] [--rounds 5]

The issue's bar is under 0.5 s wall for read commands (``khabar actors``, ``khabar --help``)
on a small base. The base defaults to the demo's (``make demo``); without one, the example
corpus is ingested into a temporary base first (that takes the model's load, once). For
each command: the median and best wall and CPU time over the rounds, and the heavy modules
it imported (those that decide start-up: pandas, scipy, datasketch, trafilatura, spaCy).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "scipy", "datasketch", "trafilatura", "spacy", "sklearn", "numpy", "yaml")

COMMANDS = [
    ["--help"],
    ["actors", "--db", "{db}"],
    ["judgments", "--db", "{db}", "--limit", "5"],
    ["search", "Taliban", "--db", "{db}", "--limit", "5"],
    ["ties", "--db", "{db}"],
    ["events", "--db", "{db}", "--limit", "5"],
]

# Prints which heavy modules a command imported, after running it in the same process.
_PROBE = ("import sys; from khabar.cli import main\n"
          "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
          "print('\\nIMPORTED', ' '.join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)")


def timed(args: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "khabar.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def imported(args: list[str]) -> str:
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY), *args], capture_output=True,
                          text=True)
    lines = [x for x in proc.stderr.splitlines() if x.startswith("IMPORTED")]
    return lines[-1][len("IMPORTED"):].strip() if lines else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=ROOT / "demo" / "khabar.db")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    db = args.db
    tmp = None
    if not db.exists():
        tmp = tempfile.TemporaryDirectory()
        db = Path(tmp.name) / "small.db"
        print(f"no base at {args.db}: ingesting examples/corpus into {db}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "khabar.cli", "ingest", str(ROOT / "examples" / "corpus"),
                        "--db", str(db), "--quiet"], check=True, stdout=subprocess.DEVNULL)
    timed(["--help"])  # warm the file cache
    print(f"{'command':<32} {'wall median':>11} {'best':>6} {'CPU median':>10}  heavy imports")
    for command in COMMANDS:
        argv_ = [a.format(db=db) for a in command]
        runs = [timed(argv_) for _ in range(args.rounds)]
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        label = " ".join(a if a != str(db) else "DB" for a in argv_)
        print(f"{label:<32} {statistics.median(walls):>10.2f}s {min(walls):>5.2f}s "
              f"{statistics.median(cpus):>9.2f}s  {imported(argv_) or '-'}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
