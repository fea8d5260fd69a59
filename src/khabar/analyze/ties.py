"""Ties as the aggregate of their assertions: evidence, independent sources, first and
last seen, and where sources disagree (contested), never averaged into one number.

Evidence is counted in distinct sentences: a sentence printed again (a wire copy, a
repeated paragraph) is one piece of evidence, and a document's title is none. Sources
are counted in independent families (``SourceBook.families``: an outlet, its owner and
whoever republishes it are one). A tie is *contested* when one family of sources asserts
it and another denies it (a negated assertion); a prediction contests nothing, and a
family whose own sentences go both ways stands with most of them (``credibility``).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from khabar.analyze.credibility import STANCES, Report, distinct_reports, family_sides, is_title_row
from khabar.resolve.sources import SourceBook, load_sources
from khabar.schema import Tie, is_symmetric

__all__ = ["aggregate_ties", "tie_key"]


def tie_key(subject: str, tie_type: str, obj: str) -> tuple[str, str, str]:
    """Symmetric ties are one tie whichever way round they were written."""
    if is_symmetric(tie_type) and subject > obj:
        subject, obj = obj, subject
    return subject, tie_type, obj


@functools.cache
def _bundled_book() -> SourceBook:
    return load_sources()


def _as_report(a: dict[str, Any]) -> Report:
    return Report(a.get("source"), a.get("reliability"), STANCES.get(a.get("modality") or "asserted"),
                  a.get("doc_id"), a.get("sentence"))


def aggregate_ties(assertions: Iterable[dict[str, Any]], book: SourceBook | None = None
                   ) -> list[tuple[Tie, list[dict[str, Any]]]]:
    """Group assertion rows (as ``store.read.assertions`` returns them, oldest first) into ties.

    Returns (tie, its assertions) pairs, the best-evidenced ties first; rows whose sentence
    is their document's title are left out. ``book`` decides which sources are independent
    (default: the bundled source book); documents without a source count as their own source.
    """
    book = book if book is not None else _bundled_book()
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for a in assertions:
        if not is_title_row(a):
            groups[tie_key(a["subject"], a["type"], a["object"])].append(a)
    out = []
    for (s, t, o), items in groups.items():
        dates = sorted(a["published"] for a in items if a.get("published"))
        reports = distinct_reports(_as_report(a) for a in items)
        names = {r.source or f"doc:{r.doc_id}" for r in reports}
        pro = [r for r in reports if r.stance == "for"]
        con = [r for r in reports if r.stance == "against"]
        side_for, side_against, _ = family_sides(pro, con, book)
        tie = Tie(
            subject=s, type=t, object=o,
            evidence=len(reports),
            sources=len(book.families(names)),
            documents=len({a.get("doc_id") for a in items}),
            first_seen=dates[0] if dates else None,
            last_seen=dates[-1] if dates else None,
            asserted=len(pro), negated=len(con), predicted=len(reports) - len(pro) - len(con),
            contested=bool(side_for) and bool(side_against),
        )
        out.append((tie, items))
    out.sort(key=lambda p: (-p[0].sources, -p[0].evidence, p[0].subject, p[0].type, p[0].object))
    return out
