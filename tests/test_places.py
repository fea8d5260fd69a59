"""The place gazetteer (data/places.yaml), its API (khabar.resolve.places) and the outlines (data/outlines.json)."""

from __future__ import annotations

import importlib.util
import json
import math
import re
import time
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from khabar.resolve.places import KINDS, PRECISION, Places, load_outlines, load_places, place_key
from khabar.schema import Place

DATA = Path(__file__).parents[1] / "src/khabar/data"
PLACES = DATA / "places.yaml"
OUTLINES = DATA / "outlines.json"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2 = re.compile(r"^[A-Z]{2}$")

# rough boxes (lat_min, lat_max, lon_min, lon_max) around the countries of the region
BOXES = {
    "AF": (29.3, 38.5, 60.4, 74.95), "PK": (23.6, 37.1, 60.8, 77.9), "IR": (25.0, 39.8, 44.0, 63.4),
    "IN": (6.7, 35.7, 68.1, 97.5), "TJ": (36.6, 41.1, 67.3, 75.2), "UZ": (37.1, 45.6, 55.9, 73.2),
    "KG": (39.1, 43.3, 69.2, 80.3), "TM": (35.1, 42.8, 52.4, 66.7), "KZ": (40.5, 55.5, 46.4, 87.4),
    "CN": (18.0, 53.6, 73.4, 135.1), "IQ": (29.0, 37.4, 38.7, 48.6), "SY": (32.3, 37.4, 35.7, 42.4),
    "TR": (35.8, 42.2, 25.6, 44.9), "SA": (16.3, 32.2, 34.5, 55.7), "YE": (12.1, 19.0, 42.5, 54.6),
    "OM": (16.6, 26.4, 51.9, 59.9), "AE": (22.6, 26.1, 51.5, 56.4), "QA": (24.4, 26.2, 50.7, 51.7),
    "BH": (25.7, 26.4, 50.3, 50.9), "KW": (28.5, 30.1, 46.5, 48.5), "JO": (29.1, 33.4, 34.9, 39.3),
    "LB": (33.0, 34.7, 35.1, 36.7), "IL": (29.4, 33.4, 34.2, 35.9), "PS": (31.2, 32.6, 34.2, 35.6),
    "EG": (22.0, 31.7, 24.7, 36.9), "LY": (19.5, 33.2, 9.3, 25.2), "TN": (30.2, 37.6, 7.5, 11.6),
    "DZ": (18.9, 37.1, -8.7, 12.0), "MA": (27.6, 35.95, -13.2, -1.0), "ML": (10.1, 25.0, -12.3, 4.3),
    "NE": (11.7, 23.6, 0.1, 16.0), "BF": (9.4, 15.1, -5.5, 2.4), "MR": (14.7, 27.3, -17.1, -4.8),
    "TD": (7.4, 23.5, 13.4, 24.0), "NG": (4.2, 13.9, 2.6, 14.7), "SO": (-1.7, 12.0, 40.9, 51.5),
    "KE": (-4.7, 5.1, 33.9, 41.9), "ET": (3.4, 15.0, 32.9, 48.0), "SD": (8.6, 22.3, 21.8, 38.7),
    "RU": (41.1, 82.0, 19.0, 180.0),
}
OUTLINE_MUST = ("AF PK IR IN CN TJ UZ TM KG KZ RU TR IQ SY JO LB IL SA YE OM AE QA BH KW EG LY TN DZ MA ML NE BF "
                "MR TD NG SO KE ET SD").split()

# every district of these provinces (the provincial capital's district is the city, listed apart)
DISTRICTS = {
    "af-nangarhar": ["Achin", "Bati Kot", "Behsud", "Chaparhar", "Dara-i-Nur", "Deh Bala", "Dur Baba", "Goshta",
                     "Hisarak", "Kama", "Khogyani", "Kot", "Kuz Kunar", "Lalpur", "Mohmand Dara", "Nazyan",
                     "Pachir wa Agam", "Rodat", "Sherzad", "Shinwar", "Surkh Rod", "Spin Ghar"],
    "af-kunar": ["Bar Kunar", "Chapa Dara", "Chawkay", "Dangam", "Dara-i-Pech", "Ghaziabad", "Khas Kunar",
                 "Marawara", "Narang", "Nari", "Nurgal", "Shigal", "Sirkanay", "Watapur"],
    "af-helmand": ["Baghran", "Dishu", "Garmsir", "Kajaki", "Khanashin", "Marjah", "Musa Qala", "Nad Ali",
                   "Nahr-e Saraj", "Nawa-i-Barakzayi", "Nawzad", "Sangin", "Washir"],
    "af-kandahar": ["Arghandab", "Arghistan", "Daman", "Dand", "Ghorak", "Khakrez", "Maruf", "Maywand",
                    "Miyanishin", "Nesh", "Panjwayi", "Reg", "Shah Wali Kot", "Shorabak", "Spin Boldak", "Zhari",
                    "Takhta Pul"],
    "af-kunduz": ["Ali Abad", "Chahar Dara", "Dasht-i-Archi", "Imam Sahib", "Khanabad", "Qala-i-Zal"],
    "af-kabul": ["Bagrami", "Chahar Asyab", "Deh Sabz", "Farza", "Guldara", "Istalif", "Kalakan", "Khaki Jabbar",
                 "Mir Bacha Kot", "Musayi", "Paghman", "Qarabagh", "Shakardara", "Surobi"],
    "af-badakhshan": ["Arghanj Khwa", "Argo", "Baharak", "Darayim", "Ishkashim", "Jurm", "Khash", "Khwahan",
                      "Kishim", "Kohistan", "Kuf Ab", "Kuran wa Munjan", "Maimay", "Nusay", "Raghistan",
                      "Shahri Buzurg", "Shiki", "Shighnan", "Shuhada", "Tagab", "Tishkan", "Wakhan", "Wurduj",
                      "Yaftal-i-Sufla", "Yamgan", "Yawan", "Zebak"],
    "af-paktika": ["Barmal", "Dila", "Gayan", "Gomal", "Jani Khel", "Mata Khan", "Naka", "Omna", "Sar Hawza",
                   "Sarobi", "Sharana", "Turwo", "Urgun", "Waza Khwa", "Wor Mamay", "Yahya Khel", "Yusuf Khel",
                   "Zarghun Shahr", "Ziruk"],
    "af-khost": ["Bak", "Gurbuz", "Jaji Maidan", "Mandozai", "Musa Khel", "Nadir Shah Kot", "Qalandar", "Sabari",
                 "Shamal", "Spera", "Tani", "Terezayi"],
    "af-logar": ["Azra", "Baraki Barak", "Charkh", "Kharwar", "Khoshi", "Mohammad Agha", "Pul-i-Alam"],
    "af-zabul": ["Arghandab", "Atghar", "Daychopan", "Kakar", "Mizan", "Naw Bahar", "Shah Joy", "Shamulzayi",
                 "Shinkay", "Tarnak wa Jaldak"],
    "af-nuristan": ["Barg-i-Matal", "Du Ab", "Kamdesh", "Mandol", "Nurgaram", "Parun", "Wama", "Waygal"],
    "af-laghman": ["Alingar", "Alishing", "Bad Pash", "Dawlat Shah", "Mehtarlam", "Qarghayi"],
    "af-ghazni": ["Ab Band", "Ajristan", "Andar", "Deh Yak", "Gelan", "Giro", "Jaghatu", "Jaghori", "Khwaja Umari",
                  "Malistan", "Muqur", "Nawa", "Nawur", "Qarabagh", "Rashidan", "Waghaz", "Zana Khan"],
    "af-herat": ["Adraskan", "Chisht-i-Sharif", "Farsi", "Ghoryan", "Gulran", "Guzara", "Injil", "Karukh",
                 "Kohsan", "Kushk", "Kushk-i-Kuhna", "Obe", "Pashtun Zarghun", "Shindand", "Zinda Jan"],
}
AF_PROVINCES = ["Badakhshan", "Badghis", "Baghlan", "Balkh", "Bamyan", "Daykundi", "Farah", "Faryab", "Ghazni",
                "Ghor", "Helmand", "Herat", "Jowzjan", "Kabul", "Kandahar", "Kapisa", "Khost", "Kunar", "Kunduz",
                "Laghman", "Logar", "Nangarhar", "Nimruz", "Nuristan", "Paktia", "Paktika", "Panjshir", "Parwan",
                "Samangan", "Sar-e Pol", "Takhar", "Uruzgan", "Wardak", "Zabul"]
PK_UNITS = ["pk-kp", "pk-punjab", "pk-sindh", "pk-balochistan", "pk-gb", "pk-ajk", "pk-ict", "pk-fata"]
KP_DISTRICTS = ["Khyber", "Kurram", "Orakzai", "Bajaur", "Mohmand", "North Waziristan", "South Waziristan",
                "Upper South Waziristan", "Lower South Waziristan", "Peshawar", "Bannu", "Dera Ismail Khan", "Tank",
                "Lakki Marwat", "Swat", "Lower Dir", "Upper Dir", "Malakand", "Mardan", "Charsadda", "Nowshera",
                "Kohat", "Hangu", "Karak", "Abbottabad", "Mansehra", "Swabi", "Buner", "Shangla", "Haripur",
                "Battagram", "Torghar", "Lower Chitral", "Upper Chitral", "Upper Kohistan", "Lower Kohistan",
                "Kolai-Palas"]
BALOCHISTAN_DISTRICTS = ["Quetta", "Pishin", "Killa Abdullah", "Chaman", "Zhob", "Mastung", "Kech", "Gwadar", "Kalat",
                         "Khuzdar", "Kharan", "Chagai", "Nushki", "Panjgur", "Awaran", "Lasbela", "Loralai", "Sibi"]
MUST_TOWNS = ["Kabul", "Jalalabad", "Kandahar", "Herat", "Mazar-i-Sharif", "Kunduz", "Lashkar Gah", "Ghazni", "Khost",
              "Bagram", "Torkham", "Spin Boldak", "Chaman", "Peshawar", "Quetta", "Islamabad", "Rawalpindi", "Karachi",
              "Lahore", "Miranshah", "Mir Ali", "Wana", "Bannu", "Dera Ismail Khan", "Mamuzai", "Landi Kotal",
              "Parachinar", "Tashkent", "Dushanbe", "Bishkek", "Osh", "Andijan", "Namangan", "Fergana", "Termez",
              "Khujand", "Ashgabat", "Tehran", "Mashhad", "Zahedan", "Zaranj", "Islam Qala", "Doha", "Dubai",
              "Abu Dhabi", "Riyadh", "Muscat", "Manama", "Kuwait City", "New York", "Washington", "Pensacola", "Paris",
              "London", "Mogadishu", "Bamako", "Damascus", "Raqqa", "Mosul", "Baghdad", "Sanaa", "Aden"]
MUST_AREAS = ["Durand Line", "Afghanistan-Pakistan border", "Fergana Valley", "Wakhan Corridor", "Panjshir Valley",
              "Tora Bora", "Spin Ghar Mountains", "Tirah Valley", "Swat Valley"]


# ---------------------------------------------------------------------- the data file
@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with PLACES.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)["places"]


@pytest.fixture(scope="module")
def places() -> Places:
    return load_places()


def test_rows_have_the_fields(rows):
    allowed = {"id", "name", "kind", "country", "parent", "lat", "lon", "variants", "precision", "strict"}
    for r in rows:
        assert {"id", "name", "kind", "lat", "lon"} <= set(r) <= allowed, r.get("id")
        assert isinstance(r["id"], str) and SLUG.match(r["id"]), r["id"]
        assert isinstance(r["name"], str) and r["name"].strip() == r["name"] and r["name"], r["id"]
        assert r["kind"] in KINDS, r["id"]
        assert r.get("country") is None or (isinstance(r["country"], str) and ISO2.match(r["country"])), r["id"]
        assert -90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180, r["id"]
        assert r.get("precision") in (None, 1, 2, 3, 4), r["id"]
        for v in r.get("variants") or []:
            assert isinstance(v, str) and v.strip() == v and place_key(v), (r["id"], v)


def test_ids_unique(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_parents_exist_agree_and_do_not_loop(rows):
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        parent = r.get("parent")
        if r["kind"] == "country":
            assert parent is None, r["id"]
            continue
        if parent is None:
            assert r.get("country") is None, f"{r['id']} has a country but no parent"
            continue
        assert parent in by_id, (r["id"], parent)
        assert by_id[parent]["country"] == r["country"], (r["id"], parent)
    for start in by_id:
        seen, cur = set(), start
        while cur is not None:
            assert cur not in seen, f"parent loop through {start}"
            seen.add(cur)
            cur = by_id[cur].get("parent")


def test_districts_sit_under_provinces(rows):
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        if r["kind"] == "district":
            assert by_id[r["parent"]]["kind"] == "province", r["id"]
        if r["kind"] == "province":
            assert by_id[r["parent"]]["kind"] == "country", r["id"]


def test_variants_are_not_repeats(rows):
    """Matching ignores case, accents and punctuation, so a variant that differs only so is dead weight
    (an acronym's own spelling excepted: "KP" and "K-P" match differently)."""
    def shouted(v: str) -> bool:
        letters = [c for c in v if c.isalpha()]
        return len(letters) <= 5 and all(c.isupper() for c in letters)

    for r in rows:
        seen: dict[str, list[str]] = defaultdict(list)
        for v in [r["name"], *(r.get("variants") or [])]:
            seen[place_key(v)].append(v)
        repeats = [vs for vs in seen.values() if len(vs) > 1 and sum(not shouted(v) for v in vs) > 1]
        assert not repeats, (r["id"], repeats)


def test_counts(places):
    kinds = defaultdict(int)
    for p in places:
        kinds[p.kind] += 1
    assert kinds["country"] >= 200
    assert kinds["district"] >= 150
    assert kinds["city"] + kinds["town"] + kinds["village"] + kinds["site"] >= 300
    assert sum(1 for p in places if p.kind == "district" and p.country == "AF") >= 300


def test_all_afghan_provinces(places):
    provinces = {p.name for p in places if p.kind == "province" and p.country == "AF"}
    assert provinces == set(AF_PROVINCES)


def test_pakistani_provinces_and_territories(places):
    for pid in PK_UNITS:
        assert pid in places, pid
    assert places.get("pk-fata").kind == "area"


@pytest.mark.parametrize("province", sorted(DISTRICTS))
def test_every_district_of_the_province(places, province):
    found = {p.name for p in places if p.kind == "district" and p.parent == province}
    missing = set(DISTRICTS[province]) - found
    assert not missing, missing


@pytest.mark.parametrize(("names", "parent"), [(KP_DISTRICTS, "pk-kp"), (BALOCHISTAN_DISTRICTS, "pk-balochistan")])
def test_pakistani_districts(places, names, parent):
    found = {p.name for p in places if p.kind == "district" and p.parent == parent}
    assert not set(names) - found, set(names) - found


@pytest.mark.parametrize("name", MUST_TOWNS)
def test_must_have_town(places, name):
    p = places.lookup(name)
    assert p is not None and p.kind in ("city", "town", "village"), (name, p)


@pytest.mark.parametrize("name", MUST_AREAS)
def test_must_have_area(places, name):
    p = places.lookup(name)
    assert p is not None and p.kind in ("area", "border", "site"), (name, p)


@pytest.mark.parametrize(("district", "province"), [
    ("Achin", "Nangarhar"), ("Haska Mina", "Nangarhar"), ("Sangin", "Helmand"), ("Nad-e Ali", "Helmand"),
    ("Musa Qal'ah", "Helmand"), ("Panjwai", "Kandahar"), ("Chapa Dara", "Kunar"), ("Imam Sahib", "Kunduz"),
    ("Paghman", "Kabul"), ("Wakhan", "Badakhshan"), ("Barmal", "Paktika"), ("Sabari", "Khost"),
    ("Baraki Barak", "Logar"), ("Shah Joy", "Zabul"), ("Kamdesh", "Nuristan"), ("Alingar", "Laghman"),
    ("Jaghori", "Ghazni"), ("Shindand", "Herat"), ("Orakzai", "Khyber Pakhtunkhwa"),
    ("North Waziristan", "Khyber Pakhtunkhwa"), ("Killa Abdullah", "Balochistan"), ("Kech", "Balochistan"),
])
def test_district_in_its_province(places, district, province):
    p = places.lookup(district + " District")
    assert p is not None and p.kind == "district", district
    assert p.admin1 == province


def _inside_box(place: Place) -> bool:
    lat0, lat1, lon0, lon1 = BOXES[place.country]
    return lat0 <= place.lat <= lat1 and lon0 <= place.lon <= lon1


def test_points_inside_their_country_box(places):
    checked = [p for p in places if p.country in BOXES]
    assert len(checked) > 1000
    outside = [(p.id, p.lat, p.lon) for p in checked if not _inside_box(p)]
    assert not outside, outside


def _point_in_ring(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _distance_to_ring(lon: float, lat: float, ring: list[list[float]]) -> float:
    best = math.inf
    for (ax, ay), (bx, by) in zip(ring, ring[1:], strict=False):
        dx, dy = bx - ax, by - ay
        span = dx * dx + dy * dy
        t = 0.0 if span == 0 else max(0.0, min(1.0, ((lon - ax) * dx + (lat - ay) * dy) / span))
        best = min(best, math.hypot(lon - ax - t * dx, lat - ay - t * dy))
    return best


def test_points_inside_their_country_outline(places):
    """Against the simplified outlines: inside, or within 0.2 degree of the border or coast."""
    outlines = load_outlines()
    bad = []
    for p in places:
        if p.country not in BOXES:
            continue
        rings = outlines[p.country]["rings"]
        if not any(_point_in_ring(p.lon, p.lat, r) for r in rings):
            gap = min(_distance_to_ring(p.lon, p.lat, r) for r in rings)
            if gap > 0.2:
                bad.append((p.id, round(gap, 2)))
    assert not bad, bad


def test_afghan_and_pakistani_places_near_their_parents(places):
    """A typo in a coordinate shows up as a place far from the place that encloses it."""
    far = []
    for p in places:
        if p.country not in ("AF", "PK") or not p.parent or p.kind == "province":
            continue
        parent = places.get(p.parent)
        if parent.kind == "country":
            continue
        limit = {"province": 3.0 if p.country == "AF" else 6.0, "district": 1.0 if p.country == "AF" else 2.7}
        gap = math.hypot(p.lat - parent.lat, (p.lon - parent.lon) * math.cos(math.radians(p.lat)))
        if gap > limit.get(parent.kind, 1.0):
            far.append((p.id, parent.id, round(gap, 2)))
    assert not far, far


# ---------------------------------------------------------------------- lookup
@pytest.mark.parametrize(("name", "place_id"), [
    ("Nangarhar", "af-nangarhar"), ("Ningarhar", "af-nangarhar"), ("NANGRAHAR", "af-nangarhar"),
    ("Sarwan Qal'ah District of Helmand", "af-sarwan-qala"), ("Sarwan Qala", "af-sarwan-qala"),
    ("Sarwan Qal\u2018ah", "af-sarwan-qala"), ("Sarwan Kala", "af-sarwan-qala"),
    ("Orakzai Agency", "pk-kp-orakzai"), ("Orakzai tribal district", "pk-kp-orakzai"),
    ("Orakzai District", "pk-kp-orakzai"), ("Khyber Agency", "pk-kp-khyber"),
    ("North Waziristan Agency", "pk-kp-north-waziristan"),
    ("Qonduz", "af-kunduz-city"), ("Kondoz Province", "af-kunduz"), ("Kunduz province", "af-kunduz"),
    ("Mazar-e Sharif", "af-mazar-i-sharif"), ("Mazar-i-Sharif", "af-mazar-i-sharif"),
    ("mazar i sharif", "af-mazar-i-sharif"), ("Dera Ismail Khan", "pk-dera-ismail-khan"),
    ("D.I. Khan", "pk-dera-ismail-khan"), ("DI Khan", "pk-dera-ismail-khan"), ("Helmand", "af-helmand"),
    ("Hilmand", "af-helmand"), ("Paktīkā", "af-paktika"), ("Baluchistan", "pk-balochistan"),
    ("NWFP", "pk-kp"), ("North-West Frontier Province", "pk-kp"), ("KPK", "pk-kp"),
    ("Chaprahar", "af-nangarhar-chaparhar"), ("Achin District", "af-nangarhar-achin"),
    ("Haska Mina", "af-nangarhar-deh-bala"), ("Nad-e Ali", "af-helmand-nad-ali"),
    ("Sangeen District", "af-helmand-sangin"), ("Spin Ghar", "af-nangarhar-spin-ghar"),
    ("Musa Qal\u2019ah district", "af-helmand-musa-qala"), ("the Tirah Valley", "pk-tirah-valley"),
    ("Tirah", "pk-tirah-valley"), ("Swat Valley", "pk-swat-valley"), ("the Mamuzai area", "pk-mamuzai"),
    ("Kyrgyz Republic", "kg"), ("Kirghizia", "kg"), ("Türkiye", "tr"), ("Turkey", "tr"),
    ("Islamic Republic of Iran", "ir"), ("United States of America", "us"), ("U.S.", "us"),
    ("Af-Pak border", "af-pk-border"), ("Durand Line", "durand-line"), ("Fergana Valley", "fergana-valley"),
    ("Killa Abdullah", "pk-qila-abdullah-town"), ("Qila Abdullah District", "pk-balochistan-killa-abdullah"),
])
def test_lookup_variants(places, name, place_id):
    p = places.lookup(name)
    assert p is not None and p.id == place_id, (name, p and p.id)


@pytest.mark.parametrize("name", ["", "the", "District", "Narnia", "Atlantis Province"])
def test_lookup_misses(places, name):
    assert places.lookup(name) is None


@pytest.mark.parametrize(("name", "country", "place_id"), [
    ("Kabul", None, "af-kabul-city"), ("Kabul Province", None, "af-kabul"), ("Kabul city", None, "af-kabul-city"),
    ("Kunduz", None, "af-kunduz-city"), ("Herat", None, "af-herat-city"), ("Herat province", None, "af-herat"),
    ("Ghazni", None, "af-ghazni-city"), ("Kandahar", None, "af-kandahar-city"), ("Khost", None, "af-khost-city"),
    ("Khost Province", None, "af-khost"), ("Khyber", None, "pk-kp-khyber"), ("Khyber Pakhtunkhwa", None, "pk-kp"),
    ("Punjab", None, "pk-punjab"), ("Punjab", "IN", "in-punjab"), ("Punjab", "in", "in-punjab"),
    ("Quetta", None, "pk-quetta"), ("Quetta District", None, "pk-balochistan-quetta"),
    ("Jalalabad", None, "af-jalalabad"), ("Jalalabad", "KG", "kg-jalal-abad"), ("Hyderabad", "IN", "in-hyderabad"),
    ("Baharak", None, "af-badakhshan-baharak"), ("Baharak district of Takhar", None, "af-takhar-baharak"),
    ("Baharak, Takhar", None, "af-takhar-baharak"), ("Arghandab", None, "af-kandahar-arghandab"),
    ("Arghandab District of Zabul", None, "af-zabul-arghandab"), ("Spin Boldak", None, "af-spin-boldak"),
    ("Spin Boldak District", None, "af-kandahar-spin-boldak"), ("Georgia", None, "ge"),
    ("Washington", None, "us-washington"), ("the Swat Valley", None, "pk-swat-valley"), ("Swat", None, "pk-kp-swat"),
])
def test_lookup_ambiguity(places, name, country, place_id):
    p = places.lookup(name, country)
    assert p is not None and p.id == place_id, (name, country, p and p.id)


def test_candidates_lists_every_reading(places):
    ids = [p.id for p in places.candidates("Kabul")]
    assert ids[:2] == ["af-kabul-city", "af-kabul"]
    assert {p.id for p in places.candidates("Tagab")} == {"af-badakhshan-tagab", "af-kapisa-tagab"}


def test_admin_chain(places):
    achin = places.lookup("Achin")
    assert achin.admin1 == "Nangarhar" and achin.admin2 == "Achin" and achin.country == "AF"
    assert [p.id for p in places.within(achin)] == ["af-nangarhar-achin", "af-nangarhar", "af"]
    assert [p.name for p in places.within("af-nangarhar-achin")] == ["Achin", "Nangarhar", "Afghanistan"]
    mamuzai = places.lookup("Mamuzai")
    assert (mamuzai.admin1, mamuzai.admin2, mamuzai.country) == ("Khyber Pakhtunkhwa", "Orakzai", "PK")
    assert [p.kind for p in places.within(mamuzai)] == ["village", "district", "province", "country"]
    kabul = places.lookup("Kabul")
    assert (kabul.admin1, kabul.admin2) == ("Kabul", None)
    assert places.lookup("Afghanistan").admin1 is None
    assert places.within(places.lookup("Durand Line")) == [places.lookup("Durand Line")]


@pytest.mark.parametrize(("name", "precision"), [
    ("Afghanistan", 4), ("Nangarhar", 3), ("Achin", 2), ("Jalalabad", 1), ("Mamuzai", 1), ("Tora Bora", 1),
    ("Orakzai Agency", 2), ("Durand Line", 3), ("Wakhan Corridor", 3), ("Tirah Valley", 2), ("FATA", 3),
    ("Dasht-e-Barchi", 1),
])
def test_precision(places, name, precision):
    assert places.lookup(name).precision == precision


def test_precision_defaults_by_kind(places):
    for p in places:
        if p.kind not in ("area", "border"):
            assert p.precision == PRECISION[p.kind], p.id


def test_near_widens_a_town_only(places):
    town = places.lookup("Miranshah")
    near = places.near(town)
    assert near.precision == 2 and near.id == town.id and town.precision == 1
    assert places.near(places.lookup("Nangarhar")).precision == 3
    assert places.near(places.lookup("Achin")).precision == 2


def test_get_and_country(places):
    assert places.get("af-kabul-city").name == "Kabul"
    assert places.get("no-such-place") is None
    assert places.country("pk").name == "Pakistan"
    assert places.country("NO").name == "Norway"


def test_results_are_copies(places):
    p = places.get("af-nangarhar")
    p.name = "changed"
    p.variants.append("changed")
    assert places.get("af-nangarhar").name == "Nangarhar"
    assert "changed" not in places.lookup("Nangarhar").variants


def test_load_places_is_cached():
    assert load_places() is load_places()
    assert len(load_places(PLACES)) == len(load_places())


# ---------------------------------------------------------------------- fallback to countrystatecity
def test_fallback_state_and_country(places):
    pytest.importorskip("countrystatecity_countries")
    bavaria = places.lookup("Bavaria")
    assert bavaria is not None and bavaria.kind == "province" and bavaria.country == "DE" and bavaria.precision == 3
    assert places.within(bavaria)[-1].id == "de"
    assert places.lookup("Lombardy").country == "IT"
    # the package's country name maps to the table's country
    assert places.lookup("Fiji Islands").id == "fj"
    assert places.country("UM") is not None


def test_fallback_city_needs_the_country(places):
    pytest.importorskip("countrystatecity_countries")
    town = places.lookup("Gujrat", "PK")
    assert town is not None and town.kind == "town" and town.precision == 1 and town.admin1 == "Punjab"
    assert town.parent == "pk-punjab"
    assert places.lookup("Gujrat") is None


def test_table_wins_over_fallback(places):
    pytest.importorskip("countrystatecity_countries")
    assert places.lookup("Kunduz Province").id == "af-kunduz"
    assert places.lookup("Balochistan", "PK").id == "pk-balochistan"


# ---------------------------------------------------------------------- scan
def _found(places: Places, text: str) -> list[tuple[str, str]]:
    return [(text[s:e], p.id) for s, e, p in places.scan(text)]


def test_scan_orakzai_sentence(places):
    text = "an attack in the Mamuzai area of Pakistan\u2019s Orakzai Agency killed five"
    assert _found(places, text) == [("Mamuzai area", "pk-mamuzai"), ("Pakistan", "pk"),
                                    ("Orakzai Agency", "pk-kp-orakzai")]


def test_scan_two_places(places):
    text = "Taliban forces seized control of Jalalabad and Nangarhar on Sunday."
    assert _found(places, text) == [("Jalalabad", "af-jalalabad"), ("Nangarhar", "af-nangarhar")]


@pytest.mark.parametrize("text", [
    "Punjabi militants", "a convoy left chaman at dawn", "Kabulis fled", "the tank was hit", "SWAT teams arrived",
    "Tank commanders met", "Us and them", "Afghanistani", "kunar river", "said Sana Iqbal", "a GAO report",
])
def test_scan_no_hit(places, text):
    assert places.scan(text) == []


def test_scan_kind_words(places):
    text = "Fighting in Kunduz Province and Kabul city; Tirah Valley of Khyber Agency; Kot district; Bannu districts"
    assert _found(places, text) == [
        ("Kunduz Province", "af-kunduz"), ("Kabul city", "af-kabul-city"), ("Tirah Valley", "pk-tirah-valley"),
        ("Khyber Agency", "pk-kp-khyber"), ("Kot district", "af-nangarhar-kot"), ("Bannu", "pk-kp-bannu"),
    ]


def test_scan_longest_match_and_spellings(places):
    text = "From Dera Ismail Khan to D.I. Khan, then Mazar-i-Sharif and Sarwan Qal\u2018ah in Sangin district."
    assert _found(places, text) == [
        ("Dera Ismail Khan", "pk-dera-ismail-khan"), ("D.I. Khan", "pk-dera-ismail-khan"),
        ("Mazar-i-Sharif", "af-mazar-i-sharif"), ("Sarwan Qal\u2018ah", "af-sarwan-qala"),
        ("Sangin district", "af-helmand-sangin"),
    ]


def test_scan_strict_names_need_context(places):
    assert _found(places, "Clashes in Tank left two dead.") == [("Tank", "pk-tank-town")]
    assert _found(places, "in Kot Lakhpat jail") == []
    assert _found(places, "He spoke Farsi.") == []
    assert _found(places, "the Farsi district of Herat") == [("Farsi district", "af-herat-farsi"),
                                                            ("Herat", "af-herat-city")]


def test_scan_acronyms_keep_their_case(places):
    assert _found(places, "The US and KP") == [("US", "us"), ("KP", "pk-kp")]
    assert _found(places, "the U.S. embassy") == [("U.S.", "us")]
    assert _found(places, "Kp police") == []


def test_scan_datelines_and_phrases(places):
    assert _found(places, "KABUL, Afghanistan (AP) - ") == [("KABUL", "af-kabul-city"), ("Afghanistan", "af")]
    assert _found(places, "strikes in Pakistan's tribal areas") == [("Pakistan's tribal areas", "pk-fata")]
    assert _found(places, "Islamic State Khorasan Province") == []


def test_scan_offsets_point_into_the_text(places):
    text = "Attacks hit Khost, Paktika and the Af-Pak border."
    for s, e, p in places.scan(text):
        assert place_key(text[s:e]).startswith(place_key(p.name)[:3]) or p.variants


def test_scan_is_fast(places):
    sentence = ("Officials in Kabul said fighters from Nangarhar and the Tirah Valley crossed the Durand Line "
                "near Torkham, while police in Peshawar, Quetta and Karachi reported no new attacks this week. ")
    text = sentence * (5000 // len(sentence.split()) + 1)
    assert len(text.split()) >= 5000
    places.scan(text)  # warm up
    best = min(_timed(places, text) for _ in range(3))
    assert best < 0.15, f"scan of 5,000 words took {best * 1000:.0f} ms"


def _timed(places: Places, text: str) -> float:
    t = time.perf_counter()
    places.scan(text)
    return time.perf_counter() - t


# ---------------------------------------------------------------------- outlines
def _builder():
    """tools/build_outlines.py, which is no package: loaded from its file."""
    path = Path(__file__).parents[1] / "tools/build_outlines.py"
    spec = importlib.util.spec_from_file_location("build_outlines", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builder_decodes_and_simplifies():
    build = _builder()
    topology = {"transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
                "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]]}
    arcs = build.decode_arcs(topology)
    assert arcs[0] == [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)]
    ring = build.ring_points([0, 1], arcs)
    assert ring[0] == ring[-1] and len(ring) == 5
    assert build.ring_points([~1], arcs) == arcs[1][::-1]
    wiggly = [(x / 10, 0.001 * (x % 2)) for x in range(101)]
    assert build.douglas_peucker(wiggly, 0.05) == [(0.0, 0.0), (10.0, 0.0)]
    square = [(0, 0), (1, 0.01), (2, 0), (2, 2), (0, 2), (0, 0)]
    simple = build.rounded(build.simplify_ring(square, 0.05))
    assert simple[0] == simple[-1] and [1, 0.01] not in simple and len(simple) == 5
    assert build.area(simple) == pytest.approx(4.0)


@pytest.fixture(scope="module")
def outline_file() -> dict:
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


def test_outlines_format(outline_file):
    assert set(outline_file) == {"source", "countries"}
    assert "Natural Earth" in outline_file["source"] and "world-atlas" in outline_file["source"]
    for code, entry in outline_file["countries"].items():
        assert ISO2.match(code), code
        assert set(entry) == {"name", "rings"} and entry["name"], code
        assert entry["rings"], code
        for ring in entry["rings"]:
            assert len(ring) >= 4 and ring[0] == ring[-1], code
            for lon, lat in ring:
                assert -180 <= lon <= 180 and -90 <= lat <= 90, code
                assert round(lon, 2) == lon and round(lat, 2) == lat, code


def test_outlines_cover_the_region(outline_file):
    missing = [c for c in OUTLINE_MUST if c not in outline_file["countries"]]
    assert not missing, missing
    assert len(outline_file["countries"]) >= 200
    assert outline_file["countries"]["AF"]["name"] == "Afghanistan"


def test_outlines_size():
    assert OUTLINES.stat().st_size < 420_000


def test_load_outlines(outline_file):
    outlines = load_outlines()
    assert outlines is load_outlines()
    assert outlines.keys() == outline_file["countries"].keys()
    kabul = load_places().lookup("Kabul")
    assert any(_point_in_ring(kabul.lon, kabul.lat, r) for r in outlines["AF"]["rings"])
    assert not any(_point_in_ring(kabul.lon, kabul.lat, r) for r in outlines["PK"]["rings"])
