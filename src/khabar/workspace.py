"""The Python API: a knowledge base in one SQLite file, and what can be asked of it.

>>> ws = Workspace("khabar.db")                                   # doctest: +SKIP
>>> report = ws.ingest(["examples/corpus"], meta="examples/corpus.meta.jsonl")  # doctest: +SKIP
>>> ws.ties("Al Qaeda").head()                                    # doctest: +SKIP

Every CLI command is a thin wrapper over a method here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khabar import store
from khabar.analyze.ties import aggregate_ties, tie_key
from khabar.errors import KhabarError
from khabar.ingest import IngestReport, ReextractReport, ingest_lock, run_ingest, run_reextract
from khabar.schema import Event, EventReport, Source, Tie, vocab

if TYPE_CHECKING:
    import pandas as pd

# pandas is imported inside the methods that return a DataFrame: it costs 0.4 s, more than
# the whole start-up budget of a read command that prints rows.

__all__ = ["Workspace", "IngestReport", "ReextractReport"]


class Workspace:
    """A knowledge base at ``path`` (created and migrated on first use)."""

    def __init__(self, path: str | Path = "khabar.db") -> None:
        self.path = str(path)
        self._store: store.Store | None = None
        self._extractor = None
        self._sources = None

    # -- plumbing ---------------------------------------------------------------
    @property
    def conn(self):
        if self._store is None:
            self._store = store.Store(self.path)
        return self._store.conn

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def backup(self, dest: str | Path) -> dict[str, int]:
        """Copy the knowledge base, analyst layer included, to the new file ``dest``
        (safe while others read or write); return what the copy holds.

        >>> Workspace("khabar.db").backup("khabar-2026-12-03.db")   # doctest: +SKIP
        {'documents': 19, 'assertions': 84, 'event_reports': 40, 'judgments': 31, 'analyst_actions': 5}
        """
        self.require_existing()
        from khabar.store.backup import backup

        return backup(self.conn, dest)

    def restore(self, src: str | Path) -> tuple[dict[str, int], Path | None]:
        """Replace this knowledge base with the backup ``src``; the one replaced is saved
        beside it first (its path is returned with the restored counts)."""
        from khabar.store.backup import restore

        self.close()
        return restore(src, self.path)

    @property
    def sources(self):
        """The source book: bundled grades, overridden by ``sources.yaml`` beside the knowledge base."""
        if self._sources is None:
            from khabar.resolve.sources import load_sources

            overrides = Path(self.path).with_name("sources.yaml") if self.path != ":memory:" else None
            self._sources = load_sources(overrides=overrides if overrides and overrides.exists() else None)
        return self._sources

    @property
    def extractor(self):
        if self._extractor is None:
            from khabar.extract.pipeline import Extractor

            self._extractor = Extractor()
        return self._extractor

    def require_existing(self) -> None:
        """Fail with a clear message when a read command points at no knowledge base."""
        if self.path != ":memory:" and not Path(self.path).exists():
            raise KhabarError("E300", f"no knowledge base at {self.path}")

    # -- ingest -----------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path] | str | Path, meta: str | Path | None = None,
               progress: bool = False, *, jobs: int = 1, engine: str = "local",
               scheduler: str | None = None) -> IngestReport:
        """Collect, deduplicate, extract and store documents; re-ingesting changes nothing.
        Extraction runs in ``jobs`` worker processes, or as Dask tasks with ``engine="dask"``
        (on the cluster at ``scheduler``, else a local one): ``khabar.parallel``.

        Two ingests into one knowledge base take turns: the second says it waits, and
        starts when the first is done (each would otherwise miss the other's texts when
        looking for duplicates)."""
        if isinstance(paths, (str, Path)):
            paths = [paths]
        paths = list(paths)
        for p in paths:
            if not Path(p).exists():
                raise KhabarError("E200", f"{p} does not exist")
        self.conn  # noqa: B018 - open (and check) the store before taking its lock
        with ingest_lock(self.path):
            report = self._ingest(paths, meta, progress, jobs=jobs, engine=engine, scheduler=scheduler)
            self._after_write()
            return report

    def _ingest(self, paths: list, meta: str | Path | None, progress: bool, **parallel) -> IngestReport:
        return run_ingest(self, paths, meta, progress, **parallel)

    def _after_write(self) -> None:
        """Bring the tie figures up to date now, so that the first read after a write does
        not pay for it (``store.ties``), and keep the planner's statistics current
        (``PRAGMA optimize`` runs ANALYZE where the tables changed enough to matter)."""
        from khabar.store.ties import refresh

        refresh(self.conn, self.sources)
        self.conn.execute("PRAGMA optimize")

    def reextract(self, progress: bool = False, *, jobs: int = 1, engine: str = "local",
                  scheduler: str | None = None) -> ReextractReport:
        """Extract every stored document again (after a gazetteer, lexicon or model change)
        and replace its machine rows, one transaction per document; the analyst layer, kept
        apart, is untouched and replays over the new rows."""
        self.require_existing()
        self.conn  # noqa: B018 - open (and migrate) the store before taking its lock
        from khabar.store.ties import refresh_all

        with ingest_lock(self.path):
            report = run_reextract(self, progress, jobs=jobs, engine=engine, scheduler=scheduler)
            refresh_all(self.conn, self.sources)  # the source book may have changed too
            self.conn.execute("PRAGMA optimize")
            return report

    def _grade_source(self, name: str | None) -> None:
        """A source takes its grade from the source book (bundled, overridden by ``sources.yaml``
        beside the knowledge base; F, cannot be judged, when unknown) unless the analyst graded
        it with ``grade_source``, which always wins."""
        if not name or store.actions(self.conn, kind="grade", target=name):
            return  # the analyst graded it: that grade stands
        info = self.sources.get(name)
        kind = info.kind if info is not None else "outlet"
        store.upsert_source(self.conn, Source(name=name, kind=kind, reliability=self.sources.grade(name)))

    # -- the analyst layer ----------------------------------------------------------
    def _analyst(self) -> dict[str, Any]:
        """The live analyst actions, replayed: merges (actor -> actor it was merged into),
        added aliases, and the latest verdict (confirmed/rejected) per tie or assertion."""
        merges: dict[str, str] = {}
        aliases: dict[str, list[str]] = {}
        verdicts: dict[str, str] = {}
        for a in store.actions(self.conn):
            if a["kind"] == "merge":
                merges[a["target"]] = a["payload"]["into"]
            elif a["kind"] == "alias":
                aliases.setdefault(a["target"], []).append(a["payload"]["alias"])
            elif a["kind"] in ("confirm", "reject"):
                verdicts[a["target"]] = "confirmed" if a["kind"] == "confirm" else "rejected"
        return {"merges": merges, "aliases": aliases, "verdicts": verdicts}

    @staticmethod
    def _merged(actor_id: str, merges: dict[str, str]) -> str:
        seen = set()
        while actor_id in merges and actor_id not in seen:
            seen.add(actor_id)
            actor_id = merges[actor_id]
        return actor_id

    def confirm(self, target: str, note: str = "") -> int:
        """The analyst confirms a tie ("tie:SUBJECT|TYPE|OBJECT") or an assertion ("as-…")."""
        return self._verdict("confirm", target, note)

    def reject(self, target: str, note: str = "") -> int:
        """The analyst rejects a tie or an assertion: it stays visible, labelled, and stops counting."""
        return self._verdict("reject", target, note)

    def _verdict(self, kind: str, target: str, note: str) -> int:
        self.require_existing()
        if target.startswith("tie:"):
            parts = target[4:].split("|")
            if len(parts) != 3 or not any(
                    tie_key(*parts) == tie_key(t.subject, t.type, t.object) for t, _ in self.tie_records()):
                raise KhabarError("E307", f"no tie {target!r}")
        elif not any(a["aid"] == target for a in store.assertions(self.conn)):
            raise KhabarError("E307", f"no assertion {target!r}")
        return store.record_action(self.conn, kind, target, {"note": note})

    def merge_actors(self, actor: str, into: str) -> int:
        """The analyst says two actors are one: ``actor`` is shown as ``into`` everywhere (undoable)."""
        a, b = self.actor(actor)["id"], self.actor(into)["id"]
        if a == b:
            raise KhabarError("E308", f"{actor!r} and {into!r} are already the same actor")
        return store.record_action(self.conn, "merge", a, {"into": b})

    def add_alias(self, actor: str, alias: str) -> int:
        """The analyst adds a name an actor goes by; lookups find it at once."""
        alias = alias.strip()
        if not alias or len(alias) > 200:
            raise KhabarError("E308", "an alias needs 1 to 200 characters")
        return store.record_action(self.conn, "alias", self.actor(actor)["id"], {"alias": alias})

    def undo(self, action_id: int) -> bool:
        """Undo one analyst action (a merge, an alias, a verdict, a grade, an outcome)."""
        self.require_existing()
        done = store.undo_action(self.conn, action_id)
        if done:
            row = self.conn.execute("SELECT kind, target FROM analyst_actions WHERE id = ?", (action_id,)).fetchone()
            if row is not None and row[0] == "grade":
                self._grade_source(row[1])  # back to the analyst's previous grade or the source book
        return done

    def analyst_log(self) -> list[dict[str, Any]]:
        """Every analyst action, undone ones included, oldest first."""
        self.require_existing()
        return store.actions(self.conn, include_undone=True)

    # -- questions --------------------------------------------------------------
    def actors(self) -> pd.DataFrame:
        """Actors found in the corpus, most mentioned first, with the names they go by."""
        import pandas as pd

        cols = ["id", "name", "kind", "listed", "mentions", "documents", "surfaces", "parent", "aliases"]
        rows = self.actor_records()
        return pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame(columns=cols)

    def actor_records(self) -> list[dict[str, Any]]:
        """``actors`` as plain dicts (no pandas), most mentioned first, then by name."""
        self.require_existing()
        analyst = self._analyst()
        rows = [a for a in store.actors(self.conn) if a.get("mentions")]
        by_id = {a["id"]: a for a in rows}
        for a in list(rows):
            into = self._merged(a["id"], analyst["merges"])
            if into != a["id"] and into in by_id:
                target = by_id[into]
                target["mentions"] += a["mentions"]
                target["surfaces"] = list(dict.fromkeys([*target["surfaces"], a["name"], *a["surfaces"]]))
                rows.remove(a)
        for a in rows:
            a["aliases"] = list(dict.fromkeys([*a.get("aliases", []), *analyst["aliases"].get(a["id"], [])]))
        return sorted(rows, key=lambda a: (-a["mentions"], a["name"]))

    def actor(self, name: str) -> dict[str, Any]:
        """One actor by id, name, alias (the analyst's too) or a surface seen; a merged-away
        actor answers as the actor it was merged into."""
        self.require_existing()
        analyst = self._analyst()
        found = store.actor(self.conn, name)
        if found is None:
            from khabar.store.text import name_key

            wanted = name_key(name)
            owner = next((a for a, names in analyst["aliases"].items()
                          if any(name_key(n) == wanted for n in names)), None)
            found = store.actor(self.conn, owner) if owner else None
        if found is None:
            raise KhabarError("E301", f"no actor called {name!r} in {self.path}")
        into = self._merged(found["id"], analyst["merges"])
        if into != found["id"]:
            merged_from = found["id"]
            found = store.actor(self.conn, into) or found
            found = {**found, "merged_from": [merged_from]}
        found["aliases"] = list(dict.fromkeys([*found.get("aliases", []), *analyst["aliases"].get(found["id"], [])]))
        return found

    def degrees(self, actors: Iterable[str] | None = None, limit: int | None = None) -> dict[str, int]:
        """How many other actors each actor is tied to (machine ties with evidence), most first:
        of ``actors``, or the ``limit`` most connected."""
        from khabar.store.ties import degrees, refresh

        self.require_existing()
        refresh(self.conn, self.sources)
        return degrees(self.conn, actors, limit)

    def tie_records(self, actor: str | None = None, tie_type: str | None = None, limit: int | None = None,
                    offset: int = 0, contested: bool | None = None, evidence: bool = True,
                    key: tuple[str, str, str] | None = None) -> list[tuple[Tie, list[dict[str, Any]]]]:
        """Ties (optionally those of one actor, of one type, a page of them, best evidenced
        first) with their assertions. The figures are kept up to date as documents are
        stored (``store.ties``); the analyst layer is applied here: evidence an analyst
        rejected stops counting, ties of merged actors are counted together.

        ``evidence=False``: a list that shows figures only; the assertions are then read
        only when the analyst layer needs them (an analyst merged actors or judged evidence),
        else each tie comes with an empty list and its stored credibility. ``key``: the one
        tie (subject, type, object), when no analyst merge is in force."""
        from khabar.store.ties import refresh, select_ties, tie_assertions

        self.require_existing()
        refresh(self.conn, self.sources)
        analyst = self._analyst()
        merges, verdicts = analyst["merges"], analyst["verdicts"]
        ids = None
        if actor:
            actor_id = self.actor(actor)["id"]
            ids = {actor_id} | {a for a in merges if self._merged(a, merges) == actor_id}
        if key is not None and merges:
            key = None  # a merged actor's ties are found through the actor
        rows = select_ties(self.conn, ids, tie_type, limit, offset, contested, key)
        keys = [(r["subject"], r["type"], r["object"]) for r in rows]
        items = tie_assertions(self.conn, keys) if evidence or merges or verdicts else {k: [] for k in keys}
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        stored: dict[tuple[str, str, str], dict[str, Any]] = {}
        for row in rows:
            key = (row["subject"], row["type"], row["object"])
            s, o = self._merged(key[0], merges), self._merged(key[2], merges)
            if s == o:
                continue  # a merge can make a tie loop on itself
            merged = tie_key(s, key[1], o)
            for a in items.get(key, []):
                a["subject"], a["object"] = self._merged(a["subject"], merges), self._merged(a["object"], merges)
                a["analyst"] = verdicts.get(a["aid"])
            groups.setdefault(merged, []).extend(items.get(key, []))
            stored[merged] = row if merged == key and merged not in stored else {}
        out = []
        for key, its in groups.items():
            row = stored.get(key) or {}
            counted = [a for a in its if a["analyst"] != "rejected"]
            if row and len(counted) == len(its):
                tie = Tie.from_dict({**row, "contested": bool(row["contested"])})  # credibility as stored
            else:  # merged actors or rejected evidence: count again
                again = aggregate_ties(counted, self.sources)
                tie = again[0][0] if again else Tie(subject=key[0], type=key[1], object=key[2])
            tie.analyst = verdicts.get(f"tie:{tie.subject}|{tie.type}|{tie.object}")
            out.append((tie, its))
        return out

    def count_ties(self, actor: str | None = None, tie_type: str | None = None) -> int:
        """How many ties ``tie_records`` would give without a page (machine ties, before merges)."""
        from khabar.store.ties import count_ties, refresh

        self.require_existing()
        refresh(self.conn, self.sources)
        merges = self._analyst()["merges"]
        ids = None
        if actor:
            actor_id = self.actor(actor)["id"]
            ids = {actor_id} | {a for a in merges if self._merged(a, merges) == actor_id}
        return count_ties(self.conn, ids, tie_type)

    def ties(self, actor: str | None = None, tie_type: str | None = None) -> pd.DataFrame:
        """Typed ties with evidence counts, independent sources and first/last seen."""
        import pandas as pd

        cols = ["subject_name", "type", "object_name", "evidence", "sources", "documents", "first_seen",
                "last_seen", "asserted", "negated", "predicted", "contested", "credibility", "credibility_reason",
                "subject", "object"]
        return pd.DataFrame(self.tie_rows(actor, tie_type), columns=cols)

    def tie_rows(self, actor: str | None = None, tie_type: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[dict[str, Any]]:
        """``ties`` as plain dicts (no pandas); ``limit``/``offset``: a page."""
        names = self._names()
        rows = []
        from khabar.analyze.credibility import tie_credibility

        for tie, items in self.tie_records(actor, tie_type, limit, offset, evidence=False):
            d = tie.to_dict()
            if tie.credibility is None:  # counted again over what the analyst left
                cred = tie_credibility(items, self.sources)
                d["credibility"], d["credibility_reason"] = cred.rating, cred.reason
            d["subject_name"] = names.get(tie.subject, tie.subject)
            d["object_name"] = names.get(tie.object, tie.object)
            rows.append(d)
        return rows

    def event_records(self, actor: str | None = None, place: str | None = None, types: Iterable[str] | None = None,
                      start: str | None = None, end: str | None = None, role: str = "any",
                      limit: int | None = None, offset: int = 0, order: str = "date") -> list[Event]:
        """Events (reports merged across documents as documents are stored), filtered and
        paged in SQL.

        ``actor`` is an id, name or alias (``role``: "actor" who did it, "target", or
        "any"); ``place`` a place name, admin name or country code; ``start``/``end``
        ISO dates (a month or a year: its first or last day) bounding the event's date
        range; ``order`` "date" (oldest first) or "recent"; ``limit``/``offset`` a page."""
        from khabar.store.events import reports_of, select_events

        self.require_existing()
        types = list(types) if types else None
        if types:
            unknown = sorted(set(types) - set(vocab()["event_types"]))
            if unknown:
                raise KhabarError("E302", f"unknown event type(s) {', '.join(unknown)} "
                                          f"(one of: {', '.join(vocab()['event_types'])})")
        merges = self._analyst()["merges"]
        rows = select_events(self.conn, **self._event_filter(actor, place, types, start, end, role, merges),
                             order=order, limit=limit, offset=offset)
        reports = reports_of(self.conn, [r["id"] for r in rows])
        out = []
        for row in rows:
            members = reports[row["id"]]
            event = Event.from_dict({k: v for k, v in row.items() if k not in ("reports", "documents", "sources")})
            if merges:
                event.actors = list(dict.fromkeys(self._merged(x, merges) for x in event.actors))
                event.targets = [x for x in dict.fromkeys(self._merged(x, merges) for x in event.targets)
                                 if x not in event.actors]
            event.reports = [EventReport.from_dict(m) for m in members]
            event.documents = list(dict.fromkeys(m["doc_id"] for m in members))
            event.sources = sorted({m["source"] for m in members if m.get("source")})
            out.append(event)
        return out

    def count_events(self, actor: str | None = None, place: str | None = None, types: Iterable[str] | None = None,
                     start: str | None = None, end: str | None = None, role: str = "any") -> int:
        """How many events ``event_records`` would give without a page."""
        from khabar.store.events import count_events

        self.require_existing()
        return count_events(self.conn, **self._event_filter(actor, place, types, start, end, role,
                                                            self._analyst()["merges"]))

    def _event_filter(self, actor, place, types, start, end, role, merges) -> dict[str, Any]:
        """``store.events.event_filter``'s arguments: the actor with every actor an analyst
        merged into it, whole days for partial dates."""
        from khabar.analyze.activity import _as_day

        ids = None
        if actor:
            actor_id = self.actor(actor)["id"]
            ids = {actor_id} | {a for a in merges if self._merged(a, merges) == actor_id}
        lo, hi = _as_day(start), _as_day(end, end=True)
        return {"actors": ids, "role": role, "place": place, "types": list(types) if types else None,
                "start": lo.isoformat() if lo else None, "end": hi.isoformat() if hi else None}

    def events(self, **filters: Any) -> pd.DataFrame:
        """Events as a table: date and precision, type, actors, targets, place, fatalities, reports."""
        import pandas as pd

        cols = ["id", "date", "precision", "type", "actor_names", "target_names", "location", "admin1", "country",
                "fatalities", "injured", "n_reports", "n_sources", "credibility", "credibility_reason", "evidence", "date_start", "date_end", "lat",
                "lon", "geo_precision", "actors", "targets", "documents", "sources"]
        return pd.DataFrame(self.event_rows(**filters), columns=cols)

    def event_rows(self, **filters: Any) -> list[dict[str, Any]]:
        """``events`` as plain dicts (no pandas)."""
        names = self._names()
        rows = []
        events = self.event_records(**filters)
        cred = self.event_credibility(events)
        for e in events:
            d = e.to_dict()
            c = cred(e)
            d["credibility"], d["credibility_reason"] = c.rating, c.reason
            d["actor_names"] = ", ".join(names.get(x, x) for x in e.actors)
            d["target_names"] = ", ".join(names.get(x, x) for x in e.targets)
            d["n_reports"] = len(e.reports)
            d["n_sources"] = len(e.sources)
            d["evidence"] = e.reports[0].sentence if e.reports else ""
            del d["reports"]
            rows.append(d)
        return rows

    def activity(self, actor: str | None = None, place: str | None = None, by: str = "week",
                 types: Iterable[str] | None = None, role: str = "actor") -> dict[str, Any]:
        """Events over time with surges and stops (each with a coverage check) and the
        share of each place: see ``khabar.analyze.activity``."""
        from khabar.analyze.activity import activity_report

        events = self.event_records(types=types)
        actor_id = self.actor(actor)["id"] if actor else None
        return activity_report(events, self._coverage(), actor=actor_id, place=place, by=by, role=role)

    def _coverage(self) -> list[dict[str, Any]]:
        """store.coverage with each named place widened to its district, province and country."""
        from khabar.resolve.places import load_places

        places = load_places()
        out = []
        for doc in store.coverage(self.conn):
            names: set[str] = set()
            for pid in doc["places"]:
                p = places.get(pid)
                if p is None:
                    continue
                names |= {pid, p.name, *(x for x in (p.admin1, p.admin2, p.country) if x)}
            out.append({**doc, "places": names})
        return out

    def export_acled(self, output: str | Path, **filters: Any) -> int:
        """Write events as CSV in the style of conflict datasets; return the number of rows."""
        from khabar.export.acled import write_acled_csv

        events = self._named_events(self.event_records(**filters))
        out = Path(output)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8", newline="") as fh:
            return write_acled_csv(events, fh)

    def event_documents(self, events: Iterable[Event]) -> dict[str, dict[str, Any]]:
        """The metadata of the documents that report ``events``, by id (read for them only)."""
        return store.documents_of(self.conn, (d for e in events for d in e.documents))

    def event_credibility(self, events: list[Event], docs: dict[str, dict[str, Any]] | None = None):
        """A function giving an event's credibility (``analyze.credibility``) from its
        reports' sources; ``docs`` as ``event_documents`` gives them (read if not given)."""
        from khabar.analyze.credibility import event_credibility

        docs = self.event_documents(events) if docs is None else docs
        sources = {k: d.get("source") for k, d in docs.items()}
        grades = {r["name"]: r["reliability"] for r in self.conn.execute("SELECT name, reliability FROM sources")}
        return lambda event: event_credibility(event, grades, self.sources, sources)

    def _named_events(self, events: list[Event]) -> list[dict[str, Any]]:
        """Event dicts with display names beside ids and document details on each report."""
        names = self._names()
        docs = self.event_documents(events)
        cred = self.event_credibility(events, docs)
        out = []
        for e in events:
            d = e.to_dict()
            c = cred(e)
            d["credibility"], d["credibility_reason"] = c.rating, c.reason
            d["actor_names"] = [names.get(x, x) for x in e.actors]
            d["target_names"] = [names.get(x, x) for x in e.targets]
            for r in d["reports"]:
                doc = docs.get(r["doc_id"], {})
                for k in ("title", "source", "published", "url", "name"):
                    r[k] = doc.get(k)
            out.append(d)
        return out

    # -- judgments ----------------------------------------------------------------
    def judgment_records(self, speaker: str | None = None, about: str | None = None, due: bool = False,
                         today: dt.date | None = None, limit: int | None = None, offset: int = 0
                         ) -> list[dict[str, Any]]:
        """Attributed judgments with speaker, band, due date, source and any recorded outcome,
        filtered and paged in SQL.

        ``about``: an actor the judgment is about or speaks for (an analyst's merges
        included); ``due``: only those whose horizon has passed (by ``today``) and that have
        no outcome yet; ``limit``/``offset``: a page."""
        self.require_existing()
        ids = None
        if about:
            actor_id = self.actor(about)["id"]
            merges = self._analyst()["merges"]
            ids = tuple(sorted({actor_id} | {a for a in merges if self._merged(a, merges) == actor_id}))
        due_by = (today or dt.date.today()).isoformat() if due else None
        return store.judgments(self.conn, speaker=speaker, about=ids, due_by=due_by, limit=limit, offset=offset)

    def judgments(self, **filters: Any) -> pd.DataFrame:
        """Judgments as a table (see ``judgment_records``)."""
        import pandas as pd

        rows = self.judgment_records(**filters)
        cols = ["id", "speaker", "role", "estimate", "band", "low", "high", "confidence", "due", "outcome", "text",
                "about", "source", "reliability", "published", "title", "doc_id", "speaker_actor", "via"]
        return pd.DataFrame(rows, columns=cols)

    def resolve(self, judgment_id: str, outcome: bool, note: str = "") -> dict[str, Any]:
        """Record what happened to a judgment (kept in the analyst layer, which re-ingest never touches)."""
        self.require_existing()
        found = [r for r in store.judgments(self.conn) if r["id"] == judgment_id]
        if not found:
            raise KhabarError("E304", f"no judgment {judgment_id!r} in {self.path}")
        store.record_action(self.conn, "resolve", judgment_id, {"outcome": int(bool(outcome)), "note": note})
        return [r for r in store.judgments(self.conn) if r["id"] == judgment_id][0]

    def grade_source(self, name: str, grade: str) -> None:
        """The analyst grades a source A-F; kept in the analyst layer and applied at once."""
        self.require_existing()
        grade = grade.upper()
        if grade not in ("A", "B", "C", "D", "E", "F"):
            raise KhabarError("E305", f"{grade!r} is not an Admiralty grade")
        row = self.conn.execute("SELECT kind FROM sources WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KhabarError("E306", f"no source called {name!r} in {self.path}")
        store.record_action(self.conn, "grade", name, {"grade": grade})
        store.upsert_source(self.conn, Source(name=name, kind=row[0], reliability=grade))

    def forecast_scores(self) -> dict[str, Any]:
        """Brier scores per speaker and per source over judgments with a band and an outcome."""
        from khabar.analyze.forecasts import score_judgments

        self.require_existing()
        # only judgments with a recorded outcome can be scored: read those, count the rest
        items = [{"speaker": r["speaker"], "source": r.get("source"), "low": r.get("low"), "high": r.get("high"),
                  "outcome": None if r.get("outcome") is None else bool(r["outcome"])}
                 for r in store.judgments(self.conn, resolved=True)]
        scores = score_judgments(items)
        scores["pending"] = self.counts()["judgments"] - scores["n"]
        return scores

    def search(self, query: str, limit: int = 20) -> pd.DataFrame:
        """Full-text search over sentences, with snippets."""
        import pandas as pd

        rows = self.search_records(query, limit)
        cols = ["snippet", "title", "source", "published", "name", "doc_id", "sentence_start", "sentence_end"]
        return pd.DataFrame(rows, columns=cols)

    def search_records(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """``search`` as plain dicts (no pandas); ``offset``: skip the first hits (a page)."""
        self.require_existing()
        return store.search(self.conn, query, limit=limit, offset=offset)

    def counts(self) -> dict[str, int]:
        self.require_existing()
        return store.counts(self.conn)

    def _names(self) -> dict[str, str]:
        return {a["id"]: a["name"] for a in store.actors(self.conn)}

    # -- brief ------------------------------------------------------------------
    # How much of a large base the brief shows (counts always cover everything): the best
    # evidenced ties (and every contested one up to a bound), the latest events, judgments
    # and documents.
    BRIEF_TIES, BRIEF_CONTESTED, BRIEF_EVENTS, BRIEF_JUDGMENTS, BRIEF_DOCUMENTS = 150, 60, 400, 300, 400

    def brief_data(self) -> dict[str, Any]:
        """What the brief shows, as one plain dict (see ``khabar.present``): all of a small
        base, a summary of a large one (the bounds above; ``overview`` says how much)."""
        self.require_existing()
        conn = self.conn
        names = self._names()
        counts = store.counts(conn)
        docs = store.documents(conn, limit=self.BRIEF_DOCUMENTS, offset=max(0, counts["documents"]
                                                                             - self.BRIEF_DOCUMENTS))
        actors = [a for a in store.actors(conn) if a.get("mentions")]
        ties = []
        from khabar.analyze.credibility import tie_credibility

        shown = self.tie_records(limit=self.BRIEF_TIES)
        keys = {(t.subject, t.type, t.object) for t, _ in shown}
        shown += [(t, items) for t, items in self.tie_records(limit=self.BRIEF_CONTESTED, contested=True)
                  if (t.subject, t.type, t.object) not in keys]
        for tie, items in shown:
            d = tie.to_dict()
            cred = tie_credibility(items, self.sources)
            d["credibility"], d["credibility_reason"] = cred.rating, cred.reason
            d["subject_name"] = names.get(tie.subject, tie.subject)
            d["object_name"] = names.get(tie.object, tie.object)
            d["modality"] = max(("asserted", "negated", "predicted"), key=lambda m: (d[m], m == "asserted"))
            d["assertions"] = [{
                "sentence": a["sentence"], "modality": a["modality"], "attributed_to": a.get("attributed_to"),
                "doc_id": a["doc_id"], "doc_name": a.get("name"), "title": a.get("title"),
                "source": a.get("source"), "published": a.get("published"), "url": a.get("url"),
                "start": a.get("start"), "end": a.get("end"), "reliability": a.get("reliability"),
            } for a in items]
            ties.append(d)
        first, last = conn.execute("SELECT MIN(published), MAX(published) FROM documents "
                                   "WHERE duplicate_of IS NULL").fetchone()
        events = sorted(self.event_records(order="recent", limit=self.BRIEF_EVENTS),
                        key=lambda e: (e.date_start is None, e.date_start or ""))
        total_ties, total_events = self.count_ties(), self.count_events()
        return {
            "title": "khabar brief",
            "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "db": Path(self.path).name,
            "overview": {
                "documents": counts.get("documents", 0), "duplicates": counts.get("duplicates", 0),
                "sources": counts.get("sources", 0), "actors": len(actors), "ties": total_ties,
                "assertions": counts.get("assertions", 0), "events": total_events,
                "ties_shown": len(ties), "events_shown": len(events), "documents_shown": len(docs),
                "first_published": first, "last_published": last,
            },
            "documents": [{k: d.get(k) for k in ("id", "name", "title", "source", "published", "url")} for d in docs],
            "actors": actors,
            "ties": ties,
            "events": self._named_events(events),
            "activity": self._brief_activity(events),
            "judgments": self._named_judgments(names),
            "forecast_scores": self.forecast_scores(),
            "disagreements": [{**t, "for": [a for a in t["assertions"] if a["modality"] == "asserted"],
                               "against": [a for a in t["assertions"] if a["modality"] == "negated"]}
                              for t in ties if t.get("contested")],
            "sources": [{"name": r["name"], "reliability": r["reliability"]}
                        for r in self.conn.execute("SELECT name, reliability FROM sources ORDER BY name")],
        }

    def _named_judgments(self, names: dict[str, str]) -> list[dict[str, Any]]:
        out = []
        for r in self.judgment_records(limit=self.BRIEF_JUDGMENTS):
            r = dict(r)
            r["about_names"] = [names.get(a, a) for a in r.get("about") or []]
            out.append(r)
        return out

    def _brief_activity(self, events: list[Event], top: int = 3) -> list[dict[str, Any]]:
        """Weekly activity of the actors with most day-dated events (those a weekly series can hold)."""
        from khabar.analyze.activity import activity_report

        names = self._names()
        counts: dict[str, int] = {}
        for e in events:
            if e.precision == "day":
                for a in e.actors:
                    counts[a] = counts.get(a, 0) + 1
        best = sorted((a for a, n in counts.items() if n >= 3), key=lambda a: (-counts[a], a))[:top]
        coverage = self._coverage() if best else []
        out = []
        for actor_id in best:
            # the tempo of the last year of the actor's events, week by week
            last = max(e.date_end or e.date_start for e in events if actor_id in e.actors and e.date_start)
            start = (dt.date.fromisoformat(last) - dt.timedelta(days=365)).isoformat()
            report = activity_report(events, coverage, actor=actor_id, place=None, by="week", start=start,
                                     end=last)
            out.append({"actor": actor_id, "actor_name": names.get(actor_id, actor_id), **report})
        return out

    def brief(self, output: str | Path, fmt: str = "html") -> Path:
        """Write the brief (self-contained HTML, or Markdown) and return its path."""
        from khabar.present import render_html, render_markdown

        if fmt not in ("html", "md"):
            raise KhabarError("E500", f"unknown brief format {fmt!r} (html or md)")
        data = self.brief_data()
        text = render_html(data) if fmt == "html" else render_markdown(data)
        out = Path(output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        return out
