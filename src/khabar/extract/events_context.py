"""Events filled from the rest of the document: what one sentence leaves to the others.

* ``from_context`` runs sentence by sentence: dates and actors a sentence leaves to the
  one before it, claims of an attack without a date of their own.
* ``attribute_claims`` runs on the whole document: an attack no sentence attributes
  takes the group that claimed an attack of that date elsewhere in the document.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence

from khabar.resolve.events import places_agree
from khabar.schema import EventReport, coarser, date_key

__all__ = ["REPORTED", "attribute_claims", "dedupe", "from_context", "month_end"]

# date_text of an event the sentence does not date: context or publication dates it
REPORTED = "(as reported)"


def dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def month_end(first: str) -> str:
    """The last day of the month of ``first`` (an ISO day)."""
    y, m = int(first[:4]), int(first[5:7])
    return f"{first[:8]}{calendar.monthrange(y, m)[1]:02d}"


def from_context(reports: list[EventReport], previous: list[EventReport], anaphoric: bool,
                 earlier: Sequence[EventReport] = ()) -> list[EventReport]:
    """Fill what a sentence leaves to the ones before it.

    * "X claimed the attack" without a date of its own names who did the latest dated
      attack of the document (``earlier``): the claimant joins its actors; "five died in
      the attack" gives it the casualty figures it lacks.
    * Undated statements take the date of a dated statement of the sentence just before
      ("On August 23, AQIM released a statement. AQIS released a similar statement."),
      at month precision at most. A statement told in the past without any date ("a
      spokesman said") and "the recent attack" are news of the publication's month;
      the others that stay undated are dropped.
    * An event without actors in a sentence that points back ("the most notable of
      these was a meeting") takes the actors of the same kind of event just before.
    """
    out = []
    for r in reports:
        if r.type == "attack" and not r.date and r.claimed_by:
            # the latest dated attack nobody else is named for (a 2020 U.S. strike is not
            # what ISIS-K claims when "the blast" of 2024 was told before it)
            claimed = next((e for e in reversed(list(earlier)) if e.type == "attack" and e.date and (
                not e.actors or set(e.actors) & set(r.claimed_by))), None)
            if claimed is not None:
                _credit(claimed, r.claimed_by)
            else:
                out.append(r)  # an attack told later may be the one claimed (see attribute_claims)
            continue
        if r.type == "attack" and not r.date:
            # "17 soldiers died in the attack": figures for the attack told before
            told = next((e for e in reversed(list(earlier)) if e.type == "attack" and e.date), None)
            if told is not None and told.fatalities is None and r.fatalities is not None:
                told.fatalities, told.fatalities_low = r.fatalities, r.fatalities_low
                told.fatalities_high, told.injured = r.fatalities_high, r.injured
            continue
        if not r.actors and anaphoric:
            source = next((p for p in previous if p.type == r.type and p.actors), None)
            if source is not None:
                r.actors = list(source.actors)
        if r.date and r.date_text != REPORTED:
            out.append(r)
            continue
        source = next((p for p in previous if p.type == r.type and p.date), None)
        if source is None:
            if r.date_text == REPORTED and r.date:
                out.append(r)  # dated by its publication (see EventFinder._event)
            continue
        r.precision = "year" if source.precision == "year" else "month"
        r.date = source.date[:4] if r.precision == "year" else source.date[:7]
        r.date_start, r.date_end = source.date_start, source.date_end
        if r.precision == "month" and source.date_start:
            first = source.date_start[:8] + "01"
            r.date_start, r.date_end = first, month_end(first)
        out.append(r)
    return out


def _credit(attack: EventReport, claimants: list[str]) -> None:
    attack.claimed_by = dedupe(attack.claimed_by + claimants)
    attack.actors = dedupe(attack.actors + claimants)
    attack.targets = [x for x in attack.targets if x not in attack.actors]


def _claimants(r: EventReport, claim_nouns: frozenset[str]) -> list[str]:
    """Who claims an attack in this report: the claimants of an attack, or the speakers of
    a statement claiming responsibility or credit."""
    if r.type == "attack":
        return r.claimed_by
    if r.type == "statement" and r.trigger.split()[-1].lower() in claim_nouns:
        return r.actors
    return []


def _same_date(a: EventReport, b: EventReport) -> bool:
    if not a.date or not b.date:
        return True  # "X claimed the attack": whichever attack the document dates
    p = coarser(a.precision, b.precision)
    return date_key(a.date, p) == date_key(b.date, p)


def attribute_claims(reports: list[EventReport], claim_nouns: frozenset[str] = frozenset()) -> list[EventReport]:
    """An attack no sentence attributes ("The suicide bombing took place on Tuesday near
    a bank") takes the group that claimed an attack of the same date and place elsewhere in
    the document ("ISKP has claimed responsibility for the bombing"), when only one group
    did. Reports left without a date (claims of an attack never dated) are dropped."""
    claims = [(r, who) for r in reports if (who := _claimants(r, claim_nouns))]
    for r in reports:
        if r.type != "attack" or r.actors or not r.date:
            continue
        found = {tuple(who) for c, who in claims if c is not r and _same_date(c, r) and places_agree(c, r)}
        if len(found) == 1:
            _credit(r, list(found.pop()))
    return [r for r in reports if r.date]
