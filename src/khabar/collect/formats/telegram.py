"""Telegram Desktop channel exports (``result.json``, "Export chat history" as JSON).

The export is one JSON object: the channel's ``name``, ``type`` and ``id``, and its
``messages``, each with an ``id``, a ``type`` ("message", or "service" for a pin, a title
change, a join), a ``date`` ("2021-08-15T10:00:00", local time of the exporting machine),
``from`` (the author's name), ``forwarded_from`` (the channel or person the post was
forwarded from, when it was) and ``text``: a string, or a list of strings and entities
(``{"type": "bold", "text": "..."}``, links, mentions) whose texts make the message.

Each message with text becomes a document named ``FILE#ID``: the channel's name is its
source (the outlet that published it), the date part of ``date`` its publication date,
and a forwarded message says so in its title ("... (forwarded from Amaq)"): khabar's
documents have no free metadata field, and the title is shown wherever the evidence is,
so the analyst sees that the channel relays another voice. Service messages and messages
without text (a photo without caption, a sticker) are passed by without a skip line (a
channel has thousands); their number is counted (``Counts``) and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from khabar.collect.formats import bounded
from khabar.collect.meta import MetaError, parse_published

__all__ = ["is_export", "message_text", "read_export", "Counts"]

log = logging.getLogger(__name__)

MAX_MESSAGES = 500_000
MAX_MESSAGE_CHARS = 100_000  # Telegram allows 4,096; a forged export must not make a 1 GB document
HEADLINE_CHARS = 120


@dataclass
class Counts:
    """What one export gave: messages read as documents, and those passed by."""

    read: int = 0
    passed: int = 0  # service messages, messages without text, malformed entries


def is_export(value: Any) -> bool:
    """Whether parsed JSON looks like a Telegram Desktop chat export."""
    return isinstance(value, dict) and isinstance(value.get("messages"), list)


def message_text(value: Any) -> str:
    """A message's text from the export's string or list of strings and entities."""
    if isinstance(value, str):
        return value[:MAX_MESSAGE_CHARS]
    if not isinstance(value, list):
        return ""
    parts: list[str] = []
    size = 0
    for part in value:
        piece = part if isinstance(part, str) else part.get("text") if isinstance(part, dict) else None
        if isinstance(piece, str):
            parts.append(piece)
            size += len(piece)
            if size > MAX_MESSAGE_CHARS:
                break
    return "".join(parts)[:MAX_MESSAGE_CHARS]


def _title(text: str, forwarded: str | None, number: Any) -> str | None:
    """None (the title is then taken from the text) unless the post was forwarded."""
    if not forwarded:
        return None
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    head = first if len(first) <= HEADLINE_CHARS and not first.endswith(".") else f"Post {number}"
    return f"{head} (forwarded from {forwarded})"


def read_export(export: dict[str, Any], file_name: str, path: str, counts: Counts | None = None) -> Iterator[Any]:
    """RawDocs of the messages of a parsed export (see the module's docstring)."""
    from khabar.collect.readers import RawDoc  # readers imports this module lazily: no cycle at load

    counts = counts if counts is not None else Counts()
    channel = bounded(export.get("name"), 300)
    for entry in export["messages"][:MAX_MESSAGES]:
        if not isinstance(entry, dict) or entry.get("type", "message") != "message":
            counts.passed += 1
            continue
        text = message_text(entry.get("text"))
        if not text.strip():
            counts.passed += 1
            continue
        number = entry.get("id")
        number = number if isinstance(number, (int, str)) and str(number).strip() else counts.read + counts.passed + 1
        date = entry.get("date")
        try:
            published = parse_published(date[:10]) if isinstance(date, str) and len(date) >= 10 else None
        except MetaError:
            published = None
        forwarded = bounded(entry.get("forwarded_from"), 300)
        counts.read += 1
        name = f"{file_name}#{str(number).strip()[:40]}"
        title = _title(text, forwarded, number)
        yield RawDoc(text=text, name=name, path=path, title=title, source=channel, published=published,
                     title_from_text=title is None, container=file_name, where=f"{path}#{number}")
    log.info("%s: %d messages read, %d service or empty passed by", path, counts.read, counts.passed)
