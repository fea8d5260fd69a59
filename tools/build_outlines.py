"""Build ``src/khabar/data/outlines.json``: simplified country outlines for the offline map.

A one-off developer script, never run by khabar itself. It takes Natural Earth's
admin-0 countries at 1:50m (public domain) from the npm package ``world-atlas``
(TopoJSON), decodes the arcs, keeps the outer ring of every polygon, simplifies
each ring with Douglas-Peucker, rounds to 0.01 degree and writes

    {"source": "...", "countries": {"AF": {"name": "Afghanistan", "rings": [[[lon, lat], ...], ...]}, ...}}

Usage::

    python tools/build_outlines.py                       # fetches world-atlas with `npm pack`
    python tools/build_outlines.py --tarball world-atlas-2.0.2.tgz

Country codes come from the ISO numeric ids of the TopoJSON through the
``countrystatecity_countries`` package; names from ``data/places.yaml``.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml

PACKAGE = "world-atlas"
VERSION = "2.0.2"
MEMBER = "package/countries-50m.json"
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/khabar/data/outlines.json"
PLACES = ROOT / "src/khabar/data/places.yaml"

# Natural Earth features without an ISO numeric id: where each one goes.
UNNAMED = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK"}
SKIP = {"AQ"}  # Antarctica: large, and never on a map of these groups

Point = tuple[float, float]


def fetch_tarball(dest: Path) -> Path:
    """Download the package tarball from the npm registry with ``npm pack``."""
    cmd = ["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(dest)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    found = sorted(dest.glob(f"{PACKAGE}-*.tgz"))
    if not found:
        raise SystemExit(f"npm pack left no {PACKAGE} tarball in {dest}")
    return found[0]


def read_topology(tarball: Path) -> dict:
    """The countries TopoJSON inside the package tarball."""
    with tarfile.open(tarball, "r:gz") as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{MEMBER} is not in {tarball}")
        return json.load(member)


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute lon/lat points of every arc (undoing the delta encoding and quantisation)."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Join the arcs of one ring; a negative index ``~i`` is arc ``i`` reversed."""
    ring: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def outer_rings(geometry: dict, arcs: list[list[Point]]) -> list[list[Point]]:
    """The outer ring of each polygon of a Polygon or MultiPolygon geometry."""
    if geometry.get("type") == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return []
    return [ring_points(polygon[0], arcs) for polygon in polygons if polygon]


def _offset(p: Point, a: Point, b: Point) -> float:
    """Distance from ``p`` to the segment ``a``-``b`` (plain degrees)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    span = dx * dx + dy * dy
    if span == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / span))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Simplify an open polyline, keeping both ends (iterative, no recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_at = 0.0, -1
        for i in range(first + 1, last):
            d = _offset(points[i], points[first], points[last])
            if d > worst:
                worst, worst_at = d, i
        if worst_at >= 0 and worst > tolerance:
            keep[worst_at] = True
            stack.append((first, worst_at))
            stack.append((worst_at, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list[Point], tolerance: float) -> list[Point]:
    """Simplify a closed ring: split it at the point farthest from its start, simplify both halves."""
    if ring and ring[0] != ring[-1]:
        ring = [*ring, ring[0]]
    if len(ring) < 5:
        return ring
    start = ring[0]
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - start[0], ring[i][1] - start[1]))
    first = douglas_peucker(ring[: far + 1], tolerance)
    second = douglas_peucker(ring[far:], tolerance)
    return first + second[1:]


def rounded(ring: list[Point]) -> list[list[float]]:
    """Round to 0.01 degree, drop repeated points and close the ring."""
    out: list[list[float]] = []
    for lon, lat in ring:
        p = [round(lon, 2), round(lat, 2)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def area(ring: list[list[float]] | list[Point]) -> float:
    """Absolute planar area of a ring in square degrees (shoelace)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def country_codes() -> tuple[dict[str, str], dict[str, str]]:
    """ISO 3166-1 numeric -> alpha-2, and alpha-2 -> name, from the countrystatecity package."""
    from countrystatecity_countries import get_countries

    countries = get_countries()
    return {c.numeric_code: c.iso2 for c in countries if c.numeric_code}, {c.iso2: c.name for c in countries}


def place_names() -> dict[str, str]:
    """ISO alpha-2 -> canonical country name from data/places.yaml (empty if the file is not there)."""
    if not PLACES.exists():
        return {}
    data = yaml.safe_load(PLACES.read_text(encoding="utf-8"))
    return {str(p["country"]): p["name"] for p in data["places"] if p.get("kind") == "country"}


def build(topology: dict, tolerance: float, min_area: float) -> dict[str, dict]:
    """code -> {"name", "rings"} for every country of the topology."""
    arcs = decode_arcs(topology)
    codes, names = country_codes()
    names.update(place_names())
    countries: dict[str, dict] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        ne_name = (geometry.get("properties") or {}).get("name", "")
        code = codes.get(str(geometry.get("id"))) if geometry.get("id") else UNNAMED.get(ne_name)
        if not code or code in SKIP:
            continue
        entry = countries.setdefault(code, {"name": names.get(code, ne_name), "rings": [], "_raw": []})
        entry["_raw"].extend(outer_rings(geometry, arcs))
    for entry in countries.values():
        raw = sorted(entry.pop("_raw"), key=area, reverse=True)
        for i, ring in enumerate(raw):
            simple = rounded(simplify_ring(ring, tolerance))
            if i == 0 and len(simple) < 4:  # a small country: keep its main ring at full detail
                simple = rounded(ring)
            if len(simple) < 4 or (i > 0 and area(simple) < min_area):
                continue
            entry["rings"].append(simple)
    return {code: countries[code] for code in sorted(countries) if countries[code]["rings"]}


def source_text(tolerance: float) -> str:
    return (
        f"Natural Earth 1:50m admin-0 countries v4.1.0 (public domain), from the npm package {PACKAGE}@{VERSION} "
        f"(ISC licence, Mike Bostock), countries-50m.json; outer rings only, Douglas-Peucker at {tolerance} degree, "
        "rounded to 0.01 degree, small islands dropped; Somaliland shown within SO, N. Cyprus within CY; "
        "built by tools/build_outlines.py"
    )


def write(countries: dict[str, dict], out: Path, tolerance: float) -> int:
    """Write the file, one country a line; returns its size in bytes."""
    lines = [f'{{"source": {json.dumps(source_text(tolerance))},', '"countries": {']
    items = [f"{json.dumps(code)}: {json.dumps(entry, separators=(',', ':'), ensure_ascii=False)}"
             for code, entry in countries.items()]
    lines.append(",\n".join(items))
    lines.append("}}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="a world-atlas .tgz already on disk (else: npm pack)")
    parser.add_argument("--tolerance", type=float, default=0.08, help="Douglas-Peucker tolerance in degrees")
    parser.add_argument("--min-area", type=float, default=0.01, help="drop islands smaller than this (deg²)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch_tarball(Path(tmp))
        topology = read_topology(tarball)
    countries = build(topology, args.tolerance, args.min_area)
    size = write(countries, args.out, args.tolerance)
    points = sum(len(r) for c in countries.values() for r in c["rings"])
    print(f"{len(countries)} countries, {points} points, {size / 1024:.0f} KiB -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
