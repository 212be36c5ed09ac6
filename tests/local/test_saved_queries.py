"""Every saved query of the catalogue runs locally, and a few give the hand-computed answers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit import catalogue as fields
from flowkit import queries
from flowkit.layout import Layout
from flowkit.local import Window, run_saved

WINDOW = Window(datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC))
V5 = [f.name for f in fields.PRESETS["v5"]]
ALL = [f.name for f in fields.CATALOGUE]
EXAMPLE = {"ip": "10.0.0.1", "cidr": "10.0.0.0/8", "port_list": "22,443", "string": "eni-0123456789abcdef0"}


def example_params(template: queries.QueryTemplate) -> dict[str, str]:
    values: dict[str, str] = {}
    for p in template.params:
        if p.default is not None:
            continue
        values[p.name] = (
            str(p.minimum if p.minimum is not None else 1) if p.kind == "int" else EXAMPLE[p.kind]
        )
    return values


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    t0 = 1714568400  # 2024-05-01T13:00:00Z
    base = {
        "version": 5,
        "account-id": "111122223333",
        "interface-id": "eni-0123456789abcdef0",
        "vpc-id": "vpc-01234567",
        "subnet-id": "subnet-01234567",
        "instance-id": "i-0123456789abcdef0",
        "tcp-flags": 2,
        "type": "IPv4",
        "region": "eu-west-1",
        "az-id": "euw1-az1",
        "sublocation-type": None,
        "sublocation-id": None,
        "pkt-src-aws-service": None,
        "pkt-dst-aws-service": None,
        "flow-direction": "ingress",
        "traffic-path": None,
        "log-status": "OK",
        "srcport": 40000,
    }
    rows = [
        ("10.0.0.1", "10.0.0.2", 443, 6, 10, 1000, "ACCEPT"),
        ("10.0.0.1", "8.8.8.8", 53, 17, 2, 150, "ACCEPT"),
        ("203.0.113.9", "10.0.0.2", 22, 6, 1, 40, "REJECT"),
        ("2001:db8::1", "fd00::5", 3306, 6, 3, 300, "ACCEPT"),
        ("fd00::5", "2001:db8::1", 3389, 6, 1, 60, "REJECT"),
        ("10.0.0.3", "192.0.2.1", 0, 47, 4, 4000, "ACCEPT"),
    ]
    out = []
    for n, (src, dst, port, proto, packets, size, action) in enumerate(rows):
        out.append(
            {
                **base,
                "srcaddr": src,
                "dstaddr": dst,
                "pkt-srcaddr": src,
                "pkt-dstaddr": dst,
                "dstport": port,
                "protocol": proto,
                "packets": packets,
                "bytes": size,
                "action": action,
                "start": t0 + 60 * n,
                "end": t0 + 60 * n + 30,
            }
        )
    return out


@pytest.fixture(scope="module")
def bucket(tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, Any]]) -> Path:
    import gzip

    root = tmp_path_factory.mktemp("bucket")
    layout = Layout("text", False, True)
    key = layout.key_prefix_for("111122223333", "eu-west-1", datetime(2024, 5, 1, 13, tzinfo=UTC))
    path = root / key / "111122223333_vpcflowlogs_eu-west-1_fl-1_20240501T1305Z_a.log.gz"
    path.parent.mkdir(parents=True)
    lines = [" ".join(V5)] + [" ".join("-" if r.get(f) is None else str(r[f]) for f in V5) for r in records]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return root


@pytest.mark.parametrize("template", queries.load_catalogue(), ids=lambda t: t.name)
def test_every_saved_query_runs_locally(template: queries.QueryTemplate, bucket: Path, ctx: Any) -> None:
    if not set(template.fields) <= set(V5):
        pytest.skip("needs fields beyond v5")
    messages: list[str] = []
    result = run_saved(template, ctx, bucket, example_params(template), WINDOW, notify=messages.append)
    assert result.columns
    assert messages == []


def test_top_talkers_matches_plain_python(bucket: Path, ctx: Any, records: list[dict[str, Any]]) -> None:
    totals: dict[str, list[int]] = {}
    for r in records:
        entry = totals.setdefault(r["srcaddr"], [0, 0])
        entry[0] += r["bytes"]
        entry[1] += r["packets"]
    expected = sorted(((a, b, p) for a, (b, p) in totals.items()), key=lambda row: (-row[1], row[0]))
    result = run_saved(queries.find("top-talkers"), ctx, bucket, {}, WINDOW)
    assert result.rows == expected


def test_private_to_public_matches_ipaddress(bucket: Path, ctx: Any, records: list[dict[str, Any]]) -> None:
    import ipaddress

    def private(a: str) -> bool:
        ip = ipaddress.ip_address(a)
        nets = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] if ip.version == 4 else ["fc00::/7"]
        return any(ip in ipaddress.ip_network(n) for n in nets)

    def public(a: str) -> bool:
        ip = ipaddress.ip_address(a)
        special = (
            [
                "0.0.0.0/8",
                "10.0.0.0/8",
                "100.64.0.0/10",
                "127.0.0.0/8",
                "169.254.0.0/16",
                "172.16.0.0/12",
                "192.168.0.0/16",
                "224.0.0.0/4",
                "240.0.0.0/4",
            ]
            if ip.version == 4
            else ["::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8"]
        )
        return not any(ip in ipaddress.ip_network(n) for n in special)

    expected = sorted(
        (
            (r["srcaddr"], r["dstaddr"], r["bytes"], r["packets"])
            for r in records
            if private(r["srcaddr"]) and public(r["dstaddr"])
        ),
        key=lambda x: (-x[2], x[0], x[1]),
    )
    result = run_saved(queries.find("private-to-public"), ctx, bucket, {}, WINDOW)
    assert result.rows == expected
    assert len(expected) == 3  # 10.0.0.3 -> 192.0.2.1, 10.0.0.1 -> 8.8.8.8, fd00::5 -> 2001:db8::1
