"""STORE: khabar's SQLite knowledge base.

* :mod:`.migrations`: the schema as append-only migrations, and ``migrate``;
* :mod:`.db`: ``connect`` (WAL, foreign keys), ``transaction`` and ``Store``;
* :mod:`.write`: the one write path for machine output, a document per
  transaction, all or nothing;
* :mod:`.read`: queries returning plain dicts, including full-text search;
* :mod:`.text`: making user text safe for FTS5 and for name lookup.

Analyst work (``analyst_actions``) is kept apart from machine output and is
never touched by re-extraction.
"""

from khabar.store.analyst import KINDS, actions, record_action, undo_action
from khabar.store.db import Store, connect, transaction
from khabar.store.migrations import MIGRATIONS, current_version, migrate
from khabar.store.read import (
    actor,
    actors,
    assertion_id,
    assertions,
    counts,
    coverage,
    document,
    document_meta,
    documents,
    documents_of,
    event_reports,
    has_document,
    judgments,
    known_texts,
    mentions,
    place_mentions,
    search,
)
from khabar.store.text import fts_query
from khabar.store.write import (
    record_duplicate,
    update_document_meta,
    upsert_actor,
    upsert_source,
    write_document,
)

__all__ = [
    "KINDS",
    "actions",
    "record_action",
    "undo_action",
    "MIGRATIONS",
    "Store",
    "actor",
    "actors",
    "assertion_id",
    "assertions",
    "connect",
    "counts",
    "coverage",
    "current_version",
    "document",
    "document_meta",
    "documents",
    "documents_of",
    "event_reports",
    "fts_query",
    "has_document",
    "judgments",
    "known_texts",
    "mentions",
    "place_mentions",
    "migrate",
    "record_duplicate",
    "search",
    "update_document_meta",
    "transaction",
    "upsert_actor",
    "upsert_source",
    "write_document",
]
