"""Tests for the STORE stage: schema, migrations, the write path and the queries."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from khabar.schema import Actor, Assertion, Document, Extraction, Mention, Source
from khabar.store import (
    Store,
    actor,
    actors,
    assertions,
    connect,
    counts,
    current_version,
    document,
    documents,
    fts_query,
    has_document,
    known_texts,
    mentions,
    migrate,
    record_duplicate,
    search,
    transaction,
    upsert_source,
    write_document,
)
from khabar.store import migrations as migrations_module
from khabar.store import write as write_module

AQ = Actor(id="aq", name="al-Qaeda", kind="armed_group", aliases=["AQ", "Al Qaida"], wikidata="Q34490")
TB = Actor(id="taliban", name="Taliban", kind="armed_group", aliases=["Islamic Emirate"])
HAMAS = Actor(id="hamas", name="Hamas", kind="armed_group")


def make_doc(text: str, **meta) -> Document:
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    meta.setdefault("name", f"{doc_id[:8]}.txt")
    meta.setdefault("source", "Example Wire")
    meta.setdefault("title", "A report")
    meta.setdefault("published", "2021-08-30")
    return Document(id=doc_id, text=text, **meta)


def spans(text: str, *parts: str) -> list[tuple[int, int]]:
    """(start, end) of each part in text."""
    out = []
    for part in parts:
        start = text.index(part)
        out.append((start, start + len(part)))
    return out


def mention(doc: Document, surface: str, actor_id: str, via: str = "gazetteer") -> Mention:
    start = doc.text.index(surface)
    return Mention(doc.id, start, start + len(surface), surface, actor_id, via=via)


def make_extraction(doc: Document, modality: str = "asserted") -> Extraction:
    """Two sentences: the Taliban host al-Qaeda; Hamas is not mentioned."""
    s1, s2 = spans(doc.text, *doc.text.split("|"))
    sentence = doc.text[s1[0] : s1[1]]
    return Extraction(
        doc_id=doc.id,
        actors=[AQ, TB],
        mentions=[mention(doc, "Taliban", "taliban"), mention(doc, "Al Qaeda", "aq")],
        assertions=[
            Assertion(
                doc.id,
                "taliban",
                "hosts",
                "aq",
                modality=modality,
                sentence=sentence,
                start=s1[0],
                end=s1[1],
                trigger="safe haven",
            ),
        ],
        sentences=[s1, s2],
    )


TEXT1 = "The Taliban gave Al Qaeda a safe haven in Kandahar.|Officials said the camps were closed."
TEXT2 = "The Taliban gave Al Qaeda a safe haven in Helmand again.|Nothing else changed in the province."


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "kb.sqlite") as s:
        yield s


# --- schema and migrations -------------------------------------------------


def test_schema_created_with_wal_and_foreign_keys(store):
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    assert isinstance(conn.execute("SELECT 1 AS one").fetchone(), sqlite3.Row)
    names = {r["name"] for r in conn.execute("SELECT name FROM sqlite_master")}
    for table in (
        "sources",
        "documents",
        "actors",
        "mentions",
        "sentences",
        "sentences_fts",
        "assertions",
        "analyst_actions",
        "schema_version",
    ):
        assert table in names
    assert current_version(conn) == migrations_module.MIGRATIONS[-1][0]


def test_migrate_fresh_is_idempotent(tmp_path):
    conn = connect(tmp_path / "a.sqlite")
    latest = migrations_module.MIGRATIONS[-1][0]
    assert migrate(conn) == latest
    assert migrate(conn) == latest
    assert [tuple(r)[:2] for r in conn.execute("SELECT version, name FROM schema_version")] == [
        (v, name) for v, name, _ in migrations_module.MIGRATIONS
    ]


def test_migrate_upgrades_version_1_database(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    released = list(migrations_module.MIGRATIONS)
    monkeypatch.setattr(migrations_module, "MIGRATIONS", released[:1])
    with Store(path) as old:
        # what the version-1 write path did: a document row
        old.conn.execute("INSERT INTO documents (id, text, ingested_at) VALUES ('d1', 'text', 'then')")
        old.conn.commit()
        assert old.version == 1
    extra = (released[-1][0] + 1, "document notes", "ALTER TABLE documents ADD COLUMN notes TEXT;")
    monkeypatch.setattr(migrations_module, "MIGRATIONS", [*released, extra])
    with Store(path) as new:
        assert new.version == extra[0]
        columns = {r["name"] for r in new.conn.execute("PRAGMA table_info(documents)")}
        assert "notes" in columns
        tables = {r["name"] for r in new.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"event_reports", "place_mentions"} <= tables  # every released migration ran
        assert counts(new.conn)["documents"] == 1  # data survived the upgrade


def test_a_migration_missing_below_the_highest_applied_is_applied(tmp_path):
    """A base made by a build that had migrations 1 and 3 but not yet 2 gets 2 when opened by
    one that has all three (the version alone would say there is nothing to do)."""
    conn = connect(tmp_path / "gap.sqlite")
    one, two, three = (1, "a", "CREATE TABLE a (x);"), (2, "b", "CREATE TABLE b (x);"), (3, "c", "CREATE TABLE c (x);")
    assert migrate(conn, [one, three]) == 3
    assert migrate(conn, [one, two, three]) == 3
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"a", "b", "c"} <= tables
    assert sorted(r[0] for r in conn.execute("SELECT version FROM schema_version")) == [1, 2, 3]
    assert migrate(conn, [one, two, three]) == 3  # and only once


def test_failed_migration_leaves_previous_version(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    Store(path).close()
    last = migrations_module.MIGRATIONS[-1][0]
    broken = (last + 1, "broken", "CREATE TABLE half (x); THIS IS NOT SQL;")
    monkeypatch.setattr(migrations_module, "MIGRATIONS", [*migrations_module.MIGRATIONS, broken])
    with pytest.raises(sqlite3.OperationalError):
        Store(path)
    conn = connect(path)
    assert current_version(conn) == last
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None


def test_database_newer_than_code_is_refused(tmp_path):
    conn = connect(tmp_path / "a.sqlite")
    migrate(conn)
    conn.execute("INSERT INTO schema_version VALUES (99, 'future', 'later')")
    with pytest.raises(RuntimeError, match="newer"):
        migrate(conn)


# --- write and read -------------------------------------------------------


def test_round_trip(store):
    conn = store.conn
    doc = make_doc(TEXT1, url="https://example.org/1")
    write_document(conn, doc, make_extraction(doc))

    assert has_document(conn, doc.id) and not has_document(conn, "nope")
    stored = document(conn, doc.id)
    assert stored["text"] == TEXT1 and stored["url"] == "https://example.org/1"
    assert stored["duplicate_of"] is None and stored["ingested_at"]
    assert [d["id"] for d in documents(conn)] == [doc.id]
    assert "text" not in documents(conn)[0]
    assert list(known_texts(conn)) == [(doc.id, TEXT1)]

    sentences = conn.execute('SELECT idx, "start", "end", text FROM sentences ORDER BY idx').fetchall()
    assert [r["text"] for r in sentences] == TEXT1.split("|")
    assert TEXT1[sentences[1]["start"] : sentences[1]["end"]] == sentences[1]["text"]

    found = mentions(conn, doc_id=doc.id)
    assert [(m["surface"], m["actor_id"], m["actor_name"]) for m in found] == [
        ("Taliban", "taliban", "Taliban"),
        ("Al Qaeda", "aq", "al-Qaeda"),
    ]
    assert mentions(conn, actor_id="aq")[0]["start"] == TEXT1.index("Al Qaeda")

    (a,) = assertions(conn, actor_id="aq")
    assert (a["subject"], a["type"], a["object"], a["modality"]) == ("taliban", "hosts", "aq", "asserted")
    assert (a["title"], a["source"], a["published"], a["url"]) == (
        "A report",
        "Example Wire",
        "2021-08-30",
        "https://example.org/1",
    )
    assert a["name"] == doc.name and a["reliability"] == "F"
    assert a["sentence"] == TEXT1.split("|")[0]
    assert assertions(conn, type="supports") == []
    assert len(assertions(conn, type="hosts", doc_id=doc.id)) == 1

    by_id = {x["id"]: x for x in actors(conn)}
    assert by_id["aq"]["aliases"] == ["AQ", "Al Qaida"] and by_id["aq"]["listed"] is True
    assert (by_id["aq"]["mentions"], by_id["aq"]["documents"], by_id["aq"]["surfaces"]) == (
        1,
        1,
        ["Al Qaeda"],
    )


def test_rewrite_replaces_machine_rows_and_keeps_analyst_actions(store):
    conn = store.conn
    doc = make_doc(TEXT1)
    write_document(conn, doc, make_extraction(doc))
    conn.execute(
        "INSERT INTO analyst_actions (at, kind, target, payload) VALUES (?, ?, ?, ?)",
        ("2024-01-01T00:00:00Z", "reject_assertion", doc.id, json.dumps({"reason": "misread"})),
    )
    before = counts(conn)
    write_document(conn, doc, make_extraction(doc))
    write_document(conn, doc, make_extraction(doc))
    assert counts(conn) == before
    assert before["mentions"] == 2 and before["assertions"] == 1 and before["sentences"] == 2
    # the FTS index holds each sentence once, not once per write
    assert len(search(conn, "Kandahar")) == 1
    assert conn.execute("SELECT COUNT(*) FROM analyst_actions").fetchone()[0] == 1

    # A re-extraction that finds less removes what is gone.
    write_document(conn, doc, Extraction(doc_id=doc.id, sentences=spans(doc.text, "Officials said")))
    assert counts(conn)["mentions"] == 0 and counts(conn)["assertions"] == 0
    assert search(conn, "Kandahar") == [] and len(search(conn, "officials")) == 1
    assert conn.execute("SELECT COUNT(*) FROM analyst_actions").fetchone()[0] == 1


def test_crash_mid_document_leaves_nothing_of_it(store):
    conn = store.conn
    first = make_doc(TEXT1)
    write_document(conn, first, make_extraction(first))
    before = counts(conn)

    # A bad assertion fails on the last insert, after sentences and mentions went in.
    second = make_doc(TEXT2, source="Other Outlet")
    with pytest.raises(sqlite3.IntegrityError):
        write_document(conn, second, make_extraction(second, modality="rumoured"))
    assert not has_document(conn, second.id)
    assert mentions(conn, doc_id=second.id) == [] and assertions(conn, doc_id=second.id) == []
    assert [r["doc_id"] for r in search(conn, '"safe haven"')] == [first.id]
    assert search(conn, "Helmand") == []
    assert counts(conn) == before  # including the source row that would have been added
    assert not conn.in_transaction


def test_crash_on_rewrite_keeps_previous_version(store, monkeypatch):
    conn = store.conn
    doc = make_doc(TEXT1)
    write_document(conn, doc, make_extraction(doc))
    before = counts(conn)

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(write_module, "_insert_assertions", boom)
    changed = make_doc(TEXT1, title="A new title")
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_document(conn, changed, make_extraction(changed))
    assert counts(conn) == before
    assert document(conn, doc.id)["title"] == "A report"
    assert len(assertions(conn, doc_id=doc.id)) == 1 and len(search(conn, "Kandahar")) == 1


def test_write_inside_caller_transaction_is_a_savepoint(store):
    conn = store.conn
    first, second = make_doc(TEXT1), make_doc(TEXT2)
    with transaction(conn):
        write_document(conn, first, make_extraction(first))
        with pytest.raises(sqlite3.IntegrityError):
            write_document(conn, second, make_extraction(second, modality="bogus"))
    assert has_document(conn, first.id) and not has_document(conn, second.id)


def test_extraction_must_match_document(store):
    doc, other = make_doc(TEXT1), make_doc(TEXT2)
    with pytest.raises(ValueError):
        write_document(store.conn, doc, make_extraction(other))
    with pytest.raises(ValueError, match="outside"):
        write_document(store.conn, doc, Extraction(doc_id=doc.id, sentences=[(0, 10_000)]))
    unknown = Extraction(doc_id=doc.id, mentions=[mention(doc, "Taliban", "ghost")])
    with pytest.raises(ValueError, match="ghost"):
        write_document(store.conn, doc, unknown)
    assert counts(store.conn)["documents"] == 0


def test_record_duplicate(store):
    conn = store.conn
    original = make_doc(TEXT1)
    write_document(conn, original, make_extraction(original))
    copy = make_doc(TEXT1 + " ")
    record_duplicate(conn, copy, original.id)
    assert document(conn, copy.id)["duplicate_of"] == original.id
    assert has_document(conn, copy.id)
    assert [d["id"] for d in documents(conn)] == [original.id]
    assert {d["id"] for d in documents(conn, include_duplicates=True)} == {original.id, copy.id}
    assert [i for i, _ in known_texts(conn)] == [original.id]
    assert mentions(conn, doc_id=copy.id) == []
    assert counts(conn)["documents"] == 1 and counts(conn)["duplicates"] == 1
    with pytest.raises(ValueError):
        record_duplicate(conn, copy, copy.id)


# --- sources and actors ---------------------------------------------------


def test_upsert_source(store):
    conn = store.conn
    doc = make_doc(TEXT1)
    write_document(conn, doc, None)  # registers "Example Wire" ungraded
    upsert_source(conn, Source("Example Wire", kind="agency", reliability="B"))
    write_document(conn, doc, None)  # must not reset the grade
    row = conn.execute("SELECT kind, reliability FROM sources WHERE name = ?", ("Example Wire",)).fetchone()
    assert tuple(row) == ("agency", "B")
    with pytest.raises(sqlite3.IntegrityError):
        upsert_source(conn, Source("Bad", reliability="Z"))
    assert counts(conn)["sources"] == 1


def test_listed_actor_is_never_downgraded(store):
    conn = store.conn
    doc = make_doc(TEXT1)
    write_document(conn, doc, make_extraction(doc))
    ner_aq = Actor(id="aq", name="Qaeda", kind="other", aliases=["the base", "aq"], listed=False)
    write_document(conn, doc, Extraction(doc_id=doc.id, actors=[ner_aq]))
    row = actor(conn, "aq")
    assert row["listed"] is True and row["name"] == "al-Qaeda" and row["kind"] == "armed_group"
    assert row["wikidata"] == "Q34490"
    assert row["aliases"] == ["AQ", "Al Qaida", "the base"]  # merged, case-insensitively unique

    # An NER-only actor is upgraded when the gazetteer learns it.
    write_document(
        conn,
        doc,
        Extraction(doc_id=doc.id, actors=[Actor(id="new", name="New Front", listed=False, aliases=["NF"])]),
    )
    write_document(
        conn,
        doc,
        Extraction(
            doc_id=doc.id, actors=[Actor(id="new", name="The New Front", kind="armed_group", country="SY")]
        ),
    )
    row = actor(conn, "new")
    assert row["listed"] is True and row["name"] == "The New Front" and row["country"] == "SY"
    assert set(row["aliases"]) == {"NF", "New Front"}


def test_actor_lookup(store):
    conn = store.conn
    doc = make_doc(TEXT1)
    ext = make_extraction(doc)
    ext.actors.append(HAMAS)
    write_document(conn, doc, ext)
    assert actor(conn, "aq")["id"] == "aq"
    assert actor(conn, "AL-QAEDA")["id"] == "aq"  # canonical name, any case
    assert actor(conn, "al qaida")["id"] == "aq"  # alias
    assert actor(conn, "  al   qaeda ")["id"] == "aq"  # surface seen in the text, spacing ignored
    assert actor(conn, "Al Qaeda")["id"] == "aq"
    assert actor(conn, "islamic emirate")["id"] == "taliban"
    assert actor(conn, "Ḥamās")["id"] == "hamas"  # accents ignored as a last resort
    assert actor(conn, "TALIBAN")["mentions"] == 1
    assert actor(conn, "Hezbollah") is None
    assert actor(conn, "'; DROP TABLE actors; --") is None
    assert actor(conn, "") is None
    assert counts(conn)["actors"] == 3


# --- search ---------------------------------------------------------------


def test_search_with_snippets(store):
    conn = store.conn
    first, second = make_doc(TEXT1), make_doc(TEXT2, title="Later", published="2022-01-02")
    write_document(conn, first, make_extraction(first))
    write_document(conn, second, make_extraction(second))
    hits = search(conn, "kandahar")
    assert len(hits) == 1
    hit = hits[0]
    assert hit["doc_id"] == first.id and hit["title"] == "A report" and hit["source"] == "Example Wire"
    assert hit["published"] == "2021-08-30"
    assert TEXT1[hit["sentence_start"] : hit["sentence_end"]] == TEXT1.split("|")[0]
    assert "«Kandahar»" in hit["snippet"]
    assert {h["doc_id"] for h in search(conn, '"safe haven"')} == {first.id, second.id}
    assert search(conn, '"haven safe"') == []  # a phrase stays a phrase
    assert len(search(conn, "taliban helmand")) == 1  # words are ANDed
    assert len(search(conn, "safe", limit=1)) == 1


@pytest.mark.parametrize(
    "hostile",
    [
        '"safe haven"',
        "AND OR",
        "a*b(",
        "'; DROP TABLE documents; --",
        "NEAR(a b)",
        'text:"x',
        '"unbalanced',
        "^start",
        "-",
        "",
        "   ",
        '""',
        "col:value OR NOT",
        "*",
        "){}[]",
        "\x00",
    ],
)
def test_search_never_raises_on_hostile_text(store, hostile):
    conn = store.conn
    doc = make_doc(TEXT1)
    write_document(conn, doc, make_extraction(doc))
    assert isinstance(search(conn, hostile), list)
    assert counts(conn)["documents"] == 1  # and the table is still there


def test_fts_query_quoting():
    assert fts_query('"safe haven" in Kandahar') == '"safe haven" "in" "Kandahar"'
    assert fts_query("AND OR") == '"AND" "OR"'
    assert fts_query("a*b(") == '"a*b("'
    assert fts_query('"unbalanced phrase') == '"unbalanced" "phrase"'
    assert fts_query("-- ; *") is None
    assert fts_query("") is None


def test_search_skips_duplicates(store):
    conn = store.conn
    doc = make_doc(TEXT1)
    write_document(conn, doc, make_extraction(doc))
    # A duplicate stored with sentences (say by a caller bypassing record_duplicate).
    copy = make_doc(TEXT1 + "\n", duplicate_of=doc.id)
    write_document(conn, copy, Extraction(doc_id=copy.id, sentences=spans(copy.text, "Kandahar")))
    assert [h["doc_id"] for h in search(conn, "Kandahar")] == [doc.id]


def test_counts_empty_and_full(store):
    conn = store.conn
    assert counts(conn) == dict.fromkeys(
        ["documents", "duplicates", "actors", "mentions", "assertions", "event_reports", "judgments", "sources",
         "sentences"], 0
    )
    doc = make_doc(TEXT1)
    write_document(conn, doc, make_extraction(doc))
    record_duplicate(conn, make_doc(TEXT1 + "!"), doc.id)
    assert counts(conn) == {
        "documents": 1,
        "duplicates": 1,
        "actors": 2,
        "mentions": 2,
        "assertions": 1,
        "event_reports": 0,
        "judgments": 0,
        "sources": 1,
        "sentences": 2,
    }


def test_store_closes(tmp_path):
    s = Store(tmp_path / "x.sqlite")
    s.close()
    s.close()  # idempotent
    with pytest.raises(AttributeError):
        s.conn.execute("SELECT 1")


def test_upsert_actor_alone_and_in_a_batch(store):
    from khabar.store import upsert_actor

    conn = store.conn
    upsert_actor(conn, AQ)
    with transaction(conn):
        upsert_actor(conn, TB)
        upsert_actor(conn, HAMAS)
    assert {a["id"] for a in actors(conn)} == {"aq", "taliban", "hamas"}
    assert all(a["mentions"] == 0 and a["surfaces"] == [] for a in actors(conn))
