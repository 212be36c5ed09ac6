"""Unit tests of the report with fake query results: charts, tables, summary, escaping, self-containment."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from flowkit import report
from flowkit.report import ReportData, ReportError, build_report, render_html

SINCE = datetime(2024, 5, 1, tzinfo=UTC)
UNTIL = datetime(2024, 5, 3, tzinfo=UTC)
GENERATED = datetime(2024, 5, 3, 8, 15, 42, tzinfo=UTC)
HOURS = [SINCE + timedelta(hours=h) for h in range(48) if h not in (10, 11, 12)]  # a 3-hour gap


@dataclass(frozen=True)
class FakeResult:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def fake_results() -> dict[str, FakeResult]:
    """Results shaped like the saved queries in sql/ (same column names)."""
    return {
        "accept-reject-ratio": FakeResult(("action", "flows", "bytes", "share"), [
            ("ACCEPT", 9_000, 123_456_789_012, 0.9), ("REJECT", 1_000, 5_678, 0.1)]),
        "rejected-by-protocol": FakeResult(("protocol", "rejected_flows", "share"), [
            (6, 800, 0.8), (17, 150, 0.15), (1, 50, 0.05)]),
        "rejected-sources": FakeResult(("srcaddr", "rejected_flows"), [
            *[(f"203.0.113.{i}", 500 - 20 * i) for i in range(20)], ("<script>alert(1)</script>", 1)]),
        "rejected-connections": FakeResult(("srcaddr", "dstaddr", "dstport", "rejected_flows"), [
            ("198.51.100.7", "10.0.1.5", 3389, 90), ("2001:db8::1", "10.0.1.5", 22, 40),
            ("198.51.100.8", "10.0.1.6", 1433, 3)]),
        "bytes-over-time": FakeResult(("hour_utc", "bytes"), [
            (f"{h:%Y-%m-%d %H:00}", 1_000_000 + 37_123 * i) for i, h in enumerate(HOURS)]),
        "packets-over-time": FakeResult(("hour_utc", "packets"), [
            (f"{h:%Y-%m-%d %H:00}", 2_000 + 11 * i) for i, h in enumerate(HOURS)]),
        "bytes-by-interface": FakeResult(("interface_id", "bytes", "packets"), [
            ("eni-0a11f3e5c7b9d2461", 4_000_000, 3_000), ("eni-0b22e4d6f8a0c3572", 1_000_000, 9_000)]),
        "packets-by-interface": FakeResult(("interface_id", "bytes", "packets"), [
            ("eni-0b22e4d6f8a0c3572", 1_000_000, 9_000), ("eni-0a11f3e5c7b9d2461", 4_000_000, 3_000)]),
        "top-talkers": FakeResult(("srcaddr", "bytes", "packets"), [
            (f"10.0.{i}.7", 10_000_000 - 100_000 * i, 5_000 - i) for i in range(50)]),
        "port-scan-suspects": FakeResult(("srcaddr", "distinct_ports", "rejected_flows"), [
            ("141.118.209.162", 63, 70)]),
        "ssh-rdp-traffic": FakeResult(
            ("srcaddr", "dstaddr", "dstport", "action", "flows", "packets", "bytes"), [
            ("91.116.10.229", "10.10.0.40", 22, "REJECT", 133, 273, 10_920),
            ("10.10.0.40", "10.10.1.50", 22, "ACCEPT", 33, 1_216, 565_478)]),
    }


def make_report(results: dict[str, FakeResult] | None = None,
                source: str = "local directory /tmp/logs") -> tuple[ReportData, list[tuple[str, dict]]]:
    data = fake_results() if results is None else results
    calls: list[tuple[str, dict]] = []

    def run(name: str, params: dict[str, str]) -> FakeResult:
        calls.append((name, params))
        return data[name]

    built = build_report(run, since=SINCE, until=UNTIL, source_label=source, generated_at=GENERATED)
    return built, calls


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(make_report()[0])


def chart(root: Any, name: str) -> Any:
    found = [svg for svg in root.find_all("svg") if svg.attrs.get("data-chart") == name]
    assert len(found) == 1, f"one chart for {name}"
    return found[0]


def marks(svg: Any) -> list[Any]:
    return [n for n in svg.iter() if "mark" in n.classes()]


def table_rows(root: Any, name: str) -> list[list[Any]]:
    tables = root.find_all("table", data_query=name)
    assert len(tables) == 1, f"one table for {name}"
    return [row.find_all("td") for row in tables[0].find_all("tbody")[0].find_all("tr")]


def test_runs_every_report_once_with_default_parameters() -> None:
    _, calls = make_report()
    assert [name for name, _ in calls] == [
        "accept-reject-ratio", "rejected-by-protocol", "rejected-sources", "rejected-connections",
        "bytes-over-time", "packets-over-time", "bytes-by-interface", "packets-by-interface",
        "top-talkers", "port-scan-suspects", "ssh-rdp-traffic"]
    assert all(params == {} for _, params in calls)  # port-scan-suspects keeps its min_ports default


def test_every_chart_draws_one_mark_per_row(page: str, html_tree: Callable) -> None:
    root = html_tree(page)
    data = fake_results()
    expected_marks = {name: len(result.rows) for name, result in data.items()}
    expected_marks["rejected-sources"] = 15  # 21 rows, top 15 drawn
    expected_marks["top-talkers"] = 15  # 50 rows
    svgs = [svg for svg in root.find_all("svg") if "chart" in svg.classes()]
    assert sorted(svg.attrs["data-chart"] for svg in svgs) == sorted(data)
    for name, count in expected_marks.items():
        svg = chart(root, name)
        assert float(svg.attrs["width"]) > 0 and float(svg.attrs["height"]) > 0
        assert len(marks(svg)) == count, name


def test_chart_values_equal_the_inputs(page: str, html_tree: Callable) -> None:
    root = html_tree(page)
    ratio = marks(chart(root, "accept-reject-ratio"))
    assert [(m.attrs["data-label"], int(m.attrs["data-value"])) for m in ratio] == [
        ("ACCEPT", 9000), ("REJECT", 1000)]
    # donut segments: 90 % and 10 % of the ring (pathLength 100)
    assert [float(m.attrs["stroke-dasharray"].split()[0]) for m in ratio] == pytest.approx([90.0, 10.0])
    protocols = marks(chart(root, "rejected-by-protocol"))
    assert [(m.attrs["data-label"], int(m.attrs["data-value"])) for m in protocols] == [
        ("TCP (6)", 800), ("UDP (17)", 150), ("ICMP (1)", 50)]
    sources = marks(chart(root, "rejected-sources"))
    assert [int(m.attrs["data-value"]) for m in sources] == [500 - 20 * i for i in range(15)]
    widths = [float(m.attrs["width"]) for m in sources]
    assert widths[1] / widths[0] == pytest.approx(480 / 500, rel=1e-3)
    assert widths[14] / widths[0] == pytest.approx(220 / 500, rel=1e-3)
    connections = marks(chart(root, "rejected-connections"))
    assert [m.attrs["data-label"] for m in connections] == [
        "198.51.100.7 \u2192 10.0.1.5:3389", "2001:db8::1 \u2192 10.0.1.5:22",
        "198.51.100.8 \u2192 10.0.1.6:1433"]
    ssh = marks(chart(root, "ssh-rdp-traffic"))
    assert [m.attrs["fill"] for m in ssh] == ["#c62828", "#2e8540"]  # REJECT red, ACCEPT green
    hourly = marks(chart(root, "bytes-over-time"))
    assert [int(m.attrs["data-value"]) for m in hourly] == [1_000_000 + 37_123 * i for i in range(45)]
    assert hourly[0].attrs["data-label"] == "2024-05-01 00:00 UTC"
    assert hourly[10].attrs["data-label"] == "2024-05-01 13:00 UTC"


def test_timeline_geometry(page: str, html_tree: Callable) -> None:
    svg = chart(html_tree(page), "packets-over-time")
    points = marks(svg)
    ys = [float(p.attrs["cy"]) for p in points]
    xs = [float(p.attrs["cx"]) for p in points]
    assert ys == sorted(ys, reverse=True)  # values grow, so points climb
    assert xs == sorted(xs)
    # x is linear in time: 1 hour apart before the gap, 4 hours across it
    hour = xs[1] - xs[0]
    assert xs[10] - xs[9] == pytest.approx(4 * hour, rel=1e-2)
    # the 3 missing hours break the line: two polylines
    assert len(svg.find_all("polyline")) == 2
    labels = [t.text() for t in svg.find_all("text")]
    assert {"00:00", "06:00", "12:00", "18:00"} <= set(labels)
    assert "hour (UTC)" in labels
    assert "Wed 01 May" in labels and "Thu 02 May" in labels


def test_tables_show_every_input_value(page: str, html_tree: Callable) -> None:
    root = html_tree(page)
    for name, result in fake_results().items():
        rows = table_rows(root, name)
        assert len(rows) == len(result.rows), name
        for cells, row in zip(rows, result.rows, strict=True):
            for cell, column, value in zip(cells, result.columns, row, strict=True):
                if isinstance(value, str):
                    assert cell.text() == value
                elif column == "protocol":
                    assert cell.attrs["data-value"] == str(value)
                elif column == "share":
                    assert cell.text() == f"{value * 100:.1f}%"
                elif column in ("dstport", "srcport"):
                    assert cell.text() == str(value)  # ports without thousands separators
                elif column == "bytes":
                    exact = cell.find_all("span")[0]
                    assert exact.text() == f"{value:,}"
                    assert cell.attrs["data-value"] == str(value)
                else:
                    assert cell.text() == f"{value:,}"
                    assert cell.attrs["data-value"] == str(value)


@pytest.mark.parametrize(("value", "shown"), [
    (5_678, "5.5 KiB"), (1_000, "1,000 B"), (123_456_789_012, "115.0 GiB"), (4_000_000, "3.8 MiB"),
    (1_621_470_711, "1.5 GiB")])
def test_bytes_are_human_readable_with_the_exact_value(value: int, shown: str, html_tree: Callable) -> None:
    data = fake_results()
    data["bytes-by-interface"] = FakeResult(("interface_id", "bytes", "packets"), [("eni-1", value, 1)])
    root = html_tree(render_html(make_report(data)[0]))
    cell = table_rows(root, "bytes-by-interface")[0][1]
    assert cell.text().endswith(shown)
    if value >= 1024:
        assert cell.find_all("span")[0].text() == f"{value:,}"
    else:
        assert cell.text() == shown
    bar = marks(chart(root, "bytes-by-interface"))[0]
    assert f"{value:,} bytes" in bar.find_all("title")[0].text()  # exact value in the tooltip


def test_protocol_numbers_are_named(page: str, html_tree: Callable) -> None:
    cells = [row[0].text() for row in table_rows(html_tree(page), "rejected-by-protocol")]
    assert cells == ["TCP (6)", "UDP (17)", "ICMP (1)"]


def test_header_states_window_source_time_and_totals(page: str, html_tree: Callable) -> None:
    root = html_tree(page)
    meta = {n.attrs["id"]: n.text() for n in root.find_all("dd")}
    assert meta["window"] == "2024-05-01 00:00 UTC to 2024-05-03 00:00 UTC (2 days)"
    assert meta["source"] == "local directory /tmp/logs"
    assert meta["generated"] == "2024-05-03 08:15 UTC"
    tiles = {n.attrs["data-tile"]: n for n in root.find_all("div") if "tile" in n.classes()}
    assert "10,000" in tiles["Flow records"].text()  # 9,000 + 1,000
    assert "123,456,794,690" in tiles["Bytes"].text()  # 123,456,789,012 + 5,678
    packets = sum(2_000 + 11 * i for i in range(45))
    assert f"{packets:,}" in tiles["Packets"].text()
    assert "10.0%" in tiles["Rejected"].text() and "1,000 flow records" in tiles["Rejected"].text()
    assert root.find_all("title")[0].text().startswith("VPC Flow Logs report")


def test_data_is_escaped(html_tree: Callable) -> None:
    data = fake_results()
    evil = '"><img src=x onerror=alert(1)>'
    data["bytes-by-interface"] = FakeResult(("interface_id", "bytes", "packets"), [(evil, 10, 1)])
    text = render_html(make_report(data, source="Athena workgroup <b>wg</b> & 'db'")[0])
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img" not in text and "<b>wg" not in text
    root = html_tree(text)
    assert root.find_all("dd", id="source")[0].text() == "Athena workgroup <b>wg</b> & 'db'"
    assert table_rows(root, "bytes-by-interface")[0][0].text() == evil
    assert marks(chart(root, "bytes-by-interface"))[0].attrs["data-label"] == evil
    assert table_rows(root, "rejected-sources")[-1][0].text() == "<script>alert(1)</script>"


def test_page_is_self_contained(page: str) -> None:
    lowered = page.lower()
    for needle in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "@font-face"):
        assert needle not in lowered, needle
    # the only URL is the SVG namespace (an identifier, never fetched)
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}


def test_empty_results_say_so(html_tree: Callable) -> None:
    data = fake_results()
    data["rejected-sources"] = FakeResult(("srcaddr", "rejected_flows"), [])
    root = html_tree(render_html(make_report(data)[0]))
    svg = chart(root, "rejected-sources")
    assert marks(svg) == []
    assert "No matching flow records in this time window." in svg.text()
    assert root.find_all("table", data_query="rejected-sources") == []


def test_many_protocols_fold_into_other(html_tree: Callable) -> None:
    data = fake_results()
    rows = [(p, 100 - p, 0.0) for p in range(1, 13)]  # 12 protocols
    data["rejected-by-protocol"] = FakeResult(("protocol", "rejected_flows", "share"), rows)
    segments = marks(chart(html_tree(render_html(make_report(data)[0])), "rejected-by-protocol"))
    assert len(segments) == 8
    assert segments[-1].attrs["data-label"] == "other (5)"
    assert int(segments[-1].attrs["data-value"]) == sum(100 - p for p in range(8, 13))


def test_long_table_is_capped_and_says_so(html_tree: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "TABLE_LIMIT", 10)
    page = render_html(make_report()[0])
    assert len(table_rows(html_tree(page), "top-talkers")) == 10
    assert "40 more rows are not shown" in page


def test_row_and_column_mismatch_is_an_error() -> None:
    data = fake_results()
    data["top-talkers"] = FakeResult(("srcaddr", "bytes", "packets"), [("10.0.0.1", 5)])
    with pytest.raises(ReportError, match="top-talkers"):
        make_report(data)


def test_result_without_chartable_column_is_an_error() -> None:
    data = fake_results()
    data["rejected-sources"] = FakeResult(("srcaddr", "note"), [("10.0.0.1", "x")])
    with pytest.raises(ReportError, match="rejected-sources.*rejected_flows"):
        render_html(make_report(data)[0])


def test_times_that_are_not_times_are_an_error() -> None:
    data = fake_results()
    data["bytes-over-time"] = FakeResult(("hour_utc", "bytes"), [("yesterday", 5)])
    with pytest.raises(ReportError, match="'yesterday'.*not a time"):
        render_html(make_report(data)[0])


def test_local_runner_runs_the_named_template_in_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    from flowkit import engine, queries

    seen: list[tuple[Any, ...]] = []

    def fake_run_query(template: Any, ctx: Any, logs_dir: Any, params: Any, window: Any,
                       warn: Any = None) -> FakeResult:
        seen.append((template.name, ctx, logs_dir, params, window))
        return FakeResult(("n",), [(1,)])

    monkeypatch.setattr(engine, "run_query", fake_run_query)
    ctx = object()
    run = report.local_runner(Path("/logs"), ctx, since=SINCE, until=UNTIL)  # type: ignore[arg-type]
    assert run("port-scan-suspects", {}).rows == [(1,)]
    template = queries.find("port-scan-suspects")
    assert seen == [(template.name, ctx, Path("/logs"), {}, engine.Window(SINCE, UNTIL))]


def test_athena_runner_runs_the_saved_query_in_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    from flowkit.aws import athena

    seen: list[tuple[Any, ...]] = []

    def fake_run_saved(session: Any, deployed: Any, template: Any, values: Any, ctx: Any, **kw: Any) -> Any:
        seen.append((session, deployed, template.name, values, ctx, kw["since"], kw["until"]))
        return FakeResult(("n",), [(2,)])

    monkeypatch.setattr(athena, "run_saved", fake_run_saved)
    session, deployed, ctx = object(), object(), object()
    run = report.athena_runner(session, deployed, ctx, since=SINCE, until=UNTIL)  # type: ignore[arg-type]
    assert run("top-talkers", {"x": "1"}).rows == [(2,)]
    assert seen == [(session, deployed, "top-talkers", {"x": "1"}, ctx, SINCE, UNTIL)]


def test_source_labels_name_the_data() -> None:
    from flowkit.aws.deployed import Deployed

    deployed = Deployed("case-42", "bucket", "", "parquet", False, True, "flowlogs_case_42", "flow_logs",
                        "flowlogs-case-42", "s3://bucket/athena-results/")
    assert report.athena_source(deployed, "eu-west-1") == (
        "Amazon Athena workgroup flowlogs-case-42 in eu-west-1, table flowlogs_case_42.flow_logs "
        "(investigation case-42)")
    assert report.local_source(Path("/tmp/logs")) == "local directory /tmp/logs (DuckDB engine)"


def test_runner_notes_and_skipped_lines_are_shown(html_tree: Callable) -> None:
    @dataclass(frozen=True)
    class EngineLike:
        columns: tuple[str, ...]
        rows: list[tuple[Any, ...]]
        skipped_lines: int
        notes: list[str]

    data: dict[str, Any] = fake_results()
    data["top-talkers"] = EngineLike(("srcaddr", "bytes", "packets"), [("10.0.0.1", 5, 1)], 1234,
                                     ["no file <b>x</b> in the window"])
    root = html_tree(render_html(make_report(data)[0]))
    section = root.find_all("section", id="top-talkers")[0]
    warnings = [p.text() for p in section.find_all("p") if "warning" in p.classes()]
    assert warnings == ["no file <b>x</b> in the window",
                        "1,234 malformed log line(s) were skipped while reading the files"]
