"""The event timeline: an inline, self-contained SVG of when events happened.

x is time, one mark per event, coloured by event type (fixed colours,
:data:`khabar.present.model.EVENT_COLOURS`, with a legend). An event dated to
one day is a dot; an event known only to a month, season or year, or to a
range of days, is a translucent bar across every day it may have happened on,
so a coarse date looks coarse. Marks are packed into rows so they do not
overlap (greedy interval packing, rows capped; past the cap a mark goes to the
row that frees up first, and may overlap).

Long spans: when the dates span more than two years, the figure has two
panels on linear axes rather than one compressed axis (a broken or log-like
axis distorts durations, and bars of coarse dates would lie). The top panel
is an overview of the whole range (year ticks) with the window of the lower
panel shaded; the lower panel zooms into the last 12 months of the data (month
ticks), where a news-driven corpus usually has most of its events. Bars that
run out of the window are cut at its edge; events entirely before it are only
in the overview (the panel says how many). Shorter spans get one panel with
month ticks (or day ticks under ~2.5 months). Every string from the data is
escaped; tooltips (``<title>``) give type, date, place, actors and fatalities.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model import (
    as_float,
    change_text,
    date_label,
    event_colour,
    event_dicts,
    event_span,
    ordered_event_types,
    parse_day,
    place_label,
)
from .text import esc, truncate

__all__ = ["timeline_svg", "sparkline_svg", "text_sparkline", "DETAIL_DAYS", "LONG_SPAN_DAYS"]

LONG_SPAN_DAYS = 731  # above this the figure gets an overview panel and a last-12-months panel
DETAIL_DAYS = 365
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'
_SIDE = 16.0
_LEGEND_H = 30.0
_AXIS_H = 22.0
_TITLE_H = 20.0
_GAP = 14.0
_DAY = dt.timedelta(days=1)


def _is_point(event: dict[str, Any], span: tuple[dt.date, dt.date]) -> bool:
    """Drawn as a dot: a single day at day precision (or with no precision given)."""
    return span[0] == span[1] and event.get("precision") in (None, "", "day")


def _title(event: dict[str, Any]) -> str:
    names = event.get("actor_names") if isinstance(event.get("actor_names"), list) else event.get("actors")
    targets = event.get("target_names") if isinstance(event.get("target_names"), list) else event.get("targets")
    names = [str(n) for n in names or [] if n]
    targets = [str(n) for n in targets or [] if n]
    precision = event.get("precision") or "unknown precision"
    parts = [str(event.get("type") or "event"), f"{date_label(event) or 'undated'} ({precision})",
             place_label(event) or "place unknown"]
    if names or targets:
        parts.append((", ".join(names) or "?") + (" \u2192 " + ", ".join(targets) if targets else ""))
    if event.get("fatalities") is not None:
        parts.append(f"{event.get('fatalities')} fatalities")
    reports = event.get("reports")
    if isinstance(reports, list) and reports:
        parts.append(f"{len(reports)} report{'s' if len(reports) != 1 else ''}")
    return " \u00b7 ".join(parts)


def _month_start(day: dt.date, months: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _ticks(lo: dt.date, hi: dt.date) -> list[tuple[dt.date, str]]:
    """Tick dates and labels for [lo, hi): years, months or days depending on the span."""
    days = (hi - lo).days
    ticks: list[tuple[dt.date, str]] = []
    if days > 3 * 365:
        step = next((s for s in (1, 2, 5, 10, 20, 50) if days / 365.25 / s <= 12), 100)
        year = -(-lo.year // step) * step
        while year <= hi.year:
            day = dt.date(year, 1, 1)
            if lo <= day < hi:
                ticks.append((day, str(year)))
            year += step
    elif days > 75:
        step = next((s for s in (1, 2, 3, 6) if days / 30.4 / s <= 12), 12)
        day = lo if lo.day == 1 else _month_start(lo, 1)
        while day < hi:
            if (day.month - 1) % step == 0:
                first = not ticks
                label = _MONTHS[day.month - 1] + (f" {day.year}" if day.month == 1 or first else "")
                ticks.append((day, label))
            day = _month_start(day, 1)
    else:
        step = next((s for s in (1, 2, 7, 14) if days / s <= 12), 28)
        day = lo
        while day < hi:
            ticks.append((day, f"{day.day} {_MONTHS[day.month - 1]}" + (f" {day.year}" if not ticks else "")))
            day += dt.timedelta(days=step)
    return ticks


def _pack(intervals: list[tuple[float, float]], max_rows: int) -> tuple[list[int], int]:
    """Row of each interval (greedy, in the given order) and the number of rows used."""
    ends: list[float] = []
    rows = []
    for start, end in intervals:
        row = next((i for i, e in enumerate(ends) if e <= start), None)
        if row is None:
            if len(ends) < max_rows:
                ends.append(end)
                row = len(ends) - 1
            else:
                row = min(range(len(ends)), key=lambda i: (ends[i], i))
                ends[row] = max(ends[row], end)
        else:
            ends[row] = end
        rows.append(row)
    return rows, len(ends)


class _Panel:
    """One time axis over [lo, hi) and the events drawn on it."""

    def __init__(self, items: list[tuple[dict, tuple[dt.date, dt.date]]], lo: dt.date, hi: dt.date,
                 width: float, max_rows: int, pitch: float) -> None:
        self.lo, self.hi = lo, hi
        self.left, self.plot_w = _SIDE, width - 2 * _SIDE
        self.pitch = pitch
        self.marks: list[dict[str, Any]] = []
        self.outside = 0
        for event, span in items:
            if span[1] < lo or span[0] >= hi:
                self.outside += 1
                continue
            point = _is_point(event, span)
            start, end = max(span[0], lo), min(span[1], hi - _DAY)
            x0, x1 = self.x(start), self.x(end + _DAY)
            if point:
                cx = (x0 + x1) / 2
                x0, x1 = cx - 4.5, cx + 4.5
            elif x1 - x0 < 3:
                mid = (x0 + x1) / 2
                x0, x1 = mid - 1.5, mid + 1.5
            self.marks.append({"event": event, "point": point, "x0": x0, "x1": x1,
                               "cut": span[0] < lo or span[1] >= hi})
        self.marks.sort(key=lambda m: (m["x0"], -(m["x1"] - m["x0"])))
        rows, self.rows = _pack([(m["x0"] - 1, m["x1"] + 1) for m in self.marks], max_rows)
        for mark, row in zip(self.marks, rows, strict=True):
            mark["row"] = row

    def x(self, day: dt.date) -> float:
        total = max(1, (self.hi - self.lo).days)
        return self.left + (day - self.lo).days / total * self.plot_w

    def height(self) -> float:
        return _TITLE_H + max(1, self.rows) * self.pitch + 6 + _AXIS_H

    def svg(self, y: float, title: str, shade: tuple[dt.date, dt.date] | None = None) -> str:
        """The panel's title, marks and axis, with its top at ``y``."""
        top = y + _TITLE_H
        bottom = top + max(1, self.rows) * self.pitch + 6
        parts = ['<g class="panel">',
                 f'<text x="{self.left:.1f}" y="{y + 14:.1f}" font-size="12" font-weight="bold" {_FONT} '
                 f'fill="#222222">{esc(title)}</text>']
        if shade:
            x0, x1 = self.x(max(shade[0], self.lo)), self.x(min(shade[1], self.hi))
            parts.append(f'<rect class="detail-window" x="{x0:.1f}" y="{top:.1f}" width="{max(1.0, x1 - x0):.1f}" '
                         f'height="{bottom - top:.1f}" fill="#fff3cd" stroke="#e0c060" stroke-dasharray="3 2"/>')
        parts.append(self._axis(top, bottom))
        radius = max(1.5, min(4.0, self.pitch * 0.4))
        bar_h = max(2.0, min(7.0, self.pitch * 0.7))
        for mark in self.marks:
            event = mark["event"]
            colour = event_colour(event.get("type"))
            cy = top + 3 + mark["row"] * self.pitch + self.pitch / 2
            precision = esc(event.get("precision") or "")
            if mark["point"]:
                shape = (f'<circle class="event-dot" cx="{(mark["x0"] + mark["x1"]) / 2:.1f}" cy="{cy:.1f}" '
                         f'r="{radius:.1f}" fill="{colour}" stroke="#ffffff" stroke-width="0.8"/>')
                cls = "event dot"
            else:
                cut = ' stroke-dasharray="4 2"' if mark["cut"] else ""
                shape = (f'<rect class="event-bar" x="{mark["x0"]:.1f}" y="{cy - bar_h / 2:.1f}" '
                         f'width="{mark["x1"] - mark["x0"]:.1f}" height="{bar_h:.1f}" rx="2" fill="{colour}" '
                         f'fill-opacity="0.35" stroke="{colour}" stroke-width="1.2"{cut}/>')
                cls = "event bar"
            parts.append(f'<g class="{cls}" data-precision="{precision}"><title>{esc(_title(event))}</title>'
                         f"{shape}</g>")
        parts.append("</g>")
        return "".join(parts)

    def _axis(self, top: float, bottom: float) -> str:
        right = self.left + self.plot_w
        parts = [f'<line x1="{self.left:.1f}" y1="{bottom:.1f}" x2="{right:.1f}" y2="{bottom:.1f}" '
                 'stroke="#555555" stroke-width="1"/>']
        for day, label in _ticks(self.lo, self.hi):
            x = self.x(day)
            if x > right - 3.2 * len(label):  # the label would run off the panel
                continue
            parts.append(f'<line class="grid" x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
                         'stroke="#eeeeee" stroke-width="1"/>'
                         f'<line x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" y2="{bottom + 4:.1f}" stroke="#555555"/>'
                         f'<text class="tick" x="{x:.1f}" y="{bottom + 16:.1f}" font-size="10" text-anchor="middle" '
                         f'{_FONT} fill="#444444">{esc(label)}</text>')
        return "".join(parts)


def _legend(types: list[str], undated: int, width: float) -> str:
    parts = ['<g class="legend">']
    x = _SIDE
    for event_type in types:
        label = truncate(event_type, 20)
        parts.append(f'<circle cx="{x + 5:.1f}" cy="14" r="5" fill="{event_colour(event_type)}"/>'
                     f'<text x="{x + 14:.1f}" y="18" font-size="11" {_FONT} fill="#222222">{esc(label)}</text>')
        x += 26 + 6.4 * len(label)
    x += 10
    parts.append(f'<circle cx="{x + 5:.1f}" cy="14" r="4" fill="#777777"/>'
                 f'<text x="{x + 13:.1f}" y="18" font-size="11" {_FONT} fill="#444444">one day</text>')
    x += 70
    parts.append(f'<rect x="{x:.1f}" y="10.5" width="26" height="7" rx="2" fill="#777777" fill-opacity="0.35" '
                 f'stroke="#777777"/><text x="{x + 32:.1f}" y="18" font-size="11" {_FONT} fill="#444444">'
                 "month, season, year or range</text>")
    if undated:
        note = f"{undated} event{'s have' if undated != 1 else ' has'} no date"
        parts.append(f'<text class="note" x="{width - _SIDE:.1f}" y="18" font-size="11" text-anchor="end" '
                     f'{_FONT} fill="#555555">{esc(note)}</text>')
    parts.append("</g>")
    return "".join(parts)


def _range_text(lo: dt.date, hi: dt.date) -> str:
    last = hi - _DAY
    return f"{_MONTHS[lo.month - 1]} {lo.year} \u2013 {_MONTHS[last.month - 1]} {last.year}"


def timeline_svg(events: Any, *, width: int = 900, height: int | None = None) -> str:
    """The events on a time axis as one standalone ``<svg>`` element ("" when there are no events).

    ``height`` None sizes the figure to its rows; a number fixes the height and
    squeezes the rows to fit. One ``<g class="event dot|bar">`` per dated event.
    """
    events = event_dicts(events)
    if not events:
        return ""
    items = [(e, span) for e in events if (span := event_span(e)) is not None]
    undated = len(events) - len(items)
    width_f = max(300.0, float(width))
    types = ordered_event_types({str(e.get("type") or "unknown") for e, _ in items})
    header = (f'<svg xmlns="http://www.w3.org/2000/svg" class="khabar-timeline" width="{width_f:.0f}" '
              'height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">')
    label = f"Timeline of {len(items)} dated events"
    if not items:
        h = _LEGEND_H + 30
        return (header.format(w=f"{width_f:.0f}", h=f"{h:.0f}", label=esc(label)) + f"<title>{esc(label)}</title>"
                + _legend([], undated, width_f)
                + f'<text x="{width_f / 2:.0f}" y="{_LEGEND_H + 16:.0f}" font-size="13" text-anchor="middle" '
                  f'{_FONT} fill="#666666">No event has a date.</text></svg>')
    lo = min(s for _, (s, _) in items)
    hi = max(e for _, (_, e) in items) + _DAY
    if (hi - lo).days < 30:  # at least a month on the axis, centred on the events
        pad = dt.timedelta(days=(30 - (hi - lo).days) // 2)
        lo, hi = lo - pad, hi + pad
    pad = dt.timedelta(days=max(1, (hi - lo).days // 40))
    panels: list[tuple[_Panel, str, tuple[dt.date, dt.date] | None]] = []
    if (hi - lo).days > LONG_SPAN_DAYS:
        window = (_month_start(hi - dt.timedelta(days=DETAIL_DAYS)), hi)
        overview = _Panel(items, lo - pad, hi + pad, width_f, max_rows=10, pitch=9.0)
        detail = _Panel(items, window[0], window[1] + dt.timedelta(days=6), width_f, max_rows=24, pitch=12.0)
        panels.append((overview, f"All {len(items)} dated events, {lo.year}\u2013{(hi - _DAY).year}", window))
        title = f"Last 12 months of the data ({_range_text(*window)})"
        if detail.outside:
            title += f": {len(detail.marks)} events; {detail.outside} earlier only in the overview"
        panels.append((detail, title, None))
    else:
        single = _Panel(items, lo - pad, hi + pad, width_f, max_rows=30, pitch=12.0)
        panels.append((single, f"{len(items)} dated events, {_range_text(lo, hi)}", None))
    natural = _LEGEND_H + sum(p.height() + _GAP for p, _, _ in panels)
    if height is not None and natural > height:  # squeeze rows to fit the height asked for
        fixed = _LEGEND_H + sum(_TITLE_H + 6 + _AXIS_H + _GAP for _ in panels)
        rows = sum(max(1, p.rows) for p, _, _ in panels)
        pitch = max(2.0, (float(height) - fixed) / rows)
        for panel, _, _ in panels:
            panel.pitch = min(panel.pitch, pitch)
    total_h = float(height) if height is not None else natural
    parts = [header.format(w=f"{width_f:.0f}", h=f"{total_h:.0f}", label=esc(label)), f"<title>{esc(label)}</title>",
             f'<rect x="0" y="0" width="{width_f:.0f}" height="{total_h:.0f}" fill="#ffffff"/>',
             _legend(types, undated, width_f)]
    y = _LEGEND_H
    for panel, title, shade in panels:
        parts.append(panel.svg(y, title, shade))
        y += panel.height() + _GAP
    parts.append("</svg>")
    return "".join(parts)


_CHANGE_COLOURS = {"stop": "#b2182b", "surge": "#1b7837"}
_BLOCKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def _counts(series: Any) -> list[tuple[str, float]]:
    out = []
    for point in series or []:
        if isinstance(point, dict):
            count = as_float(point.get("count"))
            out.append((str(point.get("start") or ""), max(0.0, count or 0.0)))
    return out


def text_sparkline(series: Any) -> str:
    """The series as a line of Unicode block characters (for the Markdown brief)."""
    counts = [c for _, c in _counts(series)]
    most = max(counts, default=0.0)
    if not counts:
        return ""
    return "".join(_BLOCKS[0] if most <= 0 else _BLOCKS[min(7, round(c / most * 7))] for c in counts)


def sparkline_svg(series: Any, changes: Any = None, *, by: str = "week", width: int = 280, height: int = 44) -> str:
    """A small line chart of an activity series (``[{"start": ISO day, "count": n}]``), "" when empty.

    Each change (``kind`` stop/surge, ``start``) is a vertical dashed line at its
    start, red for a stop and green for a surge, with the change in words as its tooltip.
    """
    points = _counts(series)
    if not points:
        return ""
    most = max(c for _, c in points) or 1.0
    w, h, pad = float(width), float(height), 4.0
    step = (w - 2 * pad) / max(1, len(points) - 1)

    def y(count: float) -> float:
        return h - pad - count / most * (h - 2 * pad - 8)

    coords = [(pad + i * step, y(c)) for i, (_, c) in enumerate(points)]
    line = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
    area = f"{pad:.1f},{h - pad:.1f} {line} {coords[-1][0]:.1f},{h - pad:.1f}"
    first, last = points[0][0], points[-1][0]
    total = sum(c for _, c in points)
    label = f"{total:g} events per {by}, {first} to {last}; at most {most:g} in one {by}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="khabar-sparkline" width="{w:.0f}" height="{h:.0f}" '
             f'viewBox="0 0 {w:.0f} {h:.0f}" role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>',
             f'<line x1="{pad:.1f}" y1="{h - pad:.1f}" x2="{w - pad:.1f}" y2="{h - pad:.1f}" stroke="#cccccc"/>',
             f'<polygon points="{area}" fill="#4393c3" fill-opacity="0.15" stroke="none"/>',
             f'<polyline points="{line}" fill="none" stroke="#2166ac" stroke-width="1.5" stroke-linejoin="round"/>']
    days = [parse_day(start) for start, _ in points]
    for change in changes or []:
        if not isinstance(change, dict):
            continue
        day = parse_day(change.get("start"))
        if day is None:
            continue
        index = next((i for i, d in enumerate(days) if d is not None and d >= day), len(points) - 1)
        x = pad + index * step
        colour = _CHANGE_COLOURS.get(change.get("kind"), "#555555")
        parts.append(f'<g class="change"><title>{esc(change_text(change, by))}</title>'
                     f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{h - pad:.1f}" stroke="{colour}" '
                     'stroke-width="1.5" stroke-dasharray="3 2"/></g>')
    x_last, y_last = coords[-1]
    parts.append(f'<circle cx="{x_last:.1f}" cy="{y_last:.1f}" r="2.5" fill="#2166ac"/>'
                 f'<text x="{pad:.1f}" y="10" font-size="9" {_FONT} fill="#777777">max {most:g}</text></svg>')
    return "".join(parts)
