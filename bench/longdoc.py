"""One very long document through the whole ingest: time, peak memory, and offsets checked.

Writes a text of ``--mb`` megabytes (paragraphs of actors and events among plain filler,
as a long report or a channel dump has them), ingests it into a new knowledge base with
``khabar ingest`` in a child process, reports wall time and the child's peak RSS, and
checks that every stored sentence, mention and assertion points at the right characters.

    python bench/longdoc.py [--mb 50]
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARA = ("Iran has supplied weapons to the Taliban for years, officials said on {day}. "
        "The Pakistani Taliban said it had attacked a checkpoint in Kandahar on {day}.\n\n")
FILLER = ("The roads into the valley number {n} were open again and the markets were busy by noon, "
          "with traders from the river towns selling grain and cloth.\n\n")
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        parts, size, i = [], 0, 0
        while size < args.mb * 1_000_000:
            p = PARA.format(day=DAYS[i % 5]) if i % 40 == 0 else FILLER.format(n=i)
            parts.append(p)
            size += len(p)
            i += 1
        text = "".join(parts)
        (folder / "long.txt").write_text(text, encoding="utf-8")
        db = Path(tmp) / "kb.db"
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "khabar.cli", "ingest", str(folder), "--db", str(db), "--quiet"],
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"document: {len(text) / 1e6:.1f} million characters, {len(text.split()):,} words")
        print(proc.stdout.strip().splitlines()[0] if proc.stdout.strip() else proc.stderr[-500:])
        print(f"ingest: {wall:.0f} s wall, peak RSS {peak:.0f} MB")
        conn = sqlite3.connect(db)
        stored = conn.execute("SELECT text FROM documents").fetchone()[0]
        bad = 0
        checked = 0
        for table, cols in (("sentences", '"start", "end", text'), ("mentions", '"start", "end", surface'),
                            ("assertions", '"start", "end", sentence')):
            for a, b, s in conn.execute(f"SELECT {cols} FROM {table}"):
                checked += 1
                bad += stored[a:b] != s
        print(f"offsets: {checked:,} sentences, mentions and assertions checked, {bad} wrong")


if __name__ == "__main__":
    main()
