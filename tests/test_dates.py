"""Date resolution: table-driven cases against a publication date (2021-08-27 is a Friday)."""

from __future__ import annotations

import time
import warnings
from datetime import date

import pytest

from khabar.extract.dates import DateValue, find_dates, resolve_date

P = "2021-08-27"  # Friday
D = date.fromisoformat

# (expression, published, past, iso, precision, start, end)
CASES = [
    # absolute days
    ("On August 18", P, True, "2021-08-18", "day", "2021-08-18", "2021-08-18"),
    ("On August 18, 2021", P, True, "2021-08-18", "day", "2021-08-18", "2021-08-18"),
    ("18 August 2021", P, True, "2021-08-18", "day", "2021-08-18", "2021-08-18"),
    ("Aug. 18", P, True, "2021-08-18", "day", "2021-08-18", "2021-08-18"),
    ("August 18", "2021-08-10", True, "2020-08-18", "day", "2020-08-18", "2020-08-18"),
    ("Sept. 11, 2001", P, True, "2001-09-11", "day", "2001-09-11", "2001-09-11"),
    ("September 11th, 2001", P, True, "2001-09-11", "day", "2001-09-11", "2001-09-11"),
    ("9/11", P, True, "2001-09-11", "day", "2001-09-11", "2001-09-11"),
    ("the September 11 attacks", P, True, "2001-09-11", "day", "2001-09-11", "2001-09-11"),
    ("Sunday, August 15, 2021", P, True, "2021-08-15", "day", "2021-08-15", "2021-08-15"),
    ("the 18th of August", P, True, "2021-08-18", "day", "2021-08-18", "2021-08-18"),
    ("2021-08-18", None, True, "2021-08-18", "day", "2021-08-18", "2021-08-18"),
    ("8/20/2021", P, True, "2021-08-20", "day", "2021-08-20", "2021-08-20"),
    ("18/08/2021", P, True, "2021-08-18", "day", "2021-08-18", "2021-08-18"),
    ("December 5", P, True, "2020-12-05", "day", "2020-12-05", "2020-12-05"),
    ("December 5", P, False, "2021-12-05", "day", "2021-12-05", "2021-12-05"),
    # months and years
    ("in June", P, True, "2021-06", "month", "2021-06-01", "2021-06-30"),
    ("in September", P, True, "2020-09", "month", "2020-09-01", "2020-09-30"),
    ("in August", P, True, "2021-08", "month", "2021-08-01", "2021-08-27"),
    ("in June", P, False, "2022-06", "month", "2022-06-01", "2022-06-30"),
    ("June 2021", P, True, "2021-06", "month", "2021-06-01", "2021-06-30"),
    ("June of last year", P, True, "2020-06", "month", "2020-06-01", "2020-06-30"),
    ("in 2019", P, True, "2019", "year", "2019-01-01", "2019-12-31"),
    ("1999", P, True, "1999", "year", "1999-01-01", "1999-12-31"),
    ("the 2001 invasion", P, True, "2001", "year", "2001-01-01", "2001-12-31"),
    ("over the course of 2019", P, True, "2019", "year", "2019-01-01", "2019-12-31"),
    ("in 2024", P, False, "2024", "year", "2024-01-01", "2024-12-31"),
    ("mid-2019", P, True, "2019", "year", "2019-05-01", "2019-08-31"),
    ("early 2020", P, True, "2020", "year", "2020-01-01", "2020-04-30"),
    ("late 2019", P, True, "2019", "year", "2019-09-01", "2019-12-31"),
    ("the end of 2019", P, True, "2019", "year", "2019-09-01", "2019-12-31"),
    ("the first half of 2020", P, True, "2020", "year", "2020-01-01", "2020-06-30"),
    ("the third quarter of 2020", P, True, "2020-07", "month", "2020-07-01", "2020-09-30"),
    ("the 1990s", P, True, "1990", "year", "1990-01-01", "1999-12-31"),
    ("the early 1990s", P, True, "1990", "year", "1990-01-01", "1993-12-31"),
    ("in the late 1990s", P, True, "1997", "year", "1997-01-01", "1999-12-31"),
    ("in late August", P, True, "2021-08", "month", "2021-08-21", "2021-08-27"),
    ("mid-August", P, True, "2021-08", "month", "2021-08-11", "2021-08-20"),
    # weekdays
    ("on Sunday", P, True, "2021-08-22", "day", "2021-08-22", "2021-08-22"),
    ("Thursday", P, True, "2021-08-26", "day", "2021-08-26", "2021-08-26"),
    ("late Thursday", P, True, "2021-08-26", "day", "2021-08-26", "2021-08-26"),
    ("early Monday", P, True, "2021-08-23", "day", "2021-08-23", "2021-08-23"),
    ("Thursday night", P, True, "2021-08-26", "day", "2021-08-26", "2021-08-26"),
    ("last Tuesday", P, True, "2021-08-24", "day", "2021-08-24", "2021-08-24"),
    ("on Thursday", "2021-08-26", True, "2021-08-26", "day", "2021-08-26", "2021-08-26"),
    ("last Thursday", "2021-08-26", True, "2021-08-19", "day", "2021-08-19", "2021-08-19"),
    ("Thursday last week", P, True, "2021-08-19", "day", "2021-08-19", "2021-08-19"),
    ("next Tuesday", P, False, "2021-08-31", "day", "2021-08-31", "2021-08-31"),
    # relative to publication
    ("yesterday", P, True, "2021-08-26", "day", "2021-08-26", "2021-08-26"),
    ("today", P, True, "2021-08-27", "day", "2021-08-27", "2021-08-27"),
    ("the day before yesterday", P, True, "2021-08-25", "day", "2021-08-25", "2021-08-25"),
    ("last week", P, True, "2021-08-16", "day", "2021-08-16", "2021-08-22"),
    ("this week", P, True, "2021-08-23", "day", "2021-08-23", "2021-08-27"),
    ("earlier this week", P, True, "2021-08-23", "day", "2021-08-23", "2021-08-26"),
    ("earlier this month", P, True, "2021-08", "month", "2021-08-01", "2021-08-26"),
    ("last month", P, True, "2021-07", "month", "2021-07-01", "2021-07-31"),
    ("Late last month", P, True, "2021-07", "month", "2021-07-21", "2021-07-31"),
    ("this year", P, True, "2021", "year", "2021-01-01", "2021-08-27"),
    ("last year", P, True, "2020", "year", "2020-01-01", "2020-12-31"),
    ("earlier this year", P, True, "2021", "year", "2021-01-01", "2021-08-26"),
    ("Last October", P, True, "2020-10", "month", "2020-10-01", "2020-10-31"),
    ("Last October", "2021-11-05", True, "2021-10", "month", "2021-10-01", "2021-10-31"),
    ("next month", P, False, "2021-09", "month", "2021-09-01", "2021-09-30"),
    ("next year", P, False, "2022", "year", "2022-01-01", "2022-12-31"),
    ("by the end of the year", P, False, "2021", "year", "2021-09-01", "2021-12-31"),
    ("20 years ago", P, True, "2001", "year", "2001-01-01", "2001-12-31"),
    ("two decades ago", P, True, "2001", "year", "2001-01-01", "2001-12-31"),
    ("three months ago", P, True, "2021-05", "month", "2021-05-01", "2021-05-31"),
    ("a week ago", P, True, "2021-08-20", "day", "2021-08-20", "2021-08-20"),
    ("over the past few weeks", P, True, "2021-08", "month", "2021-08-06", "2021-08-27"),
    ("in recent weeks", P, True, "2021-08", "month", "2021-08-06", "2021-08-27"),
    ("the past two weeks", P, True, "2021-08", "month", "2021-08-13", "2021-08-27"),
    ("in the past month", P, True, "2021-07", "month", "2021-07-27", "2021-08-27"),
    ("Twenty years after the 9/11 attacks", P, True, "2021", "year", "2021-01-01", "2021-08-27"),
    # seasons
    ("in spring 2019", P, True, "2019-03", "season", "2019-03-01", "2019-05-31"),
    ("spring of 2019", P, True, "2019-03", "season", "2019-03-01", "2019-05-31"),
    ("the summer of 2020", P, True, "2020-06", "season", "2020-06-01", "2020-08-31"),
    ("this spring", P, True, "2021-03", "season", "2021-03-01", "2021-05-31"),
    ("last summer", P, True, "2020-06", "season", "2020-06-01", "2020-08-31"),
    ("last summer", "2021-11-05", True, "2021-06", "season", "2021-06-01", "2021-08-31"),
    ("in the fall", P, True, "2020-09", "season", "2020-09-01", "2020-11-30"),
    ("in the fall", P, False, "2021-09", "season", "2021-09-01", "2021-11-30"),
    ("winter 2020", P, True, "2019-12", "season", "2019-12-01", "2020-02-29"),
    ("the winter of 2020-21", P, True, "2020-12", "season", "2020-12-01", "2021-02-28"),
    ("this winter", P, False, "2021-12", "season", "2021-12-01", "2022-02-28"),
    ("late last summer", P, True, "2020-08", "month", "2020-08-01", "2020-08-31"),
    # ranges
    ("since May 1, 2021", P, True, "2021-05-01", "day", "2021-05-01", "2021-08-27"),
    ("since 2014", P, True, "2014", "year", "2014-01-01", "2021-08-27"),
    ("since the 1990s", P, True, "1990", "year", "1990-01-01", "2021-08-27"),
    ("in 1999 and 2000", P, True, "1999", "year", "1999-01-01", "2000-12-31"),
    ("in 2001, 2003 and 2005", P, True, "2001", "year", "2001-01-01", "2005-12-31"),
    ("the two years 2002-2004", P, True, "2002", "year", "2002-01-01", "2004-12-31"),
    ("2002-2004", P, True, "2002", "year", "2002-01-01", "2004-12-31"),
    ("from 2002 to 2004", P, True, "2002", "year", "2002-01-01", "2004-12-31"),
    ("between 2002 and 2004", P, True, "2002", "year", "2002-01-01", "2004-12-31"),
    ("August 14-15", P, True, "2021-08-14", "day", "2021-08-14", "2021-08-15"),
    ("14-15 August", P, True, "2021-08-14", "day", "2021-08-14", "2021-08-15"),
    ("Aug. 14-15, 2021", None, True, "2021-08-14", "day", "2021-08-14", "2021-08-15"),
    ("between August 14 and 20", P, True, "2021-08-14", "day", "2021-08-14", "2021-08-20"),
    ("August 30 - September 2, 2021", "2021-09-10", True, "2021-08-30", "day", "2021-08-30", "2021-09-02"),
    ("from March to May 2021", P, True, "2021-03", "month", "2021-03-01", "2021-05-31"),
    ("from November to February 2021", P, True, "2020-11", "month", "2020-11-01", "2021-02-28"),
    ("in March and April", P, True, "2021-03", "month", "2021-03-01", "2021-04-30"),
]


def test_enough_cases():
    assert len(CASES) >= 60


@pytest.mark.parametrize(("expr", "published", "past", "iso", "precision", "start", "end"), CASES,
                         ids=[f"{c[0]}|{c[1]}|{'past' if c[2] else 'future'}" for c in CASES])
def test_resolve_table(expr, published, past, iso, precision, start, end):
    v = resolve_date(expr, published, past=past)
    assert v is not None, expr
    assert (v.iso, v.precision, v.start, v.end) == (iso, precision, D(start), D(end))
    assert v.text and v.text in expr


@pytest.mark.parametrize(("expr", "published", "past"), [
    ("recently", P, True),
    ("Twenty years after", P, True),  # no anchor
    ("in recent years", P, True),
    ("a few years ago", P, True),
    ("next month", P, True),  # explicitly future in a past-tense sentence
    ("tomorrow", P, True),
    ("next summer", P, True),
    ("this fall", P, True),  # fall 2021 starts after publication
    ("December 5, 2021", P, True),
    ("in 2022", P, True),
    ("page 2019", P, True),
    ("the year", P, True),
    ("", P, True),
])
def test_resolve_none(expr, published, past):
    assert resolve_date(expr, published, past=past) is None


def test_open_ended_since():
    v = resolve_date("since May 1, 2021", P)
    assert v is not None and v.open_ended
    assert (v.start, v.end, v.precision, v.iso) == (D("2021-05-01"), D("2021-08-27"), "day", "2021-05-01")
    assert v.text == "since May 1, 2021"
    assert not resolve_date("May 1, 2021", P).open_ended


def test_iso_at_each_precision():
    assert DateValue(D("2021-08-26"), D("2021-08-26"), "day", "x").iso == "2021-08-26"
    assert DateValue(D("2021-08-01"), D("2021-08-31"), "month", "x").iso == "2021-08"
    assert DateValue(D("2019-12-01"), D("2020-02-29"), "season", "x").iso == "2019-12"
    assert DateValue(D("2001-01-01"), D("2001-12-31"), "year", "x").iso == "2001"


def test_value_is_frozen():
    v = resolve_date("in 2019", P)
    with pytest.raises(AttributeError):
        v.start = D("2020-01-01")  # type: ignore[misc]


# ---------------------------------------------------------------- never a date after publication (past=True)

NEVER_AFTER = [
    # (expression, published, expected start or None, expected end or None)
    ("December 5", P, "2020-12-05", "2020-12-05"),
    ("August 28", P, "2020-08-28", "2020-08-28"),
    ("August 27", P, "2021-08-27", "2021-08-27"),
    ("in September", P, "2020-09-01", "2020-09-30"),
    ("Friday", P, "2021-08-27", "2021-08-27"),
    ("Saturday", P, "2021-08-21", "2021-08-21"),
    ("in the fall", P, "2020-09-01", "2020-11-30"),
    ("Last October", "2021-10-20", "2020-10-01", "2020-10-31"),
    ("in 2021", P, "2021-01-01", "2021-08-27"),
    ("from 2019 to 2022", P, "2019-01-01", "2021-08-27"),
    ("this summer", P, "2021-06-01", "2021-08-27"),
    ("this fall", P, None, None),
    ("December 5, 2021", P, None, None),
    ("winter 2022", P, None, None),
    ("next week", P, None, None),
    ("later this month", P, None, None),
]


@pytest.mark.parametrize(("expr", "published", "start", "end"), NEVER_AFTER)
def test_never_after_publication(expr, published, start, end):
    v = resolve_date(expr, published, past=True)
    if start is None:
        assert v is None
        return
    assert v is not None
    assert (v.start, v.end) == (D(start), D(end))
    assert v.start <= D(published) and v.end <= D(published)


def test_past_false_allows_future():
    assert resolve_date("December 5, 2021", P, past=False).iso == "2021-12-05"
    assert resolve_date("next week", P, past=False).start == D("2021-08-30")
    assert resolve_date("tomorrow", P, past=False).iso == "2021-08-28"
    assert resolve_date("later this month", P, past=False).start == D("2021-08-28")


def test_no_resolved_start_after_publication_in_a_long_sentence():
    text = ("On Sunday, and again on December 5, in September, last summer, in the fall, on August 30, "
            "this year, next month, tomorrow and in 2023, the group attacked.")
    found = find_dates(text, P)
    assert found
    for _, _, v in found:
        assert v.start <= D(P) and v.end <= D(P)


# ---------------------------------------------------------------- find_dates on sentences


def _found(text, published=P, past=True):
    return [(text[s:e], v.iso, v.precision) for s, e, v in find_dates(text, published, past=past)]


SENTENCES = [
    ("The Taliban, ousted in the 2001 invasion, returned to power on August 15 after a lightning offensive.",
     [("2001", "2001", "year"), ("August 15", "2021-08-15", "day")]),
    ("Twenty years after the 9/11 attacks, the Taliban are back in Kabul.",
     [("Twenty years after the 9/11", "2021", "year")]),
    ("The 9/11 Commission met in 2004.", [("9/11", "2001-09-11", "day"), ("2004", "2004", "year")]),
    ("Since May 1, 2021, the group has seized 2,000 villages; in 1999 and 2000 it controlled 90 percent of them.",
     [("Since May 1, 2021", "2021-05-01", "day"), ("1999 and 2000", "1999", "year")]),
    ("The 2019 attack and the 2015 bombing were claimed by ISIS-K, founded in 2015 by former TTP members.",
     [("2019", "2019", "year"), ("2015", "2015", "year"), ("2015", "2015", "year")]),
    ("Late last month, fighters attacked a checkpoint, and early Monday they struck again.",
     [("Late last month", "2021-07", "month"), ("early Monday", "2021-08-23", "day")]),
    ("Talks held in Doha on August 14-15 failed; by 2020 the US had agreed to withdraw by May 2021.",
     [("August 14-15", "2021-08-14", "day"), ("2020", "2020", "year"), ("May 2021", "2021-05", "month")]),
    ("Between 2002 and 2004, and from March to May 2021, the group was active; in spring 2019 it was quiet.",
     [("Between 2002 and 2004", "2002", "year"), ("from March to May 2021", "2021-03", "month"),
      ("spring 2019", "2019-03", "season")]),
    ("An attack on Thursday killed 13 U.S. service members and at least 60 Afghans.",
     [("Thursday", "2021-08-26", "day")]),
    ("USA Today reported that over the past few weeks the Taliban took 34 provincial capitals.",
     [("the past few weeks", "2021-08", "month")]),
    ("He was killed on 2021-08-18 and buried on 8/20/2021.",
     [("2021-08-18", "2021-08-18", "day"), ("8/20/2021", "2021-08-20", "day")]),
    ("The Arab Spring began in late 2010; the spring offensive was announced this spring.",
     [("late 2010", "2010", "year"), ("this spring", "2021-03", "season")]),
    ("In the fall of Kabul, Theresa May said that in May the army may march.", [("May", "2021-05", "month")]),
    ("The Sunday Times saw the Good Friday agreement and the Bloody Sunday memorial; on Sunday they left.",
     [("Sunday", "2021-08-22", "day")]),
    ("Since the fall of the government, the group has held power.", []),
    ("Since the 2001 invasion the group has fought on.", [("Since the 2001", "2001", "year")]),
    ("It happened 20 years ago, on September 11th, 2001, not in the 1990s.",
     [("20 years ago", "2001", "year"), ("September 11th, 2001", "2001-09-11", "day"),
      ("the 1990s", "1990", "year")]),
    ("Fighting in the winter of 2020-21 was fierce; in the fall they regrouped.",
     [("the winter of 2020-21", "2020-12", "season"), ("the fall", "2020-09", "season")]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES, ids=[s[:40] for s, _ in SENTENCES])
def test_find_dates_sentences(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize("text", [
    "13 U.S. service members were killed.",
    "At least 60 Afghans died.",
    "The group has 2,000 fighters.",
    "The donors pledged $1.5 billion.",
    "Under Resolution 1267 the council listed the group.",
    "They carried AK-47 rifles.",
    "See page 2019 of the report.",
    "The group had 1990 members, and 2019 people were killed.",
    "A force of 2000 fighters moved north.",
    "The Taliban may march on the city; Theresa May spoke.",
    "COVID-19 cases were counted 24/7.",
    "Before the fall of Kabul, officials fled.",
    "He stopped reading the Sunday Times; prayers are held on Fridays.",
    "Flight 2001 landed at gate 12.",
])
def test_find_dates_no_false_dates(text):
    assert find_dates(text, P) == []


def test_find_dates_offsets_and_order():
    text = "On Sunday, 20 years after the invasion, fighters entered Kabul, as they had in June 1996."
    found = find_dates(text, P)
    assert [text[s:e] for s, e, _ in found] == ["Sunday", "June 1996"]
    assert all(text[s:e] == v.text for s, e, v in found)
    assert [s for s, _, _ in found] == sorted(s for s, _, _ in found)


def test_find_dates_longest_wins():
    text = "The talks ran from August 14 to August 20, 2021 in Doha."
    assert _found(text) == [("from August 14 to August 20, 2021", "2021-08-14", "day")]
    v = find_dates(text, P)[0][2]
    assert (v.start, v.end) == (D("2021-08-14"), D("2021-08-20"))


# ---------------------------------------------------------------- publication date: missing, month-only, year-only


@pytest.mark.parametrize(("expr", "iso", "precision", "end"), [
    ("August 18, 2021", "2021-08-18", "day", "2021-08-18"),
    ("9/11", "2001-09-11", "day", "2001-09-11"),
    ("in 1999 and 2000", "1999", "year", "2000-12-31"),
    ("the 1990s", "1990", "year", "1999-12-31"),
    ("winter 2020", "2019-12", "season", "2020-02-29"),
    ("from March to May 2021", "2021-03", "month", "2021-05-31"),
    ("since 2014", "2014", "year", "2014-12-31"),  # open end unknown: end of its own period
    ("in 2030", "2030", "year", "2030-12-31"),  # no publication date, nothing to be after
])
def test_published_none_absolute(expr, iso, precision, end):
    v = resolve_date(expr, None)
    assert v is not None
    assert (v.iso, v.precision, v.end) == (iso, precision, D(end))


def test_published_none_since_is_open_ended():
    assert resolve_date("since 2014", None).open_ended


@pytest.mark.parametrize("expr", ["yesterday", "on Sunday", "last week", "in June", "August 18", "last month",
                                  "last year", "20 years ago", "this spring", "Last October", "earlier this month"])
def test_published_none_relative(expr):
    assert resolve_date(expr, None) is None


@pytest.mark.parametrize(("expr", "published", "iso", "precision", "start", "end"), [
    # month-only publication: month and year arithmetic work, the month's last day bounds "not after"
    ("in June", "2021-08", "2021-06", "month", "2021-06-01", "2021-06-30"),
    ("August 18", "2021-08", "2021-08-18", "day", "2021-08-18", "2021-08-18"),
    ("last month", "2021-08", "2021-07", "month", "2021-07-01", "2021-07-31"),
    ("earlier this month", "2021-08", "2021-08", "month", "2021-08-01", "2021-08-31"),
    ("Last October", "2021-08", "2020-10", "month", "2020-10-01", "2020-10-31"),
    ("this year", "2021-08", "2021", "year", "2021-01-01", "2021-08-31"),
    ("since May 1, 2021", "2021-08", "2021-05-01", "day", "2021-05-01", "2021-08-31"),
    ("20 years ago", "2021-08", "2001", "year", "2001-01-01", "2001-12-31"),
    # year-only publication: only year arithmetic
    ("last year", "2021", "2020", "year", "2020-01-01", "2020-12-31"),
    ("this year", "2021", "2021", "year", "2021-01-01", "2021-12-31"),
    ("20 years ago", "2021", "2001", "year", "2001-01-01", "2001-12-31"),
    ("in 2019", "2021", "2019", "year", "2019-01-01", "2019-12-31"),
    # a full timestamp is cut to its day
    ("yesterday", "2021-08-27T14:03:00Z", "2021-08-26", "day", "2021-08-26", "2021-08-26"),
])
def test_coarse_publication(expr, published, iso, precision, start, end):
    v = resolve_date(expr, published)
    assert v is not None
    assert (v.iso, v.precision, v.start, v.end) == (iso, precision, D(start), D(end))


@pytest.mark.parametrize(("expr", "published"), [
    ("on Sunday", "2021-08"), ("yesterday", "2021-08"), ("last week", "2021-08"), ("a week ago", "2021-08"),
    ("in the past month", "2021-08"),
    ("in June", "2021"), ("last month", "2021"), ("on Sunday", "2021"), ("Last October", "2021"),
])
def test_coarse_publication_too_coarse(expr, published):
    assert resolve_date(expr, published) is None


@pytest.mark.parametrize("published", ["yesterday", "27/08/2021", "2021-13-01", "2021-02-30"])
def test_malformed_publication(published):
    with pytest.raises(ValueError):
        resolve_date("in 2019", published)


def test_resolve_date_is_case_tolerant():
    assert resolve_date("august 18", P).iso == "2021-08-18"
    assert resolve_date("LAST TUESDAY", P).iso == "2021-08-24"


# ---------------------------------------------------------------- speed and quiet


def _article(words: int = 5000) -> str:
    filler = ("The group said its fighters had taken control of the district after heavy clashes with "
              "government forces near the border, according to local officials and residents. ")
    dated = [s for s, _ in SENTENCES]
    parts, n, i = [], 0, 0
    while n < words:
        s = dated[i % len(dated)] if i % 3 == 0 else filler
        parts.append(s)
        n += len(s.split())
        i += 1
    return " ".join(parts)


def test_speed_on_a_5000_word_article():
    text = _article()
    assert len(text.split()) >= 5000
    find_dates("On August 18, 2021 and in June.", P)  # warm the dateparser locale once
    t = time.perf_counter()
    found = find_dates(text, P)
    elapsed = time.perf_counter() - t
    assert found
    assert elapsed < 0.5, f"find_dates took {elapsed:.3f}s"


def test_no_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        find_dates("On 18 August 2021, Sept. 11, 2001 and 9/11/2001 were mentioned.", P)
    assert [str(w.message) for w in caught] == []


@pytest.mark.parametrize("text, day", [
    ("It happened on the 12th of March, 2021, in Kabul.", "2021-03-12"),
    ("It happened on Sept. 5, 2021 in Kabul.", "2021-09-05"),
    ("It happened on Monday, March 1st 2021.", "2021-03-01"),
    ("It happened on 29 February 2024.", "2024-02-29"),
    ("It happened on 29 February 2023.", None),  # no such day: nothing (it hides what is inside)
])
def test_full_dates_read_without_dateparser(text, day):
    found = find_dates(text, "2025-01-01")
    days = [v for _, _, v in found if v.precision == "day"]
    if day is None:
        assert found == []
    else:
        assert [(v.start.isoformat(), v.end.isoformat()) for v in days] == [(day, day)]
