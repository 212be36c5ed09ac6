"""Expected answers of the transit gateway table's saved queries, from their descriptions.

Registered into reference_queries.EXPECTED; plain Python, no SQL, no flowkit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tests.expectations.reference_queries import (
    Answer,
    Record,
    Window,
    in_window,
    query,
    same_ip,
    timestamp,
    totals,
)

LOST = (("packets-lost-no-route", "no-route"), ("packets-lost-blackhole", "blackhole"),
        ("packets-lost-mtu-exceeded", "mtu-exceeded"), ("packets-lost-ttl-expired", "ttl-expired"))


def _or_dash(value: str | None) -> str:
    return "-" if value is None else value


@query("tgw-vpc-to-vpc")
def tgw_vpc_to_vpc(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    def key(r: Record) -> tuple[str, str, str]:
        return _or_dash(r["tgw-src-vpc-id"]), _or_dash(r["tgw-dst-vpc-id"]), r["flow-direction"]

    per = totals(in_window(records, w), key)
    rows = [(*key, *v) for key, v in per.items()]
    columns = ["src_vpc", "dst_vpc", "flow_direction", "flows", "packets", "bytes"]
    return columns, sorted(rows, key=lambda r: (-r[5], r[0], r[1], r[2]))


@query("tgw-top-attachments")
def tgw_top_attachments(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    per: dict[tuple[str, str], list[Record]] = {}
    for r in in_window(records, w):
        per.setdefault((r["tgw-attachment-id"], r["tgw-id"]), []).append(r)

    def direction(rs: list[Record], which: str) -> int:
        return sum(r["bytes"] for r in rs if r["flow-direction"] == which)

    rows = [(*key, len(rs), sum(r["packets"] for r in rs), sum(r["bytes"] for r in rs),
             direction(rs, "ingress"), direction(rs, "egress")) for key, rs in per.items()]
    columns = ["tgw_attachment_id", "tgw_id", "flows", "packets", "bytes", "ingress_bytes", "egress_bytes"]
    return columns, sorted(rows, key=lambda r: (-r[4], r[0], r[1]))[:50]


@query("tgw-packets-lost")
def tgw_packets_lost(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    sums: dict[tuple[str, str], int] = {}
    for r in in_window(records, w):
        for name, reason in LOST:
            key = (r["tgw-attachment-id"], reason)
            sums[key] = sums.get(key, 0) + r[name]
    rows = [(attachment, reason, lost) for (attachment, reason), lost in sums.items() if lost > 0]
    return ["tgw_attachment_id", "reason", "packets_lost"], sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


@query("tgw-bytes-per-hour")
def tgw_bytes_per_hour(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    def hour(r: Record) -> tuple[str, str]:
        return datetime.fromtimestamp(r["start"], UTC).strftime("%Y-%m-%d %H:00"), r["tgw-attachment-id"]

    rows = [(*key, v[2], v[1]) for key, v in totals(in_window(records, w), hour).items()]
    return ["hour_utc", "tgw_attachment_id", "bytes", "packets"], sorted(rows, key=lambda r: (r[0], r[1]))


def _nulls_last(value: Any) -> tuple[bool, Any]:
    return value is None, "" if value is None else value


@query("tgw-flows-to-destination")
def tgw_flows_to_destination(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if same_ip(r["dstaddr"], p["dstaddr"])]
    order = ("start", "tgw-attachment-id", "flow-direction", "srcaddr", "srcport", "dstport", "protocol",
             "packets", "bytes", "tgw-src-vpc-id", "tgw-dst-vpc-id", "dstaddr")
    selected.sort(key=lambda r: tuple(_nulls_last(r[name]) for name in order))
    shown = ("tgw-attachment-id", "flow-direction", "tgw-src-vpc-id", "srcaddr", "srcport", "tgw-dst-vpc-id",
             "dstaddr", "dstport", "protocol", "packets", "bytes")
    rows = [(timestamp(r["start"]), *(r[name] for name in shown)) for r in selected]
    return ["start_utc", *(name.replace("-", "_") for name in shown)], rows
