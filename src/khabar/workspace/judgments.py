"""Judgments: the ``Workspace`` readers of ``khabar judgments``, an outcome recorded
(``resolve``) and the forecasts scored (``forecast_scores``), and the analyst's grade of a
source (``grade_source``). ``Workspace`` inherits this class; it holds no state of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from khabar import store
from khabar.errors import KhabarError
from khabar.schema import Source
from khabar.workspace.frame import frame

if TYPE_CHECKING:
    import sqlite3

    import pandas as pd

__all__ = ["Judgments"]


class Judgments:
    """Judgments, outcomes and source grades (mixed into ``khabar.workspace.Workspace``)."""

    if TYPE_CHECKING:  # provided by Workspace and its other bases
        conn: sqlite3.Connection
        path: str

        def require_existing(self) -> None: ...
        def actor(self, name: str, suggest: bool = True) -> dict[str, Any]: ...
        def counts(self) -> dict[str, int]: ...
        def _analyst(self) -> dict[str, Any]: ...
        @staticmethod
        def _merged(actor_id: str, merges: dict[str, str]) -> str: ...

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
        return frame(rows, cols, booleans=("outcome",))

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
