"""People and text: the ``Workspace`` readers of ``khabar people`` and ``person``
(``khabar.store.persons``), full-text search over the sentences (``search``) and the row
counts (``counts``). ``Workspace`` inherits this class; it holds no state of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from khabar import store
from khabar.errors import KhabarError

if TYPE_CHECKING:
    import sqlite3

    import pandas as pd

__all__ = ["People"]


class People:
    """Persons, search and counts (mixed into ``khabar.workspace.Workspace``)."""

    if TYPE_CHECKING:  # provided by Workspace and its other bases
        conn: sqlite3.Connection
        path: str

        def require_existing(self) -> None: ...
        def _actor_and_merged(self, actor: str) -> tuple[str, ...]: ...

    def _persons(self):
        """The persons module, once documents stored before persons were kept are indexed."""
        self.require_existing()
        from khabar.store import persons

        if self.conn.execute("SELECT 1 FROM person_pending LIMIT 1").fetchone() is not None:
            with store.transaction(self.conn):
                persons.index_pending(self.conn)
        return persons

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
