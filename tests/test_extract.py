"""Tie extraction on small hand-written sentences, one construction each."""

from __future__ import annotations

import pytest

from khabar.schema import Document

pytestmark = pytest.mark.slow


def ties(extractor, text: str) -> set[tuple[str, str, str, str]]:
    ex = extractor.extract(Document(id="t", text=text))
    return {(a.subject, a.type, a.object, a.modality) for a in ex.assertions}


def has(found, subject, tie_type, obj, modality="asserted"):
    symmetric = tie_type in ("allied_with", "cooperates_with", "hostile_to")
    return (subject, tie_type, obj, modality) in found or (
        symmetric and (obj, tie_type, subject, modality) in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Pakistan has supported the Taliban for years.", [("pakistan", "supports", "taliban")]),
        ("Al-Qaeda had been operating in Afghanistan for years, hosted by the Taliban.",
         [("taliban", "hosts", "al-qaeda")]),
        ("The Islamic Movement of Uzbekistan, the Turkistan Islamic Party and the TTP have supported the Taliban.",
         [("imu", "supports", "taliban"), ("tip", "supports", "taliban"), ("ttp", "supports", "taliban")]),
        ("The Taliban's victory over the U.S.-backed Afghan army surprised many.",
         [("united-states", "supports", "afghan-government")]),
        ("Islamic State Khorasan was formed by defectors from the Taliban and the Pakistani Taliban.",
         [("isis-k", "splinter_of", "taliban"), ("isis-k", "splinter_of", "ttp")]),
        ("The Global Islamic Media Front released a statement congratulating the Taliban.",
         [("gimf", "endorsed", "taliban")]),
        ("In 2013, al-Nusra pledged allegiance to al-Qaeda.", [("nusra-front", "endorsed", "al-qaeda")]),
        ("The Taliban and al-Qaeda remain closely aligned.", [("taliban", "allied_with", "al-qaeda")]),
        ("Islamic State Khorasan continues to wage an insurgency against the Taliban.",
         [("isis-k", "hostile_to", "taliban")]),
        ("China is Pakistan's closest ally.", [("china", "allied_with", "pakistan")]),
    ],
)
def test_tie_constructions(extractor, text, expected):
    found = ties(extractor, text)
    for subject, tie_type, obj in expected:
        assert has(found, subject, tie_type, obj), (text, found)


def test_negation(extractor):
    found = ties(extractor, "The Taliban did not support al-Qaeda after 2001.")
    assert has(found, "taliban", "supports", "al-qaeda", "negated"), found


def test_without_the_help_of_is_negated(extractor):
    found = ties(extractor, "The Taliban returned to power without the help of al-Qaeda.")
    assert all(m == "negated" for s, t, o, m in found if {s, o} == {"taliban", "al-qaeda"}), found


def test_refusing_to_break_an_alliance_keeps_it(extractor):
    found = ties(extractor, "The Taliban have always refused to break with their ally, al-Qaeda.")
    assert not any(m == "negated" for *_, m in found), found


def test_prediction(extractor):
    found = ties(extractor, "Analysts fear the Taliban will host al-Qaeda again.")
    assert has(found, "taliban", "hosts", "al-qaeda", "predicted"), found


def test_coreference_carries_the_tie_to_the_next_sentence(extractor):
    found = ties(extractor, "Islamic State Khorasan emerged in 2015. The group has attacked the Taliban repeatedly.")
    assert has(found, "isis-k", "hostile_to", "taliban"), found


def test_apposition_group_is_the_parent(extractor):
    found = ties(extractor, "Al-Qaeda in the Arabian Peninsula, the group's most dangerous faction, praised the Taliban.")
    assert has(found, "aqap", "affiliate_of", "al-qaeda"), found
    assert has(found, "aqap", "endorsed", "taliban"), found


def test_country_used_as_a_place_is_not_a_party(extractor):
    found = ties(extractor, "Islamic State Khorasan attacked the Taliban in Afghanistan.")
    assert not any("afghanistan" in (s, o) for s, _, o, _ in found), found


def test_list_members_are_not_tied_to_each_other(extractor):
    found = ties(extractor, "Affiliates such as al-Shabaab, JNIM and Hurras al-Din operate locally.")
    assert not found, found


def test_longest_gazetteer_match_wins(extractor):
    ex = extractor.extract(Document(id="t", text="Al-Qaeda in the Indian Subcontinent was founded in 2014."))
    ids = [m.actor_id for m in ex.mentions if m.via == "gazetteer"]
    assert ids[0] == "aqis" and "al-qaeda" not in ids


def test_acronym_names_match_case_sensitively(extractor):
    ex = extractor.extract(Document(id="t", text="It is Pakistan that decides."))
    assert {m.actor_id for m in ex.mentions} == {"pakistan"}


def test_metonym_acts_but_dateline_does_not(extractor):
    ex = extractor.extract(Document(id="t", text="NAIROBI: Washington condemned the attack."))
    found = {(m.surface, m.actor_id) for m in ex.mentions}
    assert ("Washington", "united-states") in found
    assert not any(s == "NAIROBI" for s, _ in found)


def test_unlisted_organisation_found_by_ner(extractor):
    ex = extractor.extract(Document(id="t", text="The Mahar Mehsud Group claimed the attack on the Pakistani army."))
    assert any(not a.listed for a in ex.actors), [a.to_dict() for a in ex.actors]


def test_offsets_point_at_the_evidence(extractor):
    text = "Some filler text here. Pakistan has supported the Taliban for years."
    ex = extractor.extract(Document(id="t", text=text))
    a = ex.assertions[0]
    assert text[a.start:a.end] == a.sentence
    for m in ex.mentions:
        assert text[m.start:m.end] == m.surface


def test_coordinated_verbs_share_their_arguments(extractor):
    found = ties(extractor, "Central Asian states distrust the Taliban, given that it hosted or cooperated with the IMU.")
    assert has(found, "taliban", "hosts", "imu") and has(found, "taliban", "cooperates_with", "imu"), found


def test_sentence_does_not_start_in_lowercase(extractor):
    text = "The Taliban hosted Al-Qaeda in the Indian Subcontinent (AQIS) leader Asim Umar on its territory."
    ex = extractor.extract(Document(id="t", text=text))
    assert len(ex.sentences) == 1


def test_attribution_quotes_the_original_words(extractor):
    """The parser reads placeholders for actor names; the attribution shown must be the text's own."""
    ex = extractor.extract(Document(id="t", text="US officials said that ISIS-K is an affiliate of the Islamic State."))
    said = {a.attributed_to for a in ex.assertions if a.trigger != "name"}
    assert said == {"US officials"}
