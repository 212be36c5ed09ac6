"""A hand-designed set of flow log records for checking every saved query against plain Python.

Every field of versions 2 to 11; those after version 5 come from newer_fields.py. Pure data, no
flowkit import. Records are dicts keyed by the hyphenated AWS field names; ``None`` is
what AWS writes as ``-``. Everything is placed relative to MAIN_SINCE (2024-05-01T00:00:00Z) and
MAIN_UNTIL (24 h later); the boundary records are named in the comments next to them.
"""

from __future__ import annotations

from typing import Any

from tests.expectations.newer_fields import ECS_FIELDS, NEWER_FIELDS, resource_values, traffic_values

# The v5 format in AWS documentation order (VPC user guide, "Available fields", versions 2 to 5).
V5_FIELDS: tuple[str, ...] = (
    "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
    "packets", "bytes", "start", "end", "action", "log-status",
    "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
    "region", "az-id", "sublocation-type", "sublocation-id",
    "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
)
# Every field of versions 2 to 11, in AWS documentation order: what the files hold and the table reads.
ALL_FIELDS: tuple[str, ...] = V5_FIELDS + ECS_FIELDS + NEWER_FIELDS
# Parquet physical types of the non-string fields (reference facts, section 1; no newer field is one).
INT32_FIELDS = frozenset({"version", "srcport", "dstport", "protocol", "tcp-flags", "traffic-path"})
INT64_FIELDS = frozenset({"packets", "bytes", "start", "end"})

MAIN_SINCE = 1714521600  # 2024-05-01T00:00:00Z
MAIN_UNTIL = MAIN_SINCE + 86400  # 2024-05-02T00:00:00Z
# A second window that starts and ends in the middle of an hour.
MID_SINCE = MAIN_SINCE + 6 * 3600 + 1800  # 2024-05-01T06:30:00Z
MID_UNTIL = MAIN_SINCE + 18 * 3600 + 1800  # 2024-05-01T18:30:00Z

ACCOUNT_A, ACCOUNT_B = "111122223333", "444455556666"
EU, US = "eu-west-1", "us-east-1"

WEB_IP, WEB_IP6 = "10.0.1.10", "2600:1f18:aaaa::10"
DB_IP, DB_IP6 = "10.0.2.20", "fd00:a::20"
BASTION_IP = "172.16.5.4"

# interface -> (account, region, vpc, subnet, instance or None, az)
ENIS: dict[str, tuple[str, str, str, str, str | None, str]] = {
    "eni-0web00000000000a1": (ACCOUNT_A, EU, "vpc-0a00000000000000a", "subnet-0a000000000000a1",
                              "i-0web00000000000a1", "euw1-az1"),
    "eni-0db000000000000a2": (ACCOUNT_A, EU, "vpc-0a00000000000000a", "subnet-0a000000000000a2",
                              "i-0db000000000000a2", "euw1-az2"),
    "eni-0nat00000000000a3": (ACCOUNT_A, EU, "vpc-0a00000000000000a", "subnet-0a000000000000a1",
                              None, "euw1-az1"),
    "eni-0lb000000000000a4": (ACCOUNT_A, EU, "vpc-0a00000000000000a", "subnet-0a000000000000a1",
                              None, "euw1-az1"),
    "eni-0idle0000000000a5": (ACCOUNT_A, EU, "vpc-0a00000000000000a", "subnet-0a000000000000a2",
                              "i-0idle0000000000a5", "euw1-az2"),
    "eni-0bastion00000a6": (ACCOUNT_A, US, "vpc-0a00000000000000b", "subnet-0a000000000000b1",
                            "i-0bastion00000a6", "use1-az1"),
    "eni-0b1000000000000b1": (ACCOUNT_B, US, "vpc-0b00000000000000b", "subnet-0b000000000000b1",
                              "i-0b1000000000000b1", "use1-az4"),
    "eni-0b2000000000000b2": (ACCOUNT_B, US, "vpc-0b00000000000000b", "subnet-0b000000000000b1",
                              "i-0b2000000000000b2", "use1-az4"),
}
WEB, DB, NAT, LB, IDLE, BASTION, B1, B2 = ENIS

S, U = MAIN_SINCE, MAIN_UNTIL
TCP, UDP, ICMP, ICMP6, GRE, ESP = 6, 17, 1, 58, 47, 50


def _base(eni: str, start: int, end: int) -> dict[str, Any]:
    account, region, vpc, subnet, instance, az = ENIS[eni]
    return {
        **resource_values(eni, instance),
        "version": 11, "account-id": account, "interface-id": eni, "start": start, "end": end,
        "vpc-id": vpc, "subnet-id": subnet, "instance-id": instance, "region": region, "az-id": az,
        "sublocation-type": None, "sublocation-id": None,
        "pkt-src-aws-service": None, "pkt-dst-aws-service": None,
    }


def flow(eni: str, src: str, dst: str, sport: int, dport: int, proto: int, packets: int, size: int,
         start: int, action: str = "ACCEPT", *, end: int | None = None, egress: bool = False,
         pkt_src: str | None = None, pkt_dst: str | None = None, path: int | None = None,
         dst_service: str | None = None, hop: str | None = None) -> dict[str, Any]:
    """One OK record; ``end`` defaults to 55 s after ``start``; ``hop``: the next hop's interface."""
    record = _base(eni, start, start + 55 if end is None else end)
    record.update({
        "srcaddr": src, "dstaddr": dst, "srcport": sport, "dstport": dport, "protocol": proto,
        "packets": packets, "bytes": size, "action": action, "log-status": "OK",
        "tcp-flags": (2 if action == "REJECT" else 19) if proto == TCP else 0,
        "type": "IPv6" if ":" in src else "IPv4",
        "pkt-srcaddr": pkt_src or src, "pkt-dstaddr": pkt_dst or dst,
        "pkt-dst-aws-service": dst_service,
        "flow-direction": "egress" if egress else "ingress",
        "traffic-path": (path or 1) if egress else None,
    })
    record.update(traffic_values(record))
    if hop is not None:
        _, _, vpc, subnet, _, az = ENIS[hop]
        record.update({"next-hop-interface-id": hop, "next-hop-subnet-id": subnet, "next-hop-az-id": az,
                       "next-hop-vpc-id": vpc})
    return record


def status(eni: str, log_status: str, start: int, end: int | None = None) -> dict[str, Any]:
    """A NODATA or SKIPDATA record: '-' in srcaddr ... bytes and action (and the packet fields)."""
    record = _base(eni, start, start + 59 if end is None else end)
    for name in ALL_FIELDS:
        record.setdefault(name, None)
    record["log-status"] = log_status
    return record


def _web_clients() -> list[dict[str, Any]]:
    """56 distinct HTTPS clients (more than top-N limits of 10 and 50), with equal-byte ties."""
    out = []
    for i in range(56):
        if i < 40:
            src, dst = f"198.51.100.{i + 1}", WEB_IP
        elif i < 52:
            src, dst = f"203.0.113.{i - 39}", WEB_IP
        else:
            src, dst = f"2001:db8:cafe::{i - 51}", WEB_IP6
        size = 1200 + (i % 5) * 300
        out.append(flow(WEB, src, dst, 49152 + i, 443, TCP, 8 + i % 3, size, S + 300 + i * 1500))
    return out


def _port_scan() -> list[dict[str, Any]]:
    """203.0.113.66 probes TCP ports 1..25 (and 22 twice, and ICMP) within five minutes."""
    out = [flow(WEB, "203.0.113.66", WEB_IP, 61000, port, TCP, 1, 44, S + 40000 + port * 2, "REJECT")
           for port in range(1, 26)]
    out.append(flow(WEB, "203.0.113.66", WEB_IP, 61001, 22, TCP, 1, 44, S + 40100, "REJECT"))
    out.append(flow(WEB, "203.0.113.66", WEB_IP, 0, 0, ICMP, 1, 28, S + 40110, "REJECT"))
    return out


def _small_scanners() -> list[dict[str, Any]]:
    """Two sources with 3 distinct rejected ports and 3 flows each: a tie down to the address."""
    out = []
    for n, src in enumerate(("198.51.100.251", "198.51.100.250")):
        for k, port in enumerate((8080, 8443, 9090)):
            out.append(flow(WEB, src, WEB_IP, 50000 + k, port, TCP, 1, 40, S + 50000 + n * 600 + k * 10,
                            "REJECT"))
    return out


def _web_to_db() -> list[dict[str, Any]]:
    """Intra-VPC traffic; the PostgreSQL flows are recorded on both interfaces (egress and ingress), each
    naming the other as its next hop in the other Availability Zone."""
    out = []
    for k in range(4):
        start = S + 3600 * (k + 1)
        out.append(flow(WEB, WEB_IP, DB_IP, 40001, 5432, TCP, 100, 80000, start, egress=True, hop=DB))
        out.append(flow(DB, WEB_IP, DB_IP, 40001, 5432, TCP, 100, 80000, start, hop=WEB))
    out += [
        flow(DB, WEB_IP, DB_IP, 40010, 6379, TCP, 30, 3000, S + 5000, hop=WEB),
        flow(DB, WEB_IP, DB_IP, 40011, 6379, TCP, 30, 3000, S + 5600),
        flow(WEB, WEB_IP, DB_IP, 40012, 5985, TCP, 30, 4500, S + 6000, egress=True, hop=DB),
        flow(WEB, WEB_IP, DB_IP, 0, 0, ICMP, 30, 2520, S + 6100, egress=True),
        flow(WEB, WEB_IP, DB_IP, 0, 0, GRE, 30, 3600, S + 6200, egress=True),
        flow(WEB, WEB_IP, DB_IP, 40013, 5433, TCP, 3, 180, S + 6300, egress=True),
        flow(WEB, WEB_IP, "10.0.0.53", 53000, 53, UDP, 2, 140, S + 1000, egress=True),
        flow(WEB, WEB_IP, "10.0.0.53", 53001, 53, UDP, 2, 140, S + 1600, egress=True),
        flow(WEB, WEB_IP, "10.0.0.53", 53002, 53, UDP, 2, 140, S + 2200, egress=True),
        flow(WEB, WEB_IP, "10.0.0.53", 53003, 53, TCP, 6, 400, S + 2800, egress=True),
    ]
    return out


def _admin_and_database() -> list[dict[str, Any]]:
    a50, a77, bad6 = "203.0.113.50", "198.51.100.77", "2001:db8:bad::1"
    return [
        flow(WEB, a50, WEB_IP, 51000, 22, TCP, 2, 120, S + 8000, "REJECT"),
        flow(WEB, a50, WEB_IP, 51001, 22, TCP, 2, 120, S + 8600, "REJECT"),
        flow(WEB, a50, WEB_IP, 51002, 22, TCP, 2, 120, S + 9200, "REJECT"),
        flow(WEB, a50, WEB_IP, 51003, 23, TCP, 1, 60, S + 9800, "REJECT"),
        flow(WEB, a50, WEB_IP, 51004, 139, UDP, 1, 78, S + 10400, "REJECT"),
        flow(DB, a50, DB_IP, 51005, 3306, TCP, 1, 60, S + 11000, "REJECT"),
        # bastion in another region and account partition: recorded on both sides of the peering
        flow(WEB, BASTION_IP, WEB_IP, 52000, 22, TCP, 200, 30000, S + 12000),
        flow(BASTION, BASTION_IP, WEB_IP, 52000, 22, TCP, 200, 30000, S + 12000, egress=True, path=5),
        flow(WEB, BASTION_IP, WEB_IP, 52001, 22, TCP, 200, 30000, S + 15000),
        flow(DB, BASTION_IP, DB_IP, 52002, 1433, TCP, 20, 3000, S + 13000),
        flow(DB, BASTION_IP, DB_IP, 52003, 1433, TCP, 20, 3000, S + 13600),
        flow(WEB, a77, WEB_IP, 53000, 3389, TCP, 2, 104, S + 14000, "REJECT"),
        flow(WEB, a77, WEB_IP, 53001, 3389, TCP, 2, 104, S + 14600, "REJECT"),
        flow(WEB, a77, WEB_IP, 53002, 2222, TCP, 1, 52, S + 15200, "REJECT"),
        flow(WEB, bad6, WEB_IP6, 54000, 22, TCP, 1, 80, S + 16000, "REJECT"),
        flow(WEB, bad6, WEB_IP6, 54001, 22, TCP, 1, 80, S + 16600, "REJECT"),
        flow(WEB, bad6, WEB_IP6, 0, 0, ICMP6, 1, 64, S + 17200, "REJECT"),
        flow(DB, bad6, DB_IP6, 54002, 27017, TCP, 1, 80, S + 17800, "REJECT"),
        flow(WEB, "198.51.100.5", WEB_IP, 55000, 80, TCP, 6, 700, S + 18000),
        flow(WEB, "198.51.100.5", WEB_IP, 55001, 80, TCP, 6, 700, S + 18600),
        flow(WEB, "198.51.100.5", WEB_IP, 55002, 80, TCP, 6, 700, S + 19200),
        flow(WEB, "198.51.100.5", WEB_IP, 55003, 80, TCP, 6, 700, S + 19800),
    ]


def _large_and_packet_level() -> list[dict[str, Any]]:
    """Transfers around the 500 MiB (524288000 bytes) line, one over 2**31; NAT and NLB address pairs."""
    s3 = "52.218.0.10"
    return [
        flow(DB, DB_IP, WEB_IP, 40100, 9000, TCP, 2100000, 3000000000, S + 20000, egress=True),
        flow(NAT, "10.0.1.5", s3, 40200, 443, TCP, 440000, 629145600, S + 30000, egress=True, path=8,
             pkt_src=DB_IP, dst_service="S3"),
        flow(NAT, "10.0.1.5", s3, 40201, 443, TCP, 400000, 524288000, S + 30600, egress=True, path=8,
             pkt_src=DB_IP, dst_service="S3"),
        flow(NAT, "10.0.1.5", s3, 40202, 443, TCP, 400001, 524288001, S + 31200, egress=True, path=8,
             pkt_src=DB_IP, dst_service="S3"),
        flow(NAT, "10.0.1.5", s3, 40203, 443, TCP, 440000, 629145600, S + 31800, egress=True, path=8,
             pkt_src=DB_IP, dst_service="S3"),
        flow(LB, "10.0.1.200", WEB_IP, 60000, 8080, TCP, 50, 60000, S + 21000, pkt_src="198.51.100.99",
             hop=WEB),  # the same zone: not cross-AZ
        flow(LB, "10.0.1.200", WEB_IP, 60001, 8080, TCP, 50, 60000, S + 21600, pkt_src="198.51.100.99"),
    ]


def _private_public() -> list[dict[str, Any]]:
    """Sources and destinations on both sides of every range private-to-public names."""
    return [
        flow(WEB, WEB_IP, "198.51.100.1", 443, 49152, TCP, 40, 50000, S + 360, egress=True, path=2),
        flow(WEB, WEB_IP6, "2001:db8:cafe::1", 443, 49204, TCP, 20, 25000, S + 78360, egress=True, path=2),
        flow(WEB, WEB_IP, "172.32.0.1", 53100, 53, UDP, 1, 100, S + 22000, egress=True, path=2),
        flow(WEB, WEB_IP, "172.31.255.255", 137, 137, UDP, 1, 100, S + 22100, egress=True),
        flow(WEB, WEB_IP, "100.64.0.5", 53101, 443, TCP, 1, 100, S + 22200, egress=True, path=2),
        flow(WEB, WEB_IP, "100.128.0.1", 53102, 443, TCP, 1, 100, S + 22300, egress=True, path=2),
        flow(WEB, WEB_IP, "100.63.255.255", 53111, 443, TCP, 1, 101, S + 22310, egress=True, path=2),
        flow(WEB, WEB_IP, "172.15.255.254", 53112, 443, TCP, 1, 102, S + 22320, egress=True, path=2),
        flow(WEB, WEB_IP, "169.254.169.123", 123, 123, UDP, 1, 100, S + 22400, egress=True),
        flow(WEB, WEB_IP, "224.0.0.251", 5353, 5353, UDP, 1, 100, S + 22500, egress=True),
        flow(WEB, WEB_IP, "255.255.255.255", 68, 67, UDP, 1, 100, S + 22600, egress=True),
        flow(WEB, "11.0.0.1", WEB_IP, 53103, 8443, TCP, 1, 100, S + 22700),
        flow(DB, DB_IP6, "2600:1f18:bbbb::1", 53104, 443, TCP, 9, 900, S + 23000, egress=True, path=8),
        flow(DB, DB_IP6, "fe80::1", 0, 0, ICMP6, 1, 72, S + 23100, egress=True),
        flow(DB, DB_IP6, "ff02::1", 0, 0, ICMP6, 1, 72, S + 23200, egress=True),
        flow(DB, DB_IP6, "febf::1", 0, 0, ICMP6, 1, 72, S + 23300, egress=True),
        flow(B2, "fc00::1", "2001:db8::1", 53105, 443, TCP, 4, 640, S + 24000, egress=True, path=2),
        flow(B2, "fe80::1", "2001:db8::1", 53106, 443, TCP, 4, 640, S + 24100, egress=True, path=2),
        flow(B1, "192.168.10.7", "52.94.1.1", 53107, 443, TCP, 10, 5000, S + 25000, egress=True, path=2),
        flow(B1, "192.168.10.7", "52.94.1.1", 53108, 443, TCP, 10, 5000, S + 55000, egress=True, path=2),
        flow(B2, "192.168.10.8", "52.94.1.1", 53109, 443, TCP, 10, 5000, S + 25600, egress=True, path=2),
        flow(B2, "192.168.10.8", "52.94.1.1", 53110, 443, TCP, 10, 5000, S + 56000, egress=True, path=2),
        flow(BASTION, BASTION_IP, "198.51.100.200", 0, 0, GRE, 10, 1000, S + 26000, egress=True, path=2),
        flow(BASTION, BASTION_IP, "198.51.100.200", 0, 0, GRE, 10, 1000, S + 26600, egress=True, path=2),
        flow(B1, "192.168.10.7", "203.0.113.9", 0, 0, ESP, 3, 300, S + 27000, egress=True, path=3),
    ]


def _statuses() -> list[dict[str, Any]]:
    """Three NODATA and three SKIPDATA records in the window (a tie), two interfaces each."""
    return [
        status(IDLE, "NODATA", S + 600),
        status(IDLE, "NODATA", U - 1, U + 59),  # starts 1 s before until, ends the next day
        status(B1, "NODATA", S + 3000),
        status(WEB, "SKIPDATA", S + 33000),
        status(DB, "SKIPDATA", S + 34000),
        status(DB, "SKIPDATA", S + 34600),
        status(IDLE, "NODATA", S - 600),  # before since: out
        status(DB, "SKIPDATA", S - 1, S + 58),  # 1 s before since: out
        status(WEB, "SKIPDATA", U),  # at until: out
    ]


def _boundaries() -> list[dict[str, Any]]:
    """SSH from 192.0.2.1xx: each source stands for one boundary case."""
    def ssh(src: str, start: int, end: int, dst: str = WEB_IP, port: int = 22) -> dict[str, Any]:
        return flow(WEB, src, dst, 56000, port, TCP, 5, 1111, start, end=end)

    return [
        ssh("192.0.2.101", S, S + 50),  # starts exactly at since: in
        ssh("192.0.2.102", S - 1, S + 55),  # 1 s before since, filed after it: out
        ssh("192.0.2.103", U - 1, U + 58),  # 1 s before until, ends (filed) the next hour and day: in
        ssh("192.0.2.104", U, U + 50),  # exactly at until: out
        ssh("192.0.2.105", S + 43200, U + 86400 + 18000),  # filed 2024-05-03T05: never read
        ssh("192.0.2.106", S - 3600, S - 3550),  # the hour before: out
        ssh("192.0.2.107", U + 3599, U + 3650),  # filed in the last partition read (hourly): out
        ssh("2001:db8:b::8", U - 1, U + 40, WEB_IP6, 443),  # IPv6, 1 s before until, next day: in
        # the same cases for the mid-hour window MID_SINCE .. MID_UNTIL
        ssh("192.0.2.111", MID_SINCE, MID_SINCE + 20),
        ssh("192.0.2.112", MID_SINCE - 1, MID_SINCE + 20),
        ssh("192.0.2.113", MID_UNTIL - 1, MID_UNTIL + 60),
        ssh("192.0.2.114", MID_UNTIL, MID_UNTIL + 20),
    ]


RECORDS: list[dict[str, Any]] = [
    *_web_clients(),
    flow(WEB, "2001:db8:cafe::1", WEB_IP6, 49300, 443, TCP, 9, 1500, S + 79000),
    flow(WEB, "2001:db8:cafe::1", WEB_IP6, 49301, 443, TCP, 9, 1500, S + 79600),
    # a second flow: 198.51.100.2 ties with the 10th of top-accepted-sources and is the 11th
    flow(WEB, "198.51.100.2", WEB_IP, 49303, 443, TCP, 8, 1200, S + 81000),
    # the same connection delivered twice with different ends and packets: ties down to the last keys
    flow(WEB, "2001:db8:cafe::3", WEB_IP6, 49302, 443, TCP, 7, 900, S + 80000, end=S + 80055),
    flow(WEB, "2001:db8:cafe::3", WEB_IP6, 49302, 443, TCP, 5, 900, S + 80000, end=S + 80030),
    flow(WEB, "2001:db8:cafe::3", WEB_IP6, 49302, 443, TCP, 4, 900, S + 80000, end=S + 80030),
    *_port_scan(),
    *_small_scanners(),
    *_web_to_db(),
    *_admin_and_database(),
    *_large_and_packet_level(),
    *_private_public(),
    *_statuses(),
    *_boundaries(),
]


def relative_records(now: int) -> list[dict[str, Any]]:
    """Records around a 3-day default window ending ``now`` (for the default-window test)."""
    day = 86400
    return [
        flow(WEB, "198.51.100.1", WEB_IP, 40000, 443, TCP, 2, 100, now - 3600),  # in
        flow(WEB, "198.51.100.2", WEB_IP, 40001, 443, TCP, 2, 200, now - 2 * day),  # in
        flow(WEB, "198.51.100.1", WEB_IP, 40002, 443, TCP, 2, 400, now - 3 * day + 1800),  # in
        flow(WEB, "198.51.100.3", WEB_IP, 40003, 443, TCP, 2, 800, now - 3 * day - 1800),  # out
        flow(WEB, "198.51.100.4", WEB_IP, 40004, 443, TCP, 2, 1600, now - 5 * day),  # out
        flow(WEB, "198.51.100.5", WEB_IP, 40005, 443, TCP, 2, 3200, now + 1800),  # starts later: out
        status(IDLE, "NODATA", now - 7200),  # in
    ]
