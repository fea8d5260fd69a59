"""khabar eval: causes of errors, the table of several sets, folds for cross-validation."""

from __future__ import annotations

import json

import pytest

from khabar.errors import KhabarError
from khabar.evaluate import score
from khabar.evaluate.causes import find_errors, format_errors, same_sentence, summarise
from khabar.evaluate.crossval import folds, gold_set
from khabar.evaluate.table import format_table

AQ = {"id": "al-qaeda", "names": ["al-Qaeda"], "kind": "armed_group"}
TB = {"id": "taliban", "names": ["Taliban"], "kind": "armed_group"}
PK = {"id": "pakistan", "names": ["Pakistan"], "kind": "state"}
US = {"id": "united-states", "names": ["United States", "US"], "kind": "state"}


def rel(s, t, typ, modality="asserted", evidence=""):
    return {"source": s, "target": t, "type": typ, "modality": modality, "evidence": evidence}


def line(actors=(), relations=(), events=(), claims=(), **extra):
    return {"doc": "d.txt", "actors": list(actors), "relations": list(relations), "events": list(events),
            "claims": list(claims), **extra}


def causes(gold, system, layer, kind):
    return sorted(e.cause for e in find_errors({"d.txt": gold}, {"d.txt": system})
                  if e.layer == layer and e.kind == kind)


# -- relations -------------------------------------------------------------------------
def test_relation_miss_causes():
    gold = line([AQ, TB, PK, US], [rel("taliban", "al-qaeda", "hosts"), rel("pakistan", "taliban", "supports"),
                                   rel("united-states", "taliban", "hostile_to"), rel("al-qaeda", "pakistan", "hostile_to"),
                                   rel("al-qaeda", "united-states", "hostile_to")])
    # system ids differ from gold ids on purpose: linking goes by name
    system = line([{"id": "aq", "names": ["Al Qaeda"]}, {"id": "tb", "names": ["taliban"]},
                   {"id": "pk", "names": ["Pakistan"]}],
                  [rel("aq", "tb", "hosts"), rel("pk", "tb", "allied_with")])
    assert causes(gold, system, "relations", "miss") == [
        "actor not found", "actor not found", "both actors found, no tie", "wrong direction", "wrong type"]
    assert causes(gold, system, "relations", "false alarm") == ["wrong direction", "wrong type"]


def test_candidates_split_no_tie():
    gold = line([AQ, TB, PK], [rel("taliban", "al-qaeda", "hosts"), rel("pakistan", "taliban", "supports")])
    system = line([AQ, TB, PK], [], candidates=[["taliban", "al-qaeda"]])
    assert causes(gold, system, "relations", "miss") == ["candidate scored none", "no candidate pair"]


def test_symmetric_types_have_no_direction_error_and_modality_is_an_attribute():
    gold = line([AQ, TB], [rel("taliban", "al-qaeda", "allied_with")])
    system = line([AQ, TB], [rel("al-qaeda", "taliban", "allied_with", "negated")])
    errors = find_errors({"d.txt": gold}, {"d.txt": system})
    assert [(e.kind, e.cause) for e in errors] == [("attribute", "wrong modality (negated for asserted)")]


def test_relation_false_alarm_with_unknown_actor():
    gold = line([AQ, TB], [])
    system = line([AQ, TB, {"id": "x-foo", "names": ["Foo Front"]}],
                  [rel("x-foo", "taliban", "hostile_to"), rel("al-qaeda", "taliban", "supports")])
    assert causes(gold, system, "relations", "false alarm") == ["actor not in gold", "no such tie in gold"]
    assert causes(gold, system, "actors", "false alarm") == ["not in gold (listed) (no kind)"]


# -- events ----------------------------------------------------------------------------
def ev(typ, date, actors=(), targets=(), precision="day", evidence="", **kw):
    return {"type": typ, "date": date, "precision": precision, "actors": list(actors), "targets": list(targets),
            "evidence": evidence, **kw}


def test_event_miss_causes():
    gold = line([AQ, TB, US], events=[
        ev("attack", "2021-08-26", ["al-qaeda"], ["united-states"]),          # system: wrong date
        ev("statement", "2021-09-01", ["taliban"]),                            # system: no linked actor
        ev("killing", "2021-07-31", [], ["al-qaeda"]),                         # system: an attack
        ev("meeting", "2020-02-29", ["taliban", "united-states"], evidence="They met in Doha."),
    ])
    system = line([AQ, TB, US], events=[
        ev("attack", "2021-08-27", ["al-qaeda"]),
        ev("statement", "2021-09", [], precision="month"),
        ev("attack", "2021-07-31", [], ["al-qaeda"]),
    ])
    assert causes(gold, system, "events", "miss") == [
        "no linked actor", "trigger missed or no date", "wrong date", "wrong type (system: attack)"]
    system["undated_events"] = [ev("meeting", None, evidence="They met in Doha on Saturday.")]
    assert "no date" in causes(gold, system, "events", "miss")


def test_event_dates_agree_at_the_coarser_precision_and_attributes_are_checked():
    gold = line([AQ], events=[ev("attack", "2021-08-26", ["al-qaeda"], fatalities=73, location="Kabul")])
    system = line([AQ], events=[ev("attack", "2021-08", ["al-qaeda"], precision="month", location="Kabul"),
                                ev("attack", "2021-08-26", ["al-qaeda"])])
    errors = find_errors({"d.txt": gold}, {"d.txt": system})
    assert [(e.kind, e.cause) for e in errors] == [("attribute", "no fatalities"),
                                                   ("false alarm", "repeat of a matched event")]


# -- claims ----------------------------------------------------------------------------
def cl(speaker, text, prob=None):
    return {"speaker": speaker, "text": text, "probability": prob}


def test_claim_causes():
    gold = line(claims=[cl("Nathan Sales", "it is virtually certain that al-Qaeda will return", [0.95, 0.99]),
                        cl("Mark Milley", "a reconstitution is possible within two years"),
                        cl("John Kirby", "the group remains a threat"),
                        cl("John Kirby", "the threat is growing")])
    system = line(claims=[cl("Sales", "it is virtually certain", None),
                          cl("The Outlet", "a reconstitution is possible within two years"),
                          cl("Kirby", "the group remains a threat")])
    assert causes(gold, system, "claims", "miss") == ["too few claims for the speaker", "wrong speaker"]
    assert causes(gold, system, "claims", "false alarm") == ["wrong speaker"]
    assert causes(gold, system, "claims", "attribute") == ["no band"]


def test_causes_add_up_to_the_scores():
    gold = line([AQ, TB, PK], [rel("taliban", "al-qaeda", "hosts"), rel("pakistan", "taliban", "supports")],
                [ev("attack", "2021-08-26", ["al-qaeda"])], [cl("A B", "x"), cl("C D", "y")])
    system = line([AQ, TB, {"id": "x", "names": ["X"]}], [rel("al-qaeda", "taliban", "hosts")],
                  [ev("attack", "2021-08-25", ["al-qaeda"])], [cl("B", "x"), cl("E", "z")])
    s = score({"d.txt": gold}, {"d.txt": system})
    summary = summarise(find_errors({"d.txt": gold}, {"d.txt": system}))
    for layer in ("actors", "relations", "events", "claims"):
        assert sum(summary.get((layer, "miss"), {}).values()) == s.layers[layer].fn, layer
        assert sum(summary.get((layer, "false alarm"), {}).values()) == s.layers[layer].fp, layer


def test_format_errors_lists_items_under_causes():
    gold = line([AQ, TB], [rel("taliban", "al-qaeda", "hosts", evidence="The Taliban hosted al-Qaeda.")])
    text = format_errors(find_errors({"d.txt": gold}, {"d.txt": line([AQ, TB])}), limit=5)
    assert "relations misses: 1" in text
    assert "== relations miss: both actors found, no tie" in text
    assert "d.txt: taliban hosts al-qaeda" in text and '"The Taliban hosted al-Qaeda."' in text
    assert "==" not in format_errors(find_errors({"d.txt": gold}, {"d.txt": line([AQ, TB])}), items=False)


@pytest.mark.parametrize("a, b, same", [
    ("The Taliban hosted al-Qaeda.", "Since 1996 the Taliban hosted al-Qaeda in Kandahar.", True),
    ("the Taliban hosted al-Qaeda", "The Taliban  hosted\nal-Qaeda", True),
    ("Pakistan denied it.", "The Taliban hosted al-Qaeda in Kandahar for years.", False),
    ("", "anything", False),
])
def test_same_sentence(a, b, same):
    assert same_sentence(a, b) is same


# -- table, folds, sets ------------------------------------------------------------------
def test_table_has_a_row_per_set_and_the_union():
    a = score({"d.txt": line([AQ], [])}, {"d.txt": line([AQ], [])})
    gold = line([AQ, TB], [rel("taliban", "al-qaeda", "hosts")])
    b = score({"e.txt": gold}, {"e.txt": line([AQ, TB], [rel("taliban", "al-qaeda", "hosts")])})
    text = format_table([("seeds", a), ("train", b)])
    first = text.split("\n\n")[0]  # the P/R/F1 table; the accuracies follow
    rows = {ln.split()[0]: ln for ln in first.splitlines() if ln and ln.split()[0] in ("seeds", "train", "union")}
    assert set(rows) == {"seeds", "train", "union"}
    assert "1.00 / 1.00 / 1.00" in rows["train"] and "1.00 / 1.00 / 1.00" in rows["union"]
    assert rows["union"].split()[1] == "2"  # documents


def test_folds_are_deterministic_disjoint_and_cover():
    names = [f"{b}{i:02d}.txt" for b in "abcd" for i in range(12)]
    fs = folds(names, 5)
    assert fs == folds(list(reversed(names)), 5)
    assert sorted(n for f in fs for n in f) == sorted(names)
    assert len(fs) == 5 and all(len({n[0] for n in f}) == 4 for f in fs)  # every fold mixes the batches


def test_gold_set_finds_the_corpus_beside_the_gold(tmp_path):
    (tmp_path / "eval").mkdir()
    (tmp_path / "corpus" / "mine").mkdir(parents=True)
    gold = tmp_path / "eval" / "mine.gold.jsonl"
    gold.write_text(json.dumps({"doc": "a.txt"}) + "\n")
    assert gold_set(gold).corpus == tmp_path / "corpus" / "mine"
    with pytest.raises(KhabarError) as err:
        gold_set(tmp_path / "eval" / "other.gold.jsonl")
    assert err.value.code == "E400" and "--corpus" in str(err.value)
