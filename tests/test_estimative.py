"""Estimative language: table-driven cases of phrase-in-a-sentence -> ICD 203 band."""

from __future__ import annotations

import dataclasses
import random
import time
from importlib import resources

import pytest
import yaml

from khabar.extract.estimative import Estimate, best_estimate, find_estimates
from khabar.schema import vocab

AC, VL, L, EVEN, U, VU, NC = (
    "almost certain", "very likely", "likely", "roughly even chance", "unlikely", "very unlikely", "almost no chance"
)

# (sentence, phrase as written, band of the first likelihood estimate)
LIKELIHOOD = [
    # the gold examples of the annotation guide
    ("Sales said it is virtually certain that Al Qaeda will rebuild a haven in Afghanistan.", "virtually certain", AC),
    ("Few analysts are sure that the Taliban will let the group operate again.", "sure", AC),
    ("He expects the group to reestablish itself within months.", "expects", L),
    ("The likelihood that the movement will offer the group a haven soon is small.", "small", U),
    ("Asked about the threat, he said: I would assess it as medium.", "medium", EVEN),
    ("There is little doubt that the victory is a boost for the movement.", "little doubt", VL),
    ("Their calculation is certainly aimed at reassuring neighbours.", "certainly", AC),
    ("Their presence is marginal, and the risk is minimal.", "minimal", VU),
    ("The network will likely remain active in the border areas.", "likely", L),
    ("This may very well create difficulties for us.", "may very well", L),
    ("There is no doubt that the government is secure.", "no doubt", AC),
    ("It is highly unlikely that drones would fly from that airport.", "highly unlikely", VU),
    ("Officials said it is unlikely the group will revive.", "unlikely", U),
    # almost certain
    ("The group will almost certainly claim the attack.", "almost certainly", AC),
    ("A split is nearly certain after the leader's death.", "nearly certain", AC),
    ("The merger is all but certain, diplomats said.", "all but certain", AC),
    ("It is certain that the faction will retaliate.", "certain", AC),
    ("I'm sure they will come back.", "sure", AC),
    ("The militia will definitely expand its reach.", "definitely", AC),
    ("Reprisals are inevitable, a commander said.", "inevitable", AC),
    ("The split was a foregone conclusion.", "foregone conclusion", AC),
    ("Without a doubt the cell will try again.", "Without a doubt", AC),
    ("An offensive is very highly likely.", "very highly likely", AC),
    ("There is a 97 percent chance of a new offensive.", "97 percent chance", AC),
    # very likely
    ("A new offensive is very likely before the rains.", "very likely", VL),
    ("A new offensive is highly likely before the rains.", "highly likely", VL),
    ("In all likelihood the group will splinter.", "In all likelihood", VL),
    ("A retaliatory strike is highly probable.", "highly probable", VL),
    ("It is extremely likely that the cell is still active.", "extremely likely", VL),
    ("We strongly expect the group to move south.", "strongly expect", VL),
    ("I am fairly certain they will regroup.", "fairly certain", VL),
    ("The odds are very good that talks will fail.", "very good", VL),
    # likely
    ("The faction will probably join the coalition.", "probably", L),
    ("A ceasefire is probable by spring.", "probable", L),
    ("A deal is more likely than not.", "more likely than not", L),
    ("The group is expected to announce a new leader.", "expected", L),
    ("Analysts anticipate a wave of defections.", "anticipate", L),
    ("There is a good chance the militants will withdraw.", "good", L),
    ("The risk of an attack is high, the ministry said.", "high", L),
    ("A merger is increasingly likely, observers say.", "increasingly likely", L),
    ("A merger is fairly likely, observers say.", "fairly likely", L),
    ("Chances are, the fighters will return in the spring.", "Chances are", L),
    ("There is a better than even chance the truce holds.", "better than even", L),
    ("It would not surprise me if the cell struck again.", "not surprise me if", L),
    ("It is not unlikely that the group will split.", "not unlikely", L),
    ("Al Qaeda Likely To Return, Officials Warn", "Likely", L),
    # roughly even chance
    ("The odds of a split are roughly even.", "roughly even", EVEN),
    ("It is a toss-up whether the talks succeed.", "toss-up", EVEN),
    ("The election is a 50-50 proposition for the movement.", "50-50", EVEN),
    ("There is an even chance of renewed fighting.", "even chance", EVEN),
    ("A split is a real possibility.", "real possibility", EVEN),
    ("The threat from the group in the region is moderate.", "moderate", EVEN),
    ("Officials rate the threat as medium.", "medium", EVEN),
    ("The commander may well be replaced.", "may well", EVEN),
    ("A return to violence is as likely as not.", "as likely as not", EVEN),
    # unlikely
    ("It is not likely that the group will disband.", "not likely", U),
    ("It isn't likely that the group will disband.", "isn't likely", U),
    ("It is not very likely that the group will disband.", "not very likely", U),
    ("It is not at all likely that the group will disband.", "not at all likely", U),
    ("We don't expect the group to disband.", "don't expect", U),
    ("A ceasefire is improbable this year.", "improbable", U),
    ("A deal looks doubtful.", "doubtful", U),
    ("I doubt that they will negotiate.", "doubt that", U),
    ("Chances are slim that the talks resume.", "slim", U),
    ("There is a low probability of a deal.", "low", U),
    ("The prospects for peace are poor.", "poor", U),
    ("The probability of a ceasefire, diplomats say, remains low.", "low", U),
    ("I would be surprised if they signed.", "be surprised if", U),
    ("It is not certain that they will attack, but not impossible either.", "not certain", None),
    # very unlikely
    ("A reconciliation is very unlikely.", "very unlikely", VU),
    ("A return of the exiled leader is extremely unlikely.", "extremely unlikely", VU),
    ("There is little chance of a negotiated settlement.", "little", VU),
    ("The chance of a settlement is very small.", "very small", VU),
    ("The odds are very low that the group disarms.", "very low", VU),
    ("Victory for the rebels is a long shot.", "long shot", VU),
    ("A victory is highly improbable.", "highly improbable", VU),
    # almost no chance
    ("There is almost no chance the group will surrender.", "almost no chance", NC),
    ("There is no chance the group will surrender.", "no chance", NC),
    ("A surrender is virtually impossible.", "virtually impossible", NC),
    ("There is only a remote possibility of talks.", "remote", NC),
    ("The risk of a coup is negligible.", "negligible", NC),
    ("It is not possible that the leader survived.", "not possible", NC),
    ("There is a 2% chance of a deal.", "2% chance", NC),
    # others
    ("The risk to the U.S. homeland is small.", "small", U),
    ("The group may well, in all probability, regroup.", "may well", EVEN),
]


@pytest.mark.parametrize("sentence,phrase,band", LIKELIHOOD)
def test_likelihood(sentence: str, phrase: str, band: str | None) -> None:
    if band is None:
        ests = [e for e in find_estimates(sentence) if e.phrase == phrase]
        assert ests and ests[0].band is None and ests[0].kind == "hedge", find_estimates(sentence)
        return
    est = best_estimate(sentence)
    assert est is not None, sentence
    assert (est.phrase, est.band) == (phrase, band)
    assert sentence[est.start:est.end] == est.phrase
    assert est.kind == "likelihood"


def test_bands_come_from_vocab() -> None:
    bands = {b["name"]: (b["low"], b["high"]) for b in vocab()["icd203_bands"]}
    for sentence, _, band in LIKELIHOOD:
        est = best_estimate(sentence)
        if band is not None:
            assert (est.low, est.high) == bands[band]
    assert (best_estimate("it is virtually certain").low, best_estimate("it is virtually certain").high) == (0.95, 0.99)
    assert (best_estimate("he expects a deal").low, best_estimate("he expects a deal").high) == (0.55, 0.8)


# Text with no likelihood estimate at all.
NEGATIVES = [
    "A small group of fighters crossed the border.",
    "The remote district has no police station.",
    "They hid behind a low wall.",
    "A medium-sized town in the north fell.",
    "He lives on Likely Street in the old city.",
    "A certain group of elders met the governor.",
    "Make sure the convoy leaves at dawn.",
    "The attack happened in May 2021.",
    "Send reinforcements as soon as possible.",
    "The offensive went as expected.",
    "The group is small but well armed.",
    "The risk of a small attack grew.",
    "He was a confident and charismatic leader.",
    "The group held a high-level meeting in the capital.",
    "The threat from al Qaeda is at its lowest point in decades.",
    "The unexpected attack killed four.",
    "The long-term threat is quite troubling.",
    "Fighting was reported in the medium term plan's first phase.",
]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_no_likelihood(sentence: str) -> None:
    assert best_estimate(sentence) is None, find_estimates(sentence)
    assert not [e for e in find_estimates(sentence) if e.kind != "hedge"], find_estimates(sentence)


# (sentence, hedge phrase): no band.
HEDGES = [
    ("The United States might intervene again.", "might"),
    ("Such groups could grow considerably faster.", "could"),
    ("The leader may be attempting to recapture the limelight.", "may"),
    ("It would take possibly two years to rebuild that capability.", "possibly"),
    ("A split is possible.", "possible"),
    ("Perhaps the group will split.", "Perhaps"),
    ("I am not sure they will come back.", "not sure"),
    ("A renewed offensive cannot be ruled out.", "cannot be ruled out"),
    ("It is too early to say whether the truce will hold.", "too early to say"),
    ("The future of the alliance is uncertain.", "uncertain"),
    ("A renewed offensive is not impossible.", "not impossible"),
    ("May the talks succeed, he said.", "May"),
]


@pytest.mark.parametrize("sentence,phrase", HEDGES)
def test_hedges(sentence: str, phrase: str) -> None:
    ests = find_estimates(sentence)
    assert [(e.phrase, e.kind, e.band, e.low, e.high) for e in ests] == [(phrase, "hedge", None, None, None)]
    assert best_estimate(sentence) is None


# (sentence, confidence phrase, level): a confidence level and no band.
CONFIDENCE = [
    ("We assess with high confidence that the cell is active.", "high confidence", "high"),
    ("We have moderate confidence in this judgment.", "moderate confidence", "moderate"),
    ("We have low confidence in the reporting.", "low confidence", "low"),
    ("We are confident that the cell is active.", "We are confident", "high"),
    ("He said he was confident the group would be defeated.", "confident", "high"),
    ("The analysts are fairly confident of the attribution.", "fairly confident", "moderate"),
    ("We say with confidence that the cell is active.", "with confidence", "high"),
    ("Our confidence in this source is low.", "low", "low"),
    ("We are not confident the truce will hold.", "not confident", "low"),
    ("The agency made a high-confidence assessment.", "high-confidence", "high"),
]


@pytest.mark.parametrize("sentence,phrase,level", CONFIDENCE)
def test_confidence(sentence: str, phrase: str, level: str) -> None:
    conf = [e for e in find_estimates(sentence) if e.kind == "confidence"]
    assert [(e.phrase, e.level, e.band, e.low, e.high) for e in conf] == [(phrase, level, None, None, None)]
    assert best_estimate(sentence) is None


def test_confidence_apart_from_likelihood() -> None:
    ests = find_estimates("We judge with moderate confidence that the group will very likely regroup.")
    assert [(e.kind, e.band, e.level) for e in ests] == [("confidence", None, "moderate"), ("likelihood", VL, None)]


def test_negated_flag() -> None:
    (est,) = find_estimates("It is not likely that the group will disband.")
    assert est.negated and est.band == U and (est.low, est.high) == (0.2, 0.45)
    (est,) = find_estimates("It is unlikely that the group will disband.")
    assert not est.negated
    # "likely not" negates the event, not the estimate
    (est,) = find_estimates("The group will likely not disband.")
    assert (est.phrase, est.band, est.negated) == ("likely", L, False)


def test_unlikely_not_double_matched() -> None:
    assert [e.phrase for e in find_estimates("Unlikely, likely, highly unlikely, unlikelier.")] == [
        "Unlikely", "likely", "highly unlikely"]


def test_subject_phrase_gives_way() -> None:
    """'chances are slim' is one estimate (unlikely), not 'chances are' (likely) plus 'slim'."""
    ests = find_estimates("Chances are slim that the talks resume.")
    assert [(e.phrase, e.band) for e in ests] == [("slim", U)]


@pytest.mark.parametrize("sentence,phrase,band", [
    ("Some predict that the militia is unlikely to disarm.", "unlikely", U),
    ("Analysts expect that a split is very likely within the year.", "very likely", VL),
    ("Officials expect the militia to disarm by spring.", "expect", L),
    ("Few anticipated that the truce would hold.", "anticipated", L),
])
def test_expectation_verbs_give_way_to_likelihood_words(sentence: str, phrase: str, band: str) -> None:
    banded = [e for e in find_estimates(sentence) if e.band]
    assert [(e.phrase, e.band) for e in banded] == [(phrase, band)]


def test_offsets_and_order() -> None:
    text = "He expects talks. The risk is minimal; a deal is not likely. They might sign."
    ests = find_estimates(text)
    assert [(text[e.start:e.end], e.kind, e.band) for e in ests] == [
        ("expects", "likelihood", L), ("minimal", "likelihood", VU), ("not likely", "likelihood", U),
        ("might", "hedge", None)]
    assert all(a.end <= b.start for a, b in zip(ests, ests[1:], strict=False))


def test_estimate_is_frozen() -> None:
    est = best_estimate("A deal is likely.")
    assert isinstance(est, Estimate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        est.band = U  # type: ignore[misc]


def test_curly_apostrophe_and_case() -> None:
    assert best_estimate("It ISN’T LIKELY to last.").band == U
    assert best_estimate("I’m sure of it.").band == AC


def test_lexicon_data() -> None:
    data = yaml.safe_load(resources.files("khabar.data").joinpath("estimative.yaml").read_text("utf-8"))
    names = {b["name"] for b in vocab()["icd203_bands"]}
    assert set(data["bands"]) == names
    n_band = sum(len(v) for v in data["bands"].values())
    assert n_band >= 80
    phrases = [p if isinstance(p, str) else p["phrase"] for v in data["bands"].values() for p in v]
    for must in ["almost certain", "virtually certain", "all but certain", "little doubt", "no doubt", "highly likely",
                 "very likely", "probably", "probable", "likely", "expects", "anticipates", "may very well",
                 "more likely than not", "roughly even", "even chance", "50 50", "toss up", "medium", "unlikely",
                 "improbable", "doubtful", "small", "slim", "low", "minimal", "remote", "very unlikely",
                 "highly unlikely", "almost no chance", "no chance"]:
        assert must in phrases, must
    hedges = [p if isinstance(p, str) else p["phrase"] for p in data["no_band"]]
    assert {"might", "could", "may", "possible"} <= set(hedges)


def test_speed() -> None:
    words = ("the group is likely to return and the risk is small but a small group might attack in May while "
             "officials are not sure and we have high confidence that chances are slim the likelihood of a deal "
             "is low Al Qaeda expects fighters to regroup near the border after the withdrawal").split()
    rng = random.Random(7)
    text = " ".join(rng.choice(words) for _ in range(5000))
    find_estimates("warm up")
    best = min(_timed(text) for _ in range(3))
    assert best < 0.05


def _timed(text: str) -> float:
    t0 = time.perf_counter()
    find_estimates(text)
    return time.perf_counter() - t0
