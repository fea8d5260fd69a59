"""Long documents: sections of bounded size, offsets back in the whole document's coordinates."""

from __future__ import annotations

import pytest

from khabar.extract.sections import merge_sections, section_documents, split_sections
from khabar.schema import Actor, Assertion, Document, Extraction, Judgment, Mention


@pytest.mark.parametrize("text, limit", [
    ("Para one is here.\n\nPara two is here.\n\n" * 200, 500),
    ("One line.\n" * 1000, 300),
    ("A sentence ends. " * 1000, 250),
    ("word " * 5000, 120),
    ("x" * 5000, 100),                    # no boundary at all: a hard cut
    ("short", 1000),
    ("", 1000),
])
def test_sections_cover_the_text_within_the_limit(text, limit):
    spans = split_sections(text, limit)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(0 < b - a <= limit for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


def test_sections_prefer_paragraph_breaks():
    text = ("Alpha beta gamma. " * 10 + "\n\n") * 20
    for a, b in split_sections(text, 600)[:-1]:
        assert text[a:b].endswith("\n\n")


def test_merge_moves_offsets_back():
    doc = Document(id="d", text="The Front met envoys. " * 10 + "\n\n" + "The Brigade hosted the Front. " * 10)
    parts = []
    for offset, section in section_documents(doc, 240):
        i = section.text.find("Front")
        s_end = section.text.find(".", i) + 1
        ext = Extraction(doc_id="d", actors=[Actor(id="front", name="Front")],
                         mentions=[Mention("d", i, i + 5, "Front", "front")],
                         assertions=[Assertion("d", "front", "allied_with", "x", sentence=section.text[:s_end],
                                               start=0, end=s_end)],
                         judgments=[Judgment("d", "X", section.text[:5], start=0, end=5, sentence_start=0,
                                             sentence_end=s_end)],
                         sentences=[(0, s_end)])
        parts.append((offset, ext))
    merged = merge_sections("d", parts)
    assert len(parts) > 1 and [a.id for a in merged.actors] == ["front"]
    assert len(merged.mentions) == len(parts)
    for m in merged.mentions:
        assert doc.text[m.start:m.end] == "Front"
    for a in merged.assertions:
        assert doc.text[a.start:a.end] == a.sentence
    for j in merged.judgments:
        assert doc.text[j.start:j.end] == j.text
    for a, b in merged.sentences:
        assert doc.text[a:b].endswith(".")
