"""Speakers read off the parse: hand-written sentences, one attribution pattern each."""

from __future__ import annotations

import pytest

from khabar.extract.nlp import load_model
from khabar.extract.speakers import attribute, has_cue, reporting
from khabar.schema import Document

pytestmark = pytest.mark.slow


def found(text: str, open_quote: bool = False) -> list[tuple[str, str]]:
    sub = load_model()(text)
    chars = [(t.idx, t.idx + len(t)) for t in sub]
    return [(a.speaker, a.kind) for a in attribute(sub, chars, text, {}, open_quote)]


@pytest.mark.parametrize("text, speaker, kind", [
    # a named person leading or trailing, with a title that is not part of the name
    ("Gen. Karim Haddad, the head of the border police, said the rebels were regrouping.", "Karim Haddad", "person"),
    ("The rebels are regrouping in the hills, said Leila Moradi, a researcher at the institute.", "Leila Moradi",
     "person"),
    ("Foreign Ministry spokesman Omar Farouk told reporters that the talks had failed.", "Omar Farouk", "person"),
    # persons by role, and groups of persons
    ("A senior police official said the attackers had crossed the border at night.", "senior police official",
     "person"),
    ("Western diplomats believe that the militia will split within a year.", "Western diplomats", "group"),
    ("Officials in Kandahar said the bombers had trained abroad.", "Officials in Kandahar", "group"),
    # a body no list knows, and a spokesman speaking for his body
    ("The Ruritanian Interior Ministry said four suspects were arrested.", "Ruritanian Interior Ministry", "body"),
    ("A spokesman for the Northern Alliance said the pass was still open.", "Northern Alliance", "body"),
    # a report speaks for whoever issued it
    ("A statement by the Northern Front said its fighters had withdrawn.", "Northern Front", "body"),
    # "according to X", and X "quoted as saying"
    ("According to Amira Saleh, the group is running out of money.", "Amira Saleh", "person"),
    # an outlet named with a report word is the outlet, not a report of it
    ("The militia is short of money, according to The Riverside Post.", "Riverside Post", "body"),
    ("\u201cWe will not negotiate,\u201d a rebel commander was quoted as saying.", "rebel commander", "person"),
    # the subject carries over to "saying"/"adding" clauses
    ("The governor lashed out at the army, saying the soldiers had fled.", "governor", "title"),
    # a judging adjective with a clause: "others, like X, are sure that"
    ("Others, like Dana Pierce, are sure that the truce will collapse.", "Dana Pierce", "person"),
    # an inserted "X noted" speaks for the clause around it
    ("The militia is weaker than it looks, Karimi noted, and it cannot hold the town.", "Karimi", "name"),
    # verbs whose object is the claim itself
    ("The provincial authorities confirmed the attack on Monday.", "provincial authorities", "group"),
    ("Ruritania has denied any role in the bombing.", "Ruritania", "name"),  # a body or a surname
    # one unnamed person in a named body carries the body's name; confirming reports makes them one's own
    ("An officer in the Ruritanian border police said the pass was closed.",
     "officer in the Ruritanian border police", "person"),
    ("The officer confirmed reports that the pass was closed.", "officer", "title"),
    # characterising: describing a claim as something judges it, vowing commits to what will be
    ("The ministry described the allegations as a smear by its rivals.", "ministry", "body"),
    ("The militia commander vowed to retake the town before winter.", "militia commander", "title"),
    # pronouns are left for the document to resolve
    ("\u201cThe border is closed,\u201d he said.", "he", "pronoun"),
])
def test_speaker_from_the_parse(text, speaker, kind):
    assert (speaker, kind) in found(text)


@pytest.mark.parametrize("text", [
    "It is believed that the group has moved its camps.",         # nobody is named
    "The attack killed six soldiers near the border.",            # no reporting verb
    "Stories written by the rebels appeared in the local press.",  # a modifier, nobody speaks
    "The ministry rejected the allegations on Monday.",           # an answer to another's claim
    "The group said nothing about its losses.",                   # a say-verb with a bare object
    "The statement did not say when the raid took place.",        # nothing is said
])
def test_no_speaker(text):
    assert found(text) == []


def test_a_reporting_verb_inside_a_report_is_part_of_the_claim():
    # one claim by the minister: the analysts' belief is what he reports
    assert found("The minister said analysts believe the ceasefire will hold.") == [("minister", "title")]


def test_a_relay_gives_way_to_the_speaker_it_relays():
    text = "The Northern Front said it had shot down a drone, according to Ruritania Today."
    assert found(text) == [("Northern Front", "body")]


def test_a_relay_that_governs_the_speaker_s_clause_gives_way_too():
    text = "Head of the border guard, Omid Rahimi, had stated the raiders were foreigners, Ruritania Today reported."
    assert found(text) == [("Omid Rahimi", "person")]


def test_a_verb_inside_a_quotation_is_the_quoted_speaker_s():
    # the sentence runs on inside a quotation opened before it: "they argue" is quoted speech
    assert found("They will push it and argue that fighting pays.\u201d", open_quote=True) == []


def test_a_dateline_place_is_no_speaker():
    assert ("KANDAHAR", "body") not in found("KANDAHAR (Reuters) \u2014 The rebels told villagers they would return.")


@pytest.mark.parametrize("words, cue", [
    (["officials", "said", "on", "monday"], True),
    (["according", "to", "the", "ministry"], True),
    (["\u201c", "we", "will", "win"], False),  # a quotation alone: its speaker comes from around it
    (["she", "is", "sure", "of", "it"], True),
    (["the", "attack", "killed", "six"], False),
])
def test_the_parse_gate(words, cue):
    assert has_cue(words) is cue


@pytest.mark.parametrize("sentence, parse", [
    ("Karim Haddad said the rebels were regrouping.", False),        # the patterns find the speaker
    ("A senior police official said the rebels were regrouping.", True),
    ("The rebels were regrouping in the hills.", False),              # nothing reported
])
def test_a_parse_only_where_the_patterns_find_no_speaker(extractor, sentence, parse):
    words = [w.lower() for w in sentence.rstrip(".").split()]
    assert extractor.claims.wants_parse(sentence, words) is parse


def test_the_lexicon_derives_inflected_forms():
    forms = reporting().forms
    assert {"said", "says", "denied", "denies", "accused", "warning", "believes", "told", "wrote"} <= forms


# -- through the whole pipeline: resolution against the document's earlier speakers ------------------

def judgments(extractor, text: str):
    return extractor.extract(Document(id="s", text=text, published="2024-05-01", source=None)).judgments


def test_a_surname_and_a_title_resolve_to_the_person_named_before(extractor):
    text = ("Colonel Tariq Mensah, the regional commander, said the militants had lost ground. "
            "Mensah added that the roads would reopen. The colonel warned that the group could return.")
    assert [j.speaker for j in judgments(extractor, text)] == ["Tariq Mensah"] * 3


def test_a_lone_surname_finds_the_full_name_in_the_text(extractor):
    text = ("Ruritanian Foreign Minister Chen Lihua met the delegation in the capital on Tuesday. "
            "Chen said the rebels must cut their ties with foreign fighters.")
    assert [j.speaker for j in judgments(extractor, text)] == ["Chen Lihua"]


def test_a_pronoun_stands_for_the_subject_of_the_sentence_before(extractor):
    text = ("The Ruritanian embassy condemned the report as propaganda. "
            "\u201cThe militias are our enemies and have killed our diplomats,\u201d it said.")
    assert [j.speaker for j in judgments(extractor, text)] == ["Ruritanian embassy"]


def test_he_is_the_last_person_who_spoke_however_he_was_named(extractor):
    text = ("Dana Pierce, a professor of war studies, said the militia would split. "
            "Another analyst, Omid Rahimi, said the militia would hold. "
            "The militia will lose its sponsors, Ms. Pierce said. "
            "But she believes that the likelihood of a split this year is small.")
    last = judgments(extractor, text)[-1]
    assert (last.speaker, last.band) == ("Dana Pierce", "unlikely")


def test_a_judging_verb_is_part_of_how_sure_the_claim_is(extractor):
    found = judgments(extractor, "Western diplomats expect the militia to disarm within a year.")
    assert [(j.speaker, j.band) for j in found] == [("Western diplomats", "likely")]


def test_a_quotation_opened_before_its_speaker_is_the_speaker_s(extractor):
    text = ("\u201cThe fighters are exhausted. They will not hold the town for long,\u201d said Nadia Karimi, "
            "an analyst at the Kabul Policy Forum.")
    found_ = judgments(extractor, text)
    # one quotation whose second sentence leans on the first ("They") is one claim
    assert [j.speaker for j in found_] == ["Nadia Karimi"]
    assert "exhausted" in found_[0].text and "for long" in found_[0].text


@pytest.mark.parametrize("text, speakers", [
    # a dateline closed by "):" names no speaker, and "groups said to be" is nobody's speech
    ("Doha [Qatar], May 3 (XNA): The talks stalled as the delegation refused \"binding steps\" against the "
     "groups said to be sheltering in the hills.", []),
    # "according to X" inside a quotation is the quoted speaker's source
    ("\u201cAccording to several witnesses, local men drove into the cyclists and stabbed them.\u201d", []),
    ("According to several witnesses, local men drove into the cyclists.", [("several witnesses", "group")]),
])
def test_sentences_that_name_no_speaker_of_their_own(text, speakers):
    assert found(text) == speakers


def test_a_group_named_by_an_acronym_is_not_the_group_before(extractor):
    text = ("ISIS fighters attacked al-Qaeda in the valley on Monday, killing 13 of the group's men, "
            "according to the SITE intelligence monitoring group.")
    doc = Document(id="g", text=text, published="2021-08-17", source=None)
    assert [j.speaker for j in extractor.extract(doc).judgments] == ["SITE intelligence monitoring group"]


@pytest.mark.parametrize("text, speakers", [
    # a past tense the tagger reads as a participle still speaks when it has a subject
    ("\u201cThere was an attack, but the toll is not yet clear,\u201d a military source disclosed on Saturday.",
     [("military source", "person")]),
    # the source an outlet cites speaks, not the outlet
    ("According to the army, fighters attacked two posts near the border, Geo News reported.", [("army", "body")]),
    # a title before a surname makes a person of it, whatever the tagger thought
    ("On Monday, Admiral Pierce told lawmakers that the fleet would sail.", [("Pierce", "name")]),
    # a report named by several capitalised words speaks under all of them
    ("\u201cThe fighters will regroup next year,\u201d said a Lead Inspector General Report to Congress.",
     [("Lead Inspector General", "body")]),
])
def test_who_speaks_when_the_parse_is_uncertain(text, speakers):
    assert found(text) == speakers


def test_a_listed_body_before_a_name_is_the_person_s_body_not_part_of_the_name(extractor):
    text = ("Taliban governor Abdul Salam Hanafi met the envoy. According to former Taliban governor "
            "Abdul Salam Hanafi, the two groups worked together on the talks.")
    found_ = judgments(extractor, text)
    assert [(j.speaker, j.speaker_kind) for j in found_] == [("Abdul Salam Hanafi", "person")]


@pytest.mark.parametrize("text, speakers", [
    # a claim noun whose owner the phrase names: the owner speaks
    ("Despite repeated claims by the army that the insurgency has been contained, attacks go on.", [("army", "body")]),
    ("Despite the Taliban\u2019s claims of maintaining security in the north, attacks go on.", [("Taliban", "body")]),
    # a claim noun without an owner names nobody
    ("The army dismissed claims that the town had fallen.", []),
    # an owner but no content: nothing is claimed
    ("The army repeated its claims on Monday.", []),
    # playing down and hinting judge too, in the passive with the agent speaking
    ("These incidents are downplayed by the army as sporadic violence.", [("army", "body")]),
    ("The Taliban hinted at a merger of the splinter factions.", [("Taliban", "body")]),
])
def test_a_claim_noun_s_owner_speaks(text, speakers):
    assert found(text) == speakers


@pytest.mark.parametrize("text, speakers", [
    # the comma closes the source: what follows is the clause's subject, not a second source
    ("According to former governor Karim Osman, Al-Qaeda and the Taliban have worked closely on the talks.",
     [("Karim Osman", "person")]),
    ("According to the UN and the EU, the rebels have regrouped.", [("UN", "body"), ("EU", "body")]),
])
def test_according_to_names_its_sources_up_to_the_comma(text, speakers):
    assert found(text) == speakers


def test_he_after_a_person_speaking_inside_another_s_report_is_that_person(extractor):
    text = ("Minister Omar Haidari opened the session. General Dana Pierce then met the envoys. "
            "On Monday, Gen. Pierce told lawmakers on a call that the Taliban were rapidly changing their "
            "plans, Pentagon officials said. The militia could regroup within months, he told the lawmakers.")
    found_ = judgments(extractor, text)
    assert [j.speaker for j in found_] == ["Pentagon officials", "Dana Pierce"]
