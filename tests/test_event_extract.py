"""Event extraction on small hand-written sentences: type, date, actors, place, fatalities."""

from __future__ import annotations

import pytest

from khabar.schema import Document

pytestmark = pytest.mark.slow

PUBLISHED = "2021-08-27"  # a Friday


def events(extractor, text: str, published: str = PUBLISHED):
    return extractor.extract(Document(id="t", text=text, published=published)).events


def only(extractor, text: str, published: str = PUBLISHED):
    found = events(extractor, text, published)
    assert len(found) == 1, [(e.type, e.date, e.trigger) for e in found]
    return found[0]


@pytest.mark.parametrize(
    "text, etype, date, precision, actors, location",
    [
        ("On August 18, al-Qaeda in the Arabian Peninsula issued a statement praising the Taliban.",
         "statement", "2021-08-18", "day", {"aqap"}, None),
        ("Late last month, Chinese officials met with a Taliban delegation in Doha.",
         "meeting", "2021-07", "month", {"china", "taliban"}, "Doha"),
        ("Taliban fighters seized control of Kunduz on Sunday.",
         "takeover", "2021-08-22", "day", {"taliban"}, "Kunduz"),
        ("In February 2020 the United States signed an agreement with the Taliban in Doha.",
         "agreement", "2020-02", "month", {"united-states", "taliban"}, "Doha"),
        ("A car bomb attack in Jalalabad, for which the Islamic State Khorasan claimed responsibility, "
         "killed 12 people in June.", "attack", "2021-06", "month", {"isis-k"}, "Jalalabad"),
        ("In spring 2019 the Taliban freed hundreds of prisoners from a jail in Ghazni.",
         "release", "2019-03", "season", {"taliban"}, "Ghazni"),
        ("The United States and NATO invaded Afghanistan 20 years ago.",
         "attack", "2001", "year", {"united-states", "nato"}, "Afghanistan"),
    ],
)
def test_event_constructions(extractor, text, etype, date, precision, actors, location):
    found = [e for e in events(extractor, text) if e.type == etype]
    assert found, [(e.type, e.date, e.trigger) for e in events(extractor, text)]
    e = found[0]
    assert (e.date, e.precision) == (date, precision)
    assert actors <= set(e.actors) | set(e.targets) | set(e.claimed_by)
    assert e.location == location


def test_claim_of_responsibility_links_the_claimant(extractor):
    found = events(extractor, "On Thursday the Islamic State Khorasan claimed responsibility for the attack "
                              "on Kabul airport, which killed 13 U.S. service members and at least 60 Afghans.")
    attack = next(e for e in found if e.type == "attack")
    assert "isis-k" in attack.actors and "isis-k" in attack.claimed_by
    assert attack.date == "2021-08-26"
    assert attack.fatalities == 73
    assert attack.location == "Kabul"  # "Kabul airport" is the town, not a named site
    statement = next(e for e in found if e.type == "statement")
    assert statement.actors == ["isis-k"]


def test_unclaimed_attack_keeps_its_actors_empty(extractor):
    e = only(extractor, "On Sunday a bomb exploded near a mosque in Kandahar, killing dozens of worshippers.")
    assert e.type == "attack" and e.actors == []
    assert e.fatalities == 12 and e.location == "Kandahar"


def test_undated_events_are_not_events(extractor):
    assert events(extractor, "The Taliban have attacked government forces in many provinces.") == []


def test_predicted_and_negated_events_are_not_events(extractor):
    assert not [e for e in events(extractor, "The Taliban will seize Kabul next month.") if e.type == "takeover"]
    assert not [e for e in events(extractor, "On Sunday the Taliban did not attack Kabul.") if e.type == "attack"]


def test_a_date_that_bounds_another_is_not_the_events_date(extractor):
    # "since the takeover" and "after 2011" are reference points, not dates of what they name
    found = events(extractor, "Since the Taliban takeover of Kabul, al-Qaeda has issued a statement on August 20.")
    assert not [e for e in found if e.type == "takeover"]
    assert [e for e in found if e.type == "statement" and e.date == "2021-08-20"]


def test_persons_stand_for_their_actor(extractor):
    e = only(extractor, "On Thursday President Biden vowed to strike the leadership of ISIS-K.")
    assert e.type == "statement" and e.actors == ["united-states"] and "isis-k" in e.targets


def test_dateline_is_not_the_place(extractor):
    e = only(extractor, "BRUSSELS — The United States invaded Afghanistan 20 years ago.")
    assert e.location == "Afghanistan" and e.country == "AF"


def test_similar_statement_takes_the_date_of_the_one_before(extractor):
    found = events(extractor, "On August 23, al-Qaeda in the Islamic Maghreb released a statement congratulating "
                              "the Taliban. Al-Qaeda in the Indian Subcontinent released a similar statement.")
    by_actor = {e.actors[0]: e for e in found if e.type == "statement"}
    assert by_actor["aqim"].date == "2021-08-23"
    assert by_actor["aqis"].date == "2021-08" and by_actor["aqis"].precision == "month"


def test_one_event_per_document_when_told_twice(extractor):
    found = events(extractor, "Taliban fighters seized control of Kunduz on Sunday. "
                              "The Taliban's capture of Kunduz on Sunday was swift.")
    assert len([e for e in found if e.type == "takeover"]) == 1


def test_place_mentions_are_recorded(extractor):
    ex = extractor.extract(Document(id="t", text="Fighting spread from Achin to Jalalabad.", published=PUBLISHED))
    assert {p.place for p in ex.places} >= {"af-nangarhar-achin", "af-jalalabad"} or len(ex.places) >= 2


def test_dateline_date_is_not_the_events_date(extractor):
    found = events(extractor, "MOSCOW, 27 March 2024 - Gunmen attacked a concert hall in Krasnogorsk on the evening "
                              "of 22 March 2024, killing at least 140 people.", published="2024-03-27")
    attacks = [e for e in found if e.type == "attack"]
    assert [e.date for e in attacks] == ["2024-03-22"]
    assert attacks[0].fatalities == 140 and attacks[0].country == "RU"


@pytest.mark.parametrize(
    "text, etype",
    [
        ("Abu Omar, who was killed by a US airstrike in Kabul last year, led the group.", "killing"),
        ("Abu Omar died in a U.S. drone strike in Paktia in October 2019.", "killing"),
        ("He was killed in a joint U.S. and Afghan raid in Helmand province in September 2019.", "killing"),
        ("Soldiers died in a U.S. drone strike in Paktia in October 2019.", "attack"),  # no named victim
        ("A U.S. drone strike killed 13 soldiers in Paktia in October 2019.", "attack"),
    ],
)
def test_a_named_person_killed_in_an_attack_is_a_killing(extractor, text, etype):
    found = [e for e in events(extractor, text) if e.type in ("attack", "killing")]
    assert [e.type for e in found] == [etype]
    assert "united-states" in found[0].actors


@pytest.mark.parametrize(
    "text, actor",
    [
        ("On Tuesday the United States designated the group a terrorist organization.", "united-states"),
        ("On Tuesday Pakistan blamed India for the attack.", "pakistan"),
        ("On Tuesday Pakistan dismissed the allegations.", "pakistan"),
        ("On Tuesday a US envoy testified before Congress.", "united-states"),
    ],
)
def test_more_ways_to_make_a_statement(extractor, text, actor):
    found = [e for e in events(extractor, text) if e.type == "statement"]
    assert found and actor in found[0].actors and found[0].date == "2021-08-24"


@pytest.mark.parametrize(
    "text, actors",
    [
        ("Officials said the Haqqani network was behind the June 28 attack on the hotel in Kabul.",
         {"haqqani-network"}),
        ("Jaish-e-Mohammad was also suspected to have orchestrated the January 2 attack on the air base.",
         {"jaish-e-mohammed"}),
        ("Clashes continued on Thursday between Hayat Tahrir al-Sham and Hurras al-Din in Idlib.",
         {"hts", "hurras-al-din"}),
        ("Last month, 13 militants were killed in Puntland during fighting between ISIS and al-Shabaab.",
         {"isis", "al-shabaab"}),
        ("In June, the Taliban and ISIS-K fought several battles in Kunar.", {"taliban", "isis-k"}),
        ("On Thursday, a bomb planted by the Taliban exploded in Helmand, killing nine civilians.", {"taliban"}),
        # the doers' group named by a clause of belonging on them
        ("Gunmen loyal to al-Shabaab stormed a hotel in Mogadishu on Tuesday.", {"al-shabaab"}),
        ("An assault by militants belonging to the IMU killed three guards in Osh on Monday.", {"imu"}),
    ],
)
def test_who_did_an_attack(extractor, text, actors):
    found = [e for e in events(extractor, text) if e.type == "attack"]
    assert found and set(found[0].actors) == actors, [(e.type, e.actors, e.date) for e in events(extractor, text)]


def test_a_place_named_for_another_event_is_not_this_ones(extractor):
    found = events(extractor, "This was shown by the Charlie Hebdo shooting in 2015 and the Pensacola attack in 2019.")
    by_date = {e.date: e.location for e in found if e.type == "attack"}
    assert by_date == {"2015": None, "2019": "Pensacola"}


def test_attacks_in_two_countries_told_in_one_sentence_stay_apart(extractor):
    found = events(extractor, "In 1999 there were incursions into southern Kyrgyzstan; in 1999, six bombs were set "
                              "off in Tashkent.")
    assert sorted(e.location for e in found if e.type == "attack") == ["Tashkent", "southern Kyrgyzstan"]


@pytest.mark.parametrize(
    "text, count",
    [
        ("ISIS attacks in Afghanistan were a daily occurrence in 2020.", 0),  # a run of attacks
        ("The group increased attacks in Kunar in 2020.", 0),
        ("In 2020 there were serious attacks in Kunar by ISIS.", 1),
        ("ISIS carried out five attacks in Kunar in 2020.", 1),
    ],
)
def test_a_run_of_attacks_is_not_one_event(extractor, text, count):
    assert len([e for e in events(extractor, text) if e.type == "attack"]) == count


def test_a_town_is_not_a_named_victim(extractor):
    found = events(extractor, "On Monday a bomb killed at least 74 people in the Pakistani city of Quetta.")
    assert [e.type for e in found] == ["attack"]


@pytest.mark.parametrize(
    "text, takeover",
    [
        ("The Taliban returned to power in Afghanistan in August 2021.", True),
        ("The Taliban came to power in Kabul in 1996.", True),
        ("The Taliban fighters returned home in August 2021.", False),
    ],
)
def test_coming_to_power_is_a_takeover(extractor, text, takeover):
    assert bool([e for e in events(extractor, text) if e.type == "takeover"]) == takeover


@pytest.mark.parametrize(
    "text, date",
    [
        # the parser hangs the weekday on a clause inside the attack's argument
        ("Six policemen were wounded as officers repelled an attack by fighters belonging to the TTP near "
         "Bannu on Tuesday.", "2021-08-24"),
        ("Police foiled a raid by militants linked to the IMU close to the border at Osh on Monday.", "2021-08-23"),
    ],
)
def test_a_lone_weekday_dates_the_event(extractor, text, date):
    found = [e for e in events(extractor, text) if e.type == "attack"]
    assert found and found[0].date == date, [(e.type, e.date, e.trigger) for e in events(extractor, text)]


def test_a_weekday_outside_the_events_clause_does_not_date_it(extractor):
    # the weekday dates the saying, in another clause than the attack told of ("after")
    text = "On Monday officials met in Kabul after militants attacked a checkpoint in Kunduz."
    assert not [e for e in events(extractor, text) if e.type == "attack" and e.date == "2021-08-23"]
