"""A small deterministic force-directed layout (Fruchterman-Reingold), on numpy arrays.

Same nodes and edges in, same positions out: nodes start on a circle in the
order given, jitter comes from a seeded :class:`random.Random`, and there is a
weak pull to the centre so separate components stay in the frame.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["force_layout"]


def force_layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    iterations: int = 300,
    seed: int = 7,
    gravity: float = 0.08,
) -> dict[str, tuple[float, float]]:
    """Positions in the unit square ``[0, 1] x [0, 1]`` for ``nodes``.

    ``edges`` are (source, target) pairs; direction, duplicates, self-loops and
    pairs naming unknown nodes are ignored. The result is rescaled so the
    drawing fills the square (a dimension with no spread is centred). The same
    drawing asked again (an actor's page shown again) is remembered, not laid out again.
    """
    nodes = tuple(dict.fromkeys(nodes))
    index = {node: i for i, node in enumerate(nodes)}
    if len(index) < 2:
        return {nodes[0]: (0.5, 0.5)} if nodes else {}
    pairs = tuple(sorted(
        {(min(index[a], index[b]), max(index[a], index[b])) for a, b in edges if a in index and b in index and a != b}
    ))
    return dict(_layout(nodes, pairs, iterations, seed, gravity))


@functools.lru_cache(maxsize=256)
def _layout(nodes: tuple[str, ...], pairs: tuple[tuple[int, int], ...], iterations: int, seed: int,
            gravity: float) -> tuple[tuple[str, tuple[float, float]], ...]:
    n = len(nodes)
    rng = random.Random(seed)
    xs, ys = [], []
    for i in range(n):
        angle = 2 * math.pi * i / n
        xs.append(0.5 + 0.4 * math.cos(angle) + rng.uniform(-0.01, 0.01))
        ys.append(0.5 + 0.4 * math.sin(angle) + rng.uniform(-0.01, 0.01))
    # the same steps as the textbook loops, on arrays: repulsion between every pair,
    # attraction along edges, a pull to the centre, a step bounded by the temperature
    pos = np.array([xs, ys], dtype=float).T  # n x 2
    src = np.array([i for i, _ in pairs], dtype=int)
    dst = np.array([j for _, j in pairs], dtype=int)
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    eye = np.eye(n, dtype=bool)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]  # delta[i, j] = pos[i] - pos[j]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        dist[dist == 0] = 1e-6
        dist[eye] = np.inf  # no force of a node on itself
        disp = (delta * (k * k / dist ** 2)[..., None]).sum(axis=1)
        if len(pairs):
            d = pos[src] - pos[dst]
            length = np.hypot(d[:, 0], d[:, 1])
            length[length == 0] = 1e-6
            f = d * (length / k)[:, None]  # (d / length) * length**2 / k
            np.subtract.at(disp, src, f)
            np.add.at(disp, dst, f)
        disp -= gravity * (pos - 0.5) / k
        length = np.hypot(disp[:, 0], disp[:, 1])
        moving = length > 0
        step = np.minimum(length, temperature)
        pos[moving] += disp[moving] / length[moving, None] * step[moving, None]
        temperature -= cooling
    xs, ys = pos[:, 0].tolist(), pos[:, 1].tolist()
    return tuple(zip(nodes, zip(_rescale(xs), _rescale(ys), strict=True), strict=True))


def _rescale(values: list[float]) -> list[float]:
    """``values`` mapped linearly onto [0, 1]; all 0.5 if they do not spread."""
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return [0.5] * len(values)
    return [(v - low) / (high - low) for v in values]
