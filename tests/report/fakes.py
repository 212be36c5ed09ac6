"""Fake query results shaped like the saved queries in sql/, and readers of the page made from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flowkit.report import ReportData, build_report

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


def make_report(results: dict[str, Any] | None = None,
                source: str = "local directory /tmp/logs") -> tuple[ReportData, list[tuple[str, dict]]]:
    """The report of ``results`` (default: :func:`fake_results`) and the runner calls it made."""
    data = fake_results() if results is None else results
    calls: list[tuple[str, dict]] = []

    def run(name: str, params: dict[str, str]) -> FakeResult:
        calls.append((name, params))
        return data[name]

    built = build_report(run, since=SINCE, until=UNTIL, source_label=source, generated_at=GENERATED)
    return built, calls


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
