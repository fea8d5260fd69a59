"""Checks on the curated list of persons (src/khabar/data/people.yaml) and its resolver."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from khabar.resolve.people import (
    People,
    Person,
    ambiguous_surnames,
    article_free_key,
    load_people,
    name_key,
)

DATA = Path(__file__).parents[1] / "src/khabar/data"
PEOPLE = DATA / "people.yaml"
GAZETTEER = DATA / "actors.yaml"

FIELDS = {"name", "aliases", "surname", "surname_variants", "surname_ambiguous", "affiliations"}
REQUIRED = {"name", "aliases", "surname", "affiliations"}
AFF_FIELDS = {"actor", "role", "from", "to"}
DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]))?$")
WORDS = re.compile(r"[\s\-\u2010-\u2015]+")

# People the brief names; each must be in the list (looked up by any form).
MUST_HAVE = [
    "Joe Biden",
    "Lloyd Austin",
    "Mark Milley",
    "Zalmay Khalilzad",
    "Thomas West",
    "Nathan Sales",
    "Imran Khan",
    "Asim Munir",
    "Ashraf Ghani",
    "Hamid Karzai",
    "Abdullah Abdullah",
    "Amrullah Saleh",
    "Ahmad Massoud",
    "Hibatullah Akhundzada",
    "Abdul Ghani Baradar",
    "Sirajuddin Haqqani",
    "Zabihullah Mujahid",
    "Amir Khan Muttaqi",
    "Mohammad Yaqoob",
    "Suhail Shaheen",
    "Sher Mohammad Abbas Stanikzai",
    "Osama bin Laden",
    "Ayman al-Zawahiri",
    "Saif al-Adel",
    "Hamza bin Laden",
    "Iyad Ag Ghaly",
    "Abu Mohammad al-Jolani",
    "Abu Bakr al-Baghdadi",
    "Hafiz Saeed Khan",
    "Aslam Farooqi",
    "Shahab al-Muhajir",
    "Sanaullah Ghafari",
    "Baitullah Mehsud",
    "Hakimullah Mehsud",
    "Mullah Fazlullah",
    "Noor Wali Mehsud",
    "Masood Azhar",
    "Hafiz Saeed",
    "Tahir Yuldashev",
    "Edmund Fitton-Brown",
    "António Guterres",
    "Roza Otunbayeva",
]


def normalise_actor(text: str) -> str:
    """The gazetteer test's key (tests/test_gazetteer_data.py)."""
    return re.sub(r"[\s\-\u2010-\u2015'\u2018\u2019\u02bc\u02bf\u02be`\u00b4.]+", "", text.casefold())


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    with PEOPLE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def actors() -> list[dict]:
    with GAZETTEER.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)["actors"]


@pytest.fixture(scope="module")
def people() -> People:
    return load_people()


# ----------------------------------------------------------------------- the data


def test_is_a_list_of_enough_persons(raw):
    assert isinstance(raw, list)
    assert len(raw) >= 250


def test_fields(raw):
    for p in raw:
        assert isinstance(p, dict)
        assert REQUIRED <= set(p), p.get("name")
        assert set(p) <= FIELDS, (p["name"], set(p) - FIELDS)
        assert isinstance(p["name"], str) and p["name"].strip() == p["name"] and p["name"]
        assert isinstance(p["surname"], str) and p["surname"].strip(), p["name"]
        assert isinstance(p["aliases"], list), p["name"]
        for a in p["aliases"] + list(p.get("surname_variants") or []):
            assert isinstance(a, str) and a.strip() == a and a, (p["name"], a)
        assert isinstance(p.get("surname_ambiguous", False), bool), p["name"]
        assert p["affiliations"], f"{p['name']} has no affiliation"


def test_affiliation_fields(raw):
    for p in raw:
        for a in p["affiliations"]:
            assert {"actor", "role"} <= set(a) <= AFF_FIELDS, (p["name"], a)
            assert isinstance(a["role"], str) and a["role"].strip(), (p["name"], a)


def test_affiliation_actors_exist(raw, actors):
    ids = {a["id"] for a in actors}
    missing = sorted(
        {(p["name"], a["actor"]) for p in raw for a in p["affiliations"] if a["actor"] not in ids}
    )
    assert not missing, missing


def test_dates_well_formed_and_ordered(raw):
    for p in raw:
        froms = []
        for a in p["affiliations"]:
            for k in ("from", "to"):
                if k in a:
                    assert isinstance(a[k], str) and DATE.match(a[k]), (p["name"], k, a[k])
            if "from" in a and "to" in a:
                n = min(len(a["from"]), len(a["to"]))
                assert a["from"][:n] <= a["to"][:n], (p["name"], a)
            if "from" in a:
                froms.append(a["from"])
        # most recent last
        assert froms == sorted(froms), (p["name"], froms)


def test_no_name_or_alias_shared_between_persons(raw):
    owners: dict[str, set[str]] = defaultdict(set)
    for p in raw:
        for f in [p["name"], *p["aliases"]]:
            owners[name_key(f)].add(p["name"])
    clashes = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not clashes, clashes


def test_no_exact_duplicate_within_person(raw):
    for p in raw:
        assert len(p["aliases"]) == len(set(p["aliases"])), p["name"]
        assert p["name"] not in p["aliases"], p["name"]


def test_names_and_aliases_are_full_names(raw):
    """Aliases are full names, never a bare surname: at least two words each."""
    for p in raw:
        surnames = {article_free_key(s) for s in [p["surname"], *(p.get("surname_variants") or [])]}
        for f in [p["name"], *p["aliases"]]:
            assert len([w for w in WORDS.split(f) if w]) >= 2, (p["name"], f)
            if p["surname"] != p["name"]:
                assert article_free_key(f) not in surnames, (p["name"], f)


def test_surname_occurs_in_a_full_name(raw):
    for p in raw:
        key = article_free_key(p["surname"])
        forms = [article_free_key(f) for f in [p["name"], *p["aliases"]]]
        assert any(key in f for f in forms), (p["name"], p["surname"])


def test_no_person_form_is_an_actor_name(raw, actors):
    surfaces = {
        normalise_actor(s)
        for a in actors
        for s in [
            a["name"],
            *(a.get("aliases") or []),
            *(a.get("demonyms") or []),
            *(a.get("metonyms") or []),
        ]
    }
    clashes = [
        (p["name"], f) for p in raw for f in [p["name"], *p["aliases"]] if normalise_actor(f) in surfaces
    ]
    assert not clashes, clashes


def test_surname_ambiguous_flag_matches_data(raw):
    persons = [
        Person(name=p["name"], surname=p["surname"], surname_variants=list(p.get("surname_variants") or []))
        for p in raw
    ]
    computed = ambiguous_surnames(persons)
    stored = {p["name"] for p in raw if p.get("surname_ambiguous")}
    assert stored == computed, {
        "flag missing": sorted(computed - stored),
        "flag wrong": sorted(stored - computed),
    }


@pytest.mark.parametrize("surname", ["Khan", "Haqqani", "Mehsud", "Saeed", "Clinton", "Bush", "Sharif"])
def test_named_surnames_are_flagged(raw, surname):
    holders = [
        p
        for p in raw
        if article_free_key(surname)
        in {article_free_key(s) for s in [p["surname"], *(p.get("surname_variants") or [])]}
    ]
    assert len(holders) >= 2, surname
    assert all(p.get("surname_ambiguous") for p in holders), surname


@pytest.mark.parametrize("name", MUST_HAVE)
def test_must_have_person(people, name):
    assert people.lookup(name) is not None, name


# ------------------------------------------------------------------------ lookup


def test_loader_is_cached(people):
    assert load_people() is people
    assert len(people) >= 250


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("Mr. Austin", "Lloyd Austin"),
        ("Secretary Austin", "Lloyd Austin"),
        ("Defense Secretary Lloyd J. Austin III", "Lloyd Austin"),
        ("General Milley", "Mark Milley"),
        ("Gen. Mark A. Milley", "Mark Milley"),
        ("Iyad Ghaly", "Iyad Ag Ghaly"),
        ("Iyad Ag Ghaly", "Iyad Ag Ghaly"),
        ("Iyad ag Ghali", "Iyad Ag Ghaly"),
        ("iyad ag-ghaly", "Iyad Ag Ghaly"),
        ("President Biden", "Joe Biden"),
        ("Imran Khan", "Imran Khan"),
        ("Zawahiri", "Ayman al-Zawahiri"),
        ("al-Zawahri", "Ayman al-Zawahiri"),
        ("Ayman al-Zawahri", "Ayman al-Zawahiri"),
        ("Sheikh Ayman al-Zawahiri", "Ayman al-Zawahiri"),
        ("Mullah Omar", "Mullah Mohammad Omar"),
        ("Mullah Baradar", "Abdul Ghani Baradar"),
        ("Abdul Ghani Biradar", "Abdul Ghani Baradar"),
        ("Haibatullah Akhundzada", "Hibatullah Akhundzada"),
        ("Akhundzadah", "Hibatullah Akhundzada"),
        ("Mawlawi Hibatullah Akhundzada", "Hibatullah Akhundzada"),
        ("Zabiullah Mujahid", "Zabihullah Mujahid"),
        ("Abu Mohammed al-Julani", "Ahmed al-Sharaa"),
        ("Ahmed al-Sharaa", "Ahmed al-Sharaa"),
        ("Sanaullah Ghafari", "Shahab al-Muhajir"),
        ("Nathan Sales", "Nathan Sales"),
        ("Recep Tayyip Erdogan", "Recep Tayyip Erdoğan"),
        ("Erdogan's", "Recep Tayyip Erdoğan"),
        ("Mevlut Cavusoglu", "Mevlüt Çavuşoğlu"),
        ("Qamar Bajwa", "Qamar Javed Bajwa"),
        ("Sheikh Hasina", "Sheikh Hasina"),
        ("Hafiz Saeed", "Hafiz Saeed"),
        ("Hafiz Saeed Khan", "Hafiz Saeed Khan"),
        ("Amir Khan Muttaqi", "Amir Khan Muttaqi"),
        ("Foreign Minister Amir Khan Muttaqi", "Amir Khan Muttaqi"),
        ("Mohammed Hassan Akhund", "Mohammad Hassan Akhund"),
    ],
)
def test_lookup(people, mention, expected):
    found = people.lookup(mention)
    assert found is not None and found.name == expected, (mention, found)


@pytest.mark.parametrize(
    "mention",
    [
        "Khan",
        "Haqqani",
        "Mehsud",
        "Saeed",
        "Clinton",
        "Bush",
        "Sharif",
        "Mr. Khan",
        "Mullah Haqqani",
        "bin Laden",
        "George Bush",
        "Ali Khan",
        "",
        "the Secretary",
        "Taliban",
    ],
)
def test_ambiguous_or_unknown_does_not_match(people, mention):
    assert people.lookup(mention) is None, mention


def test_no_flagged_surname_matches_alone(people):
    forms = {name_key(f) for p in people for f in p.forms()}
    for p in people:
        if p.surname_ambiguous:
            for s in p.surnames():
                if name_key(s) in forms:  # the surname is also someone's full name ("Abdullah II" is not)
                    continue
                found = people.lookup(s)
                # a variant may be unique to this person ("Biradar"); the shared forms must not match
                if found is not None:
                    assert found is p, (s, found)
                    shared = [
                        q
                        for q in people
                        if q is not p and article_free_key(s) in {article_free_key(x) for x in q.surnames()}
                    ]
                    assert not shared, (s, shared)


@pytest.mark.parametrize(
    ("mention", "on", "expected"),
    [
        ("President Bush", "2005-06-01", "George W. Bush"),
        ("President Bush", "1990-06-01", "George H. W. Bush"),
        ("Secretary Clinton", None, "Hillary Clinton"),
        ("President Clinton", None, "Bill Clinton"),
        ("Prime Minister Sharif", "2015-05-01", "Nawaz Sharif"),
        ("Prime Minister Sharif", "2023-01-01", "Shehbaz Sharif"),
        ("General Sharif", "2015-05-01", "Raheel Sharif"),
        ("Prime Minister Khan", "2020-01-01", "Imran Khan"),
        ("National Security Adviser Rice", "2014-01-01", "Susan Rice"),
        ("Secretary Rice", "2006-01-01", "Condoleezza Rice"),
    ],
)
def test_title_and_date_single_out_a_shared_surname(people, mention, on, expected):
    found = people.lookup(mention, on)
    assert found is not None and found.name == expected, (mention, on, found)


def test_title_without_date_stays_ambiguous(people):
    assert people.lookup("President Bush") is None
    assert people.lookup("King Abdullah", "2010-01-01") is None  # Saudi Arabia and Jordan


def test_names_are_full_forms(people):
    names = people.names()
    surfaces = {s for s, _ in names}
    assert "Lloyd J. Austin" in surfaces and "Iyad Ghaly" in surfaces
    assert "Khan" not in surfaces and "Austin" not in surfaces
    assert all(isinstance(p, Person) for _, p in names)
    count = sum(len(p.forms()) for p in people)
    assert len(names) == count


# ------------------------------------------------------------------ affiliations


@pytest.mark.parametrize(
    ("name", "on", "expected"),
    [
        ("Joe Biden", "2010-06-01", ("united-states", "Vice President")),
        ("Joe Biden", "2022-03-01", ("united-states", "President")),
        ("Joe Biden", "2022", ("united-states", "President")),
        ("Imran Khan", "2021-03-01", ("pakistan", "Prime Minister")),
        ("Lloyd Austin", "2014-05-01", ("centcom", "Commander of US Central Command")),
        ("Lloyd Austin", "2025-01-15", ("united-states", "Secretary of Defense")),
        ("Sirajuddin Haqqani", "2010-01-01", ("haqqani-network", "Leader")),
        ("Sirajuddin Haqqani", "2016-01-01", ("taliban", "Deputy leader")),
        ("Sirajuddin Haqqani", "2023-01-01", ("taliban", "Minister of Interior")),
        ("Ahmed al-Sharaa", "2020-01-01", ("hts", "Leader")),
        ("Ahmed al-Sharaa", "2025-06-01", ("syria", "President")),
        ("Iyad Ag Ghaly", "2019-01-01", ("jnim", "Emir")),
        ("Nathan Sales", "2019-01-01", ("state-department", "Coordinator for Counterterrorism")),
    ],
)
def test_affiliation_on_date(people, name, on, expected):
    assert people.affiliation(people.lookup(name), on) == expected


def test_affiliation_without_date_is_most_recent(people):
    assert people.affiliation(people.lookup("Joe Biden")) == ("united-states", "President")
    assert people.affiliation(people.lookup("Ahmed al-Sharaa")) == ("syria", "President")


def test_affiliation_outside_any_term(people):
    biden = people.lookup("Joe Biden")
    assert people.affiliation(biden, "2018-06-01") is None
    sales = people.lookup("Nathan Sales")
    assert people.affiliation(sales, "2023-05-01") is None
    assert people.affiliation(sales, "2023-05-01", former=True) == (
        "state-department",
        "Coordinator for Counterterrorism",
    )


def test_affiliation_accepts_a_mention(people):
    assert people.affiliation("Iyad Ghaly", "2020-01-01") == ("jnim", "Emir")
    assert people.affiliation("Khan", "2020-01-01") is None


def test_loader_recomputes_the_flag(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text(
        "- {name: Ann One, aliases: [], surname: Smith, affiliations: [{actor: nato, role: X}]}\n"
        "- {name: Bob Two, aliases: [], surname: Smith, affiliations: [{actor: nato, role: Y}]}\n",
        encoding="utf-8",
    )
    people = load_people(path)
    assert all(p.surname_ambiguous for p in people)
    assert people.lookup("Smith") is None
    assert people.lookup("Mr. Smith") is None
    assert people.lookup("Ann One").name == "Ann One"
