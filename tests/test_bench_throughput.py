"""bench/throughput.py: plain spaCy and khabar read every chunk one right after the other,
A/B alternating, and each side's time is its own (figures themselves are not tested)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from khabar.schema import Document

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_throughput", ROOT / "bench" / "throughput.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Clock:
    """A fake clock that each run advances by its own cost."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_interleaved_alternates_and_keeps_each_side_apart(bench):
    clock = _Clock()
    order: list[tuple[str, int]] = []

    def run(name: str, cost: float):
        def read(chunk):
            order.append((name, chunk))
            clock.now += cost * (1 + chunk)
        return read

    rounds = list(bench.interleaved([0, 1, 2], run("plain", 1.0), run("khabar", 0.5), 2, clock=(clock, clock)))
    assert order[:6] == [("plain", 0), ("khabar", 0), ("khabar", 1), ("plain", 1), ("plain", 2), ("khabar", 2)]
    assert order[6:8] == [("khabar", 0), ("plain", 0)]  # the next round starts the other way round
    assert rounds == [(6.0, 6.0, 3.0, 3.0)] * 2


@pytest.mark.parametrize("values, shown", [
    ([1.2, 0.9, 1.0], "min 0.90  median 1.00  max 1.20"),
    ([1.0, 2.0], "min 1.00  median 1.50  max 2.00"),
])
def test_spread(bench, values, shown):
    assert bench.spread(values) == shown


def test_corpus_repeats_whole_passes_with_fresh_ids(bench, tmp_path):
    (tmp_path / "a.txt").write_text("One two three four five.\n")
    (tmp_path / "b.txt").write_text("Six seven eight.\n")
    docs, words = bench.corpus([str(tmp_path)], 20)
    assert words >= 20 and len(docs) % 2 == 0
    assert len({d.id for d in docs}) == len(docs)
    assert all(isinstance(d, Document) for d in docs)
    docs, words = bench.corpus([str(tmp_path)], 1)  # at least the corpus once
    assert len(docs) == 2 and words == 8
