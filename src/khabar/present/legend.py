"""Node shapes per actor kind and the legend of the network figure (SVG fragments).

Actor kinds come from ``vocab()["actor_kinds"]``; each kind gets the shape and
fill at its position in that list, so no kind name is spelled out here. Kinds
not in the vocabulary are drawn as grey circles.
"""

from __future__ import annotations

import math
from typing import Any

from khabar.schema import vocab

from .text import esc, kind_label, tie_colour, tie_label, tie_symmetric

__all__ = ["kind_style", "shape", "legend", "DASHES", "LEGEND_WIDTH"]

LEGEND_WIDTH = 210
SHAPES = ("circle", "square", "diamond", "hexagon", "triangle", "pentagon", "circle")
FILLS = ("#d6604d", "#4393c3", "#92c5de", "#9970ab", "#f4a582", "#a6dba0", "#bababa")
UNKNOWN_STYLE = ("circle", "#cccccc")
# stroke-dasharray per modality (asserted is solid).
DASHES = {"negated": "7 5", "predicted": "1.5 4"}
_FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'


def kind_style(kind: Any) -> tuple[str, str]:
    """(shape, fill) for an actor kind, by its position in the vocabulary."""
    kinds = list(vocab().get("actor_kinds", []))
    if kind in kinds:
        i = kinds.index(kind)
        return SHAPES[i % len(SHAPES)], FILLS[i % len(FILLS)]
    return UNKNOWN_STYLE


def _polygon(x: float, y: float, r: float, sides: int, rotation: float) -> str:
    points = []
    for i in range(sides):
        angle = rotation + 2 * math.pi * i / sides
        points.append(f"{x + r * math.cos(angle):.1f},{y + r * math.sin(angle):.1f}")
    return " ".join(points)


def shape(name: str, x: float, y: float, r: float, fill: str, extra: str = "") -> str:
    """An SVG element drawing ``name`` centred on (x, y) with "radius" ``r``.

    ``extra`` is appended verbatim to the element's attributes: callers pass
    only attributes they built from trusted values.
    """
    common = f'fill="{fill}" stroke="#333333" stroke-width="1.2"{extra}'
    if name == "square":
        side = r * 1.7
        return (f'<rect x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" '
                f'height="{side:.1f}" rx="2" {common}/>')
    polygons = {"diamond": (4, 0.0, 1.15), "hexagon": (6, 0.0, 1.05),
                "triangle": (3, -math.pi / 2, 1.25), "pentagon": (5, -math.pi / 2, 1.1)}
    if name in polygons:
        sides, rotation, scale = polygons[name]
        return f'<polygon points="{_polygon(x, y, r * scale, sides, rotation)}" {common}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {common}/>'


def _text(x: float, y: float, text: str, *, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="11" {_FONT}{weight} fill="#222222">{esc(text)}</text>'


def _line(x: float, y: float, stroke: str, dash: str = "", directed: bool = False) -> str:
    dash_attr = f' stroke-dasharray="{dash}" stroke-linecap="round"' if dash else ""
    out = (f'<line class="legend-line" x1="{x:.1f}" y1="{y:.1f}" x2="{x + 30:.1f}" y2="{y:.1f}" '
           f'stroke="{stroke}" stroke-width="2.2"{dash_attr}/>')
    if directed:
        out += (f'<polygon points="{x + 30:.1f},{y - 4:.1f} {x + 38:.1f},{y:.1f} {x + 30:.1f},{y + 4:.1f}" '
                f'fill="{stroke}"/>')
    return out


def legend(tie_types: list[str], kinds: list[Any], *, unlisted: bool, x: float, y: float) -> tuple[str, float]:
    """The legend as an SVG ``<g class="legend">`` at (x, y) and its height.

    ``tie_types`` and ``kinds`` are those drawn; an empty ``tie_types`` lists
    every vocabulary type.
    """
    types = tie_types or list(vocab().get("tie_types", {}))
    parts = [f'<g class="legend" transform="translate({x:.1f},{y:.1f})">',
             '<rect x="0" y="0" width="{w}" height="{h}" rx="6" fill="#fafafa" stroke="#dddddd"/>']
    cy = 20.0
    parts.append(_text(10, cy, "Tie types", bold=True))
    for tie_type in types:
        cy += 18
        directed = not tie_symmetric(tie_type)
        parts.append(_line(10, cy - 4, tie_colour(tie_type), directed=directed))
        parts.append(_text(54, cy, tie_label(tie_type)))
    cy += 26
    parts.append(_text(10, cy, "Evidence (dominant)", bold=True))
    for label, dash in (("asserted", ""), ("negated", DASHES["negated"]), ("predicted", DASHES["predicted"])):
        cy += 18
        parts.append(_line(10, cy - 4, "#555555", dash))
        parts.append(_text(54, cy, label))
    cy += 18
    parts.append(f'<circle cx="25" cy="{cy - 4:.1f}" r="7" fill="#ffffff" stroke="#555555"/>'
                 f'<text x="25" y="{cy:.1f}" font-size="10" text-anchor="middle" {_FONT} '
                 f'font-weight="bold" fill="#222222">?</text>')
    parts.append(_text(54, cy, "contested"))
    cy += 26
    parts.append(_text(10, cy, "Actors (size: mentions)", bold=True))
    for kind in kinds[:10]:
        cy += 20
        name, fill = kind_style(kind)
        parts.append(shape(name, 25, cy - 4, 6.5, fill))
        parts.append(_text(54, cy, kind_label(kind)))
    if unlisted:
        cy += 20
        parts.append(shape("circle", 25, cy - 4, 6.5, "#ffffff", ' stroke-dasharray="3 2"'))
        parts.append(_text(54, cy, "unlisted (NER only)"))
    height = cy + 14
    parts[1] = parts[1].format(w=LEGEND_WIDTH - 10, h=f"{height:.0f}")
    parts.append("</g>")
    return "".join(parts), height
