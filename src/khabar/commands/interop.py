"""``khabar import``: a JSONL export read back into a new, empty knowledge base.

The export side is ``khabar export --format jsonl`` (:mod:`khabar.export.jsonl`); the reader
is :func:`khabar.export.jsonl_read.import_jsonl`, of which this command is a thin wrapper.
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["NAMES", "EXAMPLES", "register", "run"]

NAMES = ("import",)
EXAMPLES = {"import": "khabar import khabar.jsonl --db copy.db   # a 'khabar export --format jsonl' file, new base"}


def register(sub, add) -> None:
    """Add the ``import`` parser through ``add`` (``khabar.cli._add``)."""
    p = add(sub, "import", "read a JSONL export (khabar export --format jsonl) into a new, empty knowledge base",
            example=EXAMPLES["import"])
    p.add_argument("input", help="the .jsonl file 'khabar export --format jsonl' wrote")


def run(args: argparse.Namespace) -> int:
    from khabar.export.jsonl_read import import_jsonl
    from khabar.workspace import Workspace

    with Workspace(args.db) as ws:
        counts = import_jsonl(ws, args.input)
    differ = {k: counts.pop(k) for k in ("ties_differ", "events_differ")}
    print(f"imported {args.input} into {Path(args.db).resolve()}: "
          + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    if any(differ.values()):
        print(f"note: {differ['ties_differ']} ties and {differ['events_differ']} events came out otherwise than "
              "exported (a base whose events were merged over several re-extractions clusters a few reports "
              "differently when stored in one go)")
    return 0
