"""What every list page of ``khabar serve`` shares: a whitelisted sort, column headers that sort
by a click (with ``aria-sort``), and links that export the list as it is filtered.

A sort is a name from the page's own whitelist ("mentions"), or that name after "-" for the
reverse order ("-mentions"); anything else in ``?sort=`` falls back to the page's default, so
no text from the request ever reaches SQL (the store's readers take only the names their
``*_SORTS`` tables know: ``khabar.store.read.sort_terms``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Request

__all__ = ["sort_key", "columns", "export_links", "EXPORT_TABLES"]

# The tables /export/csv and /export/json write, and the list page each comes from.
EXPORT_TABLES = ("actors", "ties", "events", "judgments", "documents")
# The query parameters a list page does not pass on to its export links (they pick a page or an order).
_NOT_FILTERS = ("offset", "sort", "ties", "events", "judgments", "tsort", "ttype", "limit", "token")


def sort_key(value: str | None, allowed: Iterable[str], default: str) -> str:
    """``value`` when it names one of ``allowed`` (with or without a leading "-"), else ``default``."""
    if value and value.removeprefix("-") in set(allowed):
        return value
    return default


def _flip(key: str, current: str, descending_first: bool) -> str:
    """The sort a click on column ``key`` asks for: the reverse of the current one when the list
    is sorted by it already, else the column's natural first direction."""
    if current == key:
        return f"-{key}"
    if current == f"-{key}":
        return key
    return f"-{key}" if descending_first else key


def columns(request: Request, spec: Iterable[tuple[Any, ...]], current: str, param: str = "sort",
            page: str = "offset") -> list[dict[str, Any]]:
    """The headers of a sortable table: for each ``(label, key, descending_first[, css])`` of
    ``spec`` (``key`` None: a column that does not sort) its ``label``, the ``href`` that sorts
    by it (the page's filters kept, back to its first rows) and ``aria`` ("ascending",
    "descending" or "none"), for ``<th aria-sort>`` (a list that is not a table shows them as
    links, the current one marked). ``param``: the query parameter of the sort, ``page``: that
    of the list's first row (dropped: a new order starts at the top)."""
    out = []
    for label, key, descending_first, *css in spec:
        col: dict[str, Any] = {"label": label, "key": key, "href": None, "aria": None, "css": css[0] if css else ""}
        if key is not None:
            url = request.url.remove_query_params(page).include_query_params(
                **{param: _flip(key, current, descending_first)})
            col["href"] = f"{url.path}?{url.query}"
            col["aria"] = ("ascending" if current == key else "descending" if current == f"-{key}" else "none")
        out.append(col)
    return out


def export_links(request: Request, table: str | None, formats: Iterable[str],
                 extra: dict[str, str] | None = None) -> list[dict[str, str]]:
    """Links to ``/export/FMT`` for each of ``formats`` carrying the page's filters (not its page
    or order) and ``extra`` ones (an actor page's actor): ``csv`` and ``json`` write the page's
    ``table``; the others are the formats of ``khabar export`` (``khabar.export.FORMATS``), over
    the same filters."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in _NOT_FILTERS and v != ""
            and k not in (extra or {})]
    kept += list((extra or {}).items())
    out = []
    for fmt in formats:
        params = ([("table", table)] if table and fmt in ("csv", "json") else []) + kept
        query = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in params)
        out.append({"format": fmt, "href": f"/export/{fmt}" + (f"?{query}" if query else "")})
    return out


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(str(text), safe="")
