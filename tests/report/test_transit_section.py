"""The report's transit gateway section: shown when the transit gateway table has records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flowkit import report

WHEN = datetime(2024, 5, 1, tzinfo=UTC)


@dataclass
class Rows:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def vpc(name: str, params: dict[str, str]) -> Rows:
    return Rows(["action", "flows", "bytes", "share"], [("ACCEPT", 3, 300, 1.0)])


def transit(name: str, params: dict[str, str]) -> Rows:
    rows = {
        "tgw-vpc-to-vpc": Rows(["src_vpc", "dst_vpc", "flow_direction", "flows", "packets", "bytes"],
                               [("vpc-a", "vpc-b", "ingress", 2, 20, 2000)]),
        "tgw-top-attachments": Rows(["tgw_attachment_id", "tgw_id", "flows", "packets", "bytes",
                                     "ingress_bytes", "egress_bytes"],
                                    [("tgw-attach-1", "tgw-1", 2, 20, 2000, 2000, 0)]),
        "tgw-bytes-per-hour": Rows(["hour_utc", "tgw_attachment_id", "bytes", "packets"],
                                   [("2024-05-01 10:00", "tgw-attach-1", 2000, 20)]),
        "tgw-packets-lost": Rows(["tgw_attachment_id", "reason", "packets_lost"],
                                 [("tgw-attach-1", "no-route", 5)]),
    }
    return rows[name]


def empty(name: str, params: dict[str, str]) -> Rows:
    return Rows(transit(name, params).columns, [])


def build(transit_run: Any) -> report.ReportData:
    return report.build_report(vpc, since=WHEN, until=WHEN, source_label="test", generated_at=WHEN,
                               reports=report.REPORTS[:1], transit=transit_run)


def test_section_when_the_transit_table_has_records() -> None:
    data = build(transit)
    assert [s.spec.query for s in data.sections] == ["accept-reject-ratio", *(s.query for s in
                                                                              report.TRANSIT_REPORTS)]
    page = report.render_html(data)
    assert "<h2>Transit gateways</h2>" in page and "tgw-attach-1" in page and "Packets lost" in page
    assert data.summary.flows == 3  # the totals stay those of the VPC flow logs


def test_no_section_without_records_or_table() -> None:
    for run in (empty, None):
        data = build(run)
        assert [s.spec.query for s in data.sections] == ["accept-reject-ratio"]
        assert "Transit gateways" not in report.render_html(data)
