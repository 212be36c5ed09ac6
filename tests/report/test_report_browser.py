"""The report end to end: sample logs -> local engine -> HTML -> headless Chromium.

Chromium must be installed (``scripts/install-chromium``, which ``make test`` runs first): these tests
fail, never skip, without it. The numbers the page shows are compared with the local engine's results
and with totals computed here straight from the raw text logs.
"""

from __future__ import annotations

import gzip
import struct
import subprocess
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from flowkit import engine, queries, sample
from flowkit.catalogue import CATALOGUE
from flowkit.layout import Layout
from flowkit.report import REPORTS, ReportError, build_report, local_runner, render_html, write_pngs

CHROMIUM = Path("/usr/bin/chromium")
NOW = datetime(2024, 5, 2, tzinfo=UTC)
SINCE, UNTIL = NOW - timedelta(hours=8), NOW  # the sample day's incidents all fall in its last 8 hours
MEASURE = """<script>
for (const svg of document.querySelectorAll('svg.chart')) {
  const box = svg.getBoundingClientRect();
  svg.setAttribute('data-rendered', box.width + 'x' + box.height);
  const painted = [...svg.querySelectorAll('.mark')].filter(m => {
    const b = m.getBBox(); return b.width > 0 || b.height > 0; });
  svg.setAttribute('data-painted', String(painted.length));
}
</script>"""


@dataclass(frozen=True)
class Sample:
    html_path: Path
    html: str
    results: dict[str, Any]
    text_dir: Path
    tmp: Path


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    tmp = tmp_path_factory.mktemp("report")
    parquet_dir, text_dir = tmp / "parquet", tmp / "text"
    # the same seed and time give the same records; the report reads Parquet, the checks read text
    sample.write_sample(parquet_dir, days=1, file_format="parquet", hourly=True, now=NOW, flows_per_day=300)
    sample.write_sample(text_dir, days=1, file_format="text", now=NOW, flows_per_day=300)
    ctx = queries.RenderContext("flowlogs_test", "flow_logs", CATALOGUE, Layout("parquet", False, True, ""))
    engine_run = local_runner(parquet_dir, ctx, since=SINCE, until=UNTIL)
    results: dict[str, Any] = {}

    def run(name: str, params: dict[str, str]) -> Any:
        results[name] = engine_run(name, params)  # the engine's own rows, kept to compare with the page
        assert isinstance(results[name], engine.Result)
        return results[name]

    built = build_report(run, since=SINCE, until=UNTIL, source_label=f"local directory {parquet_dir}",
                         generated_at=datetime(2024, 5, 2, 9, 30, tzinfo=UTC))
    html = render_html(built)
    html_path = tmp / "report.html"
    html_path.write_text(html, encoding="utf-8")
    return Sample(html_path, html, results, text_dir, tmp)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: run scripts/install-chromium"
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


# -- PNG reading (stdlib only) -----------------------------------------------------------------------
def png_info(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed (still filtered) pixel rows; checks signature and CRCs."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, colour_type = 8, b"", 0, 0, -1
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            width, height, _depth, colour_type = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
        if kind == b"IEND":
            break
    assert colour_type in (2, 6), "expected an RGB(A) screenshot"
    return width, height, zlib.decompress(idat)


def busy_rows(width: int, height: int, raw: bytes) -> int:
    """Rows whose filtered bytes vary: a blank (one-colour) image has none, whatever the row filters."""
    stride = len(raw) // height
    assert stride >= width * 3
    return sum(1 for y in range(height) if len(set(raw[y * stride + 8:(y + 1) * stride])) > 8)


# -- what the page shows -----------------------------------------------------------------------------
def shown_tables(root: Any) -> dict[str, list[list[Any]]]:
    tables = {}
    for table in root.find_all("table"):
        rows = []
        for tr in table.find_all("tbody")[0].find_all("tr"):
            rows.append([int(td.attrs["data-value"]) if "data-value" in td.attrs and "." not in td.attrs[
                "data-value"] else td.text() for td in tr.find_all("td")])
        tables[table.attrs["data-query"]] = rows
    return tables


def expected_tables(results: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """Engine rows as the table shows them: integers exactly, text as is, shares as percentages."""
    out = {}
    for name, result in results.items():
        if not result.rows:
            continue  # an empty result has no table
        rows = []
        for row in result.rows:
            cells: list[Any] = []
            for column, value in zip(result.columns, row, strict=True):
                if value is None:
                    cells.append("\u2013")
                elif isinstance(value, float):
                    assert column == "share", f"unexpected float column {column}"
                    cells.append(f"{value * 100:.1f}%")
                else:
                    cells.append(value)
            rows.append(cells)
        out[name] = rows
    return out


def expected_marks(results: dict[str, Any]) -> dict[str, int]:
    limits = {"donut": 8, "bars": 15, "timeline": 10**9}
    return {spec.query: min(len(results[spec.query].rows), limits[spec.chart]) for spec in REPORTS}


def raw_totals(text_dir: Path) -> dict[str, Any]:
    """Totals straight from the gzip text logs: OK records whose start lies in [SINCE, UNTIL)."""
    flows: Counter[str] = Counter()
    byte_total, packets = 0, 0
    hourly: defaultdict[str, int] = defaultdict(int)
    low, high = SINCE.timestamp(), UNTIL.timestamp()
    for path in sorted(text_dir.rglob("*.log.gz")):
        with gzip.open(path, "rt") as handle:
            header = handle.readline().split()
            for line in handle:
                record = dict(zip(header, line.split(), strict=True))
                if record["log-status"] != "OK" or not low <= int(record["start"]) < high:
                    continue
                flows[record["action"]] += 1
                byte_total += int(record["bytes"])
                packets += int(record["packets"])
                hour = datetime.fromtimestamp(int(record["start"]) // 3600 * 3600, UTC)
                hourly[f"{hour:%Y-%m-%d %H:00}"] += int(record["bytes"])
    return {"flows": flows, "bytes": byte_total, "packets": packets, "hourly": dict(hourly)}


# -- tests -------------------------------------------------------------------------------------------
def test_page_shows_the_engine_results(made: Sample, html_tree: Callable) -> None:
    root = html_tree(made.html)
    assert set(made.results) == {spec.query for spec in REPORTS}
    assert all(made.results[q].rows for q in ("accept-reject-ratio", "port-scan-suspects", "ssh-rdp-traffic"))
    assert shown_tables(root) == expected_tables(made.results)
    charts = {svg.attrs["data-chart"]: svg for svg in root.find_all("svg") if "chart" in svg.classes()}
    for name, count in expected_marks(made.results).items():
        marks = [n for n in charts[name].iter() if "mark" in n.classes()]
        assert len(marks) == count, name


def test_page_totals_equal_the_raw_logs(made: Sample, html_tree: Callable) -> None:
    totals = raw_totals(made.text_dir)
    assert totals["flows"]["REJECT"] > 0 and totals["flows"]["ACCEPT"] > 0
    ratio = made.results["accept-reject-ratio"]
    assert {row[0]: row[1] for row in ratio.rows} == dict(totals["flows"])
    hourly = made.results["bytes-over-time"]
    assert dict(hourly.rows) == totals["hourly"]
    root = html_tree(made.html)
    tiles = {n.attrs["data-tile"]: n.text() for n in root.find_all("div") if "tile" in n.classes()}
    flows = sum(totals["flows"].values())
    assert f"{flows:,}" in tiles["Flow records"]
    assert f"{totals['bytes']:,}" in tiles["Bytes"]
    assert f"{totals['packets']:,}" in tiles["Packets"]
    assert f"{totals['flows']['REJECT'] / flows * 100:.1f}%" in tiles["Rejected"]
    assert f"{totals['flows']['REJECT']:,} flow records" in tiles["Rejected"]


def test_chromium_screenshot_is_a_real_picture(made: Sample) -> None:
    shot = made.tmp / "screenshot.png"
    chromium(f"--screenshot={shot}", "--window-size=1280,4000", "--hide-scrollbars", made.html_path.as_uri(),
             profile=made.tmp / "profile-shot")
    width, height, raw = png_info(shot.read_bytes())
    assert (width, height) == (1280, 4000)
    assert busy_rows(width, height, raw) > 400  # text, bars, donuts and lines, not an empty page


def test_chromium_renders_every_chart_with_the_engine_numbers(made: Sample, html_tree: Callable) -> None:
    measured = made.tmp / "measured.html"
    measured.write_text(made.html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = chromium("--dump-dom", "--window-size=1280,4000", measured.as_uri(),
                   profile=made.tmp / "profile-dom").stdout
    root = html_tree(dom)
    charts = {svg.attrs["data-chart"]: svg for svg in root.find_all("svg") if "chart" in svg.classes()}
    assert set(charts) == {spec.query for spec in REPORTS}
    for name, count in expected_marks(made.results).items():
        width, height = (float(v) for v in charts[name].attrs["data-rendered"].split("x"))
        assert width > 300 and height > 40, name
        assert int(charts[name].attrs["data-painted"]) == count, name
    assert shown_tables(root) == expected_tables(made.results)


def test_write_pngs_writes_one_picture_per_chart(made: Sample) -> None:
    # three charts (one of each kind) from the engine's results keep the test short
    kinds = {spec.chart: spec for spec in REPORTS}
    small = build_report(lambda name, _params: made.results[name], since=SINCE, until=UNTIL,
                         source_label="test", generated_at=UNTIL, reports=list(kinds.values()))
    html_path = made.tmp / "three.html"
    html_path.write_text(render_html(small), encoding="utf-8")
    written = write_pngs(html_path, made.tmp / "png")
    assert [p.name for p in written] == [f"{spec.query}.png" for spec in kinds.values()]
    for path in written:
        width, height, raw = png_info(path.read_bytes())
        assert width >= 2 * 540 and height >= 2 * 200, path.name  # scale 2
        assert busy_rows(width, height, raw) > 40, path.name


def test_write_pngs_needs_chromium(made: Sample) -> None:
    with pytest.raises(ReportError, match="/no/such-chromium not found: run scripts/install-chromium"):
        write_pngs(made.html_path, made.tmp / "none", chromium="/no/such-chromium")
