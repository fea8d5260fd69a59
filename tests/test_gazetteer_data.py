"""Checks on the curated actor gazetteer (src/khabar/data/actors.yaml)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

GAZETTEER = Path(__file__).parents[1] / "src/khabar/data/actors.yaml"

KINDS = {"armed_group", "state", "state_agency", "igo", "political_movement", "media_outlet", "other"}
FIELDS = {"id", "name", "kind", "aliases", "parent", "country", "wikidata", "demonyms", "metonyms", "renamed", "theatre",
          "governs_from"}
REQUIRED_FIELDS = {"id", "name", "kind", "aliases", "parent", "country", "wikidata"}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QID = re.compile(r"^Q\d+$")
ISO2 = re.compile(r"^[A-Z]{2}$")
UNTIL = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]))?$")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
# hyphens and dashes, spaces, apostrophes and similar marks, dots
_DROP = re.compile(r"[\s\-\u2010-\u2015'\u2018\u2019\u02bc\u02bf\u02be`\u00b4.]+")

MUST_HAVE = [
    "al-qaeda", "aqap", "aqim", "aqis", "al-shabaab", "jnim", "hurras-al-din", "nusra-front", "hts",
    "isis", "isis-k", "iswap", "isgs", "boko-haram", "taliban", "haqqani-network", "ttp",
    "jamaat-ul-ahrar", "lashkar-e-taiba", "jaish-e-mohammed", "imu", "iju", "tip", "jamaat-ansarullah",
    "jund-al-khilafah", "as-sahab", "gimf", "amaq", "united-states", "pakistan", "afghanistan", "china",
    "russia", "iran", "india", "afghan-government", "isi", "nds", "cia", "mi6", "state-department",
    "united-nations", "unsc", "un-monitoring-team", "nato", "sco",
]


def normalise(text: str) -> str:
    return _DROP.sub("", text.casefold())


def surfaces(actor: dict) -> list[str]:
    """Every string the matcher may use for this actor."""
    return (
        [actor["name"]]
        + list(actor.get("aliases") or [])
        + list(actor.get("demonyms") or [])
        + list(actor.get("metonyms") or [])
    )


@pytest.fixture(scope="module")
def data() -> dict:
    with GAZETTEER.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def actors(data) -> list[dict]:
    return data["actors"]


@pytest.fixture(scope="module")
def by_id(actors) -> dict[str, dict]:
    return {a["id"]: a for a in actors}


def test_version_present(data):
    assert isinstance(data.get("version"), str) and data["version"].strip()


def test_enough_actors(actors):
    assert len(actors) >= 200


def test_enough_states_and_agencies(actors):
    kinds = [a["kind"] for a in actors]
    assert kinds.count("state") >= 45
    assert kinds.count("state_agency") >= 30


def test_fields(actors):
    for a in actors:
        assert REQUIRED_FIELDS <= set(a), a.get("id")
        assert set(a) <= FIELDS, (a["id"], set(a) - FIELDS)
        assert isinstance(a["name"], str) and a["name"].strip(), a["id"]
        assert isinstance(a["aliases"], list), a["id"]
        for s in surfaces(a):
            assert isinstance(s, str) and s.strip() == s and s, (a["id"], s)


def test_ids_unique_slugs(actors):
    ids = [a["id"] for a in actors]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    for i in ids:
        assert isinstance(i, str) and SLUG.match(i), i


def test_kinds_allowed(actors):
    for a in actors:
        assert a["kind"] in KINDS, (a["id"], a["kind"])


def test_kinds_match_vocab():
    vocab = yaml.safe_load((GAZETTEER.parent / "vocab.yaml").read_text(encoding="utf-8"))
    assert set(vocab["actor_kinds"]) == KINDS


def test_parents_exist_and_are_acyclic(by_id):
    for a in by_id.values():
        parent = a["parent"]
        assert parent is None or parent in by_id, (a["id"], parent)
        assert parent != a["id"], a["id"]
    for start in by_id:
        seen, cur = set(), start
        while cur is not None:
            assert cur not in seen, f"parent cycle through {start}"
            seen.add(cur)
            cur = by_id[cur]["parent"]


def test_no_alias_shared_between_actors(actors):
    owners: dict[str, set[str]] = defaultdict(set)
    for a in actors:
        for s in surfaces(a):
            owners[normalise(s)].add(a["id"])
    clashes = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not clashes, clashes


def test_no_exact_duplicate_alias_within_actor(actors):
    for a in actors:
        al = a["aliases"]
        assert len(al) == len(set(al)), a["id"]
        assert a["name"] not in al, a["id"]


def test_no_empty_normalised_alias(actors):
    for a in actors:
        for s in surfaces(a):
            assert normalise(s), (a["id"], s)


@pytest.mark.parametrize("actor_id", MUST_HAVE)
def test_must_have_actor(by_id, actor_id):
    assert actor_id in by_id


def test_wikidata_ids(actors):
    for a in actors:
        q = a["wikidata"]
        assert q is None or (isinstance(q, str) and QID.match(q)), (a["id"], q)
    qs = [a["wikidata"] for a in actors if a["wikidata"]]
    assert len(qs) == len(set(qs)), "a Wikidata id is used twice"


def test_country_codes(actors):
    for a in actors:
        c = a["country"]
        assert c is None or (isinstance(c, str) and ISO2.match(c)), (a["id"], c)
        if a["kind"] == "state":
            assert c is not None, a["id"]


def test_demonyms_and_metonyms_only_for_states(actors):
    for a in actors:
        if a["kind"] != "state":
            assert not a.get("demonyms") and not a.get("metonyms"), a["id"]


def test_afghanistan_rules(by_id):
    assert not by_id["afghanistan"].get("demonyms")
    all_metonyms = {normalise(m) for a in by_id.values() for m in a.get("metonyms") or []}
    assert "kabul" not in all_metonyms


def test_theatre_only_on_states(actors, by_id):
    for a in actors:
        if "theatre" in a:
            assert a["theatre"] is True and a["kind"] == "state", a["id"]
    assert by_id["afghanistan"].get("theatre") and not by_id["pakistan"].get("theatre")


def test_renamed_entries(actors):
    for a in actors:
        known = {normalise(s) for s in surfaces(a)}
        for r in a.get("renamed") or []:
            assert set(r) == {"name", "until"}, a["id"]
            assert isinstance(r["until"], str) and UNTIL.match(r["until"]), (a["id"], r)
            assert normalise(r["name"]) in known, (a["id"], r["name"])


def test_some_arabic_script_alias(actors):
    assert any(ARABIC_SCRIPT.search(s) for a in actors for s in a["aliases"])


@pytest.mark.parametrize(
    ("surface", "actor_id"),
    [
        ("Taliban", "taliban"),
        ("Islamic Emirate of Afghanistan", "taliban"),
        ("Pakistani Taliban", "ttp"),
        ("Tehreek-e-Taliban Pakistan", "ttp"),
        ("Tehrik-i-Taliban Pakistan", "ttp"),
        ("ISKP", "isis-k"),
        ("IS-K", "isis-k"),
        ("Islamic State Khorasan Province", "isis-k"),
        ("Daesh", "isis"),
        ("ISIL", "isis"),
        ("Jabhat Fatah al-Sham", "nusra-front"),
        ("East Turkistan Islamic Movement", "tip"),
        ("Turkestan Islamic Party", "tip"),
        ("Lashkar-e-Toiba", "lashkar-e-taiba"),
        ("Jaish-e-Muhammad", "jaish-e-mohammed"),
        ("al-Qa'ida", "al-qaeda"),
        ("Shabab", "al-shabaab"),
        ("Group for the Support of Islam and Muslims", "jnim"),
        ("Washington", "united-states"),
        ("Islamabad", "pakistan"),
        ("Beijing", "china"),
        ("Pakistani", "pakistan"),
        ("ANDSF", "afghan-government"),
        ("Security Council", "unsc"),
        ("US-led coalition", "global-coalition-against-daesh"),
        ("Pentagon", "pentagon"),
    ],
)
def test_known_surfaces_resolve(actors, surface, actor_id):
    owners = {a["id"] for a in actors if normalise(surface) in {normalise(s) for s in surfaces(a)}}
    assert owners == {actor_id}


def test_governs_from(actors):
    """Dated seats of government: ISO dates, and one actor per place at any day."""
    seats: dict[str, list[tuple[str, str, str]]] = {}
    for a in actors:
        for g in a.get("governs_from") or []:
            assert set(g) <= {"place", "since", "until"} and g.get("place"), a["id"]
            for key in ("since", "until"):
                if g.get(key):
                    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(g[key])), (a["id"], g)
            seats.setdefault(g["place"], []).append((str(g.get("since") or ""), str(g.get("until") or "9999"), a["id"]))
    assert seats, "Kabul at least"
    for place, spans in seats.items():
        spans.sort()
        for (_s0, u0, a0), (s1, _u1, a1) in zip(spans, spans[1:], strict=False):
            assert u0 < s1, (place, a0, a1)
