"""Events: the ``Workspace`` readers of ``khabar events`` and ``activity`` (filtered and paged
in SQL, an analyst's merges applied), their documents and credibility, and the exports
(``export``, ``export_acled``). ``Workspace`` inherits this class; it holds no state of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khabar import store
from khabar.errors import KhabarError
from khabar.schema import Event, EventReport
from khabar.workspace.frame import frame

if TYPE_CHECKING:
    import sqlite3

    import pandas as pd

    from khabar.resolve.sources import SourceBook

__all__ = ["Events"]


class Events:
    """Events (mixed into ``khabar.workspace.Workspace``)."""

    if TYPE_CHECKING:  # provided by Workspace and its other bases
        conn: sqlite3.Connection
        sources: SourceBook

        def require_existing(self) -> None: ...
        def actor(self, name: str, suggest: bool = True) -> dict[str, Any]: ...
        def _analyst(self) -> dict[str, Any]: ...
        @staticmethod
        def _merged(actor_id: str, merges: dict[str, str]) -> str: ...
        def _names(self) -> dict[str, str]: ...

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
        return frame(rows, self.EVENT_COLUMNS, integers=self.EVENT_INTEGERS)

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
            d["credibility"], d["credibility_label"], d["credibility_reason"] = c.rating, c.label, c.reason
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

        return export(self, fmt, path, actor=actor, place=place, types=types,  # type: ignore[arg-type]
                      since=since, until=until, role=role, rejected=rejected)

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
            d["credibility"], d["credibility_label"], d["credibility_reason"] = c.rating, c.label, c.reason
            d["actor_names"] = [names.get(x, x) for x in e.actors]
            d["target_names"] = [names.get(x, x) for x in e.targets]
            for r in d["reports"]:
                doc = docs.get(r["doc_id"], {})
                for k in ("title", "source", "published", "url", "name"):
                    r[k] = doc.get(k)
            out.append(d)
        return out


def _type_list(types: str | Iterable[str] | None) -> list[str] | None:
    """Event types as a list (one type may be given as a string), each checked against the
    vocabulary (E302, naming the close ones), so that a misspelt type fails instead of
    matching nothing; any case is read ("Attack" is "attack")."""
    from khabar.suggest import event_types

    return event_types(types)
