"""Tests for the activity analysis (``khabar.analyze.activity``) on seeded synthetic series."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from khabar.analyze.activity import (
    UNKNOWN,
    activity_report,
    activity_series,
    concentration,
    coverage_series,
    detect_changes,
    filter_events,
    synthetic_activity,
)
from khabar.schema import Event

SEEDS = range(20)


def day(text: str) -> date:
    return date.fromisoformat(text)


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def last_before(events: list[Event], actor: str, stop: str) -> date:
    """The last day the actor attacked before the stop: the best any method can date it."""
    return max(day(e.date_start) for e in events if actor in e.actors and e.date_start < stop)


def run(case, *, by: str = "day", coverage: bool = True, **kwargs):
    events = filter_events(case.events, actor=case.actor)
    series = activity_series(events, by=by, start=case.start, end=case.end)
    reports = {d for e in events for d in e.documents}
    cov = coverage_series(case.coverage, actor=case.actor, by=by, start=case.start, end=case.end,
                          exclude=reports) if coverage else None
    return detect_changes(series, cov, **kwargs)


def ev(id: str, d: str | None = None, **kw) -> Event:
    fields = {"type": "attack", "date": d, "date_start": d, "date_end": d, "precision": "day" if d else None}
    return Event(id=id, **{**fields, **kw})


# --------------------------------------------------------------------------- stops


@pytest.mark.parametrize("seed", SEEDS)
def test_stop_found_the_day_after_the_last_event(seed):
    """Near-daily attacks (0.9 a day) that stop: one change, a stop, dated the day after the
    last attack (the earliest date the data allow), never after the true stop, and labelled
    evidence of absence because documents kept discussing the actor."""
    stop = (day("2021-08-12") + timedelta(days=seed % 7)).isoformat()
    case = synthetic_activity(seed, stop=stop)
    changes = run(case)
    assert [c.kind for c in changes] == ["stop"]
    c = changes[0]
    assert day(c.start) == last_before(case.events, case.actor, stop) + timedelta(days=1)
    assert day(c.last_event) == last_before(case.events, case.actor, stop)
    assert day(c.start) <= day(stop)
    assert c.events_after == 0 and c.rate_before > 0.5
    assert c.label == "evidence of absence"
    assert c.docs_after >= 5 and c.coverage_ratio >= 0.5


@pytest.mark.parametrize("seed", SEEDS)
def test_stop_within_one_day_of_the_true_date(seed):
    """Where the data pin the date (2.5 attacks a day, so two empty days before the stop are
    rare), the stop is found within one day of the true date in every seed."""
    stop = (day("2021-08-12") + timedelta(days=seed % 7)).isoformat()
    case = synthetic_activity(seed, stop=stop, rate=2.5)
    changes = [c for c in run(case) if c.kind == "stop"]
    assert len(changes) == 1
    assert abs((day(changes[0].start) - day(stop)).days) <= 1


@pytest.mark.parametrize("seed", SEEDS)
def test_stop_in_the_right_week(seed):
    """At week resolution the stop starts in the first week with no attacks: the week of the
    true stop date when it had none, else the next one."""
    stop = (day("2021-08-12") + timedelta(days=seed % 7)).isoformat()
    case = synthetic_activity(seed, stop=stop)
    changes = [c for c in run(case, by="week") if c.kind == "stop"]
    assert len(changes) == 1
    c = changes[0]
    week = monday(day(stop))
    expected = week if monday(last_before(case.events, case.actor, stop)) < week else week + timedelta(days=7)
    assert day(c.start) == expected
    assert c.label == "evidence of absence"


@pytest.mark.parametrize("seed", SEEDS)
def test_stop_without_coverage_is_no_coverage(seed):
    """The same stop when the documents stop too cannot be told from a gap in reporting."""
    stop = "2021-08-15"
    case = synthetic_activity(seed, stop=stop, coverage_until="2021-08-14")
    changes = [c for c in run(case) if c.kind == "stop"]
    assert len(changes) == 1
    c = changes[0]
    assert c.label == "no coverage"
    assert c.docs_after < 5 or c.coverage_ratio < 0.2  # a few documents in the days before the true stop


def test_stop_with_thinned_coverage_is_reduced_coverage():
    case = synthetic_activity(3)
    kept = [d for i, d in enumerate(case.coverage) if d["published"] < case.change or i % 3 == 0]
    case.coverage = kept
    changes = run(case)
    assert [c.kind for c in changes] == ["stop"]
    assert changes[0].label == "reduced coverage"
    assert 0.2 <= changes[0].coverage_ratio < 0.5


def test_stop_without_coverage_data_has_no_label():
    changes = run(synthetic_activity(0), coverage=False)
    assert [c.kind for c in changes] == ["stop"]
    assert changes[0].label is None and changes[0].docs_after is None


def test_near_zero_after_is_still_a_stop():
    case = synthetic_activity(5, after_rate=0.03)
    changes = run(case)
    assert [c.kind for c in changes] == ["stop"]
    assert changes[0].rate_after < 0.2 * changes[0].rate_before


# --------------------------------------------------------------------------- surges and flat series


@pytest.mark.parametrize("seed", SEEDS)
def test_surge_is_found(seed):
    case = synthetic_activity(seed, schedule=[("2021-05-17", 0.2), ("2021-07-15", 2.0)])
    changes = run(case)
    assert [c.kind for c in changes] == ["surge"]
    c = changes[0]
    assert abs((day(c.start) - day("2021-07-15")).days) <= 7
    assert c.rate_after >= 2 * c.rate_before
    assert c.label in ("coverage rose too", "steady coverage")


def test_surge_then_stop():
    case = synthetic_activity(1, schedule=[("2021-04-01", 0.3), ("2021-06-01", 2.0), ("2021-08-15", 0.0)],
                              start="2021-04-01")
    changes = run(case)
    assert [c.kind for c in changes] == ["surge", "stop"]
    assert abs((day(changes[0].start) - day("2021-06-01")).days) <= 7
    assert abs((day(changes[1].start) - day("2021-08-15")).days) <= 1


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("by", ["day", "week"])
def test_flat_series_has_no_change(seed, by):
    case = synthetic_activity(seed, stop=None)
    assert run(case, by=by) == []


def test_empty_series_has_no_change():
    assert detect_changes(activity_series([], by="day")) == []


# --------------------------------------------------------------------------- places


def test_concentration_matches_the_generator():
    case = synthetic_activity(7, rate=3.0, stop=None, other_rate=0.0)
    shares = concentration(case.events, level="location")
    assert abs(sum(s for _, _, s in shares) - 1.0) < 1e-9
    assert sum(c for _, c, _ in shares) == len(case.events)
    got = {name: s for name, _, s in shares}
    for name, weight in case.weights.items():
        assert abs(got.get(name, 0.0) - weight) < 0.05, name
    assert shares[0][0] in ("Jalalabad", "Kabul")
    provinces = {name: s for name, _, s in concentration(case.events, level="admin1")}
    assert abs(provinces["Nangarhar"] - 0.45) < 0.05
    assert concentration(case.events, level="country") == [("AF", len(case.events), 1.0)]


def test_concentration_counts_missing_places_as_unknown():
    events = [ev("a", "2021-08-01", location="Kabul"), ev("b", "2021-08-02"), ev("c", "2021-08-03", location="Kabul")]
    assert concentration(events) == [("Kabul", 2, 2 / 3), (UNKNOWN, 1, 1 / 3)]
    assert concentration([]) == []
    with pytest.raises(ValueError):
        concentration(events, level="planet")


# --------------------------------------------------------------------------- filters


EVENTS = [
    ev("1", "2021-08-01", actors=["isis-k"], targets=["taliban"], place="af-jalalabad", location="Jalalabad",
       admin2="Jalalabad", admin1="Nangarhar", country="AF"),
    ev("2", "2021-08-10", actors=["taliban"], targets=["isis-k"], location="Kabul", admin1="Kabul", country="AF"),
    ev("3", "2021-09-01", actors=["ISIS-K"], location="Achin", admin2="Achin", admin1="Nangarhar", country="AF",
       type="killing"),
    ev("4", None, actors=["isis-k"], location="Peshawar", admin1="Khyber Pakhtunkhwa", country="PK"),
]


def ids(events):
    return [e.id for e in events]


def test_filter_by_actor_and_role():
    assert ids(filter_events(EVENTS, actor="isis-k")) == ["1", "3", "4"]
    assert ids(filter_events(EVENTS, actor="isis-k", role="target")) == ["2"]
    assert ids(filter_events(EVENTS, actor="ISIS-K", role="any")) == ["1", "2", "3", "4"]
    assert ids(filter_events(EVENTS, actor=["iskp", "isis-k"])) == ["1", "3", "4"]
    with pytest.raises(ValueError):
        filter_events(EVENTS, actor="isis-k", role="victim")


def test_filter_by_place_at_any_level():
    assert ids(filter_events(EVENTS, place="nangarhar")) == ["1", "3"]
    assert ids(filter_events(EVENTS, place="Jalalabad")) == ["1"]
    assert ids(filter_events(EVENTS, place="af-jalalabad")) == ["1"]
    assert ids(filter_events(EVENTS, place="achin")) == ["3"]
    assert ids(filter_events(EVENTS, place="pk")) == ["4"]
    assert ids(filter_events(EVENTS, place="AF", actor="isis-k")) == ["1", "3"]


def test_filter_by_type_and_window():
    assert ids(filter_events(EVENTS, types={"killing"})) == ["3"]
    assert ids(filter_events(EVENTS, start="2021-08-05")) == ["2", "3"]
    assert ids(filter_events(EVENTS, start="2021-08-05", end="2021-08-31")) == ["2"]
    assert ids(filter_events(EVENTS, end="2021-08")) == ["1", "2"]
    month = ev("m", None, date="2021-08", precision="month", date_start="2021-08-01", date_end="2021-08-31")
    assert ids(filter_events([month], start="2021-08-20")) == ["m"]  # may fall in the window


# --------------------------------------------------------------------------- series and precision


def test_series_has_every_bin_including_zeros():
    events = [ev("a", "2021-08-02"), ev("b", "2021-08-02"), ev("c", "2021-08-05")]
    series = activity_series(events, by="day")
    assert [(b.start, b.count) for b in series] == [
        ("2021-08-02", 2), ("2021-08-03", 0), ("2021-08-04", 0), ("2021-08-05", 1)]
    assert series[0].ids == ("a", "b") and series[0].last == "2021-08-02"
    assert series.counts == [2, 0, 0, 1] and series.total == 3


def test_week_and_month_bins_are_calendar_bins_clipped_to_the_window():
    events = [ev("a", "2021-08-04"), ev("b", "2021-08-16"), ev("c", "2021-09-01")]
    weeks = activity_series(events, by="week", start="2021-08-04", end="2021-09-01")
    assert [(b.start, b.end, b.days, b.count) for b in weeks] == [
        ("2021-08-04", "2021-08-08", 5, 1), ("2021-08-09", "2021-08-15", 7, 0), ("2021-08-16", "2021-08-22", 7, 1),
        ("2021-08-23", "2021-08-29", 7, 0), ("2021-08-30", "2021-09-01", 3, 1)]
    months = activity_series(events, by="month", end="2021-10-31")
    assert [(b.start, b.end, b.count) for b in months] == [
        ("2021-08-04", "2021-08-31", 2), ("2021-09-01", "2021-09-30", 1), ("2021-10-01", "2021-10-31", 0)]
    with pytest.raises(ValueError):
        activity_series(events, by="year")


def test_month_precision_event_is_not_in_a_week_series():
    events = [ev("a", "2021-08-02"), ev("b", "2021-08-20"),
              ev("m", None, date="2021-08", precision="month", date_start="2021-08-01", date_end="2021-08-31"),
              ev("y", None, date="2021", precision="year"),
              ev("u")]
    weeks = activity_series(events, by="week")
    assert weeks.total == 2
    assert weeks.undated_for_resolution == 2 and weeks.undated == 1
    assert "m" not in {i for b in weeks for i in b.ids}
    months = activity_series(events, by="month")
    assert [(b.start, b.end, b.count, b.ids) for b in months] == [("2021-08-01", "2021-08-31", 3, ("m", "a", "b"))]
    assert months.undated_for_resolution == 1  # the year-precision event
    clipped = activity_series(events, by="month", start="2021-08-02")
    assert clipped.total == 2 and clipped.undated_for_resolution == 2  # August does not fit in Aug 2-31
    years = activity_series(events, by="month", start="2021-01-01", end="2021-12-31")
    assert len(years) == 12 and years.total == 3


def test_range_within_a_week_counts_by_week_not_by_day():
    events = [ev("a", "2021-08-02"), Event(id="r", type="attack", date="2021-08-03", precision="day",
                                           date_start="2021-08-03", date_end="2021-08-05")]
    assert activity_series(events, by="week").total == 2
    days = activity_series(events, by="day")
    assert days.total == 1 and days.undated_for_resolution == 1


def test_coverage_series_counts_documents_once_per_bin():
    docs = [
        {"doc_id": "d1", "published": "2021-08-02", "actors": {"isis-k"}, "places": {"Nangarhar"},
         "date_mentions": ["2021-08-02", "2021-08-03", "2021-08-20"]},
        {"doc_id": "d2", "published": "2021-08-04", "actors": {"ISIS-K"}, "places": {"Kabul"}},
        {"doc_id": "d3", "published": "2021-08", "actors": {"isis-k"}, "places": {"Nangarhar"}},
        {"doc_id": "d4", "published": None, "actors": {"isis-k"}, "places": {"Nangarhar"}},
        {"doc_id": "d5", "published": "2021-08-03", "actors": {"taliban"}, "places": {"Nangarhar"}},
    ]
    weeks = coverage_series(docs, actor="isis-k", by="week", start="2021-08-02", end="2021-08-22")
    assert [(b.start, b.ids) for b in weeks] == [("2021-08-02", ("d1", "d2")), ("2021-08-09", ()),
                                                 ("2021-08-16", ("d1",))]
    assert weeks.undated_for_resolution == 1 and weeks.undated == 1
    nangarhar = coverage_series(docs, actor="isis-k", place="nangarhar", by="month", dates="published")
    assert [(b.start, b.ids) for b in nangarhar] == [("2021-08-01", ("d3", "d1"))]


# --------------------------------------------------------------------------- report


def test_activity_report_answers_the_analyst_question():
    case = synthetic_activity(11, rate=1.5)
    report = activity_report(case.events, case.coverage, actor="isis-k", by="week")
    json.dumps(report)  # plain data
    assert report["events"] == sum(1 for e in case.events if "isis-k" in e.actors)
    assert report["end"] == case.end  # the window runs to the end of coverage, after the stop
    assert [c["kind"] for c in report["changes"]] == ["stop"]
    assert report["changes"][0]["label"] == "evidence of absence"
    assert abs((day(report["changes"][0]["last_event"]) - day("2021-08-14")).days) <= 2
    shares = {r["name"]: r["share"] for r in report["concentration"]["admin1"]}
    assert abs(shares["Nangarhar"] - 0.45) < 0.08
    assert any(n.startswith("Stop from") and "evidence of absence" in n for n in report["notes"])
    assert any(n.startswith("By admin1: Nangarhar") for n in report["notes"])


def test_activity_report_for_a_place_and_without_coverage():
    case = synthetic_activity(2)
    report = activity_report(case.events, case.coverage, actor="isis-k", place="Nangarhar", by="day")
    assert all(r["name"] == "Nangarhar" for r in report["concentration"]["admin1"])
    assert [c["kind"] for c in report["changes"]] == ["stop"]
    bare = activity_report(case.events, actor="isis-k", by="day")
    assert bare["coverage"] is None and bare["changes"] == []  # the series ends at the last event
    assert any("Without coverage" in n for n in bare["notes"])
    ended = activity_report(case.events, actor="isis-k", by="day", end=case.end)
    assert [c["kind"] for c in ended["changes"]] == ["stop"] and ended["changes"][0]["label"] is None
