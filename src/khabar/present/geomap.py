"""The event map: an inline, self-contained SVG of where events happened.

Projection: equirectangular with its standard parallel at the middle of the
view (x = lon * cos(mid latitude), y = lat), fitted to the events' points with a
margin. A single point (or a tight cluster) never fills the frame: the view is
at least :data:`MIN_EXTENT` degrees wide and tall. When every point lies in or
near Afghanistan and Pakistan the view is the :data:`AFPAK_FRAME` (grown to
hold the points), so briefs on the region share one familiar framing.

Rings that cross the antimeridian (Russia's, Fiji's: a step from 179.9 to -179.9) are
unwrapped into continuous longitudes, a ring around a pole is closed along the pole, and
every ring is also drawn one turn of the globe east and west where the view reaches past
180 degrees: no outline ever draws a stripe across the world. Points, too, are moved a turn
east when that brings a set of places spanning the antimeridian together. A point at
exactly 0, 0 (a missing position written as zeros) is no position.

A small frame is grown to the countries its points are in (when such a country is not
larger than :data:`REGION_EXTENT`): a map of one event shows its country around it, never an
empty square of sea or desert.

Country outlines come from ``khabar/data/outlines.json`` (``{"source": ...,
"countries": {"AF": {"name": ..., "rings": [[[lon, lat], ...], ...]}}}``),
read once by :func:`load_outlines`; a caller (a test) may pass its own dict.
Only countries whose bounding box meets the view are drawn, their rings
clipped to the view. Without outlines the points sit on a labelled lat/lon
graticule.

One circle per place, its area proportional to the number of events there,
filled with the colour of the dominant event type. Events located only to a
country (``geo_precision`` 4) are hollow circles: their point is a centroid,
not a place. Events without coordinates are counted in the caption. Every
string from the data is escaped.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from importlib import resources
from typing import Any

from .model import as_float, as_int, event_colour, event_dicts, ordered_event_types, place_label
from .text import esc, truncate

__all__ = ["event_map_svg", "load_outlines", "country_name", "place_groups", "map_frame", "unwrap_ring",
           "AFPAK_FRAME", "MIN_EXTENT", "REGION_EXTENT"]

# (west, south, east, north) in degrees: Afghanistan and Pakistan with a small margin.
AFPAK_FRAME = (59.5, 23.0, 78.5, 39.0)
MIN_EXTENT = (8.0, 6.0)  # smallest view, degrees of longitude and latitude
REGION_EXTENT = (40.0, 30.0)  # the largest country a small frame grows to show whole
_NEAR = 1.5  # degrees: points this close outside AFPAK_FRAME still get that framing
_CAPTION_H = 46.0
_MAX_LABELS = 6  # country names
_MAX_PLACE_LABELS = 8  # names of the places with most events
_FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'
_URL = re.compile(r"\(?\b(?:https?|ftp)://\S+\)?", re.IGNORECASE)

Ring = list[tuple[float, float]]
Box = tuple[float, float, float, float]


@functools.cache
def load_outlines() -> dict[str, Any] | None:
    """The country outlines shipped in ``khabar/data/outlines.json`` (``None`` if missing or malformed)."""
    try:
        text = resources.files("khabar.data").joinpath("outlines.json").read_text("utf-8")
        data = json.loads(text)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("countries"), dict) else None


def country_name(code: Any) -> str:
    """The country's name from the outlines file, or the code itself."""
    data = load_outlines()
    entry = (data or {}).get("countries", {}).get(str(code)) if code else None
    name = entry.get("name") if isinstance(entry, dict) else None
    return str(name) if name else ("" if code is None else str(code))


def unwrap_ring(points: Ring) -> Ring:
    """A ring whose longitudes step across the antimeridian (179.9 to -179.9) with continuous
    longitudes instead (179.9 to 180.1), so that no edge runs the width of the world; a ring
    that goes once around a pole (its longitudes gain or lose a whole turn) is closed along
    the pole. A ring that crosses nothing is returned as it is."""
    if not any(abs(b[0] - a[0]) > 180 for a, b in zip(points, points[1:] + points[:1], strict=True)):
        return points
    out = [points[0]]
    shift = 0.0
    for (lon0, _), (lon1, lat1) in zip(points, points[1:], strict=False):
        step = lon1 - lon0
        if step > 180:
            shift -= 360
        elif step < -180:
            shift += 360
        out.append((lon1 + shift, lat1))
    drift = out[-1][0] - out[0][0]
    if abs(drift) > 180:  # around a pole: close the ring along it, on the side the ring is on
        pole = 90.0 if sum(p[1] for p in out) > 0 else -90.0
        out += [(out[-1][0], pole), (out[0][0], pole)]
    return out


def _rings(value: Any) -> list[Ring]:
    """The rings of an outline with valid points only (a ring of fewer than 3 is dropped),
    each unwrapped across the antimeridian (:func:`unwrap_ring`)."""
    rings = []
    for ring in value if isinstance(value, list) else []:
        points = []
        for point in ring if isinstance(ring, list) else []:
            if isinstance(point, (list, tuple)) and len(point) >= 2:
                lon, lat = as_float(point[0]), as_float(point[1])
                if lon is not None and lat is not None and -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0:
                    points.append((lon, lat))
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) >= 3:
            rings.append(unwrap_ring(points))
    return rings


def _countries(outlines: Any) -> dict[str, dict[str, Any]]:
    """code -> {"name", "rings", "bbox"} from an outlines dict (``{"countries": {...}}`` or the mapping itself)."""
    if not isinstance(outlines, dict):
        return {}
    mapping = outlines.get("countries") if isinstance(outlines.get("countries"), dict) else outlines
    out = {}
    for code, entry in mapping.items():
        if not isinstance(entry, dict):
            continue
        rings = _rings(entry.get("rings"))
        if not rings:
            continue
        lons = [p[0] for r in rings for p in r]
        lats = [p[1] for r in rings for p in r]
        out[str(code)] = {"name": str(entry.get("name") or code), "rings": rings,
                          "bbox": (min(lons), min(lats), max(lons), max(lats))}
    return out


@functools.cache
def _default_countries() -> dict[str, dict[str, Any]]:
    return _countries(load_outlines())


def _point(event: dict[str, Any]) -> tuple[float, float] | None:
    lat, lon = as_float(event.get("lat")), as_float(event.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lon, lat


def place_groups(events: Any) -> tuple[list[dict[str, Any]], int]:
    """The places to draw (one per place and precision class) and the number of events without coordinates.

    Each place: ``lon``, ``lat``, ``name``, ``count``, ``types`` (Counter),
    ``fatalities`` (sum of best figures), ``country_level`` (geo_precision 4),
    ``country`` (ISO2 or ``None``) and ``type`` (the dominant event type).
    """
    places: dict[tuple[str, bool], dict[str, Any]] = {}
    missing = 0
    for event in event_dicts(events):
        point = _point(event)
        if point is None:
            missing += 1
            continue
        country_level = as_int(event.get("geo_precision")) == 4
        key_name = event.get("place") or event.get("location") or f"{point[0]:.2f},{point[1]:.2f}"
        key = (str(key_name), country_level)
        place = places.get(key)
        if place is None:
            name = place_label(event) or f"{point[1]:.2f}, {point[0]:.2f}"
            place = places[key] = {"lon": point[0], "lat": point[1], "name": name, "count": 0,
                                   "types": Counter(), "fatalities": 0, "country_level": country_level,
                                   "country": event.get("country")}
        place["count"] += 1
        place["types"][str(event.get("type") or "unknown")] += 1
        place["fatalities"] += max(0, as_int(event.get("fatalities")))
    groups = list(places.values())
    for place in groups:
        order = ordered_event_types(place["types"])
        place["type"] = max(order, key=lambda t: (place["types"][t], -order.index(t)))
    groups.sort(key=lambda p: (-p["count"], p["name"]))
    return groups, missing


class _View:
    """An equirectangular view: degrees to pixels inside the map area."""

    def __init__(self, frame: tuple[float, float, float, float], width: float, height: float) -> None:
        west, south, east, north = frame
        self.cos = max(0.2, math.cos(math.radians((south + north) / 2)))
        scale = min(width / ((east - west) * self.cos), height / (north - south))
        self.kx, self.ky = scale * self.cos, scale
        extra_lon = (width / self.kx - (east - west)) / 2
        extra_lat = (height / self.ky - (north - south)) / 2
        self.west, self.east = west - extra_lon, east + extra_lon
        self.south, self.north = south - extra_lat, north + extra_lat
        self.width, self.height = width, height

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.kx, (self.north - lat) * self.ky

    def meets(self, bbox: tuple[float, float, float, float]) -> bool:
        west, south, east, north = bbox
        return west <= self.east and east >= self.west and south <= self.north and north >= self.south


def _across_antimeridian(points: list[tuple[float, float]]) -> bool:
    """Whether the points sit closer together with the western ones moved a turn east (a set
    of places on both sides of 180 degrees: Fiji, Chukotka and Alaska)."""
    if not points:
        return False
    lons = [p[0] for p in points]
    moved = [lon + 360 if lon < 0 else lon for lon in lons]
    return max(moved) - min(moved) < max(lons) - min(lons)


def map_frame(points: list[tuple[float, float]], countries: dict[str, dict[str, Any]] | None = None,
              codes: Any = ()) -> tuple[float, float, float, float]:
    """The (west, south, east, north) the map shows for ``points`` (lon, lat): the AfPak frame
    for points there, else the points' box with margins, at least :data:`MIN_EXTENT`, grown to
    hold the countries named by ``codes`` (ISO2, outlines in ``countries``) that are no larger
    than :data:`REGION_EXTENT`, so one event shows its country around it."""
    frame = _frame(points)
    if frame == AFPAK_FRAME or not countries:
        return frame
    west, south, east, north = frame
    for code in sorted({str(c) for c in codes if c}):
        box = countries.get(code, {}).get("bbox")
        if not box or box[2] - box[0] > REGION_EXTENT[0] or box[3] - box[1] > REGION_EXTENT[1]:
            continue
        # the country where the points are: as stored, or a turn of the globe east or west of it
        near = [(box[0] + t, box[1], box[2] + t, box[3]) for t in (0.0, 360.0, -360.0)
                if box[0] + t <= east + REGION_EXTENT[0] and box[2] + t >= west - REGION_EXTENT[0]
                and box[1] <= north + REGION_EXTENT[1] and box[3] >= south - REGION_EXTENT[1]]
        if not near:
            continue  # a code that does not fit the points (a wrong country code) does not stretch the map
        bw, bs, be, bn = near[0]
        west, south, east, north = min(west, bw - 0.5), min(south, bs - 0.5), max(east, be + 0.5), max(north, bn + 0.5)
    return west, max(-89.0, south), east, min(89.0, north)


def _frame(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The part of the world to show: the AfPak frame for points there, else the points' box with margins."""
    if not points:
        return AFPAK_FRAME
    if _across_antimeridian(points):
        points = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    fw, fs, fe, fn = AFPAK_FRAME
    if west >= fw - _NEAR and east <= fe + _NEAR and south >= fs - _NEAR and north <= fn + _NEAR:
        return min(fw, west - 0.5), min(fs, south - 0.5), max(fe, east + 0.5), max(fn, north + 0.5)
    margin_lon = max(1.0, 0.12 * (east - west))
    margin_lat = max(1.0, 0.12 * (north - south))
    west, east, south, north = west - margin_lon, east + margin_lon, south - margin_lat, north + margin_lat
    if east - west < MIN_EXTENT[0]:
        mid = (east + west) / 2
        west, east = mid - MIN_EXTENT[0] / 2, mid + MIN_EXTENT[0] / 2
    if north - south < MIN_EXTENT[1]:
        mid = (north + south) / 2
        south, north = mid - MIN_EXTENT[1] / 2, mid + MIN_EXTENT[1] / 2
    if north > 89.0:
        south, north = south - (north - 89.0), 89.0
    if south < -89.0:
        south, north = -89.0, north + (-89.0 - south)
    return west, max(-89.0, south), east, min(89.0, north)


def _clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clipping of a ring to a lon/lat box."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    )
    points = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    for inside, cross in edges:
        if not points:
            break
        out: Ring = []
        prev = points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
        points = out
    return points if len(points) >= 3 else []


def _cross_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0]) if b[0] != a[0] else 0.0
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1]) if b[1] != a[1] else 0.0
    return a[0] + t * (b[0] - a[0]), y


def _area_centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a pixel polygon (shoelace)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


Label = tuple[float, str, float, float]


def _outlines(countries: dict[str, dict[str, Any]], view: _View) -> tuple[list[str], list[Label]]:
    """Country paths clipped to the view, and label candidates (area, name, x, y). Each ring is
    drawn where it is and, when the view reaches past 180 degrees east or west, a turn of the
    globe away, so the land on the far side of the antimeridian is there too."""
    pad_lon = (view.east - view.west) * 0.02
    pad_lat = (view.north - view.south) * 0.02
    box = (view.west - pad_lon, view.south - pad_lat, view.east + pad_lon, view.north + pad_lat)
    turns = (0.0, -360.0, 360.0)
    paths, labels = [], []
    for code in sorted(countries):
        country = countries[code]
        shifted = [(t, (country["bbox"][0] + t, country["bbox"][1], country["bbox"][2] + t, country["bbox"][3]))
                   for t in turns]
        shifted = [(t, b) for t, b in shifted if view.meets(b)]
        if not shifted:
            continue
        subpaths, best = [], (0.0, 0.0, 0.0)
        total = 0.0
        for ring, turn in ((r, t) for t, _ in shifted for r in country["rings"]):
            clipped = _clip([(lon + turn, lat) for lon, lat in ring] if turn else ring, box)
            if not clipped:
                continue
            pixels: list[tuple[float, float]] = []
            for lon, lat in clipped:
                x, y = view.xy(lon, lat)
                if not pixels or abs(x - pixels[-1][0]) + abs(y - pixels[-1][1]) >= 0.7:
                    pixels.append((x, y))
            if len(pixels) < 3:
                continue
            subpaths.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pixels) + " Z")
            area, cx, cy = _area_centroid(pixels)
            total += area
            if area > best[0]:
                best = (area, cx, cy)
        if subpaths:
            paths.append(f'<path class="country" d="{" ".join(subpaths)}"><title>{esc(country["name"])}</title></path>')
            labels.append((total, country["name"], best[1], best[2]))
    return paths, labels


def _overlaps(box: Box, boxes: list[Box]) -> bool:
    return any(box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1] for b in boxes)


def _country_labels(candidates: list[Label], view: _View, taken: list[Box]) -> list[str]:
    """Labels for the largest countries in view (at least 3% of the map), clear of circles where possible."""
    out, boxes = [], []
    minimum = 0.03 * view.width * view.height
    for area, name, cx, cy in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if area < minimum or len(out) >= _MAX_LABELS:
            break
        text = truncate(" ".join(name.split()).upper(), 22)
        half = len(text) * 4.2
        x = min(max(cx, half + 4), view.width - half - 4)
        spots = [min(max(cy + dy, 16.0), view.height - 8) for dy in (0, 26, -26, 52, -52, 78, -78)]
        clear = [y for y in spots if not _overlaps((x - half, y - 12, x + half, y + 4), boxes)]
        if not clear:
            continue  # would sit on another country's name
        free = [y for y in clear if not _overlaps((x - half, y - 12, x + half, y + 4), taken)]
        y = (free or clear)[0]
        boxes.append((x - half, y - 12, x + half, y + 4))
        out.append(f'<text class="country-label" x="{x:.1f}" y="{y:.1f}" font-size="12" letter-spacing="1.5" '
                   f'text-anchor="middle" {_FONT} fill="#8a8a8a">{esc(text)}</text>')
    return out


def _step(extent: float) -> float:
    for step in (1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 45.0):
        if extent / step <= 8:
            return step
    return 90.0


def _graticule(view: _View, labelled: bool) -> list[str]:
    """Meridians and parallels (labelled along the edges when there are no outlines)."""
    out = []
    step = _step(max(view.east - view.west, view.north - view.south))
    lon = math.ceil(view.west / step) * step
    while lon <= view.east:
        x, _ = view.xy(lon, 0)
        out.append(f'<line class="graticule" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{view.height:.1f}"/>')
        if labelled:
            label = f"{abs(lon):g}\u00b0{'E' if lon > 0 else 'W' if lon < 0 else ''}"
            out.append(f'<text x="{x + 3:.1f}" y="{view.height - 4:.1f}" font-size="10" {_FONT} '
                       f'fill="#999999">{label}</text>')
        lon += step
    lat = math.ceil(view.south / step) * step
    while lat <= view.north:
        _, y = view.xy(0, lat)
        out.append(f'<line class="graticule" x1="0" y1="{y:.1f}" x2="{view.width:.1f}" y2="{y:.1f}"/>')
        if labelled:
            label = f"{abs(lat):g}\u00b0{'N' if lat > 0 else 'S' if lat < 0 else ''}"
            out.append(f'<text x="4" y="{y - 3:.1f}" font-size="10" {_FONT} fill="#999999">{label}</text>')
        lat += step
    return out


def _radius_scale(most: int) -> float:
    """Pixels per sqrt(event): 5 px for one event, the largest circle at most 26 px."""
    return min(5.0, 26.0 / math.sqrt(max(1, most)))


def _place_title(place: dict[str, Any]) -> str:
    order = ordered_event_types(place["types"])
    types = ", ".join(f"{place['types'][t]} {t}" for t in order)
    count = place["count"]
    text = f"{place['name']}: {count} event{'s' if count != 1 else ''} ({types})"
    if place["fatalities"]:
        text += f"; {place['fatalities']} fatalities"
    if place["country_level"]:
        text += "; located only to the country (the point is its centroid)"
    return text


def _place_label(name: str, x: float, y: float, r: float, boxes: list[Box]) -> str:
    """A label right, left, above or below the circle, wherever it hides no other circle or label ("" if none)."""
    w = 6.2 * len(name) + 2
    spots = ((x + r + 3, y + 4, "start"), (x - r - 3, y + 4, "end"), (x, y - r - 4, "middle"),
             (x, y + r + 12, "middle"))
    for tx, ty, anchor in spots:
        left = tx if anchor == "start" else tx - w if anchor == "end" else tx - w / 2
        box = (left, ty - 11, left + w, ty + 1)
        if _overlaps(box, boxes):
            continue
        boxes.append(box)
        return (f'<text class="place-label" x="{tx:.1f}" y="{ty:.1f}" font-size="11" text-anchor="{anchor}" {_FONT} '
                f'fill="#222222" stroke="#ffffff" stroke-width="3" paint-order="stroke">{esc(name)}</text>')
    return ""


def _places(places: list[dict[str, Any]], view: _View) -> tuple[list[str], list[str], list[Box]]:
    """Circles (largest first, so small ones stay visible on top) and name labels for the busiest places."""
    k = _radius_scale(max((p["count"] for p in places), default=1))
    circles, labels = [], []
    ordered = sorted(places, key=lambda p: (-p["count"], p["name"]))
    geometry = [(*view.xy(p["lon"], p["lat"]), max(3.5, k * math.sqrt(p["count"]))) for p in ordered]
    boxes = [(x - r, y - r, x + r, y + r) for x, y, r in geometry]
    for rank, (place, (x, y, r)) in enumerate(zip(ordered, geometry, strict=True)):
        colour = event_colour(place["type"])
        if place["country_level"]:
            cls = "place country-level"
            style = f'fill="#ffffff" fill-opacity="0.35" stroke="{colour}" stroke-width="2.2"'
        else:
            cls, style = "place", f'fill="{colour}" fill-opacity="0.8" stroke="#ffffff" stroke-width="1"'
        circles.append(f'<g class="{cls}" data-events="{place["count"]}"><title>{esc(_place_title(place))}</title>'
                       f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/></g>')
        if rank < _MAX_PLACE_LABELS and not place["country_level"]:
            name = truncate(" ".join(str(place["name"]).split("(")[0].split()), 20)
            label = _place_label(name, x, y, r, boxes)
            if label:
                labels.append(label)
    return circles, labels, boxes


def _caption(places: list[dict[str, Any]], missing: int, source: str, width: float, y: float) -> list[str]:
    """The legend band under the map: event types, symbols, events without a place, outline source."""
    out = [f'<g class="caption" transform="translate(0,{y:.1f})">',
           f'<rect x="0" y="0" width="{width:.0f}" height="{_CAPTION_H:.0f}" fill="#fafafa"/>']
    x = 10.0
    types = ordered_event_types({p["type"] for p in places})
    for event_type in types:
        out.append(f'<circle cx="{x + 5:.1f}" cy="14" r="5" fill="{event_colour(event_type)}"/>'
                   f'<text x="{x + 14:.1f}" y="18" font-size="11" {_FONT} fill="#222222">{esc(event_type)}</text>')
        x += 24 + 6.5 * len(event_type)
    line2 = [f'<circle cx="15" cy="34" r="5" fill="#777777" fill-opacity="0.8"/>'
             f'<text x="24" y="38" font-size="11" {_FONT} fill="#444444">place (town to province)</text>',
             '<circle cx="185" cy="34" r="5" fill="#ffffff" stroke="#777777" stroke-width="2"/>'
             f'<text x="194" y="38" font-size="11" {_FONT} fill="#444444">country only (centroid)</text>'
             f'<text x="345" y="38" font-size="11" {_FONT} fill="#444444">area: number of events; '
             "colour: most frequent type</text>"]
    out += line2
    notes = []
    if missing:
        notes.append(f"{missing} event{'s have' if missing != 1 else ' has'} no place")
    if source:
        notes.append(f"outlines: {truncate(source, 60)}")
    if notes:
        note = " \u00b7 ".join(notes)
        out.append(f'<text class="note" x="{width - 10:.0f}" y="18" font-size="11" text-anchor="end" {_FONT} '
                   f'fill="#555555">{esc(note)}</text>')
    out.append("</g>")
    return out


def event_map_svg(events: Any, outlines: dict[str, Any] | None = None, *, width: int = 900,
                  height: int = 560) -> str:
    """The events on a map as one standalone ``<svg>`` element ("" when there are no events).

    ``outlines`` is an outlines dict in the format of ``data/outlines.json``;
    by default that file is read (and if it is missing, only a graticule is drawn).
    One ``<g class="place">`` per place; its ``data-events`` is the number of events there.
    """
    events = event_dicts(events)
    if not events:
        return ""
    if outlines is None:
        countries = _default_countries()
        source = str((load_outlines() or {}).get("source") or "")
    else:
        countries = _countries(outlines)
        source = str(outlines.get("source") or "") if isinstance(outlines, dict) else ""
    source = " ".join(_URL.sub("", source).split())
    places, missing = place_groups(events)
    if _across_antimeridian([(p["lon"], p["lat"]) for p in places]):
        for p in places:  # the places on both sides of 180 degrees, drawn side by side
            p["lon"] = p["lon"] + 360 if p["lon"] < 0 else p["lon"]
    map_h = max(120.0, float(height) - _CAPTION_H)
    width_f = max(200.0, float(width))
    view = _View(map_frame([(p["lon"], p["lat"]) for p in places], countries, [p.get("country") for p in places]),
                 width_f, map_h)
    paths, candidates = _outlines(countries, view)
    circles, place_labels, taken = _places(places, view)
    total_h = map_h + _CAPTION_H
    sea = "#dfeaf2" if paths else "#ffffff"
    located = sum(p["count"] for p in places)
    label = f"Map of {located} located events at {len(places)} places"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="khabar-map" width="{width_f:.0f}" '
             f'height="{total_h:.0f}" viewBox="0 0 {width_f:.0f} {total_h:.0f}" role="img" '
             f'aria-label="{esc(label)}">', f"<title>{esc(label)}</title>",
             f'<defs><clipPath id="khabar-map-clip"><rect x="0" y="0" width="{width_f:.0f}" '
             f'height="{map_h:.0f}"/></clipPath></defs>',
             f'<rect x="0" y="0" width="{width_f:.0f}" height="{map_h:.0f}" fill="{sea}"/>',
             '<g clip-path="url(#khabar-map-clip)">',
             '<g class="countries" fill="#f4f1ea" stroke="#a8a29a" stroke-width="0.8" stroke-linejoin="round">',
             *paths, "</g>",
             '<g class="graticules" stroke="#c9d3db" stroke-width="0.5" stroke-dasharray="2 3">',
             *_graticule(view, labelled=not paths), "</g>",
             *_country_labels(candidates, view, taken),
             *place_labels, '<g class="places">', *circles, "</g>", "</g>",
             f'<rect x="0.5" y="0.5" width="{width_f - 1:.0f}" height="{map_h - 1:.0f}" fill="none" stroke="#cccccc"/>']
    if not places:
        parts.append(f'<text x="{width_f / 2:.0f}" y="{map_h / 2:.0f}" font-size="14" text-anchor="middle" {_FONT} '
                     'fill="#666666">No event has coordinates.</text>')
    parts += _caption(places, missing, source, width_f, map_h)
    parts.append("</svg>")
    return "".join(parts)
