"""The optional metadata sidecar: what the analyst knows about each file.

A sidecar is a JSON Lines file, one object per document:
``{"doc": "a.html", "published": "2024-03", "source": "...", "url": "...", "title": "..."}``.
Entries are keyed on the file's base name, so a sidecar written next to a
folder still matches when the folder is moved. Its values override what is
inferred from the file (the analyst knows better than a date heuristic); an
absent or null value leaves the inferred one in place.

A malformed sidecar is an error, not a warning: silently wrong dates would
corrupt every timeline built on them, so the message names file and line.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from pathlib import Path
from typing import Any

__all__ = ["MetaError", "load_meta", "parse_published", "base_name", "META_FIELDS"]

META_FIELDS = ("published", "source", "url", "title")
MAX_META_BYTES = 50 * 1024 * 1024  # a sidecar is small; refuse anything absurd
MAX_VALUE_CHARS = 2000  # bound each string value (a URL or title is far shorter)

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class MetaError(ValueError):
    """A sidecar (or a metadata value) that cannot be trusted."""


def parse_published(value: Any) -> str | None:
    """Validate a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD) or None.

    The calendar is checked too (no month 13, no 31 February), because an
    impossible date would sort silently into the wrong place.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise MetaError(f"published must be a string or null, not {type(value).__name__}")
    match = _PARTIAL_DATE.match(value.strip())
    if not match:
        raise MetaError(f"published {value[:40]!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise MetaError(f"published {value!r} is not a real date ({exc})") from None
    return match.group(0)


def base_name(name: str) -> str:
    """The last component of a path written with / or \\ separators."""
    return re.split(r"[\\/]", name.strip())[-1]


def _string_or_none(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise MetaError(f"{key} must be a string or null, not {type(value).__name__}")
    value = value.strip()
    return value[:MAX_VALUE_CHARS] or None


def _parse_entry(entry: Any) -> tuple[str, dict[str, str]]:
    """Turn one decoded sidecar line into (base name, non-null values)."""
    if not isinstance(entry, dict):
        raise MetaError("line is not a JSON object")
    doc = entry.get("doc")
    if not isinstance(doc, str) or not base_name(doc):
        raise MetaError('missing or empty "doc" (the file name the line describes)')
    values: dict[str, str] = {}
    for key in ("source", "url", "title"):
        value = _string_or_none(entry, key)
        if value is not None:
            values[key] = value
    published = parse_published(entry.get("published"))
    if published is not None:
        values["published"] = published
    return base_name(doc), values


def load_meta(path: str | Path) -> dict[str, dict[str, str]]:
    """Load a sidecar into {base name: {field: value}}.

    Raises MetaError naming the sidecar and the line for any malformed line,
    and for a second entry about the same file (which one would win is a guess).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_META_BYTES:
            raise MetaError(f"{path}: sidecar is {size} bytes, over the {MAX_META_BYTES} limit")
        raw = path.read_bytes()
    except OSError as exc:
        raise MetaError(f"{path}: cannot read sidecar ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MetaError(f"{path}: sidecar is not UTF-8 ({exc.reason} at byte {exc.start})") from None

    meta: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    # split("\n"), not splitlines(): JSON strings may hold U+2028, which
    # splitlines() would treat as a line break and so misnumber the lines.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            name, values = _parse_entry(json.loads(line))
        except MetaError as exc:
            raise MetaError(f"{path}, line {number}: {exc}") from None
        except (ValueError, RecursionError) as exc:
            raise MetaError(f"{path}, line {number}: invalid JSON ({exc})") from None
        if name in meta:
            raise MetaError(
                f"{path}, line {number}: second entry for {name!r} (first on line {first_line[name]})"
            )
        meta[name] = values
        first_line[name] = number
    return meta
