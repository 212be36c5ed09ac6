"""The charted report: the eight reports of seed article 004 plus three hunting lists, in one HTML file.

``build_report`` runs the saved queries through any ``run(query_name, params)`` callable (the local
engine or Athena), ``render_html`` turns the results into one self-contained page (inline SVG charts,
inline CSS, no scripts, nothing fetched), ``write_pngs`` screenshots each chart with headless Chromium.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import jinja2
from markupsafe import Markup

from flowkit import charts
from flowkit.charts import human_bytes, thousands
from flowkit.errors import FAILED, KitError
from flowkit.layout import to_utc

if TYPE_CHECKING:
    from flowkit.aws.deployed import Deployed
    from flowkit.queries import RenderContext

CHROMIUM = "/usr/bin/chromium"
BAR_LIMIT = 15  # bars drawn per chart; the table lists every row
DONUT_LIMIT = 8  # segments per donut; the rest become one "other" segment
TABLE_LIMIT = 500  # rows per table; a longer result says how many rows are not shown
FOLD_ROWS = 25  # longer tables are folded into a <details> element
PROTOCOLS = {1: "ICMP", 2: "IGMP", 4: "IPv4-in-IP", 6: "TCP", 17: "UDP", 41: "IPv6", 47: "GRE", 50: "ESP",
             51: "AH", 58: "ICMPv6", 89: "OSPF", 132: "SCTP"}
HEADINGS = {"srcaddr": "Source address", "dstaddr": "Destination address", "srcport": "Source port",
            "dstport": "Destination port", "protocol": "Protocol", "action": "Action",
            "interface_id": "Network interface", "hour_utc": "Hour (UTC)", "flows": "Flows",
            "rejected_flows": "Rejected flows", "bytes": "Bytes", "packets": "Packets", "share": "Share",
            "distinct_ports": "Distinct ports"}
_PORT_COLUMNS = frozenset({"srcport", "dstport", "port"})
_TEMPLATE = "report_template.html.j2"


class ResultLike(Protocol):
    """What a query runner returns (``engine`` and ``athena`` results both fit)."""

    @property
    def columns(self) -> Sequence[str]: ...

    @property
    def rows(self) -> Sequence[tuple[Any, ...]]: ...


Runner = Callable[[str, dict[str, str]], ResultLike]
ChartKind = Literal["donut", "bars", "timeline"]


class ReportError(KitError):
    """A report that cannot be made (a result without the columns a chart needs, no Chromium...)."""

    status = FAILED


@dataclass(frozen=True)
class ReportSpec:
    """One report: which saved query, how to chart it (preferred label/value columns)."""

    query: str
    title: str
    explains: str
    chart: ChartKind
    value: str
    labels: tuple[str, ...] = ()
    group: str = ""
    colour: str = charts.PALETTE[0]  # bar colour (bars with an action column follow the action)
    params: dict[str, str] = field(default_factory=dict)


REJECTED, VOLUME, HUNTING = "Rejected traffic", "Traffic volume", "Who to look at"
RED, ORANGE = charts.ACTION_COLOURS["REJECT"], charts.PALETTE[1]
REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec("accept-reject-ratio", "Accepted vs rejected flows",
               "Flow records per action. A high or rising REJECT share points at scans or broken rules.",
               "donut", "flows", ("action",), REJECTED),
    ReportSpec("rejected-by-protocol", "Rejected flows by protocol",
               "Which IP protocols the rejected traffic used.", "donut", "rejected_flows", ("protocol",),
               REJECTED),
    ReportSpec("rejected-sources", "Rejected source addresses",
               "Addresses whose traffic was rejected, most rejected flows first: who keeps knocking.",
               "bars", "rejected_flows", ("srcaddr",), REJECTED, RED),
    ReportSpec("rejected-connections", "Rejected connections",
               "Rejected traffic per source, destination and destination port.", "bars", "rejected_flows",
               ("srcaddr", "dstaddr", "dstport"), REJECTED, RED),
    ReportSpec("bytes-over-time", "Bytes per hour",
               "Total bytes by the UTC hour in which each flow started. Hours without records are gaps.",
               "timeline", "bytes", ("hour_utc",), VOLUME),
    ReportSpec("packets-over-time", "Packets per hour",
               "Total packets by the UTC hour in which each flow started. Hours without records are gaps.",
               "timeline", "packets", ("hour_utc",), VOLUME),
    ReportSpec("bytes-by-interface", "Bytes by network interface",
               "Which network interfaces moved the most data.", "bars", "bytes", ("interface_id",), VOLUME),
    ReportSpec("packets-by-interface", "Packets by network interface",
               "Which network interfaces moved the most packets; many small packets can mean scans or "
               "floods.", "bars", "packets", ("interface_id",), VOLUME, ORANGE),
    ReportSpec("top-talkers", "Top talkers",
               "Source addresses that sent the most bytes.", "bars", "bytes", ("srcaddr",), HUNTING),
    ReportSpec("port-scan-suspects", "Port-scan suspects",
               "Sources whose rejected flows hit many distinct destination ports (the saved query's "
               "default threshold).", "bars", "distinct_ports", ("srcaddr",), HUNTING, RED),
    ReportSpec("ssh-rdp-traffic", "SSH and RDP traffic",
               "Flows to destination ports 22 (SSH) and 3389 (RDP): who logs in remotely, or tries to.",
               "bars", "flows", ("srcaddr", "dstaddr", "dstport", "action"), HUNTING),
)


@dataclass(frozen=True)
class Section:
    """One report's query result."""

    spec: ReportSpec
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    notes: tuple[str, ...] = ()  # what the runner reported beside the rows (skipped lines...)


@dataclass(frozen=True)
class Summary:
    """Totals for the page header (None: the result did not have that column)."""

    flows: int | None
    bytes: int | None
    packets: int | None
    rejected_flows: int | None

    @property
    def rejected_share(self) -> float | None:
        if self.flows is None or self.rejected_flows is None or self.flows == 0:
            return None
        return self.rejected_flows / self.flows


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows."""

    title: str
    since: datetime | None
    until: datetime | None
    source_label: str
    generated_at: datetime
    summary: Summary
    sections: tuple[Section, ...]


def build_report(run: Runner, *, since: datetime | None, until: datetime | None, source_label: str,
                 generated_at: datetime, title: str = "VPC Flow Logs report",
                 reports: Sequence[ReportSpec] = REPORTS) -> ReportData:
    """Run every report's saved query through ``run`` and collect the results.

    ``since``/``until`` are only shown on the page: ``run`` must already apply that window.
    """
    sections = []
    for spec in reports:
        result = run(spec.query, dict(spec.params))
        columns = tuple(result.columns)
        rows = tuple(tuple(row) for row in result.rows)
        for row in rows:
            if len(row) != len(columns):
                raise ReportError(f"query '{spec.query}' returned a row of {len(row)} values for "
                                  f"{len(columns)} columns")
        sections.append(Section(spec, columns, rows, _notes(result)))
    return ReportData(title, since, until, source_label, generated_at, _summary(sections), tuple(sections))


def _notes(result: ResultLike) -> tuple[str, ...]:
    """Problems a runner reported with its rows (the local engine's skipped lines and notes)."""
    notes = [str(note) for note in getattr(result, "notes", None) or ()]
    skipped = getattr(result, "skipped_lines", 0) or 0
    if skipped:
        notes.append(f"{skipped:,} malformed log line(s) were skipped while reading the files")
    return tuple(notes)


def _summary(sections: Sequence[Section]) -> Summary:
    by_query = {s.spec.query: s for s in sections}

    def total(query: str, column: str) -> int | None:
        section = by_query.get(query)
        if section is None or column not in section.columns:
            return None
        index = section.columns.index(column)
        return int(sum(_number(row[index]) or 0 for row in section.rows))

    rejected = None
    ratio = by_query.get("accept-reject-ratio")
    if ratio is not None and {"action", "flows"} <= set(ratio.columns):
        action, flows = ratio.columns.index("action"), ratio.columns.index("flows")
        rejected = int(sum(_number(r[flows]) or 0 for r in ratio.rows if r[action] == "REJECT"))
    byte_total = total("accept-reject-ratio", "bytes")
    packet_total = total("packets-over-time", "packets")
    return Summary(
        flows=total("accept-reject-ratio", "flows"),
        bytes=byte_total if byte_total is not None else total("bytes-over-time", "bytes"),
        packets=packet_total,
        rejected_flows=rejected,
    )


# -- runners ---------------------------------------------------------------------------------------
def local_runner(logs_dir: Path, ctx: RenderContext, *, since: datetime | None, until: datetime | None,
                 warn: Callable[[str], None] | None = None) -> Runner:
    """``run`` for :func:`build_report` over local files with the DuckDB engine."""
    from flowkit import engine, queries

    templates = queries.load_catalogue()
    window = engine.Window(since, until)

    def run(name: str, params: dict[str, str]) -> ResultLike:
        return engine.run_query(queries.find(name, templates), ctx, logs_dir, params, window, warn=warn)

    return run


def athena_runner(session: Any, deployed: Deployed, ctx: RenderContext, *, since: datetime | None,
                  until: datetime | None, report: Callable[[str], None] | None = None) -> Runner:
    """``run`` for :func:`build_report` in the deployed investigation's Athena workgroup."""
    from flowkit import queries
    from flowkit.aws import athena

    templates = queries.load_catalogue()

    def run(name: str, params: dict[str, str]) -> ResultLike:
        return athena.run_saved(session, deployed, queries.find(name, templates), params, ctx, since=since,
                                until=until, progress=False, report=report)

    return run


def local_source(logs_dir: Path) -> str:
    return f"local directory {Path(logs_dir).resolve()} (DuckDB engine)"


def athena_source(deployed: Deployed, region: str | None = None) -> str:
    where = f" in {region}" if region else ""
    return (f"Amazon Athena workgroup {deployed.workgroup}{where}, "
            f"table {deployed.database}.{deployed.table} (investigation {deployed.investigation})")


# -- values and cells ------------------------------------------------------------------------------
def _number(value: Any) -> float | int | None:
    """The value as a number, or None for text/NULL (bool is not a number here)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return None


def _parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return to_utc(value)
    if isinstance(value, str):
        try:
            return to_utc(datetime.fromisoformat(value.strip().removesuffix(" UTC")))
        except ValueError:
            return None
    return None


def protocol_name(value: Any) -> str:
    number = _number(value)
    if number is None:
        return "(none)" if value is None else str(value)
    name = PROTOCOLS.get(int(number))
    return f"{name} ({int(number)})" if name else f"protocol {int(number)}"


def _text(column: str, value: Any) -> str:
    """Plain text of one value, for chart labels."""
    if value is None:
        return "(none)"
    if column == "protocol":
        return protocol_name(value)
    if column in _PORT_COLUMNS:
        return str(value)
    number = _number(value)
    return thousands(number) if number is not None else str(value)


@dataclass(frozen=True)
class Cell:
    """One table cell: shown text, optional second line, exact value and CSS class."""

    text: str
    exact: str | None = None
    value: str | None = None
    css: str = ""


def cell(column: str, value: Any) -> Cell:
    """How the report shows one value of a column (bytes human-readable plus exact, ports plain...)."""
    if value is None:
        return Cell("\u2013", css="none")
    number = _number(value)
    if number is None:
        css = "addr" if column.endswith("addr") or column.endswith("_id") else ""
        return Cell(str(value), css=css)
    raw = charts.exact_number(number)
    if column == "protocol":
        return Cell(protocol_name(value), value=raw)
    if column in _PORT_COLUMNS:
        return Cell(str(value), value=raw, css="num")
    if column == "share" or column.endswith("_share"):
        return Cell(f"{number * 100:.1f}%", value=raw, css="num")
    if "bytes" in column:
        exact = thousands(number) if abs(number) >= 1024 else None  # below 1 KiB both would say the same
        return Cell(human_bytes(number), exact=exact, value=raw, css="num")
    return Cell(thousands(number), value=raw, css="num")


def heading(column: str) -> str:
    return HEADINGS.get(column, column.replace("_", " ").capitalize())


# -- charts ----------------------------------------------------------------------------------------
def _chart_columns(section: Section) -> tuple[list[int], int]:
    """Indexes of the label columns and of the value column the chart uses."""
    spec, columns = section.spec, section.columns
    if spec.value in columns:
        value = columns.index(spec.value)
    else:
        numeric = [i for i, c in enumerate(columns)
                   if section.rows and _number(section.rows[0][i]) is not None and c not in _PORT_COLUMNS]
        if not numeric:
            raise ReportError(f"query '{spec.query}' returned no '{spec.value}' column to chart "
                              f"(columns: {', '.join(columns)})")
        value = numeric[-1]
    labels = [columns.index(c) for c in spec.labels if c in columns]
    if not labels:
        labels = [i for i, c in enumerate(columns)
                  if i != value and not (section.rows and _number(section.rows[0][i]) is not None)][:1]
    if not labels:
        raise ReportError(f"query '{spec.query}' returned no label column to chart "
                          f"(columns: {', '.join(columns)})")
    return labels, value


def _label(columns: Sequence[str], row: Sequence[Any], indexes: Sequence[int]) -> str:
    named = {columns[i]: row[i] for i in indexes}
    if "srcaddr" in named and "dstaddr" in named:
        text = f"{_text('srcaddr', named['srcaddr'])} \u2192 {_text('dstaddr', named['dstaddr'])}"
        if "dstport" in named:
            text += f":{_text('dstport', named['dstport'])}"
        rest = [_text(c, v) for c, v in named.items() if c not in ("srcaddr", "dstaddr", "dstport")]
        return " ".join([text, *rest])
    return " \u00b7 ".join(_text(c, v) for c, v in named.items())


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
    items = [(_label(section.columns, row, labels), _number(row[value]) or 0) for row in section.rows]
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
        when = _parse_time(row[time_index])
        if when is None:
            raise ReportError(f"query '{section.spec.query}' returned '{row[time_index]}' in column "
                              f"'{section.columns[time_index]}', which is not a time")
        name = " ".join(_text(section.columns[i], row[i]) for i in others) or unit
        series.setdefault(name, []).append((when, _number(row[value]) or 0))
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
    return env.get_template(_TEMPLATE).render(
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


# -- PNG export ------------------------------------------------------------------------------------
_SVG_RE = re.compile(r'<svg\b[^>]*\bdata-chart="([^"]+)"[^>]*>.*?</svg>', re.S)
_SIZE_RE = re.compile(r'\bwidth="(\d+)" height="(\d+)"')
_LABEL_RE = re.compile(r'\baria-label="([^"]*)"')
_PAD, _HEADING = 16, 30
_MIN_WINDOW_HEIGHT = 200  # headless Chromium paints only part of a window lower than about 160 px


def chromium_command(chromium: str, profile: Path) -> list[str]:
    """Headless Chromium that touches no network and no user profile."""
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={profile}"]


def write_pngs(html_path: Path, out_dir: Path, *, chromium: str = CHROMIUM, scale: int = 2,
               workers: int = 2) -> list[Path]:
    """One PNG per chart of a rendered report (``<query>.png``), screenshotted by headless Chromium."""
    if shutil.which(chromium) is None:
        raise ReportError(f"{chromium} not found: run scripts/install-chromium (or apt-get install chromium)")
    page = Path(html_path).read_text(encoding="utf-8")
    found = [(m.group(1), m.group(0)) for m in _SVG_RE.finditer(page)]
    if not found:
        raise ReportError(f"{html_path} holds no report charts")
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flowkit-png-") as tmp, ThreadPoolExecutor(workers) as pool:
        jobs = [pool.submit(_screenshot, chromium, name, svg, Path(tmp), out_dir / f"{name}.png", scale)
                for name, svg in found]
        return [job.result() for job in jobs]


def _screenshot(chromium: str, name: str, svg: str, tmp: Path, target: Path, scale: int) -> Path:
    size = _SIZE_RE.search(svg)
    if size is None:
        raise ReportError(f"chart '{name}' has no width/height")
    width = int(size.group(1)) + 2 * _PAD
    height = max(int(size.group(2)) + 2 * _PAD + _HEADING, _MIN_WINDOW_HEIGHT)
    label = _LABEL_RE.search(svg)
    standalone = tmp / f"{name}.html"
    standalone.write_text(
        '<!doctype html><html><head><meta charset="utf-8"></head>'
        f'<body style="margin:0;padding:{_PAD}px;background:#fff;color:{charts.TEXT}">'
        f'<div style="font:600 16px/{_HEADING}px {charts.FONT};height:{_HEADING}px">'
        f'{label.group(1) if label else ""}</div>{svg}</body></html>', encoding="utf-8")
    target.unlink(missing_ok=True)
    command = [*chromium_command(chromium, tmp / f"profile-{name}"), f"--screenshot={target}",
               f"--window-size={width},{height}", f"--force-device-scale-factor={scale}", standalone.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 or not target.is_file():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ReportError(f"chromium could not screenshot chart '{name}': {last}")
    return target
