"""What a user typed, checked against what khabar knows, with the nearest names when it misses.

A misspelt tie type, event type, actor or place must not match nothing in silence: an empty
table reads as "no ties", "no events", a wrong answer. The readers (``Workspace`` and the
CLI) check each name here and fail with a coded error that lists the close matches:

* ``tie_type`` / ``event_type``: a type of ``data/vocab.yaml`` ("allied with", "Allied-With"
  and "allied_with" are one type); E320 / E302.
* ``actor_suggestions``: actors whose name, alias or a name seen in the documents is close,
  found in SQL over ``actors`` and ``actor_surfaces`` (the small tables), best first.
* ``place_term``: the value the events filter compares (a country's code, else the place's
  canonical name) for a place id, name, variant or country code; E332 with suggestions.

Only the standard library is imported here (``difflib``): the CLI's read commands import it.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections.abc import Iterable

from khabar.errors import KhabarError

__all__ = ["close_matches", "did_you_mean", "tie_type", "event_type", "event_types", "actor_suggestions",
           "place_term"]

# How close a typed name must be to a known one to be offered (difflib's ratio, 0..1).
CUTOFF = 0.6
# How far below the best match another may score and still be offered beside it.
NEAR = 0.15


def _key(text: str) -> str:
    """The form two spellings of a vocabulary word share: no case, runs of anything but
    letters and digits as one "_" ("Allied-With" and "allied with" -> "allied_with")."""
    return re.sub(r"[\W_]+", "_", text.casefold()).strip("_")


def close_matches(word: str, choices: Iterable[str], n: int = 3, cutoff: float = CUTOFF) -> list[str]:
    """The ``n`` choices closest to ``word`` (compared without case or punctuation), best first."""
    keyed: dict[str, str] = {}
    for choice in choices:
        keyed.setdefault(_key(choice), choice)
    return [keyed[k] for k in difflib.get_close_matches(_key(word), list(keyed), n=n, cutoff=cutoff)]


def did_you_mean(matches: Iterable[str]) -> str:
    """ "; did you mean 'a', 'b' or 'c'?" for a message, or "" without matches."""
    quoted = [f"'{m}'" for m in dict.fromkeys(matches)]
    if not quoted:
        return ""
    return "; did you mean " + (" or ".join([", ".join(quoted[:-1]), quoted[-1]]) if len(quoted) > 1
                                else quoted[0]) + "?"


def _vocabulary_word(text: str, known: dict[str, str], what: str, code: str) -> str:
    """The vocabulary word ``text`` spells (``known``: key -> word), else ``code`` with the
    close matches and the whole list."""
    found = known.get(_key(text or ""))
    if found is not None:
        return found
    words = list(dict.fromkeys(known.values()))
    raise KhabarError(code, f"unknown {what} {text!r}{did_you_mean(close_matches(text or '', words))} "
                            f"(one of: {', '.join(words)})")


def tie_type(text: str) -> str:
    """The tie type of the vocabulary that ``text`` names (by key or by label, any case or
    spacing), else E320 with the close ones."""
    from khabar.schema import vocab

    types = vocab()["tie_types"]
    known = {_key(t): t for t in types}
    for t, info in types.items():
        known.setdefault(_key(str((info or {}).get("label") or t)), t)
    return _vocabulary_word(text, known, "tie type", "E320")


def event_type(text: str) -> str:
    """The event type of the vocabulary that ``text`` names (any case or spacing), else E302."""
    from khabar.schema import vocab

    return _vocabulary_word(text, {_key(t): t for t in vocab()["event_types"]}, "event type", "E302")


def event_types(texts: str | Iterable[str] | None) -> list[str] | None:
    """``event_type`` of each of ``texts`` (one type may be a plain string); None for none."""
    if texts is None:
        return None
    wanted = [texts] if isinstance(texts, str) else list(texts)
    return [event_type(t) for t in wanted] or None


def _similarity(wanted: str):
    """A function scoring a stored name against ``wanted`` (0..1, on the loose key: no case,
    accents or punctuation); cheap bounds first, so most rows cost little."""
    from khabar.store.text import loose_key

    target = loose_key(wanted)

    def score(name: str | None) -> float:
        if not name or not target:
            return 0.0
        matcher = difflib.SequenceMatcher(None, target, loose_key(name))
        if matcher.real_quick_ratio() < CUTOFF or matcher.quick_ratio() < CUTOFF:
            return 0.0
        return matcher.ratio()

    return score


def actor_suggestions(conn: sqlite3.Connection, name: str, n: int = 3) -> list[str]:
    """The names of the ``n`` actors closest to ``name`` by their name, an alias or a name the
    documents use for them (``actor_surfaces``), best first, the more mentioned first on a tie.

    Scored inside SQLite (a function registered on the connection), so that only the few
    best names come back to Python, never every actor or surface."""
    conn.create_function("khabar_similarity", 1, _similarity(name), deterministic=True)
    sql = """
        SELECT a.name AS name, MAX(m.score) AS score, COALESCE(s.mentions, 0) AS mentions
        FROM (SELECT id, khabar_similarity(name) AS score FROM actors
              UNION ALL SELECT id, khabar_similarity(id) FROM actors
              UNION ALL SELECT a.id, khabar_similarity(j.value) FROM actors a, json_each(a.aliases) j
              UNION ALL SELECT actor_id, khabar_similarity(surface) FROM actor_surfaces) m
        JOIN actors a ON a.id = m.id LEFT JOIN actor_stats s ON s.actor_id = a.id
        WHERE m.score >= ?
        GROUP BY a.id ORDER BY score DESC, mentions DESC, a.name LIMIT ?"""
    try:
        rows = conn.execute(sql, (CUTOFF, n)).fetchall()
        best = max((r[1] for r in rows), default=0.0)
        # a far second is noise beside a near first ("talibn": Taliban, not Britain)
        return list(dict.fromkeys(r[0] for r in rows if r[1] >= best - NEAR))
    finally:
        conn.create_function("khabar_similarity", 1, None)


def place_term(name: str, conn: sqlite3.Connection | None = None) -> str:
    """What the events filter compares for the place ``name`` (``store.events.event_filter``
    matches it against an event's place id, place, district, province and country code):
    a country's ISO code ("Pakistan", "pakistan", "PK" -> "PK"), else the canonical name
    of the place the gazetteer finds ("Ningarhar" -> "Nangarhar").

    A name the gazetteer lacks is kept as typed when an event is stored under it (looked up
    through the events' place indexes on ``conn``); else E332 with the close place names."""
    from khabar.resolve.places import load_places

    text = (name or "").strip()
    if not text:
        raise KhabarError("E332", "an empty place name")
    places = load_places()
    found = places.get(text) or places.get(text.lower())
    if found is None and len(text) == 2 and text.isalpha():
        found = places.country(text)
    if found is None:
        found = places.lookup(text)
    if found is not None:
        return found.country if found.kind == "country" and found.country else found.name
    if conn is not None and _stored_place(conn, text):
        return text
    raise KhabarError("E332", f"no place called {text!r}{did_you_mean(places.suggest(text))}")


def _stored_place(conn: sqlite3.Connection, text: str) -> bool:
    """Whether an event is stored at ``text`` (one indexed look-up per place column)."""
    return any(conn.execute(f"SELECT 1 FROM events WHERE {col} = ? COLLATE NOCASE LIMIT 1", (text,)).fetchone()
               for col in ("place", "location", "admin1", "admin2", "country"))
