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

``Workspace`` is defined here with its plumbing (the connection, backup and restore, the
source book, ingest and re-extraction); what can be asked of it comes from the classes it
inherits, one module each: ``khabar.workspace.analyst`` (the analyst layer: verdicts, merges,
aliases, undo), ``khabar.workspace.ties`` (actors and ties), ``khabar.workspace.events`` (events, activity,
exports), ``khabar.workspace.judgments`` (judgments, outcomes, source grades), ``khabar.workspace.people``
(persons, search, counts), ``khabar.workspace.brief`` (the brief) and ``khabar.correct`` (the
analyst's corrections).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from khabar import store
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
from khabar.schema import Source
from khabar.workspace.analyst import AnalystLayer
from khabar.workspace.brief import Brief
from khabar.workspace.events import Events
from khabar.workspace.judgments import Judgments
from khabar.workspace.people import People
from khabar.workspace.ties import ActorTies

if TYPE_CHECKING:
    import sqlite3

# pandas is imported inside the methods that return a DataFrame (``khabar.workspace.frame``): it
# costs 0.4 s, more than the whole start-up budget of a read command that prints rows.

__all__ = ["Workspace", "IngestReport", "ReextractReport"]


class Workspace(AnalystLayer, ActorTies, Events, Judgments, People, Brief, Corrections):
    """A knowledge base at ``path`` (created and migrated on first use); what can be asked of
    it comes from the classes it inherits (``khabar.workspace.analyst``, ``ties``, ``events``,
    ``judgments``, ``people``, ``brief``), the analyst's corrections (``add_actor``,
    ``add_tie``, ``edit_event``...) from ``khabar.correct``."""

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
                  scheduler: str | None = None, everything: bool = False) -> ReextractReport:
        """Extract the stored documents again (after a gazetteer, lexicon, model or khabar
        upgrade) and replace their machine rows, one transaction per document; the analyst
        layer, kept apart, is untouched and replays over the new rows. Only documents extracted
        otherwise than this khabar would are done (an interrupted run resumes), unless
        ``everything``."""
        self.require_existing()
        self.conn  # noqa: B018 - open (and migrate) the store before taking its lock
        from khabar.store.ties import refresh_all

        with ingest_lock(self.path):
            report = run_reextract(self, progress, jobs=jobs, engine=engine, scheduler=scheduler,
                                   everything=everything)
            if not report.extracted:  # no machine row changed: grades only, no replay or recount
                for (name,) in self.conn.execute("SELECT name FROM sources").fetchall():
                    self._grade_source(name)  # marks the ties of a source whose grade changed
                self._after_write()
                return report
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
