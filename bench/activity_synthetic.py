"""How well ``detect_changes`` dates a stop, labels coverage and avoids false alarms, on seeded
synthetic series (``synthetic_activity``).

For each seed: near-daily attacks (``--rate`` a day, 2021-05-17 on) stop on a known day
(2021-08-12 + seed % 7, so the weekday varies) and the window runs to 2021-09-30. Prints the
error (days) of the detected stop against the true date and against the day after the last
attack (the earliest date the data allow), the share in the right week at week resolution,
the share labelled correctly with coverage continuing ("evidence of absence") and ending at
the stop ("no coverage"), false alarms on flat series, surges found, and the runtime.

    python bench/activity_synthetic.py [--seeds 200] [--rate 0.9]
"""

from __future__ import annotations

import argparse
import math
import time
from collections import Counter
from datetime import date, timedelta

from khabar.analyze.activity import (
    activity_series,
    coverage_series,
    detect_changes,
    filter_events,
    synthetic_activity,
)


def day(text: str) -> date:
    return date.fromisoformat(text)


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def changes(case, by: str, coverage: bool = True):
    events = filter_events(case.events, actor=case.actor)
    series = activity_series(events, by=by, start=case.start, end=case.end)
    reports = {d for e in events for d in e.documents}
    cov = coverage_series(case.coverage, actor=case.actor, by=by, start=case.start, end=case.end,
                          exclude=reports) if coverage else None
    return detect_changes(series, cov)


def histogram(errors: list[int | None]) -> str:
    tally = Counter("missed" if e is None else e for e in errors)
    keys = sorted((k for k in tally if k != "missed"), key=int) + (["missed"] if "missed" in tally else [])
    return "  ".join(f"{k:+d}:{tally[k]}" if k != "missed" else f"missed:{tally[k]}" for k in keys)


def share(flags: list[bool]) -> str:
    return f"{sum(flags)}/{len(flags)} ({sum(flags) / len(flags):.1%})" if flags else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--rate", type=float, default=0.9, help="attacks a day before the stop")
    args = ap.parse_args()
    seeds = range(args.seeds)

    err_true: list[int | None] = []
    err_data: list[int | None] = []
    right_week, exactly_one, label_cov, label_nocov = [], [], [], []
    timings: list[float] = []
    for seed in seeds:
        stop = (day("2021-08-12") + timedelta(days=seed % 7)).isoformat()
        case = synthetic_activity(seed, stop=stop, rate=args.rate)
        last = max(day(e.date_start) for e in case.events if case.actor in e.actors and e.date_start < stop)
        t = time.perf_counter()
        found = changes(case, "day")
        timings.append(time.perf_counter() - t)
        stops = [c for c in found if c.kind == "stop"]
        exactly_one.append([c.kind for c in found] == ["stop"])
        err_true.append((day(stops[0].start) - day(stop)).days if stops else None)
        err_data.append((day(stops[0].start) - (last + timedelta(days=1))).days if stops else None)
        label_cov.append(bool(stops) and stops[0].label == "evidence of absence")
        weekly = [c for c in changes(case, "week") if c.kind == "stop"]
        expected = monday(day(stop)) if monday(last) < monday(day(stop)) else monday(day(stop)) + timedelta(days=7)
        right_week.append(bool(weekly) and day(weekly[0].start) == expected)
        dark = synthetic_activity(seed, stop=stop, rate=args.rate,
                                  coverage_until=(day(stop) - timedelta(days=1)).isoformat())
        dark_stops = [c for c in changes(dark, "day") if c.kind == "stop"]
        label_nocov.append(bool(dark_stops) and dark_stops[0].label == "no coverage")

    n = len(err_true)
    within = [e is not None and abs(e) <= 1 for e in err_true]
    print(f"stop at day resolution, {n} seeds, {args.rate} attacks a day before the stop")
    print(f"  error vs true stop date (days): {histogram(err_true)}")
    print(f"  within one day of the true date: {share(within)}"
          f"  (a perfect detector: {1 - math.exp(-2 * args.rate):.1%}, the chance the last two days before the"
          " stop are not both empty)")
    print(f"  error vs the day after the last attack: {histogram(err_data)}")
    print(f"  exactly one change found (the stop): {share(exactly_one)}")
    print(f"stop at week resolution: first quiet week found {share(right_week)}")
    print(f"labels: 'evidence of absence' with coverage continuing {share(label_cov)};"
          f" 'no coverage' with coverage ending at the stop {share(label_nocov)}")

    for by in ("day", "week"):
        alarms = [bool(changes(synthetic_activity(seed, stop=None, rate=args.rate), by)) for seed in seeds]
        print(f"false alarms on flat series ({by}): {share(alarms)}")

    for low, high in ((0.3, 1.5), (0.2, 2.0)):
        errors: list[int | None] = []
        for seed in seeds:
            case = synthetic_activity(seed, schedule=[("2021-05-17", low), ("2021-07-15", high)])
            surges = [c for c in changes(case, "day") if c.kind == "surge"]
            errors.append((day(surges[0].start) - day("2021-07-15")).days if surges else None)
        found = [e is not None for e in errors]
        close = sorted(abs(e) for e in errors if e is not None)
        p90 = close[int(0.9 * (len(close) - 1))] if close else None
        print(f"surge {low}->{high} a day on 2021-07-15: found {share(found)}; |error| median"
              f" {close[len(close) // 2] if close else None} days, 90th percentile {p90} days")

    print(f"runtime: {1000 * sum(timings) / len(timings):.2f} ms per series (filter + series + coverage + detect,"
          f" {len(range(day('2021-05-17').toordinal(), day('2021-09-30').toordinal() + 1))} day bins)")


if __name__ == "__main__":
    main()
