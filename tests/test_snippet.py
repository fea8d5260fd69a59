"""Search snippets made in Python (store.text.snippet): the matches of an FTS5 expression
marked « », the sentence cut around the first one, as FTS5's snippet() shows them."""

from __future__ import annotations

import pytest

from khabar.store.text import snippet


@pytest.mark.parametrize("text, match, expected", [
    # phrases of an expanded name, ORed, and a bare word
    ("The Taliban attacked a post, and the Islamic Emirate denied it.", '("taliban" OR "Islamic Emirate") AND attacked',
     "The «Taliban» «attacked» a post, and the «Islamic Emirate» denied it."),
    # words of a phrase across punctuation and case; diacritics folded as the index folds them
    ("Al-Qaeda's envoy met Ḥamās.", '"al qaeda" OR "hamas"', "«Al-Qaeda»'s envoy met «Ḥamās»."),
    # a prefix query marks the whole word; a word inside another is no match
    ("ISIS-K and Talibanistan.", "isis* OR taliban", "«ISIS»-K and Talibanistan."),
    # operators are not words to mark
    ("Peace talks or war.", '"peace" OR "war"', "«Peace» talks or «war»."),
    # a quote inside a phrase (FTS5 doubles it)
    ('He said "no" twice.', '"said ""no"""', 'He «said "no»" twice.'),
])
def test_marks(text, match, expected):
    assert snippet(text, match) == expected


def test_a_long_sentence_is_cut_around_the_first_match():
    words = [f"w{i}" for i in range(40)]
    words[30] = "Haqqani"
    out = snippet(" ".join(words), '"haqqani"', tokens=10)
    assert out.startswith("…") and out.endswith("…") and "«Haqqani»" in out
    assert len(out.strip("…").split()) == 10


def test_no_match_keeps_the_start():
    assert snippet("one two three", '"four"', tokens=2) == "one two…"
    assert snippet("", '"x"') == ""
