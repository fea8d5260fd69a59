"""EXPORT: the knowledge base in the formats analysts' other tools open.

``FORMATS`` names each format: the module that writes it (its ``write_<format>``, with
``-`` as ``_``, or else its ``write``: ``(records, path) -> dict`` of counts written, over
:class:`khabar.export.base.Records`), a one-line
description, and the pip extra its libraries come in (None: core dependencies only).
:func:`export` imports a format's module only when it is asked for, so the CLI starts
without stix2, pymisp or followthemoney, and says which extra to install when one is
missing.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khabar.errors import KhabarError

if TYPE_CHECKING:
    from khabar.workspace import Workspace

__all__ = ["FORMATS", "EXTRAS", "export", "format_help", "default_output"]

FORMATS: dict[str, tuple[str, str, str | None]] = {
    "acled-csv": ("khabar.export.acled_csv", "events as a CSV in the style of ACLED (the default)", None),
    "csv": ("khabar.export.tables", "actors, ties, evidence, judgments, events as CSV tables (FILE_actors.csv...)", None),
    "jsonl": ("khabar.export.jsonl", "every record as JSON lines; 'khabar import' reads it back", None),
    "stix": ("khabar.export.stix", "a STIX 2.1 bundle (OpenCTI, MISP, any TAXII tool)", "stix"),
    "misp": ("khabar.export.misp", "a MISP event as JSON (MISP objects and their references)", "misp"),
    "ftm": ("khabar.export.ftm", "FollowTheMoney entities as JSON lines (Aleph, ftm tools)", "ftm"),
    "graphml": ("khabar.export.graphs", "the network of actors and ties as GraphML (Gephi, yEd, Cytoscape)", None),
    "gexf": ("khabar.export.graphs", "the network of actors and ties as GEXF (Gephi)", None),
    "gold": ("khabar.export.gold_kb", "gold lines (khabar-gold/1), the analyst's corrections applied, for 'khabar eval'",
             None),
}

# The modules each extra brings: checked before a format module is imported.
EXTRAS: dict[str, tuple[str, ...]] = {
    "stix": ("stix2", "stix2validator"),
    "misp": ("pymisp",),
    "ftm": ("followthemoney",),
}


# The file an export writes when none is named (the CLI's -o).
_SUFFIXES = {"acled-csv": "events.csv", "stix": "khabar.stix.json", "misp": "khabar.misp.json",
             "ftm": "khabar.ftm.jsonl", "graphml": "khabar.graphml", "gexf": "khabar.gexf",
             "gold": "khabar.gold.jsonl"}


def default_output(fmt: str) -> str:
    """The file name ``khabar export --format fmt`` writes without ``-o``."""
    return _SUFFIXES.get(fmt, f"khabar.{fmt}")


def format_help() -> str:
    """One line per format, for ``khabar export --help``."""
    return "; ".join(f"{name}: {desc}" for name, (_, desc, _) in FORMATS.items())


def _missing_extra(extra: str | None) -> str | None:
    """The first module of ``extra`` that cannot be imported, or None."""
    for module in EXTRAS.get(extra or "", ()):
        if importlib.util.find_spec(module) is None:
            return module
    return None


def export(ws: Workspace, fmt: str, path: str | Path, **filters: Any) -> dict[str, int]:
    """Write the knowledge base of ``ws`` as ``fmt`` to ``path``; return the counts written.

    ``filters`` are those of :class:`khabar.export.base.Records` (``actor``, ``place``,
    ``types``, ``since``, ``until``, ``role``, ``rejected``).

    >>> export(Workspace("khabar.db"), "stix", "khabar.stix.json")       # doctest: +SKIP
    {'threat-actor': 12, 'identity': 9, 'relationship': 31, ...}
    """
    from khabar.export.base import Records

    if fmt not in FORMATS:
        raise KhabarError("E500", f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)})")
    module_name, _, extra = FORMATS[fmt]
    missing = _missing_extra(extra)
    if missing:
        raise KhabarError("E501", f"the {fmt} export needs {missing}: pip install 'khabar[{extra}]'")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:  # a library of the extra that imports but lacks a part
        top = (exc.name or "").split(".")[0]
        if extra and top in EXTRAS.get(extra, ()):
            raise KhabarError("E501", f"the {fmt} export needs {exc.name}: pip install 'khabar[{extra}]'") from exc
        raise
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    records = Records(ws, **filters)
    writer = getattr(module, f"write_{fmt.replace('-', '_')}", None) or module.write
    return writer(records, out)
