"""One event, many reports: merging across documents, and keeping distinct events apart."""

from __future__ import annotations

from khabar.analyze.events import distance_km, merge_reports, same_event
from khabar.schema import EventReport

JALALABAD = {"place": "af-jalalabad", "location": "Jalalabad", "admin1": "Nangarhar", "admin2": None,
             "country": "AF", "lat": 34.43, "lon": 70.45, "geo_precision": 1}
NANGARHAR = {"place": "af-nangarhar", "location": "Nangarhar", "admin1": "Nangarhar", "admin2": None,
             "country": "AF", "lat": 34.3, "lon": 70.6, "geo_precision": 3}
KABUL = {"place": "af-kabul-city", "location": "Kabul", "admin1": "Kabul", "admin2": None,
         "country": "AF", "lat": 34.53, "lon": 69.17, "geo_precision": 1}
KHOST = {"place": "af-khost-city", "location": "Khost", "admin1": "Khost", "admin2": None,
         "country": "AF", "lat": 33.34, "lon": 69.92, "geo_precision": 1}


def report(doc: str, day: str, *, precision: str = "day", end: str | None = None, actors=("isis-k",),
           targets=(), place=JALALABAD, type: str = "attack", fatalities: int | None = None) -> EventReport:
    date = {"day": day, "month": day[:7], "year": day[:4]}[precision]
    return EventReport(doc_id=doc, type=type, actors=list(actors), targets=list(targets), date=date,
                       precision=precision, date_start=day, date_end=end or day, fatalities=fatalities,
                       sentence=f"{doc} reports", **(place or {}))


def test_same_attack_in_three_documents_is_one_event():
    events = merge_reports([
        report("a", "2021-08-26", fatalities=73, place=KABUL),
        report("b", "2021-08-26", fatalities=170, place=KABUL, targets=("united-states",)),
        report("c", "2021-08-01", precision="month", end="2021-08-31", place=None),
    ], sources={"a": "AP", "b": "Reuters", "c": "AP"})
    assert len(events) == 1
    e = events[0]
    assert e.documents == ["c", "a", "b"] or set(e.documents) == {"a", "b", "c"}
    assert e.sources == ["AP", "Reuters"]
    assert e.date == "2021-08-26" and e.precision == "day"  # the finest date wins
    assert e.location == "Kabul"
    assert e.fatalities == 73 and e.fatalities_high == 170  # conservative: the lowest stated
    assert e.targets == ["united-states"]


def test_town_and_its_province_agree():
    a = report("a", "2021-08-10")
    b = report("b", "2021-08-10", place=NANGARHAR)
    assert same_event(a, b)
    assert len(merge_reports([a, b])) == 1


def test_same_day_far_apart_stays_apart():
    assert distance_km(KABUL["lat"], KABUL["lon"], KHOST["lat"], KHOST["lon"]) > 100
    events = merge_reports([report("a", "2021-08-10", place=KABUL), report("b", "2021-08-10", place=KHOST)])
    assert len(events) == 2


def test_consecutive_days_same_town_stay_apart():
    events = merge_reports([report("a", "2021-08-10"), report("b", "2021-08-11")])
    assert len(events) == 2


def test_different_type_or_no_shared_actor_stays_apart():
    assert not same_event(report("a", "2021-08-10"), report("b", "2021-08-10", type="statement"))
    assert not same_event(report("a", "2021-08-10"), report("b", "2021-08-10", actors=("taliban",)))


def test_a_month_report_joins_only_events_it_agrees_with_everywhere():
    # one coarse report and two distinct day events: it may join one, never glue both together
    events = merge_reports([
        report("a", "2021-08-10", place=KABUL),
        report("b", "2021-08-20", place=KABUL),
        report("c", "2021-08-01", precision="month", end="2021-08-31", place=KABUL),
    ])
    assert len(events) == 2


def test_actorless_reports_merge_only_on_the_same_place():
    a = report("a", "2021-08-10", actors=())
    b = report("b", "2021-08-10", actors=())
    c = report("c", "2021-08-10", actors=(), place=KHOST)
    assert same_event(a, b)
    assert not same_event(a, c)


def test_event_ids_are_stable():
    reps = [report("a", "2021-08-26", place=KABUL), report("b", "2021-08-26", place=KABUL)]
    assert merge_reports(reps)[0].id == merge_reports(list(reversed(reps)))[0].id
