"""Known sources (``data/sources.yaml``): reliability grades, lookups and independence.

``load_sources()`` reads the bundled source book and, on top of it, an analyst's
override file of the same shape (``sources:`` a list of entries), whose entries win:
an override entry whose name is a known source's name or alias replaces the fields it
gives (and adds to its aliases and domains); any other entry is a new source. A missing
override file is fine; a malformed one raises :class:`SourcesFileError` naming the
file and the line.

Lookups ignore case, accents, punctuation, spacing and a leading "The", so "The New
York Times", "new york times" and "NYT" are one source; a web domain or URL finds a
source by its ``domains``. An unknown source grades "F" (cannot be judged).

Two sources are independent unless they share a *root*: a source's roots are its own
name, its ``owner`` and the sources it ``depends_on`` (republishes), followed through
any of those that are themselves entries (Radio Azadi -> RFE/RL -> US Agency for
Global Media). :meth:`SourceBook.families` groups names for counting independent
sources: primary sources (fewest roots) found families first, and a name joins the
first family whose founder shares a root with it, so an aggregator that republishes
two wires is counted with one of them, not as a bridge that merges both.

>>> book = load_sources()
>>> book.grade("The New York Times"), book.grade("NYT"), book.grade("Unheard Of Gazette")
('B', 'B', 'F')
>>> book.independent("AP", "ABC News"), book.independent("Reuters", "AP")
(False, True)
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from khabar.errors import KhabarError
from khabar.schema import Source, vocab
from khabar.store.text import loose_key

__all__ = [
    "GRADES",
    "SourceBook",
    "SourceInfo",
    "SourcesFileError",
    "load_sources",
    "source_key",
]

GRADES: tuple[str, ...] = tuple(vocab()["reliability_grades"])  # A ... F
UNKNOWN_KIND = "other"
_FIELDS = ("name", "kind", "reliability", "country", "aliases", "owner", "depends_on", "domains", "note")
_LINE = "__line__"
_BUNDLED = "khabar/data/sources.yaml"


class SourcesFileError(KhabarError):
    """A source book or override file that cannot be read as one."""

    def __init__(self, where: str, line: int | None, problem: str) -> None:
        self.where, self.line = where, line
        place = f"{where}, line {line}" if line else where
        super().__init__("E103", f"{place}: {problem}; fix the file (see the comment at the top of {_BUNDLED})")


def source_key(name: str) -> str:
    """Lookup key: case-, accent-, punctuation- and space-free, without a leading "The".

    >>> source_key("The N.Y. Times"), source_key("RFE/RL"), source_key("Al-Jazeera")
    ('nytimes', 'rferl', 'aljazeera')
    """
    words = loose_key(name).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


def _domain_key(text: str) -> str | None:
    """The host of a URL or bare domain ("https://www.dawn.com/x" -> "dawn.com"), or None."""
    text = text.strip().lower()
    if not text or " " in text or "." not in text:
        return None
    host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    host = host.removeprefix("www.")
    return host if "." in host else None


@dataclass
class SourceInfo:
    """One known source: its default grade, kind and who it depends on."""

    name: str
    kind: str = UNKNOWN_KIND
    reliability: str = "F"
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    owner: str | None = None
    depends_on: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    note: str | None = None

    def to_source(self) -> Source:
        """The schema record, for ``store.write.upsert_source``."""
        return Source(name=self.name, kind=self.kind, reliability=self.reliability)

    def to_dict(self) -> dict[str, Any]:
        """Only the fields that are set, in file order."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v not in (None, [])}


# --------------------------------------------------------------------------- reading


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when PyYAML has it (8x faster)
    """Safe loader that records the line of every mapping under ``__line__``."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    data = loader.construct_mapping(node, deep=True)
    data[_LINE] = node.start_mark.line + 1
    return data


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _parse(text: str, where: str) -> tuple[list[dict[str, Any]], list[str] | None]:
    """The raw entries of a source file and its ``kinds`` list (if it has one)."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourcesFileError(where, mark.line + 1 if mark else None, f"not valid YAML ({problem})") from None
    if data is None:
        return [], None
    kinds = None
    if isinstance(data, dict):
        kinds = data.get("kinds")
        entries = data.get("sources") or []
        line = data.get(_LINE)
    else:
        entries, line = data, 1
    if not isinstance(entries, list):
        raise SourcesFileError(where, line, "expected 'sources:' followed by a list of entries")
    for i, raw in enumerate(entries):
        if not isinstance(raw, dict):
            raise SourcesFileError(where, None, f"entry {i + 1} is not a mapping with a name ({raw!r})")
    return entries, kinds


def _strings(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise SourcesFileError(where, raw.get(_LINE), f"{key} must be a list of names")
    return [str(v) for v in value]


def _check(raw: dict[str, Any], where: str, kinds: set[str], full: bool = False) -> dict[str, Any]:
    """Validate one raw entry; returns only the fields it gives, cleaned.

    ``full``: the entry must give a kind and a grade (the source book itself must).
    """
    line = raw.get(_LINE)
    unknown = sorted(set(raw) - set(_FIELDS) - {_LINE})
    if unknown:
        raise SourcesFileError(where, line, f"unknown field {unknown[0]!r} (fields: {', '.join(_FIELDS)})")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or not source_key(name):
        raise SourcesFileError(where, line, "an entry needs a name")
    out: dict[str, Any] = {"name": name.strip()}
    missing = [k for k in ("kind", "reliability") if full and raw.get(k) is None]
    if missing:
        raise SourcesFileError(where, line, f"{name}: no {missing[0]}")
    if "reliability" in raw:
        grade = str(raw["reliability"]).strip().upper()
        if grade not in GRADES:
            raise SourcesFileError(where, line, f"{name}: reliability {raw['reliability']!r} is not one of A-F")
        out["reliability"] = grade
    if "kind" in raw:
        if raw["kind"] not in kinds:
            raise SourcesFileError(where, line, f"{name}: kind {raw['kind']!r} is not one of {sorted(kinds)}")
        out["kind"] = raw["kind"]
    for key in ("country", "owner", "note"):
        if key in raw:
            out[key] = None if raw[key] is None else str(raw[key])
    for key in ("aliases", "depends_on"):
        if key in raw:
            out[key] = _strings(raw, key, where)
    if "domains" in raw:
        out["domains"] = [d for d in (_domain_key(x) for x in _strings(raw, "domains", where)) if d]
    return out


def _read_overrides(path: Path) -> list[dict[str, Any]]:
    """Raw entries of an override file; [] when it does not exist."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise SourcesFileError(str(path), None, f"cannot read it ({exc.strerror})") from None
    return _parse(text, str(path))[0]


# --------------------------------------------------------------------------- the book


class SourceBook:
    """Known sources with their grades, found by any of their names or domains."""

    def __init__(self, entries: Iterable[SourceInfo] = (), kinds: Iterable[str] = ()) -> None:
        self._name_patterns: dict[frozenset[str], tuple[re.Pattern | None, dict[str, str]]] = {}
        self.kinds: set[str] = set(kinds) | {UNKNOWN_KIND}
        self._entries: dict[str, SourceInfo] = {}  # key of the canonical name -> entry
        self._index: dict[str, str] = {}  # key of any name or alias -> canonical key
        self._domains: dict[str, str] = {}  # domain -> canonical key
        self._roots: dict[str, frozenset[str]] = {}
        self._changed: set[str] = set()  # canonical keys changed by set_grade
        self._bundled_keys: set[str] = set()  # canonical keys of the source book proper
        self.overrides_path: Path | None = None
        self._loaded_overrides: list[dict[str, Any]] = []
        for info in entries:
            self._add(info, where="the source book", line=None)

    # ---------------------------------------------------------------- building

    def _add(self, info: SourceInfo, where: str, line: int | None) -> None:
        key = source_key(info.name)
        for name in [info.name, *info.aliases]:
            k = source_key(name)
            if k and self._index.get(k, key) != key:
                other = self._entries[self._index[k]].name
                raise SourcesFileError(where, line, f"{info.name}: the name {name!r} already belongs to {other}")
        for d in info.domains:
            if self._domains.get(d, key) != key:
                other = self._entries[self._domains[d]].name
                raise SourcesFileError(where, line, f"{info.name}: the domain {d!r} already belongs to {other}")
        self._entries[key] = info
        for name in [info.name, *info.aliases]:
            if source_key(name):
                self._index[source_key(name)] = key
        for d in info.domains:
            self._domains[d] = key
        self._roots.clear()

    def _apply(self, raw: dict[str, Any], where: str) -> str:
        """Merge one override entry into the book; returns its canonical key."""
        fields = _check(raw, where, self.kinds)
        line = raw.get(_LINE)
        found = self._index.get(source_key(fields["name"]))
        if found is None:
            info = SourceInfo(**fields)
        else:
            old = self._entries.pop(found)
            self._forget(found, old)
            merged = dataclasses.asdict(old) | {k: v for k, v in fields.items() if k != "name"}
            for key in ("aliases", "domains"):  # added to, never taken away
                merged[key] = list(dict.fromkeys(getattr(old, key) + fields.get(key, [])))
            if source_key(fields["name"]) != found and fields["name"] not in merged["aliases"]:
                merged["aliases"].append(fields["name"])
            info = SourceInfo(**merged)
        self._add(info, where, line)
        return source_key(info.name)

    def _forget(self, key: str, info: SourceInfo) -> None:
        for name in [info.name, *info.aliases]:
            if self._index.get(source_key(name)) == key:
                del self._index[source_key(name)]
        for d in info.domains:
            if self._domains.get(d) == key:
                del self._domains[d]

    # ---------------------------------------------------------------- lookups

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[SourceInfo]:
        return iter(self._entries.values())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def get(self, name: str | None) -> SourceInfo | None:
        """The entry for a name, alias, web domain or URL, or None when unknown."""
        if not name:
            return None
        key = self._index.get(source_key(name))
        if key is None and (host := _domain_key(name)):
            key = self._domain_lookup(host)
        return self._entries.get(key) if key else None

    def _domain_lookup(self, host: str) -> str | None:
        parts = host.split(".")
        for i in range(len(parts) - 1):  # longest suffix first: gandhara.rferl.org before rferl.org
            if (key := self._domains.get(".".join(parts[i:]))) is not None:
                return key
        return None

    def named_most(self, text: str, kinds: Iterable[str], at_least: int = 2) -> str | None:
        """The source of one of ``kinds`` that ``text`` names most often (``at_least`` times),
        by name or alias: a research firm's blog cites "Flashpoint's collections" and
        "Flashpoint Intelligence shows". None when no such source is named that often."""
        kinds = frozenset(kinds)
        if kinds not in self._name_patterns:
            names = {n: info.name for info in self if info.kind in kinds for n in (info.name, *info.aliases)
                     if len(n) >= 4}
            alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            self._name_patterns[kinds] = (re.compile(rf"\b(?:{alternation})\b") if names else None, names)
        pattern, names = self._name_patterns[kinds]
        if pattern is None:
            return None
        counts = Counter(names[m.group(0)] for m in pattern.finditer(text))
        if not counts:
            return None
        name, n = counts.most_common(1)[0]
        return name if n >= at_least else None

    def grade(self, name: str | None) -> str:
        """The reliability grade A-F of a source; "F" when it is unknown."""
        info = self.get(name)
        return info.reliability if info else "F"

    # ---------------------------------------------------------------- independence

    def roots(self, name: str) -> frozenset[str]:
        """The keys a source's reporting stems from: itself, its owner, what it republishes."""
        info = self.get(name)
        if info is None:
            return frozenset({source_key(name)})
        key = source_key(info.name)
        if key not in self._roots:
            self._roots[key] = self._walk(info, set())
        return self._roots[key]

    def _walk(self, info: SourceInfo, seen: set[str]) -> frozenset[str]:
        key = source_key(info.name)
        seen.add(key)
        out = {key}
        for upstream in ([info.owner] if info.owner else []) + info.depends_on:
            target = self.get(upstream)
            if target is None:
                out.add(source_key(upstream))
            elif source_key(target.name) not in seen:
                out |= self._walk(target, seen)
        return frozenset(out)

    def independent(self, a: str, b: str) -> bool:
        """False for the same source (or its alias), a shared owner or a declared dependency."""
        return not (self.roots(a) & self.roots(b))

    def families(self, names: Iterable[str]) -> list[set[str]]:
        """Group names into independence families (see the module docstring)."""
        unique = list(dict.fromkeys(n for n in names if n))
        order = sorted(unique, key=lambda n: (len(self.roots(n)), source_key(n), n))
        found: list[tuple[frozenset[str], set[str]]] = []
        for name in order:
            roots = self.roots(name)
            for founder_roots, members in found:
                if founder_roots & roots:
                    members.add(name)
                    break
            else:
                found.append((roots, {name}))
        return [members for _, members in found]

    # ---------------------------------------------------------------- analyst edits

    def set_grade(self, name: str, grade: str) -> SourceInfo:
        """Grade a source in memory (adding it if unknown); ``save_overrides`` keeps it."""
        grade = str(grade).strip().upper()
        if grade not in GRADES:
            raise ValueError(f"reliability {grade!r} is not one of {', '.join(GRADES)}")
        info = self.get(name)
        if info is None:
            if not source_key(name):
                raise ValueError(f"{name!r} is not a source name")
            info = SourceInfo(name=name.strip())
            self._add(info, where="set_grade", line=None)
        info.reliability = grade
        self._changed.add(source_key(info.name))
        return info

    def save_overrides(self, path: str | Path | None = None) -> Path:
        """Write the analyst's override file: its entries as now on disk plus this session's grades.

        Entries already in the file keep every field and their order (only the grade of
        a source graded here changes); the leading comment block is kept. Written to a
        temporary file beside it and renamed over it, so a crash never leaves half a file.
        """
        target = Path(path) if path is not None else self.overrides_path
        if target is None:
            raise ValueError("no override file: pass a path, or load_sources(overrides=...)")
        text = target.read_text("utf-8") if target.exists() else ""
        entries = _parse(text, str(target))[0] if text else [dict(e) for e in self._loaded_overrides]
        matched: set[str] = set()
        for raw in entries:
            info = self.get(str(raw.get("name") or ""))
            if info is not None and (key := source_key(info.name)) in self._changed:
                raw["reliability"] = info.reliability
                matched.add(key)
        for key in sorted(self._changed - matched):
            info = self._entries[key]
            entry: dict[str, Any] = {"name": info.name, "reliability": info.reliability}
            if info.kind != UNKNOWN_KIND and key not in self._bundled_keys:
                entry["kind"] = info.kind
            entries.append(entry)
        clean = [{k: v for k, v in e.items() if k != _LINE} for e in entries]
        body = yaml.safe_dump({"sources": clean}, sort_keys=False, allow_unicode=True, width=110)
        _atomic_write(target, _header(text) + body)
        return target


def _header(text: str) -> str:
    """The leading comment block of an existing file, or a short default one."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#") or (not line.strip() and lines):
            lines.append(line)
        else:
            break
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        lines = ["# Analyst overrides of khabar's source book: entries here win over the bundled ones.",
                 "# Same shape as khabar/data/sources.yaml; give only the fields you change."]
    return "\n".join(lines) + "\n"


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- loading


def load_sources(path: str | Path | None = None, overrides: str | Path | None = None) -> SourceBook:
    """The bundled source book (or the one at ``path``) with the analyst's ``overrides`` on top."""
    if path is None:
        text = resources.files("khabar.data").joinpath("sources.yaml").read_text("utf-8")
        where = _BUNDLED
    else:
        where = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise SourcesFileError(where, None, f"cannot read it ({exc.strerror})") from None
    raw_entries, kinds = _parse(text, where)
    book = SourceBook(kinds=kinds or [])
    if not kinds:
        book.kinds |= _bundled_kinds()
    for raw in raw_entries:
        fields = _check(raw, where, book.kinds, full=True)
        if source_key(fields["name"]) in book._entries:
            raise SourcesFileError(where, raw.get(_LINE), f"{fields['name']} is listed twice")
        book._add(SourceInfo(**fields), where, raw.get(_LINE))
    book._bundled_keys = set(book._entries)
    if overrides is not None:
        book.overrides_path = Path(overrides)
        book._loaded_overrides = _read_overrides(book.overrides_path)
        for raw in book._loaded_overrides:
            book._apply(raw, str(book.overrides_path))
    return book


def _bundled_kinds() -> set[str]:
    text = resources.files("khabar.data").joinpath("sources.yaml").read_text("utf-8")
    return set(_parse(text, _BUNDLED)[1] or [])
