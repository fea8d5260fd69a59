"""Tests of how events are shown: the timeline and map SVGs, and the Events and Activity sections of the brief."""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET

import pytest

from khabar.present import render_html, render_markdown
from khabar.present.geomap import AFPAK_FRAME, MIN_EXTENT, _frame, event_map_svg, place_groups
from khabar.present.model import EVENTS_SHOWN
from khabar.present.timeline import sparkline_svg, text_sparkline, timeline_svg
from khabar.schema import Event, EventReport

SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>alert(1)</script>"
ATTR = '" onmouseover="x'
NAMESPACE = "http://www.w3.org/2000/svg"
URL = re.compile(r"https?://[^\s\"'<>)]+", re.IGNORECASE)

OUTLINES = {
    "source": "test squares",
    "countries": {
        "AF": {"name": "Afghanistan", "rings": [[[60.5, 29.4], [75.0, 29.4], [75.0, 38.5], [60.5, 38.5],
                                                 [60.5, 29.4]]]},
        "PK": {"name": "Pakistan", "rings": [[[61.0, 23.7], [77.8, 23.7], [77.8, 37.0], [71.0, 34.0], [61.0, 29.4],
                                              [61.0, 23.7]]]},
        "FR": {"name": "France", "rings": [[[-4.0, 43.0], [7.0, 43.0], [7.0, 51.0], [-4.0, 51.0], [-4.0, 43.0]]]},
    },
}


def _event(i, type_, date, precision, start, end, *, place="kabul", location="Kabul", admin1="Kabul", lat=34.53,
           lon=69.17, geo=1, fatalities=None, low=None, high=None, actors=("isk",), names=("ISIS-K",),
           targets=(), target_names=(), doc="d1", sentence="Something happened."):
    report = {"doc_id": doc, "type": type_, "sentence": sentence, "date": date, "precision": precision,
              "title": f"Title {doc}", "source": f"Source {doc}", "published": "2021-08-30", "url": None,
              "name": f"{doc}.txt"}
    return {"id": f"ev{i}", "type": type_, "actors": list(actors), "actor_names": list(names),
            "targets": list(targets), "target_names": list(target_names), "date": date, "precision": precision,
            "date_start": start, "date_end": end, "place": place, "location": location, "admin1": admin1,
            "admin2": None, "country": "AF" if location else None, "lat": lat, "lon": lon, "geo_precision": geo,
            "fatalities": fatalities, "fatalities_low": low, "fatalities_high": high, "injured": None,
            "reports": [report], "documents": [doc], "sources": [f"Source {doc}"]}


@pytest.fixture()
def events() -> list[dict]:
    return [
        _event(1, "statement", "2001-09", "month", "2001-09-01", "2001-09-30", doc="d2"),
        _event(2, "agreement", "2020", "year", "2020-01-01", "2020-12-31", targets=("us",),
               target_names=("United States",), place="doha", location="Doha", admin1=None, lat=25.29, lon=51.53),
        _event(3, "attack", "2021-08-26", "day", "2021-08-26", "2021-08-26", fatalities=170, low=170, high=183,
               targets=("us",), target_names=("US forces",), sentence="A suicide bomber struck the airport gate."),
        _event(4, "takeover", "2021-08-15", "day", "2021-08-15", "2021-08-15", actors=("taliban",),
               names=("Taliban",)),
        _event(5, "takeover", "2021-08-15", "day", "2021-08-15", "2021-08-15", actors=("taliban",),
               names=("Taliban",), place="jalalabad", location="Jalalabad", admin1="Nangarhar", lat=34.43, lon=70.45),
        _event(6, "meeting", "2021-07", "month", "2021-07-01", "2021-07-31", place="af", location="Afghanistan",
               admin1=None, lat=33.93, lon=67.71, geo=4),
        _event(7, "killing", "2021-08-20", "day", "2021-08-20", "2021-08-20", place="x", location=SCRIPT,
               names=(ATTR,), lat=34.0, lon=71.5, sentence=f"Hostile {SCRIPT} text"),
        _event(8, "release", None, None, None, None, lat=None, lon=None, location=None, admin1=None, place=None),
    ]


def _attributes(root: ET.Element) -> list[str]:
    return [name for element in root.iter() for name in element.attrib]


def _external_urls(text: str) -> list[str]:
    return [u for u in URL.findall(text) if not u.startswith(NAMESPACE)]


def _marks(root: ET.Element, panel: int | None = None) -> list[ET.Element]:
    groups = [g for g in root.iter(f"{SVG}g") if (g.get("class") or "") == "panel"]
    scope = groups if panel is None else [groups[panel]]
    return [g for p in scope for g in p.iter(f"{SVG}g") if (g.get("class") or "").startswith("event ")]


# ---- timeline ---------------------------------------------------------------------------------------------------

def test_timeline_long_span_has_overview_and_last_year(events):
    root = ET.fromstring(timeline_svg(events))
    panels = [g for g in root.iter(f"{SVG}g") if g.get("class") == "panel"]
    assert len(panels) == 2
    overview, detail = _marks(root, 0), _marks(root, 1)
    assert len(overview) == 7  # every dated event; the undated one is counted in the legend
    assert len(detail) == 6  # all but 2001 (the year 2020 overlaps the window, cut at its start)
    ticks = [t.text for t in panels[0].iter(f"{SVG}text") if t.get("class") == "tick"]
    assert "2010" in ticks and all(t.isdigit() for t in ticks)
    detail_ticks = [t.text for t in panels[1].iter(f"{SVG}text") if t.get("class") == "tick"]
    assert "Jan 2021" in detail_ticks and "Jul" in detail_ticks
    assert "1 event has no date" in "".join(root.itertext())
    assert any(r.get("class") == "detail-window" for r in root.iter(f"{SVG}rect"))


def test_timeline_coarse_dates_are_bars(events):
    root = ET.fromstring(timeline_svg(events))
    for mark in _marks(root, 0):
        precision = mark.get("data-precision")
        if precision == "day":
            assert mark.get("class") == "event dot" and mark.find(f"{SVG}circle") is not None
        else:
            assert mark.get("class") == "event bar" and mark.find(f"{SVG}rect") is not None
    bars = {m.get("data-precision"): float(m.find(f"{SVG}rect").get("width")) for m in _marks(root, 1)
            if m.get("class") == "event bar"}
    assert bars["month"] > 30  # July 2021 spans a month on the 12-month axis
    # A day range (e.g. "in mid-August") is a bar too, even at day precision.
    ranged = [_event(1, "attack", "2021-08", "day", "2021-08-11", "2021-08-20")]
    assert _marks(ET.fromstring(timeline_svg(ranged)))[0].get("class") == "event bar"


def test_timeline_stacks_events_on_the_same_day():
    same_day = [_event(i, "attack", "2021-08-15", "day", "2021-08-15", "2021-08-15") for i in range(5)]
    root = ET.fromstring(timeline_svg(same_day))
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "panel"]) == 1
    ys = {c.get("cy") for c in root.iter(f"{SVG}circle") if c.get("class") == "event-dot"}
    assert len(ys) == 5
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert len(ticks) >= 3 and all(re.match(r"^\d+ (Jul|Aug)", t) for t in ticks)  # day ticks


def test_timeline_fixed_height_squeezes_rows():
    many = [_event(i, "attack", "2021-08-15", "day", "2021-08-15", "2021-08-15") for i in range(30)]
    root = ET.fromstring(timeline_svg(many, width=600, height=200))
    assert root.get("height") == "200" and root.get("width") == "600"


def test_timeline_empty_and_undated():
    assert timeline_svg([]) == ""
    assert timeline_svg(None) == ""
    undated = [_event(1, "attack", None, None, None, None)]
    svg = timeline_svg(undated)
    assert "1 event has no date" in "".join(ET.fromstring(svg).itertext())


def test_timeline_tooltip_and_records(events):
    records = [Event.from_dict(e) for e in events]  # schema records work too (no display names there)
    root = ET.fromstring(timeline_svg(records))
    titles = [g.find(f"{SVG}title").text for g in _marks(root)]
    assert any("attack" in t and "2021-08-26 (day)" in t and "Kabul" in t and "isk \u2192 us" in t
               and "170 fatalities" in t for t in titles)
    assert isinstance(records[0].reports[0], EventReport)


# ---- map --------------------------------------------------------------------------------------------------------

def test_map_circles_per_place(events):
    root = ET.fromstring(event_map_svg(events, OUTLINES))
    places = [g for g in root.iter(f"{SVG}g") if g.get("class") in ("place", "place country-level")]
    counts = {g.find(f"{SVG}title").text.split(":")[0]: int(g.get("data-events")) for g in places}
    assert counts["Kabul (AF)"] == 3
    assert sum(counts.values()) == 7  # one event has no coordinates
    assert len(places) == 5
    hollow = [g for g in places if "country-level" in g.get("class")]
    assert len(hollow) == 1 and hollow[0].find(f"{SVG}circle").get("fill") == "#ffffff"
    radii = {g.find(f"{SVG}title").text.split(":")[0]: float(g.find(f"{SVG}circle").get("r")) for g in places}
    assert radii["Kabul (AF)"] == pytest.approx(3 ** 0.5 * radii["Jalalabad (Nangarhar, AF)"], rel=0.01)
    text = "".join(root.itertext())
    assert "1 event has no place" in text
    assert "AFGHANISTAN" in text
    countries = [p for p in root.iter(f"{SVG}path") if p.get("class") == "country"]
    assert {p.find(f"{SVG}title").text for p in countries} == {"Afghanistan", "Pakistan"}  # France is out of view


def test_map_counts_match_place_groups(events):
    groups, missing = place_groups(events)
    assert missing == 1
    kabul = next(g for g in groups if g["name"].startswith("Kabul"))
    assert kabul["type"] == "attack" and kabul["count"] == 3  # a tie goes to the first type in vocabulary order
    assert kabul["fatalities"] == 170


def test_map_without_outlines_draws_graticule(events):
    root = ET.fromstring(event_map_svg(events, {}))
    assert not [p for p in root.iter(f"{SVG}path") if p.get("class") == "country"]
    assert [line for line in root.iter(f"{SVG}line") if line.get("class") == "graticule"]
    assert "\u00b0N" in "".join(root.itertext())
    assert event_map_svg([], OUTLINES) == ""


def test_map_framing():
    kabul = [(69.17, 34.53)]
    assert _frame(kabul) == AFPAK_FRAME
    west, south, east, north = _frame([(2.35, 48.85)])  # Paris: not a blown-up street view
    assert east - west >= MIN_EXTENT[0] and north - south >= MIN_EXTENT[1]
    west, south, east, north = _frame([(69.17, 34.53), (2.35, 48.85)])
    assert west < 2.35 < 69.17 < east and south < 34.53 < 48.85 < north


def test_map_malformed_outlines_and_points_do_not_break():
    bad = {"countries": {"XX": {"name": SCRIPT, "rings": [[["a", 1], [None]], "nope"]}, "YY": "nope"}}
    weird = [_event(1, "attack", "2021", "year", "2021-01-01", "2021-12-31", lat="north", lon=500)]
    root = ET.fromstring(event_map_svg(weird, bad))
    assert "1 event has no place" in "".join(root.itertext())


# ---- escaping and no external resources -------------------------------------------------------------------------

@pytest.mark.parametrize("render", [
    lambda e: timeline_svg(e),
    lambda e: event_map_svg(e, OUTLINES),
    lambda e: event_map_svg(e, {"source": f"{SCRIPT} {ATTR}", "countries": {
        "AF": {"name": SCRIPT, "rings": OUTLINES["countries"]["AF"]["rings"]}}}),
])
def test_svgs_escape_hostile_strings(events, render):
    svg = render(events)
    root = ET.fromstring(svg)
    assert SCRIPT not in svg and ATTR not in svg
    assert not any(name.lower().startswith("on") for name in _attributes(root))
    assert root.find(f".//{SVG}script") is None
    assert _external_urls(svg) == []


def test_map_source_urls_are_not_shown(events):
    svg = event_map_svg(events, {**OUTLINES, "source": "Natural Earth (https://example.org/ne)"})
    assert _external_urls(svg) == [] and "Natural Earth" in svg


# ---- the brief -------------------------------------------------------------------------------------------------

ACTIVITY = [{
    "actor": "isk", "actor_name": "ISIS-K", "by": "week",
    "series": [{"start": f"2021-0{m}-0{d}", "count": c} for (m, d), c in zip(
        [(7, 5), (7, 6), (7, 7), (8, 2), (8, 3), (8, 4), (8, 5)], [1, 0, 2, 5, 1, 0, 0], strict=True)],
    "changes": [{"kind": "stop", "start": "2021-08-15", "rate_before": 0.9, "rate_after": 0.0,
                 "label": "evidence of absence", "coverage_before": 12, "coverage_after": 9}],
    "concentration": [{"name": "Jalalabad", "count": 3, "share": 0.25}, {"name": SCRIPT, "count": 2, "share": 1 / 6}],
}]


@pytest.fixture()
def brief(events) -> dict:
    docs = [{"id": "d1", "name": "d1.txt", "title": "Title d1", "source": "Source d1", "published": "2021-08-30",
             "url": "https://news.example/d1"}]
    return {"title": "khabar brief", "generated": "2026-11-21T12:00:00Z", "db": "khabar.db",
            "overview": {"documents": 1}, "documents": docs, "actors": [], "ties": [],
            "events": events, "activity": copy.deepcopy(ACTIVITY)}


def _section(html: str, anchor: str) -> str:
    match = re.search(rf'<section id="{anchor}">.*?</section>(?=<section id=|</main>)', html, re.S)
    assert match, anchor
    return match.group(0)


def test_html_events_section(brief):
    html = render_html(brief)
    assert 'href="#events"' in html and 'href="#activity"' in html
    events = _section(html, "events")
    assert "khabar-timeline" in events and "khabar-map" in events
    rows = re.findall(r"<tr><td class=\"date\">", events)
    assert len(rows) == 8
    first_row = events.split("<tbody>")[1].split("</tr>")[0]
    assert "2021-08-26" in first_row and "attack" in first_row  # most recent first
    assert "170 (170\u2013183)" in first_row
    assert "ISIS-K \u2192 US forces" in first_row and "Kabul (" in first_row
    assert "A suicide bomber struck the airport gate." in first_row
    assert 'href="#doc-1"' in first_row  # the document of the first report, numbered in the documents list
    assert 'id="doc-2"' in html and "cited only" in html  # d2 is only cited by an event report
    assert "undated" in events.split("</tbody>")[0].rsplit("<tr>", 1)[1]  # undated last
    for svg in re.findall(r"<svg\b.*?</svg>", events, re.S):
        ET.fromstring(svg)


def test_html_activity_section(brief):
    activity = _section(render_html(brief), "activity")
    assert "ISIS-K" in activity and "khabar-sparkline" in activity
    assert ("stop from 2021-08-15: 0.9 -&gt; 0.0 events/week; coverage continued (12 -&gt; 9 documents): "
            "evidence of absence") in activity
    assert "Jalalabad 25% (3)" in activity
    ET.fromstring(re.search(r"<svg\b.*?</svg>", activity, re.S).group(0))


def test_html_escapes_hostile_event_data(brief):
    html = render_html(brief)
    assert SCRIPT not in html and ATTR not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onmouseover=" not in html.replace("&quot; onmouseover=&quot;", "")
    assert [u for u in _external_urls(html) if u != "https://news.example/d1"] == []


@pytest.mark.parametrize("change", [{}, {"events": None, "activity": None}, {"activity": []}])
def test_html_without_events_or_activity(brief, change):
    data = {k: v for k, v in brief.items() if k not in ("events", "activity")} if not change else {**brief, **change}
    html = render_html(data)
    assert 'id="activity"' not in html and 'href="#activity"' not in html
    if "events" not in data or data["events"] is None:
        assert 'id="events"' not in html and 'href="#events"' not in html
        assert "khabar-timeline" not in html
    for heading in ("Corpus overview", "Actors", "Network", "Ties"):
        assert f">{heading}</h2>" in html


def test_html_no_events(brief):
    html = render_html({**brief, "events": [], "activity": []})
    assert "No events." in _section(html, "events") and "<svg" not in _section(html, "events")


def test_events_table_is_capped(brief):
    many = [_event(i, "attack", f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", "day", f"2021-{1 + i % 12:02d}-"
                   f"{1 + i % 28:02d}", f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}") for i in range(EVENTS_SHOWN + 30)]
    html = render_html({**brief, "events": many})
    assert len(re.findall(r"<tr><td class=\"date\">", html)) == EVENTS_SHOWN
    assert "30 older events not shown" in html
    md = render_markdown({**brief, "events": many})
    assert "30 older events not shown" in md


def test_markdown_events_and_activity(brief):
    md = render_markdown(brief)
    assert "\n## Events\n" in md and "\n## Activity\n" in md
    assert "| Date | Type | Actors \u2192 targets | Place | Fatalities | Reports / sources | Evidence |" in md
    row = next(line for line in md.splitlines() if line.startswith("| 2021-08-26 (day) |"))
    assert "170 \\(170\u2013183\\)" in row and "\\[1\\]" in row and "ISIS-K \u2192 US forces" in row
    assert ("- stop from 2021-08-15: 0.9 \u2192 0.0 events/week; coverage continued \\(12 \u2192 9 documents\\): "
            "evidence of absence") in md
    assert "Jalalabad 25% \\(3\\)" in md
    assert "<script>" not in md and "<svg" not in md and "&lt;script&gt;" in md
    table = md.split("\n## Events\n")[1].split("\n## Activity\n")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert len(rows) == 9  # header and 8 events
    assert all(line.count(" | ") == 6 for line in rows)  # no cell broke out of the table


def test_markdown_without_events(brief):
    data = {k: v for k, v in brief.items() if k not in ("events", "activity")}
    md = render_markdown(data)
    assert "## Events" not in md and "## Activity" not in md


def test_sparklines():
    svg = sparkline_svg(ACTIVITY[0]["series"], ACTIVITY[0]["changes"])
    root = ET.fromstring(svg)
    change = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "change")
    assert change.find(f"{SVG}line").get("stroke") == "#b2182b"
    assert sparkline_svg([]) == ""
    assert text_sparkline([{"count": 0}, {"count": 4}, {"count": 2}]) == "\u2581\u2588\u2585"
