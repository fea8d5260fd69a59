"""The brief: ``Workspace.brief_data``, what ``khabar brief`` shows as one plain dict (all of a
small base, a summary of a large one), and ``brief``, which writes it as HTML or Markdown
(``khabar.present``). ``Workspace`` inherits this class; it holds no state of its own.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khabar import store
from khabar.errors import KhabarError

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable

    from khabar.resolve.sources import SourceBook
    from khabar.schema import Event, Tie

__all__ = ["Brief"]


class Brief:
    """The brief (mixed into ``khabar.workspace.Workspace``)."""

    if TYPE_CHECKING:  # provided by Workspace and its other bases
        conn: sqlite3.Connection
        path: str
        sources: SourceBook

        def require_existing(self) -> None: ...
        def _names(self) -> dict[str, str]: ...
        def tie_records(self, actor: str | None = None, tie_type: str | None = None, limit: int | None = None,
                        offset: int = 0, contested: bool | None = None, evidence: bool = True,
                        key: tuple[str, str, str] | None = None, order: str | None = None
                        ) -> list[tuple[Tie, list[dict[str, Any]]]]: ...
        def count_ties(self, actor: str | None = None, tie_type: str | None = None) -> int: ...
        def event_records(self, actor: str | None = None, place: str | None = None,
                          types: str | Iterable[str] | None = None, since: str | None = None,
                          until: str | None = None, role: str = "any", limit: int | None = None, offset: int = 0,
                          order: str = "date") -> list[Event]: ...
        def count_events(self, actor: str | None = None, place: str | None = None,
                         types: str | Iterable[str] | None = None, since: str | None = None,
                         until: str | None = None, role: str = "any") -> int: ...
        def _named_events(self, events: list[Event]) -> list[dict[str, Any]]: ...
        def _coverage(self) -> list[dict[str, Any]]: ...
        def judgment_records(self, speaker: str | None = None, about: str | None = None, due: bool = False,
                             today: dt.date | None = None, limit: int | None = None, offset: int = 0,
                             order: str | None = None) -> list[dict[str, Any]]: ...
        def forecast_scores(self) -> dict[str, Any]: ...

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
