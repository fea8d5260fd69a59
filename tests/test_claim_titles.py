"""A role word standing for a person named before ("the TTP chief" after "TTP chief Noor
Wali Mehsud"), and vows as claims."""

from __future__ import annotations

import pytest

from khabar.extract.claims import _title_holder
from khabar.schema import Document


@pytest.mark.parametrize("title, before, holder", [
    ("The militia chief", "Militia chief Mufti Karim Osman met elders. ", "Karim Osman"),
    ("the commander", "Rebel commander Hamid Baraki spoke. Then the police chief Ali Ghani left. ", "Hamid Baraki"),
    # the whole role first: another body's chief is not this one
    ("the front chief", "Front chief Sami Aziz spoke. The army chief Omar Haidari disagreed. ", "Sami Aziz"),
    # the role word alone, the last person named after it
    ("the chief", "Front chief Sami Aziz spoke. The army chief Omar Haidari disagreed. ", "Omar Haidari"),
    # no name after the role word: nobody
    ("the chief", "The chief of the army spoke to the elders. ", None),
    ("the spokesman", "A spokesman said the talks would go on. ", None),
])
def test_a_role_word_stands_for_the_person_named_after_it(title, before, holder):
    assert _title_holder(title, before) == holder


def judgments(extractor, text):
    return extractor.extract(Document(id="t", text=text, published="2021-08-17", source=None)).judgments


@pytest.mark.slow
def test_the_role_word_speaks_as_that_person(extractor):
    text = ("Front chief Sami Aziz met the elders in the valley on Monday. "
            "The front chief said that the army would not hold the pass. "
            "He vowed to continue the fight against the government.")
    found = judgments(extractor, text)
    assert [j.speaker for j in found] == ["Sami Aziz", "Sami Aziz"]
    assert "continue the fight" in found[1].text


@pytest.mark.slow
def test_the_role_word_speaks_as_the_unnamed_person_before(extractor):
    text = ("An officer in the Ruritanian border police told reporters that the rebels had crossed the river. "
            "The officer confirmed reports that the rebels now hold the pass.")
    found = judgments(extractor, text)
    assert [j.speaker for j in found] == ["officer in the Ruritanian border police"] * 2


@pytest.mark.slow
def test_the_statement_is_the_last_speakers(extractor):
    text = ("Foreign Minister Ana Ruiz, in a statement on Monday, described the Northern Front as a proxy of "
            "Ruritania. The Northern Front has also attacked two towns in the valley since May.\n\n"
            "\u201cThese measures show our resolve to protect the border,\u201d the statement said.")
    found = judgments(extractor, text)
    assert [j.speaker for j in found] == ["Ana Ruiz", "Ana Ruiz"]


@pytest.mark.slow
@pytest.mark.parametrize("text, speakers", [
    # the lead gives a role, the next sentence the name: one person
    ("A senior defence official warned that the militia could strike the capital within months. "
     "Jane Roe, under secretary for policy, told lawmakers that the militia has the intent to attack.",
     ["Jane Roe", "Jane Roe"]),
    # a name the text gave before the role is someone else
    ("Jane Roe met the envoy on Monday. A senior defence official warned that the militia could strike the "
     "capital. Jane Roe said the talks had gone well.",
     ["senior defence official", "Jane Roe"]),
    # the name comes too late to be the role's
    ("A senior defence official warned that the militia could strike the capital. The militia holds the hills. "
     "The army holds the plain. Its supply lines are long. Jane Roe said the talks had gone well.",
     ["senior defence official", "Jane Roe"]),
])
def test_a_role_named_in_the_next_sentences_is_that_person(extractor, text, speakers):
    assert [j.speaker for j in judgments(extractor, text)] == speakers


@pytest.mark.slow
def test_a_listed_body_speaks_under_one_name_in_a_document(extractor):
    text = ("The Islamic State Khorasan Province said it fired ten rockets at the base on Monday. "
            "In a later message, ISKP said that its fighters would strike the base again.")
    doc = Document(id="b", text=text, published="2021-08-17", source=None)
    assert [j.speaker for j in extractor.extract(doc).judgments] == ["Islamic State Khorasan Province"] * 2


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Abu Karim al-Hashimi leads the front. In a video, al-Hashimi said the front would cut its ties.",
    "The front's leader Abu Karim al-Hashimi spoke on Thursday. Al-Hashimi said that the front would have no links.",
])
def test_a_surname_with_its_article_is_the_person_named_before(extractor, text):
    doc = Document(id="a", text=text, published="2021-08-17", source=None)
    assert [j.speaker for j in extractor.extract(doc).judgments] == ["Abu Karim al-Hashimi"]


@pytest.mark.slow
@pytest.mark.parametrize("text, speaker", [
    # a part of a listed body speaks under the body's name
    ("The UN security council's committee said that the militia had grown in the north.", "United Nations"),
    # a part of an unlisted or unnamed body keeps its own name
    ("The village committee said that the militia had grown in the north.", "village committee"),
])
def test_a_part_of_a_listed_body_speaks_as_the_body(extractor, text, speaker):
    doc = Document(id="p", text=text, published="2021-08-17", source=None)
    assert [j.speaker for j in extractor.extract(doc).judgments] == [speaker]


@pytest.mark.slow
@pytest.mark.parametrize("text, speakers", [
    # a body given by its common noun and named in the next sentences is that body
    ("The militia has kept close ties with the rebels, a US intelligence agency said. The army handed over five "
     "bases. According to the Defense Intelligence Agency, the rebels are waiting for orders.",
     ["Defense Intelligence Agency"] * 2),
    # another head noun is another body
    ("The militia has kept close ties with the rebels, a US intelligence agency said. "
     "According to the Defense Ministry, the rebels are waiting for orders.",
     ["US intelligence agency", "Defense Ministry"]),
])
def test_a_body_given_by_its_common_noun_is_the_body_named_next(extractor, text, speakers):
    assert [j.speaker for j in judgments(extractor, text)] == speakers


@pytest.mark.slow
@pytest.mark.parametrize("text, speaker, role", [
    # the words up to the last title are the person's role
    ("Joint Police Commissioner Karim Osman said the gunmen came from the sea.", "Karim Osman",
     "Joint Police Commissioner"),
    # a body whose name holds a title word keeps its name
    ("Defense Intelligence Agency said the gunmen came from the sea.", "Defense Intelligence Agency", None),
])
def test_titles_before_a_name_are_the_role(extractor, text, speaker, role):
    doc = Document(id="t", text=text, published="2021-08-17", source=None)
    found = extractor.extract(doc).judgments
    assert [(j.speaker, j.role) for j in found] == [(speaker, role)]
