"""The one write path for machine output.

Every machine-made row (document, sentences, mentions, assertions, actors,
sources) enters the database through this module, one document per
transaction. Writing a document replaces all the machine rows it had before,
so re-running extraction is idempotent, and a failure part-way leaves the
database as it was before that document: never half a document.

The analyst layer (``analyst_actions``) is never touched here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from datetime import UTC, datetime

from khabar.schema import Actor, Assertion, Document, EventReport, Extraction, Judgment, Mention, Source
from khabar.store.db import transaction
from khabar.store.events import attach_document, detach_document
from khabar.store.persons import forget_document, index_document

__all__ = ["write_document", "record_duplicate", "upsert_source", "upsert_actor"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def upsert_source(conn: sqlite3.Connection, source: Source) -> None:
    """Insert or update a source's kind and reliability grade."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO sources (name, kind, reliability) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, reliability = excluded.reliability "
            # an update to the same values would still fire the revision trigger (empty every cache)
            "WHERE kind IS NOT excluded.kind OR reliability IS NOT excluded.reliability",
            (source.name, source.kind, source.reliability),
        )


def _merge_aliases(*lists: list[str]) -> list[str]:
    """Union of alias lists, first spelling wins, case-insensitively unique."""
    seen: set[str] = set()
    merged: list[str] = []
    for names in lists:
        for name in names:
            key = name.strip().casefold()
            if key and key not in seen:
                seen.add(key)
                merged.append(name.strip())
    return merged


def upsert_actor(conn: sqlite3.Connection, actor: Actor) -> None:
    """Insert ``actor`` or merge it into the existing row with the same id.

    Runs in its own transaction, or as a savepoint of the caller's (so a
    gazetteer can be loaded in one commit). A gazetteer (listed) row is authoritative: an
    unlisted (NER-only) actor with the same id can add aliases to it but never
    overwrite its name, kind or links, nor flip it to unlisted. Known parent,
    country or wikidata values are never blanked by a record that lacks them.
    """
    with transaction(conn):
        _upsert_actor(conn, actor)


def _upsert_actor(conn: sqlite3.Connection, actor: Actor) -> None:
    row = conn.execute("SELECT * FROM actors WHERE id = ?", (actor.id,)).fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO actors (id, name, kind, parent, country, wikidata, listed, aliases) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                actor.id,
                actor.name,
                actor.kind,
                actor.parent,
                actor.country,
                actor.wikidata,
                int(bool(actor.listed)),
                json.dumps(_merge_aliases(actor.aliases), ensure_ascii=False),
            ),
        )
        return
    old = dict(row)
    stored = json.loads(old["aliases"] or "[]")
    known = {a.strip().casefold() for a in stored}
    extra = [a for a in actor.aliases if a.strip().casefold() not in known]
    aliases = _merge_aliases(stored, extra) if extra else stored
    if old["listed"] and not actor.listed:
        # Downgrade attempt: keep the gazetteer row, learn only the spellings.
        new = {**old, "aliases": aliases}
    else:
        # The incoming record is at least as authoritative as the stored one.
        new = {
            "name": actor.name,
            # "other" is the default, not a finding: do not let it erase a kind.
            "kind": actor.kind if actor.kind != "other" else old["kind"],
            "parent": actor.parent or old["parent"],
            "country": actor.country or old["country"],
            "wikidata": actor.wikidata or old["wikidata"],
            "listed": int(bool(actor.listed) or bool(old["listed"])),
            "aliases": aliases,
        }
        if new["name"] != old["name"]:
            # Keep the old canonical name findable as an alias.
            new["aliases"] = _merge_aliases(aliases, [old["name"]])
    if all(new[k] == old[k] for k in ("name", "kind", "parent", "country", "wikidata")) \
            and int(new["listed"]) == int(old["listed"]) and new["aliases"] == stored:
        return  # nothing new: no write (and no revision bump emptying every reader's cache)
    conn.execute(
        "UPDATE actors SET name = ?, kind = ?, parent = ?, country = ?, wikidata = ?, listed = ?, "
        "aliases = ? WHERE id = ?",
        (
            new["name"],
            new["kind"],
            new["parent"],
            new["country"],
            new["wikidata"],
            int(new["listed"]),
            json.dumps(new["aliases"], ensure_ascii=False),
            actor.id,
        ),
    )


def _delete_machine_rows(conn: sqlite3.Connection, doc_id: str) -> None:
    # Children first; the FTS index follows the sentences through triggers.
    detach_document(conn, doc_id)
    forget_document(conn, doc_id)  # what the document said of persons (khabar.store.persons)
    _count_mentions(conn, conn.execute(
        "SELECT actor_id, surface, COUNT(*) FROM mentions WHERE doc_id = ? GROUP BY actor_id, surface",
        (doc_id,)).fetchall(), -1)
    conn.execute("DELETE FROM assertions WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM event_reports WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM place_mentions WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM judgments WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))


def _upsert_document(conn: sqlite3.Connection, doc: Document) -> None:
    if doc.source:
        # Every source a document cites gets a row (ungraded, F) so the
        # foreign key holds; an existing grade is never overwritten here.
        conn.execute("INSERT OR IGNORE INTO sources (name) VALUES (?)", (doc.source,))
    # ON CONFLICT UPDATE, not INSERT OR REPLACE: REPLACE deletes the row first,
    # which would cascade and changes nothing we want. ingested_at is kept.
    conn.execute(
        "INSERT INTO documents (id, name, path, source, url, title, published, language, text, "
        "duplicate_of, ingested_at, pages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, path = excluded.path, "
        "source = excluded.source, url = excluded.url, title = excluded.title, "
        "published = excluded.published, language = excluded.language, text = excluded.text, "
        # a re-extraction rebuilds the Document from the row without its pages: they stay
        "duplicate_of = excluded.duplicate_of, pages = COALESCE(excluded.pages, documents.pages)",
        (
            doc.id,
            doc.name,
            doc.path,
            doc.source,
            doc.url,
            doc.title,
            doc.published,
            doc.language,
            doc.text,
            doc.duplicate_of,
            _now(),
            json.dumps(doc.pages, separators=(",", ":")) if doc.pages else None,
        ),
    )


def _check(doc: Document, extraction: Extraction) -> None:
    """Refuse an extraction that does not belong to ``doc`` (before writing)."""
    if extraction.doc_id != doc.id:
        raise ValueError(f"extraction is for {extraction.doc_id!r}, not document {doc.id!r}")
    for item in [*extraction.mentions, *extraction.assertions, *extraction.events, *extraction.places,
                 *extraction.judgments]:
        if item.doc_id != doc.id:
            raise ValueError(f"{type(item).__name__} of {item.doc_id!r} in the extraction of {doc.id!r}")
    for start, end in extraction.sentences:
        if not 0 <= start <= end <= len(doc.text):
            raise ValueError(f"sentence ({start}, {end}) is outside document {doc.id!r}")


def _check_actors(conn: sqlite3.Connection, extraction: Extraction) -> None:
    """Name every actor id the rows point at that no actor row backs.

    The foreign keys would refuse them anyway; this turns SQLite's bare
    "FOREIGN KEY constraint failed" into a message that says which id.
    """
    wanted = {m.actor_id for m in extraction.mentions}
    wanted |= {a.subject for a in extraction.assertions} | {a.object for a in extraction.assertions}
    wanted |= {x for e in extraction.events for x in e.actors + e.targets + e.claimed_by}
    missing = sorted(
        i for i in wanted if conn.execute("SELECT 1 FROM actors WHERE id = ?", (i,)).fetchone() is None
    )
    if missing:
        raise ValueError(f"extraction of {extraction.doc_id!r} refers to unknown actors: {missing}")


def _insert_sentences(conn: sqlite3.Connection, doc: Document, spans: list[tuple[int, int]]) -> None:
    conn.executemany(
        'INSERT INTO sentences (doc_id, idx, "start", "end", text) VALUES (?, ?, ?, ?, ?)',
        [(doc.id, i, s, e, doc.text[s:e]) for i, (s, e) in enumerate(spans)],
    )


def _count_mentions(conn: sqlite3.Connection, counted: list[tuple[str, str, int]], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) one document's mentions, as (actor, surface, n)
    rows, to the actor counts readers list actors from (``actor_stats``, ``actor_surfaces``)."""
    per_actor: dict[str, int] = {}
    for actor_id, surface, n in counted:
        per_actor[actor_id] = per_actor.get(actor_id, 0) + n
        conn.execute("INSERT INTO actor_surfaces (actor_id, surface, n) VALUES (?, ?, ?) "
                     "ON CONFLICT(actor_id, surface) DO UPDATE SET n = n + excluded.n", (actor_id, surface, sign * n))
    for actor_id, n in per_actor.items():
        conn.execute("INSERT INTO actor_stats (actor_id, mentions, documents) VALUES (?, ?, ?) "
                     "ON CONFLICT(actor_id) DO UPDATE SET mentions = mentions + excluded.mentions, "
                     "documents = documents + excluded.documents", (actor_id, sign * n, sign))
    if sign < 0 and per_actor:
        marks = ", ".join("?" for _ in per_actor)
        conn.execute(f"DELETE FROM actor_surfaces WHERE n <= 0 AND actor_id IN ({marks})", list(per_actor))
        conn.execute(f"DELETE FROM actor_stats WHERE mentions <= 0 AND actor_id IN ({marks})", list(per_actor))


def _insert_mentions(conn: sqlite3.Connection, mentions: list[Mention]) -> None:
    conn.executemany(
        'INSERT INTO mentions (doc_id, "start", "end", surface, actor_id, score, via) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(m.doc_id, m.start, m.end, m.surface, m.actor_id, m.score, m.via) for m in mentions],
    )


def _insert_assertions(conn: sqlite3.Connection, assertions: list[Assertion]) -> None:
    conn.executemany(
        "INSERT INTO assertions (doc_id, subject, type, object, modality, attributed_to, sentence, "
        '"start", "end", trigger, time_scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
            (
                a.doc_id,
                a.subject,
                a.type,
                a.object,
                a.modality,
                a.attributed_to,
                a.sentence,
                a.start,
                a.end,
                a.trigger,
                a.time_scope,
            )
            for a in assertions
        ],
    )


def write_document(conn: sqlite3.Connection, doc: Document, extraction: Extraction | None = None) -> None:
    """Store ``doc`` and what extraction found in it, replacing any earlier run.

    One transaction: the document row is upserted, its old sentences, mentions
    and assertions are deleted, the extraction's actors are merged in (see
    :func:`upsert_actor`) and its sentences (with their text, indexed for
    search), mentions and assertions inserted. ``extraction=None`` stores the
    document with no machine rows. Any error rolls the whole document back.
    """
    if extraction is not None:
        _check(doc, extraction)
    with transaction(conn):
        _upsert_document(conn, doc)
        _delete_machine_rows(conn, doc.id)
        if extraction is None:
            return
        for actor in extraction.actors:
            _upsert_actor(conn, actor)
        _check_actors(conn, extraction)
        _insert_sentences(conn, doc, extraction.sentences)
        _insert_mentions(conn, extraction.mentions)
        counted: dict[tuple[str, str], int] = {}
        for m in extraction.mentions:
            counted[(m.actor_id, m.surface)] = counted.get((m.actor_id, m.surface), 0) + 1
        _count_mentions(conn, [(a, s, n) for (a, s), n in counted.items()], 1)
        _insert_assertions(conn, extraction.assertions)
        _insert_events(conn, extraction.events)
        attach_document(conn, doc.id)
        _insert_judgments(conn, extraction.judgments)
        conn.executemany(
            'INSERT INTO place_mentions (doc_id, "start", "end", surface, place) VALUES (?, ?, ?, ?, ?)',
            [(p.doc_id, p.start, p.end, p.surface, p.place) for p in extraction.places],
        )
        index_document(conn, doc.id)  # the persons it names, linked to its judgments, events and ties


# Event report columns, in table order; list fields are stored as JSON.
_EVENT_COLUMNS = [f.name for f in dataclasses.fields(EventReport)]
_JSON_COLUMNS = {"actors", "targets", "claimed_by"}


def _insert_events(conn: sqlite3.Connection, events: list[EventReport]) -> None:
    cols = ", ".join(f'"{c}"' for c in _EVENT_COLUMNS)
    marks = ", ".join("?" for _ in _EVENT_COLUMNS)
    rows = []
    for e in events:  # the fields are scalars and lists of ids: no deep copy (asdict) needed
        rows.append([json.dumps(getattr(e, c), ensure_ascii=False) if c in _JSON_COLUMNS else getattr(e, c)
                     for c in _EVENT_COLUMNS])
    conn.executemany(f"INSERT INTO event_reports ({cols}) VALUES ({marks})", rows)


def judgment_id(j: Judgment) -> str:
    """A judgment's stable id: the same text, place and speaker give the same id."""
    key = f"{j.doc_id}|{j.start}|{j.end}|{j.speaker}"
    return "jd-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


_JUDGMENT_COLUMNS = [f.name for f in dataclasses.fields(Judgment)]


def _insert_judgments(conn: sqlite3.Connection, judgments: list[Judgment]) -> None:
    cols = ", ".join(f'"{c}"' for c in ["id", *_JUDGMENT_COLUMNS])
    marks = ", ".join("?" for _ in range(len(_JUDGMENT_COLUMNS) + 1))
    rows = {}
    for j in judgments:
        jid = judgment_id(j)
        rows[jid] = [jid] + [json.dumps(getattr(j, c), ensure_ascii=False) if c == "about" else getattr(j, c)
                             for c in _JUDGMENT_COLUMNS]
    conn.executemany(f"INSERT INTO judgments ({cols}) VALUES ({marks})", list(rows.values()))


def update_document_meta(conn: sqlite3.Connection, doc_id: str, values: dict[str, str | None]) -> None:
    """Set a stored document's source, url or title (a corrected sidecar); the text, and with
    it every extracted row, stays. (A new publication date needs extraction again: dates in
    the text resolve against it.)"""
    allowed = {"source", "url", "title"}
    if not values or set(values) - allowed:
        raise ValueError(f"only {sorted(allowed)} change without extraction, not {sorted(set(values) - allowed)}")
    with transaction(conn):
        if values.get("source"):
            conn.execute("INSERT OR IGNORE INTO sources (name) VALUES (?)", (values["source"],))
        cols = sorted(values)
        conn.execute(f"UPDATE documents SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                     [values[c] for c in cols] + [doc_id])


def record_duplicate(conn: sqlite3.Connection, doc: Document, duplicate_of: str) -> None:
    """Store ``doc`` as a (near-)duplicate of ``duplicate_of``, with no extraction.

    The row is kept so the repeat is visible (and counted) and so the same text
    is recognised next time without being extracted twice.
    """
    if duplicate_of == doc.id:
        raise ValueError(f"document {doc.id!r} cannot duplicate itself")
    write_document(conn, dataclasses.replace(doc, duplicate_of=duplicate_of), None)
