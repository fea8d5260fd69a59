"""Modality of ties on hand-written sentences, one construction each.

The table calls ``modality_of`` on the trigger word of a parsed sentence, so it tests the
modality rules alone, whatever the tie finder does; the last tests run the whole extractor.
"""

from __future__ import annotations

import pytest

from khabar.extract.lexicon import Trigger
from khabar.extract.modality import modality_of, modality_words, path_modality
from khabar.schema import Document

pytestmark = pytest.mark.slow

A, N, P = "asserted", "negated", "predicted"

TABLE = [
    # plain statements
    ("Pakistan has supported Hamas for years.", "supported", "supports", A),
    ("Iran's support for Hezbollah grew after 2006.", "support", "supports", A),
    # negation on the trigger or a verb above it
    ("Pakistan did not support Hamas after 2001.", "support", "supports", N),
    ("Pakistan has never hosted Hamas.", "hosted", "hosts", N),
    ("Iran has no ties with Hamas.", "ties", "allied_with", N),
    ("Pakistan no longer supports Hamas.", "supports", "supports", N),
    ("Neither Iran nor Syria supports Hamas.", "supports", "supports", N),
    ("There is no evidence of ties between Iran and Hamas.", "ties", "allied_with", N),
    ("Far from supporting Hamas, Iran tried to contain it.", "supporting", "supports", N),
    # denying verbs
    ("Pakistan denied that it supports Hamas.", "supports", "supports", N),
    ("Pakistan refused to host Hamas.", "host", "hosts", N),
    ("Iran stopped supporting Hamas in 2012.", "supporting", "supports", N),
    ("Sanctions prevented Iran from supporting Hamas.", "supporting", "supports", N),
    ("The ban did not prevent Iran from supporting Hamas.", "supporting", "supports", A),
    ("The delegation remained hesitant to commit to measures against Hamas.", "against", "hostile_to", N),
    ("Pakistan is unwilling to host Hamas.", "host", "hosts", N),
    ("Iran's refusal to support Hamas angered its leaders.", "support", "supports", N),
    ("Pakistan, which has long denied giving any support to Hamas, was named.", "support", "supports", N),
    # severing verbs: the tie ends; a negated or denied severing keeps it
    ("Hamas cut ties with Iran in 2012.", "ties", "allied_with", N),
    ("Iran ended its support for Hamas.", "support", "supports", N),
    ("Hamas has not cut its ties with Iran.", "ties", "allied_with", A),
    ("Hamas refused to break with its ally, Iran.", "ally", "allied_with", A),
    ("Hamas fought on without ever renouncing its alliance with Iran.", "alliance", "allied_with", A),
    ("Hamas returned to power without the help of Iran.", "help", "supports", N),
    # "without" beside the tie is not its negation
    ("Hamas continued to fight alongside Iran without ever renouncing its aims.", "alongside", "allied_with", A),
    # a tie that is harmed or strengthened exists
    ("The talks have not substantively harmed the Taliban's relationship with Hamas.", "relationship",
     "allied_with", A),
    ("The war has not weakened the alliance between Iran and Hamas.", "alliance", "allied_with", A),
    ("The visit strengthened the partnership between Russia and Iran.", "partnership", "allied_with", A),
    # not only ... but
    ("Pakistan not only hosted Hamas but also armed it.", "hosted", "hosts", A),
    ("Iran did not attack Hamas but supported it.", "supported", "supports", A),
    # the writer's own descriptions stand whatever the clause says
    ("Hamas, Iran's closest ally, will split from the network.", "ally", "allied_with", A),
    ("The statement did not say where the raid against Hamas, an affiliate of Iran, took place.",
     "affiliate", "affiliate_of", A),
    ("Radicals will get a boost from the Taliban's victory over Pakistan.", "over", "hostile_to", A),
    # an accusation denied was still made
    ("Pakistan dismissed India's allegations against it.", "against", "hostile_to", A),
    # a pledge of allegiance is made by pledging it; "pledged to" looks ahead
    ("Hamas pledged allegiance to Iran in 2018.", "allegiance", "endorsed", A),
    ("Hamas pledged to support Iran.", "support", "supports", P),
    # "considered" is "regarded as", not "thinking of"
    ("The Taliban are considered enemies of Hamas.", "enemies", "hostile_to", A),
    # hypotheticals and expectations
    ("Analysts fear that Pakistan will host Hamas again.", "host", "hosts", P),
    ("Pakistan could support Hamas.", "support", "supports", P),
    ("Pakistan would support Hamas in a war.", "support", "supports", P),
    ("Pakistan may host Hamas.", "host", "hosts", P),
    ("Iran is expected to support Hamas.", "support", "supports", P),
    ("If the talks fail, Pakistan will host Hamas.", "host", "hosts", P),
    ("Iran is likely to support Hamas.", "support", "supports", P),
    ("Iran plans to support Hamas.", "support", "supports", P),
    ("Will Pakistan host Hamas again?", "host", "hosts", P),
    # a tie that may be ended holds now
    ("Iran threatened to end its support for Hamas.", "support", "supports", A),
    ("Hamas could cut ties with Iran.", "ties", "allied_with", A),
    ("Hamas said it would not break its ties with Iran for any price.", "ties", "allied_with", A),
    # an analyst's framing is no prediction
    ("It should be noted that Iran supports Hamas.", "supports", "supports", A),
    # a threat or vow of hostility is hostility now
    ("Hamas vowed to fight Pakistan.", "fight", "hostile_to", A),
    ("Hamas threatened to attack Pakistan.", "attack", "hostile_to", A),
    # a question that takes the tie as given
    ("Given Iran's close ties with Hamas, will the war spread?", "ties", "allied_with", A),
    ("Why does Pakistan support Hamas?", "support", "supports", A),
    # a prediction judged improbable
    ("The likelihood that Iran will support Hamas is small.", "support", "supports", N),
    # negated and predicted: negation wins
    ("Pakistan will not host Hamas.", "host", "hosts", N),
]


@pytest.fixture(scope="module")
def nlp():
    from khabar.extract.nlp import load_model

    return load_model()


@pytest.mark.parametrize("text, word, tie_type, expected", TABLE, ids=[row[0][:48] for row in TABLE])
def test_modality_table(nlp, text, word, tie_type, expected):
    doc = nlp(text)
    t = next(tok for tok in doc if tok.text == word)
    pos = {"ADP": "prep"}.get(t.pos_, "verb" if t.pos_ in ("VERB", "AUX") else "noun")
    got = modality_of(t, [t], doc, Trigger(word=word, type=tie_type, pos=pos))
    parse = " ".join(f"{x.text}/{x.dep_}>{x.head.i}" for x in doc)
    assert got == expected, parse


def test_table_covers_every_modality():
    assert {row[3] for row in TABLE} == {A, N, P}


def test_word_lists_load_and_keep_their_roles_apart():
    w = modality_words()
    assert {"not", "no"} <= w.negators and "refuse" in w.negating_verbs and "cut" in w.severing_verbs
    assert not w.negating_verbs & w.severing_verbs
    assert not w.severing_verbs & w.presupposing_verbs
    assert "rule out" in w.negating_verbs  # multiword lemmas are written with "_"


@pytest.mark.parametrize("text, expected", [
    ("Pakistan, which has long denied giving weapons to Hamas, was named.", N),
    ("Pakistan, which gave weapons to Hamas, was named.", A),
    ("Pakistan, which may give weapons to Hamas, was named.", P),
])
def test_path_modality_reads_the_clause_that_links_the_actors(nlp, text, expected):
    from khabar.extract.ties import _path

    doc = nlp(text)
    a, b = doc[0], next(t for t in doc if t.text == "Hamas")
    path, lca = _path(a, b)
    assert path_modality(path, lca) == expected
    assert modality_of(lca, path, doc) == A  # the actor that heads the clause says nothing of it


def ties(extractor, text):
    ex = extractor.extract(Document(id="t", text=text))
    return {(a.subject, a.type, a.object, a.modality) for a in ex.assertions}


@pytest.mark.parametrize("text", [
    "The peace talks have not substantively harmed the Taliban's relationship with al-Qaeda.",
    "Al-Qaeda fought alongside the Taliban without the group ever renouncing their alliance with al-Qaeda.",
])
def test_extractor_keeps_a_tie_that_is_twice_negated(extractor, text):
    found = {m for s, _t, o, m in ties(extractor, text) if {s, o} == {"taliban", "al-qaeda"}}
    assert found == {A}, found


def test_extractor_negates_a_severed_tie(extractor):
    found = {m for s, _t, o, m in ties(extractor, "The Taliban cut ties with al-Qaeda in 2020.")
             if {s, o} == {"taliban", "al-qaeda"}}
    assert found == {N}, found
