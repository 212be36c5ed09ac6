"""The report end to end: sample logs -> local engine -> HTML -> headless Chromium.

Chromium must be installed (``scripts/install-chromium``, which ``make test`` runs first): these tests
fail, never skip, without it. The numbers the page shows are compared with the local engine's results
and with totals computed here straight from the raw text logs.
"""

from __future__ import annotations

import gzip
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flowkit.report import REPORTS
from tests.report.endtoend import SINCE, UNTIL, Sample, busy_rows, chromium, png_info

MEASURE = """<script>
for (const svg of document.querySelectorAll('svg.chart')) {
  const box = svg.getBoundingClientRect();
  svg.setAttribute('data-rendered', box.width + 'x' + box.height);
  const painted = [...svg.querySelectorAll('.mark')].filter(m => {
    const b = m.getBBox(); return b.width > 0 || b.height > 0; });
  svg.setAttribute('data-painted', String(painted.length));
}
</script>"""


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
