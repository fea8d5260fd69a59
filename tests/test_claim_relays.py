"""A news outlet that only relays the event its sentence reports makes no claim."""

from __future__ import annotations

import pytest

from khabar.extract.claims import _relays_event, _Speaker
from khabar.schema import Document


@pytest.mark.parametrize("name, kind, claim, relays", [
    ("Reuters", "body", "gunmen attacked a checkpoint on Monday", True),          # a listed news agency
    ("Xinhua", "body", "the group claimed the attack on the airport", True),      # state media
    ("Ruritania news agency", "body", "the bomb went off near the market", True),  # an outlet by its head noun
    ("local news outlets", "body", "two leaders were killed in a strike", True),
    # an outlet saying how likely something is judges it
    ("Reuters", "body", "the group is likely to strike again within weeks", False),
    # bodies and persons that are not outlets speak for themselves
    ("Interior Ministry", "body", "gunmen attacked a checkpoint on Monday", False),
    ("The Soufan Center", "body", "gunmen attacked a checkpoint on Monday", False),  # a think tank
    ("Reuters", "person", "gunmen attacked a checkpoint on Monday", False),
])
def test_an_outlet_relaying_an_event_is_news(name, kind, claim, relays):
    assert _relays_event(_Speaker(name, kind), claim) is relays


@pytest.mark.slow
def test_only_event_sentences_lose_the_relay(extractor):
    text = ("Gunmen killed four soldiers at a checkpoint in Kandahar on Monday, according to Reuters. "
            "The Taliban will probably try to retake the district, according to Reuters.")
    found = extractor.extract(Document(id="r", text=text, published="2021-08-17", source=None)).judgments
    assert [(j.speaker, j.band) for j in found] == [("Reuters", "likely")]
