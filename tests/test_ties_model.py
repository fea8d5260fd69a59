"""Candidate ties, their features, and the learned tie scorer (khabar.extract.tiemodel)."""

from __future__ import annotations

import json

import pytest

from khabar.extract.candidates import candidates
from khabar.extract.features import features
from khabar.extract.lexicon import load_lexicon
from khabar.extract.tiemodel import Linear, TieModel, canonical, direction_features, pair_features
from khabar.schema import Document, tie_types


def _parsed(extractor, text: str):
    """The parsed sentence and its actor tokens, as the pipeline sees them."""
    prepared, _ = extractor._prepare(text)
    s = next(s for s in prepared if s.parse)
    s.sub = extractor.nlp(s.sub)
    return s.sub, dict(s.token_actor)


def _feats(extractor, text: str) -> list[dict[str, float]]:
    doc, actors = _parsed(extractor, text)
    return [features(c, load_lexicon(), extractor._kinds) for c in candidates(doc, actors, load_lexicon(),
                                                                              extractor._kinds)]


@pytest.mark.parametrize("text, n", [
    ("Pakistan has supported the Taliban for years.", 1),
    ("Al-Qaeda, the Taliban and the TTP met in Kabul last week.", 3),
    ("The Taliban said the TTP was a domestic matter.", 1),
])
def test_every_pair_of_actors_is_a_candidate(extractor, text, n):
    doc, actors = _parsed(extractor, text)
    assert len(candidates(doc, actors, load_lexicon(), extractor._kinds)) == n


def test_a_state_used_as_a_place_is_no_candidate(extractor):
    doc, actors = _parsed(extractor, "Al-Qaeda fighters attacked the Taliban in Pakistan.")
    pairs = {frozenset((c.a, c.b)) for c in candidates(doc, actors, load_lexicon(), extractor._kinds)}
    assert all("pakistan" not in p for p in pairs)


@pytest.mark.parametrize("text, wanted", [
    ("Pakistan has supported the Taliban for years.", {"on:supports:>", "rtype:supports:>", "rule"}),
    ("The Taliban have long hosted al-Qaeda.", {"on:hosts:>", "rtype:hosts:>"}),
    ("Al-Qaeda has long been hosted by the Taliban.", {"on:hosts:<", "rtype:hosts:<"}),
    ("Al-Qaeda and the Taliban remain closely aligned.", {"coord", "coord:allied_with", "btw:list"}),
    ("The Taliban did not support al-Qaeda after 2001.", {"modal:negated", "on:supports:>"}),
    ("The Taliban will host al-Qaeda again.", {"modal:predicted"}),
    ("Pakistan condemned the Taliban and the TTP.", {"on:hostile_to:>"}),
])
def test_features_name_the_cues(extractor, text, wanted):
    feats = _feats(extractor, text)[0]
    assert wanted <= set(feats), sorted(feats)


def test_a_sentence_without_any_cue_says_so(extractor):
    feats = _feats(extractor, "The Taliban said the TTP was a domestic matter.")[0]
    assert "no_trigger" in feats and "rule" not in feats


@pytest.mark.parametrize("feats, wanted", [
    ({"on:hosts:>": 1}, "on:hosts:~"),
    ({"on:hosts:<": 1}, "on:hosts:~"),
    ({"da:nsubj": 1}, "d:nsubj"),
    ({"db:nsubj": 1}, "d:nsubj"),
    ({"k:state>armed_group": 1}, "k:armed_group|state"),
    ({"k:armed_group>state": 1}, "k:armed_group|state"),
    ({"path:nsubj^ VERB dobjv": 1}, "path:dobj^ VERB nsubjv"),
    ({"path:dobj^ VERB nsubjv": 1}, "path:dobj^ VERB nsubjv"),
    ({"poss:a:affiliate_of": 1}, "poss:affiliate_of"),
])
def test_pair_features_do_not_depend_on_order(feats, wanted):
    assert wanted in canonical(feats)


def test_pair_features_count_the_sentences():
    one = pair_features([{"on:hosts:>": 1}])
    three = pair_features([{"on:hosts:>": 1}, {"btw:list": 1}, {"rule": 1, "rtype:hosts:>": 1}])
    assert "n:1" in one and "n:3-4" in three and "rules:1" in three and "btw:list" in three


def test_direction_features_join_the_type():
    out = direction_features({"da:nsubj": 1}, "hosts")
    assert out["hosts|da:nsubj"] == 1 and out["da:nsubj"] == 1 and out["type:hosts"] == 1


def _toy_model(tie_type: str, cue: str, weight: float, forward: float = 3.0) -> TieModel:
    """A model that gives ``tie_type`` to a pair with the feature ``cue``."""
    types = Linear(list(tie_types()), [-4.0] * len(tie_types()),
                   {cue: [weight if t == tie_type else 0.0 for t in tie_types()]})
    direction = Linear(["forward"], [0.0], {"da:nsubj": [forward]})
    return TieModel(types=types, direction=direction, threshold=0.5, veto=0.0)


def test_linear_round_trips_through_json(tmp_path):
    model = _toy_model("hosts", "on:hosts:~", 6.0)
    path = tmp_path / "m.json"
    model.save(path)
    again = TieModel.load(path)
    assert again.learned and again.to_dict() == json.loads(path.read_text())
    assert again.type_probs({"on:hosts:~": 1})["hosts"] > 0.8


def test_a_missing_packaged_model_means_rules_only(monkeypatch):
    import khabar.extract.tiemodel as tm

    monkeypatch.setattr(tm, "MODEL_FILE", "no_such_model.json")
    model = TieModel.load()
    assert not model.learned and "rules only" in model.source and "no packaged" in model.source


def test_the_packaged_model_loads_without_sklearn_objects():
    model = TieModel.load()
    assert model.learned and model.source == "packaged tie_model.json"
    assert set(model.types.classes) == set(tie_types())
    assert model.direction.classes == ["forward"]


def test_the_model_adds_a_tie_the_rules_miss(extractor):
    """No rule reads "two names for one movement"; a model that learned "btw:list" as allied_with
    says so, and the tie names the model and its features."""
    text = "Al-Qaeda and the Taliban are two names for one movement."
    doc, actors = _parsed(extractor, text)
    rules = TieModel().ties(doc, actors, load_lexicon(), extractor._kinds)
    assert rules == []
    learned = _toy_model("allied_with", "btw:list", 8.0).ties(doc, actors, load_lexicon(), extractor._kinds)
    assert [(t.type, t.rule.split(":")[0]) for t in learned] == [("allied_with", "model")]
    assert "btw:list" in learned[0].rule and 0.5 < learned[0].score <= 1


def test_a_vetoed_rule_tie_is_dropped_and_a_kept_one_is_scored(extractor):
    doc, actors = _parsed(extractor, "Pakistan has supported the Taliban for years.")
    model = _toy_model("supports", "on:supports:~", 8.0)
    kept = model.ties(doc, actors, load_lexicon(), extractor._kinds)
    assert [(t.subject, t.type, t.object) for t in kept] == [("pakistan", "supports", "taliban")]
    assert kept[0].rule == "verb" and kept[0].score > 0.9
    model.veto = 0.99
    model.types.weights["on:supports:~"] = [0.0] * len(tie_types())
    assert model.ties(doc, actors, load_lexicon(), extractor._kinds) == []


@pytest.mark.parametrize("forward, expected", [(3.0, ("taliban", "al-qaeda")), (-3.0, ("al-qaeda", "taliban"))])
def test_the_direction_model_orients_a_learned_tie(extractor, forward, expected):
    doc, actors = _parsed(extractor, "The Taliban and al-Qaeda are two names for one movement.")
    model = _toy_model("hosts", "btw:list", 8.0, forward=forward)
    model.direction.weights = {"type:hosts": [forward]}
    ties = model.ties(doc, actors, load_lexicon(), extractor._kinds)
    assert [(t.subject, t.object) for t in ties if t.type == "hosts"] == [expected]


def test_the_extractor_takes_a_tie_model(extractor):
    from khabar.extract.pipeline import Extractor

    rules = Extractor(nlp=extractor.nlp, gazetteer=extractor.gazetteer, tie_model=TieModel())
    assert not rules.tie_model.learned
    out = rules.extract(Document(id="d", text="Pakistan has supported the Taliban for years."))
    assert [(a.subject, a.type, a.object) for a in out.assertions] == [("pakistan", "supports", "taliban")]
    assert extractor.tie_model.learned  # the default: the packaged model


def _tiny_set(tmp_path, n: int = 6):
    """A gold file and corpus written here: the Taliban host al-Qaeda in every document,
    said in different words; Pakistan and the TTP are named together without a tie."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = []
    texts = [
        "Al-Qaeda has long been hosted by the Taliban. Pakistan and the TTP were named in the same report.",
        "The Taliban hosted al-Qaeda for years. Pakistan said the TTP was discussed at length.",
        "Al-Qaeda enjoys a haven under the Taliban. Pakistan mentioned the TTP in a statement.",
    ]
    for k in range(n):
        name = f"doc{k}.txt"
        (corpus / name).write_text(texts[k % len(texts)] + f" This is report number {k}.\n", "utf-8")
        lines.append({"doc": name, "published": None,
                      "actors": [{"id": "taliban", "names": ["Taliban"], "kind": "armed_group"},
                                 {"id": "al-qaeda", "names": ["al-Qaeda", "Al-Qaeda"], "kind": "armed_group"},
                                 {"id": "pakistan", "names": ["Pakistan"], "kind": "state"},
                                 {"id": "ttp", "names": ["TTP"], "kind": "armed_group"}],
                      "relations": [{"source": "taliban", "type": "hosts", "target": "al-qaeda",
                                     "modality": "asserted", "evidence": ""}],
                      "events": [], "claims": []})
    gold = tmp_path / "tiny.gold.jsonl"
    gold.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    return gold, corpus


def test_training_learns_from_gold_deterministically(tmp_path, extractor):
    pytest.importorskip("sklearn")
    from khabar.extract.tiemodel import train_tie_model

    gold, corpus = _tiny_set(tmp_path)
    shipped = extractor.tie_model
    one = train_tie_model([gold], [corpus], extractor=extractor)
    two = train_tie_model([gold], [corpus], extractor=extractor)
    assert extractor.tie_model is shipped  # training leaves the extractor's model in place
    assert one.learned and one.to_dict() == two.to_dict()
    hosts = one.types.classes.index("hosts")
    # the cue words of the training documents weigh for hosts
    assert one.types.weights["on:hosts:~"][hosts] > 0
    held_out = train_tie_model([gold], [corpus], exclude_docs=frozenset({"doc0.txt", "doc1.txt"}),
                               extractor=extractor)
    assert held_out.to_dict() != one.to_dict()


def test_training_labels_pairs_from_the_gold(tmp_path, extractor):
    pytest.importorskip("sklearn")
    from khabar.extract.tietrain import doc_rows, labelled, pairs

    gold, corpus = _tiny_set(tmp_path, n=1)
    [(rows, line)] = doc_rows([gold], [corpus], extractor=extractor)
    by_types = {frozenset(t) for _, t in pairs(rows, line)}
    assert by_types == {frozenset({"hosts"}), frozenset()}  # Taliban-al-Qaeda, Pakistan-TTP
    directed = [labels for _, labels in labelled(rows, line) if labels]
    assert directed and all(labels == [("hosts", False)] for labels in directed)  # al-Qaeda is named first
