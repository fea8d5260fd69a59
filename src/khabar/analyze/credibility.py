"""Information credibility on the Admiralty (NATO) scale, 1 confirmed ... 6 cannot be judged.

Each report has a source, that source's reliability grade (A-F) and a stance: "for"
(a tie asserted, an event reported) or "against" (a tie negated, an event denied); a
tie's *predicted* assertions are neither, since a forecast neither confirms nor denies
what is the case now: they are counted as ``neutral`` and carry no weight. Reports are
grouped into independent families (by ``SourceBook.families`` when a source book is
given, else by distinct source name; a report without a source is its own source), a
family counts once and speaks with the grade of its best member, and ungraded (F)
families are listed but carry no weight. A report carries the sentence it rests on: the same sentence printed again (a wire
copy, a repeated paragraph) is one report, counted for the source that printed it first,
and a sentence that is only a document's title is no report at all. A family that both
asserts and denies (one outlet's later article, or a misread sentence) stands on the
side most of its sentences take, and on neither when they are even ("divided"): one
source does not contest itself. Then, first rule that applies: **6** no graded
family on either side; **5** more graded families against than for; **4** families
both for and against (contested); with none against, **1** three or more families for,
or two with one graded A/B (at least one graded A-C in either case); **2** two families
for, the best graded C; **3** one family graded A-C, or two or more weak (D/E) families
only; **4** one weak family only. A report's own grade (from the store, where the
analyst grades sources) wins over the book's default, except "F", which the store gives
every new source: then the book's grade applies.

>>> credibility([{"source": "Reuters", "reliability": "B", "stance": "for", "doc_id": "1"},
...              {"source": "Dawn", "reliability": "B", "stance": "for", "doc_id": "2"}]).rating
1
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from khabar.resolve.sources import GRADES, SourceBook, source_key
from khabar.schema import Event, EventReport

__all__ = [
    "LABELS",
    "Credibility",
    "Report",
    "credibility",
    "distinct_reports",
    "family_sides",
    "event_credibility",
    "is_title_row",
    "sentence_key",
    "tie_credibility",
]

LABELS: dict[int, str] = {
    1: "confirmed",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "cannot be judged",
}
STANCES = {"asserted": "for", "negated": "against"}  # modality -> stance; predicted: neither
_SHOWN = 3  # families named in a reason before "..."
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Report:
    """One source's report of an item, for or against it."""

    source: str | None
    reliability: str | None = None
    stance: str | None = "for"  # "for" | "against" | None (neither)
    doc_id: str | None = None
    sentence: str | None = None  # the evidence; the same sentence twice is one report


@dataclass
class Credibility:
    """The rating of one item with the counts behind it and a one-line reason."""

    rating: int
    label: str
    for_reports: int = 0
    against_reports: int = 0
    neutral_reports: int = 0
    for_families: list[list[str]] = field(default_factory=list)  # graded families, best first
    against_families: list[list[str]] = field(default_factory=list)
    ungraded: int = 0  # F families, either side
    divided: int = 0  # families whose sentences are as many for as against
    reason: str = ""

    @property
    def independent_for(self) -> int:
        return len(self.for_families)

    @property
    def independent_against(self) -> int:
        return len(self.against_families)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rating": self.rating, "label": self.label, "for_reports": self.for_reports,
            "against_reports": self.against_reports, "neutral_reports": self.neutral_reports,
            "independent_for": self.independent_for, "independent_against": self.independent_against,
            "for_families": self.for_families, "against_families": self.against_families,
            "ungraded": self.ungraded, "divided": self.divided, "reason": self.reason,
        }


def _report(r: Report | Mapping[str, Any]) -> Report:
    if isinstance(r, Report):
        return r
    stance = r.get("stance") if "stance" in r else STANCES.get(r.get("modality") or "asserted")
    return Report(r.get("source"), r.get("reliability"), stance, r.get("doc_id"), r.get("sentence"))


def sentence_key(text: str | None) -> str:
    """A sentence compared across documents: case, spacing and punctuation ignored."""
    return " ".join(_WORDS.findall((text or "").casefold()))


def is_title_row(row: Mapping[str, Any]) -> bool:
    """An assertion whose sentence is its document's title: a headline is never evidence
    (extraction skips titles; this guards rows stored before it did)."""
    key = sentence_key(row.get("sentence"))
    return bool(key) and key == sentence_key(row.get("title"))


def distinct_reports(reports: Iterable[Report]) -> list[Report]:
    """One report per sentence: a repeated copy counts for the first source that printed
    it (callers pass reports oldest first). Reports without a sentence are all kept."""
    seen: set[str] = set()
    out = []
    for r in reports:
        key = sentence_key(r.sentence)
        if key and key in seen:
            continue
        if key:
            seen.add(key)
        out.append(r)
    return out


def _grade(r: Report, book: SourceBook | None) -> str:
    grade = (r.reliability or "").strip().upper()
    if grade in GRADES and grade != "F":
        return grade
    return book.grade(r.source) if book is not None and r.source else "F"


def family_sides(pro: list[Report], con: list[Report], book: SourceBook | None
           ) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]], int]:
    """(families for, families against, families divided): each family of sources stands
    on the side most of its reports take, so one source never contests itself."""
    fams = _families(pro + con, book)
    name = lambda r: r.source or f"doc:{r.doc_id}"  # noqa: E731
    n_for = {n: 0 for _, members in fams for n in members}
    n_against = dict(n_for)
    for r in pro:
        n_for[name(r)] += 1
    for r in con:
        n_against[name(r)] += 1
    side_for, side_against, divided = [], [], 0
    for grade, members in fams:
        a, b = sum(n_for[n] for n in members), sum(n_against[n] for n in members)
        if a > b:
            side_for.append((grade, [n for n in members if n_for[n]]))
        elif b > a:
            side_against.append((grade, [n for n in members if n_against[n]]))
        else:
            divided += 1
    return side_for, side_against, divided


def _families(reports: list[Report], book: SourceBook | None) -> list[tuple[str, list[str]]]:
    """(best grade, member names) of each independent family, best grade first."""
    grades: dict[str, str] = {}
    for r in reports:
        name = r.source or f"doc:{r.doc_id}"
        grades[name] = min(grades.get(name, "F"), _grade(r, book))
    if book is not None:
        groups = book.families(grades)
    else:
        by_key: dict[str, set[str]] = {}
        for name in grades:
            by_key.setdefault(source_key(name) or name, set()).add(name)
        groups = list(by_key.values())
    out = []
    for members in groups:
        ranked = sorted(members, key=lambda n: (grades[n], n))
        out.append((grades[ranked[0]], ranked))
    return sorted(out, key=lambda f: (f[0], f[1][0]))


def _describe(families: list[tuple[str, list[str]]]) -> str:
    shown = [f"{'/'.join(names[:2])}{'+' if len(names) > 2 else ''} {g}" for g, names in families[:_SHOWN]]
    more = ", ..." if len(families) > _SHOWN else ""
    return ", ".join(shown) + more


def _rule(pro: list[tuple[str, list[str]]], con: list[tuple[str, list[str]]]) -> tuple[int, str]:
    n_for, n_against = len(pro), len(con)
    strong = sum(g in "AB" for g, _ in pro)
    credible = sum(g in "ABC" for g, _ in pro)
    sources = lambda n: f"{n} independent source{'s' if n != 1 else ''}"  # noqa: E731
    side_for = f"{sources(n_for)} for ({_describe(pro)})" if pro else "none for"
    side_against = f"{n_against} against ({_describe(con)})" if con else "none against"
    if not pro and not con:
        return 6, "no graded source"
    if n_against > n_for:
        return 5, f"{sources(n_against)} against ({_describe(con)}), {n_for} for"
    if con:
        return 4, f"contested: {side_for}, {side_against}"
    if credible and (n_for >= 3 or (n_for >= 2 and strong)):
        return 1, f"confirmed: {side_for}, none against"
    if credible and n_for >= 2:
        return 2, f"{side_for}, none against"
    if credible:
        return 3, f"uncorroborated: {side_for}"
    if n_for >= 2:
        return 3, f"only weak sources: {side_for}"
    return 4, f"only a weak source: {side_for}"


def credibility(reports: Iterable[Report | Mapping[str, Any]], book: SourceBook | None = None) -> Credibility:
    """Rate an item from its reports (``Report`` records or dicts with source, reliability,
    stance or modality, doc_id) by the rules in the module docstring."""
    items = distinct_reports(_report(r) for r in reports)
    pro = [r for r in items if r.stance == "for"]
    con = [r for r in items if r.stance == "against"]
    fam_for, fam_against, divided = family_sides(pro, con, book)
    graded_for = [f for f in fam_for if f[0] != "F"]
    graded_against = [f for f in fam_against if f[0] != "F"]
    ungraded = len(fam_for) + len(fam_against) - len(graded_for) - len(graded_against)
    rating, reason = _rule(graded_for, graded_against)
    if rating == 6:
        if ungraded:
            reason = f"only ungraded (F) sources: {len(fam_for) - len(graded_for)} for, " \
                     f"{len(fam_against) - len(graded_against)} against"
        elif divided:
            reason = "only sources that say both, as often for as against"
        elif items:
            reason = "no source for or against (only predictions)"
        else:
            reason = "no sources"
    elif ungraded:
        reason += f"; {ungraded} ungraded (F) not counted"
    if divided and rating != 6:
        reason += f"; {divided} divided (as many sentences for as against) not counted"
    return Credibility(
        rating=rating, label=LABELS[rating],
        for_reports=len(pro), against_reports=len(con), neutral_reports=len(items) - len(pro) - len(con),
        for_families=[names for _, names in graded_for], against_families=[names for _, names in graded_against],
        ungraded=ungraded, divided=divided, reason=reason,
    )


def tie_credibility(assertion_rows: Iterable[Mapping[str, Any]], book: SourceBook | None = None) -> Credibility:
    """Rate a tie from its assertion rows (``store.read.assertions``, oldest first; the
    items of ``aggregate_ties``): asserted is for, negated against, predicted neither; a
    sentence counts once, and a title not at all."""
    return credibility(
        (Report(a.get("source"), a.get("reliability"), STANCES.get(a.get("modality") or "asserted"),
                a.get("doc_id"), a.get("sentence")) for a in assertion_rows if not is_title_row(a)),
        book,
    )


def event_credibility(
    event: Event | Mapping[str, Any],
    reliabilities: Mapping[str, str | None] | None = None,
    book: SourceBook | None = None,
    sources: Mapping[str, str | None] | None = None,
) -> Credibility:
    """Rate a merged event from its reports.

    ``sources`` maps a document id to its source name (the mapping given to
    ``merge_reports``); ``reliabilities`` maps a source name to its grade (the store's
    ``sources`` table). A report's modality gives its stance, as for ties. Without
    ``sources``, each document counts as its own, ungraded source.
    """
    if not isinstance(event, Event):
        event = Event.from_dict(dict(event))
    sources, reliabilities = sources or {}, reliabilities or {}
    out = []
    for r in event.reports:
        rep = r if isinstance(r, EventReport) else EventReport.from_dict(r)
        source = sources.get(rep.doc_id)
        out.append(Report(source, reliabilities.get(source) if source else None,
                          STANCES.get(rep.modality or "asserted"), rep.doc_id))
    return credibility(out, book)
