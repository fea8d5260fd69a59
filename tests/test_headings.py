"""Titles, decks, section headings and headline lists are never evidence of ties, events or
claims; their mentions still count. Documents written for the test."""

from __future__ import annotations

import pytest

from khabar.collect.clean import heading_spans
from khabar.schema import Document

BODY = ("Pakistan has supported the Taliban for years, officials said on Monday. "
        "The group denied it.")


def headings(text: str, title: str | None = None) -> list[str]:
    return [text[a:b] for a, b in heading_spans(text, title)]


@pytest.mark.parametrize("text, expected", [
    # a short first line that ends no sentence is the title
    (f"Militants Seize Border Town\n\n{BODY}", ["Militants Seize Border Town"]),
    # in sentence case too, and a question is still a title
    (f"Will the truce hold in the north?\n{BODY}", ["Will the truce hold in the north?"]),
    # title, deck and dateline before the first paragraph
    (f"Envoy recalled after raid\nThe ministry said talks would go on\nKABUL\n{BODY}",
     ["Envoy recalled after raid", "The ministry said talks would go on", "KABUL"]),
    # a first line that ends a sentence is prose
    (BODY, []),
    # a Title Case section heading inside the text
    (f"{BODY}\n\nThe Group's Ties to the Taliban\n\n{BODY}", ["The Group's Ties to the Taliban"]),
    # a list of other headlines in the middle of the text
    (f"{BODY}\nArmy Kills Ten Militants in Raid\nRebels Take Second City\n{BODY}",
     ["Army Kills Ten Militants in Raid", "Rebels Take Second City"]),
])
def test_heading_lines(text, expected):
    assert headings(text) == expected


@pytest.mark.parametrize("line", [
    "The Taliban, Al-Qaeda and the Haqqani Network remain closely allied.",  # ends a sentence
    "Pakistan said it would not host the group",  # sentence case, inside the text
    "According to the Report by the Monitoring Team of the United Nations Security Council, which "
    "was Published in July, the Groups Remain Close and Cooperate on Training and Finance",  # too long
])
def test_prose_lines_inside_the_text_are_not_headings(line):
    assert headings(f"{BODY}\n{line}\n{BODY}") == []


@pytest.mark.parametrize("text", [
    "Taliban fighters attacked a checkpoint in Kunduz at dawn",  # a post without a final period
    "Army Kills Ten Militants in Raid\nRebels Take Second City",  # only headlines: the content itself
])
def test_a_text_without_prose_has_no_headings(text):
    assert headings(text) == []


def test_a_known_title_repeated_in_the_text_is_a_heading():
    text = f"{BODY}\nhamas and iran: an alliance under strain\n{BODY}"
    assert headings(text, title="Hamas and Iran: An Alliance Under Strain - The Example Post") == [
        "hamas and iran: an alliance under strain"]


def test_spans_point_into_the_text():
    text = f"Militants Seize Border Town\r\n{BODY}"
    for a, b in heading_spans(text):
        assert text[a:b].strip() == "Militants Seize Border Town"


@pytest.mark.slow
def test_extractor_takes_no_tie_event_or_claim_from_a_title(extractor):
    # read as prose, the title would give a tie, an attack and the officials' claim
    text = ("Al-Qaeda attacks Taliban in Kandahar on Monday, officials say\n\n"
            "Analysts said on Monday that the Taliban hosted al-Qaeda in Kandahar.")
    ex = extractor.extract(Document(id="t", text=text, published="2024-05-06"))
    title_end = text.index("\n")
    assert ex.assertions and all(a.start > title_end for a in ex.assertions)
    assert all(e.start > title_end for e in ex.events)
    assert all(j.start > title_end for j in ex.judgments if getattr(j, "start", None) is not None)
    assert any(m.end <= title_end for m in ex.mentions)  # the title's names are still found


@pytest.mark.slow
def test_extractor_ignores_a_headline_list(extractor):
    text = ("Analysts said on Monday that the Taliban hosted al-Qaeda in Kandahar.\n"
            "Related\n"
            "Pakistan Backs Islamic State in New Offensive\n"
            "Al-Qaeda Declares War on the Taliban\n")
    ex = extractor.extract(Document(id="t", text=text))
    found = {(a.subject, a.type, a.object) for a in ex.assertions}
    assert ("taliban", "hosts", "al-qaeda") in found
    assert not any(t == "hostile_to" or s == "pakistan" for s, t, _o in found), found


def test_an_html_page_title_and_its_related_list_are_not_prose(tmp_path):
    from khabar.collect import collect

    (tmp_path / "a.html").write_text(
        "<html><head><title>Iran Arms Rebels, Report Says - The Example Post</title></head><body><article>"
        "<h1>Iran Arms Rebels, Report Says</h1>"
        "<p>Iran has long supplied weapons to the rebels, a report by the United Nations said on Tuesday. "
        "The report cited officials in three countries who follow the region closely.</p>"
        "<h2>Related Stories</h2><ul><li><a href='/x'>Army Kills Ten Militants in Raid</a></li>"
        "<li><a href='/y'>Rebels Take Second City in the North</a></li></ul></article></body></html>",
        encoding="utf-8")
    (doc,) = list(collect(tmp_path))
    found = headings(doc.text, doc.title)
    assert "Iran Arms Rebels, Report Says" in found
    assert not any("Army Kills" in line or "Second City" in line for line in doc.text.split("\n")
                   if line not in found)
