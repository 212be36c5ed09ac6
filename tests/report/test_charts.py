"""The charts (fake results): one mark per row, exact values, geometry, folding, what cannot be charted."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from flowkit.report import ReportError, render_html
from tests.report.fakes import FakeResult, chart, fake_results, make_report, marks


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
