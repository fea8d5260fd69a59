"""Attributed judgments on hand-written paragraphs: speakers, roles, follow-ups, bands, horizons."""

from __future__ import annotations

import pytest

from khabar.schema import Document

pytestmark = pytest.mark.slow


def judgments(extractor, text: str, source: str | None = "Steppe Security Review", published: str = "2021-08-17"):
    doc = Document(id="j", text=text, published=published, source=source)
    return extractor.extract(doc).judgments


def test_speaker_role_and_band(extractor):
    found = judgments(extractor, "Nathan Sales, former State Department coordinator for counterterrorism, said "
                                 "it is virtually certain that al-Qaeda will reestablish a safe haven in Afghanistan.")
    assert len(found) == 1
    j = found[0]
    assert j.speaker == "Nathan Sales"
    assert j.role == "former State Department coordinator for counterterrorism"
    assert (j.estimate, j.band, j.low, j.high) == ("virtually certain", "almost certain", 0.95, 0.99)
    assert {"al-qaeda"} <= set(j.about)
    assert j.text.startswith("it is virtually certain")


def test_follow_up_attribution_resolves_to_the_same_speaker(extractor):
    text = ("Peter Neumann, a professor at King's College London, said radical groups would celebrate. "
            "But he believes that the likelihood that the Taliban will host al-Qaeda is small. "
            "\u201cThey have understood what they lost in 2001,\u201d Mr. Neumann said.")
    found = judgments(extractor, text)
    assert [j.speaker for j in found] == ["Peter Neumann"] * 3
    assert found[1].band == "unlikely" and found[1].via == "pronoun"


def test_trailing_and_according_to(extractor):
    found = judgments(extractor, "The Taliban will try to consolidate control first, said John Sawers, a former "
                                 "head of MI6. According to a UN report, al-Qaeda is present in 15 provinces.")
    assert [j.speaker for j in found] == ["John Sawers", "United Nations"]
    assert found[0].role == "a former head of MI6"


def test_body_reports_speak_as_the_organisation(extractor):
    found = judgments(extractor, "A United Nations report in June said that the Taliban and al-Qaeda remain "
                                 "closely aligned.")
    assert found and found[0].speaker == "United Nations" and found[0].speaker_kind == "body"


def test_quotation_continues_the_speaker(extractor):
    text = ("\u201cThe Taliban won\u2019t move against them,\u201d said John Sawers. "
            "\u201cThey don\u2019t want to attract international hostility again.\u201d")
    assert [j.speaker for j in judgments(extractor, text)] == ["John Sawers", "John Sawers"]


def test_publisher_judgments_in_analysis_but_not_plain_news(extractor):
    analysis = "The Taliban will need to accommodate those militants. ISIS-K attacked a checkpoint on Monday."
    found = judgments(extractor, analysis, source="The Soufan Center")
    assert [j.speaker for j in found] == ["The Soufan Center"]  # the event report is not a judgment
    news = "The Taliban will need to accommodate those militants. There is little doubt that the victory helps them."
    found = judgments(extractor, news, source="The New York Times")
    assert [j.estimate for j in found] == ["little doubt"]  # a news outlet judges only with estimative words


def test_horizon_gives_a_due_date(extractor):
    found = judgments(extractor, "He expects al-Qaeda to reestablish itself in Afghanistan in the next three to six "
                                 "months, said Nathan Sales.", published="2021-08-17")
    assert found[0].due == "2022-02-17" and found[0].band == "likely"


def test_confidence_is_kept_apart_from_likelihood(extractor):
    found = judgments(extractor, "Analysts at the monitor judge with high confidence that the group is likely "
                                 "to attack again.", source="Hindu Kush Monitor")
    assert found and found[0].confidence == "high" and found[0].band == "likely"


def test_bare_might_has_no_band(extractor):
    found = judgments(extractor, "The United States might intervene again, said Peter Neumann.")
    assert found and found[0].band is None and found[0].low is None


@pytest.mark.parametrize("dateline, count", [
    ("KANDAR, May 3 (Reuters) - ", 1),  # the agency's own copy under its dateline: its analysis is its own
    ("", 0),                            # a news outlet otherwise judges only with estimative words
])
def test_a_wire_story_under_its_dateline_judges_in_its_own_voice(extractor, dateline, count):
    text = (dateline + "Gunmen attacked a checkpoint near the river on Monday.\n\n"
            "The rebels will need to hold the valley to keep their supply lines open.")
    found = judgments(extractor, text, source="Reuters")
    assert [j.speaker for j in found] == ["Reuters"] * count


@pytest.mark.parametrize("sentence, judged", [
    ("The ministry could not be reached for comment.", False),        # a newsroom formula
    ("The embassy did not immediately respond to a request for comment.", False),
    ("The front is widely seen as a proxy of the army.", True),       # a perception the author reports as given
    ("The commander is believed to be hiding in the hills.", True),
    ("The front was founded in 2012.", False),                         # a plain fact
])
def test_what_an_analysis_outlet_judges_in_its_own_voice(sentence, judged):
    from khabar.extract.claims import ClaimFinder

    assert ClaimFinder._own_judgment(sentence, news=False, reports_event=False) is judged
