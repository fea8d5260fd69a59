"""Brier scoring of judgments, with hand-computed numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from khabar.analyze.forecasts import band_of, brier, due, due_date, score_judgments


def test_brier_by_hand():
    assert brier(0.9, True) == pytest.approx(0.01)
    assert brier(0.9, False) == pytest.approx(0.81)
    assert brier(0.5, True) == pytest.approx(0.25)
    assert brier(1.0, True) == 0.0
    assert brier(0.0, True) == 1.0
    with pytest.raises(ValueError):
        brier(1.2, True)


def test_band_from_bounds_or_icd203_name():
    assert band_of({"low": 0.55, "high": 0.80}) == (0.55, 0.80)
    assert band_of({"band": "very likely"}) == (0.80, 0.95)
    assert band_of({"speaker": "x"}) is None
    with pytest.raises(ValueError, match="not 0 <= low"):
        band_of({"low": 55, "high": 80})


def test_score_judgments_by_hand():
    items = [
        # A: likely (p .675) happened -> .105625; very unlikely (.125) did not -> .015625
        {"speaker": "A", "source": "Dawn", "low": 0.55, "high": 0.80, "outcome": True},
        {"speaker": "A", "source": "Reuters", "low": 0.05, "high": 0.20, "outcome": False},
        # B: almost certain (.97) did not happen -> .9409
        {"speaker": "B", "source": "Dawn", "band": "almost certain", "outcome": False},
        # pending: no outcome, no band
        {"speaker": "B", "source": "Dawn", "low": 0.2, "high": 0.45, "outcome": None},
        {"speaker": "C", "source": "AFP", "outcome": True},
    ]
    s = score_judgments(items)
    assert (s["n"], s["pending"]) == (3, 2)
    assert s["mean_brier"] == pytest.approx((0.105625 + 0.015625 + 0.9409) / 3)
    a = s["by_speaker"]["A"]
    assert a["n"] == 2
    assert a["mean_brier"] == pytest.approx((0.105625 + 0.015625) / 2)  # 0.060625
    assert a["mean_p"] == pytest.approx((0.675 + 0.125) / 2)
    assert a["hit_rate"] == pytest.approx(0.5)
    assert s["by_speaker"]["B"]["mean_brier"] == pytest.approx(0.9409)
    assert "C" not in s["by_speaker"]
    dawn = s["by_source"]["Dawn"]
    assert dawn["n"] == 2
    assert dawn["mean_brier"] == pytest.approx((0.105625 + 0.9409) / 2)
    assert s["by_source"]["Reuters"]["mean_brier"] == pytest.approx(0.015625)
    assert "too few" in a["notes"][0]


def test_nothing_scored():
    s = score_judgments([{"speaker": "A", "low": 0.5, "high": 0.6}])
    assert (s["n"], s["pending"], s["mean_brier"], s["by_speaker"]) == (0, 1, None, {})


def test_calibration_notes():
    # Five "very likely" (p .875) judgments, one of which happened: ran high, worse than chance.
    items = [{"speaker": "Hawk", "low": 0.80, "high": 0.95, "outcome": i == 0} for i in range(5)]
    g = score_judgments(items)["by_speaker"]["Hawk"]
    assert g["hit_rate"] == pytest.approx(0.2)
    # 1 x (.125)^2 + 4 x (.875)^2 = .015625 + 3.0625 = 3.078125, / 5 = .615625
    assert g["mean_brier"] == pytest.approx(0.615625)
    assert any("ran high" in n for n in g["notes"])
    assert any("worse than always saying 50%" in n for n in g["notes"])
    # Five "unlikely" (p .325) judgments that all happened: ran low.
    items = [{"speaker": "Dove", "low": 0.20, "high": 0.45, "outcome": True} for _ in range(5)]
    g = score_judgments(items)["by_speaker"]["Dove"]
    assert g["mean_brier"] == pytest.approx(0.675**2)
    assert any("ran low" in n for n in g["notes"])
    # Well calibrated: no note.
    items = [{"speaker": "Fox", "low": 0.45, "high": 0.55, "outcome": i % 2 == 0} for i in range(6)]
    assert score_judgments(items)["by_speaker"]["Fox"]["notes"] == []


def test_unknown_speaker_and_records():
    @dataclass
    class J:
        speaker: str | None
        source: str | None
        low: float | None
        high: float | None
        outcome: bool | None

    s = score_judgments([J(None, None, 0.8, 1.0, True)])
    assert s["by_speaker"]["(unknown)"]["mean_brier"] == pytest.approx(0.01)
    assert s["by_source"]["(unknown)"]["n"] == 1


def test_due_date_is_the_end_of_the_period():
    assert due_date("2024") == dt.date(2024, 12, 31)
    assert due_date("2024-02") == dt.date(2024, 2, 29)
    assert due_date("2024-06-15") == dt.date(2024, 6, 15)
    with pytest.raises(ValueError, match="YYYY"):
        due_date("next spring")


def test_due():
    items = [
        {"id": 1, "due": "2024-06-30", "outcome": None},
        {"id": 2, "due": "2024-06-30", "outcome": True},  # resolved
        {"id": 3, "due": "2024-07-01", "outcome": None},  # due today: not yet passed
        {"id": 4, "due": "2024", "outcome": None},  # the whole year counts
        {"id": 5, "due": "2023-01", "outcome": None},
        {"id": 6, "outcome": None},  # no due date
    ]
    assert [i["id"] for i in due(items, dt.date(2024, 7, 1))] == [5, 1]
    assert [i["id"] for i in due(items, dt.date(2025, 1, 1))] == [5, 1, 3, 4]
