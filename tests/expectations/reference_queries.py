"""Each saved query's answer computed in plain Python from its description (no SQL, no flowkit).

``EXPECTED[name](records, window, params)`` returns ``(columns, rows)``. ``records`` are dicts keyed by
hyphenated field names. The window keeps what Athena would read and count: files are keyed by the
records' END time, only partitions from since's to (until + 1 h)'s are read, and a record counts
when since <= start < until. Parameters arrive as the user would type them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

Record = Mapping[str, Any]
Row = tuple[Any, ...]
Answer = tuple[list[str], list[Row]]
Query = Callable[[list[Record], "Window", Mapping[str, str]], Answer]

ADMIN_PORTS = frozenset({21, 22, 23, 135, 139, 445, 3389, 5900, 5985, 5986})
DATABASE_PORTS = frozenset({1433, 1521, 3306, 5432, 5439, 6379, 9042, 9200, 11211, 27017})
LARGE_BYTES = 500 * 1024 * 1024
PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]
NOT_PUBLIC = PRIVATE + [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
    "::/128", "::1/128", "fe80::/10", "ff00::/8")]


@dataclass(frozen=True)
class Window:
    """[since, until) in Unix seconds, and whether partitions are hours (else days)."""

    since: int
    until: int
    hourly: bool


def _partition(epoch: int, hourly: bool) -> int:
    step = 3600 if hourly else 86400
    return epoch - epoch % step


def readable(record: Record, window: Window) -> bool:
    """The record's file (keyed by its end time) lies in the partitions the window reads."""
    part = _partition(record["end"], window.hourly)
    return _partition(window.since, window.hourly) <= part <= _partition(window.until + 3600, window.hourly)


def in_window(records: Iterable[Record], window: Window, only_ok: bool = True) -> list[Record]:
    return [
        r for r in records
        if readable(r, window) and window.since <= r["start"] < window.until
        and (not only_ok or r["log-status"] == "OK")
    ]


def timestamp(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def same_ip(text: str | None, wanted: str) -> bool:
    return text is not None and ipaddress.ip_address(text) == ipaddress.ip_address(wanted.strip())


def totals(records: Iterable[Record], key: Callable[[Record], Row]) -> dict[Row, list[int]]:
    """key -> [flows, packets, bytes]."""
    out: dict[Row, list[int]] = {}
    for r in records:
        entry = out.setdefault(key(r), [0, 0, 0])
        entry[0] += 1
        entry[1] += r["packets"] or 0
        entry[2] += r["bytes"] or 0
    return out


def fields(*names: str) -> Callable[[Record], Row]:
    return lambda r: tuple(r[n] for n in names)


EXPECTED: dict[str, Query] = {}


def query(name: str) -> Callable[[Query], Query]:
    def register(function: Query) -> Query:
        EXPECTED[name] = function
        return function
    return register


# -- overall shares ----------------------------------------------------------------------------------
@query("accept-reject-ratio")
def accept_reject_ratio(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    per = totals(in_window(records, w), fields("action"))
    everything = sum(v[0] for v in per.values())
    rows = [(a, v[0], v[2], v[0] / everything) for (a,), v in per.items()]
    return ["action", "flows", "bytes", "share"], sorted(rows, key=lambda r: (-r[1], r[0]))


@query("rejected-by-protocol")
def rejected_by_protocol(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    per = totals([r for r in in_window(records, w) if r["action"] == "REJECT"], fields("protocol"))
    everything = sum(v[0] for v in per.values())
    rows = [(proto, v[0], v[0] / everything) for (proto,), v in per.items()]
    return ["protocol", "rejected_flows", "share"], sorted(rows, key=lambda r: (-r[1], r[0]))


@query("bytes-by-ip-version")
def bytes_by_ip_version(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    ok = in_window(records, w)
    v4 = [r for r in ok if ipaddress.ip_address(r["srcaddr"]).version == 4]
    v6 = [r for r in ok if ipaddress.ip_address(r["srcaddr"]).version == 6]
    row = (sum(r["bytes"] for r in v4), sum(r["bytes"] for r in v6),
           sum(r["packets"] for r in v4), sum(r["packets"] for r in v6), len(v4), len(v6))
    columns = ["ipv4_bytes", "ipv6_bytes", "ipv4_packets", "ipv6_packets", "ipv4_flows", "ipv6_flows"]
    return columns, [row]


@query("log-coverage")
def log_coverage(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    per: dict[str, list[Record]] = {}
    for r in in_window(records, w, only_ok=False):
        per.setdefault(r["log-status"], []).append(r)
    rows = [(s, len(rs), len({r["interface-id"] for r in rs})) for s, rs in per.items()]
    return ["log_status", "records", "interfaces"], sorted(rows, key=lambda r: (-r[1], r[0]))


def _per_hour(records: list[Record], w: Window, measure: str) -> list[Row]:
    per: dict[str, int] = {}
    for r in in_window(records, w):
        hour = datetime.fromtimestamp(r["start"], UTC).strftime("%Y-%m-%d %H:00")
        per[hour] = per.get(hour, 0) + r[measure]
    return sorted(per.items())


@query("bytes-over-time")
def bytes_over_time(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return ["hour_utc", "bytes"], _per_hour(records, w, "bytes")


@query("packets-over-time")
def packets_over_time(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return ["hour_utc", "packets"], _per_hour(records, w, "packets")


# -- per interface, instance, subnet -----------------------------------------------------------------
@query("bytes-by-interface")
def bytes_by_interface(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    per = totals(in_window(records, w), fields("interface-id"))
    rows = [(eni, v[2], v[1]) for (eni,), v in per.items()]
    return ["interface_id", "bytes", "packets"], sorted(rows, key=lambda r: (-r[1], r[0]))


@query("packets-by-interface")
def packets_by_interface(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    per = totals(in_window(records, w), fields("interface-id"))
    rows = [(eni, v[2], v[1]) for (eni,), v in per.items()]
    return ["interface_id", "bytes", "packets"], sorted(rows, key=lambda r: (-r[2], r[0]))


def _top_by_bytes(records: list[Record], w: Window, names: tuple[str, ...], limit: int) -> list[Row]:
    per = totals([r for r in in_window(records, w) if all(r[n] is not None for n in names)], fields(*names))
    rows = [(*key, v[2], v[1]) for key, v in per.items()]
    return sorted(rows, key=lambda r: (-r[len(names)], *r[: len(names)]))[:limit]


@query("top-talking-instances")
def top_talking_instances(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return ["instance_id", "bytes", "packets"], _top_by_bytes(records, w, ("instance-id",), 50)


@query("top-talking-subnets")
def top_talking_subnets(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return ["subnet_id", "bytes", "packets"], _top_by_bytes(records, w, ("subnet-id",), 50)


# -- top talkers -------------------------------------------------------------------------------------
@query("top-talkers")
def top_talkers(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return ["srcaddr", "bytes", "packets"], _top_by_bytes(records, w, ("srcaddr",), 50)


@query("top-talkers-packet-level")
def top_talkers_packet_level(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return ["pkt_srcaddr", "bytes", "packets"], _top_by_bytes(records, w, ("pkt-srcaddr",), 50)


@query("top-pairs")
def top_pairs(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return ["srcaddr", "dstaddr", "bytes", "packets"], _top_by_bytes(records, w, ("srcaddr", "dstaddr"), 50)


@query("top-pairs-packet-level")
def top_pairs_packet_level(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    rows = _top_by_bytes(records, w, ("pkt-srcaddr", "pkt-dstaddr"), 50)
    return ["pkt_srcaddr", "pkt_dstaddr", "bytes", "packets"], rows


@query("top-accepted-sources")
def top_accepted_sources(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    per = totals([r for r in in_window(records, w) if r["action"] == "ACCEPT"], fields("srcaddr"))
    rows = sorted(((src, v[0]) for (src,), v in per.items()), key=lambda r: (-r[1], r[0]))
    return ["srcaddr", "flows"], rows[:10]


@query("first-last-seen")
def first_last_seen(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    per: dict[str, list[Record]] = {}
    for r in in_window(records, w):
        per.setdefault(r["srcaddr"], []).append(r)
    rows = [(src, timestamp(min(r["start"] for r in rs)), timestamp(max(r["end"] for r in rs)), len(rs))
            for src, rs in per.items()]
    return ["srcaddr", "first_seen", "last_seen", "flows"], sorted(rows, key=lambda r: (-r[3], r[0]))


# -- ports and actions -------------------------------------------------------------------------------
def _flows_per_port_action(selected: list[Record]) -> list[Row]:
    per = totals(selected, fields("srcaddr", "dstaddr", "dstport", "action"))
    rows = [(*key, *v) for key, v in per.items()]
    return sorted(rows, key=lambda r: (-r[4], *r[:4]))


PORT_ACTION_COLUMNS = ["srcaddr", "dstaddr", "dstport", "action", "flows", "packets", "bytes"]


@query("admin-port-traffic")
def admin_port_traffic(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if r["dstport"] in ADMIN_PORTS]
    return PORT_ACTION_COLUMNS, _flows_per_port_action(selected)


@query("ssh-rdp-traffic")
def ssh_rdp_traffic(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if r["dstport"] in (22, 3389)]
    return PORT_ACTION_COLUMNS, _flows_per_port_action(selected)


@query("database-port-traffic")
def database_port_traffic(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if r["dstport"] in DATABASE_PORTS]
    return PORT_ACTION_COLUMNS, _flows_per_port_action(selected)


@query("accepted-tcp")
def accepted_tcp(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if r["action"] == "ACCEPT" and r["protocol"] == 6]
    per = totals(selected, fields("srcaddr", "dstaddr", "dstport"))
    rows = [(*key, *v) for key, v in per.items()]
    columns = ["srcaddr", "dstaddr", "dstport", "flows", "packets", "bytes"]
    return columns, sorted(rows, key=lambda r: (-r[5], *r[:3]))


def _rejected_per(records: list[Record], w: Window, names: tuple[str, ...],
                  tcp_only: bool = False) -> list[Row]:
    selected = [r for r in in_window(records, w)
                if r["action"] == "REJECT" and (not tcp_only or r["protocol"] == 6)]
    rows = [(*key, v[0]) for key, v in totals(selected, fields(*names)).items()]
    return sorted(rows, key=lambda r: (-r[-1], *r[:-1]))


@query("rejected-connections")
def rejected_connections(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    rows = _rejected_per(records, w, ("srcaddr", "dstaddr", "dstport"))
    return ["srcaddr", "dstaddr", "dstport", "rejected_flows"], rows


@query("rejected-tcp")
def rejected_tcp(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    rows = _rejected_per(records, w, ("srcaddr", "dstaddr", "dstport"), tcp_only=True)
    return ["srcaddr", "dstaddr", "dstport", "rejected_flows"], rows


@query("rejected-sources")
def rejected_sources(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return ["srcaddr", "rejected_flows"], _rejected_per(records, w, ("srcaddr",))


@query("port-scan-suspects")
def port_scan_suspects(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    minimum = int(p.get("min_ports", "20"))
    per: dict[str, list[Record]] = {}
    for r in in_window(records, w):
        if r["action"] == "REJECT":
            per.setdefault(r["srcaddr"], []).append(r)
    rows = [(src, len({r["dstport"] for r in rs}), len(rs)) for src, rs in per.items()]
    rows = [r for r in rows if r[1] >= minimum]
    return ["srcaddr", "distinct_ports", "rejected_flows"], sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))


@query("unusual-protocols")
def unusual_protocols(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if r["protocol"] not in (1, 6, 17, 58)]
    rows = [(*key, *v) for key, v in totals(selected, fields("protocol", "srcaddr", "dstaddr")).items()]
    columns = ["protocol", "srcaddr", "dstaddr", "flows", "packets", "bytes"]
    return columns, sorted(rows, key=lambda r: (-r[3], *r[:3]))


def _is_private(text: str) -> bool:
    address = ipaddress.ip_address(text)
    return any(address in net for net in PRIVATE if net.version == address.version)


def _is_public(text: str) -> bool:
    address = ipaddress.ip_address(text)
    return not any(address in net for net in NOT_PUBLIC if net.version == address.version)


@query("private-to-public")
def private_to_public(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if _is_private(r["srcaddr"]) and _is_public(r["dstaddr"])]
    rows = [(*key, v[2], v[1]) for key, v in totals(selected, fields("srcaddr", "dstaddr")).items()]
    return ["srcaddr", "dstaddr", "bytes", "packets"], sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


# -- raw flow records --------------------------------------------------------------------------------
RAW_COLUMNS = ["start_utc", "interface_id", "srcaddr", "srcport", "dstaddr", "dstport", "protocol",
               "packets", "bytes", "start", "end", "action"]


def _raw(r: Record) -> Row:
    return (timestamp(r["start"]), r["interface-id"], r["srcaddr"], r["srcport"], r["dstaddr"],
            r["dstport"], r["protocol"], r["packets"], r["bytes"], r["start"], r["end"], r["action"])


def _oldest_first(selected: list[Record]) -> list[Row]:
    # ORDER BY start, interface_id, srcaddr, srcport, dstaddr, dstport, protocol, end, packets, bytes, action
    def key(r: Record) -> Row:
        return (r["start"], r["interface-id"], r["srcaddr"], r["srcport"], r["dstaddr"], r["dstport"],
                r["protocol"], r["end"], r["packets"], r["bytes"], r["action"])
    return [_raw(r) for r in sorted(selected, key=key)]


@query("rejected-traffic")
def rejected_traffic(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return RAW_COLUMNS, _oldest_first([r for r in in_window(records, w) if r["action"] == "REJECT"])


@query("large-transfers")
def large_transfers(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if r["bytes"] > LARGE_BYTES]
    ordered = sorted(_oldest_first(selected), key=lambda row: -row[8])  # stable: then oldest first
    return RAW_COLUMNS, ordered


@query("flows-to-host-port")
def flows_to_host_port(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if same_ip(r["dstaddr"], p["address"])
                and r["dstport"] == int(p["port"]) and r["protocol"] == int(p["protocol"])]
    return RAW_COLUMNS, _oldest_first(selected)


@query("flows-between-hosts-on-port")
def flows_between_hosts_on_port(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w)
                if same_ip(r["srcaddr"], p["srcaddr"]) and same_ip(r["dstaddr"], p["dstaddr"])
                and r["dstport"] == int(p["dstport"]) and r["protocol"] == int(p["protocol"])]
    return RAW_COLUMNS, _oldest_first(selected)


# -- one interface or host ---------------------------------------------------------------------------
def _inbound(records: list[Record], w: Window, p: Mapping[str, str]) -> list[Record]:
    return [r for r in in_window(records, w)
            if r["interface-id"] == p["interface_id"].strip() and same_ip(r["dstaddr"], p["address"])]


def _flows_per_port(selected: list[Record]) -> list[Row]:
    rows = [(port, v[0]) for (port,), v in totals(selected, fields("dstport")).items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


@query("accepted-ports-check")
def accepted_ports_check(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    ports = {int(part) for part in p["ports"].split(",")}
    selected = [r for r in _inbound(records, w, p) if r["action"] == "ACCEPT" and r["dstport"] in ports]
    return ["dstport", "flows"], _flows_per_port(selected)


@query("accepted-well-known-ports")
def accepted_well_known_ports(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in _inbound(records, w, p) if r["action"] == "ACCEPT" and 0 <= r["dstport"] <= 1023]
    return ["dstport", "flows"], _flows_per_port(selected)


@query("inbound-from-source")
def inbound_from_source(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in _inbound(records, w, p) if same_ip(r["srcaddr"], p["srcaddr"])]
    rows = [(*key, v[0]) for key, v in totals(selected, fields("dstport", "action")).items()]
    return ["dstport", "action", "flows"], sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


@query("port-usage-between-hosts")
def port_usage_between_hosts(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w)
                if same_ip(r["srcaddr"], p["srcaddr"]) and same_ip(r["dstaddr"], p["dstaddr"])]
    rows = [(*key, v[1]) for key, v in totals(selected, fields("dstaddr", "dstport", "protocol")).items()]
    return ["dstaddr", "dstport", "protocol", "packets"], sorted(rows, key=lambda r: (-r[3], r[1], r[2]))


@query("tcp-from-source")
def tcp_from_source(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w)
                if r["protocol"] == 6 and same_ip(r["srcaddr"], p["srcaddr"])]
    rows = [(*key, *v) for key, v in totals(selected, fields("dstaddr", "dstport", "action")).items()]
    columns = ["dstaddr", "dstport", "action", "flows", "packets", "bytes"]
    return columns, sorted(rows, key=lambda r: (-r[5], *r[:3]))


@query("traffic-from-source")
def traffic_from_source(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if same_ip(r["srcaddr"], p["srcaddr"])]
    per = totals(selected, fields("dstaddr", "dstport", "protocol", "action"))
    rows = [(*key, *v) for key, v in per.items()]
    columns = ["dstaddr", "dstport", "protocol", "action", "flows", "packets", "bytes"]
    return columns, sorted(rows, key=lambda r: (-r[6], *r[:4]))


@query("traffic-to-destination")
def traffic_to_destination(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    selected = [r for r in in_window(records, w) if same_ip(r["dstaddr"], p["dstaddr"])]
    per = totals(selected, fields("srcaddr", "dstport", "protocol", "action"))
    rows = [(*key, *v) for key, v in per.items()]
    columns = ["srcaddr", "dstport", "protocol", "action", "flows", "packets", "bytes"]
    return columns, sorted(rows, key=lambda r: (-r[6], *r[:4]))


# The queries of the fields of versions 8 to 11 and of the transit gateway table register themselves.
from tests.expectations import reference_newer, reference_transit  # noqa: E402, F401
