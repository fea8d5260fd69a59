"""Correcting the machine: the ``Workspace`` methods that record an analyst's corrections.

>>> ws = Workspace("khabar.db")                                              # doctest: +SKIP
>>> ws.add_actor("haqqani-network", "Haqqani Network", "armed_group", parent="taliban")  # doctest: +SKIP
>>> ws.move_mentions("haqqani-network", source="taliban", surfaces=["Haqqanis"])        # doctest: +SKIP
>>> ws.add_tie(doc_id, "taliban", "hosts", "al-qaeda", sentence=3)         # doctest: +SKIP
>>> ws.edit_tie("al-qaeda", "hosts", "taliban", flip=True)                  # doctest: +SKIP
>>> ws.edit_event("ev-0123abcd4567", date="2021-08-26", fatalities=170)     # doctest: +SKIP
>>> ws.not_forecast("jd-0123abcd4567")                                      # doctest: +SKIP
>>> ws.undo(7)                                                              # doctest: +SKIP

Each method checks what it is given (a clear ``KhabarError`` E340-E349, or the catalogue's
E301/E302/E303/E304/E307 for an unknown actor, event type, date, judgment or tie), then
records one action in the analyst log, which ``khabar.store.corrections`` projects into the
tables readers use; ``Workspace.undo`` takes any of them back. ``Workspace`` inherits this
class; it holds no state of its own.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from khabar import store
from khabar.errors import KhabarError
from khabar.schema import is_partial_date, is_symmetric, vocab

if TYPE_CHECKING:
    import sqlite3

__all__ = ["Corrections", "ACTOR_ID"]

ACTOR_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}$")  # as the web app's addresses accept them
MAX_EVIDENCE = 5000  # characters of a document an analyst may cite as one piece of evidence
MAX_NAMES = 50


def _name(value: str | None, what: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 200:
        raise KhabarError("E340", f"{what} needs 1 to 200 characters")
    return value


def date_range(value: str | None, end: str | None = None, precision: str | None = None
               ) -> dict[str, str | None]:
    """``date``, ``precision``, ``date_start`` and ``date_end`` from a partial ISO date (its
    first and last day), or from a start and an end day; E303 for a date that is not one."""
    from khabar.analyze.activity import _partial_span

    for v in (value, end):
        if v and not is_partial_date(v):
            raise KhabarError("E303", f"{v!r} is not a date")
    if not value:
        if end:
            raise KhabarError("E344", "an end date needs a start date")
        return {"date": None, "precision": None, "date_start": None, "date_end": None}
    first, last = _partial_span(value)  # type: ignore[misc]
    if end:
        last = _partial_span(end)[1]  # type: ignore[index]
        if last < first:
            raise KhabarError("E344", f"the end {end} is before the start {value}")
    guess = {4: "year", 7: "month", 10: "day"}[len(value)]
    if end and end != value:
        guess = "month" if (last - first).days <= 31 else "season" if (last - first).days <= 92 else "year"
    precision = precision or guess
    if precision not in vocab()["date_precisions"]:
        raise KhabarError("E344", f"precision {precision!r} is not one of {', '.join(vocab()['date_precisions'])}")
    return {"date": value, "precision": precision, "date_start": first.isoformat(), "date_end": last.isoformat()}


def place_fields(name: str | None) -> dict[str, Any]:
    """The place columns of an event for a place id or name of the place table; E344 when unknown."""
    from khabar.resolve.places import load_places

    if not name:
        return {}
    places = load_places()
    place = places.get(name.strip()) or places.lookup(name.strip()[:200])
    if place is None:
        raise KhabarError("E344", f"no place called {name!r} in the place table")
    return {"place": place.id, "location": place.name, "admin1": place.admin1, "admin2": place.admin2,
            "country": place.country, "lat": place.lat, "lon": place.lon, "geo_precision": place.precision}


class Corrections:
    """The analyst's corrections (mixed into ``khabar.workspace.Workspace``)."""

    # provided by Workspace
    conn: sqlite3.Connection
    path: str

    def require_existing(self) -> None: ...  # pragma: no cover - Workspace's
    def actor(self, name: str) -> dict[str, Any]: ...  # pragma: no cover - Workspace's

    # -- looking things up --------------------------------------------------------------------
    def _actor_id(self, name: str) -> str:
        """The stored actor a name stands for, as the machine rows name it (a merged-away
        actor is itself here: its rows still carry its id)."""
        found = store.actor(self.conn, name)
        return found["id"] if found else self.actor(name)["id"]

    def _actor_ids(self, names: list[str] | tuple[str, ...] | None) -> list[str]:
        return list(dict.fromkeys(self._actor_id(n) for n in names or [] if n and n.strip()))

    def sentences(self, doc_id: str, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """A document's sentences (index, offsets, text) in order: what a tie or an event can cite."""
        self.require_existing()
        from khabar.store.read import page

        sql, params = page('SELECT idx, "start", "end", text FROM sentences WHERE doc_id = ? ORDER BY idx',
                                      [doc_id], limit, offset)
        return [dict(r) for r in self.conn.execute(sql, params)]

    def _evidence(self, doc_id: str, sentence: int | None, start: int | None, end: int | None) -> tuple[int, int]:
        """The offsets of the evidence: the document's sentence number ``sentence`` (0 the
        first), or the span ``start``..``end`` of its text."""
        self.require_existing()
        row = self.conn.execute("SELECT length(text), duplicate_of FROM documents WHERE id = ?",
                                (doc_id,)).fetchone()
        if row is None:
            raise KhabarError("E341", f"no document {doc_id!r} in {self.path}")
        if row[1]:
            raise KhabarError("E341", f"document {doc_id[:12]} repeats {row[1][:12]}: cite the original")
        if sentence is not None:
            found = self.conn.execute('SELECT "start", "end" FROM sentences WHERE doc_id = ? AND idx = ?',
                                      (doc_id, int(sentence))).fetchone()
            if found is None:
                raise KhabarError("E341", f"document {doc_id[:12]} has no sentence {sentence}")
            return int(found[0]), int(found[1])
        if start is None or end is None or not 0 <= int(start) < int(end) <= row[0] or int(end) - int(start) > MAX_EVIDENCE:
            raise KhabarError("E341", f"give a sentence number, or offsets inside the document (0-{row[0]}, "
                                      f"at most {MAX_EVIDENCE} characters)")
        return int(start), int(end)

    def corrections(self) -> list[dict[str, Any]]:
        """The corrections in force, oldest first."""
        from khabar.store.corrections import live

        self.require_existing()
        return live(self.conn)

    def _record(self, kind: str, target: str, payload: dict[str, Any]) -> int:
        from khabar.store.corrections import record

        return record(self.conn, kind, target, payload)

    # -- actors and mentions ------------------------------------------------------------------
    def add_actor(self, actor_id: str, name: str, kind: str = "other", aliases: list[str] | tuple[str, ...] = (),
                  parent: str | None = None, country: str | None = None) -> int:
        """Create an actor the machine missed (undoable); its id must be new."""
        self.require_existing()
        actor_id = (actor_id or "").strip()
        if not ACTOR_ID.match(actor_id):
            raise KhabarError("E340", f"{actor_id!r} is not an actor id: lowercase letters, digits, '.', '_', '-'")
        if self.conn.execute("SELECT 1 FROM actors WHERE id = ?", (actor_id,)).fetchone():
            raise KhabarError("E340", f"there is already an actor {actor_id!r}")
        if kind not in vocab()["actor_kinds"]:
            raise KhabarError("E340", f"kind {kind!r} is not one of {', '.join(vocab()['actor_kinds'])}")
        names = list(dict.fromkeys(_name(a, "an alias") for a in aliases or [] if a and a.strip()))
        if len(names) > MAX_NAMES:
            raise KhabarError("E340", f"at most {MAX_NAMES} aliases")
        if country and not re.fullmatch(r"[A-Za-z]{2}", country.strip()):
            raise KhabarError("E340", f"country {country!r} is not a two-letter code")
        payload = {"name": _name(name, "an actor's name"), "kind": kind, "aliases": names,
                   "parent": self.actor(parent)["id"] if parent else None,
                   "country": country.strip().upper() if country else None}
        return self._record("add_actor", actor_id, payload)

    def move_mentions(self, into: str, *, source: str | None = None, surfaces: list[str] | tuple[str, ...] = (),
                      mentions: list[tuple[str, int, int]] | tuple = ()) -> int:
        """Re-point mentions to the actor ``into`` (attach them to it, or split a wrong merge):
        every mention of ``source`` found under one of ``surfaces`` (now and in documents
        stored later), and the ``mentions`` given as (document id, start, end). The ties of a
        sentence that named ``source`` only there go with them."""
        self.require_existing()
        target = self._actor_id(into)
        src = self._actor_id(source) if source else None
        if surfaces and not src:
            raise KhabarError("E346", "moving mentions by surface needs the actor they are under (source)")
        if src == target:
            raise KhabarError("E346", "the mentions are already under that actor")
        surfaces = [s for s in dict.fromkeys(surfaces or []) if s]
        spots = [(str(d), int(s), int(e)) for d, s, e in mentions or []]
        found = 0
        for surface in surfaces:
            n = self.conn.execute("SELECT COUNT(*) FROM mentions WHERE actor_id = ? AND surface = ?",
                                  (src, surface)).fetchone()[0]
            if not n:
                raise KhabarError("E346", f"{src} has no mention under {surface!r}")
            found += n
        for doc_id, start, end in spots:
            row = self.conn.execute('SELECT actor_id FROM mentions WHERE doc_id = ? AND "start" = ? AND "end" = ?',
                                    (doc_id, start, end)).fetchone()
            if row is None or (src and row[0] != src):
                raise KhabarError("E346", f"no mention{' of ' + src if src else ''} at {doc_id[:12]}:{start}:{end}")
            found += 1
        if not found:
            raise KhabarError("E346", "say which surfaces or mentions to move")
        return self._record("move_mentions", target, {"from": src, "surfaces": surfaces,
                                                      "mentions": [list(m) for m in spots]})

    # -- ties ---------------------------------------------------------------------------------
    def _tie_type(self, tie_type: str) -> str:
        if tie_type not in vocab()["tie_types"]:
            raise KhabarError("E342", f"unknown tie type {tie_type!r} (one of: {', '.join(vocab()['tie_types'])})")
        return tie_type

    def _modality(self, modality: str) -> str:
        if modality not in vocab()["modalities"]:
            raise KhabarError("E342", f"unknown modality {modality!r} (one of: {', '.join(vocab()['modalities'])})")
        return modality

    def add_tie(self, doc_id: str, subject: str, tie_type: str, obj: str, *, sentence: int | None = None,
                start: int | None = None, end: int | None = None, modality: str = "asserted",
                attributed_to: str | None = None) -> int:
        """A tie the analyst read in a document: its sentence number ``sentence`` (or the
        offsets ``start``..``end``) is the evidence; counted like the machine's, labelled analyst."""
        a, b = self._evidence(doc_id, sentence, start, end)
        s, o = self._actor_id(subject), self._actor_id(obj)
        tie_type, modality = self._tie_type(tie_type), self._modality(modality)
        if s == o:
            raise KhabarError("E342", "a tie needs two different actors")
        if is_symmetric(tie_type) and s > o:
            s, o = o, s
        who = (attributed_to or "").strip()[:200] or None
        return self._record("add_tie", f"tie:{s}|{tie_type}|{o}", {"doc_id": doc_id, "start": a, "end": b,
                                                                  "modality": modality, "attributed_to": who})

    def edit_tie(self, subject: str, tie_type: str, obj: str, *, flip: bool = False, new_type: str | None = None,
                 modality: str | None = None) -> int:
        """Flip a tie's direction, change its type or the modality of its evidence: every
        assertion of the tie (later ones too) changes, each keeping its machine values for undo."""
        self.require_existing()
        s, o = self._actor_id(subject), self._actor_id(obj)
        self._tie_type(tie_type)
        new_type = self._tie_type(new_type) if new_type and new_type != tie_type else None
        modality = self._modality(modality) if modality else None
        symmetric = is_symmetric(tie_type)
        if not any(self.conn.execute("SELECT 1 FROM assertions WHERE subject = ? AND type = ? AND object = ? LIMIT 1",
                                     key).fetchone() for key in ([(s, tie_type, o), (o, tie_type, s)] if symmetric
                                                                 else [(s, tie_type, o)])):
            raise KhabarError("E307", f"no tie {s} {tie_type} {o}")
        if flip and symmetric:
            raise KhabarError("E342", f"{tie_type} has no direction to flip")
        if not (flip or new_type or modality):
            raise KhabarError("E342", "say what to change: flip, a new type or a modality")
        if symmetric and s > o:
            s, o = o, s
        return self._record("edit_tie", f"tie:{s}|{tie_type}|{o}", {"flip": bool(flip), "type": new_type,
                                                                   "modality": modality})

    # -- events -------------------------------------------------------------------------------
    def _event_fields(self, event_type: str | None, date: str | None, date_end: str | None, precision: str | None,
                      place: str | None, actors: list[str] | None, targets: list[str] | None,
                      fatalities: int | str | None) -> dict[str, Any]:
        """The checked event columns of what was given (None: not given)."""
        fields: dict[str, Any] = {}
        if event_type is not None:
            if event_type not in vocab()["event_types"]:
                raise KhabarError("E302", f"unknown event type {event_type!r} "
                                          f"(one of: {', '.join(vocab()['event_types'])})")
            fields["type"] = event_type
        if date or date_end or precision:
            fields.update(date_range(date, date_end, precision))
        fields.update(place_fields(place))
        if actors is not None:
            fields["actors"] = self._actor_ids(actors)
        if targets is not None:
            fields["targets"] = [t for t in self._actor_ids(targets) if t not in fields.get("actors", [])]
        if fatalities is not None and fatalities != "":
            try:
                n = int(fatalities)
            except (TypeError, ValueError):
                n = -1
            if not 0 <= n <= 1_000_000:
                raise KhabarError("E344", f"fatalities {fatalities!r} is not a whole number of people")
            fields["fatalities"] = n
        return fields

    def add_event(self, doc_id: str, event_type: str, *, sentence: int | None = None, start: int | None = None,
                  end: int | None = None, date: str | None = None, date_end: str | None = None,
                  precision: str | None = None, place: str | None = None, actors: list[str] | None = None,
                  targets: list[str] | None = None, fatalities: int | str | None = None) -> int:
        """An event the analyst read in a document (its sentence the evidence); merged with
        the events it agrees with as a machine report would be, labelled analyst."""
        a, b = self._evidence(doc_id, sentence, start, end)
        fields = self._event_fields(event_type, date, date_end, precision, place, actors or [], targets or [],
                                    fatalities)
        stamp = f"{doc_id}|{a}|{b}|{event_type}|{datetime.now(UTC).isoformat()}"
        target = "ev-" + hashlib.sha256(stamp.encode("utf-8")).hexdigest()[:12]
        return self._record("add_event", target, {"doc_id": doc_id, "start": a, "end": b, **fields})

    def edit_event(self, event_id: str, *, event_type: str | None = None, date: str | None = None,
                   date_end: str | None = None, precision: str | None = None, place: str | None = None,
                   actors: list[str] | None = None, targets: list[str] | None = None,
                   fatalities: int | str | None = None) -> int:
        """Correct an event: what is given replaces the machine's value (dates with their
        precision, place, who did it, who suffered it, fatalities, type)."""
        self.require_existing()
        if self.conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is None:
            raise KhabarError("E343", f"no event {event_id!r} in {self.path}")
        fields = self._event_fields(event_type, date, date_end, precision, place, actors, targets, fatalities)
        if not fields:
            raise KhabarError("E344", "say what to correct: type, date, precision, place, actors, targets, fatalities")
        anchor = [list(r) for r in self.conn.execute(
            'SELECT doc_id, "start", "end", type FROM event_reports WHERE event_id = ? '
            'ORDER BY correction IS NOT NULL, date_start, doc_id, "start", id LIMIT 3', (event_id,))]
        return self._record("edit_event", event_id, {"anchor": anchor, "fields": fields})

    # -- judgments ----------------------------------------------------------------------------
    def not_forecast(self, judgment_id: str, note: str = "") -> int:
        """Say a judgment is no forecast: it loses its band and due date, so it is never due
        nor scored (undoable; its machine values are kept)."""
        self.require_existing()
        if self.conn.execute("SELECT 1 FROM judgments WHERE id = ?", (judgment_id,)).fetchone() is None:
            raise KhabarError("E304", f"no judgment {judgment_id!r} in {self.path}")
        return self._record("not_forecast", judgment_id, {"note": (note or "").strip()[:1000]})

    # -- undo ---------------------------------------------------------------------------------
    def _undo_correction(self, action_id: int) -> bool:
        """Undo one action, replaying the corrections left; an actor the analyst made cannot
        go while actions in force use it (E345)."""
        from khabar.store.corrections import undo

        row = self.conn.execute("SELECT kind, target FROM analyst_actions WHERE id = ? AND undone_at IS NULL",
                                (int(action_id),)).fetchone()
        if row is not None and row[0] == "add_actor":
            users = [a["id"] for a in store.actions(self.conn) if a["id"] != int(action_id) and _uses(a, row[1])]
            if users:
                raise KhabarError("E345", f"actions {', '.join(f'#{u}' for u in users)} use {row[1]}")
        return undo(self.conn, int(action_id))


def _uses(action: dict[str, Any], actor_id: str) -> bool:
    """Whether an action names ``actor_id`` (as its target, in a tie, or in its payload)."""
    target = str(action.get("target") or "")
    if target == actor_id or (target.startswith("tie:") and actor_id in target[4:].split("|")):
        return True
    p = action.get("payload") or {}
    fields = p.get("fields") or p
    return actor_id in (p.get("into"), p.get("from"), p.get("parent")) or any(
        actor_id in (fields.get(k) or []) for k in ("actors", "targets"))
