"""The source book (src/khabar/data/sources.yaml) and its resolver."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from khabar.resolve.sources import (
    GRADES,
    SourceInfo,
    SourcesFileError,
    load_sources,
    source_key,
)

DATA = Path(__file__).parents[1] / "src/khabar/data/sources.yaml"
RAW = yaml.safe_load(DATA.read_text("utf-8"))
ENTRIES = RAW["sources"]
COUNTRY = re.compile(r"^[A-Z]{2}$")

# Sources the brief names; each must be found by the name given here.
MUST_HAVE = [
    "Reuters", "AP", "AFP", "dpa", "Xinhua", "TASS", "Anadolu", "NYT", "Washington Post", "WSJ",
    "Guardian", "BBC", "Al Jazeera", "CNN", "ABC News", "NPR", "Dawn", "The Express Tribune",
    "The News International", "Geo", "Tolo News", "Pajhwok", "Khaama Press", "Hasht-e Subh", "RFE/RL",
    "Radio Azadi", "Radio Mashaal", "VOA", "Eurasianet", "The Diplomat", "Long War Journal", "FDD",
    "Al-Monitor", "Arab News", "The National", "Hindustan Times", "Times of India", "NDTV",
    "South China Morning Post", "Global Times", "RT", "Sputnik", "Press TV", "IRNA", "Tasnim", "Fars",
    "Soufan Center", "Flashpoint", "CTC West Point", "CTC Sentinel", "ICCT", "ISD", "Crisis Group",
    "RAND", "Brookings", "CSIS", "Atlantic Council", "RUSI", "ISW", "Critical Threats",
    "Jamestown Foundation", "Terrorism Monitor", "SITE Intelligence Group", "Middle East Institute",
    "Hudson Institute", "New America", "ACLED", "Small Arms Survey", "UN Monitoring Team", "UNAMA",
    "State Department", "DoD", "ISPR", "Zabihullah Mujahid", "Amaq", "As-Sahab", "Al-Naba",
    "Voice of Khurasan", "Umar Media", "Al-Emarah", "Telegram",
]


@pytest.fixture(scope="module")
def book():
    return load_sources()


# ------------------------------------------------------------------ the data


def test_data_is_well_formed():
    kinds = set(RAW["kinds"])
    assert len(ENTRIES) >= 120
    for e in ENTRIES:
        assert set(e) <= {"name", "kind", "reliability", "country", "aliases", "owner", "depends_on",
                          "domains", "note"}, e["name"]
        assert e["reliability"] in GRADES, e["name"]
        assert e["kind"] in kinds, e["name"]
        assert e.get("country") is None or COUNTRY.match(e["country"]), e["name"]
        assert all(isinstance(a, str) and a for a in e.get("aliases", [])), e["name"]


def test_names_and_aliases_are_unique_after_normalisation():
    seen: dict[str, str] = {}
    for e in ENTRIES:
        for n in {source_key(x) for x in [e["name"], *e.get("aliases", [])]}:
            assert n, e["name"]
            assert n not in seen, f"{e['name']} and {seen.get(n)} share {n!r}"
            seen[n] = e["name"]


def test_domains_are_unique():
    seen: dict[str, str] = {}
    for e in ENTRIES:
        for d in e.get("domains", []):
            assert d not in seen, f"{e['name']} and {seen[d]} share {d}"
            seen[d] = e["name"]


def test_grading_policy_holds(book):
    # No open source is "completely reliable"; an armed group's own media are E.
    assert not [e["name"] for e in ENTRIES if e["reliability"] == "A"]
    assert {e["reliability"] for e in ENTRIES if e["kind"] == "jihadist_media"} == {"E"}
    assert book.grade("Telegram") == "F"


@pytest.mark.parametrize("name", MUST_HAVE)
def test_named_sources_are_listed(book, name):
    assert book.get(name) is not None, name


def test_dependencies_name_listed_sources():
    keys = {source_key(x) for e in ENTRIES for x in [e["name"], *e.get("aliases", [])]}
    for e in ENTRIES:
        for d in e.get("depends_on", []):
            assert source_key(d) in keys, (e["name"], d)


# ------------------------------------------------------------------ lookups


@pytest.mark.parametrize("name", ["The New York Times", "New York Times", "NYT", "new york times",
                                  "N.Y. Times", "the new-york times", "https://www.nytimes.com/2021/08/x"])
def test_lookup_variants(book, name):
    assert book.get(name).name == "The New York Times"
    assert book.grade(name) == "B"


def test_lookup_by_domain_prefers_the_longest(book):
    assert book.get("gandhara.rferl.org").name == "Gandhara"
    assert book.get("https://www.rferl.org/a/1.html").name == "Radio Free Europe/Radio Liberty"
    assert book.get("edition.cnn.com").name == "CNN"


def test_unknown_is_f(book):
    assert book.get("Hindu Kush Monitor") is None
    assert book.grade("Hindu Kush Monitor") == "F"
    assert book.grade(None) == "F"
    assert book.grade("") == "F"


def test_to_source(book):
    s = book.get("AFP").to_source()
    assert (s.name, s.kind, s.reliability) == ("Agence France-Presse", "news_agency", "B")


# ------------------------------------------------------------------ independence


def test_independence(book):
    assert not book.independent("AP", "ABC News")  # ABC News republishes AP
    assert not book.independent("ABC News", "Associated Press")
    assert book.independent("Reuters", "AP")
    assert not book.independent("NYT", "The New York Times")  # one outlet
    assert not book.independent("Geo News", "The News International")  # Jang Group
    assert not book.independent("Radio Azadi", "VOA")  # RFE/RL -> USAGM, VOA -> USAGM
    assert not book.independent("RT", "TASS")  # Russian state
    assert not book.independent("Critical Threats", "ISW")
    assert book.independent("Dawn", "Tolo News")
    assert book.independent("Unknown Gazette", "Other Unknown Gazette")
    assert not book.independent("Unknown Gazette", "unknown gazette")


def test_families_count_an_aggregator_once(book):
    fams = book.families(["Reuters", "AP", "US News", "ABC News", "Dawn", "Geo", "The News International",
                          "Hindu Kush Monitor"])
    assert len(fams) == 5
    assert {"AP", "ABC News"} <= next(f for f in fams if "AP" in f)
    assert {"Geo", "The News International"} in fams
    assert {"Reuters"} in fams or {"Reuters", "US News"} in fams
    assert sum(len(f) for f in fams) == 8


# ------------------------------------------------------------------ overrides


def test_overrides_win_and_add(tmp_path):
    path = tmp_path / "sources.local.yaml"
    path.write_text(
        "# my grades\n"
        "sources:\n"
        "  - name: NYT\n"
        "    reliability: c\n"
        "  - name: Hindu Kush Monitor\n"
        "    kind: newspaper\n"
        "    reliability: B\n"
        "    aliases: [HKM]\n"
        "    owner: Jang Group\n",
        "utf-8",
    )
    book = load_sources(overrides=path)
    assert book.grade("The New York Times") == "C"
    assert book.get("NYT").name == "The New York Times"  # the canonical name stays
    assert book.get("New York Times").kind == "newspaper"  # fields not given stay
    assert book.grade("HKM") == "B"
    assert not book.independent("Hindu Kush Monitor", "Geo News")


def test_missing_override_file_is_fine(tmp_path):
    book = load_sources(overrides=tmp_path / "absent.yaml")
    assert book.grade("Reuters") == "B"


def test_override_round_trip_keeps_other_entries(tmp_path):
    path = tmp_path / "sources.local.yaml"
    path.write_text(
        "# Analyst notes: keep me.\n"
        "sources:\n"
        "  - name: Dawn\n"
        "    reliability: C\n"
        "    note: censored on the military\n"
        "  - name: Frontier Desk\n"
        "    kind: newspaper\n"
        "    reliability: D\n",
        "utf-8",
    )
    book = load_sources(overrides=path)
    book.set_grade("Reuters", "A")
    book.set_grade("Frontier Desk", "c")
    book.set_grade("Meridian Wire", "B")  # unknown: added
    assert book.save_overrides() == path
    assert path.read_text("utf-8").startswith("# Analyst notes: keep me.\n")
    assert not [p for p in tmp_path.iterdir() if p.name != path.name]  # no temporary file left

    again = load_sources(overrides=path)
    assert again.grade("Reuters") == "A"
    assert again.grade("Dawn") == "C"
    assert again.get("Dawn").note == "censored on the military"
    assert again.grade("Frontier Desk") == "C"
    assert again.get("Frontier Desk").kind == "newspaper"
    assert again.grade("Meridian Wire") == "B"
    raw = yaml.safe_load(path.read_text("utf-8"))["sources"]
    assert [e["name"] for e in raw] == ["Dawn", "Frontier Desk", "Meridian Wire", "Reuters"]
    assert raw[3] == {"name": "Reuters", "reliability": "A"}  # only what the analyst changed


def test_save_keeps_entries_written_by_hand_since_loading(tmp_path):
    path = tmp_path / "over.yaml"
    book = load_sources(overrides=path)
    path.write_text("sources:\n  - name: Tolo News\n    reliability: B\n", "utf-8")
    book.set_grade("AFP", "C")
    book.save_overrides()
    again = load_sources(overrides=path)
    assert (again.grade("Tolo News"), again.grade("AFP")) == ("B", "C")


def test_save_needs_a_path():
    with pytest.raises(ValueError, match="override file"):
        load_sources().save_overrides()


def test_set_grade_rejects_bad_grades():
    with pytest.raises(ValueError, match="A-F|A, B"):
        load_sources().set_grade("Reuters", "G")


# ------------------------------------------------------------------ malformed files


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("sources:\n  - name: Dawn\n    reliability: [C\n", 4, "not valid YAML"),
        ("sources:\n  - name: Dawn\n    reliability: G\n", 2, "reliability 'G'"),
        ("sources:\n  - name: Dawn\n  - reliability: B\n", 3, "needs a name"),
        ("sources:\n  - name: Dawn\n  - name: Newcomer\n    kind: magazine\n", 3, "kind 'magazine'"),
        ("sources:\n  - name: Dawn\n    reliabilty: C\n", 2, "unknown field 'reliabilty'"),
        ("sources:\n  - name: New Outlet\n    aliases: [NYT]\n", 2, "already belongs to The New York Times"),
        ("sources: {name: Dawn}\n", 1, "expected 'sources:'"),
    ],
)
def test_malformed_override_names_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(SourcesFileError) as err:
        load_sources(overrides=path)
    message = str(err.value)
    assert str(path) in message
    assert f"line {line}" in message
    assert words in message
    assert err.value.code == "E103"


def test_malformed_override_is_not_overwritten(tmp_path):
    path = tmp_path / "over.yaml"
    book = load_sources(overrides=path)
    path.write_text("sources:\n  - name: [\n", "utf-8")
    book.set_grade("AFP", "C")
    with pytest.raises(SourcesFileError):
        book.save_overrides()
    assert path.read_text("utf-8") == "sources:\n  - name: [\n"


def test_bundled_entries_need_kind_and_grade(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text("kinds: [newspaper]\nsources:\n  - name: Dawn\n    kind: newspaper\n", "utf-8")
    with pytest.raises(SourcesFileError, match="line 3.*no reliability"):
        load_sources(path)


def test_source_info_defaults():
    info = SourceInfo("Somewhere Weekly")
    assert (info.kind, info.reliability, info.to_dict()) == ("other", "F", {
        "name": "Somewhere Weekly", "kind": "other", "reliability": "F"})
