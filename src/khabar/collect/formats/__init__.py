"""Readers for the file formats analysts hold besides plain text, Markdown, HTML and JSONL.

One module per format (``pdf``, ``telegram``, ``feeds``, ``docx``, ``warc``), each turning
the bytes of one file into raw documents or one-line reasons to skip it, plus the helpers
they share: ``encoding`` (byte-order-less UTF-16, short code-page texts, mojibake),
``language`` (which language a text is in) and ``pages`` (page starts kept through
normalisation). ``khabar.collect.readers.read_path`` dispatches to them by suffix, and
for ``.json``/``.xml`` by what the file holds.

The libraries each format needs are optional extras (``pip install 'khabar[pdf]'`` and so
on), imported only when a file of that kind is read: without one, that file is skipped
with a reason naming the install command, and the batch goes on.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["FormatError", "need", "bounded"]


class FormatError(Exception):
    """Why one file (or one part of it) gives no document: a one-line reason for a Skipped."""


def need(module: str, extra: str) -> ModuleType:
    """``module`` imported, or a FormatError naming the extra that installs it.

    An import that fails for another reason than absence (a broken install) is reported
    the same way, since the remedy is the same: install the extra again."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise FormatError(f"reading this needs {module.split('.')[0]} ({exc.__class__.__name__}): "
                          f"pip install 'khabar[{extra}]'") from exc


def bounded(value: object, limit: int = 2000) -> str | None:
    """A metadata value (title, url, channel name) as a stripped string of at most ``limit``
    characters, or None when it is empty or not a string."""
    if not isinstance(value, str):
        return None
    return value.strip()[:limit] or None
