"""The analyst layer: the ``Workspace`` methods that confirm or reject a tie or an assertion,
merge actors, add aliases, undo any analyst action and list them (``analyst_log``), and
``_analyst``, the live actions replayed, which every reader applies. ``Workspace`` inherits
this class; it holds no state of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from khabar import store
from khabar.analyze.ties import tie_key
from khabar.errors import KhabarError

if TYPE_CHECKING:
    import sqlite3

    from khabar.schema import Tie

__all__ = ["AnalystLayer"]


class AnalystLayer:
    """The analyst's verdicts, merges and aliases (mixed into ``khabar.workspace.Workspace``)."""

    if TYPE_CHECKING:  # provided by Workspace and its other bases
        conn: sqlite3.Connection

        def require_existing(self) -> None: ...
        def actor(self, name: str, suggest: bool = True) -> dict[str, Any]: ...
        def tie_records(self, actor: str | None = None, tie_type: str | None = None, limit: int | None = None,
                        offset: int = 0, contested: bool | None = None, evidence: bool = True,
                        key: tuple[str, str, str] | None = None, order: str | None = None
                        ) -> list[tuple[Tie, list[dict[str, Any]]]]: ...
        def _undo_correction(self, action_id: int) -> bool: ...
        def _grade_source(self, name: str | None) -> None: ...

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
