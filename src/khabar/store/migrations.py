"""The database schema, as an ordered list of migrations.

Each migration is ``(version, name, sql)``. ``migrate`` applies the ones a
database has not seen yet, each in its own transaction together with the row
that records it in ``schema_version``, so a failed migration leaves the
database at the previous version rather than half-upgraded. Migrations are only
ever appended: an applied migration is never edited, because databases in the
field already carry it.

Two kinds of table live here and must stay apart:

* machine output (``documents``, ``mentions``, ``sentences``, ``assertions``,
  ``actors``, ``sources``), which the write path replaces per document every
  time a document is re-extracted;
* the analyst layer (``analyst_actions``): an append-only log of what a human
  did (merge two actors, reject an assertion, grade a source...). It has no
  foreign key into machine tables and nothing in the write path touches it, so
  re-extraction never erases an analyst's work; the analyst layer is replayed
  over machine output at read time.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

__all__ = ["MIGRATIONS", "migrate", "current_version", "DEGREE_SQL"]

_INITIAL = """
CREATE TABLE sources (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL DEFAULT 'outlet',
    -- Admiralty source-reliability grade; F = "cannot be judged" until graded.
    reliability TEXT NOT NULL DEFAULT 'F'
                CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F'))
);

CREATE TABLE documents (
    id           TEXT PRIMARY KEY,          -- sha256 of the normalised text
    name         TEXT NOT NULL DEFAULT '',
    path         TEXT NOT NULL DEFAULT '',
    source       TEXT REFERENCES sources(name) ON UPDATE CASCADE,
    url          TEXT,
    title        TEXT,
    published    TEXT,                      -- partial ISO date
    language     TEXT NOT NULL DEFAULT 'en',
    text         TEXT NOT NULL,
    -- No foreign key: a batch may record a duplicate before its original.
    duplicate_of TEXT,
    ingested_at  TEXT NOT NULL,
    CHECK (duplicate_of IS NULL OR duplicate_of <> id)
);
CREATE INDEX documents_source ON documents(source);
CREATE INDEX documents_duplicate_of ON documents(duplicate_of);

CREATE TABLE actors (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL DEFAULT 'other',
    parent   TEXT,
    country  TEXT,
    wikidata TEXT,
    listed   INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1)),
    aliases  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases))
);
CREATE INDEX actors_name ON actors(name COLLATE NOCASE);

CREATE TABLE mentions (
    id       INTEGER PRIMARY KEY,
    doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    "start"  INTEGER NOT NULL,
    "end"    INTEGER NOT NULL,
    surface  TEXT NOT NULL,
    actor_id TEXT NOT NULL REFERENCES actors(id) ON UPDATE CASCADE,
    score    REAL NOT NULL DEFAULT 1.0,
    via      TEXT NOT NULL DEFAULT 'gazetteer',
    CHECK ("start" <= "end")
);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE INDEX mentions_actor ON mentions(actor_id);

-- An explicit INTEGER PRIMARY KEY, because the FTS index refers to rows by
-- rowid and an implicit rowid may be renumbered by VACUUM.
CREATE TABLE sentences (
    id      INTEGER PRIMARY KEY,
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,
    "start" INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    text    TEXT NOT NULL,
    UNIQUE (doc_id, idx)
);

-- External-content FTS5 index over sentences. remove_diacritics folds the
-- many transliterations of Arabic names (Ḥamās / Hamas) together.
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content='sentences', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
-- Triggers rather than the write path keep the index in sync, so that no
-- writer (including ON DELETE CASCADE) can forget to.
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER sentences_au AFTER UPDATE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;

CREATE TABLE assertions (
    id            INTEGER PRIMARY KEY,
    doc_id        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    subject       TEXT NOT NULL REFERENCES actors(id) ON UPDATE CASCADE,
    type          TEXT NOT NULL,
    object        TEXT NOT NULL REFERENCES actors(id) ON UPDATE CASCADE,
    modality      TEXT NOT NULL DEFAULT 'asserted'
                  CHECK (modality IN ('asserted', 'negated', 'predicted')),
    attributed_to TEXT,
    sentence      TEXT NOT NULL DEFAULT '',
    "start"       INTEGER NOT NULL DEFAULT 0,
    "end"         INTEGER NOT NULL DEFAULT 0,
    trigger       TEXT NOT NULL DEFAULT '',
    time_scope    TEXT
);
CREATE INDEX assertions_doc ON assertions(doc_id);
CREATE INDEX assertions_subject ON assertions(subject, type);
CREATE INDEX assertions_object ON assertions(object, type);

-- The analyst layer: never touched by re-extraction (see module docstring).
CREATE TABLE analyst_actions (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    target    TEXT NOT NULL,
    payload   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    undone_at TEXT
);
CREATE INDEX analyst_actions_target ON analyst_actions(target);
"""

# Event reports: one row per event a document reports (machine output, replaced
# with the document's other rows). Events across documents are merged at read time
# (``khabar.analyze.events``), so a merge never goes stale when a document changes.
_EVENTS = """
CREATE TABLE event_reports (
    id              INTEGER PRIMARY KEY,
    doc_id          TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    type            TEXT NOT NULL,
    actors          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(actors)),
    targets         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(targets)),
    claimed_by      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(claimed_by)),
    date            TEXT,
    precision       TEXT CHECK (precision IS NULL OR precision IN ('day', 'month', 'season', 'year')),
    date_start      TEXT,
    date_end        TEXT,
    date_text       TEXT NOT NULL DEFAULT '',
    place           TEXT,
    location        TEXT,
    admin1          TEXT,
    admin2          TEXT,
    country         TEXT,
    lat             REAL,
    lon             REAL,
    geo_precision   INTEGER CHECK (geo_precision IS NULL OR geo_precision BETWEEN 1 AND 4),
    place_text      TEXT NOT NULL DEFAULT '',
    fatalities      INTEGER,
    fatalities_low  INTEGER,
    fatalities_high INTEGER,
    injured         INTEGER,
    sentence        TEXT NOT NULL DEFAULT '',
    "start"         INTEGER NOT NULL DEFAULT 0,
    "end"           INTEGER NOT NULL DEFAULT 0,
    trigger         TEXT NOT NULL DEFAULT '',
    modality        TEXT NOT NULL DEFAULT 'asserted'
);
CREATE INDEX event_reports_doc ON event_reports(doc_id);
CREATE INDEX event_reports_type_date ON event_reports(type, date_start);

-- Places a document names (ids of the place gazetteer), for coverage counts and
-- for highlighting.
CREATE TABLE place_mentions (
    id      INTEGER PRIMARY KEY,
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    "start" INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    surface TEXT NOT NULL,
    place   TEXT NOT NULL,
    CHECK ("start" <= "end")
);
CREATE INDEX place_mentions_doc ON place_mentions(doc_id);
CREATE INDEX place_mentions_place ON place_mentions(place);
"""

# Attributed judgments (machine output, replaced with the document). ``id`` is stable
# across re-extraction (a hash of document, offsets and speaker) so that an analyst's
# recorded outcome (an ``analyst_actions`` row of kind 'resolve', target the id) stays
# attached to its judgment.
_JUDGMENTS = """
CREATE TABLE judgments (
    id             TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    speaker        TEXT NOT NULL,
    speaker_kind   TEXT NOT NULL DEFAULT 'person',
    role           TEXT,
    speaker_actor  TEXT,
    about          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(about)),
    text           TEXT NOT NULL,
    "start"        INTEGER NOT NULL DEFAULT 0,
    "end"          INTEGER NOT NULL DEFAULT 0,
    estimate       TEXT,
    band           TEXT,
    low            REAL,
    high           REAL,
    confidence     TEXT,
    horizon        TEXT,
    due            TEXT,
    sentence_start INTEGER NOT NULL DEFAULT 0,
    sentence_end   INTEGER NOT NULL DEFAULT 0,
    via            TEXT NOT NULL DEFAULT '',
    CHECK (low IS NULL OR (low >= 0 AND high <= 1 AND low <= high))
);
CREATE INDEX judgments_doc ON judgments(doc_id);
CREATE INDEX judgments_speaker ON judgments(speaker);
CREATE INDEX judgments_due ON judgments(due);
"""

# A revision number that every write to the tables readers depend on bumps (by trigger,
# so no writer can forget): readers cache what they computed for a revision.
_REVISION = """
CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO revision (id, n) VALUES (1, 0);
""" + "".join(
    f"CREATE TRIGGER {table}_rev_{op[0]} AFTER {op} ON {table} BEGIN UPDATE revision SET n = n + 1; END;\n"
    for table in ("documents", "actors", "sources", "analyst_actions", "mentions", "assertions", "event_reports",
                  "judgments")
    for op in ("INSERT", "UPDATE", "DELETE")
)

# Incremental ingest (neither table bumps the revision: nothing a reader shows changes).
# ``files``: what each input file looked like when last read (size, mtime, hash of its bytes,
# the sidecar entries that applied) and the documents it gave, so that a re-ingest passes an
# unchanged file by without reading it. ``signatures``: each original document's MinHash
# (128 little-endian uint32; empty when the text has no words) and ``lsh_bands`` its band
# keys, so that near-duplicate detection looks up candidates instead of rehashing every text.
_INCREMENTAL = """
CREATE TABLE files (
    path     TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256   TEXT NOT NULL,
    meta     TEXT NOT NULL DEFAULT '',
    docs     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(docs))
);
CREATE TABLE signatures (
    doc_id  TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    minhash BLOB NOT NULL
);
CREATE TABLE lsh_bands (
    key    INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX lsh_bands_key ON lsh_bands(key);
CREATE INDEX lsh_bands_doc ON lsh_bands(doc_id);
"""

# Events merged on write (``khabar.store.events``): one row per event, its doers and targets
# indexed for "events of X", and each report's event. Reports stored before this migration
# are merged when the base is next opened for writing (``attach_pending``).
_MERGED_EVENTS = """
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    type            TEXT NOT NULL,
    date            TEXT,
    precision       TEXT,
    date_start      TEXT,
    date_end        TEXT,
    place           TEXT,
    location        TEXT,
    admin1          TEXT,
    admin2          TEXT,
    country         TEXT,
    lat             REAL,
    lon             REAL,
    geo_precision   INTEGER,
    fatalities      INTEGER,
    fatalities_low  INTEGER,
    fatalities_high INTEGER,
    injured         INTEGER,
    actors          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(actors)),
    targets         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(targets)),
    n_actors        INTEGER NOT NULL DEFAULT 0,
    n_reports       INTEGER NOT NULL DEFAULT 0,
    n_documents     INTEGER NOT NULL DEFAULT 0,
    evidence        TEXT NOT NULL DEFAULT '',
    doc_id          TEXT
);
CREATE INDEX events_type_date ON events(type, date_start);
CREATE INDEX events_date ON events(date_start);
CREATE INDEX events_end ON events(date_end);
CREATE INDEX events_country ON events(country COLLATE NOCASE, date_start);
CREATE INDEX events_place ON events(place COLLATE NOCASE);
CREATE INDEX events_location ON events(location COLLATE NOCASE);
CREATE INDEX events_admin1 ON events(admin1 COLLATE NOCASE);
CREATE INDEX events_admin2 ON events(admin2 COLLATE NOCASE);
CREATE TABLE event_actors (
    actor_id TEXT NOT NULL,
    role     TEXT NOT NULL CHECK (role IN ('actor', 'target')),
    event_id TEXT NOT NULL,
    PRIMARY KEY (actor_id, role, event_id)
) WITHOUT ROWID;
CREATE INDEX event_actors_event ON event_actors(event_id);
-- the longest date range of any event of a type, in days: candidates for a report are
-- looked up between its start less that span and its end, a bounded index range
CREATE TABLE event_spans (type TEXT PRIMARY KEY, days INTEGER NOT NULL);
ALTER TABLE event_reports ADD COLUMN event_id TEXT;
CREATE INDEX event_reports_event ON event_reports(event_id);
"""

# Tie aggregates kept up to date (``khabar.store.ties``): ``ties`` holds each tie's figures,
# ``tie_dirty`` the ties whose evidence changed since (marked by these triggers, in the
# writing transaction; recomputed before ties are read). The triggers test before they
# insert rather than say OR IGNORE, which an outer upsert's conflict policy would override. Neither bumps the revision: they
# follow tables that do. A base made before this migration has every tie marked.
_TIES = """
CREATE TABLE ties (
    subject            TEXT NOT NULL,
    type               TEXT NOT NULL,
    object             TEXT NOT NULL,
    evidence           INTEGER NOT NULL DEFAULT 0,
    sources            INTEGER NOT NULL DEFAULT 0,
    documents          INTEGER NOT NULL DEFAULT 0,
    first_seen         TEXT,
    last_seen          TEXT,
    asserted           INTEGER NOT NULL DEFAULT 0,
    negated            INTEGER NOT NULL DEFAULT 0,
    predicted          INTEGER NOT NULL DEFAULT 0,
    contested          INTEGER NOT NULL DEFAULT 0,
    credibility        INTEGER,
    credibility_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (subject, type, object)
) WITHOUT ROWID;
CREATE INDEX ties_object ON ties(object, type);
CREATE INDEX ties_rank ON ties(sources DESC, evidence DESC);
CREATE TABLE tie_dirty (
    subject TEXT NOT NULL,
    type    TEXT NOT NULL,
    object  TEXT NOT NULL,
    PRIMARY KEY (subject, type, object)
) WITHOUT ROWID;
CREATE TRIGGER assertions_tie_i AFTER INSERT ON assertions BEGIN
    INSERT INTO tie_dirty SELECT NEW.subject, NEW.type, NEW.object WHERE NOT EXISTS (
        SELECT 1 FROM tie_dirty WHERE subject = NEW.subject AND type = NEW.type AND object = NEW.object);
END;
CREATE TRIGGER assertions_tie_d AFTER DELETE ON assertions BEGIN
    INSERT INTO tie_dirty SELECT OLD.subject, OLD.type, OLD.object WHERE NOT EXISTS (
        SELECT 1 FROM tie_dirty WHERE subject = OLD.subject AND type = OLD.type AND object = OLD.object);
END;
CREATE TRIGGER documents_tie_u AFTER UPDATE OF source, published, title ON documents BEGIN
    INSERT INTO tie_dirty SELECT DISTINCT x.subject, x.type, x.object FROM assertions x WHERE x.doc_id = NEW.id
        AND NOT EXISTS (SELECT 1 FROM tie_dirty t WHERE t.subject = x.subject AND t.type = x.type
                        AND t.object = x.object);
END;
CREATE TRIGGER sources_tie_u AFTER UPDATE OF reliability ON sources BEGIN
    INSERT INTO tie_dirty SELECT DISTINCT x.subject, x.type, x.object FROM assertions x
        JOIN documents d ON d.id = x.doc_id WHERE d.source = NEW.name
        AND NOT EXISTS (SELECT 1 FROM tie_dirty t WHERE t.subject = x.subject AND t.type = x.type
                        AND t.object = x.object);
END;
INSERT OR IGNORE INTO tie_dirty SELECT DISTINCT subject, type, object FROM assertions;
"""

# Actor counts kept on write (``store.write``): mentions and documents per actor, and the
# surfaces each was found under with how often, so that listing actors reads these small
# tables, not every mention. Filled from the mentions a base already holds.
_ACTOR_STATS = """
CREATE TABLE actor_stats (
    actor_id  TEXT PRIMARY KEY,
    mentions  INTEGER NOT NULL DEFAULT 0,
    documents INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX actor_stats_mentions ON actor_stats(mentions DESC);
CREATE TABLE actor_surfaces (
    actor_id TEXT NOT NULL,
    surface  TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (actor_id, surface)
) WITHOUT ROWID;
INSERT INTO actor_stats (actor_id, mentions, documents)
    SELECT actor_id, COUNT(*), COUNT(DISTINCT doc_id) FROM mentions GROUP BY actor_id;
INSERT INTO actor_surfaces (actor_id, surface, n)
    SELECT actor_id, surface, COUNT(*) FROM mentions GROUP BY actor_id, surface;
"""

_COUNTED = ("sentences", "assertions", "event_reports", "judgments", "events")

# Row counts of the big tables kept by trigger, so that "how much is stored" reads one small
# table instead of counting millions of rows (mentions are counted in actor_stats).
_ROW_COUNTS = """
CREATE TABLE row_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
""" + "".join(f"INSERT INTO row_counts SELECT '{t}', COUNT(*) FROM {t};\n" for t in _COUNTED) + "".join(
    f"CREATE TRIGGER {t}_count_i AFTER INSERT ON {t} BEGIN UPDATE row_counts SET n = n + 1 WHERE name = '{t}'; END;\n"
    f"CREATE TRIGGER {t}_count_d AFTER DELETE ON {t} BEGIN UPDATE row_counts SET n = n - 1 WHERE name = '{t}'; END;\n"
    for t in _COUNTED)

# How many other actors each actor is tied to (ties with evidence), kept with the tie figures
# (``store.ties.refresh``), so that "most connected" is an indexed read.
DEGREE_SQL = """(SELECT COUNT(*) FROM (SELECT object FROM ties WHERE subject = {a} AND evidence > 0
                       UNION SELECT subject FROM ties WHERE object = {a} AND evidence > 0))"""
_DEGREES = f"""
ALTER TABLE actor_stats ADD COLUMN degree INTEGER NOT NULL DEFAULT 0;
CREATE INDEX actor_stats_degree ON actor_stats(degree DESC);
INSERT OR IGNORE INTO actor_stats (actor_id) SELECT subject FROM ties UNION SELECT object FROM ties;
UPDATE actor_stats SET degree = {DEGREE_SQL.format(a="actor_stats.actor_id")};
"""

# Each event's date range in days, so that a new report looks for its event among the short
# events right around its dates and among the few long ones (a year, a season) apart, not
# among everything within the longest range any event has.
_EVENT_SPANS = """
ALTER TABLE events ADD COLUMN span_days INTEGER NOT NULL DEFAULT 0;
UPDATE events SET span_days = CAST(julianday(date_end) - julianday(date_start) AS INTEGER)
    WHERE date_start IS NOT NULL AND date_end IS NOT NULL;
CREATE INDEX events_type_span ON events(type, span_days, date_start);
"""

# A tie's assertions looked up by the whole key (subject, type, object): the figures kept on
# write and every tie page read one tie's rows, not all of its subject's ties of the type.
_TIE_KEY_INDEX = """
CREATE INDEX assertions_key ON assertions(subject, type, object);
"""

# The documents list in its order (by date, undated last) and the per-source counts read
# from indexes instead of sorting or reading every document.
_DOCUMENT_ORDER = """
CREATE INDEX documents_order ON documents(published IS NULL, published, name, id);
CREATE INDEX documents_source_original ON documents(source, duplicate_of);
"""

# Where each page of a paged document (a PDF) starts in its text: a JSON list of character
# offsets, page 1 first; NULL for a document without pages. Evidence cites "p. 12" from it.
_DOCUMENT_PAGES = """
ALTER TABLE documents ADD COLUMN pages TEXT;
"""

# The full-text index declared as Datasette and sqlite-utils recognise one: they look for
# content="TABLE" (or content=[TABLE]) in its CREATE statement and skip the single-quoted
# content='sentences' of migration 1 (and a bare content=sentences). Same columns, tokenizer
# and triggers (migration 1's own text, which never changes); the index is rebuilt from the
# sentences it covers.
_FTS_TRIGGERS = _INITIAL[_INITIAL.index("CREATE TRIGGER sentences_ai"):_INITIAL.index("CREATE TABLE assertions")]
_FTS_DECLARED = """
DROP TRIGGER IF EXISTS sentences_ai;
DROP TRIGGER IF EXISTS sentences_ad;
DROP TRIGGER IF EXISTS sentences_au;
DROP TABLE IF EXISTS sentences_fts;
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content="sentences", content_rowid="id",
    tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');
""" + _FTS_TRIGGERS

# The analyst's corrections projected into the tables readers use (``khabar.store.corrections``):
# ``correction`` is the id of the analyst action that made the row (``machine`` NULL) or last
# changed it (``machine``: its machine values as JSON, put back when the action is undone or
# replayed); ``ties.corrected`` counts the analyst-made or -changed evidence of a tie. Partial
# indexes: only the few corrected rows are in them, so finding them never scans a big table.
_CORRECTIONS = """
ALTER TABLE actors ADD COLUMN correction INTEGER;
ALTER TABLE mentions ADD COLUMN correction INTEGER;
ALTER TABLE mentions ADD COLUMN machine TEXT;
ALTER TABLE assertions ADD COLUMN correction INTEGER;
ALTER TABLE assertions ADD COLUMN machine TEXT;
ALTER TABLE event_reports ADD COLUMN correction INTEGER;
ALTER TABLE event_reports ADD COLUMN machine TEXT;
ALTER TABLE events ADD COLUMN correction INTEGER;
ALTER TABLE judgments ADD COLUMN correction INTEGER;
ALTER TABLE judgments ADD COLUMN machine TEXT;
ALTER TABLE ties ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0;
CREATE INDEX actors_correction ON actors(correction) WHERE correction IS NOT NULL;
CREATE INDEX mentions_correction ON mentions(correction) WHERE correction IS NOT NULL;
CREATE INDEX assertions_correction ON assertions(correction) WHERE correction IS NOT NULL;
CREATE INDEX event_reports_correction ON event_reports(correction) WHERE correction IS NOT NULL;
CREATE INDEX events_correction ON events(correction) WHERE correction IS NOT NULL;
CREATE INDEX judgments_correction ON judgments(correction) WHERE correction IS NOT NULL;
-- an actor's mentions under one surface: what splitting a wrong merge re-points
CREATE INDEX mentions_actor_surface ON mentions(actor_id, surface);
"""

# Persons as their own records (``khabar.store.persons``), never actors: leaders, spokesmen,
# commanders and officials from ``data/people.yaml`` (origin 'gazetteer') or named as speakers
# in the text ('text'). ``person_names``: every spelling's key, for lookups by name.
# ``person_posts``: who held which role for which actor, when (gazetteer posts: doc_id NULL;
# a post the text gives: its document, dated by it). ``person_links``: the judgments they made,
# the event reports and tie assertions whose sentence names them (with their role), and the
# sentences that name them; machine rows, replaced with their document on write.
# ``person_pending``: documents stored before this migration, indexed when persons are next read.
_PERSONS = """
CREATE TABLE persons (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),
    origin  TEXT NOT NULL CHECK (origin IN ('gazetteer', 'text')),
    digest  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX persons_name ON persons(name COLLATE NOCASE);
CREATE TABLE person_names (
    key       TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    PRIMARY KEY (key, person_id)
) WITHOUT ROWID;
CREATE INDEX person_names_person ON person_names(person_id);
CREATE TABLE person_posts (
    id        INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    actor_id  TEXT,
    role      TEXT NOT NULL DEFAULT '',
    "from"    TEXT,
    "to"      TEXT,
    source    TEXT NOT NULL CHECK (source IN ('gazetteer', 'text')),
    doc_id    TEXT REFERENCES documents(id) ON DELETE CASCADE,
    "start"   INTEGER,
    "end"     INTEGER
);
CREATE INDEX person_posts_person ON person_posts(person_id, "from");
CREATE INDEX person_posts_actor ON person_posts(actor_id, person_id);
CREATE INDEX person_posts_doc ON person_posts(doc_id);
CREATE TABLE person_links (
    id        INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('mention', 'judgment', 'event', 'tie')),
    role      TEXT NOT NULL DEFAULT '',
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    target    TEXT NOT NULL DEFAULT '',
    "start"   INTEGER NOT NULL DEFAULT 0,
    "end"     INTEGER NOT NULL DEFAULT 0,
    surface   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX person_links_person ON person_links(person_id, kind, doc_id);
CREATE INDEX person_links_doc ON person_links(doc_id);
CREATE TABLE person_pending (doc_id TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO person_pending SELECT id FROM documents WHERE duplicate_of IS NULL;
"""

# What each document's machine rows were extracted with (``khabar.extract.stamp``): NULL for
# documents stored before, which ``khabar reextract`` then takes as out of date.
_EXTRACTED_WITH = """
ALTER TABLE documents ADD COLUMN extracted_with TEXT;
"""

# What the overview reads on every visit, indexed or counted on write: originals and duplicates
# counted by trigger (an upsert that keeps a document fires the UPDATE trigger: -1 and +1 in the
# same category), contested ties in their list order, the latest events first.
_OVERVIEW = """
INSERT OR REPLACE INTO row_counts SELECT 'documents', COUNT(*) FROM documents WHERE duplicate_of IS NULL;
INSERT OR REPLACE INTO row_counts SELECT 'duplicates', COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL;
CREATE TRIGGER documents_count_i AFTER INSERT ON documents BEGIN
    UPDATE row_counts SET n = n + 1
     WHERE name = CASE WHEN new.duplicate_of IS NULL THEN 'documents' ELSE 'duplicates' END;
END;
CREATE TRIGGER documents_count_d AFTER DELETE ON documents BEGIN
    UPDATE row_counts SET n = n - 1
     WHERE name = CASE WHEN old.duplicate_of IS NULL THEN 'documents' ELSE 'duplicates' END;
END;
CREATE TRIGGER documents_count_u AFTER UPDATE OF duplicate_of ON documents BEGIN
    UPDATE row_counts SET n = n - 1
     WHERE name = CASE WHEN old.duplicate_of IS NULL THEN 'documents' ELSE 'duplicates' END;
    UPDATE row_counts SET n = n + 1
     WHERE name = CASE WHEN new.duplicate_of IS NULL THEN 'documents' ELSE 'duplicates' END;
END;
CREATE INDEX ties_contested ON ties(sources DESC, evidence DESC, subject, type, object) WHERE contested = 1;
CREATE INDEX events_latest ON events(date_end IS NULL, date_end DESC, seq DESC);
"""

# Append only; never edit an entry once released.
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial", _INITIAL),
    (2, "event reports", _EVENTS),
    (3, "judgments", _JUDGMENTS),
    (4, "revision", _REVISION),
    (5, "incremental ingest", _INCREMENTAL),
    (6, "events merged on write", _MERGED_EVENTS),
    (7, "tie aggregates", _TIES),
    (8, "actor counts", _ACTOR_STATS),
    (9, "row counts", _ROW_COUNTS),
    (10, "actor degrees", _DEGREES),
    (11, "event spans", _EVENT_SPANS),
    (12, "tie key index", _TIE_KEY_INDEX),
    (13, "document order", _DOCUMENT_ORDER),
    (14, "document pages", _DOCUMENT_PAGES),
    (15, "full-text index declared for Datasette and sqlite-utils", _FTS_DECLARED),
    (16, "analyst corrections", _CORRECTIONS),
    (17, "persons", _PERSONS),
    (18, "extraction stamp", _EXTRACTED_WITH),
    (19, "overview reads", _OVERVIEW),
]

_VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


def _statements(sql: str) -> list[str]:
    """A script cut into whole statements (a trigger's body keeps its inner semicolons), so
    that it runs inside a transaction this module holds, which executescript() would commit."""
    out, buf = [], ""
    for piece in sql.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n\t;"):
                out.append(buf.strip())
            buf = ""
    if buf.strip(" \n\t;"):
        out.append(buf.strip().rstrip(";"))
    return out


def current_version(conn: sqlite3.Connection) -> int:
    """The highest migration applied to ``conn`` (0 for a new database)."""
    conn.execute(_VERSION_TABLE)
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def _applied(conn: sqlite3.Connection) -> set[int]:
    conn.execute(_VERSION_TABLE)
    return {int(r[0]) for r in conn.execute("SELECT version FROM schema_version")}


def migrate(conn: sqlite3.Connection, migrations: list[tuple[int, str, str]] | None = None) -> int:
    """Apply the pending migrations in order; return the resulting version.

    ``migrations`` defaults to this module's ``MIGRATIONS``, looked up at call
    time (so tests can append one). Refuses a database newer than the code,
    since writing to it with an older schema in mind could corrupt it.
    """
    if migrations is None:
        migrations = MIGRATIONS
    versions = [v for v, _, _ in migrations]
    if versions != sorted(set(versions)):
        raise ValueError(f"migration versions must be unique and increasing: {versions}")
    if conn.in_transaction:
        # executescript() would silently commit the caller's transaction.
        raise RuntimeError("migrate() must not run inside an open transaction")
    latest = versions[-1] if versions else 0
    version = current_version(conn)
    if version > latest:
        raise RuntimeError(f"database schema version {version} is newer than this khabar ({latest})")
    applied = _applied(conn)
    for number, name, sql in migrations:
        if number in applied:
            continue
        # One exclusive transaction per migration, the versions read again inside it: a
        # second process creating the same database waits for the first, then finds the
        # migration applied instead of applying it twice ("table ... already exists").
        # A version missing below the highest applied one (a base made by a build that had
        # a later migration but not this one) is applied too, in order.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if number not in _applied(conn):
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (number, name, datetime.now(UTC).isoformat(timespec="seconds")),
                )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.add(number)
    version = current_version(conn)
    return version
