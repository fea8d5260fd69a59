"""Who published or wrote a text, when the sidecar does not say: read off the text."""

from __future__ import annotations

import pytest

from khabar.collect import collect
from khabar.collect.byline import infer_source
from khabar.resolve.sources import load_sources


@pytest.mark.parametrize("text, expected", [
    ("Militancy in the Fergana Valley\n\nTASHKENT (Steppe Security Review): Veterans of the war ...", "Steppe Security Review"),
    ("Title\n\nKABUL (AP) - A bomb exploded on Monday.", "AP"),
    ("Title\n\nQUETTA, Pakistan (AP) — A bomb exploded on Monday.", "AP"),
    ("Title\n\nTERMEZ, March 3 (Wire Service) - Officials said ...", "Wire Service"),
    ("Title\n\nHerat [Afghanistan], June 21 (ANI): The ministry said ...", "ANI"),
    ("Title\n\nGAO, Mali, Jan. 5, 2020 (Sahel Monitor) — Fighters entered ...", "Sahel Monitor"),
    # a sentence that opens with a group and its acronym is no dateline
    ("Title\n\nThe Pakistani Taliban (TTP) - a coalition of militant groups - said ...", None),
    ("Title\n\nJamaat Nusrat (JNIM): a profile of the group.", None),
    ("Title\n\nThe Taliban won.\n\nCredit...Jane Roe for The Daily Courier\nMore text here.", "The Daily Courier"),
    ("Title\n\nSome analysis.\n\nAmina Bello is a researcher and analyst on militancy in the Lake Chad basin.",
     "Amina Bello"),
    ("The Taliban Are Back - The Daily Courier\n\nBody text.", "The Daily Courier"),
    # a headline ending in "for X" is not a credit; a line ending in a sentence is not a page title
    ("What the Victory Means for Al-Qaeda and ISIS\n\nBody text follows here.", None),
    ("Title\n\nIt is a global change - Global Change.", None),
    ("Plain text with no byline at all.", None),
])
def test_infer_source(text, expected):
    assert infer_source(text) == expected


def test_sidecar_source_wins_and_text_fills_the_gap(tmp_path):
    (tmp_path / "a.txt").write_text("KABUL (AP) - A bomb exploded on Monday near the ministry.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("KABUL (AP) - Another bomb exploded on Tuesday near the airport.",
                                    encoding="utf-8")
    meta = tmp_path / "meta.jsonl"
    meta.write_text('{"doc": "a.txt", "source": "Reuters"}\n{"doc": "b.txt", "published": "2021-08-03"}\n',
                    encoding="utf-8")
    docs = {d.name: d for d in collect([tmp_path / "a.txt", tmp_path / "b.txt"], meta)}
    assert docs["a.txt"].source == "Reuters" and docs["b.txt"].source == "AP"


def test_an_analysis_outlet_named_again_and_again_is_the_publisher():
    book = load_sources()
    text = "Data drawn from Flashpoint's collections show it. Flashpoint analysts also found the same."
    assert book.named_most(text, {"research", "think_tank"}) == "Flashpoint"
    assert book.named_most("Flashpoint said so once.", {"research", "think_tank"}) is None
    assert book.named_most("Reuters, Reuters and Reuters.", {"research", "think_tank"}) is None
