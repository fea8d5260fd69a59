"""Evaluation: the floors on the shared seeds, and agreement with the reference scorer."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from khabar.evaluate import Counts, format_scores, load_gold, score
from tests.conftest import need_shared

pytestmark = pytest.mark.slow

# The floors of issue 2 on the shared seeds: actors F1 >= 0.85, ties F1 >= 0.55 with
# precision >= 0.70, modality accuracy >= 0.80 on matched ties; of issue 3: events
# F1 >= 0.50, location accuracy >= 0.70 and fatalities accuracy >= 0.80 on matched events;
# of issue 4: claims F1 >= 0.60 and probability band accuracy >= 0.80 on matched claims.
FLOORS = {"actors_f1": 0.85, "relations_p": 0.70, "relations_f1": 0.55, "modality": 0.80,
          "events_f1": 0.50, "location_acc": 0.70, "fatalities_acc": 0.80,
          "claims_f1": 0.60, "band_acc": 0.80}


@pytest.fixture(scope="module")
def seeds(extractor):
    from khabar.batch import evaluate_corpus

    gold = need_shared("eval", "seeds.gold.jsonl")
    corpus = need_shared("corpus", "seeds")
    return evaluate_corpus(gold, corpus, extractor=extractor)


def test_seed_floors(seeds):
    scores, _ = seeds
    print(format_scores(scores))
    assert scores.layers["actors"].f1 >= FLOORS["actors_f1"]
    assert scores.layers["relations"].p >= FLOORS["relations_p"]
    assert scores.layers["relations"].f1 >= FLOORS["relations_f1"]
    assert scores.modality.value is not None and scores.modality.value >= FLOORS["modality"]


def test_seed_event_floors(seeds):
    """Issue 3's bars: events F1, and location and fatalities on matched events."""
    scores, _ = seeds
    assert scores.layers["events"].f1 >= FLOORS["events_f1"]
    for attr in ("location", "fatalities"):
        ratio = scores.event_attrs[attr]
        assert ratio.total > 0 and ratio.value >= FLOORS[f"{attr}_acc"], attr


def test_seed_claim_floors(seeds):
    """Issue 4's bars: attributed judgments and their ICD 203 bands."""
    scores, _ = seeds
    assert scores.layers["claims"].f1 >= FLOORS["claims_f1"]
    assert scores.band.total > 0 and scores.band.value >= FLOORS["band_acc"]


def test_agrees_with_reference_scorer(seeds, tmp_path):
    scores, system = seeds
    sys_path = tmp_path / "system.jsonl"
    sys_path.write_text("".join(json.dumps(d) + "\n" for d in system), encoding="utf-8")
    ref = subprocess.run(
        [sys.executable, str(need_shared("eval", "score.py")), str(need_shared("eval", "seeds.gold.jsonl")),
         str(sys_path), "--json"], capture_output=True, text=True, check=True)
    reference = json.loads(ref.stdout)
    for layer in ("actors", "relations", "events", "claims"):
        for k in ("p", "r", "f1"):
            assert round(reference[layer][k], 2) == round(getattr(scores.layers[layer], k), 2), (layer, k)
    assert reference["relation_modality_acc"] == pytest.approx(scores.modality.value)
    assert reference["claim_band_acc"] == pytest.approx(scores.band.value)
    for attr, value in reference["event_attr_acc"].items():
        assert value == pytest.approx(scores.event_attrs[attr].value), attr


def test_gold_shape(seeds):
    _, system = seeds
    for line in system:
        assert set(line) >= {"doc", "published", "actors", "relations", "events", "claims"}
        ids = {a["id"] for a in line["actors"]}
        for r in line["relations"]:
            assert r["source"] in ids and r["target"] in ids
            assert r["modality"] in ("asserted", "negated", "predicted")


@pytest.mark.parametrize(
    "gold, system, expected",
    [
        ({"actors": [{"id": "a", "names": ["Al-Qa'ida"]}]}, {"actors": [{"id": "x", "names": ["al qaida"]}]},
         Counts(1, 0, 0)),
        ({"actors": [{"id": "a", "names": ["Taliban"]}]}, {"actors": [{"id": "x", "names": ["ISIS"]}]},
         Counts(0, 1, 1)),
    ],
)
def test_actor_matching_is_name_insensitive(gold, system, expected):
    s = score({"d": {"doc": "d", **gold}}, {"d": {"doc": "d", **system}})
    got = s.layers["actors"]
    assert (got.tp, got.fp, got.fn) == (expected.tp, expected.fp, expected.fn)


def test_symmetric_relations_match_either_way():
    base = {"actors": [{"id": "a", "names": ["A"]}, {"id": "b", "names": ["B"]}]}
    gold = {"d": {"doc": "d", **base, "relations": [{"source": "a", "type": "hostile_to", "target": "b"}]}}
    system = {"d": {"doc": "d", **base, "relations": [{"source": "b", "type": "hostile_to", "target": "a"}]}}
    assert score(gold, system).layers["relations"].tp == 1


def test_load_gold_rejects_bad_lines(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"no_doc": 1}\n', encoding="utf-8")
    with pytest.raises(Exception, match="E400"):
        load_gold(bad)
