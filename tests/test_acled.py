"""Tests of the ACLED-style CSV export of merged events: ACLED's columns with ACLED's meaning."""

from __future__ import annotations

import csv
import io

import pytest

from khabar.export.acled import (
    ACLED_COLUMNS,
    acled_event_type,
    acled_rows,
    country_iso_numeric,
    inter_code,
    neutralise,
    time_precision,
    write_acled_csv,
)
from khabar.schema import Event, EventReport

COUNTRIES = {"AF": "Afghanistan", "FR": "France"}


def _events() -> list[dict]:
    long_sentence = "word " * 200
    return [
        {"id": "ev-1", "type": "attack", "actors": ["isk"], "actor_names": ["ISIS-K"], "targets": ["us", "af"],
         "target_names": ["US forces", "Afghan civilians"], "date": "2021-08-26", "precision": "day",
         "date_start": "2021-08-26", "date_end": "2021-08-26", "location": "Kabul", "admin1": "Kabul",
         "admin2": "Kabul", "country": "AF", "lat": 34.53, "lon": 69.17, "geo_precision": 1, "fatalities": 170,
         "fatalities_low": 170, "fatalities_high": 183, "injured": 200,
         "reports": [{"doc_id": "d1", "type": "attack", "sentence": "A suicide bomber\nstruck the gate.",
                      "source": "Wire"},
                     {"doc_id": "d2", "type": "attack", "sentence": "Second report.", "source": "Paper"}],
         "documents": ["d1", "d2"], "sources": ["Wire", "Paper", "Wire"]},
        {"id": "ev-2", "type": "statement", "actors": ["taliban"], "date": "2021-08", "precision": "month",
         "date_start": "2021-08-01", "date_end": "2021-08-31", "country": "FR", "lat": 48.85, "lon": -3.5,
         "geo_precision": 3,
         "reports": [{"doc_id": "d3", "type": "statement", "sentence": long_sentence, "source": "Radio"}]},
        {"id": "ev-3", "type": "killing", "actors": ["x"], "actor_names": ["=HYPERLINK(\"http://evil\",\"click\")"],
         "targets": ["y"], "target_names": ["+cmd|' /C calc'!A0"], "date": "2021-08-10", "precision": "day",
         "date_start": "2021-08-10", "date_end": "2021-08-13", "location": "-2+3", "admin1": "@SUM(A1:A9)",
         "country": None, "fatalities": "not a number",
         "reports": [{"doc_id": "=d4", "type": "killing", "sentence": "=1+1 said the report", "source": "\tTabbed"}]},
        {"id": "ev-4", "type": "release", "reports": []},
    ]


ACTORS = {
    "isk": {"kind": "armed_group", "country": "AF"},
    "us": {"kind": "state", "country": "US"},
    "af": {"kind": "other"},
    "taliban": {"kind": "armed_group", "country": "AF"},
}


def test_columns_and_one_row_per_event():
    rows = acled_rows(_events(), country_names=COUNTRIES, actors=ACTORS)
    assert len(rows) == 4
    assert all(list(row) == ACLED_COLUMNS for row in rows)
    for column in ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                   "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                   "interaction", "civilian_targeting", "iso", "country", "admin1", "admin2", "location",
                   "latitude", "longitude", "geo_precision", "fatalities", "source", "notes"):
        assert column in ACLED_COLUMNS
    assert "country_name" not in ACLED_COLUMNS  # the country is a name now, its code apart


def test_values():
    first, second, third, fourth = acled_rows(_events(), country_names=COUNTRIES, actors=ACTORS)
    assert first["event_id_cnty"] == "ev-1" and first["event_date"] == "2021-08-26" and first["year"] == 2021
    assert first["time_precision"] == 1 and first["date_precision"] == "day" and first["date_end"] == "2021-08-26"
    # ACLED's taxonomy, khabar's type kept beside it
    assert (first["disorder_type"], first["event_type"], first["sub_event_type"]) == (
        "Political violence", "Explosions/Remote violence", "Suicide bomb")
    assert first["khabar_event_type"] == "attack"
    # one actor a side, the others associated; ACLED's actor type codes from the kinds
    assert first["actor1"] == "ISIS-K" and first["assoc_actor_1"] == ""
    assert first["actor2"] == "US forces" and first["assoc_actor_2"] == "Afghan civilians"
    assert (first["inter1"], first["inter2"], first["interaction"]) == (2, 8, 28)  # US forces abroad: external
    assert first["country"] == "Afghanistan" and first["iso"] == 4 and first["country_code"] == "AF"
    assert (first["fatalities"], first["fatalities_low"], first["fatalities_high"], first["injured"]) == (170, 170,
                                                                                                        183, 200)
    assert first["latitude"] == 34.53 and first["longitude"] == 69.17 and first["geo_precision"] == 1
    assert first["source"] == "Wire; Paper" and first["documents"] == "d1;d2" and first["reports"] == 2
    assert first["notes"] == "A suicide bomber struck the gate."
    assert first["civilian_targeting"] == ""
    assert second["actor1"] == "taliban"  # no display name: the id
    assert (second["event_type"], second["sub_event_type"]) == ("Strategic developments", "Other")
    assert second["disorder_type"] == "Strategic developments"
    assert (second["inter1"], second["inter2"], second["interaction"]) == (2, 0, 20)  # no actor2: 0
    assert second["country"] == "France" and second["iso"] == 250 and second["country_code"] == "FR"
    assert second["time_precision"] == 3 and second["event_date"] == "2021-08-01"
    assert second["longitude"] == -3.5  # a number, not neutralised text
    assert len(second["notes"]) == 500 and second["notes"].endswith("\u2026")
    assert second["fatalities"] == "" and second["source"] == "Radio" and second["documents"] == "d3"
    assert third["time_precision"] == 2  # a range of four days
    assert third["fatalities"] == ""  # not a number
    # a killing with no weapon named and no organised target: violence against civilians
    assert (third["event_type"], third["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert third["civilian_targeting"] == "Civilian targeting"
    assert third["inter1"] == "" and third["interaction"] == ""  # kinds not known: no code made up
    assert third["iso"] == "" and third["country"] == ""
    assert fourth["event_date"] == "" and fourth["time_precision"] == "" and fourth["reports"] == 0
    assert (fourth["inter1"], fourth["inter2"], fourth["interaction"]) == (0, 0, "")


def test_names_mapping_and_records():
    records = [Event.from_dict(e) for e in _events()]
    assert isinstance(records[0].reports[0], EventReport)
    rows = acled_rows(records, names={"isk": "Islamic State Khorasan", "us": "United States"}, country_names={},
                      actors=[{"id": k, **v} for k, v in ACTORS.items()])  # actor records as a list
    assert rows[0]["actor1"] == "Islamic State Khorasan" and rows[0]["actor2"] == "United States"
    assert rows[0]["assoc_actor_2"] == "af" and rows[0]["inter2"] == 8
    assert rows[0]["country"] == "" and rows[0]["iso"] == 4  # no name known, the code still


def _event(kind: str, sentence: str = "", actors=(), targets=(), country="AF") -> dict:
    return {"id": "e", "type": kind, "actors": list(actors), "targets": list(targets), "country": country,
            "reports": [{"doc_id": "d", "text": sentence}]}


KINDS = {"tb": {"kind": "armed_group", "country": "AF"}, "af-gov": {"kind": "state", "country": "AF"},
         "pk-army": {"kind": "state_agency", "country": "PK"}, "un": {"kind": "igo"},
         "radio": {"kind": "media_outlet"}, "movement": {"kind": "political_movement"}, "x": {"kind": "other"}}


@pytest.mark.parametrize(("event", "expected"), [
    (_event("attack", "A suicide bomber detonated a car bomb", ["tb"]), ("Explosions/Remote violence", "Suicide bomb")),
    (_event("attack", "A US drone struck the compound", ["pk-army"]), ("Explosions/Remote violence",
                                                                       "Air/drone strike")),
    (_event("attack", "Gunmen threw grenades at the post", ["tb"]), ("Explosions/Remote violence", "Grenade")),
    (_event("attack", "Mortar rounds hit the base", ["tb"]), ("Explosions/Remote violence",
                                                             "Shelling/artillery/missile attack")),
    (_event("attack", "A roadside bomb hit the convoy", ["tb"]), ("Explosions/Remote violence",
                                                                 "Remote explosive/landmine/IED")),
    (_event("attack", "Fighters stormed the checkpoint", ["tb"], ["af-gov"]), ("Battles", "Armed clash")),
    (_event("attack", "Fighters stormed the checkpoint", ["tb"]), ("Battles", "Armed clash")),
    (_event("attack", "Gunmen opened fire on worshippers at a mosque", ["tb"]), ("Violence against civilians",
                                                                                "Attack")),
    (_event("attack", "Gunmen shot dead three journalists", ["tb"], ["radio"]), ("Violence against civilians",
                                                                                "Attack")),
    (_event("killing", "The commander was shot dead", ["x"]), ("Violence against civilians", "Attack")),
    (_event("killing", "The commander was shot dead", ["af-gov"], ["tb"]), ("Battles", "Armed clash")),
    (_event("takeover", "The Taliban took control of Kabul", ["tb"]), ("Battles",
                                                                      "Non-state actor overtakes territory")),
    (_event("takeover", "Government forces retook the district", ["af-gov"]), ("Battles",
                                                                              "Government regains territory")),
    (_event("agreement", "The sides signed a deal", ["tb", "af-gov"]), ("Strategic developments", "Agreement")),
    (_event("statement", "The bomb was condemned", ["un"]), ("Strategic developments", "Other")),
    (_event("meeting", "Envoys met in Doha", ["tb"]), ("Strategic developments", "Other")),
    (_event("release", "Prisoners were freed", ["af-gov"]), ("Strategic developments", "Other")),
])
def test_acled_event_type(event, expected):
    assert acled_event_type(event, KINDS)[1:] == expected


@pytest.mark.parametrize(("actor", "country", "code"), [
    ({"kind": "state", "country": "AF"}, "AF", 1),
    ({"kind": "state_agency", "country": "pk"}, "PK", 1),
    ({"kind": "state", "country": "US"}, "AF", 8),  # a state's forces abroad: external
    ({"kind": "state", "country": None}, "AF", 1),
    ({"kind": "state", "country": "US"}, None, 1),
    ({"kind": "armed_group"}, "AF", 2),
    ({"kind": "political_movement"}, "AF", 3),
    ({"kind": "media_outlet"}, "AF", 7),
    ({"kind": "igo"}, "AF", 8),
    ({"kind": "other"}, "AF", None),
    (None, "AF", None),
])
def test_inter_code(actor, country, code):
    assert inter_code(actor, country) == code


def test_iso_numeric_codes():
    assert country_iso_numeric("AF") == 4 and country_iso_numeric("pk") == 586 and country_iso_numeric("SY") == 760
    assert country_iso_numeric("ZZ") is None and country_iso_numeric(None) is None


def test_default_kinds_come_from_the_gazetteer():
    row = acled_rows([_event("attack", "They stormed a post", ["taliban"])], country_names={})[0]
    assert row["inter1"] == 2


@pytest.mark.parametrize(("precision", "start", "end", "code"), [
    ("day", "2021-08-26", "2021-08-26", 1),
    ("day", "2021-08-26", None, 1),
    (None, "2021-08-26", "2021-08-26", 1),
    ("day", "2021-08-10", "2021-08-16", 2),  # a week
    ("day", "2021-08-11", "2021-08-20", 2),  # mid-August
    ("day", "2021-05-01", "2021-08-31", 3),  # "since May 1"
    ("month", "2021-08-01", "2021-08-31", 3),
    ("season", "2019-03-01", "2019-05-31", 3),
    ("year", "2002-01-01", "2004-12-31", 3),
    ("day", None, None, None),
])
def test_time_precision(precision, start, end, code):
    assert time_precision(precision, start, end) == code


def test_formula_injection_is_neutralised():
    third = acled_rows(_events(), country_names=COUNTRIES)[2]
    assert third["actor1"].startswith("'=HYPERLINK")
    assert third["actor2"].startswith("'+cmd")
    assert third["location"] == "'-2+3"
    assert third["admin1"] == "'@SUM(A1:A9)"
    assert third["notes"] == "'=1+1 said the report"
    assert third["documents"] == "'=d4"
    assert third["source"] == "Tabbed"  # whitespace collapsed: a leading tab is gone
    assert neutralise("\tx") == "'\tx" and neutralise("=x") == "'=x" and neutralise("safe") == "safe"
    assert neutralise(None) == ""


def test_csv_round_trip():
    buffer = io.StringIO(newline="")
    count = write_acled_csv(_events(), buffer, country_names=COUNTRIES)
    text = buffer.getvalue()
    assert count == 4
    assert "\r\n" not in text and text.endswith("\n")
    assert text.splitlines()[0] == ",".join(ACLED_COLUMNS)
    read = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(read) == 4
    expected = acled_rows(_events(), country_names=COUNTRIES)
    for got, want in zip(read, expected, strict=True):
        assert got == {k: str(v) for k, v in want.items()}
    for row in read:  # no cell a spreadsheet would evaluate
        for column in ACLED_COLUMNS:
            if column not in ("latitude", "longitude"):
                assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), (column, row[column])
    assert read[1]["longitude"] == "-3.5"


def test_csv_utf8_and_empty(tmp_path):
    path = tmp_path / "events.csv"
    events = _events()
    events[0]["location"] = "Kabul \u0643\u0627\u0628\u0644"
    with path.open("w", encoding="utf-8", newline="") as fh:
        assert write_acled_csv((e for e in events), fh, country_names={}) == 4  # a generator: rows streamed
    with path.open(encoding="utf-8", newline="") as fh:
        assert next(csv.DictReader(fh))["location"] == "Kabul \u0643\u0627\u0628\u0644"
    buffer = io.StringIO()
    assert write_acled_csv([], buffer) == 0
    assert buffer.getvalue() == ",".join(ACLED_COLUMNS) + "\n"
