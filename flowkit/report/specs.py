"""What the report shows: one :class:`ReportSpec` per saved query, in page order, and column headings.

``REPORTS`` read the VPC flow logs' table; ``TRANSIT_REPORTS`` the transit gateway flow logs' one, shown
when that table has records in the window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from flowkit.report import charts

ChartKind = Literal["donut", "bars", "timeline"]

HEADINGS = {"srcaddr": "Source address", "dstaddr": "Destination address", "srcport": "Source port",
            "dstport": "Destination port", "protocol": "Protocol", "action": "Action",
            "interface_id": "Network interface", "hour_utc": "Hour (UTC)", "flows": "Flows",
            "rejected_flows": "Rejected flows", "bytes": "Bytes", "packets": "Packets", "share": "Share",
            "distinct_ports": "Distinct ports", "src_vpc": "Source VPC", "dst_vpc": "Destination VPC",
            "flow_direction": "Direction", "tgw_attachment_id": "Attachment", "tgw_id": "Transit gateway",
            "reason": "Reason", "packets_lost": "Packets lost", "ingress_bytes": "Bytes in",
            "egress_bytes": "Bytes out"}


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
TRANSIT = "Transit gateways"
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


TRANSIT_REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec("tgw-vpc-to-vpc", "Traffic between VPCs through the transit gateway",
               "Bytes per source and destination VPC and direction ('-': a VPN, Direct Connect or peering "
               "side); a flow through two captured attachments counts once per direction.", "bars", "bytes",
               ("src_vpc", "dst_vpc", "flow_direction"), TRANSIT),
    ReportSpec("tgw-top-attachments", "Busiest transit gateway attachments",
               "The attachments that moved the most bytes, in and out.", "bars", "bytes",
               ("tgw_attachment_id",), TRANSIT),
    ReportSpec("tgw-bytes-per-hour", "Transit gateway bytes per hour",
               "Bytes per attachment by the UTC hour in which each flow started.", "timeline", "bytes",
               ("hour_utc", "tgw_attachment_id"), TRANSIT),
    ReportSpec("tgw-packets-lost", "Packets the transit gateway lost",
               "Lost packets per attachment and reason: no route, a blackhole route, too large for the MTU, "
               "time to live expired.", "bars", "packets_lost", ("tgw_attachment_id", "reason"), TRANSIT,
               RED),
)


def heading(column: str) -> str:
    """A column's table heading (``srcaddr`` -> ``Source address``; unknown names made readable)."""
    return HEADINGS.get(column, column.replace("_", " ").capitalize())
