"""The network figure: an inline, self-contained SVG of actors and their ties.

Nodes are sized by mentions and shaped/filled by actor kind; edges are
coloured by tie type (vocabulary colours), carry an arrowhead when the type is
not symmetric, are dashed when the tie's dominant modality is negated and
dotted when predicted, and contested ties get a "?" mark. The layout is
:func:`khabar.present.layout.force_layout` (deterministic). Every string from
the data is escaped; ids and attributes are built from indices and validated
colours only.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from khabar.schema import vocab

from .layout import force_layout
from .legend import DASHES, LEGEND_WIDTH, kind_style, legend, shape
from .model import as_int, dominant_modality
from .text import esc, kind_label, ordered_tie_types, tie_colour, tie_label, tie_symmetric, truncate

__all__ = ["network_svg", "select_nodes", "MAX_NODES"]

MAX_NODES = 60
_MARGIN = 45.0
_FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'


def _endpoints(tie: dict[str, Any]) -> tuple[str, str]:
    return str(tie.get("subject") or ""), str(tie.get("object") or "")


def select_nodes(actors: list[dict], ties: list[dict], cap: int = MAX_NODES) -> list[dict[str, Any]]:
    """The actors to draw: those with ties, most mentioned first, at most ``cap``.

    An actor named by a tie but missing from ``actors`` becomes a node built from
    the tie's ``subject_name``/``object_name`` with no mentions.
    """
    by_id: dict[str, dict[str, Any]] = {}
    for actor in actors or []:
        if isinstance(actor, dict) and actor.get("id") is not None:
            by_id.setdefault(str(actor["id"]), actor)
    nodes: dict[str, dict[str, Any]] = {}
    for tie in ties or []:
        if not isinstance(tie, dict):
            continue
        for end, name_key in zip(_endpoints(tie), ("subject_name", "object_name"), strict=True):
            if not end or end in nodes:
                continue
            actor = by_id.get(end) or {"id": end, "name": tie.get(name_key) or end, "kind": None, "mentions": 0}
            nodes[end] = {
                "id": end,
                "name": actor.get("name") or end,
                "kind": actor.get("kind"),
                "mentions": as_int(actor.get("mentions")),
                "listed": actor.get("listed", True) is not False,
            }
    ordered = sorted(nodes.values(), key=lambda n: (-n["mentions"], n["id"]))
    return ordered[: max(0, cap)]


def _positions(nodes: list[dict], ties: list[dict], width: float, height: float) -> dict[str, tuple[float, float]]:
    ids = [n["id"] for n in nodes]
    unit = force_layout(ids, [_endpoints(t) for t in ties])
    span_x, span_y = max(1.0, width - 2 * _MARGIN), max(1.0, height - 2 * _MARGIN - 10)
    return {i: (_MARGIN + x * span_x, _MARGIN + y * span_y) for i, (x, y) in unit.items()}


def _separate(pos: dict[str, tuple[float, float]], radius: dict[str, float], width: float, height: float,
              pad: float = 14.0, rounds: int = 60) -> dict[str, tuple[float, float]]:
    """Push overlapping nodes apart (keeping them inside the drawing area), deterministically."""
    ids = list(pos)
    xy = {i: list(pos[i]) for i in ids}
    for _ in range(rounds):
        moved = False
        for a_index, a in enumerate(ids):
            for k, b in enumerate(ids[a_index + 1:], start=1):
                dx, dy = xy[b][0] - xy[a][0], xy[b][1] - xy[a][1]
                dist = math.hypot(dx, dy)
                need = radius[a] + radius[b] + pad
                if dist >= need:
                    continue
                if dist < 1e-6:  # same spot: separate along an angle fixed by the pair's indices
                    angle = (a_index * 7 + k * 13) % 360 * math.pi / 180
                    dx, dy, dist = math.cos(angle), math.sin(angle), 1.0
                push = (need - dist) / 2
                xy[a][0] -= dx / dist * push
                xy[a][1] -= dy / dist * push
                xy[b][0] += dx / dist * push
                xy[b][1] += dy / dist * push
                moved = True
        for i in ids:
            xy[i][0] = min(max(xy[i][0], _MARGIN), width - _MARGIN)
            xy[i][1] = min(max(xy[i][1], _MARGIN), height - _MARGIN - 10)
        if not moved:
            break
    return {i: (xy[i][0], xy[i][1]) for i in ids}


def _radius(mentions: int, most: int) -> float:
    return 7.0 if most <= 0 else 6.0 + 14.0 * math.sqrt(max(0, mentions) / most)


def _unit(dx: float, dy: float) -> tuple[float, float]:
    length = math.hypot(dx, dy)
    return (0.0, 0.0) if length < 1e-9 else (dx / length, dy / length)


def _edge_geometry(p0, p2, r0, r2, offset, canonical_flip) -> tuple[str, tuple[float, float]]:
    """Path data of a (possibly curved) edge trimmed to the node outlines, and its midpoint."""
    (x0, y0), (x2, y2) = p0, p2
    if math.hypot(x2 - x0, y2 - y0) < 1e-6:  # self-loop
        cx, cy = x0, y0 - r0
        d = f"M{x0 + r0 * 0.7:.1f},{y0 - r0 * 0.7:.1f} C{x0 + 45:.1f},{y0 - 60:.1f} {x0 - 45:.1f},{y0 - 60:.1f} " \
            f"{x0 - r0 * 0.7 - 2:.1f},{y0 - r0 * 0.7 - 2:.1f}"
        return d, (cx, cy - 38)
    ux, uy = _unit(x2 - x0, y2 - y0)
    px, py = (-uy, ux) if not canonical_flip else (uy, -ux)
    cx, cy = (x0 + x2) / 2 + px * offset, (y0 + y2) / 2 + py * offset
    sx, sy = _unit(cx - x0, cy - y0) if offset else (ux, uy)
    ex, ey = _unit(cx - x2, cy - y2) if offset else (-ux, -uy)
    start = (x0 + sx * r0, y0 + sy * r0)
    end = (x2 + ex * (r2 + 2), y2 + ey * (r2 + 2))
    d = f"M{start[0]:.1f},{start[1]:.1f} Q{cx:.1f},{cy:.1f} {end[0]:.1f},{end[1]:.1f}"
    mid = (0.25 * start[0] + 0.5 * cx + 0.25 * end[0], 0.25 * start[1] + 0.5 * cy + 0.25 * end[1])
    return d, mid


def _edge_title(tie: dict[str, Any], modality: str) -> str:
    parts = [f"{tie.get('subject_name') or tie.get('subject')} {tie_label(tie.get('type'))} "
             f"{tie.get('object_name') or tie.get('object')}",
             f"{as_int(tie.get('evidence'))} evidence, {as_int(tie.get('sources'))} independent sources",
             f"mostly {modality}"]
    if tie.get("contested"):
        parts.append("contested")
    return "; ".join(parts)


def _edges(ties, pos, radius, markers) -> list[str]:
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, tie in enumerate(ties):
        a, b = _endpoints(tie)
        groups[(min(a, b), max(a, b))].append(i)
    out = []
    for (low, _high), members in groups.items():
        for rank, i in enumerate(members):
            tie = ties[i]
            a, b = _endpoints(tie)
            offset = (rank - (len(members) - 1) / 2) * 26.0
            d, (mx, my) = _edge_geometry(pos[a], pos[b], radius[a], radius[b], offset, a != low)
            modality = dominant_modality(tie)
            colour = tie_colour(tie.get("type"))
            width = 1.2 + min(3.0, 0.8 * math.log2(1 + as_int(tie.get("evidence"))))
            attrs = f'd="{d}" fill="none" stroke="{colour}" stroke-width="{width:.1f}" stroke-opacity="0.85"'
            if modality in DASHES:
                attrs += f' stroke-dasharray="{DASHES[modality]}" stroke-linecap="round"'
            if tie.get("type") in markers:
                attrs += f' marker-end="url(#{markers[tie.get("type")]})"'
            contested = " contested" if tie.get("contested") else ""
            out.append(f'<g class="tie {modality}{contested}"><title>{esc(_edge_title(tie, modality))}</title>'
                       f'<path class="edge {modality}" {attrs}/>')
            if contested:
                out.append(f'<circle class="contested-mark" cx="{mx:.1f}" cy="{my:.1f}" r="7" fill="#ffffff" '
                           f'stroke="{colour}" stroke-width="1.5"/><text x="{mx:.1f}" y="{my + 3.5:.1f}" '
                           f'font-size="10" font-weight="bold" text-anchor="middle" {_FONT} '
                           f'fill="#222222">?</text>')
            out.append("</g>")
    return out


def _nodes(nodes, pos, radius) -> list[str]:
    out = []
    for node in nodes:
        x, y = pos[node["id"]]
        r = radius[node["id"]]
        name, fill = kind_style(node["kind"])
        extra = "" if node["listed"] else ' stroke-dasharray="3 2"'
        label = truncate(" ".join(str(node["name"]).split()), 24)
        title = f"{node['name']} ({kind_label(node['kind'])}), {node['mentions']} mentions"
        if not node["listed"]:
            title += ", unlisted"
        out.append(f'<g class="node"><title>{esc(title)}</title>{shape(name, x, y, r, fill, extra)}'
                   f'<text x="{x:.1f}" y="{y + r + 12:.1f}" font-size="11" text-anchor="middle" {_FONT} '
                   f'fill="#111111" stroke="#ffffff" stroke-width="3" paint-order="stroke">{esc(label)}</text></g>')
    return out


def _markers(types: list[str]) -> tuple[str, dict[str, str]]:
    ids, defs = {}, []
    for i, tie_type in enumerate(t for t in types if not tie_symmetric(t)):
        ids[tie_type] = f"khabar-arrow-{i}"
        defs.append(f'<marker id="khabar-arrow-{i}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" '
                    f'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
                    f'<path d="M0,0 L10,5 L0,10 z" fill="{tie_colour(tie_type)}"/></marker>')
    return "<defs>" + "".join(defs) + "</defs>", ids


def network_svg(actors: list[dict], ties: list[dict], width: int = 900, height: int = 640) -> str:
    """The network as one standalone ``<svg>`` element (no scripts, no external resources).

    Draws at most :data:`MAX_NODES` actors (the most mentioned among those with
    ties); a tie is drawn when both its ends are drawn, one ``<path class="edge">``
    per tie.
    """
    ties = [t for t in ties or [] if isinstance(t, dict) and all(_endpoints(t))]
    nodes = select_nodes(actors, ties)
    drawn = {n["id"] for n in nodes}
    shown = [t for t in ties if set(_endpoints(t)) <= drawn]
    area_w = max(200.0, float(width) - LEGEND_WIDTH)
    pos = _positions(nodes, shown, area_w, float(height))
    most = max((n["mentions"] for n in nodes), default=0)
    radius = {n["id"]: _radius(n["mentions"], most) for n in nodes}
    pos = _separate(pos, radius, area_w, float(height))
    types = ordered_tie_types(sorted({str(t.get("type")) for t in shown}))
    defs, markers = _markers(types)
    kind_order = list(vocab().get("actor_kinds", []))
    kinds = sorted({n["kind"] for n in nodes}, key=lambda k: (k not in kind_order,
                   kind_order.index(k) if k in kind_order else 0, str(k)))
    legend_svg, legend_h = legend(types, kinds, unlisted=any(not n["listed"] for n in nodes),
                                  x=area_w, y=10)
    total_h = max(float(height), legend_h + 20)
    total_w = area_w + LEGEND_WIDTH
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="khabar-network" width="{total_w:.0f}" '
             f'height="{total_h:.0f}" viewBox="0 0 {total_w:.0f} {total_h:.0f}" role="img" '
             f'aria-label="Network of actors and ties">',
             "<title>Network of actors and ties</title>", defs,
             f'<rect x="0" y="0" width="{total_w:.0f}" height="{total_h:.0f}" fill="#ffffff"/>']
    if not nodes:
        parts.append(f'<text x="{area_w / 2:.0f}" y="{total_h / 2:.0f}" font-size="14" text-anchor="middle" '
                     f'{_FONT} fill="#666666">No ties to draw.</text>')
    parts.append('<g class="edges">' + "".join(_edges(shown, pos, radius, markers)) + "</g>")
    parts.append('<g class="nodes">' + "".join(_nodes(nodes, pos, radius)) + "</g>")
    note = _note(len(nodes), len({e for t in ties for e in _endpoints(t)}), len(shown), len(ties))
    if note:
        parts.append(f'<text x="10" y="{total_h - 10:.0f}" font-size="11" {_FONT} fill="#666666">{esc(note)}</text>')
    parts.append(legend_svg)
    parts.append("</svg>")
    return "".join(parts)


def _note(nodes: int, candidates: int, edges: int, ties: int) -> str:
    if nodes >= candidates:
        return ""
    return f"Showing the {nodes} most-mentioned of {candidates} actors with ties ({edges} of {ties} ties)."
