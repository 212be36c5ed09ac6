"""Inline SVG charts for the report, drawn in Python: no JavaScript, no fonts or files to fetch.

Every function returns one complete ``<svg>`` element with its styling in presentation attributes, so
the same markup works inside the report page and as a standalone picture. Every drawn data mark
(donut segment, bar, point) has ``class="mark"``, ``data-label`` and ``data-value`` (the exact
number) and a ``<title>`` tooltip. All text is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

Formatter = Callable[[float], str]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT = "#1f2933"
MUTED = "#616e7c"
GRID = "#e4e7eb"
PALETTE = ("#2f6fb0", "#e08a1e", "#3a9a5b", "#8e5bb5", "#c9483b", "#3aa6b9", "#b5892d", "#d16aa2",
           "#6b7b8c", "#5c7f3a")
ACTION_COLOURS = {"ACCEPT": "#2e8540", "REJECT": "#c62828"}
OTHER_COLOUR = "#9aa5b1"
WIDTH = 960
DONUT_WIDTH = 540


def esc(value: object) -> str:
    """Escape text for SVG/HTML content and double-quoted attributes."""
    return escape(str(value), quote=True)


def thousands(value: float) -> str:
    """``1234567`` -> ``1,234,567``; floats keep two decimals."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def human_bytes(value: float) -> str:
    """Binary units: ``1536`` -> ``1.5 KiB``; below 1 KiB the exact byte count."""
    if abs(value) < 1024:
        return f"{int(value):,} B"
    size = float(value)
    for unit in ("KiB", "MiB", "GiB", "TiB", "PiB"):
        size /= 1024
        if abs(size) < 1024 or unit == "PiB":
            return f"{size:,.1f} {unit}"
    raise AssertionError("unreachable")


def short_number(value: float) -> str:
    """Compact axis labels: ``1200`` -> ``1.2k``, ``3400000`` -> ``3.4M``."""
    for limit, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return thousands(value)


def exact_number(value: float) -> str:
    """The exact value as a plain number string for ``data-value`` (no separators)."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def colour_for(label: str, index: int) -> str:
    return ACTION_COLOURS.get(label, PALETTE[index % len(PALETTE)])


def _svg(name: str, kind: str, height: int, body: list[str], width: int = WIDTH, title: str = "") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{esc(name)}" '
            f'data-kind="{kind}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{esc(title or name)}" font-family="{esc(FONT)}" font-size="12" '
            f'fill="{TEXT}">'
            + "".join(body) + "</svg>")


def _mark_attrs(label: str, value: float) -> str:
    return f'class="mark" data-label="{esc(label)}" data-value="{exact_number(value)}"'


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def empty(name: str, message: str, title: str = "") -> str:
    """A placeholder drawing for a query that returned no rows."""
    return _svg(name, "empty", 60, [
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="59" rx="6" fill="#f5f7fa" stroke="{GRID}"/>',
        f'<text x="{WIDTH // 2}" y="35" text-anchor="middle" fill="{MUTED}">{esc(message)}</text>',
    ], title=title)


def donut(name: str, items: Sequence[tuple[str, float]], fmt: Formatter, exact: Formatter,
          unit: str, title: str = "") -> str:
    """A donut chart with a legend: one segment per (label, value); values must be >= 0."""
    total = sum(value for _, value in items)
    cx, cy, radius, ring = 120, 120, 82, 38
    height = max(240, 40 + 26 * len(items))
    body = [f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="none" stroke="{GRID}" stroke-width="{ring}"/>']
    offset = 0.0
    for index, (label, value) in enumerate(items):
        share = value / total * 100 if total else 0.0
        tip = f"{label}: {exact(value)} {unit} ({share:.1f}%)"
        body.append(
            f'<circle {_mark_attrs(label, value)} cx="{cx}" cy="{cy}" r="{radius}" fill="none" '
            f'stroke="{colour_for(label, index)}" stroke-width="{ring}" pathLength="100" '
            f'stroke-dasharray="{share:.4f} {100 - share:.4f}" stroke-dashoffset="{-offset:.4f}" '
            f'transform="rotate(-90 {cx} {cy})"><title>{esc(tip)}</title></circle>')
        offset += share
    body.append(f'<text x="{cx}" y="{cy - 4}" text-anchor="middle" font-size="20" font-weight="600">'
                f'{esc(fmt(total))}</text>')
    body.append(f'<text x="{cx}" y="{cy + 16}" text-anchor="middle" fill="{MUTED}">{esc(unit)}</text>')
    for index, (label, value) in enumerate(items):
        y = 36 + 26 * index
        share = value / total * 100 if total else 0.0
        body.append(f'<rect x="262" y="{y - 11}" width="14" height="14" rx="3" '
                    f'fill="{colour_for(label, index)}"/>')
        body.append(f'<text x="284" y="{y}"><title>{esc(label)}</title>{esc(_truncate(label, 20))}</text>')
        body.append(f'<text x="{DONUT_WIDTH - 64}" y="{y}" text-anchor="end" font-weight="600">'
                    f'{esc(fmt(value))}</text>')
        body.append(f'<text x="{DONUT_WIDTH - 10}" y="{y}" text-anchor="end" fill="{MUTED}">'
                    f'{share:.1f}%</text>')
    return _svg(name, "donut", height, body, DONUT_WIDTH, title)


def bars(name: str, items: Sequence[tuple[str, float]], fmt: Formatter, exact: Formatter, unit: str,
         colours: Sequence[str] | None = None, title: str = "") -> str:
    """Horizontal bars, one per (label, value), in the given order."""
    label_width, value_width, row, top = 330, 96, 26, 8
    plot = WIDTH - label_width - value_width - 10
    height = top * 2 + row * len(items)
    peak = max((value for _, value in items), default=0) or 1
    body: list[str] = []
    for index, (label, value) in enumerate(items):
        y = top + row * index
        length = max(value / peak * plot, 1.0) if value > 0 else 0.0
        colour = colours[index] if colours else PALETTE[0]
        body.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">'
                    f'<title>{esc(label)}</title>{esc(_truncate(label, 50))}</text>')
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{plot}" height="{row - 8}" fill="#f5f7fa"/>')
        body.append(f'<rect {_mark_attrs(label, value)} x="{label_width}" y="{y + 4}" width="{length:.2f}" '
                    f'height="{row - 8}" rx="2" fill="{colour}"><title>{esc(label)}: {esc(exact(value))} '
                    f'{esc(unit)}</title></rect>')
        body.append(f'<text x="{label_width + plot + 8}" y="{y + 17}" font-weight="600">'
                    f'{esc(fmt(value))}</text>')
    return _svg(name, "bars", height, body, title=title)


@dataclass(frozen=True)
class Series:
    """One line of a time chart: points sorted by time, all UTC."""

    label: str
    points: tuple[tuple[datetime, float], ...]


def _nice_step(span: float, target: int = 4) -> float:
    raw = span / target if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


_HOUR_STEPS = (1, 2, 3, 4, 6, 12, 24, 48, 72, 168, 336, 720)


def _time_ticks(first: datetime, last: datetime, most: int = 10) -> list[datetime]:
    hours = max((last - first).total_seconds() / 3600, 1)
    step = next((s for s in _HOUR_STEPS if hours / s <= most), _HOUR_STEPS[-1])
    day = first.replace(hour=0, minute=0, second=0, microsecond=0)
    ticks, when = [], day
    while when <= last:
        if when >= first:
            ticks.append(when)
        when += timedelta(hours=step)
    return ticks


def timeline(name: str, series: Sequence[Series], step: timedelta, fmt: Formatter, exact: Formatter,
             unit: str, title: str = "", binary: bool = False) -> str:
    """Line/area chart over UTC time; a gap longer than ``step`` breaks the line (no data there)."""
    left, right, top, bottom = 78, 16, 14, 48
    legend = 24 if len(series) > 1 else 0
    height = 280 + legend
    plot_w, plot_h = WIDTH - left - right, height - top - bottom - legend
    times = [when for line in series for when, _ in line.points]
    first, last = min(times), max(times)
    if first == last:
        first, last = first - step / 2, last + step / 2
    peak = max((value for line in series for _, value in line.points), default=0)
    base = 1024 ** int(math.log(peak, 1024)) if binary and peak >= 1024 else 1
    y_step = _nice_step(peak / base) * base if peak > 0 else 1
    y_max = max(y_step * math.ceil(peak / y_step), y_step)
    span = (last - first).total_seconds()

    def x_of(when: datetime) -> float:
        return left + (when - first).total_seconds() / span * plot_w

    def y_of(value: float) -> float:
        return top + plot_h - value / y_max * plot_h

    body: list[str] = []
    tick = 0.0
    while tick <= y_max + y_step / 1000:
        y = y_of(tick)
        body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
                    f'{esc(fmt(tick).replace(".0 ", " "))}</text>')
        tick += y_step
    previous_day = None
    for when in _time_ticks(first, last):
        x = x_of(when)
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top + plot_h}" y2="{top + plot_h + 5}" '
                    f'stroke="{MUTED}"/>')
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle" fill="{MUTED}">'
                    f'{when:%H:%M}</text>')
        if when.date() != previous_day:
            body.append(f'<text x="{x:.1f}" y="{top + plot_h + 33}" text-anchor="middle" '
                        f'fill="{MUTED}">{when:%a %d %b}</text>')
            previous_day = when.date()
    body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
                f'stroke="{MUTED}"/>')
    body.append(f'<text x="{left + plot_w}" y="{height - legend - 2}" text-anchor="end" fill="{MUTED}" '
                f'font-size="11">hour (UTC)</text>')
    for index, line in enumerate(series):
        colour = colour_for(line.label, index)
        for run in _runs(line.points, step):
            coords = " ".join(f"{x_of(w):.1f},{y_of(v):.1f}" for w, v in run)
            if len(series) == 1:
                base = f"{x_of(run[-1][0]):.1f},{y_of(0):.1f} {x_of(run[0][0]):.1f},{y_of(0):.1f}"
                body.append(f'<polygon points="{coords} {base}" fill="{colour}" fill-opacity="0.15"/>')
            body.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2" '
                        f'stroke-linejoin="round"/>')
        for when, value in line.points:
            label = f"{when:%Y-%m-%d %H:%M} UTC" + (f" {line.label}" if len(series) > 1 else "")
            body.append(f'<circle {_mark_attrs(label, value)} cx="{x_of(when):.1f}" cy="{y_of(value):.1f}" '
                        f'r="3" fill="{colour}"><title>{esc(label)}: {esc(exact(value))} {esc(unit)}'
                        f'</title></circle>')
        if legend:
            x = left + 140 * index
            body.append(f'<rect x="{x}" y="{height - 16}" width="12" height="12" rx="2" fill="{colour}"/>')
            body.append(f'<text x="{x + 18}" y="{height - 6}">{esc(_truncate(line.label, 18))}</text>')
    return _svg(name, "timeline", height, body, title=title)


def _runs(points: Sequence[tuple[datetime, float]], step: timedelta) -> list[list[tuple[datetime, float]]]:
    runs: list[list[tuple[datetime, float]]] = []
    for point in points:
        if runs and point[0] - runs[-1][-1][0] <= step:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs

