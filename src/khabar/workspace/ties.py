"""Actors and the ties between them: the ``Workspace`` readers of ``khabar actors``, ``actor``,
``ties`` and ``network`` (``graph``, ``degrees``), with the analyst layer applied (merged actors
answer as the actor they were merged into, rejected evidence stops counting). ``Workspace``
inherits this class; it holds no state of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from khabar import store
from khabar.analyze.ties import aggregate_ties, tie_key
from khabar.errors import KhabarError
from khabar.schema import Tie
from khabar.workspace.frame import frame

if TYPE_CHECKING:
    import sqlite3

    import pandas as pd

    from khabar.resolve.sources import SourceBook

__all__ = ["ActorTies"]


class ActorTies:
    """Actors and ties (mixed into ``khabar.workspace.Workspace``)."""

    if TYPE_CHECKING:  # provided by Workspace and its other bases
        conn: sqlite3.Connection
        path: str
        sources: SourceBook

        def require_existing(self) -> None: ...
        def _fresh_ties(self) -> None: ...
        def _analyst(self) -> dict[str, Any]: ...
        @staticmethod
        def _merged(actor_id: str, merges: dict[str, str]) -> str: ...

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
        return frame(rows, cols, integers=("mentions", "documents"), booleans=("listed",))

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

    def actor_record(self, actor_id: str) -> dict[str, Any] | None:
        """One actor of ``actor_records`` by its id (None: no such actor, or merged away), read
        by key: the actors merged into it add their mentions and names, the analyst's aliases
        are its own.

        >>> ws.actor_record("ttp")["mentions"] == next(a for a in ws.actor_records() if a["id"] == "ttp")["mentions"]
        True
        """
        from khabar.store.read import actor_by_id

        self.require_existing()
        analyst = self._analyst()
        if self._merged(actor_id, analyst["merges"]) != actor_id:
            return None
        row = actor_by_id(self.conn, actor_id)
        if row is None:
            return None
        for other in analyst["merges"]:
            if other == actor_id or self._merged(other, analyst["merges"]) != actor_id:
                continue
            merged = actor_by_id(self.conn, other)
            if merged is not None and (merged.get("mentions") or merged.get("correction")):
                row["mentions"] += merged["mentions"]
                row["surfaces"] = list(dict.fromkeys([*row["surfaces"], merged["name"], *merged["surfaces"]]))
        row["aliases"] = list(dict.fromkeys([*row.get("aliases", []), *analyst["aliases"].get(actor_id, [])]))
        return row

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
        return frame(self.tie_rows(actor, tie_type, limit, offset), cols, booleans=("contested",),
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

    def _actor_and_merged(self, actor: str) -> tuple[str, ...]:
        """An actor's id and the ids an analyst merged into it."""
        actor_id = self.actor(actor)["id"]
        merges = self._analyst()["merges"]
        return tuple(sorted({actor_id} | {a for a in merges if self._merged(a, merges) == actor_id}))

    def _names(self) -> dict[str, str]:
        self.require_existing()  # a reader never creates an empty knowledge base
        return {a["id"]: a["name"] for a in store.actors(self.conn)}
