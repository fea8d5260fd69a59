"""The Python API: a knowledge base in one SQLite file, and what can be asked of it.

>>> from khabar import Workspace
>>> ws = Workspace("khabar.db")                                                 # doctest: +SKIP
>>> ws.ingest(["examples/corpus"], meta="examples/corpus.meta.jsonl").ingested  # doctest: +SKIP
19

Every CLI command is a thin wrapper over a method here, whose parameters are the command's
flags (``khabar events --actor isis-k --type attack --since 2021-08 --limit 5`` is
``ws.events(actor="isis-k", types="attack", since="2021-08", limit=5)``). The readers come
in pairs: the plain name gives a pandas DataFrame (counts as nullable "Int64" columns), the
``*_records``/``*_rows`` name the same as ``schema`` dataclasses or dicts, without pandas.

>>> ws.actor("Pakistani Taliban")["id"]
'ttp'
>>> ws.events(actor="isis-k", types="attack", since="2021-08", limit=2)[["date", "type"]].shape
(2, 2)
>>> type(ws.event_records(actor="isis-k", limit=1)[0]).__name__
'Event'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khabar import store
from khabar.analyze.ties import aggregate_ties, tie_key
from khabar.correct import Corrections
from khabar.errors import KhabarError
from khabar.ingest import (
    IngestReport,
    ReextractReport,
    ingest_lock,
    ingest_running,
    run_ingest,
    run_reextract,
)
from khabar.schema import Event, EventReport, Source, Tie

if TYPE_CHECKING:
    import sqlite3

    import pandas as pd

# pandas is imported inside the methods that return a DataFrame: it costs 0.4 s, more than
# the whole start-up budget of a read command that prints rows.

__all__ = ["Workspace", "IngestReport", "ReextractReport"]


class Workspace(Corrections):
    """A knowledge base at ``path`` (created and migrated on first use); the analyst's
    corrections (``add_actor``, ``add_tie``, ``edit_event``...) come from ``khabar.correct``."""

    def __init__(self, path: str | Path = "khabar.db") -> None:
        self.path = str(path)
        self._store: store.Store | None = None
        self._extractor = None
        self._sources = None

    # -- plumbing ---------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """The SQLite connection (opened, created and migrated on first use)."""
        if self._store is None:
            self._store = store.Store(self.path)
        return self._store.conn

    def close(self) -> None:
        """Close the connection (a later call opens it again); ``with Workspace(...)`` does it."""
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

        >>> copied = ws.backup(tmp / "khabar-2026-12-03.db")
        >>> copied["documents"] == ws.counts()["documents"] + ws.counts()["duplicates"]
        True
        >>> Workspace(tmp / "khabar-2026-12-03.db").actor("ttp")["name"]
        'Tehrik-e-Taliban Pakistan'
        """
        self.require_existing()
        from khabar.store.backup import backup

        return backup(self.conn, dest)

    def restore(self, src: str | Path) -> tuple[dict[str, int], Path | None]:
        """Replace this knowledge base with the backup ``src``; the one replaced is saved
        beside it first (its path is returned with the restored counts; None when there was
        none).

        >>> _ = ws.backup(tmp / "to-restore.db")
        >>> counts, kept = Workspace(tmp / "restored.db").restore(tmp / "to-restore.db")
        >>> kept, counts["judgments"] == ws.counts()["judgments"]
        (None, True)
        """
        from khabar.store.backup import restore

        self.close()
        return restore(src, self.path)

    @property
    def sources(self):
        """The source book: bundled grades, overridden by ``sources.yaml`` beside the knowledge
        base; a source it does not know is graded F (cannot be judged).

        >>> ws.sources.grade("A source nobody graded")
        'F'
        """
        if self._sources is None:
            from khabar.resolve.sources import load_sources

            overrides = Path(self.path).with_name("sources.yaml") if self.path != ":memory:" else None
            self._sources = load_sources(overrides=overrides if overrides and overrides.exists() else None)
        return self._sources

    @property
    def extractor(self):
        """The extraction pipeline (loads the spaCy model on first use, a few seconds)."""
        if self._extractor is None:
            from khabar.extract.pipeline import Extractor

            self._extractor = Extractor()
        return self._extractor

    def require_existing(self) -> None:
        """Fail with a clear message when a read command points at no knowledge base.

        >>> Workspace(tmp / "nothing-here.db").actors()
        Traceback (most recent call last):
        ...
        khabar.errors.KhabarError: [E300] no knowledge base at ...
        """
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
        looking for duplicates).

        >>> report = ws.ingest(examples / "corpus", meta=examples / "corpus.meta.jsonl")
        >>> report.ingested, report.unchanged > 0   # stored already: passed by unread
        (0, True)
        >>> print(report.summary().splitlines()[0])
        ingested 0, unchanged ..., updated 0, duplicates 0, skipped 0
        """
        if isinstance(paths, (str, Path)):
            paths = [paths]
        paths = list(paths)
        for p in paths:
            if not Path(p).exists():
                raise KhabarError("E200", f"{p} does not exist")
        self.conn  # noqa: B018 - open (and check) the store before taking its lock
        with ingest_lock(self.path):
            report = self._ingest(paths, meta, progress, jobs=jobs, engine=engine, scheduler=scheduler)
            if report.ingested or report.updated:  # machine rows replaced: the analyst's corrections again
                from khabar.store.corrections import replay

                replay(self.conn)
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
        self._persons()  # documents stored before persons were kept: indexed now, not by the first reader
        self.conn.execute("PRAGMA optimize")

    def _fresh_ties(self) -> None:
        """Recompute the tie figures a write left stale, if any: the source book (a fifth of
        a second to read) is read only then, not by every read command. While an ingest runs
        in another process the figures are left to it (it refreshes them when it ends): a
        reader recounting ties there would hold the write lock the ingest is waiting for."""
        from khabar.store.ties import refresh

        if self.conn.execute("SELECT 1 FROM tie_dirty LIMIT 1").fetchone() is not None \
                and not ingest_running(self.path):
            refresh(self.conn, self.sources)

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
            from khabar.store.corrections import replay

            replay(self.conn)  # the analyst's corrections over the new machine rows
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
        """The analyst confirms a tie ("tie:SUBJECT|TYPE|OBJECT", ids as ``tie_rows`` gives
        them) or an assertion ("as-…"); returns the action's id (``undo`` takes it back).

        >>> action = ws.confirm("tie:taliban|hosts|ttp", note="seen in the UN report")
        >>> ws.tie_records("taliban", tie_type="hosts", key=("taliban", "hosts", "ttp"))[0][0].analyst
        'confirmed'
        >>> ws.undo(action)
        True
        """
        return self._verdict("confirm", target, note)

    def reject(self, target: str, note: str = "") -> int:
        """The analyst rejects a tie or an assertion: it stays visible, labelled, and stops
        counting; returns the action's id.

        >>> key = ("taliban", "hosts", "ttp")
        >>> tie, evidence = ws.tie_records("taliban", tie_type="hosts", key=key)[0]
        >>> action = ws.reject(evidence[0]["aid"], note="misread: the sentence denies it")
        >>> again, kept = ws.tie_records("taliban", tie_type="hosts", key=key)[0]
        >>> again.evidence == tie.evidence - 1, kept[0]["analyst"]
        (True, 'rejected')
        >>> ws.undo(action)
        True
        """
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
        """The analyst says two actors are one: ``actor`` is shown as ``into`` everywhere
        (undoable); returns the action's id.

        >>> action = ws.merge_actors("jamaat-ul-ahrar", into="ttp")
        >>> ws.actor("jamaat-ul-ahrar")["id"], "jamaat-ul-ahrar" in set(ws.actors()["id"])
        ('ttp', False)
        >>> ws.undo(action)
        True
        """
        a, b = self.actor(actor)["id"], self.actor(into)["id"]
        if a == b:
            raise KhabarError("E308", f"{actor!r} and {into!r} are already the same actor")
        return store.record_action(self.conn, "merge", a, {"into": b})

    def add_alias(self, actor: str, alias: str) -> int:
        """The analyst adds a name an actor goes by; lookups find it at once. Returns the
        action's id.

        >>> action = ws.add_alias("ttp", "the Pakistani Taliban movement")
        >>> ws.actor("the Pakistani Taliban movement")["id"]
        'ttp'
        >>> ws.undo(action)
        True
        """
        alias = alias.strip()
        if not alias or len(alias) > 200:
            raise KhabarError("E308", "an alias needs 1 to 200 characters")
        return store.record_action(self.conn, "alias", self.actor(actor)["id"], {"alias": alias})

    def undo(self, action_id: int) -> bool:
        """Undo one analyst action (a merge, an alias, a verdict, a grade, an outcome)."""
        self.require_existing()
        done = self._undo_correction(action_id)  # a correction's projection replayed without it
        if done:
            row = self.conn.execute("SELECT kind, target FROM analyst_actions WHERE id = ?", (action_id,)).fetchone()
            if row is not None and row[0] == "grade":
                self._grade_source(row[1])  # back to the analyst's previous grade or the source book
        return done

    def analyst_log(self) -> list[dict[str, Any]]:
        """Every analyst action, undone ones included, oldest first.

        >>> action = ws.add_alias("isis-k", "ISKP")
        >>> ws.undo(action)
        True
        >>> last = ws.analyst_log()[-1]
        >>> last["id"] == action, last["kind"], last["payload"], last["undone_at"] is not None
        (True, 'alias', {'alias': 'ISKP'}, True)
        """
        self.require_existing()
        return store.actions(self.conn, include_undone=True)

    # -- questions --------------------------------------------------------------
    def actors(self, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """Actors found in the corpus, most mentioned first, with the names they go by (as
        ``khabar actors``; ``limit``/``offset``: a page). ``listed``: in the bundled
        gazetteer (else found by NER only); ``surfaces``: the names the documents use.

        >>> df = ws.actors(limit=5)
        >>> df.loc[0, "id"], len(df), df["mentions"].dtype
        ('taliban', 5, Int64Dtype())
        >>> bool(df["mentions"].is_monotonic_decreasing)
        True
        """
        rows = self.actor_records(limit, offset)
        cols = ["id", "name", "kind", "listed", "mentions", "documents", "surfaces", "parent", "aliases"]
        return _frame(rows, cols, integers=("mentions", "documents"), booleans=("listed",))

    def actor_records(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """``actors`` as plain dicts (no pandas), most mentioned first, then by name; an
        analyst's merges and aliases applied.

        >>> [a["id"] for a in ws.actor_records(limit=2, offset=1)] == [a["id"] for a in ws.actor_records()[1:3]]
        True
        """
        if limit is not None and limit < 0 or offset < 0:
            raise KhabarError("E311", f"limit={limit}, offset={offset}: give 0 or more rows")
        self.require_existing()
        analyst = self._analyst()
        rows = [a for a in store.actors(self.conn) if a.get("mentions") or a.get("correction")]
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
        rows.sort(key=lambda a: (-a["mentions"], a["name"]))
        return rows[offset:] if limit is None else rows[offset:offset + limit]

    def actor(self, name: str, suggest: bool = True) -> dict[str, Any]:
        """One actor by id, name, alias (the analyst's too) or a surface seen; a merged-away
        actor answers as the actor it was merged into. An unknown name: E301, with the close
        names unless ``suggest`` is False (a caller trying many words, as search does).

        >>> ws.actor("Pakistani Taliban")["id"], ws.actor("ttp")["name"]
        ('ttp', 'Tehrik-e-Taliban Pakistan')
        >>> ws.actor("No Such Group")
        Traceback (most recent call last):
        ...
        khabar.errors.KhabarError: [E301] no actor called 'No Such Group'...
        """
        self.require_existing()
        analyst = self._analyst()
        found = store.actor(self.conn, name)
        if found is None:
            from khabar.store.text import name_key

            wanted = name_key(name)
            owner = next((a for a, names in analyst["aliases"].items()
                          if any(name_key(n) == wanted for n in names)), None)
            found = store.actor(self.conn, owner) if owner else None
        if found is None and not suggest:
            raise KhabarError("E301", f"no actor called {name!r} in {self.path}")
        if found is None:
            from khabar.suggest import actor_suggestions, close_matches, did_you_mean

            near = actor_suggestions(self.conn, name) + close_matches(  # the analyst's aliases too
                name, [n for names in analyst["aliases"].values() for n in names])
            raise KhabarError("E301", f"no actor called {name!r} in {self.path}{did_you_mean(near)}")
        into = self._merged(found["id"], analyst["merges"])
        if into != found["id"]:
            merged_from = found["id"]
            found = store.actor(self.conn, into) or found
            found = {**found, "merged_from": [merged_from]}
        found["aliases"] = list(dict.fromkeys([*found.get("aliases", []), *analyst["aliases"].get(found["id"], [])]))
        return found

    def graph(self, since: str | None = None, until: str | None = None, types: Iterable[str] | None = None,
              min_evidence: int = 1):
        """The tie network as a ``networkx.MultiDiGraph`` (actors as nodes, one edge per tie
        keyed by its type), the analyst layer applied: see ``khabar.analyze.network.graph``.

        >>> g = ws.graph(types=["hosts"])
        >>> type(g).__name__, g.has_edge("taliban", "ttp", key="hosts"), g.nodes["ttp"]["name"]
        ('MultiDiGraph', True, 'Tehrik-e-Taliban Pakistan')
        >>> {key for _, _, key in g.edges(keys=True)}
        {'hosts'}
        """
        from khabar.analyze.network import graph

        return graph(self, since=since, until=until, types=types, min_evidence=min_evidence)

    def degrees(self, actors: Iterable[str] | None = None, limit: int | None = None) -> dict[str, int]:
        """How many other actors each actor is tied to (machine ties with evidence), most first:
        of ``actors``, or the ``limit`` most connected.

        >>> top = ws.degrees(limit=3)
        >>> next(iter(top)), len(top), ws.degrees(["ttp"])["ttp"] > 0
        ('taliban', 3, True)
        """
        from khabar.store.ties import degrees

        self.require_existing()
        self._fresh_ties()
        return degrees(self.conn, actors, limit)

    def tie_records(self, actor: str | None = None, tie_type: str | None = None, limit: int | None = None,
                    offset: int = 0, contested: bool | None = None, evidence: bool = True,
                    key: tuple[str, str, str] | None = None, order: str | None = None
                    ) -> list[tuple[Tie, list[dict[str, Any]]]]:
        """Ties (optionally those of one actor, of one type, a page of them, best evidenced
        first) with their assertions. The figures are kept up to date as documents are
        stored (``store.ties``); the analyst layer is applied here: evidence an analyst
        rejected stops counting, ties of merged actors are counted together.

        ``evidence=False``: a list that shows figures only; the assertions are then read
        only when the analyst layer needs them (an analyst merged actors or judged evidence),
        else each tie comes with an empty list and its stored credibility. ``key``: the one
        tie (subject, type, object), when no analyst merge is in force. ``order``: a sort of
        ``store.ties.TIE_SORTS`` ("-last_seen": the latest seen first) instead of the best evidenced.

        >>> tie, evidence = ws.tie_records("ttp", tie_type="hosts", limit=1)[0]
        >>> type(tie).__name__, tie.evidence == len(evidence)
        ('Tie', True)
        >>> {"sentence", "modality", "doc_id", "source", "published", "start", "end"} <= set(evidence[0])
        True
        >>> evidence[0]["sentence"] != "" and evidence[0]["start"] < evidence[0]["end"]
        True
        """
        from khabar.store.ties import select_ties, tie_assertions

        self.require_existing()
        self._fresh_ties()
        analyst = self._analyst()
        merges, verdicts = analyst["merges"], analyst["verdicts"]
        ids = None
        if actor:
            actor_id = self.actor(actor)["id"]
            ids = {actor_id} | {a for a in merges if self._merged(a, merges) == actor_id}
        if key is not None and merges:
            key = None  # a merged actor's ties are found through the actor
        if tie_type:
            from khabar.suggest import tie_type as known_tie_type

            tie_type = known_tie_type(tie_type)  # a misspelt type fails (E320) rather than match nothing
        rows = select_ties(self.conn, ids, tie_type, limit, offset, contested, key, order=order)
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
        """How many ties ``tie_records`` would give without a page (machine ties, before merges).

        >>> ws.count_ties("ttp") == len(ws.tie_rows("ttp")) > 0
        True
        """
        from khabar.store.ties import count_ties

        self.require_existing()
        self._fresh_ties()
        merges = self._analyst()["merges"]
        ids = None
        if actor:
            actor_id = self.actor(actor)["id"]
            ids = {actor_id} | {a for a in merges if self._merged(a, merges) == actor_id}
        if tie_type:
            from khabar.suggest import tie_type as known_tie_type

            tie_type = known_tie_type(tie_type)
        return count_ties(self.conn, ids, tie_type)

    def ties(self, actor: str | None = None, tie_type: str | None = None, limit: int | None = None,
             offset: int = 0) -> pd.DataFrame:
        """Typed ties, best evidenced first, as ``khabar ties [ACTOR] --type TYPE`` lists them:
        evidence (assertions), independent sources, documents, first/last seen, how many
        assertions assert, deny or predict the tie, whether it is contested, and a
        credibility 1-6 (counts are "Int64"). ``actor``: an id, name or alias; ``tie_type``:
        one of the tie types of ``schema.tie_types()``; ``limit``/``offset``: a page.

        >>> df = ws.ties("ttp", tie_type="hosts")
        >>> ("taliban", "hosts", "ttp") in set(zip(df["subject"], df["type"], df["object"]))
        True
        >>> df["evidence"].dtype, bool((df["evidence"] >= df["sources"]).all())
        (Int64Dtype(), True)
        """
        cols = ["subject_name", "type", "object_name", "evidence", "sources", "documents", "first_seen",
                "last_seen", "asserted", "negated", "predicted", "contested", "credibility", "credibility_reason",
                "subject", "object"]
        return _frame(self.tie_rows(actor, tie_type, limit, offset), cols, booleans=("contested",),
                      integers=("evidence", "sources", "documents", "asserted", "negated", "predicted",
                                "credibility"))

    def tie_rows(self, actor: str | None = None, tie_type: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[dict[str, Any]]:
        """``ties`` as plain dicts (no pandas), with the actors' names beside their ids.

        >>> page = ws.tie_rows("Tehrik-e-Taliban Pakistan", limit=3)
        >>> [(r["subject_name"], r["type"]) for r in page] == [(r["subject_name"], r["type"])
        ...                                                    for r in ws.tie_rows("ttp")[:3]]
        True
        """
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

    def event_records(self, actor: str | None = None, place: str | None = None,
                      types: str | Iterable[str] | None = None, since: str | None = None, until: str | None = None,
                      role: str = "any", limit: int | None = None, offset: int = 0,
                      order: str = "date") -> list[Event]:
        """Events as ``schema.Event`` records (each with its ``reports``), filtered and paged
        in SQL; the parameters are those of ``khabar events``.

        ``actor``: an id, name or alias, matched as the one who did it, the target or either
        (``role``: "actor", "target", "any"); ``place``: a place name, admin name or country
        code; ``types``: an event type or several (``--type``); ``since``/``until``: partial
        ISO dates (YYYY, YYYY-MM or YYYY-MM-DD; a month or year counts from its first or to
        its last day) bounding the event's dates; ``order``: "date" (oldest first) or
        "recent"; ``limit``/``offset``: a page.

        >>> [kabul] = ws.event_records(types="attack", place="Kabul", since="2021-08-26", until="2021-08-26")
        >>> kabul.date, kabul.location, kabul.country
        ('2021-08-26', 'Kabul', 'AF')
        >>> len(kabul.documents) >= 2   # one event, told by several documents
        True
        >>> all(e.type == "attack" for e in ws.event_records(types=["attack"], limit=5))
        True
        """
        from khabar.store.events import reports_of, select_events

        self.require_existing()
        types = _type_list(types)
        merges = self._analyst()["merges"]
        rows = select_events(self.conn, **self._event_filter(actor, place, types, since, until, role, merges),
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

    def count_events(self, actor: str | None = None, place: str | None = None,
                     types: str | Iterable[str] | None = None, since: str | None = None, until: str | None = None,
                     role: str = "any") -> int:
        """How many events ``event_records`` would give with these filters and no page.

        >>> ws.count_events() == len(ws.event_records())
        True
        >>> ws.count_events(types="attack", place="Kabul", since="2021-08-26", until="2021-08-26")
        1
        """
        from khabar.store.events import count_events

        self.require_existing()
        return count_events(self.conn, **self._event_filter(actor, place, _type_list(types), since, until, role,
                                                            self._analyst()["merges"]))

    def _event_filter(self, actor, place, types, since, until, role, merges) -> dict[str, Any]:
        """``store.events.event_filter``'s arguments: the actor with every actor an analyst
        merged into it, whole days for partial dates (checked: E303)."""
        from khabar.analyze.activity import _as_day
        from khabar.schema import is_partial_date

        for name, value in (("since", since), ("until", until)):
            if value is not None and not is_partial_date(value):
                raise KhabarError("E303", f"{name}={value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if role not in ("actor", "target", "any"):
            raise KhabarError("E350", f"role={role!r}: give 'actor', 'target' or 'any'")
        ids = None
        if actor:
            actor_id = self.actor(actor)["id"]
            ids = {actor_id} | {a for a in merges if self._merged(a, merges) == actor_id}
        lo, hi = _as_day(since), _as_day(until, end=True)
        if place:
            from khabar.suggest import place_term

            place = place_term(place, self.conn)  # "Pakistan", "pakistan", "PK": one filter; unknown: E332
        return {"actors": ids, "role": role, "place": place, "types": list(types) if types else None,
                "start": lo.isoformat() if lo else None, "end": hi.isoformat() if hi else None}

    # The columns of ``events`` and the nullable integer ones among them (pandas "Int64": a
    # count that is not known stays <NA>, not a float NaN).
    EVENT_COLUMNS = ("id", "date", "precision", "type", "actor_names", "target_names", "location", "admin1",
                     "country", "fatalities", "fatalities_low", "fatalities_high", "injured", "n_reports",
                     "n_sources", "credibility", "credibility_reason", "evidence", "date_start", "date_end", "lat",
                     "lon", "geo_precision", "actors", "targets", "documents", "sources")
    EVENT_INTEGERS = ("fatalities", "fatalities_low", "fatalities_high", "injured", "n_reports", "n_sources",
                      "credibility", "geo_precision")

    def events(self, actor: str | None = None, place: str | None = None, types: str | Iterable[str] | None = None,
               since: str | None = None, until: str | None = None, role: str = "any", limit: int | None = None,
               offset: int = 0, order: str = "date") -> pd.DataFrame:
        """Events as a table (one row each; the filters of ``event_records``, as ``khabar
        events`` has them): date and precision, type, who did it to whom, where, fatalities
        and injured (nullable integers: ``<NA>`` where no figure was stated), reports,
        sources and a credibility rating 1-6.

        >>> df = ws.events(types="attack", place="Kabul", since="2021-08")
        >>> df.loc[df.date == "2021-08-26", ["type", "location", "country"]].iloc[0].tolist()
        ['attack', 'Kabul', 'AF']
        >>> df["fatalities"].dtype
        Int64Dtype()
        >>> ws.events(limit=3).shape[0]
        3
        """
        rows = self.event_rows(actor, place, types, since, until, role, limit, offset, order)
        return _frame(rows, self.EVENT_COLUMNS, integers=self.EVENT_INTEGERS)

    def event_rows(self, actor: str | None = None, place: str | None = None, types: str | Iterable[str] | None = None,
                   since: str | None = None, until: str | None = None, role: str = "any", limit: int | None = None,
                   offset: int = 0, order: str = "date") -> list[dict[str, Any]]:
        """``events`` as plain dicts (no pandas), what ``khabar events`` prints.

        >>> row = ws.event_rows(types="attack", place="Kabul", since="2021-08-26", until="2021-08-26")[0]
        >>> row["date"], row["n_reports"] >= 2, row["evidence"] != ""
        ('2021-08-26', True, True)
        """
        names = self._names()
        rows = []
        events = self.event_records(actor, place, types, since, until, role, limit, offset, order)
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
                 types: str | Iterable[str] | None = None, role: str = "actor") -> dict[str, Any]:
        """Events over time, as ``khabar activity`` prints them: a count per ``by`` ("day",
        "week" or "month") bin, surges and stops (each with a coverage check: were documents
        still coming in?) and the share of each place; see ``khabar.analyze.activity``.
        ``role``: count the events ``actor`` did ("actor"), suffered ("target") or either.

        >>> report = ws.activity(actor="isis-k", by="month")
        >>> report["by"], report["role"], report["series"][0]["start"][:7] <= report["series"][-1]["start"][:7]
        ('month', 'actor', True)
        >>> report["placed"] + report["undated_for_resolution"] + report["undated"] == report["events"] > 0
        True
        """
        from khabar.analyze.activity import RESOLUTIONS, activity_report

        if by not in RESOLUTIONS:
            raise KhabarError("E350", f"by={by!r}: give one of {', '.join(RESOLUTIONS)}")
        if role not in ("actor", "target", "any"):
            raise KhabarError("E350", f"role={role!r}: give 'actor', 'target' or 'any'")
        events = self.event_records(types=types)
        actor_id = self.actor(actor)["id"] if actor else None
        if place:
            from khabar.suggest import place_term

            place = place_term(place, self.conn)
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

    def export_acled(self, output: str | Path, actor: str | None = None, place: str | None = None,
                     types: str | Iterable[str] | None = None, since: str | None = None,
                     until: str | None = None, role: str = "any") -> int:
        """Write events (the filters of ``event_records``, as ``khabar export --format
        acled-csv`` has them) to the CSV file ``output`` in the style of conflict datasets;
        return the number of rows written.

        >>> ws.export_acled(tmp / "attacks.csv", types="attack") == ws.count_events(types="attack")
        True
        >>> "event_date" in (tmp / "attacks.csv").read_text(encoding="utf-8").splitlines()[0]
        True
        """
        from khabar.export.acled import write_acled_csv

        events = self._named_events(self.event_records(actor, place, types, since, until, role))
        out = Path(output)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8", newline="") as fh:
            return write_acled_csv(events, fh)

    def export(self, fmt: str, path: str | Path, actor: str | None = None, place: str | None = None,
               types: str | Iterable[str] | None = None, since: str | None = None, until: str | None = None,
               role: str = "any", rejected: bool = False) -> dict[str, int]:
        """Write the knowledge base as ``fmt`` (``khabar.export.FORMATS``: stix, misp, ftm,
        graphml, gexf, acled-csv...) to ``path``, the analyst layer applied; return the counts
        written. ``actor`` keeps its ties, events (``role``) and judgments; ``place``,
        ``types``, ``since``, ``until`` filter events as in ``event_records``; ``rejected``
        keeps what the analyst rejected, labelled. A format whose extra is not installed
        fails with E501 naming it (``pip install 'khabar[stix]'``).

        >>> ws.export("graphml", tmp / "khabar.graphml")["edges"] > 0
        True
        """
        from khabar.export import export

        return export(self, fmt, path, actor=actor, place=place, types=types, since=since, until=until,
                      role=role, rejected=rejected)

    def event_documents(self, events: Iterable[Event]) -> dict[str, dict[str, Any]]:
        """The metadata of the documents that report ``events``, by id (read for them only).

        >>> [kabul] = ws.event_records(types="attack", place="Kabul", since="2021-08-26", until="2021-08-26")
        >>> docs = ws.event_documents([kabul])
        >>> sorted(docs) == sorted(kabul.documents), {"title", "source", "published"} <= set(docs[kabul.documents[0]])
        (True, True)
        """
        return store.documents_of(self.conn, (d for e in events for d in e.documents))

    def event_credibility(self, events: list[Event], docs: dict[str, dict[str, Any]] | None = None):
        """A function giving an event's credibility (``analyze.credibility``) from its
        reports' sources; ``docs`` as ``event_documents`` gives them (read if not given).

        >>> events = ws.event_records(types="attack", limit=3)
        >>> rate = ws.event_credibility(events)
        >>> all(1 <= rate(e).rating <= 6 and rate(e).reason for e in events)
        True
        """
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
                         today: dt.date | None = None, limit: int | None = None, offset: int = 0,
                         order: str | None = None) -> list[dict[str, Any]]:
        """Attributed judgments with speaker, band, due date, source and any recorded outcome,
        filtered and paged in SQL.

        ``speaker``: as the text names the speaker; ``about``: an actor the judgment is about
        or speaks for (an analyst's merges included); ``due``: only those whose horizon has
        passed (by ``today``, default the real today) and that have no outcome yet;
        ``limit``/``offset``: a page; ``order``: a sort of ``store.read.JUDGMENT_SORTS``
        ("due", "-published"...), by the document's publication when None.

        >>> {r["speaker"] for r in ws.judgment_records(speaker="Marcus Feldt")}
        {'Marcus Feldt'}
        >>> due = ws.judgment_records(due=True, today=dt.date(2030, 1, 1))
        >>> len(due) > 0 and all(r["due"] <= "2030-01-01" and r["outcome"] is None for r in due)
        True
        >>> ws.judgment_records(due=True, today=dt.date(1990, 1, 1))
        []
        """
        self.require_existing()
        ids = None
        if about:
            actor_id = self.actor(about)["id"]
            merges = self._analyst()["merges"]
            ids = tuple(sorted({actor_id} | {a for a in merges if self._merged(a, merges) == actor_id}))
        due_by = (today or dt.date.today()).isoformat() if due else None
        return store.judgments(self.conn, speaker=speaker, about=ids, due_by=due_by, limit=limit, offset=offset,
                               order=order)

    def judgments(self, speaker: str | None = None, about: str | None = None, due: bool = False,
                  today: dt.date | None = None, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """Judgments as a table, one row each (the filters of ``judgment_records``, as
        ``khabar judgments`` has them): speaker, estimative words, ICD 203 band and its
        probabilities ``low``-``high``, due date and ``outcome`` (nullable boolean: <NA> until
        an analyst records one).

        >>> df = ws.judgments(about="ttp")
        >>> len(df) > 0, df["outcome"].dtype
        (True, BooleanDtype)
        >>> bool(((df["low"] <= df["high"]) | df["band"].isna()).all())
        True
        """
        rows = self.judgment_records(speaker, about, due, today, limit, offset)
        cols = ["id", "speaker", "role", "estimate", "band", "low", "high", "confidence", "due", "outcome", "text",
                "about", "source", "reliability", "published", "title", "doc_id", "speaker_actor", "via"]
        return _frame(rows, cols, booleans=("outcome",))

    def resolve(self, judgment_id: str, outcome: bool, note: str = "") -> dict[str, Any]:
        """Record what happened to a judgment (kept in the analyst layer, which re-ingest
        never touches); returns the judgment with its ``outcome`` (1 yes, 0 no).

        >>> feldt = ws.judgment_records(speaker="Marcus Feldt")[0]
        >>> ws.resolve(feldt["id"], outcome=True, note="it came true")["outcome"]
        1
        >>> ws.undo(ws.analyst_log()[-1]["id"])
        True
        """
        self.require_existing()
        found = [r for r in store.judgments(self.conn) if r["id"] == judgment_id]
        if not found:
            raise KhabarError("E304", f"no judgment {judgment_id!r} in {self.path}")
        store.record_action(self.conn, "resolve", judgment_id, {"outcome": int(bool(outcome)), "note": note})
        return [r for r in store.judgments(self.conn) if r["id"] == judgment_id][0]

    def grade_source(self, name: str, grade: str) -> int:
        """The analyst grades a source A (completely reliable) to F (cannot be judged); kept
        in the analyst layer and applied at once; returns the action's id.

        >>> action = ws.grade_source("Meridian Wire", "B")
        >>> ws.conn.execute("SELECT reliability FROM sources WHERE name = 'Meridian Wire'").fetchone()[0]
        'B'
        >>> ws.undo(action)
        True
        """
        self.require_existing()
        grade = grade.upper()
        if grade not in ("A", "B", "C", "D", "E", "F"):
            raise KhabarError("E305", f"{grade!r} is not an Admiralty grade")
        row = self.conn.execute("SELECT kind FROM sources WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KhabarError("E306", f"no source called {name!r} in {self.path}")
        action = store.record_action(self.conn, "grade", name, {"grade": grade})
        store.upsert_source(self.conn, Source(name=name, kind=row[0], reliability=grade))
        return action

    def forecast_scores(self) -> dict[str, Any]:
        """Brier scores per speaker and per source over judgments with a band and an outcome
        (the band's middle as the probability); ``pending``: judgments not scored yet.

        >>> feldt = ws.judgment_records(speaker="Marcus Feldt")[0]
        >>> feldt["band"], feldt["low"], feldt["high"]
        ('likely', 0.55, 0.8)
        >>> _ = ws.resolve(feldt["id"], outcome=True)
        >>> scores = ws.forecast_scores()
        >>> scores["n"], round(scores["by_speaker"]["Marcus Feldt"]["mean_brier"], 4)  # (1 - 0.675) ** 2
        (1, 0.1056)
        >>> ws.undo(ws.analyst_log()[-1]["id"])
        True
        """
        from khabar.analyze.forecasts import score_judgments

        self.require_existing()
        # only judgments with a recorded outcome can be scored: read those, count the rest
        items = [{"speaker": r["speaker"], "source": r.get("source"), "low": r.get("low"), "high": r.get("high"),
                  "outcome": None if r.get("outcome") is None else bool(r["outcome"])}
                 for r in store.judgments(self.conn, resolved=True)]
        scores = score_judgments(items)
        scores["pending"] = self.counts()["judgments"] - scores["n"]
        return scores

    # -- persons (khabar.store.persons) -----------------------------------------------
    def _persons(self):
        """The persons module, once documents stored before persons were kept are indexed."""
        self.require_existing()
        from khabar.store import persons

        if self.conn.execute("SELECT 1 FROM person_pending LIMIT 1").fetchone() is not None:
            with store.transaction(self.conn):
                persons.index_pending(self.conn)
        return persons

    def _actor_and_merged(self, actor: str) -> tuple[str, ...]:
        """An actor's id and the ids an analyst merged into it."""
        actor_id = self.actor(actor)["id"]
        merges = self._analyst()["merges"]
        return tuple(sorted({actor_id} | {a for a in merges if self._merged(a, merges) == actor_id}))

    def people(self, actor: str | None = None, q: str | None = None, limit: int | None = None,
               offset: int = 0) -> list[dict[str, Any]]:
        """Persons the corpus names (leaders, commanders, spokesmen, officials: from the people
        list or named as speakers in the text), by name, with how many sentences name them
        (``mentions``) and how many ``judgments``, ``events`` and ``ties`` they are linked to
        (as ``khabar people``). ``actor``: only those with a post for it (id, name or alias);
        ``q``: part of a name or alias; ``limit``/``offset``: a page.

        >>> [p["name"] for p in ws.people(q="zawahiri")]
        ['Ayman al-Zawahiri']
        >>> "Hibatullah Akhundzada" in [p["name"] for p in ws.people(actor="Taliban")]
        True
        >>> {p["origin"] for p in ws.people()} == {"gazetteer", "text"}
        True
        """
        if limit is not None and limit < 0 or offset < 0:
            raise KhabarError("E311", f"limit={limit}, offset={offset}: give 0 or more rows")
        persons = self._persons()
        ids = self._actor_and_merged(actor) if actor else None
        return persons.persons(self.conn, q=q, actor=ids, limit=limit, offset=offset)

    def count_people(self, actor: str | None = None, q: str | None = None) -> int:
        """How many persons ``people`` lists with these filters.

        >>> ws.count_people() == len(ws.people()) and ws.count_people(q="zawahiri") == 1
        True
        """
        persons = self._persons()
        ids = self._actor_and_merged(actor) if actor else None
        return persons.count_persons(self.conn, q=q, actor=ids)

    def person(self, name: str, limit: int | None = 50) -> dict[str, Any]:
        """One person by id, name or any spelling (a title before it allowed), as ``khabar
        person`` shows them: ``posts`` over time (the people list's, and those a document gives,
        dated by it), and the first ``limit`` of the ``judgments`` they made, the ``events``
        their name is in (with a ``role``: killed, arrested, released, wounded, met, signed,
        spoke, named), the ``ties`` they are evidence for (``speaker``, ``doer``, ``counterpart``
        or ``party``) and the sentences that name them (``mentions``); ``counts`` says how
        many of each. An unknown name: E352.

        >>> p = ws.person("Zawahiri")
        >>> p["id"], p["origin"], [x["actor_id"] for x in p["posts"]][-1]
        ('ayman-al-zawahiri', 'gazetteer', 'al-qaeda')
        >>> "killed" in {e["role"] for e in p["events"]}
        True
        >>> ws.person("Nobody Atall")
        Traceback (most recent call last):
        ...
        khabar.errors.KhabarError: [E352] no person called 'Nobody Atall'...
        """
        persons = self._persons()
        found = persons.find_person(self.conn, name)
        if found is None:
            from khabar.suggest import did_you_mean

            raise KhabarError("E352", f"no person called {name!r} in {self.path}"
                                      f"{did_you_mean(persons.suggestions(self.conn, name))}")
        return persons.person_record(self.conn, found, limit)

    def search(self, query: str, limit: int = 20, raw: bool = False) -> pd.DataFrame:
        """Full-text search over sentences, with snippets; ``raw=True``: ``query`` is FTS5
        syntax (``"A OR B"``), a malformed one an E315 error.

        >>> hits = ws.search('"safe haven"', limit=5)
        >>> len(hits) >= 1, all("safe haven" in s for s in hits["snippet"])
        (True, True)
        """
        import pandas as pd

        rows = self.search_records(query, limit, raw=raw)
        cols = ["snippet", "title", "source", "published", "name", "doc_id", "sentence_start", "sentence_end"]
        return pd.DataFrame(rows, columns=cols)

    def search_records(self, query: str, limit: int = 20, offset: int = 0, raw: bool = False
                       ) -> list[dict[str, Any]]:
        """``search`` as plain dicts (no pandas); ``offset``: skip the first hits (a page);
        ``raw``: ``query`` is an FTS5 expression passed through (E315 when malformed).

        >>> page = ws.search_records("Haqqani", limit=2, offset=1)
        >>> [h["sentence_start"] for h in page] == [h["sentence_start"] for h in ws.search_records("Haqqani")[1:3]]
        True
        """
        self.require_existing()
        return store.search(self.conn, query, limit=limit, offset=offset, raw=raw)

    def counts(self) -> dict[str, int]:
        """How many rows the knowledge base holds, by kind (documents, actors, mentions,
        assertions, event reports, judgments, sources, sentences; duplicates apart).

        >>> n = ws.counts()
        >>> n["documents"] > n["duplicates"] >= 1, n["sentences"] > n["documents"]
        (True, True)
        """
        self.require_existing()
        return store.counts(self.conn)

    def _names(self) -> dict[str, str]:
        self.require_existing()  # a reader never creates an empty knowledge base
        return {a["id"]: a["name"] for a in store.actors(self.conn)}

    # -- brief ------------------------------------------------------------------
    # How much of a large base the brief shows (counts always cover everything): the best
    # evidenced ties (and every contested one up to a bound), the latest events, judgments
    # and documents.
    BRIEF_TIES, BRIEF_CONTESTED, BRIEF_EVENTS, BRIEF_JUDGMENTS, BRIEF_DOCUMENTS = 150, 60, 400, 300, 400

    def brief_data(self) -> dict[str, Any]:
        """What the brief shows, as one plain dict (see ``khabar.present``): all of a small
        base, a summary of a large one (the bounds above; ``overview`` says how much).

        >>> data = ws.brief_data()
        >>> data["overview"]["documents"] == ws.counts()["documents"], len(data["ties"]) == data["overview"]["ties_shown"]
        (True, True)
        """
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
            d["analyst"] = getattr(tie, "analyst", None)  # the brief marks what an analyst confirmed
            d["assertions"] = [{
                "sentence": a["sentence"], "modality": a["modality"], "attributed_to": a.get("attributed_to"),
                "doc_id": a["doc_id"], "doc_name": a.get("name"), "title": a.get("title"),
                "source": a.get("source"), "published": a.get("published"), "url": a.get("url"),
                "start": a.get("start"), "end": a.get("end"), "reliability": a.get("reliability"),
                "analyst": a.get("analyst"),
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
            "network_analysis": self._brief_network(),
        }

    def _brief_network(self) -> dict[str, Any]:
        """Central actors, brokers and the ties that changed around the middle of the
        coverage (``khabar.analyze.network.brief_section``)."""
        from khabar.analyze.network import brief_section

        return brief_section(self)

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
        """Write the brief (self-contained HTML, or Markdown with ``fmt="md"``) to ``output``
        and return its path.

        >>> path = ws.brief(tmp / "brief.md", fmt="md")
        >>> path.read_text(encoding="utf-8").startswith("# khabar brief")
        True
        """
        from khabar.present import render_html, render_markdown

        if fmt not in ("html", "md"):
            raise KhabarError("E500", f"unknown brief format {fmt!r} (html or md)")
        data = self.brief_data()
        text = render_html(data) if fmt == "html" else render_markdown(data)
        out = Path(output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        return out


def _type_list(types: str | Iterable[str] | None) -> list[str] | None:
    """Event types as a list (one type may be given as a string), each checked against the
    vocabulary (E302, naming the close ones), so that a misspelt type fails instead of
    matching nothing; any case is read ("Attack" is "attack")."""
    from khabar.suggest import event_types

    return event_types(types)


def _frame(rows: list[dict[str, Any]], columns: Iterable[str], integers: Iterable[str] = (),
           booleans: Iterable[str] = ()) -> pd.DataFrame:
    """A DataFrame of ``rows`` with ``columns`` in that order (an empty list keeps them),
    counts as pandas' nullable "Int64" (a missing figure is <NA>, not a float NaN) and flags
    as nullable "boolean"."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=list(columns))
    for col in integers:
        df[col] = df[col].astype("Int64")
    for col in booleans:
        df[col] = df[col].astype("boolean")
    return df
