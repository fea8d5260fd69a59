"""Bounded work per document: long texts in sections, one failing document costs no other,
a time budget turns a runaway into a one-line skip."""

from __future__ import annotations

import pytest

from khabar.schema import Document
from khabar.workspace import Workspace

pytestmark = pytest.mark.slow

PARA = ("Iran has supplied weapons to the Taliban for years, officials said. "
        "The Pakistani Taliban said on Monday it had attacked a checkpoint in Kandahar.\n\n")
FILLER = "The roads into the valley were open again and the markets were busy by noon.\n\n"


def long_text(paragraphs: int) -> str:
    """Mostly filler (tokenised, not parsed), with a paragraph of actors every 40."""
    return "".join(PARA if i % 40 == 0 else FILLER for i in range(paragraphs))


def test_a_text_over_spacys_limit_is_extracted_with_true_offsets(extractor):
    text = long_text(14_000)  # about 1.1 million characters: spaCy alone refuses it (E088)
    assert len(text) > 1_000_000
    doc = Document(id="long", text=text, published="2021-08-30")
    (ext,) = list(extractor.extract_many([doc]))
    assert ext.error is None
    assert len(ext.sentences) >= 14_000
    assert ext.sentences[-1][1] <= len(text) and text[ext.sentences[-1][0]:ext.sentences[-1][1]].strip()
    for m in ext.mentions[::500]:
        assert text[m.start:m.end] == m.surface
    late = [m for m in ext.mentions if m.start > 1_000_000]
    assert late and all(text[m.start:m.end] == m.surface for m in late)
    assert ext.assertions and ext.events
    for a in ext.assertions[::20]:
        assert text[a.start:a.end] == a.sentence
    for e in ext.events[::20]:
        assert text[e.start:e.end] == e.sentence


def test_one_failing_document_costs_no_other(extractor, monkeypatch, tmp_path):
    words = ["wells", "orchards", "bridges", "schools", "clinics"]
    docs = [Document(id=f"d{i}", text=f"Note {i}. " + PARA + f"The {w} of the district were counted in {1990 + i}.",
                     name=f"d{i}.txt") for i, w in enumerate(words)]
    original = extractor._prepare

    def flaky(text, *args, **kw):
        if text.startswith("Note 2."):
            raise RuntimeError("a parser bug")
        return original(text, *args, **kw)

    monkeypatch.setattr(extractor, "_prepare", flaky)
    out = list(extractor.extract_many(docs))
    assert [e.doc_id for e in out] == [d.id for d in docs]
    assert [bool(e.error) for e in out] == [False, False, True, False, False]
    assert "RuntimeError: a parser bug" in out[2].error
    assert all(e.mentions for i, e in enumerate(out) if i != 2)

    folder = tmp_path / "in"
    folder.mkdir()
    for d in docs:
        (folder / d.name).write_text(d.text)
    ws = Workspace(tmp_path / "kb.db")
    ws._extractor = extractor
    report = ws.ingest([folder])
    assert report.ingested == 4 and len(report.skipped) == 1
    assert "d2.txt" in report.skipped[0] and "a parser bug" in report.skipped[0]
    ws.close()


def test_a_runaway_document_is_skipped_by_the_time_budget(extractor, monkeypatch):
    monkeypatch.setattr(extractor, "seconds_per_document", 0.0)
    monkeypatch.setattr(extractor, "section_chars", 2000)
    long = Document(id="long", text=long_text(200))
    (ext,) = list(extractor.extract_many([long]))
    assert ext.error and "seconds_per_document" in ext.error and not ext.mentions
