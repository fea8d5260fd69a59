"""Escaping and vocabulary helpers shared by the HTML, SVG and Markdown renderers.

Everything that comes from a brief (document titles, sentences, actor names,
URLs) is hostile input. These helpers are the only way present/ turns such a
value into output text:

* :func:`clean` drops characters that are invalid in XML 1.0 (so the inline SVG
  always parses) and turns ``None`` into ``""``;
* :func:`esc` escapes for HTML/XML text *and* attribute values;
* :func:`safe_url` returns a URL only if it is a plain ``http``/``https`` URL;
* :func:`md_escape` neutralises Markdown and HTML syntax in Markdown output;
* :func:`colour` validates a colour before it is placed in an attribute.
"""

from __future__ import annotations

import html
import re
from typing import Any

from khabar.schema import vocab

__all__ = [
    "clean",
    "esc",
    "safe_url",
    "md_escape",
    "colour",
    "tie_label",
    "tie_description",
    "tie_colour",
    "tie_symmetric",
    "ordered_tie_types",
    "kind_label",
    "truncate",
    "DEFAULT_COLOUR",
]

DEFAULT_COLOUR = "#777777"

# C0 controls except tab/newline/CR, lone surrogates and the two non-characters
# XML 1.0 forbids even as character references.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\\x00-\x1f\x7f]+$", re.IGNORECASE)
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()#|~!])")
_MD_LEADING = re.compile(r"^(\d+)([.)])|^([-+=>])")


def clean(value: Any) -> str:
    """``value`` as text with characters invalid in XML removed; ``None`` -> ``""``."""
    if value is None:
        return ""
    return _INVALID_XML.sub("", str(value))


def esc(value: Any) -> str:
    """Escape ``value`` for HTML or XML text and double- or single-quoted attributes."""
    return html.escape(clean(value), quote=True)


def safe_url(value: Any) -> str | None:
    """The URL if it is an absolute ``http``/``https`` URL without odd characters, else ``None``.

    ``javascript:``, ``data:``, relative and protocol-relative URLs, and URLs
    containing whitespace, quotes, angle brackets or control characters are
    rejected: the caller shows them as text instead of making a link.
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not _SAFE_URL.match(url):
        return None
    return url


def md_escape(value: Any) -> str:
    """Escape document-derived text for inline use in Markdown.

    Whitespace runs (newlines included) collapse to one space so text cannot
    leave a table row, a heading or a block quote; ``& < >`` become entities so
    no raw HTML reaches a Markdown renderer; Markdown punctuation (backticks,
    emphasis, link brackets and parentheses, ``#``, ``|``) is backslash-escaped;
    a leading list, quote or heading marker is neutralised.
    """
    text = " ".join(clean(value).split())
    text = _MD_PUNCT.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_LEADING.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text)


def colour(value: Any, default: str = DEFAULT_COLOUR) -> str:
    """``value`` if it is a ``#rgb``/``#rrggbb`` colour, else ``default``."""
    return value if isinstance(value, str) and _COLOUR.match(value) else default


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "\u2026"


def _tie_entry(tie_type: Any) -> dict[str, Any]:
    entry = vocab().get("tie_types", {}).get(tie_type) if isinstance(tie_type, str) else None
    return entry or {}


def tie_label(tie_type: Any) -> str:
    """The vocabulary label of a tie type (the raw type, cleaned, if unknown)."""
    return str(_tie_entry(tie_type).get("label") or clean(tie_type).replace("_", " ") or "unknown")


def tie_description(tie_type: Any) -> str:
    """The vocabulary description of a tie type ("" if unknown)."""
    return str(_tie_entry(tie_type).get("description") or "")


def tie_colour(tie_type: Any) -> str:
    """The vocabulary colour of a tie type (grey if unknown or malformed)."""
    return colour(_tie_entry(tie_type).get("colour"))


def tie_symmetric(tie_type: Any) -> bool:
    """Whether the tie type is symmetric; unknown types are treated as directed."""
    return bool(_tie_entry(tie_type).get("symmetric", False))


def ordered_tie_types(present: list[str]) -> list[str]:
    """The tie types in ``present``: vocabulary order first, unknown types after, sorted."""
    known = [t for t in vocab().get("tie_types", {}) if t in present]
    unknown = sorted({str(t) for t in present if t not in known})
    return known + unknown


def kind_label(kind: Any) -> str:
    """An actor kind for display (``armed_group`` -> ``armed group``)."""
    return clean(kind).replace("_", " ") or "other"
