"""Hand-designed transit gateway flow log records for checking its saved queries against plain Python.

Pure data, no flowkit import. Records are dicts keyed by the transit gateway guide's field names;
``None`` is what AWS writes as ``-``. Placed relative to MAIN_SINCE like fixture_records.py. A flow
through the gateway is recorded by each captured attachment it passes: ingress where it enters, egress
where it leaves.
"""

from __future__ import annotations

from typing import Any

from tests.expectations.fixture_records import ACCOUNT_A, ACCOUNT_B, EU, MAIN_SINCE, MAIN_UNTIL, US

TGW, TGW_US = "tgw-0a1b2c3d4e5f60001", "tgw-0a1b2c3d4e5f60002"
# attachment -> (VPC or None (a VPN), its owner account, subnet, network interface, zone)
ATTACHMENTS: dict[str, tuple[str | None, str, str | None, str | None, str]] = {
    "tgw-attach-0a0000000000000a1": ("vpc-0a00000000000000a", ACCOUNT_A, "subnet-0a000000000000a9",
                                     "eni-0tgwa000000000a9", "euw1-az1"),
    "tgw-attach-0b0000000000000b1": ("vpc-0b00000000000000b", ACCOUNT_B, "subnet-0b000000000000b9",
                                     "eni-0tgwb000000000b9", "euw1-az2"),
    "tgw-attach-0c0000000000000c1": (None, ACCOUNT_A, None, None, "euw1-az1"),
    "tgw-attach-0d0000000000000d1": ("vpc-0d00000000000000d", ACCOUNT_B, "subnet-0d000000000000d9",
                                     "eni-0tgwd000000000d9", "use1-az1"),
}
ATT_A, ATT_B, ATT_VPN, ATT_US = ATTACHMENTS
A_IP, B_IP, DB_IP, VPN_IP = "10.0.1.10", "10.1.2.30", "10.0.2.20", "192.168.50.5"
S, U = MAIN_SINCE, MAIN_UNTIL
TCP, UDP = 6, 17


NOWHERE: tuple[None, None, None, None, None] = (None, None, None, None, None)  # no route, no attachment


def record(attachment: str, direction: str, source: str, target: str | None, src: str | None, dst: str | None,
           sport: int | None, dport: int | None, proto: int | None, packets: int | None, size: int | None,
           start: int, *, lost: tuple[int, int, int, int] = (0, 0, 0, 0), end: int | None = None,
           status: str = "OK", on_gateway: bool = False) -> dict[str, Any]:
    """One record of ``attachment``: traffic from attachment ``source`` to attachment ``target`` (None:
    the gateway found none, so the destination fields are ``-``)."""
    src_vpc, src_account, src_subnet, src_eni, src_az = ATTACHMENTS[source]
    dst_vpc, dst_account, dst_subnet, dst_eni, dst_az = ATTACHMENTS[target] if target else NOWHERE
    us = attachment == ATT_US
    lost_fields = ("packets-lost-no-route", "packets-lost-blackhole", "packets-lost-mtu-exceeded",
                   "packets-lost-ttl-expired")
    return {
        "version": 6, "resource-type": "TransitGateway" if on_gateway else "TransitGatewayAttachment",
        "account-id": ACCOUNT_B if us else ACCOUNT_A, "tgw-id": TGW_US if us else TGW,
        "tgw-attachment-id": attachment, "tgw-src-vpc-account-id": src_account if src_vpc else None,
        "tgw-dst-vpc-account-id": dst_account if dst_vpc else None, "tgw-src-vpc-id": src_vpc,
        "tgw-dst-vpc-id": dst_vpc, "tgw-src-subnet-id": src_subnet, "tgw-dst-subnet-id": dst_subnet,
        "tgw-src-eni": src_eni, "tgw-dst-eni": dst_eni, "tgw-src-az-id": src_az, "tgw-dst-az-id": dst_az,
        "tgw-pair-attachment-id": (target if direction == "ingress" else source) if target else None,
        "srcaddr": src, "dstaddr": dst, "srcport": sport, "dstport": dport, "protocol": proto,
        "packets": packets, "bytes": size, "start": start, "end": start + 50 if end is None else end,
        "log-status": status, "type": None if src is None else "IPv6" if ":" in src else "IPv4",
        **dict(zip(lost_fields, lost if status == "OK" else (None,) * 4, strict=True)),
        "tcp-flags": 19 if proto == TCP else (0 if proto is not None else None),
        "region": US if us else EU, "flow-direction": direction if status == "OK" else None,
        "pkt-src-aws-service": None, "pkt-dst-aws-service": None,
    }


def _both_ends(source: str, target: str, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """A flow recorded where it enters (ingress) and where it leaves (egress) the gateway."""
    return [record(source, "ingress", source, target, *args, **kwargs),
            record(target, "egress", source, target, *args, **kwargs)]


RECORDS: list[dict[str, Any]] = [
    # HTTPS from VPC A to VPC B, three times over two hours; once logged by the gateway's own flow log
    *_both_ends(ATT_A, ATT_B, A_IP, B_IP, 40000, 443, TCP, 20, 24000, S + 3600),
    *_both_ends(ATT_A, ATT_B, A_IP, B_IP, 40001, 443, TCP, 10, 12000, S + 7200),
    *_both_ends(ATT_A, ATT_B, A_IP, B_IP, 40002, 443, TCP, 10, 12000, S + 7300, on_gateway=True),
    # PostgreSQL from VPC B back to VPC A
    *_both_ends(ATT_B, ATT_A, B_IP, DB_IP, 41000, 5432, TCP, 300, 450000, S + 10000),
    *_both_ends(ATT_B, ATT_A, B_IP, DB_IP, 41001, 5432, TCP, 100, 150000, S + 14000),
    # SSH from the VPN into VPC A: no source VPC
    *_both_ends(ATT_VPN, ATT_A, VPN_IP, A_IP, 50000, 22, TCP, 40, 9000, S + 20000),
    # IPv6 to VPC B (the destination spelled differently in the query's parameter)
    record(ATT_A, "ingress", ATT_A, ATT_B, "2600:1f18:aaaa::10", "fd00:b::30", 40100, 443, TCP, 8, 6400,
           S + 30000),
    # packets the gateway lost: no route out of A, a blackhole route for B, oversized packets from A
    record(ATT_A, "ingress", ATT_A, None, A_IP, "10.9.9.9", 40200, 443, TCP, 5, 300, S + 40000,
           lost=(5, 0, 0, 0)),
    record(ATT_A, "ingress", ATT_A, None, A_IP, "10.9.9.9", 40201, 443, TCP, 3, 180, S + 40600,
           lost=(3, 0, 0, 0)),
    record(ATT_B, "ingress", ATT_B, None, B_IP, "10.8.0.1", 0, 0, UDP, 7, 700, S + 41000, lost=(0, 7, 0, 0)),
    record(ATT_A, "ingress", ATT_A, ATT_B, A_IP, B_IP, 40300, 443, TCP, 9, 81000, S + 42000,
           lost=(0, 0, 2, 0)),
    # a skipped interval and the window's edges
    record(ATT_A, "ingress", ATT_A, ATT_B, None, None, None, None, None, None, None, S + 50000,
           status="SKIPDATA"),
    record(ATT_A, "ingress", ATT_A, ATT_B, A_IP, B_IP, 40400, 443, TCP, 1, 100, S),  # at since: in
    record(ATT_A, "ingress", ATT_A, ATT_B, A_IP, B_IP, 40401, 443, TCP, 1, 101, S - 1),  # before: out
    record(ATT_A, "ingress", ATT_A, ATT_B, A_IP, B_IP, 40402, 443, TCP, 1, 102, U - 1, end=U + 58),  # in
    record(ATT_A, "ingress", ATT_A, ATT_B, A_IP, B_IP, 40403, 443, TCP, 1, 103, U),  # at until: out
    # a second account and region (not projected by a table of the first)
    record(ATT_US, "ingress", ATT_US, None, "10.3.0.5", "10.3.9.9", 40500, 443, TCP, 4, 4000, S + 60000),
]

# Parquet physical types of the non-string fields (transit gateway guide; protocol is INT_64 there).
INT32_FIELDS = frozenset({"version", "srcport", "dstport", "tcp-flags"})
INT64_FIELDS = frozenset({"protocol", "packets", "bytes", "start", "end", "packets-lost-no-route",
                          "packets-lost-blackhole", "packets-lost-mtu-exceeded", "packets-lost-ttl-expired"})
