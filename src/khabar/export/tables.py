"""The ``csv`` export format: the knowledge base as flat CSV tables a spreadsheet or pandas opens.

Five tables, written from :class:`khabar.export.base.Records` (the analyst layer applied:
merged actors folded together, rejected evidence and ties left out, verdicts shown):

* ``actors``: ``id, name, kind, aliases, parent, country, wikidata, listed, mentions, documents``;
* ``ties``: one row per tie: its ends (ids and names), ``type``, ``modality`` (what most of its
  evidence says), the figures (``evidence``, ``sources``, ``documents``, ``first_seen``,
  ``last_seen``, ``asserted``, ``negated``, ``predicted``, ``contested``, ``credibility`` and its
  reason), the analyst's verdict and ``source_names``;
* ``evidence``: one row per evidence sentence of a tie (``subject, type, object`` join it to
  ``ties``; ``id`` is the assertion's stable ``as-…`` id);
* ``judgments``: ``id, speaker, ...`` as :data:`khabar.export.base.JUDGMENT_FIELDS`;
* ``events``: khabar's own event records (``actors``/``targets`` ids and names, ``documents``,
  ``sources``); for ACLED's columns use ``--format acled-csv``.

Where they go: ``FILE.csv`` (any name with a suffix) gives ``FILE_actors.csv``,
``FILE_ties.csv``, ``FILE_evidence.csv``, ``FILE_judgments.csv`` and ``FILE_events.csv`` beside
it; a folder (one that exists, or a path without a suffix) gets ``actors.csv``, ``ties.csv``...
inside it.

Cells: a list (aliases, about, actors, sources...) is one JSON array (``["a", "b"]``), never
Python's repr; a boolean is ``true``/``false``; a missing value is empty; a number is written
as a number. A text cell that a spreadsheet would take for a formula gets a leading ``'``
(:func:`khabar.export.acled.neutralise`). UTF-8, ``\\n`` line ends.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from khabar.export.acled import neutralise
from khabar.export.base import (
    ACTOR_FIELDS,
    EVENT_FIELDS,
    EVIDENCE_FIELDS,
    JUDGMENT_FIELDS,
    TIE_FIELDS,
    Records,
)

__all__ = ["write", "table_paths", "cell", "TABLES"]

_TIE_COLUMNS = tuple(f for f in TIE_FIELDS if f != "evidence_sentences")
_EVIDENCE_COLUMNS = ("subject", "type", "object", *EVIDENCE_FIELDS)
_EVENT_COLUMNS = tuple(f for f in EVENT_FIELDS if f != "reports") + ("reports",)
TABLES: dict[str, tuple[str, ...]] = {
    "actors": ACTOR_FIELDS,
    "ties": _TIE_COLUMNS,
    "evidence": _EVIDENCE_COLUMNS,
    "judgments": JUDGMENT_FIELDS,
    "events": _EVENT_COLUMNS,
}


def table_paths(path: str | Path) -> dict[str, Path]:
    """The file each table goes to for the ``-o`` path given (see the module docstring)."""
    path = Path(path)
    if path.is_dir() or not path.suffix:
        return {name: path / f"{name}.csv" for name in TABLES}
    return {name: path.with_name(f"{path.stem}_{name}.csv") for name in TABLES}


def cell(value: Any) -> Any:
    """One CSV cell: lists and dicts as JSON, booleans as true/false, None empty, numbers as
    they are, text neutralised against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return neutralise(value)


def _write_table(path: Path, columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> int:
    columns = list(columns)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in columns])
            n += 1
    return n


def _ties_and_evidence(records: Records, evidence: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The ties, each tie's evidence rows set aside into ``evidence`` as it passes."""
    for tie in records.ties():
        for sentence in tie.get("evidence_sentences") or []:
            evidence.append({"subject": tie["subject"], "type": tie["type"], "object": tie["object"], **sentence})
        yield tie


def _events(records: Records) -> Iterator[dict[str, Any]]:
    for event in records.events():
        yield {**event, "reports": len(event.get("reports") or [])}


def write(records: Records, path: Path) -> dict[str, int]:
    """Write the five tables for ``path`` (see :func:`table_paths`); return rows per table."""
    paths = table_paths(path)
    next(iter(paths.values())).parent.mkdir(parents=True, exist_ok=True)
    counts = {}
    # the evidence rows are written from a spool file as the ties pass, not held for the whole base
    evidence_path = paths["evidence"]
    with evidence_path.open("w", encoding="utf-8", newline="") as ev:
        writer = csv.writer(ev, lineterminator="\n")
        writer.writerow(_EVIDENCE_COLUMNS)
        spool: list[dict[str, Any]] = []
        n_evidence = 0

        def ties() -> Iterator[dict[str, Any]]:
            nonlocal n_evidence
            for tie in _ties_and_evidence(records, spool):
                yield tie
                for row in spool:
                    writer.writerow([cell(row.get(c)) for c in _EVIDENCE_COLUMNS])
                n_evidence += len(spool)
                spool.clear()

        counts["ties"] = _write_table(paths["ties"], _TIE_COLUMNS, ties())
    counts["evidence"] = n_evidence
    counts["judgments"] = _write_table(paths["judgments"], JUDGMENT_FIELDS, records.judgments())
    counts["events"] = _write_table(paths["events"], _EVENT_COLUMNS, _events(records))
    # last: reading ties and events adds any end no mention counted, so every id resolves here
    counts["actors"] = _write_table(paths["actors"], ACTOR_FIELDS, records.actors())
    return {name: counts[name] for name in TABLES}
