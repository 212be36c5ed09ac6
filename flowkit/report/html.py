"""The report page: one self-contained HTML file (inline SVG charts and CSS, no scripts, nothing fetched)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from flowkit.layout import to_utc
from flowkit.report import charts
from flowkit.report.build import ReportData, ReportError, Section
from flowkit.report.cells import PORT_COLUMNS, cell, label_text, number, parse_time
from flowkit.report.charts import human_bytes, thousands
from flowkit.report.specs import heading

BAR_LIMIT = 15  # bars drawn per chart; the table lists up to TABLE_LIMIT rows
DONUT_LIMIT = 8  # segments per donut; the rest become one "other" segment
TABLE_LIMIT = 500  # rows per table; a longer result says how many rows are not shown
FOLD_ROWS = 25  # longer tables are folded into a <details> element
TEMPLATE = "template.html.j2"  # beside this module


# -- charts ----------------------------------------------------------------------------------------
def _chart_columns(section: Section) -> tuple[list[int], int]:
    """Indexes of the label columns and of the value column the chart uses."""
    spec, columns = section.spec, section.columns
    if spec.value in columns:
        value = columns.index(spec.value)
    else:
        numeric = [i for i, c in enumerate(columns)
                   if section.rows and number(section.rows[0][i]) is not None and c not in PORT_COLUMNS]
        if not numeric:
            raise ReportError(f"query '{spec.query}' returned no '{spec.value}' column to chart "
                              f"(columns: {', '.join(columns)})")
        value = numeric[-1]
    labels = [columns.index(c) for c in spec.labels if c in columns]
    if not labels:
        labels = [i for i, c in enumerate(columns)
                  if i != value and not (section.rows and number(section.rows[0][i]) is not None)][:1]
    if not labels:
        raise ReportError(f"query '{spec.query}' returned no label column to chart "
                          f"(columns: {', '.join(columns)})")
    return labels, value


def _label(columns: Sequence[str], row: Sequence[Any], indexes: Sequence[int]) -> str:
    named = {columns[i]: row[i] for i in indexes}
    if "srcaddr" in named and "dstaddr" in named:
        text = f"{label_text('srcaddr', named['srcaddr'])} \u2192 {label_text('dstaddr', named['dstaddr'])}"
        if "dstport" in named:
            text += f":{label_text('dstport', named['dstport'])}"
        rest = [label_text(c, v) for c, v in named.items() if c not in ("srcaddr", "dstaddr", "dstport")]
        return " ".join([text, *rest])
    return " \u00b7 ".join(label_text(c, v) for c, v in named.items())


def _formatters(column: str) -> tuple[charts.Formatter, charts.Formatter, str]:
    unit = heading(column).lower()
    if "bytes" in column:
        return human_bytes, thousands, unit
    return thousands, thousands, unit


def chart_svg(section: Section) -> str:
    """The section's chart as one ``<svg>`` element (already escaped)."""
    spec = section.spec
    if not section.rows:
        return charts.empty(spec.query, "No matching flow records in this time window.", spec.title)
    labels, value = _chart_columns(section)
    fmt, exact, unit = _formatters(section.columns[value])
    items = [(_label(section.columns, row, labels), number(row[value]) or 0) for row in section.rows]
    if spec.chart == "timeline":
        return _timeline(section, labels, value, fmt, exact, unit)
    if spec.chart == "donut":
        items = sorted(items, key=lambda item: -item[1])
        if len(items) > DONUT_LIMIT:
            rest = items[DONUT_LIMIT - 1:]
            items = [*items[: DONUT_LIMIT - 1], (f"other ({len(rest)})", sum(v for _, v in rest))]
        return charts.donut(spec.query, items, fmt, exact, unit, spec.title)
    top = sorted(items, key=lambda item: -item[1])[:BAR_LIMIT]
    colours = [spec.colour] * len(top)
    if "action" in section.columns:
        action = section.columns.index("action")
        by_label = {_label(section.columns, row, labels): str(row[action]) for row in section.rows}
        colours = [charts.ACTION_COLOURS.get(by_label[label], spec.colour) for label, _ in top]
    return charts.bars(spec.query, top, fmt, exact, unit, colours, spec.title)


def _timeline(section: Section, labels: list[int], value: int, fmt: charts.Formatter,
              exact: charts.Formatter, unit: str) -> str:
    time_index = labels[0]
    others = labels[1:]
    series: dict[str, list[tuple[datetime, float]]] = {}
    for row in section.rows:
        when = parse_time(row[time_index])
        if when is None:
            raise ReportError(f"query '{section.spec.query}' returned '{row[time_index]}' in column "
                              f"'{section.columns[time_index]}', which is not a time")
        name = " ".join(label_text(section.columns[i], row[i]) for i in others) or unit
        series.setdefault(name, []).append((when, number(row[value]) or 0))
    lines = [charts.Series(name, tuple(sorted(points))) for name, points in series.items()]
    times = sorted({when for line in lines for when, _ in line.points})
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    step = min(gaps, default=timedelta(hours=1))
    return charts.timeline(section.spec.query, lines, step, fmt, exact, unit, section.spec.title,
                           binary=fmt is human_bytes)


# -- page ------------------------------------------------------------------------------------------
def _when(moment: datetime) -> str:
    return f"{to_utc(moment):%Y-%m-%d %H:%M} UTC"


def window_text(since: datetime | None, until: datetime | None) -> str:
    """The time window as the page header states it."""
    if since is None and until is None:
        return "the saved queries' default window (the last lookback_days days)"
    start = _when(since) if since else "the saved queries' default start"
    end = _when(until) if until else "now"
    text = f"{start} to {end}"
    if since and until:
        hours = (to_utc(until) - to_utc(since)).total_seconds() / 3600
        text += f" ({hours / 24:g} days)" if hours % 24 == 0 else f" ({hours:g} hours)"
    return text


def _table(section: Section) -> dict[str, Any]:
    shown = section.rows[:TABLE_LIMIT]
    return {
        "headings": [(c, heading(c)) for c in section.columns],
        "rows": [[cell(c, v) for c, v in zip(section.columns, row, strict=True)] for row in shown],
        "hidden": len(section.rows) - len(shown),
        "fold": len(shown) > FOLD_ROWS,
    }


def render_html(report: ReportData) -> str:
    """The whole report as one self-contained HTML page."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    summary = report.summary
    groups: dict[str, list[dict[str, Any]]] = {}
    for section in report.sections:
        groups.setdefault(section.spec.group or "Reports", []).append({
            "spec": section.spec,
            "count": len(section.rows),
            "notes": section.notes,
            "chart": Markup(chart_svg(section)),
            "table": _table(section),
            "top": BAR_LIMIT if section.spec.chart == "bars" and len(section.rows) > BAR_LIMIT else 0,
        })
    share = summary.rejected_share
    return env.get_template(TEMPLATE).render(
        report=report,
        window=window_text(report.since, report.until),
        generated=_when(report.generated_at),
        groups=groups,
        tiles=[
            ("Flow records", _opt(summary.flows, thousands), None),
            ("Bytes", _opt(summary.bytes, human_bytes), _opt(summary.bytes, thousands)),
            ("Packets", _opt(summary.packets, thousands), None),
            ("Rejected", "n/a" if share is None else f"{share * 100:.1f}%",
             _opt(summary.rejected_flows, lambda n: f"{thousands(n)} flow records")),
        ],
        summary=summary,
    )


def _opt(value: int | None, fmt: Callable[[int], str]) -> str:
    return "n/a" if value is None else fmt(value)
