"""Tests for the fatality-count parser (``khabar.extract.fatalities``)."""

from __future__ import annotations

import pytest

from khabar.extract.fatalities import Casualties, parse_casualties

# (sentence, best, low, high, injured)
CASES = [
    # the example that motivated the parser: two groups under one "killed" are summed
    ("The blast at Kabul airport late Thursday, which killed 13 U.S. service members and at least 60 Afghans",
     73, 73, None, None),
    ("Gunmen killed 13 people in the city of Jalalabad.", 13, 13, 13, None),
    ("13 people were killed when a bomb exploded near a mosque.", 13, 13, 13, None),
    ("The suicide bombing at the wedding hall killed 63 people and wounded 182.", 63, 63, 63, 182),
    ("The attackers stormed the hospital, killing at least 60.", 60, 60, None, None),
    ("The explosion left 20 dead and dozens injured.", 20, 20, 20, 12),
    ("The death toll from the Kabul airport bombing rose to 170, health officials said.", 170, 170, 170, None),
    ("The attack claimed the lives of 12 worshippers.", 12, 12, 12, None),
    ("Dozens of civilians were killed in the airstrike.", 12, 12, None, None),
    ("Scores of people were killed in the fighting.", 20, 20, None, None),
    ("Hundreds were killed when the dam was destroyed.", 100, 100, None, None),
    ("Thousands were killed in the famine that followed.", 1000, 1000, None, None),
    ("A dozen policemen were killed at the checkpoint.", 12, 12, 12, None),
    ("Several soldiers were killed and a handful of civilians were wounded.", 3, 3, None, 3),
    ("Three people died and twenty-one were injured.", 3, 3, 3, 21),
    ("A hundred people were killed in the massacre.", 100, 100, 100, None),
    ("One hundred and twenty people were killed.", 120, 120, 120, None),
    ("The militants killed two dozen villagers.", 24, 24, 24, None),
    ("The bombing killed 2,000 people over the year.", 2000, 2000, 2000, None),
    # several figures for the same group: the lowest is best
    ("Between 60 and 90 people were killed, officials said.", 60, 60, 90, None),
    ("At least 60, possibly more than 100, people were killed.", 60, 60, 100, None),
    ("The strike killed at least 60 people, possibly more than 100.", 60, 60, 100, None),
    ("The raid killed 60 to 90 people.", 60, 60, 90, None),
    ("The flood killed two or three people.", 2, 2, 3, None),
    ("Up to 170 people were killed.", 170, None, 170, None),
    ("More than 100 people were killed in the assault.", 100, 100, None, None),
    ("The attack killed 13 people; officials later said the death toll was 20.", 13, 13, 20, None),
    ("The death toll rose from 13 to 20 on Friday.", 20, 20, 20, None),
    ("Two soldiers were killed and five civilians died in the crossfire.", 7, 7, 7, None),
    # injured kept apart
    ("The bomb killed 13 and wounded 18.", 13, 13, 13, 18),
    ("The blast tore through the market, injuring 150.", None, None, None, 150),
    ("At least 18 wounded were taken to hospital.", None, None, None, 18),
    ("At least 18 were wounded in the blast.", None, None, None, 18),
    ("Four people were hurt in the stampede.", None, None, None, 4),
    ("13 killed, 18 injured in Kabul blast", 13, 13, 13, 18),
    # subsets are not added
    ("The attack killed more than 170 people, including 13 U.S. service members.", 170, 170, None, None),
    ("The raid killed 15 people, 5 of them children.", 15, 15, 15, None),
    ("Among the dead were 13 soldiers and two police officers.", 15, 15, None, None),
    # the attacker's own death is not counted
    ("The suicide bomber was killed in the explosion.", None, None, None, None),
    ("The bomber detonated his vest, killing himself and 12 others.", 12, 12, 12, None),
    ("He blew himself up, killing himself.", None, None, None, None),
    ("Two gunmen were killed by security forces.", None, None, None, None),
    ("A suicide bomber was killed when his explosives went off early.", None, None, None, None),
    # zero
    ("No one was killed in the attack.", 0, 0, 0, None),
    ("There were no casualties.", 0, 0, 0, 0),
    ("The rocket hit an empty field and no one was hurt.", 0, 0, 0, 0),
    ("There were no immediate reports of casualties.", None, None, None, None),
    ("No casualties were immediately reported.", None, None, None, None),
    # singular victims
    ("A 25-year-old man was killed in the shooting.", 1, 1, 1, None),
    ("Gunmen shot dead a journalist in Jalalabad.", 1, 1, 1, None),
    # numbers that are not fatalities
    ("13 U.S. service members were deployed to Kabul.", None, None, None, None),
    ("The group has about 2,000 fighters in Nangarhar.", None, None, None, None),
    ("In 2019 the group lost most of its territory.", None, None, None, None),
    ("The attack on August 26 shocked the world.", None, None, None, None),
    ("The group received $1 million from donors.", None, None, None, None),
    ("The war lasted two decades.", None, None, None, None),
    ("UN Security Council Resolution 2255 listed the group.", None, None, None, None),
    ("It was the third attack this month.", None, None, None, None),
    ("A 13-member delegation met Taliban officials in Doha.", None, None, None, None),
    ("COVID-19 restrictions were lifted in Kabul Police District 13.", None, None, None, None),
    ("Many people were killed.", None, None, None, None),
    # numbers that are not fatalities next to ones that are
    ("In 2019, an attack in Kabul killed 13 people and wounded 25.", 13, 13, 13, 25),
    ("On Aug. 26, 2021, the bombing killed 170 Afghans and 13 U.S. troops.", 183, 183, 183, None),
    ("A 25-year-old bomber killed 13 worshippers at 10:30 on Friday.", 13, 13, 13, None),
    ("Two bombs killed 13 people in two days.", 13, 13, 13, None),
]


@pytest.mark.parametrize(("text", "best", "low", "high", "injured"), CASES, ids=[c[0][:50] for c in CASES])
def test_parse_casualties(text, best, low, high, injured):
    got = parse_casualties(text)
    assert (got.best, got.low, got.high, got.injured) == (best, low, high, injured)


def test_spans_point_at_the_figures_used():
    text = "The blast at Kabul airport, which killed 13 U.S. service members and at least 60 Afghans in 2021"
    got = parse_casualties(text)
    assert [text[s:e] for s, e in got.spans] == ["13", "at least 60"]


def test_spans_of_ranges_and_injured():
    text = "Between 60 and 90 people were killed and 18 wounded in 2019."
    got = parse_casualties(text)
    assert [text[s:e] for s, e in got.spans] == ["Between 60 and 90", "18"]
    assert got.injured == 18


def test_no_figure_gives_empty_result():
    got = parse_casualties("The Taliban seized Kabul on 15 August 2021.")
    assert got == Casualties()
    assert got.spans == []


def test_result_is_frozen():
    got = parse_casualties("killed 3")
    with pytest.raises(AttributeError):
        got.best = 4  # type: ignore[misc]
