"""Ties a document gives beyond single sentences: hostility read off reported attacks
(extract/tieevents.py), a branch named through its parent (extract/tiebranches.py), and
datelines split off the sentence they open (extract/pipeline.py)."""

from __future__ import annotations

import pytest

from khabar.extract.tieevents import event_ties
from khabar.schema import Assertion, EventReport

KINDS = {"iswap": "armed_group", "ttp": "armed_group", "jnim": "armed_group", "issp": "armed_group",
         "niger": "state", "pakistan": "state", "afghanistan": "state", "united-states": "state",
         "cia": "state_agency", "isis": "armed_group"}
STATES = {"NE": "niger", "PK": "pakistan", "AF": "afghanistan", "US": "united-states"}
PARENTS = {"cia": "united-states", "iswap": "isis"}


def _related(a: str, b: str) -> bool:
    return PARENTS.get(a) == b or PARENTS.get(b) == a


def _ties(events, present=("niger", "pakistan", "afghanistan", "united-states"), existing=()):
    return event_ties("d", events, KINDS.get, STATES, set(present), _related, lambda x: x == "afghanistan",
                      existing)


def _ev(type_="attack", actors=(), targets=(), country=None):
    return EventReport(doc_id="d", type=type_, actors=list(actors), targets=list(targets), country=country,
                       sentence="s", start=3, end=9, trigger="attack")


@pytest.mark.parametrize("event, expected", [
    # a named target
    (_ev(actors=["ttp"], targets=["pakistan"]), [("ttp", "pakistan", "event:attack")]),
    (_ev("killing", actors=["united-states"], targets=["ttp"]), [("united-states", "ttp", "event:killing")]),
    # one group, no named target: the state where it happened, when the document names it
    (_ev(actors=["iswap"], country="NE"), [("iswap", "niger", "event:attack:place")]),
    # a state striking abroad is not read as hostility to the state of the place
    (_ev(actors=["united-states"], country="PK"), []),
    # several groups fighting somewhere
    (_ev(actors=["jnim", "issp"], country="NE"), []),
    # a theatre country is a place, never a target
    (_ev(actors=["ttp"], country="AF"), []),
    (_ev(actors=["ttp"], targets=["afghanistan"]), []),
    # nobody did it: no tie (the unclaimed attack keeps its target as an event only)
    (_ev(targets=["pakistan"]), []),
    # one body: an agency and its state, a branch and its core
    (_ev(actors=["cia"], targets=["united-states"]), []),
    (_ev(actors=["isis"], targets=["iswap"]), []),
    # other event types say nothing of hostility
    (_ev("meeting", actors=["ttp"], targets=["pakistan"]), []),
    (_ev("statement", actors=["ttp"], targets=["pakistan"]), []),
])
def test_event_ties(event, expected):
    got = _ties([event])
    assert [(a.subject, a.object, a.rule) for a in got] == expected
    for a in got:
        assert (a.type, a.modality, a.start, a.end, a.sentence) == ("hostile_to", "asserted", 3, 9, "s")


def test_place_from_another_report_of_the_sentence():
    claim = _ev(actors=["iswap"])
    ambush = _ev(country="NE")
    assert [(a.subject, a.object) for a in _ties([claim, ambush])] == [("iswap", "niger")]
    elsewhere = _ev(country="NE")
    elsewhere.start, elsewhere.end = 20, 30
    assert _ties([claim, elsewhere]) == []
    two = [claim, _ev(country="NE"), _ev(country="PK")]
    assert _ties(two) == []


def test_place_from_the_places_its_sentence_names():
    claim = _ev(actors=["ttp"])  # sentence 3..9
    inside = [(4, 8, "PK")]
    assert [(a.subject, a.object) for a in event_ties("d", [claim], KINDS.get, STATES, set(STATES.values()),
                                                       _related, lambda x: False, (), inside)] == [("ttp", "pakistan")]
    two = [(4, 5, "PK"), (6, 8, "NE")]  # places of two countries: where it happened is unknown
    assert event_ties("d", [claim], KINDS.get, STATES, set(STATES.values()), _related, lambda x: False, (),
                      two) == []
    outside = [(20, 25, "PK")]  # a place of another sentence
    assert event_ties("d", [claim], KINDS.get, STATES, set(STATES.values()), _related, lambda x: False, (),
                      outside) == []


def test_state_of_place_only_when_named():
    assert _ties([_ev(actors=["iswap"], country="NE")], present=("pakistan",)) == []


def test_no_repeat_of_a_tie_found_in_the_sentences():
    had = [Assertion(doc_id="d", subject="pakistan", type="hostile_to", object="ttp")]
    assert _ties([_ev(actors=["ttp"], targets=["pakistan"])], existing=had) == []
    twice = _ties([_ev(actors=["ttp"], targets=["pakistan"]), _ev(actors=["ttp"], country="PK")])
    assert len(twice) == 1


@pytest.fixture(scope="module")
def extractor():
    from khabar.extract.pipeline import Extractor

    return Extractor()


@pytest.mark.parametrize("text", [
    "WASHINGTON \u2014 The State Department on Friday designated the Haqqani network a foreign terrorist "
    "organization, opening the way for new sanctions.",
    "ISLAMABAD, Pakistan (AP) - The State Department on Friday designated the Haqqani network a foreign "
    "terrorist organization, opening the way for new sanctions.",
])
def test_dateline_is_not_part_of_the_sentence(extractor, text):
    from khabar.schema import Document

    ex = extractor.extract(Document(id="d", text=text, name="d.txt", published="2012-09-08"))
    ties = {(a.subject, a.type, a.object) for a in ex.assertions}
    assert ("state-department", "hostile_to", "haqqani-network") in ties
    assert all(not a.sentence.startswith(("WASHINGTON", "ISLAMABAD")) for a in ex.assertions)


def test_attack_in_a_named_country_is_hostility_to_it(extractor):
    from khabar.schema import Document

    text = ("Niger has struggled with militant violence for years. The Islamic State West Africa Province "
            "claimed responsibility on Thursday for an ambush that killed 12 soldiers near Diffa in Niger.")
    ex = extractor.extract(Document(id="d", text=text, name="d.txt", published="2021-05-07"))
    ties = {(a.subject, a.type, a.object) for a in ex.assertions}
    assert ("iswap", "hostile_to", "niger") in ties or ("niger", "hostile_to", "iswap") in ties


# -- a branch named through its parent (extract/tiebranches.py) -----------------------------
PARENT = {"isis-k": "isis", "iswap": "isis", "aqap": "al-qaeda", "amaq": "isis"}.get
KIND = {"isis-k": "armed_group", "iswap": "armed_group", "aqap": "armed_group", "amaq": "media_outlet",
        "isis": "armed_group", "al-qaeda": "armed_group"}.get


def _branch(text: str, names: dict[str, str], existing=()):
    from khabar.extract.tiebranches import branch_ties
    from khabar.schema import Mention

    mentions = []
    for name, actor in names.items():
        start = 0
        while (k := text.find(name, start)) >= 0:
            mentions.append(Mention("d", k, k + len(name), name, actor, 1.0, "gazetteer", ""))
            start = k + len(name)
    sentences, start = [], 0
    for part in text.split(". "):
        sentences.append((start, start + len(part) + 1))
        start += len(part) + 2
    return [(a.subject, a.type, a.object) for a in branch_ties("d", text, mentions, PARENT, KIND, sentences,
                                                                 existing)]


@pytest.mark.parametrize("text, expected", [
    ("ISKP claimed the bombing. The Islamic State's branch in Afghanistan has grown.",
     [("isis-k", "affiliate_of", "isis")]),
    ("ISKP claimed the bombing. It is a regional affiliate of Islamic State, officials say.",
     [("isis-k", "affiliate_of", "isis")]),
    ("ISKP claimed the bombing. The Islamic State Afghanistan affiliate grew.",
     [("isis-k", "affiliate_of", "isis")]),
    # no branch noun, far apart: a split, or just the parent doing something
    ("ISKP claimed the bombing. Kabul was calm. Rain fell. It is a violent offshoot of Islamic State.", []),
    # two branches named: which one is meant is unknown; each is named next to the parent
    ("ISKP and ISWAP grew. The Islamic State's branch in Afghanistan has grown.",
     [("isis-k", "affiliate_of", "isis"), ("iswap", "affiliate_of", "isis")]),
    ("ISKP and ISWAP grew. Kabul was calm. Rain fell. Islamic State's branch in Afghanistan has grown.", []),
    # named in the same or the next sentence, without a branch noun
    ("ISKP claimed the bombing. Islamic State fighters attacked the province of Kunar.",
     [("isis-k", "affiliate_of", "isis")]),
    # the parent alone: nothing to tie
    ("The Islamic State's branch in Afghanistan has grown.", []),
])
def test_branch_ties(text, expected):
    names = {"ISKP": "isis-k", "ISWAP": "iswap", "Islamic State": "isis"}
    assert _branch(text, names) == expected


@pytest.mark.parametrize("tie_type", ["affiliate_of", "splinter_of", "hostile_to"])
def test_branch_tie_not_against_the_sentences(tie_type):
    had = [Assertion(doc_id="d", subject="isis-k", type=tie_type, object="isis")]
    text = "ISKP claimed the bombing. Islamic State fighters attacked the province of Kunar."
    assert _branch(text, {"ISKP": "isis-k", "Islamic State": "isis"}, had) == []
