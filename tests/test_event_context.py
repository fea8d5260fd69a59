"""Events dated, attributed and filled from the sentences and the document around them."""

from __future__ import annotations

import pytest

from khabar.export.gold import to_gold
from khabar.schema import Document, EventReport, Extraction

pytestmark = pytest.mark.slow

PUBLISHED = "2021-08-27"


def events(extractor, text: str, published: str | None = PUBLISHED):
    return extractor.extract(Document(id="t", text=text, published=published)).events


def statements(extractor, text: str, published: str | None = PUBLISHED):
    return [e for e in events(extractor, text, published) if e.type == "statement"]


@pytest.mark.parametrize(
    "text, actor",
    [
        ("A Taliban spokesman said the group would respect the deal.", "taliban"),
        ("Pakistan has accused India of backing the attackers.", "pakistan"),
        ("The Iranian embassy condemned the report as propaganda.", "iran"),
        ("Al-Qaeda had claimed responsibility for the bombing.", "al-qaeda"),
    ],
)
def test_news_told_without_a_date_is_of_the_publication_month(extractor, text, actor):
    found = [e for e in statements(extractor, text) if actor in e.actors]
    assert found, [(e.type, e.actors, e.date) for e in events(extractor, text)]
    assert (found[0].date, found[0].precision) == ("2021-08", "month")


@pytest.mark.parametrize(
    "text",
    [
        "A Taliban spokesman says the group respects every deal.",  # a habit, not news
        "A Taliban spokesman will say more about the deal.",  # a plan
    ],
)
def test_present_and_future_statements_are_not_dated_by_publication(extractor, text):
    assert statements(extractor, text) == []


def test_no_publication_date_no_date_from_it(extractor):
    assert statements(extractor, "A Taliban spokesman said the group would respect the deal.", None) == []


def test_the_sentence_before_dates_before_the_publication_does(extractor):
    found = statements(extractor, "On June 3, al-Qaeda in the Islamic Maghreb released a statement. "
                                  "Al-Qaeda in the Indian Subcontinent released a similar statement.")
    assert {e.actors[0]: e.date for e in found} == {"aqim": "2021-06-03", "aqis": "2021-06"}


@pytest.mark.parametrize(
    "text, dated",
    [
        ("The Haqqani network carried out the recent attack on the embassy.", True),
        ("The Haqqani network carried out an attack on the embassy.", False),
    ],
)
def test_the_recent_attack_is_of_the_publication_month(extractor, text, dated):
    found = [e for e in events(extractor, text) if e.type == "attack"]
    assert bool(found) == dated
    if dated:
        assert found[0].date == "2021-08" and "haqqani-network" in found[0].actors


def test_gold_export_leaves_out_events_nobody_did_or_suffered():
    doc = Document(id="t", text="A bomb exploded. The Taliban attacked Kunduz.", published=PUBLISHED)
    extraction = Extraction(doc_id="t", events=[
        EventReport(doc_id="t", type="attack", date="2021-08", precision="month"),  # kept in the store
        EventReport(doc_id="t", type="attack", date="2021-08", precision="month", actors=["taliban"]),
    ])
    assert [e["actors"] for e in to_gold(doc, extraction)["events"]] == [["taliban"]]


@pytest.mark.parametrize(
    "text, count",
    [
        # two things Pakistan said that month, about different actors
        ("Pakistan accused India of backing the attackers. Pakistan also urged the Taliban to act.", 2),
        # one statement told twice
        ("On Monday al-Qaeda released a statement praising the Taliban. "
         "The statement by al-Qaeda on Monday praised the Taliban.", 1),
    ],
)
def test_statements_about_different_actors_stay_apart(extractor, text, count):
    assert len(statements(extractor, text)) == count, [(e.actors, e.targets, e.date) for e in events(extractor, text)]


def attacks(extractor, text: str, published: str | None = PUBLISHED):
    return [e for e in events(extractor, text, published) if e.type == "attack"]


@pytest.mark.parametrize(
    "text, actors",
    [
        # the claim and the attack told in different sentences
        ("The Islamic State Khorasan has claimed responsibility for the bombing. "
         "The suicide bombing took place on Tuesday near a bank in Kunduz.", {"isis-k"}),
        ("The suicide bombing took place on Tuesday near a bank in Kunduz. "
         "The Islamic State Khorasan later took credit for the attack.", {"isis-k"}),
        # two groups claim: nobody is credited
        ("The Taliban claimed responsibility for the bombing. Al-Qaeda also claimed responsibility for it. "
         "The suicide bombing took place on Tuesday near a bank in Kunduz.", set()),
        # the claim and the dated attack in one sentence, "for" read as the verb's
        ("The Islamic State Khorasan claimed responsibility overnight for a deadly attack at a restaurant "
         "in Kabul that killed at least seven people on Monday.", {"isis-k"}),
    ],
)
def test_a_claim_made_in_another_sentence_attributes_the_attack(extractor, text, actors):
    found = [e for e in attacks(extractor, text) if e.date and e.date.startswith("2021-08-2")]
    assert found, [(e.type, e.date, e.actors) for e in events(extractor, text)]
    assert set(found[0].actors) == actors


@pytest.mark.parametrize(
    "text, country",
    [
        ("Russia on Monday denied the report.", "RU"),
        ("The State Department said on Monday that the Taliban had broken the deal.", "US"),
        ("The Taliban said on Monday that the deal held.", None),  # a group speaks from nowhere in particular
    ],
)
def test_a_government_speaks_from_its_country(extractor, text, country):
    found = statements(extractor, text)
    assert found and found[0].country == country


@pytest.mark.parametrize(
    "text, targets",
    [
        ("On Sunday a bomb exploded near a mosque in Kandahar, killing dozens of worshippers.", ["afghanistan"]),
        ("On Monday their convoy was ambushed near Maiduguri.", ["nigeria"]),
        ("On Sunday the Taliban attacked a checkpoint in Kandahar.", []),  # a named attacker: no guess
    ],
)
def test_an_attack_nobody_is_named_for_is_on_the_country_where_it_happens(extractor, text, targets):
    found = attacks(extractor, text)
    assert found and found[0].targets == targets


def test_figures_for_the_attack_told_before(extractor):
    found = attacks(extractor, "On Sunday the Taliban attacked a checkpoint in Kandahar. "
                               "As many as 17 soldiers died and 19 others were injured in the attack.")
    assert len(found) == 1 and found[0].fatalities == 17 and found[0].injured == 19


def test_the_group_that_claimed_the_attack(extractor):
    found = attacks(extractor, "On Thursday the United States designated The Resistance Front, a shadowy group "
                               "that claimed the April 22 attack in Pahalgam, as a terrorist organization.")
    assert found and found[0].actors == ["the-resistance-front"] and found[0].date == "2021-04-22"


def test_a_claim_does_not_go_to_an_attack_done_by_someone_else(extractor):
    text = ("The blast, which was carried out by two ISIS-K members, hit a memorial for Soleimani, a general who "
            "died in a U.S. drone strike in 2020. ISIS-K claimed the attack as revenge.")
    found = [e for e in events(extractor, text) if e.type in ("attack", "killing") and e.date == "2020"]
    assert found and "isis-k" not in found[0].actors and "united-states" in found[0].actors


def test_the_blast_carried_out_by(extractor):
    found = attacks(extractor, "The blast, which was carried out by ISIS-K, hit a shrine in Kerman on Sunday.")
    assert found and found[0].actors == ["isis-k"]


def test_an_object_event_keeps_its_own_date(extractor):
    found = statements(extractor, "On Monday the Taliban denied two attacks in Kunduz in June.")
    assert found and found[0].date == "2021-08-23"
