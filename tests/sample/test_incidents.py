"""The incidents an investigator should find: present in the records and named in the summary."""

from __future__ import annotations

import ipaddress
from collections import defaultdict

from flowkit.sample import SampleSummary
from tests.sample.helpers import Sample


def sources_by(records: list[dict[str, str]], **match: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for rec in records:
        if rec["log-status"] == "OK" and all(rec[k.replace("_", "-")] == v for k, v in match.items()):
            out[rec["srcaddr"]].append(rec)
    return out


def incident(summary: SampleSummary, start: str) -> str:
    lines = [line for line in summary.incidents if line.startswith(start)]
    assert len(lines) == 1, summary.incidents
    return lines[0]


def test_port_scan(records: list[dict[str, str]], text_sample: Sample) -> None:
    ports: dict[tuple[str, str], set[str]] = defaultdict(set)
    for src, recs in sources_by(records, action="REJECT", protocol="6").items():
        for rec in recs:
            ports[(src, rec["dstaddr"])].add(rec["dstport"])
    (scanner, target), scanned = max(ports.items(), key=lambda item: len(item[1]))
    assert len(scanned) >= 40
    line = incident(text_sample[1], "port scan")
    assert f"{scanner} -> {target} " in line


def test_ssh_brute_force_and_rdp(records: list[dict[str, str]], text_sample: Sample) -> None:
    rejected = {s: len(r) for s, r in sources_by(records, dstport="22", action="REJECT").items()}
    accepted = sources_by(records, dstport="22", action="ACCEPT", flow_direction="ingress")
    attacker = max(rejected, key=lambda s: rejected[s])
    assert rejected[attacker] >= 50 and len(accepted[attacker]) >= 1
    assert ipaddress.ip_address(attacker).is_global
    assert attacker in incident(text_sample[1], "SSH brute force")
    rdp = {s: len(r) for s, r in sources_by(records, dstport="3389", action="REJECT").items()}
    heavy = max(rdp, key=lambda s: rdp[s])
    assert rdp[heavy] >= 10 and heavy in incident(text_sample[1], "RDP attempts")


def test_large_transfer_and_database_from_outside(records: list[dict[str, str]],
                                                  text_sample: Sample) -> None:
    big = [r for r in records if r["log-status"] == "OK" and int(r["bytes"]) > 600_000_000]
    assert len(big) == 1
    line = incident(text_sample[1], "large transfer")
    assert f"{big[0]['srcaddr']} -> {big[0]['dstaddr']}:{big[0]['dstport']}" in line
    outside = [r for r in records if r["log-status"] == "OK" and r["dstport"] in ("3306", "5432", "1433")
               and r["action"] == "ACCEPT" and ipaddress.ip_address(r["srcaddr"]).is_global]
    assert outside
    assert outside[0]["srcaddr"] in incident(text_sample[1], "database port from outside")
