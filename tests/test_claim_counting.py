"""How many claims a speaker makes: bracket insertions do not cut a sentence in two, and a
claim repeated (paraphrase, then quotation) counts once."""

from __future__ import annotations

import pytest

from khabar.extract.claim_counting import drop_repeats
from khabar.extract.claims import _join_bracket_splits
from khabar.schema import Document, Judgment


def _spans(parts: list[str]) -> tuple[str, list[tuple[int, int]]]:
    text, spans = "", []
    for part in parts:
        spans.append((len(text), len(text) + len(part)))
        text += part + " "
    return text, spans


@pytest.mark.parametrize("parts, joined", [
    (["The envoy said the view is that [", "Omar] leads the group now.", "Nothing else changed."],
     ["The envoy said the view is that [ Omar] leads the group now.", "Nothing else changed."]),
    (["He said this", "[decision] helps the rebels.", "Talks resume soon."],
     ["He said this [decision] helps the rebels.", "Talks resume soon."]),
    (["Kabul [", "Afghanistan], May 3: The council met.", "It said little."],
     ["Kabul [ Afghanistan], May 3: The council met.", "It said little."]),
    (["The army [which had fled] returned.", "The town fell."],
     ["The army [which had fled] returned.", "The town fell."]),
    (["Two sentences here.", "Nothing to join."], ["Two sentences here.", "Nothing to join."]),
])
def test_a_bracket_never_ends_or_opens_a_sentence(parts, joined):
    text, spans = _spans(parts)
    out, parse_of = _join_bracket_splits(text, spans)
    assert [text[a:b] for a, b in out] == joined
    for span, part in parse_of.items():  # a joined sentence keeps the parse of its longest part
        assert span in out and span[0] <= part[0] and part[1] <= span[1]


def _j(speaker: str, text: str, band: str | None = None) -> Judgment:
    return Judgment(doc_id="d", speaker=speaker, text=text, band=band)


@pytest.mark.parametrize("said, kept", [
    # the lead's paraphrase and the quotation after it are one claim
    ([("Ann Lee", "that the militia acts as an arm of the army"),
      ("Ann Lee", "\u201cThe militia, for one, acts as an arm of the army.")], 1),
    # a subtitle repeating the lead in other spellings
    ([("Central Command", "Rebels may lose their bases in the coming months"),
      ("Central Command", "Rebels may lose their bases in the coming months.")], 1),
    # a paraphrase that keeps most of the words (5 of 7) is still the same claim
    ([("Ann Lee", "that the militia acts as an arm of the army in the north"),
      ("Ann Lee", "\u201cThe militia, for one, acts as an arm of the army and its spies.")], 1),
    # the same words from two speakers are two claims
    ([("Ann Lee", "the militia acts as an arm of the army"),
      ("Bo Chen", "the militia acts as an arm of the army")], 2),
    # two different things the same speaker says
    ([("Ann Lee", "the militia acts as an arm of the army"),
      ("Ann Lee", "the army denies any links with the militia and its leaders")], 2),
])
def test_a_repeated_claim_counts_once(said, kept):
    assert len(drop_repeats([_j(s, t) for s, t in said])) == kept


def test_the_repeat_with_a_band_is_kept():
    out = drop_repeats([_j("Ann Lee", "the rebels will attack the town"),
                         _j("Ann Lee", "the rebels will likely attack the town", band="likely")])
    assert [j.band for j in out] == ["likely"]


@pytest.mark.slow
@pytest.mark.parametrize("text, count", [
    # a quotation of two sentences, the second leaning on the first: one claim
    ("\u201cThe militia has eroded the army\u2019s position in the valley. They have undermined its standing "
     "with the tribes,\u201d said Ann Lee.", 1),
    # the second sentence says something else: two claims
    ("\u201cWe condemn the attack on the market in the strongest terms. The people of the valley deserve "
     "peace,\u201d said Ann Lee.", 2),
    # a quotation opened after the lead goes on with a pronoun: the lead and the quotation
    ("Ann Lee said the talks had failed. \u201cThe collapse is a setback for the council. It will cost the "
     "government dearly in the north.\u201d", 2),
    # a new paragraph is a new claim, whatever its first word
    ("\u201cThe collapse is a setback for the council,\u201d said Ann Lee.\n\n\u201cIt will cost the "
     "government dearly in the north.\u201d", 2),
])
def test_one_quotation_is_one_claim_when_its_sentences_lean_on_each_other(extractor, text, count):
    doc = Document(id="q", text=text, published="2021-08-17", source=None)
    found = extractor.extract(doc).judgments
    assert [j.speaker for j in found] == ["Ann Lee"] * count


def _at(speaker: str, kind: str, text: str, s0: int, s1: int) -> Judgment:
    return Judgment(doc_id="d", speaker=speaker, speaker_kind=kind, text=text, sentence_start=s0, sentence_end=s1)


@pytest.mark.parametrize("second, kept", [
    # the spokesman voices in the next sentence what the lead gave the state: his claim, once
    (_at("Li Wen", "person", "It is a normal diplomatic arrangement", 101, 150), ["Li Wen"]),
    # he says something else: two claims
    (_at("Li Wen", "person", "The envoy will present his papers next week", 101, 150), ["Ruritania", "Li Wen"]),
    # another body repeating it is another speaker
    (_at("Freedonia", "body", "It is a normal diplomatic arrangement", 101, 150), ["Ruritania", "Freedonia"]),
])
def test_a_body_s_claim_voiced_next_by_a_person_is_the_person_s(second, kept):
    first = _at("Ruritania", "body", "it was a normal diplomatic arrangement for the capital", 0, 100)
    assert [j.speaker for j in drop_repeats([first, second])] == kept
