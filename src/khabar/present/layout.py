"""A small deterministic force-directed layout (Fruchterman-Reingold), pure Python.

Same nodes and edges in, same positions out: nodes start on a circle in the
order given, jitter comes from a seeded :class:`random.Random`, and there is a
weak pull to the centre so separate components stay in the frame.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence

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
    drawing fills the square (a dimension with no spread is centred).
    """
    nodes = list(dict.fromkeys(nodes))
    index = {node: i for i, node in enumerate(nodes)}
    n = len(index)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.5, 0.5)}
    pairs = sorted(
        {(min(index[a], index[b]), max(index[a], index[b])) for a, b in edges if a in index and b in index and a != b}
    )
    rng = random.Random(seed)
    xs, ys = [], []
    for i in range(n):
        angle = 2 * math.pi * i / n
        xs.append(0.5 + 0.4 * math.cos(angle) + rng.uniform(-0.01, 0.01))
        ys.append(0.5 + 0.4 * math.sin(angle) + rng.uniform(-0.01, 0.01))
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        for i in range(n):
            for j in range(i + 1, n):
                ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
                dist = math.hypot(ddx, ddy) or 1e-6
                force = k * k / dist
                fx, fy = ddx / dist * force, ddy / dist * force
                dx[i] += fx
                dy[i] += fy
                dx[j] -= fx
                dy[j] -= fy
        for i, j in pairs:
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            dist = math.hypot(ddx, ddy) or 1e-6
            force = dist * dist / k
            fx, fy = ddx / dist * force, ddy / dist * force
            dx[i] -= fx
            dy[i] -= fy
            dx[j] += fx
            dy[j] += fy
        for i in range(n):
            dx[i] -= gravity * (xs[i] - 0.5) / k
            dy[i] -= gravity * (ys[i] - 0.5) / k
            length = math.hypot(dx[i], dy[i])
            if length > 0:
                step = min(length, temperature)
                xs[i] += dx[i] / length * step
                ys[i] += dy[i] / length * step
        temperature -= cooling
    return dict(zip(nodes, zip(_rescale(xs), _rescale(ys), strict=True), strict=True))


def _rescale(values: list[float]) -> list[float]:
    """``values`` mapped linearly onto [0, 1]; all 0.5 if they do not spread."""
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return [0.5] * len(values)
    return [(v - low) / (high - low) for v in values]
