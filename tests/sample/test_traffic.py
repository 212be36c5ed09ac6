"""The sample's ordinary traffic, read back from the text files: variety, NODATA and SKIPDATA records."""

from __future__ import annotations

import ipaddress
from collections import Counter

NOT_APPLICABLE_WITHOUT_DATA = ("srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes",
                               "action")


def test_nodata_and_skipdata_records(records: list[dict[str, str]]) -> None:
    statuses = Counter(r["log-status"] for r in records)
    assert set(statuses) == {"OK", "NODATA", "SKIPDATA"}
    for rec in records:
        if rec["log-status"] == "OK":
            assert all(rec[name] != "-" for name in NOT_APPLICABLE_WITHOUT_DATA)
        else:
            assert all(rec[name] == "-" for name in NOT_APPLICABLE_WITHOUT_DATA), rec
            assert rec["start"].isdigit() and rec["end"].isdigit()


def test_traffic_variety(records: list[dict[str, str]]) -> None:
    ok = [r for r in records if r["log-status"] == "OK"]
    assert {r["protocol"] for r in ok} >= {"1", "6", "17", "47", "58"}
    assert {r["type"] for r in ok} == {"IPv4", "IPv6"}
    assert {r["flow-direction"] for r in ok} == {"ingress", "egress"}
    assert {r["action"] for r in ok} == {"ACCEPT", "REJECT"}
    addresses = [ipaddress.ip_address(a) for r in ok for a in (r["srcaddr"], r["dstaddr"])]
    ula = ipaddress.ip_network("fc00::/7")
    assert any(a.version == 6 and a in ula for a in addresses)
    assert any(a.version == 6 and a.is_global for a in addresses)
    assert any(r["pkt-srcaddr"] != r["srcaddr"] for r in ok)
    assert {r["tcp-flags"] for r in ok if r["protocol"] == "6"} >= {"2", "3", "19"}
    assert all(r["traffic-path"] == "-" for r in ok if r["flow-direction"] == "ingress")
    assert all(r["traffic-path"] != "-" for r in ok if r["flow-direction"] == "egress")
    ports = {r["dstport"] for r in ok} | {r["srcport"] for r in ok}
    assert ports >= {"443", "80", "22", "3389", "5432", "3306", "53"}
    assert any(32768 <= int(r["srcport"]) <= 65535 for r in ok)
    v4 = [(ipaddress.ip_address(r["srcaddr"]), ipaddress.ip_address(r["dstaddr"]))
          for r in ok if r["type"] == "IPv4"]
    assert any(src.is_private and dst.is_global for src, dst in v4)
    assert any(src.is_global and dst.is_private for src, dst in v4)
    assert all(src.is_private or dst.is_private for src, dst in v4)  # one end is the interface
