"""Scoring judgments against what happened: Brier scores per speaker and per source.

A judgment with a probability band (``low``/``high``, or an ICD 203 band name in
``band``) and a recorded ``outcome`` (True: it happened) is scored with the Brier
score of the band's midpoint: ``(p - outcome)^2``, 0 perfect, 0.25 what always saying
50% earns, 1 worst. Judgments without an outcome or a band are pending. Calibration
notes compare, per speaker or source, the mean forecast with how often the events
happened (calibration in the large), once there are ``MIN_FOR_CALIBRATION`` scored.

>>> brier(0.9, True), brier(0.9, False)
(0.01, 0.81)
"""

from __future__ import annotations

import calendar
import datetime as _dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from khabar.schema import vocab

__all__ = ["MIN_FOR_CALIBRATION", "band_of", "brier", "due", "due_date", "score_judgments"]

MIN_FOR_CALIBRATION = 5  # scored judgments before calibration is worth a note
CHANCE = 0.25  # the Brier score of always saying 50%
GAP = 0.15  # mean forecast vs observed frequency beyond which a note is written
UNKNOWN = "(unknown)"


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)


def brier(p: float, outcome: bool) -> float:
    """The Brier score of one forecast probability ``p`` of an event that did (True) or did not happen."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability {p!r} is not between 0 and 1")
    return round((p - (1.0 if outcome else 0.0)) ** 2, 12)


def band_of(item: Any) -> tuple[float, float] | None:
    """The (low, high) probability band of a judgment, or None when it has none.

    Taken from ``low``/``high``, else from an ICD 203 band name in ``band``.
    """
    low, high = _get(item, "low"), _get(item, "high")
    if low is None or high is None:
        name = _get(item, "band")
        bands = {b["name"]: b for b in vocab()["icd203_bands"]}
        if name not in bands:
            return None
        low, high = bands[name]["low"], bands[name]["high"]
    low, high = float(low), float(high)
    if not 0.0 <= low <= high <= 1.0:
        raise ValueError(f"band {low}-{high} of {_get(item, 'speaker')!r} is not 0 <= low <= high <= 1")
    return low, high


def _group(scored: list[tuple[float, bool, float]]) -> dict[str, Any]:
    n = len(scored)
    mean_p = sum(p for p, _, _ in scored) / n
    rate = sum(o for _, o, _ in scored) / n
    mean = sum(b for _, _, b in scored) / n
    notes = []
    if n < MIN_FOR_CALIBRATION:
        notes.append(f"only {n} scored: too few to judge calibration")
    else:
        if mean_p - rate > GAP:
            notes.append(f"forecasts ran high: mean p {mean_p:.2f}, {rate:.0%} happened")
        elif rate - mean_p > GAP:
            notes.append(f"forecasts ran low: mean p {mean_p:.2f}, {rate:.0%} happened")
        if mean > CHANCE:
            notes.append(f"worse than always saying 50% (Brier {mean:.3f} > {CHANCE})")
    return {"n": n, "mean_brier": mean, "mean_p": mean_p, "hit_rate": rate, "notes": notes}


def score_judgments(items: Iterable[Any]) -> dict[str, Any]:
    """Brier scores of resolved judgments (dicts or records with speaker, source, low,
    high or band, outcome), overall and per speaker and per source.

    Returns ``{"n", "pending", "mean_brier", "by_speaker": {name: group}, "by_source":
    {name: group}}``, each group ``{"n", "mean_brier", "mean_p", "hit_rate", "notes"}``;
    ``mean_brier`` is None when nothing is scored.
    """
    by_speaker: dict[str, list[tuple[float, bool, float]]] = defaultdict(list)
    by_source: dict[str, list[tuple[float, bool, float]]] = defaultdict(list)
    scores: list[float] = []
    pending = 0
    for item in items:
        outcome, band = _get(item, "outcome"), band_of(item)
        if outcome is None or band is None:
            pending += 1
            continue
        p = (band[0] + band[1]) / 2
        entry = (p, bool(outcome), brier(p, bool(outcome)))
        scores.append(entry[2])
        by_speaker[_get(item, "speaker") or UNKNOWN].append(entry)
        by_source[_get(item, "source") or UNKNOWN].append(entry)
    return {
        "n": len(scores),
        "pending": pending,
        "mean_brier": sum(scores) / len(scores) if scores else None,
        "by_speaker": {k: _group(v) for k, v in sorted(by_speaker.items())},
        "by_source": {k: _group(v) for k, v in sorted(by_source.items())},
    }


def due_date(text: str) -> _dt.date:
    """The last day a partial ISO date covers: "2024" -> 2024-12-31, "2024-06" -> 2024-06-30."""
    parts = str(text).strip().split("-")
    try:
        if len(parts) == 1:
            return _dt.date(int(parts[0]), 12, 31)
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            return _dt.date(year, month, calendar.monthrange(year, month)[1])
        return _dt.date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        raise ValueError(f"due date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD") from None


def due(items: Iterable[Any], today: _dt.date) -> list[Any]:
    """Judgments whose ``due`` date (partial ISO: the whole period counts) is before
    ``today`` and that have no outcome yet, the longest overdue first."""
    out = [(due_date(d), i, item) for i, item in enumerate(items)
           if (d := _get(item, "due")) and _get(item, "outcome") is None]
    return [item for when, _, item in sorted(out, key=lambda t: (t[0], t[1])) if when < today]
