"""Read-only queries over the store, returning plain dicts.

Every query is parameterised: user text only ever reaches SQLite as a bound
value (for full-text search, after :func:`khabar.store.text.fts_query` has
made it inert). WHERE clauses are assembled from fixed fragments only.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from khabar.errors import KhabarError
from khabar.store.text import fts_query, is_fts_syntax_error, loose_key, name_key, raw_fts_query, snippet

__all__ = [
    "documents",
    "document",
    "has_document",
    "known_texts",
    "actors",
    "actor",
    "mentions",
    "assertions",
    "search",
    "counts",
]

_DOC_COLUMNS = "id, name, path, source, url, title, published, language, duplicate_of, ingested_at"


_CACHE: dict[tuple, tuple[int, list[dict[str, Any]]]] = {}
_CACHE_SIZE = 256


def _cached(fn):
    """Cache a reader's rows per database file and revision (see migrations: every write bumps
    it), across connections, so that pages asking the same question again cost a lookup.
    Each call gets its own copies of the row dicts."""
    import functools

    def shared(conn: sqlite3.Connection, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        """The cached rows themselves, for readers in this module that pick from them and copy
        only what they return (never to be changed)."""
        path = conn.execute("PRAGMA database_list").fetchone()[2]
        try:
            revision = conn.execute("SELECT n FROM revision").fetchone()[0]
        except sqlite3.OperationalError:
            revision = None
        if not path or revision is None:
            return fn(conn, *args, **kwargs)
        key = (path, fn.__name__, args, tuple(sorted(kwargs.items())))
        hit = _CACHE.get(key)
        if hit is None or hit[0] != revision:
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.clear()
            hit = (revision, fn(conn, *args, **kwargs))
            _CACHE[key] = hit
        return hit[1]

    @functools.wraps(fn)
    def wrapper(conn: sqlite3.Connection, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        return [dict(row) for row in shared(conn, *args, **kwargs)]

    wrapper.shared = shared  # type: ignore[attr-defined]
    return wrapper


def where(*conditions: tuple[str, Any]) -> tuple[str, list[Any]]:
    """A WHERE clause from fixed fragments: each ``(fragment, value)`` counts when the value
    is not None; a fragment with several ``?`` takes a tuple of values."""
    clauses, params = [], []
    for fragment, value in conditions:
        if value is None:
            continue
        clauses.append(fragment)
        params += list(value) if isinstance(value, tuple) else [value]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def page(sql: str, params: list[Any], limit: int | None, offset: int = 0) -> tuple[str, list[Any]]:
    """``sql`` and ``params`` for a page of ``limit`` rows from ``offset`` (all rows when
    ``limit`` is None): every list reader pages the same way."""
    if limit is None:
        return sql, params
    return sql + " LIMIT ? OFFSET ?", [*params, int(limit), int(offset)]


# Rows that come with their document's title, source, date, url and name, and the source's grade.
_DOC_FIELDS = "d.title, d.source, d.published, d.url, d.name, s.reliability"


def page_field(alias: str, column: str = '"start"') -> str:
    """The ``page`` (1-based) of a row's ``start`` in a paged document (a PDF), from the page
    starts stored with it (migration 14); NULL for a document without pages. Evidence cites
    it as "p. 12"."""
    return (f"CASE WHEN d.pages IS NULL THEN NULL ELSE (SELECT COUNT(*) FROM json_each(d.pages) "
            f"WHERE json_each.value <= {alias}.{column}) END AS page")


def doc_fields(alias: str) -> str:
    """_DOC_FIELDS and the page of the row (``alias``) in its document."""
    return f"{_DOC_FIELDS}, {page_field(alias)}"


def _with_document(table: str, alias: str) -> str:
    return (f"FROM {table} {alias} JOIN documents d ON d.id = {alias}.doc_id "
            "LEFT JOIN sources s ON s.name = d.source")


def sort_terms(key: str | None, sorts: dict[str, tuple[str, ...]], default: str) -> str:
    """The ORDER BY terms of a whitelisted sort: ``key`` is a name of ``sorts`` (ascending) or
    that name after "-" (descending); ``sorts`` gives each name its columns (fixed SQL, never
    from the request), the direction applied to each. Anything else: E350 naming the sorts."""
    key = key or default
    columns = sorts.get(key.removeprefix("-"))
    if columns is None:
        raise KhabarError("E350", f"sort={key!r}: give one of {', '.join(sorts)} (a leading '-' sorts descending)")
    direction = " DESC" if key.startswith("-") else ""
    return ", ".join(c + direction for c in columns)


# The sorts of the documents list: each follows an index (documents_order, documents_source_original).
DOCUMENT_SORTS: dict[str, tuple[str, ...]] = {
    "published": ("published IS NULL", "published", "name", "id"),
    "source": ("source", "duplicate_of", "rowid"),
}


def documents(conn: sqlite3.Connection, include_duplicates: bool = False, limit: int | None = None,
              offset: int = 0, order: str | None = None, source: str | None = None) -> list[dict[str, Any]]:
    """Every document's metadata (not its text: see :func:`document`), oldest first, or a
    page of them (``limit``/``offset``).

    Duplicates are left out unless ``include_duplicates``. ``length`` is the
    text's length in characters. ``order``: a sort of :data:`DOCUMENT_SORTS` ("-published":
    the latest first); ``source``: only that source's documents.
    """
    clause, params = where(("duplicate_of IS NULL", None if include_duplicates else ()), ("source = ?", source))
    sql = f"SELECT {_DOC_COLUMNS}, length(text) AS length FROM documents{clause}"
    # undated last, as the documents_order index reads them
    sql += " ORDER BY " + sort_terms(order, DOCUMENT_SORTS, "published")
    sql, params = page(sql, params, limit, offset)
    return [dict(r) for r in conn.execute(sql, params)]


def count_documents(conn: sqlite3.Connection, include_duplicates: bool = False, source: str | None = None) -> int:
    """How many documents :func:`documents` lists with these filters (no page)."""
    clause, params = where(("duplicate_of IS NULL", None if include_duplicates else ()), ("source = ?", source))
    return int(conn.execute(f"SELECT COUNT(*) FROM documents{clause}", params).fetchone()[0])


def document_sources(conn: sqlite3.Connection) -> list[str]:
    """The sources that documents name, for a filter's choices (read from the small sources
    table and the documents_source index, never the documents' text)."""
    return [r[0] for r in conn.execute("SELECT DISTINCT source FROM documents WHERE source IS NOT NULL "
                                       "ORDER BY source")]


def document(conn: sqlite3.Connection, id: str) -> dict[str, Any] | None:
    """One document with its text, or ``None``."""
    row = conn.execute(f"SELECT {_DOC_COLUMNS}, text FROM documents WHERE id = ?", (id,)).fetchone()
    return dict(row) if row else None


def document_meta(conn: sqlite3.Connection, id: str) -> dict[str, Any] | None:
    """A stored document's name, path and metadata (not its text), or ``None``."""
    row = conn.execute("SELECT name, path, source, url, title, published, duplicate_of FROM documents "
                       "WHERE id = ?", (id,)).fetchone()
    return dict(row) if row else None


def documents_of(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The metadata of the given documents (not their text), by id: what a page of events
    or ties needs, without reading every document of the base."""
    ids = sorted(set(ids))
    out: dict[str, dict[str, Any]] = {}
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        rows = conn.execute("SELECT id, name, title, source, published, url, duplicate_of FROM documents "
                            f"WHERE id IN ({', '.join('?' for _ in chunk)})", chunk)
        out.update({row["id"]: dict(row) for row in rows})
    return out


def has_document(conn: sqlite3.Connection, id: str) -> bool:
    """Whether a document (original or duplicate) with this id is stored."""
    return conn.execute("SELECT 1 FROM documents WHERE id = ?", (id,)).fetchone() is not None


def known_texts(conn: sqlite3.Connection, include_duplicates: bool = False) -> Iterator[tuple[str, str]]:
    """Yield ``(id, text)`` of stored documents, to seed near-duplicate detection.

    Lazy, so a large corpus is not held in memory; finish iterating before
    writing on the same connection.
    """
    sql = "SELECT id, text FROM documents"
    if not include_duplicates:
        sql += " WHERE duplicate_of IS NULL"
    for row in conn.execute(sql + " ORDER BY id"):
        yield row["id"], row["text"]


def _actor_dict(row: sqlite3.Row, surfaces: list[str]) -> dict[str, Any]:
    data = dict(row)
    data["listed"] = bool(data["listed"])
    data["aliases"] = json.loads(data["aliases"] or "[]")
    data["surfaces"] = surfaces
    return data


@_cached
def actors(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every actor with ``mentions`` and ``documents`` counts and the
    ``surfaces`` it was found under (most frequent first); most-mentioned first."""
    # the counts are kept as documents are written (actor_stats, actor_surfaces): no mention is read
    surfaces: dict[str, list[str]] = {}
    for row in conn.execute("SELECT actor_id, surface FROM actor_surfaces ORDER BY actor_id, n DESC, surface"):
        surfaces.setdefault(row["actor_id"], []).append(row["surface"])
    rows = conn.execute(
        "SELECT a.*, COALESCE(s.mentions, 0) AS mentions, COALESCE(s.documents, 0) AS documents "
        "FROM actors a LEFT JOIN actor_stats s ON s.actor_id = a.id "
        "ORDER BY mentions DESC, a.name COLLATE NOCASE, a.id"
    )
    return [_actor_dict(r, surfaces.get(r["id"], [])) for r in rows]


def actor_by_id(conn: sqlite3.Connection, actor_id: str) -> dict[str, Any] | None:
    """One actor by its id, shaped as in :func:`actors`, read by key (not the whole list)."""
    row = conn.execute(
        "SELECT a.*, COALESCE(s.mentions, 0) AS mentions, COALESCE(s.documents, 0) AS documents "
        "FROM actors a LEFT JOIN actor_stats s ON s.actor_id = a.id WHERE a.id = ?", (actor_id,)).fetchone()
    if row is None:
        return None
    surfaces = [r[0] for r in conn.execute(
        "SELECT surface FROM actor_surfaces WHERE actor_id = ? ORDER BY n DESC, surface", (actor_id,))]
    return _actor_dict(row, surfaces)


def actor(conn: sqlite3.Connection, id_or_name: str) -> dict[str, Any] | None:
    """Find one actor (shaped as in :func:`actors`) by what a user would type.

    Tried in order, first hit wins: the exact id; then, ignoring case and
    spacing, the id, the canonical name, an alias, a surface seen in the
    documents; then the same again ignoring punctuation and accents too (so
    "Al Qaeda" finds "al-Qaeda"). Among several actors on one level, a
    gazetteer actor beats an NER-only one, then the most-mentioned wins.
    """
    exact = actor_by_id(conn, id_or_name)
    if exact is not None:
        return exact
    everyone = actors.shared(conn)  # already ordered by mentions, most first; copied on return
    index = _name_index.shared(conn)
    for k, key in enumerate(_NAME_KEYS):
        wanted = key(id_or_name)
        if not wanted:
            return None
        for level in range(4):
            found = index[k * 4 + level].get(wanted)
            if found is not None:
                return dict(everyone[found])
    return None


_NAME_KEYS = (name_key, loose_key)


@_cached
def _name_index(conn: sqlite3.Connection) -> list[dict[str, int]]:
    """For :func:`actor`: per name key and level (id, name, alias, surface), each key's actor
    as a position in :func:`actors` (a gazetteer actor before an NER-only one, then the most
    mentioned), built once per revision: a lookup must not normalise every name of the base."""
    everyone = actors.shared(conn)
    out: list[dict[str, int]] = [{} for _ in range(len(_NAME_KEYS) * 4)]
    for k, key in enumerate(_NAME_KEYS):
        for i, a in enumerate(everyone):
            for level, names in enumerate(([a["id"]], [a["name"]], a["aliases"], a["surfaces"])):
                bucket = out[k * 4 + level]
                for n in names:
                    value = key(n)
                    if not value:
                        continue
                    held = bucket.get(value)
                    if held is None or (a["listed"] and not everyone[held]["listed"]):
                        bucket[value] = i
    return out


def mentions(
    conn: sqlite3.Connection, doc_id: str | None = None, actor_id: str | None = None
) -> list[dict[str, Any]]:
    """Mentions, optionally of one document and/or one actor, in text order."""
    clause, params = where(("m.doc_id = ?", doc_id), ("m.actor_id = ?", actor_id))
    sql = (
        'SELECT m.doc_id, m."start", m."end", m.surface, m.actor_id, m.score, m.via, '
        "a.name AS actor_name FROM mentions m JOIN actors a ON a.id = m.actor_id"
        + clause
        + ' ORDER BY m.doc_id, m."start", m.id'
    )
    return [dict(r) for r in conn.execute(sql, params)]


@_cached
def assertions(
    conn: sqlite3.Connection,
    actor_id: str | None = None,
    type: str | None = None,
    doc_id: str | None = None,
) -> list[dict[str, Any]]:
    """Assertions with their document's ``title``, ``source``, ``published``,
    ``url`` and ``name``, and the source's ``reliability``.

    ``actor_id`` matches either end of the tie. Ordered by publication date,
    then by position in the document.
    """
    clause, params = where(("(x.subject = ? OR x.object = ?)", None if actor_id is None else (actor_id, actor_id)),
                           ("x.type = ?", type), ("x.doc_id = ?", doc_id))
    sql = (
        f"SELECT x.*, {doc_fields('x')} {_with_document('assertions', 'x')}"
        + clause
        + ' ORDER BY d.published NULLS LAST, x.doc_id, x."start", x.id'
    )
    out = []
    for r in conn.execute(sql, params):
        d = dict(r)
        d["aid"] = assertion_id(d)
        out.append(d)
    return out


def assertion_id(a: dict[str, Any]) -> str:
    """An assertion's stable id ("as-…"): the same evidence gets the same id after re-extraction,
    so an analyst's confirmation or rejection stays attached to it."""
    key = "|".join(str(a.get(k)) for k in ("doc_id", "start", "end", "subject", "type", "object", "trigger"))
    return "as-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def place_mentions(conn: sqlite3.Connection, doc_id: str) -> list[dict[str, Any]]:
    """The places a document names, in text order."""
    sql = 'SELECT doc_id, "start", "end", surface, place FROM place_mentions WHERE doc_id = ? ORDER BY "start"'
    return [dict(r) for r in conn.execute(sql, (doc_id,))]


@_cached
def event_reports(conn: sqlite3.Connection, doc_id: str | None = None) -> list[dict[str, Any]]:
    """Event reports (lists decoded) with their document's ``title``, ``source``,
    ``published``, ``url`` and ``name`` and the source's ``reliability``; originals
    only (a near-duplicate has no rows of its own). Ordered by event date."""
    clause, params = where(("e.doc_id = ?", doc_id))
    sql = (
        f"SELECT e.*, {doc_fields('e')} {_with_document('event_reports', 'e')}"
        + clause
        + ' ORDER BY e.date_start NULLS LAST, e.doc_id, e."start", e.id'
    )
    out = []
    for row in conn.execute(sql, params):
        d = dict(row)
        for key in ("actors", "targets", "claimed_by"):
            d[key] = json.loads(d[key])
        out.append(d)
    return out


# The sorts of the judgments list: by the document's date, or by due date or speaker (each of
# these two read in the order of its index, judgments_due and judgments_speaker).
JUDGMENT_SORTS: dict[str, tuple[str, ...]] = {
    "published": ("d.published IS NULL", "d.published", "j.doc_id", 'j."start"'),
    "due": ("j.due", "j.rowid"),
    "speaker": ("j.speaker", "j.rowid"),
}


@_cached
def judgments(conn: sqlite3.Connection, doc_id: str | None = None, speaker: str | None = None,
              about: tuple[str, ...] | None = None, due_by: str | None = None, limit: int | None = None,
              offset: int = 0, resolved: bool = False, order: str | None = None) -> list[dict[str, Any]]:
    """Judgments with their document's ``title``, ``source``, ``published``, ``url`` and
    ``name``, the source's ``reliability``, and the analyst's latest recorded
    ``outcome`` (1 yes, 0 no, None unresolved) and when it was recorded.

    ``about``: judgments about one of these actors or spoken for one of them; ``due_by``:
    those due on or before this day with no outcome yet; ``limit``/``offset``: a page;
    ``resolved``: only those an analyst recorded an outcome for (found through the log);
    ``order``: a sort of :data:`JUDGMENT_SORTS` (default: by the document's publication)."""
    clause, params = where(
        ("j.doc_id = ?", doc_id), ("j.speaker = ? COLLATE NOCASE", speaker),
        (f"(j.speaker_actor IN ({', '.join('?' for _ in about or ())}) OR EXISTS (SELECT 1 FROM json_each(j.about) "
         f"WHERE json_each.value IN ({', '.join('?' for _ in about or ())})))",
         None if not about else tuple(about) + tuple(about)),
        ("j.due <= ?", due_by),
        ("j.id IN (SELECT target FROM analyst_actions WHERE kind = 'resolve' AND undone_at IS NULL)",
         () if resolved else None),
        # by due date: the judgments that have one (read along the judgments_due index)
        ("j.due IS NOT NULL", () if (order or "").removeprefix("-") == "due" else None))
    sql = (
        f"SELECT * FROM (SELECT j.*, {doc_fields('j')}, "
        "(SELECT json_extract(a.payload, '$.outcome') FROM analyst_actions a WHERE a.kind = 'resolve' "
        " AND a.target = j.id AND a.undone_at IS NULL ORDER BY a.id DESC LIMIT 1) AS outcome, "
        "(SELECT a.at FROM analyst_actions a WHERE a.kind = 'resolve' AND a.target = j.id "
        " AND a.undone_at IS NULL ORDER BY a.id DESC LIMIT 1) AS resolved_at "
        + _with_document("judgments", "j")
        + clause
        + " ORDER BY " + sort_terms(order, JUDGMENT_SORTS, "published") + ")"
        + (" WHERE outcome IS NULL" if due_by else "")
    )
    sql, params = page(sql, params, limit, offset)
    out = []
    for row in conn.execute(sql, params):
        d = dict(row)
        d["about"] = json.loads(d["about"])
        out.append(d)
    return out


def coverage(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Per original document: its publication date, the actors it mentions and the
    places it names (for how much the corpus talks about an actor or place, and when)."""
    docs = {
        r["id"]: {"doc_id": r["id"], "published": r["published"], "actors": set(), "places": set()}
        for r in conn.execute("SELECT id, published FROM documents WHERE duplicate_of IS NULL")
    }
    for doc_id, actor_id in conn.execute("SELECT DISTINCT doc_id, actor_id FROM mentions"):
        if doc_id in docs:
            docs[doc_id]["actors"].add(actor_id)
    for doc_id, place in conn.execute("SELECT DISTINCT doc_id, place FROM place_mentions"):
        if doc_id in docs:
            docs[doc_id]["places"].add(place)
    return list(docs.values())


# matching sentences ranked at most (the latest ones) for one search: ranking is the cost of a
# search for a word in very many sentences (bm25 over each), and a page shows twenty
SEARCH_WINDOW = 1000


def search_match(query: str, raw: bool = False) -> str | None:
    """The FTS5 MATCH expression of a search: free text made inert (:func:`fts_query`), or with
    ``raw`` the analyst's own expression (too long: E315); None when nothing is searchable."""
    if not raw:
        return fts_query(query)
    try:
        return raw_fts_query(query)
    except ValueError as exc:
        raise KhabarError("E315", str(exc)) from None


ALIAS_NAMES = 40  # names of one actor ORed into a search at most
# Words coreference ties to an actor ("they said"): names in the documents' surfaces that are no name.
_NOT_NAMES = frozenset({"it", "its", "they", "them", "their", "theirs", "themselves", "he", "him", "his", "she",
                        "her", "we", "our", "us", "group", "the group", "movement", "the movement", "organisation",
                        "organization", "the organisation", "the organization"})


def _proper_name(text: Any) -> bool:
    """Whether a surface seen in the documents reads as a name (capitalised, not a pronoun)."""
    text = str(text or "").strip()
    return len(text) >= 2 and not text[0].islower() and text.casefold() not in _NOT_NAMES


def expand_names(query: str, find: Any) -> tuple[str | None, list[tuple[str, list[str]]]]:
    """``query`` (free text) as an FTS5 expression in which a name of an actor matches every name
    the actor goes by: "ISKP" finds sentences that say "ISIS-K" or "Islamic State Khorasan".

    ``find(text)`` gives the actor a text names (a dict with ``id``, ``name``, ``aliases``,
    ``listed`` and ``surfaces``) or None; an actor's names are its name, id and aliases (the
    gazetteer's and the analyst's), and for an actor only NER found (no aliases) the capitalised
    names the documents use for it (never the pronouns coreference ties to it). The whole query is tried as one name first, then each word or
    "quoted phrase" on its own; each name found becomes a group ``("a" OR "b" ...)`` of the
    actor's names (every one quoted, so nothing of them is FTS syntax), the groups and the other
    terms ANDed; the words as typed are always one of the names. Returns the expression (None when nothing is searchable) and, per expanded
    term, the actor's name and the names it matched."""
    from khabar.store.text import _TERM, _has_token

    def names_of(actor: dict[str, Any]) -> list[Any]:
        names = [actor.get("name"), actor.get("id"), *(actor.get("aliases") or [])]
        if not actor.get("listed", True):  # an actor NER found has no aliases: the names the documents use
            names += [n for n in actor.get("surfaces") or [] if _proper_name(n)]
        return names

    def named(text: str) -> dict[str, Any] | None:
        """The actor ``text`` is a name of: one of the names above, not merely a word the
        documents once used for it ("group", "Kabul" for the Taliban's government)."""
        actor = find(text) if len(text) >= 2 else None
        if actor is None:
            return None
        keys = {k for n in names_of(actor) for k in (name_key(str(n or "")), loose_key(str(n or "")))}
        return actor if name_key(text) in keys or loose_key(text) in keys else None

    def group(actor: dict[str, Any], typed: str) -> tuple[str, list[str]]:
        names = [typed, *names_of(actor)]
        seen: dict[str, str] = {}
        for n in names:
            text = " ".join(str(n or "").replace('"', " ").split())
            if _has_token(text):
                seen.setdefault(text.casefold(), text)
        kept = list(seen.values())[:ALIAS_NAMES]
        return "(" + " OR ".join(f'"{n}"' for n in kept) + ")", kept

    text = " ".join(query.replace('"', " ").split())
    whole = named(text) if text and len(text) <= 200 else None
    if whole is not None:
        expression, kept = group(whole, text)
        return expression, [(str(whole.get("name") or whole.get("id")), kept)]
    parts, expanded = [], []
    for match in _TERM.finditer(query):
        phrase, word = match.groups()
        term = " ".join((phrase if phrase is not None else word.replace('"', "")).split())
        if not _has_token(term):
            continue
        actor = named(term)
        if actor is not None:
            expression, kept = group(actor, term)
            parts.append(expression)
            expanded.append((str(actor.get("name") or actor.get("id")), kept))
        else:
            parts.append(f'"{term}"')
    return (" AND ".join(parts) or None), expanded


# The orders of a filtered search: best match first, or by the document's date.
SEARCH_SORTS: dict[str, tuple[str, ...]] = {
    "rank": ("hit.rank", "s.id"),
    "published": ("d.published IS NULL", "d.published", "s.id"),
}
FACET_ROWS = 12  # values of each facet shown


# A term in more than this share of the sentences around its latest matches is listed newest
# first: bm25 would read the term's whole posting list for its weight (about 50 ms for a name
# in 40% of a million documents' sentences), and for so common a term it ranks little but length.
COMMON_SHARE = 0.05


def _window_floor(conn: sqlite3.Connection, match: str) -> int:
    """The lowest rowid of the latest ``SEARCH_WINDOW`` sentences matching ``match`` (0: all of them)."""
    return _window(conn, match)[0]


def _window(conn: sqlite3.Connection, match: str) -> tuple[int, bool]:
    """(the window's lowest rowid, whether ``match`` is so common that it is listed newest first):
    only a full window can be (fewer matches are ranked whatever they are)."""
    floor = conn.execute("SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? ORDER BY rowid DESC "
                         "LIMIT 1 OFFSET ?", (match, SEARCH_WINDOW - 1)).fetchone()
    if floor is None:
        return 0, False
    top = conn.execute("SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? ORDER BY rowid DESC LIMIT 1",
                       (match,)).fetchone()[0]
    return floor[0], SEARCH_WINDOW / (top - floor[0] + 1) > COMMON_SHARE


def _ranked(common: bool) -> str:
    """The window's rows with a rank: bm25's, or for a common term newest first."""
    return ("SELECT rowid, -rowid AS rank FROM sentences_fts" if common
            else "SELECT rowid, rank FROM sentences_fts")


def _search_filter(source: str | None, year: str | None, actor: str | None) -> tuple[str, list[Any]]:
    clause, params = where(("d.duplicate_of IS NULL", ()), ("d.source = ?", source),
                           ("substr(d.published, 1, 4) = ?", year),
                           ('EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id = s.doc_id AND m.actor_id = ? '
                            'AND m."start" >= s."start" AND m."end" <= s."end")', actor))
    return clause, params


def search_filtered(conn: sqlite3.Connection, match: str, limit: int = 20, offset: int = 0, *,
                    source: str | None = None, year: str | None = None, actor: str | None = None,
                    order: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """A page of the sentences matching the FTS5 expression ``match`` (among the latest
    ``SEARCH_WINDOW``, as :func:`search`), those of one ``source``, one ``year`` of publication
    or naming one ``actor`` (an id: a mention inside the sentence), in ``order`` (a sort of
    :data:`SEARCH_SORTS`); and how many of the window's sentences pass the filters.
    Hits are shaped as :func:`search` gives them."""
    terms = sort_terms(order, SEARCH_SORTS, "rank")
    clause, params = _search_filter(source, year, actor)
    floor, common = _window(conn, match)
    joined = ("JOIN sentences s ON s.id = hit.rowid JOIN documents d ON d.id = s.doc_id" + clause)
    total = conn.execute("SELECT COUNT(*) FROM (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? "
                         f"AND rowid >= ?) AS hit {joined}", [match, floor, *params]).fetchone()[0]
    # the page is chosen first, then only its sentences get a snippet (made here: see text.snippet)
    sql = (
        "SELECT s.doc_id, d.title, d.source, d.published, d.name, d.url, "
        's."start" AS sentence_start, s."end" AS sentence_end, s.text AS sentence_text, ' + page_field("s") + " "
        f"FROM ({_ranked(common)} WHERE sentences_fts MATCH ? AND rowid >= ?) AS hit "
        f"{joined} ORDER BY {terms} LIMIT ? OFFSET ?"
    )
    rows = [dict(r) for r in conn.execute(sql, [match, floor, *params, int(limit), int(offset)])]
    return [_with_snippet(r, match) for r in rows], int(total)


def _with_snippet(row: dict[str, Any], match: str) -> dict[str, Any]:
    row["snippet"] = snippet(row.pop("sentence_text"), match)
    return row


def search_facets(conn: sqlite3.Connection, match: str, n: int = FACET_ROWS) -> dict[str, list[tuple[str, str, int]]]:
    """How the sentences matching ``match`` (the latest ``SEARCH_WINDOW`` of them, originals
    only) spread over sources, years of publication and the actors they name: per facet, the
    ``n`` commonest ``(value, label, count)``, counted in SQL over the matching rowids."""
    floor = _window_floor(conn, match)
    hits = ("FROM (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? AND rowid >= ?) AS hit "
            "JOIN sentences s ON s.id = hit.rowid JOIN documents d ON d.id = s.doc_id ")
    base = [match, floor]
    out: dict[str, list[tuple[str, str, int]]] = {}
    rows = conn.execute(f"SELECT d.source, COUNT(*) AS n {hits} WHERE d.duplicate_of IS NULL AND d.source IS NOT NULL "
                        "GROUP BY d.source ORDER BY n DESC, d.source LIMIT ?", [*base, n])
    out["source"] = [(r[0], r[0], r[1]) for r in rows]
    rows = conn.execute(f"SELECT substr(d.published, 1, 4) AS y, COUNT(*) AS n {hits} WHERE d.duplicate_of IS NULL "
                        "AND d.published IS NOT NULL GROUP BY y ORDER BY y DESC LIMIT ?", [*base, n])
    out["year"] = [(r[0], r[0], r[1]) for r in rows]
    rows = conn.execute(
        f"SELECT m.actor_id, a.name, COUNT(DISTINCT s.id) AS n {hits}"
        'JOIN mentions m ON m.doc_id = s.doc_id AND m."start" >= s."start" AND m."end" <= s."end" '
        "JOIN actors a ON a.id = m.actor_id WHERE d.duplicate_of IS NULL "
        "GROUP BY m.actor_id ORDER BY n DESC, a.name LIMIT ?", [*base, n])
    out["actor"] = [(r[0], r[1], r[2]) for r in rows]
    return out


def search(conn: sqlite3.Connection, query: str, limit: int = 20, offset: int = 0,
           raw: bool = False) -> list[dict[str, Any]]:
    """Full-text search over sentences, best match first (among the latest ``SEARCH_WINDOW``
    matching sentences when a query matches more; a query matching more than one sentence in
    twenty around its latest matches, ``COMMON_SHARE``, is listed newest first).

    ``query`` is free text (see :func:`khabar.store.text.fts_query`): words
    are ANDed, a ``"quoted phrase"`` must occur as written, and nothing typed
    is treated as FTS5 syntax. With ``raw=True`` it is an FTS5 expression
    (``A OR B``, ``tali*``, ``NEAR(a b)``: :func:`khabar.store.text.raw_fts_query`)
    and a malformed one is a ``KhabarError`` E315, not an SQLite error. Each hit gives
    ``doc_id``, ``title``, ``source``, ``published``, ``name``, ``url``,
    ``sentence_start``, ``sentence_end`` and a ``snippet`` with matches marked «thus».
    """
    match = search_match(query, raw)
    if match is None or limit <= 0:
        return []
    try:
        return _search(conn, match, limit, offset)
    except sqlite3.OperationalError as exc:
        if raw and is_fts_syntax_error(exc):
            raise KhabarError("E315", f"{query.strip()!r} is not a full-text query SQLite can read ({exc})") from None
        raise


def _search(conn: sqlite3.Connection, match: str, limit: int, offset: int) -> list[dict[str, Any]]:
    # The best matches are chosen inside the full-text index, then joined to their sentence
    # and document. Ranking means scoring every match, so for a word found in very many
    # sentences only the latest SEARCH_WINDOW of them are ranked (found by rowid, newest
    # first, which the index streams without scoring): the cost is bounded, whatever the
    # size of the archive.
    # A term in very many sentences is listed newest first (see COMMON_SHARE).
    floor, common = _window(conn, match)
    sql = (
        "SELECT s.doc_id, d.title, d.source, d.published, d.name, d.url, "
        's."start" AS sentence_start, s."end" AS sentence_end, s.text AS sentence_text, ' + page_field("s") + " "
        f"FROM ({_ranked(common)} "
        "      WHERE sentences_fts MATCH ? AND rowid >= ? ORDER BY rank LIMIT ? OFFSET ?) AS hit "
        "JOIN sentences s ON s.id = hit.rowid JOIN documents d ON d.id = s.doc_id "
        "WHERE d.duplicate_of IS NULL ORDER BY hit.rank, s.id"
    )
    params = (match, floor, int(limit), int(offset))
    return [_with_snippet(dict(r), match) for r in conn.execute(sql, params)]


# The sorts of the sources list (a small table).
SOURCE_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("s.name COLLATE NOCASE",),
    "kind": ("s.kind", "s.name COLLATE NOCASE"),
    "reliability": ("s.reliability", "s.name COLLATE NOCASE"),
    "documents": ("documents", "s.name COLLATE NOCASE"),
}


def sources(conn: sqlite3.Connection, order: str | None = None, reliability: str | None = None,
            kind: str | None = None) -> list[dict[str, Any]]:
    """Every source (of one ``reliability`` grade, of one ``kind``) with its kind, grade and
    number of original documents (each counted through the documents_source_original index),
    in ``order`` (:data:`SOURCE_SORTS`)."""
    clause, params = where(("s.reliability = ?", reliability), ("s.kind = ?", kind))
    sql = ("SELECT s.name, s.kind, s.reliability, (SELECT COUNT(*) FROM documents d WHERE d.source = s.name "
           f"AND d.duplicate_of IS NULL) AS documents FROM sources s{clause} ORDER BY "
           + sort_terms(order, SOURCE_SORTS, "name"))
    return [dict(r) for r in conn.execute(sql, params)]


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How much is stored. ``documents`` counts originals only; ``duplicates``
    the near-duplicates recorded alongside them."""
    one = lambda sql: int(conn.execute(sql).fetchone()[0] or 0)  # noqa: E731
    kept = dict(conn.execute("SELECT name, n FROM row_counts").fetchall())  # kept by trigger: no table counted
    return {
        "documents": kept.get("documents", 0),
        "duplicates": kept.get("duplicates", 0),
        "actors": one("SELECT COUNT(*) FROM actors"),
        "mentions": one("SELECT SUM(mentions) FROM actor_stats"),
        "assertions": kept.get("assertions", 0),
        "event_reports": kept.get("event_reports", 0),
        "judgments": kept.get("judgments", 0),
        "sources": one("SELECT COUNT(*) FROM sources"),
        "sentences": kept.get("sentences", 0),
    }
