"""The curated actor gazetteer (``data/actors.yaml``) as a lookup table.

The gazetteer is data, versioned in its own file; this module only reads it and
answers: which actor does this name stand for, what is its kind and parent.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from khabar.data import parse_yaml
from khabar.errors import KhabarError
from khabar.resolve.names import norm_name
from khabar.schema import Actor, vocab

__all__ = ["Gazetteer", "GazetteerEntry", "load_gazetteer"]



@dataclass
class GazetteerEntry:
    actor: Actor
    demonyms: list[str] = field(default_factory=list)
    metonyms: list[str] = field(default_factory=list)
    renamed: list[dict] = field(default_factory=list)
    # a country that is mostly the theatre of the conflicts covered: its bare name is a place
    theatre: bool = False
    # capitals standing for this actor while it governs from them: [{place, since, until}]
    governs_from: list[dict] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.actor.id

    def names(self) -> list[str]:
        """Canonical name first, then every alias."""
        return [self.actor.name, *self.actor.aliases]


class Gazetteer:
    """Actors by id, and a name index (normalised name -> actor id)."""

    def __init__(self, entries: list[GazetteerEntry], version: str = "") -> None:
        self.version = version
        self.entries = {e.id: e for e in entries}
        self.by_name: dict[str, str] = {}
        for e in entries:
            for n in e.names():
                self.by_name.setdefault(norm_name(n), e.id)

    def __contains__(self, actor_id: str) -> bool:
        return actor_id in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, actor_id: str) -> Actor | None:
        e = self.entries.get(actor_id)
        return e.actor if e else None

    def lookup(self, name: str) -> str | None:
        """The id of the actor a name stands for, or None."""
        return self.by_name.get(norm_name(name))

    def kind(self, actor_id: str) -> str:
        e = self.entries.get(actor_id)
        return e.actor.kind if e else "other"

    def parent(self, actor_id: str) -> str | None:
        e = self.entries.get(actor_id)
        return e.actor.parent if e else None

    def ancestors(self, actor_id: str) -> list[str]:
        out, seen = [], {actor_id}
        p = self.parent(actor_id)
        while p and p not in seen:
            out.append(p)
            seen.add(p)
            p = self.parent(p)
        return out


def _entry(raw: dict, kinds: set[str], where: str) -> GazetteerEntry:
    try:
        actor = Actor(
            id=str(raw["id"]),
            name=str(raw["name"]),
            kind=str(raw.get("kind") or "other"),
            aliases=[str(a) for a in raw.get("aliases") or []],
            parent=raw.get("parent"),
            country=raw.get("country"),
            wikidata=raw.get("wikidata"),
            listed=True,
        )
    except KeyError as exc:
        raise KhabarError("E101", f"{where}: an actor lacks the field {exc}") from None
    if actor.kind not in kinds:
        raise KhabarError("E101", f"{where}: actor {actor.id} has unknown kind {actor.kind!r}")
    return GazetteerEntry(
        actor=actor,
        demonyms=[str(d) for d in raw.get("demonyms") or []],
        metonyms=[str(m) for m in raw.get("metonyms") or []],
        renamed=list(raw.get("renamed") or []),
        theatre=bool(raw.get("theatre")),
        governs_from=[{"place": str(g["place"]), "since": str(g.get("since") or ""), "until": str(g.get("until") or "")}
                      for g in raw.get("governs_from") or []],
    )


@functools.cache
def _load_cached(path: str | None) -> Gazetteer:
    if path is None:
        text = resources.files("khabar.data").joinpath("actors.yaml").read_text("utf-8")
        where = "khabar/data/actors.yaml"
    else:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise KhabarError("E100", f"cannot read the gazetteer {path}: {exc.strerror}") from None
        where = path
    data = parse_yaml(text) or {}
    kinds = set(vocab()["actor_kinds"])
    entries = [_entry(raw, kinds, where) for raw in data.get("actors") or []]
    return Gazetteer(entries, version=str(data.get("version", "")))


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """The bundled gazetteer, or the one at ``path`` (cached per path)."""
    return _load_cached(str(path) if path is not None else None)
