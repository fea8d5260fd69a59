"""The ``acled-csv`` export format: the events of :class:`khabar.export.base.Records` written by
:func:`khabar.export.acled.write_acled_csv` (its columns and their meaning are documented there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from khabar.export.base import Records

__all__ = ["write"]


def write(records: Records, path: Path) -> dict[str, int]:
    """Write the (filtered) events as an ACLED-style CSV at ``path``; return ``{"events": rows}``."""
    from khabar.export.acled import write_acled_csv

    def events() -> Any:
        for e in records.events():
            # the CSV's notes quote a report's sentence under the key the event dicts of Workspace use
            yield {**e, "reports": [{**r, "sentence": r.get("text")} for r in e.get("reports") or []]}

    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        return {"events": write_acled_csv(events(), fh)}
