"""Time horizons of judgments: table-driven cases against a publication date."""

from __future__ import annotations

import dataclasses

import pytest

from khabar.extract.horizons import Horizon, find_horizon, find_horizons

P = "2021-08-17"

# (text, published, horizon words, due, earliest)
CASES = [
    # relative counts
    ("Al Qaeda could rebuild within two years.", P, "within two years", "2023-08-17", None),
    ("The city could fall within weeks.", P, "within weeks", "2021-09-28", None),
    ("The group could regroup within months.", P, "within months", "2022-02-17", None),
    ("The militia could collapse within days.", P, "within days", "2021-08-24", None),
    ("He expects Al Qaeda to reestablish itself in the next three to six months.", P,
     "in the next three to six months", "2022-02-17", "2021-11-17"),
    ("Talks may resume in the coming days.", P, "in the coming days", "2021-08-24", None),
    ("More attacks are likely in the coming weeks.", P, "in the coming weeks", "2021-09-28", None),
    ("The group will expand in the coming months.", P, "in the coming months", "2022-02-17", None),
    ("The threat will grow over the next decade.", P, "over the next decade", "2031-08-17", None),
    ("In the next ten or twenty years, this may very well create difficulties.", P,
     "In the next ten or twenty years", "2041-08-17", "2031-08-17"),
    ("A plot is possible in two years.", P, "in two years", "2023-08-17", None),
    ("Two years from now the network will be rebuilt.", P, "Two years from now", "2023-08-17", None),
    ("They will be back in a year's time.", P, "in a year's time", "2022-08-17", None),
    ("The cell may strike within a few months.", P, "within a few months", "2021-11-17", None),
    ("It will take the group a decade or two to recover, or in two or three years.", P,
     "in two or three years", "2024-08-17", "2023-08-17"),
    ("The haven will be rebuilt in a decade or two.", P, "in a decade or two", "2041-08-17", "2031-08-17"),
    ("Over the next 18 months the group will rebuild.", P, "Over the next 18 months", "2023-02-17", None),
    ("The truce could hold for the next five years.", P, "for the next five years", "2026-08-17", None),
    ("They could attack within 24 hours.", P, "within 24 hours", "2021-08-18", None),
    ("The coming year will be decisive.", P, "The coming year", "2022-08-17", None),
    # calendar
    ("The group will announce a leader by the end of the year.", P, "by the end of the year", "2021-12-31", None),
    ("A deal is expected by year's end.", P, "by year's end", "2021-12-31", None),
    ("A deal is expected by year-end.", P, "by year-end", "2021-12-31", None),
    ("Troops will leave by the end of 2022.", P, "by the end of 2022", "2022-12-31", None),
    ("Troops will leave by end-2022.", P, "by end-2022", "2022-12-31", None),
    ("The group aims to control the province by 2025.", P, "by 2025", "2025-12-31", None),
    ("The group aims to control the province before 2025.", P, "before 2025", "2024-12-31", None),
    ("Elections are planned in 2025.", P, "in 2025", "2025-12-31", "2025-01-01"),
    ("The offensive will come next year.", P, "next year", "2022-12-31", "2022-01-01"),
    ("The offensive will come by next year.", P, "by next year", "2022-12-31", None),
    ("An offensive is expected early next year.", P, "early next year", "2022-04-30", "2022-01-01"),
    ("An offensive is expected later this year.", P, "later this year", "2021-12-31", None),
    ("The talks should end within the year.", P, "within the year", "2021-12-31", None),
    ("The group could be rebuilt by mid-2023.", P, "by mid-2023", "2023-08-31", None),
    ("The group will be rebuilt by the end of the decade.", P, "by the end of the decade", "2029-12-31", None),
    ("A deal could come by the end of next month.", P, "by the end of next month", "2021-09-30", None),
    ("A deal could come by March.", P, "by March", "2022-03-31", None),
    ("A deal could come by March 2023.", P, "by March 2023", "2023-03-31", None),
    ("A deal could come before March 15, 2022.", P, "before March 15, 2022", "2022-03-14", None),
    ("Fighting will resume by spring 2022.", P, "by spring 2022", "2022-05-31", None),
    ("Fighting will resume by the winter.", P, "by the winter", "2022-02-28", None),
    ("Talks may start next week.", P, "next week", "2021-08-29", "2021-08-23"),
    # coarse publication dates: the first day of the period
    ("It could happen within six months.", "2021-08", "within six months", "2022-02-01", None),
    ("It could happen within two years.", "2021", "within two years", "2023-01-01", None),
    ("It could happen by the end of the year.", "2021", "by the end of the year", "2021-12-31", None),
    ("It could happen by 2025.", None, "by 2025", "2025-12-31", None),
    ("It could happen by the end of 2022.", "2021-08-27T10:15:00Z", "by the end of 2022", "2022-12-31", None),
    # month arithmetic clamps to month ends
    ("It could happen within one month.", "2021-01-31", "within one month", "2021-02-28", None),
    ("It could happen within a month.", "2024-01-31", "within a month", "2024-02-29", None),
    ("It could happen within a year.", "2020-02-29", "within a year", "2021-02-28", None),
    ("It could happen in the next three to six months.", "2021-08-31", "in the next three to six months",
     "2022-02-28", "2021-11-30"),
]


@pytest.mark.parametrize("text,published,words,due,earliest", CASES)
def test_horizon(text: str, published: str | None, words: str, due: str, earliest: str | None) -> None:
    h = find_horizon(text, published)
    assert h is not None, text
    assert (h.text, h.due_iso, h.earliest_iso) == (words, due, earliest)
    assert text[h.start:h.end] == h.text
    assert h.due.isoformat() == h.due_iso


NONE_CASES = [
    ("The group will return soon.", P),
    ("The group will return in the short term.", P),
    ("The group will return in the long term.", P),
    ("Over the longer term the threat will grow.", P),
    ("In the near future the threat will grow.", P),
    ("The group will eventually return.", P),
    ("The group will return before the withdrawal is complete.", P),
    ("The group was formed two years ago.", P),
    ("It happened in two years of fighting.", P),
    ("The next day, the fighters left.", P),
    ("Earlier this year the group split.", P),
    ("The group promised to disarm by 2019.", P),  # already over at publication
    ("They may attack in may.", P),
    ("The group has grown in the last 20 years.", P),
    ("The group has grown over the past decade.", P),
    # the publication date is too coarse, or unknown, for these
    ("The city could fall within weeks.", "2021-08"),
    ("The group will act in the coming days.", "2021"),
    ("A deal could come by March.", "2021"),
    ("The offensive will come next year.", None),
    ("It could happen within two years.", None),
]


@pytest.mark.parametrize("text,published", NONE_CASES)
def test_no_horizon(text: str, published: str | None) -> None:
    assert find_horizon(text, published) is None, find_horizon(text, published)


def test_first_of_several() -> None:
    text = "Soon, and certainly within two years, and by 2030 at the latest."
    hs = find_horizons(text, P)
    assert [(h.text, h.due_iso) for h in hs] == [("within two years", "2023-08-17"), ("by 2030", "2030-12-31")]
    assert find_horizon(text, P) == hs[0]


def test_bad_publication_date() -> None:
    with pytest.raises(ValueError):
        find_horizon("within two years", "August 2021")


def test_horizon_is_frozen() -> None:
    h = find_horizon("within two years", P)
    assert isinstance(h, Horizon)
    with pytest.raises(dataclasses.FrozenInstanceError):
        h.text = "x"  # type: ignore[misc]
