"""Merged events as a CSV in the style of ACLED (the Armed Conflict Location & Event Data project).

One row per merged :class:`khabar.schema.Event`. Where a column bears ACLED's name it carries
ACLED's meaning, as far as khabar knows it; khabar's own columns follow, named apart.

ACLED columns
-------------
* ``event_id_cnty``: khabar's event id (ACLED's is a country prefix and a number).
* ``event_date``: the first day the event may have happened on (ISO ``YYYY-MM-DD``; ACLED
  codes the middle of a range, khabar gives the range: ``date_end``). ``year``: its year.
* ``time_precision``: ACLED's codes: 1 the source gives the day; 2 a range of days up to
  about half a month (a week, "mid-May"); 3 a month or coarser, or a longer range.
* ``disorder_type``, ``event_type``, ``sub_event_type``: ACLED's taxonomy, mapped from
  khabar's type (kept in ``khabar_event_type``) by :func:`acled_event_type`:

  - ``attack`` and ``killing``: *Explosions/Remote violence* when a report's sentence names
    the weapon (*Suicide bomb*; *Air/drone strike*; *Grenade*; *Shelling/artillery/missile
    attack*; *Remote explosive/landmine/IED*, in that order of precedence); else *Violence
    against civilians* / *Attack* when no organised armed party is named as the target and
    the sentence names civilians (or, for a killing, names no organised target at all);
    else *Battles* / *Armed clash*;
  - ``takeover``: *Battles* / *Government regains territory* when the first actor is a
    state's forces, else *Non-state actor overtakes territory* (khabar does not tell a
    fought takeover from a negotiated one, which ACLED codes as a strategic development);
  - ``agreement``: *Strategic developments* / *Agreement*;
  - ``statement``, ``meeting``, ``release`` (of prisoners): *Strategic developments* /
    *Other*: ACLED records these only when they matter strategically; khabar keeps them all.

  ``Protests`` and ``Riots`` never occur: khabar extracts no demonstrations.
* ``actor1``: the first actor who did it (display name); ``assoc_actor_1`` the others,
  joined by ``"; "``. ``actor2`` / ``assoc_actor_2``: the same for the targets.
* ``inter1`` / ``inter2``: ACLED's actor type codes, from the first actor's (target's) kind
  (:func:`inter_code`): 1 state forces (a ``state`` or ``state_agency`` of the event's
  country, or of an unknown one), 8 external/other forces (a state acting in another
  country, an ``igo``), 2 rebel groups (``armed_group``: khabar does not tell rebels from
  political or identity militias, 3 and 4), 3 political militias (``political_movement``),
  7 civilians (``media_outlet``: its staff). 0: no actor named (as ACLED writes for a missing
  actor2), except a *Violence against civilians* event with no target named, whose victims
  are civilians by the type's definition: 7. Empty: an actor of kind ``other``, not codable.
  Codes 4 (identity militias), 5 (rioters) and 6 (protesters) never occur.
* ``interaction``: the two codes as one number, the lower first (``12``, ``27``; ``20``
  when there is no actor2), as ACLED combines them; empty when a code is.
* ``civilian_targeting``: ``Civilian targeting`` for *Violence against civilians*, else empty.
* ``iso``: the ISO 3166-1 *numeric* code of the country, as ACLED's ``iso`` (4 for
  Afghanistan); ``country``: the country's *name* (``Afghanistan``); khabar's ISO 3166-1
  alpha-2 code is ``country_code``.
* ``admin1``, ``admin2``, ``location``, ``latitude``, ``longitude``, ``geo_precision``
  (1 the place itself, 2 near it or a district, 3 a province; 4, khabar's, a country).
* ``source``: the reporting sources, joined by ``"; "``; ``notes``: the first report's
  sentence (at most 500 characters).
* ``fatalities``: khabar's best estimate (the lowest figure a source states); empty when no
  figure was reported, where ACLED writes 0.

khabar's columns: ``khabar_event_type``, ``date_precision`` (day, month, season, year),
``date_end``, ``country_code``, ``fatalities_low``/``fatalities_high``, ``injured``,
``reports`` (how many reports were merged) and ``documents`` (their ids, ``;``-joined).

Hostile input: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading ``'`` so no spreadsheet evaluates it as a formula. Numeric columns are
written from numbers khabar parsed (an int or float), so a negative longitude stays a
number. Write to a file opened with ``newline=""`` and ``encoding="utf-8"``; rows end in ``"\\n"``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import IO, Any

__all__ = ["ACLED_COLUMNS", "acled_rows", "write_acled_csv", "time_precision", "neutralise", "acled_event_type",
           "inter_code", "country_iso_numeric"]

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "source", "notes",
    "fatalities",
    # khabar's own
    "khabar_event_type", "date_precision", "date_end", "country_code", "fatalities_low", "fatalities_high",
    "injured", "reports", "documents",
]
NOTES_CHARS = 500
WEEKISH_DAYS = 15  # longest range (days between first and last day) coded time_precision 2
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

BATTLES, EXPLOSIONS, CIVILIANS, STRATEGIC = ("Battles", "Explosions/Remote violence", "Violence against civilians",
                                             "Strategic developments")
_DISORDER = {BATTLES: "Political violence", EXPLOSIONS: "Political violence", CIVILIANS: "Political violence",
             STRATEGIC: "Strategic developments"}
# The weapon a sentence names -> ACLED's sub-event type, in order of precedence.
_WEAPONS = [
    ("Suicide bomb", re.compile(r"\bsuicide\b", re.I)),
    ("Air/drone strike", re.compile(r"\b(drones?|air ?strikes?|air raids?|aerial|warplanes?|bombers?|"
                                    r"helicopter gunships?|fighter jets?)\b", re.I)),
    ("Grenade", re.compile(r"\bgrenades?\b", re.I)),
    ("Shelling/artillery/missile attack", re.compile(r"\b(shell(ing|ed|s)?|artillery|mortars?|rockets?|"
                                                     r"missiles?)\b", re.I)),
    ("Remote explosive/landmine/IED", re.compile(r"\b(ieds?|improvised explosive|roadside bombs?|landmines?|"
                                                 r"mines?|car bombs?|vehicle[- ]borne|explosives?|explosions?|"
                                                 r"blasts?|bomb(s|ing|ings|ed)?|detonat\w*)\b", re.I)),
]
_CIVILIAN_WORDS = re.compile(
    r"\b(civilians?|worshippers?|students?|pupils?|schoolgirls?|children|women|villagers?|residents?|"
    r"passengers?|shoppers?|mourners?|pilgrims?|journalists?|reporters?|aid workers?|doctors?|nurses?|"
    r"teachers?|wedding|mosques?|shrines?|schools?|hospitals?|markets?|bazaars?|funerals?|maternity)\b", re.I)
_STATE_KINDS = ("state", "state_agency")
_KIND_CODES = {"armed_group": 2, "political_movement": 3, "igo": 8, "media_outlet": 7}


def neutralise(value: Any) -> str:
    """``value`` as a CSV text cell, with a leading ``'`` when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def time_precision(precision: Any, date_start: Any, date_end: Any) -> int | None:
    """ACLED's time precision code (1 day, 2 up to about half a month, 3 month or coarser); None if undated."""
    start, end = _day(date_start), _day(date_end)
    if start is None:
        return None
    if precision in ("month", "season", "year"):
        return 3
    days = 0 if end is None else (end - start).days
    if days <= 0:
        return 1
    return 2 if days <= WEEKISH_DAYS else 3


def _int(value: Any) -> int | str:
    if isinstance(value, bool) or value is None:
        return ""
    try:
        return int(value)
    except (TypeError, ValueError):
        return ""


def _float(value: Any) -> float | str:
    if isinstance(value, bool) or value is None:
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return number if number == number and abs(number) != float("inf") else ""


def _ids(value: Any) -> list[str]:
    return [str(i) for i in value if i is not None] if isinstance(value, list) else []


def _display(ids: list[str], given: Any, names: Mapping[str, str]) -> list[str]:
    """Display names of ``ids``: the event's own (``given``, same order), else ``names``, else the id."""
    given = given if isinstance(given, list) else []
    out = []
    for i, actor in enumerate(ids):
        name = given[i] if i < len(given) and given[i] else names.get(actor, actor)
        out.append(" ".join(str(name).split()))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _gazetteer_actors() -> dict[str, dict[str, Any]]:
    """Kind and country of the bundled gazetteer's actors: the default when no actor records are given."""
    from khabar.resolve.gazetteer import load_gazetteer

    return {actor_id: {"kind": entry.actor.kind, "country": entry.actor.country}
            for actor_id, entry in load_gazetteer().entries.items()}


def inter_code(actor: Mapping[str, Any] | None, event_country: str | None) -> int | None:
    """ACLED's actor type code of an actor record (its ``kind`` and ``country``) in an event
    in ``event_country`` (ISO2): see the module docstring; None when its kind has no code."""
    if not actor:
        return None
    kind = actor.get("kind")
    if kind in _STATE_KINDS:
        home = actor.get("country")
        return 8 if home and event_country and str(home).upper() != str(event_country).upper() else 1
    return _KIND_CODES.get(str(kind))


def _sentences(event: Mapping[str, Any]) -> str:
    reports = [r for r in event.get("reports") or [] if isinstance(r, dict)]
    return " ".join(str(r.get("sentence") or r.get("text") or "") for r in reports)


def acled_event_type(event: Mapping[str, Any], actors: Mapping[str, Mapping[str, Any]]) -> tuple[str, str, str]:
    """(disorder type, event type, sub-event type) in ACLED's taxonomy for a khabar event dict
    (its ``type``, ``actors``, ``targets``, ``country`` and its reports' sentences), the
    actors' kinds read from ``actors`` (id -> record): the rules of the module docstring."""
    kind = event.get("type")
    country = event.get("country")
    if kind == "agreement":
        return _DISORDER[STRATEGIC], STRATEGIC, "Agreement"
    if kind == "takeover":
        first = next(iter(_ids(event.get("actors"))), None)
        code = inter_code(actors.get(first) if first else None, country)
        sub = "Government regains territory" if code == 1 else "Non-state actor overtakes territory"
        return _DISORDER[BATTLES], BATTLES, sub
    if kind not in ("attack", "killing"):
        return _DISORDER[STRATEGIC], STRATEGIC, "Other"
    text = _sentences(event)
    for sub, pattern in _WEAPONS:
        if pattern.search(text):
            return _DISORDER[EXPLOSIONS], EXPLOSIONS, sub
    target_codes = [inter_code(actors.get(t), country) for t in _ids(event.get("targets"))]
    organised = any(c in (1, 2, 3, 4, 8) for c in target_codes)
    civilian = 7 in target_codes or bool(_CIVILIAN_WORDS.search(text))
    if not organised and (civilian or kind == "killing"):
        return _DISORDER[CIVILIANS], CIVILIANS, "Attack"
    return _DISORDER[BATTLES], BATTLES, "Armed clash"


def _interaction(inter1: int | None, inter2: int | None) -> int | str:
    if inter1 is None or inter2 is None or inter1 == 0:
        return ""
    if inter2 == 0:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


@lru_cache(maxsize=1)
def _iso_numeric() -> dict[str, int]:
    """ISO 3166-1 alpha-2 -> numeric, from the countrystatecity-countries data (offline)."""
    try:
        import countrystatecity_countries as csc
    except ImportError:  # a dependency, but the CSV should not need it to be written
        return {}
    out = {}
    for c in csc.get_countries():
        if c.iso2 and str(c.numeric_code or "").isdigit():
            out[c.iso2.upper()] = int(c.numeric_code)
    return out


def country_iso_numeric(code: str | None) -> int | None:
    """The ISO 3166-1 numeric code (ACLED's ``iso``) of an alpha-2 code: 4 for "AF"; None if unknown."""
    return _iso_numeric().get(str(code).upper()) if code else None


def _country_names() -> Mapping[str, str]:
    """ISO2 -> name from the outlines file (empty when it is missing)."""
    from khabar.present.geomap import load_outlines

    countries = (load_outlines() or {}).get("countries", {})
    return {str(code): str(c.get("name")) for code, c in countries.items() if isinstance(c, dict) and c.get("name")}


def _as_dict(event: Any) -> dict[str, Any] | None:
    if hasattr(event, "to_dict"):
        event = event.to_dict()
    return event if isinstance(event, dict) else None


def _row(event: dict[str, Any], names: Mapping[str, str], countries: Mapping[str, str],
         actors: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    reports = [r for r in event.get("reports") or [] if isinstance(r, dict)]
    start = _day(event.get("date_start"))
    end = _day(event.get("date_end"))
    sources = [s for s in event.get("sources") or [] if s] or [r.get("source") for r in reports if r.get("source")]
    documents = [d for d in event.get("documents") or [] if d] or [r.get("doc_id") for r in reports if r.get("doc_id")]
    first = reports[0] if reports else {}
    sentence = " ".join(str(first.get("sentence") or first.get("text") or "").split())
    if len(sentence) > NOTES_CHARS:
        sentence = sentence[: NOTES_CHARS - 1].rstrip() + "\u2026"
    country = event.get("country")
    doers, targets = _ids(event.get("actors")), _ids(event.get("targets"))
    doer_names = _display(doers, event.get("actor_names"), names)
    target_names = _display(targets, event.get("target_names"), names)
    disorder, event_type, sub_event_type = acled_event_type(event, actors)
    inter1 = inter_code(actors.get(doers[0]), country) if doers else 0
    if targets:
        inter2 = inter_code(actors.get(targets[0]), country)
    else:
        inter2 = 7 if event_type == CIVILIANS else 0
    text = {
        "event_id_cnty": event.get("id"),
        "event_date": start.isoformat() if start else "",
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": doer_names[0] if doer_names else "",
        "assoc_actor_1": "; ".join(doer_names[1:]),
        "actor2": target_names[0] if target_names else "",
        "assoc_actor_2": "; ".join(target_names[1:]),
        "civilian_targeting": "Civilian targeting" if event_type == CIVILIANS else "",
        "country": countries.get(str(country), "") if country else "",
        "admin1": event.get("admin1"),
        "admin2": event.get("admin2"),
        "location": event.get("location"),
        "source": "; ".join(dict.fromkeys(" ".join(str(s).split()) for s in sources)),
        "notes": sentence,
        "khabar_event_type": event.get("type"),
        "date_precision": event.get("precision"),
        "date_end": end.isoformat() if end else "",
        "country_code": country,
        "documents": ";".join(dict.fromkeys(str(d) for d in documents)),
    }
    row: dict[str, Any] = {key: neutralise(value) for key, value in text.items()}
    row.update({
        "year": start.year if start else "",
        "time_precision": time_precision(event.get("precision"), event.get("date_start"), event.get("date_end")) or "",
        "inter1": "" if inter1 is None else inter1,
        "inter2": "" if inter2 is None else inter2,
        "interaction": _interaction(inter1, inter2),
        "iso": _int(country_iso_numeric(country)),
        "latitude": _float(event.get("lat")),
        "longitude": _float(event.get("lon")),
        "geo_precision": _int(event.get("geo_precision")),
        "fatalities": _int(event.get("fatalities")),
        "fatalities_low": _int(event.get("fatalities_low")),
        "fatalities_high": _int(event.get("fatalities_high")),
        "injured": _int(event.get("injured")),
        "reports": len(reports),
    })
    return {column: row[column] for column in ACLED_COLUMNS}


def acled_rows(events: Iterable[Any] | None, *, names: Mapping[str, str] | None = None,
               country_names: Mapping[str, str] | None = None,
               actors: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]] | None = None
               ) -> list[dict[str, Any]]:
    """One dict per event (keys :data:`ACLED_COLUMNS`), in the order given.

    ``events`` are :class:`~khabar.schema.Event` records or their dicts (``Workspace``'s
    named events, or ``khabar.export.base.Records.events()``); ``names`` maps actor ids to
    display names; ``country_names`` maps ISO2 codes to names (default: the names in
    ``khabar/data/outlines.json``); ``actors`` are actor records (a list, or a mapping by id)
    whose ``kind`` and ``country`` give ``inter1``/``inter2`` (default: the bundled gazetteer's).
    """
    return list(_rows(events, names=names, country_names=country_names, actors=actors))


def _rows(events: Iterable[Any] | None, *, names: Mapping[str, str] | None,
          country_names: Mapping[str, str] | None,
          actors: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]] | None) -> Iterable[dict[str, Any]]:
    countries = _country_names() if country_names is None else country_names
    if actors is None:
        by_id: Mapping[str, Mapping[str, Any]] = _gazetteer_actors()
    elif isinstance(actors, Mapping):
        by_id = actors
    else:
        by_id = {str(a.get("id")): a for a in actors if isinstance(a, Mapping)}
    for event in events or []:
        data = _as_dict(event)
        if data is not None:
            yield _row(data, names or {}, countries, by_id)


def write_acled_csv(events: Iterable[Any] | None, fh: IO[str], *, names: Mapping[str, str] | None = None,
                    country_names: Mapping[str, str] | None = None,
                    actors: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]] | None = None) -> int:
    """Write the events as CSV (header and one row per event) to ``fh``, one row at a time;
    returns the number of rows written. Arguments as :func:`acled_rows`."""
    writer = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    n = 0
    for row in _rows(events, names=names, country_names=country_names, actors=actors):
        writer.writerow(row)
        n += 1
    return n
