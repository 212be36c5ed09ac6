"""Athena -> DuckDB translation: the CIDR macro against Python's ipaddress, the time window, rewrites."""

from __future__ import annotations

import ipaddress
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import pytest

from flowkit import queries
from flowkit.layout import Layout
from flowkit.local import MACROS, TranslateError, translate

SCHEMA = {
    "db": {
        "t": {
            "srcaddr": "VARCHAR",
            "bytes": "BIGINT",
            "packets": "BIGINT",
            "start": "BIGINT",
            "dt": "VARCHAR",
            "xs": "INTEGER[]",
        }
    }
}


def connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for macro in MACROS:
        con.execute(macro)
    con.execute("CREATE SCHEMA db")
    con.execute(
        "CREATE TABLE db.t (srcaddr VARCHAR, bytes BIGINT, packets BIGINT, start BIGINT, dt VARCHAR, "
        "xs INTEGER[])"
    )
    return con


# -- CIDR membership -------------------------------------------------------------------------------
def expected_contains(cidr: str, text: str) -> bool | None:
    """Trino's contains(cidr, CAST(text AS IPADDRESS)); IPv4 is stored as IPv4-mapped IPv6 there."""
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    net = ipaddress.ip_network(cidr, strict=False)
    if addr.version == net.version:
        return addr in net
    if addr.version == 4:
        return ipaddress.IPv6Address("::ffff:" + str(addr)) in net
    assert isinstance(addr, ipaddress.IPv6Address)
    return addr.ipv4_mapped is not None and addr.ipv4_mapped in net


NETWORKS = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "0.0.0.0/0",
    "1.2.3.4/32",
    "10.1.2.0/23",
    "224.0.0.0/4",
    "::/0",
    "::/128",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
    "2001:db8::/32",
    "2001:db8:abcd:12::/64",
    "::ffff:0:0/96",
    "64:ff9b::/96",
    "2001:db8::8000/113",
]
INVALID = [
    "",
    "abc",
    "1.2.3",
    "1.2.3.256",
    "1.2.3.4.5",
    "01.2.3.4",
    " 1.2.3.4",
    "1:2:3",
    "1::2::3",
    "12345::",
    ":::",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::",
    "::1.2.3",
    "g::1",
    "1.2.3.4/8",
    "::ffff:1.2.3.04",
]


def spellings(addr: ipaddress.IPv4Address | ipaddress.IPv6Address, rng: random.Random) -> list[str]:
    if addr.version == 4:
        return [str(addr)]
    assert isinstance(addr, ipaddress.IPv6Address)
    groups = addr.exploded.split(":")
    unpadded = ":".join(g.lstrip("0") or "0" for g in groups)
    out = [str(addr), addr.exploded, unpadded, str(addr).upper()]
    v4 = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    out.append(":".join(groups[:6]) + ":" + str(v4))  # embedded IPv4 form
    start = rng.randrange(8)
    stop = rng.randrange(start + 1, 9)
    if all(g == "0000" for g in groups[start:stop]):
        out.append(":".join(groups[:start]) + "::" + ":".join(groups[stop:]))
    return out


def addresses(rng: random.Random) -> list[str]:
    out: list[str] = []
    for cidr in NETWORKS:  # the edges of every network and just outside them
        net = ipaddress.ip_network(cidr)
        for value in (
            int(net.network_address) - 1,
            int(net.network_address),
            int(net.broadcast_address),
            int(net.broadcast_address) + 1,
        ):
            maximum = 2**32 if net.version == 4 else 2**128
            if 0 <= value < maximum:
                out += spellings(
                    ipaddress.ip_address(value) if net.version == 4 else ipaddress.IPv6Address(value), rng
                )
    for _ in range(150):
        out.append(str(ipaddress.IPv4Address(rng.getrandbits(32))))
        sparse = 0
        for index in range(8):  # IPv6 with runs of zero groups, so '::' appears in many places
            if rng.random() < 0.5:
                sparse |= rng.getrandbits(16) << (16 * index)
        for value in (rng.getrandbits(128), sparse, (0xFFFF << 32) | rng.getrandbits(32)):
            out += spellings(ipaddress.IPv6Address(value), rng)
    return out + INVALID


def test_cidr_macro_matches_ipaddress_for_ipv4_and_ipv6() -> None:
    rng = random.Random(20240501)
    networks = (
        NETWORKS
        + [
            str(
                ipaddress.ip_network(
                    f"{ipaddress.IPv6Address(rng.getrandbits(128))}/{rng.randrange(129)}", strict=False
                )
            )
            for _ in range(10)
        ]
        + [
            str(
                ipaddress.ip_network(
                    f"{ipaddress.IPv4Address(rng.getrandbits(32))}/{rng.randrange(33)}", strict=False
                )
            )
            for _ in range(10)
        ]
    )
    pairs = [(cidr, text) for cidr in networks for text in addresses(rng)]
    con = connect()
    con.execute(
        "CREATE TABLE pairs AS SELECT unnest(?) AS n, unnest(?) AS cidr, unnest(?) AS addr",
        [list(range(len(pairs))), [c for c, _ in pairs], [a for _, a in pairs]],
    )
    got = [
        row[0]
        for row in con.execute("SELECT flowkit_cidr_contains(cidr, addr) FROM pairs ORDER BY n").fetchall()
    ]
    expected = [expected_contains(c, a) for c, a in pairs]
    wrong = [(p, g, e) for p, g, e in zip(pairs, got, expected, strict=True) if g != e]
    assert not wrong, wrong[:10]
    assert len(pairs) > 20000 and True in expected and False in expected and None in expected


def test_literal_cidr_blocks_match_ipaddress() -> None:
    rng = random.Random(7)
    texts = addresses(rng)
    con = connect()
    con.execute("INSERT INTO db.t (srcaddr, start) SELECT unnest(?), unnest(?)",
                [texts, list(range(len(texts)))])
    for cidr in NETWORKS + ["203.0.113.7/24", "::ffff:10.0.0.0/104", "::ffff:0:0/95"]:
        query = f"SELECT contains('{cidr}', CAST(srcaddr AS IPADDRESS)) FROM db.t ORDER BY start"
        sql = translate(query, SCHEMA)
        assert "flowkit_cidr_literal" in sql.lower()
        got = [row[0] for row in con.execute(sql).fetchall()]
        expected = [expected_contains(cidr, text) for text in texts]
        wrong = [(text, g, e) for text, g, e in zip(texts, got, expected, strict=True) if g != e]
        assert not wrong, (cidr, wrong[:10])


def test_contains_with_ipaddress_cast_is_rewritten() -> None:
    con = connect()
    rows = ["10.1.2.3", "11.0.0.1", "2001:db8::5", "fd00::1", None]
    con.executemany("INSERT INTO db.t (srcaddr) VALUES (?)", [[r] for r in rows])
    sql = translate(
        "SELECT srcaddr FROM db.t WHERE contains('10.0.0.0/8', CAST(srcaddr AS IPADDRESS)) "
        "OR contains(?, CAST(srcaddr AS IPADDRESS)) ORDER BY srcaddr",
        SCHEMA,
    )
    assert "IPADDRESS" not in sql.upper()
    assert con.execute(sql, ["fc00::/7"]).fetchall() == [("10.1.2.3",), ("fd00::1",)]


def test_bad_cidr_fails_like_athena() -> None:
    con = connect()
    con.execute("INSERT INTO db.t (srcaddr) VALUES ('10.0.0.1')")
    sql = translate("SELECT count(*) FROM db.t WHERE contains(?, CAST(srcaddr AS IPADDRESS))", SCHEMA)
    with pytest.raises(duckdb.Error, match="not a CIDR block"):
        con.execute(sql, ["10.0.0.0/33"]).fetchall()


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT CAST(srcaddr AS IPADDRESS) FROM db.t",
        "SELECT srcaddr FROM db.t ORDER BY CAST(srcaddr AS IPADDRESS)",
    ],
)
def test_other_ip_types_are_refused(sql: str) -> None:
    with pytest.raises(TranslateError, match="IPADDRESS"):
        translate(sql, SCHEMA)


# -- other rewrites ----------------------------------------------------------------------------------
def test_integer_division_truncates_like_trino() -> None:
    con = connect()
    con.executemany("INSERT INTO db.t (bytes, packets) VALUES (?, ?)", [(7, 2), (-7, 2), (9, 3)])
    sql = translate(
        "SELECT bytes / packets, CAST(bytes AS double) / packets FROM db.t ORDER BY bytes", SCHEMA
    )
    assert con.execute(sql).fetchall() == [(-3, -3.5), (3, 3.5), (3, 3.0)]  # Trino truncates toward zero


def test_format_and_slice_keep_trino_meaning() -> None:
    con = connect()
    con.execute("INSERT INTO db.t (srcaddr, bytes, xs) VALUES ('10.0.0.1', 42, [10, 20, 30, 40])")
    sql = translate("SELECT format('%s sent %d bytes', srcaddr, bytes), slice(xs, 2, 2) FROM db.t", SCHEMA)
    assert con.execute(sql).fetchall() == [("10.0.0.1 sent 42 bytes", [20, 30])]


def test_lambdas_and_arrays_run() -> None:
    con = connect()
    con.executemany("INSERT INTO db.t (bytes) VALUES (?)", [[22], [25], [80]])
    sql = translate(
        "SELECT bytes FROM db.t WHERE contains(transform(split(?, ','), x -> CAST(trim(x) AS "
        "integer)), bytes) ORDER BY bytes",
        SCHEMA,
    )
    assert con.execute(sql, ["22, 80"]).fetchall() == [(22,), (80,)]


def test_unknown_column_is_reported() -> None:
    with pytest.raises(TranslateError, match="nosuch"):
        translate("SELECT nosuch FROM db.t", SCHEMA)


# -- the time window -------------------------------------------------------------------------------
def window_ctx(layout: Layout) -> queries.RenderContext:
    return queries.RenderContext("db", "t", (), layout, lookback_days=7)


@pytest.mark.parametrize("layout", [Layout("text", False, True), Layout("text", False, False)])
def test_explicit_window_translates_to_the_same_rows(layout: Layout) -> None:
    since = datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    until = datetime(2024, 5, 2, 0, 0, tzinfo=UTC)
    con = connect()
    rows: list[tuple[Any, ...]] = []
    for minutes in range(-180, 24 * 60, 7):
        start = since + timedelta(minutes=minutes)
        for lag in (timedelta(0), timedelta(minutes=50)):  # files are keyed by END time
            rows.append((int(start.timestamp()), layout.time_value(start + lag)))
    con.executemany("INSERT INTO db.t (start, dt) VALUES (?, ?)", rows)
    predicate = queries.window_predicate(window_ctx(layout), since, until)
    sql = translate(f"SELECT start, dt FROM db.t WHERE {predicate} ORDER BY start, dt", SCHEMA)
    # 2024-05-01T10:30Z = 1714559400, 2024-05-02T00:00Z = 1714608000; dt bounds by hand
    low, high = ("2024/05/01/10", "2024/05/02/01") if layout.hourly else ("2024/05/01", "2024/05/02")
    expected = sorted(r for r in rows if 1714559400 <= r[0] < 1714608000 and low <= r[1] <= high)
    assert con.execute(sql).fetchall() == expected
    assert len(expected) > 100


def test_default_window_is_the_last_lookback_days() -> None:
    layout = Layout("text", False, True)
    now = datetime.now(UTC)
    con = connect()
    starts = {
        "hour ago": now - timedelta(hours=1),
        "6 days ago": now - timedelta(days=6),
        "8 days ago": now - timedelta(days=8),
        "future": now + timedelta(hours=2),
    }
    con.executemany(
        "INSERT INTO db.t (srcaddr, start, dt) VALUES (?, ?, ?)",
        [(k, int(v.timestamp()), layout.time_value(v)) for k, v in starts.items()],
    )
    sql = translate(
        f"SELECT srcaddr FROM db.t WHERE {queries.window_predicate(window_ctx(layout))} ORDER BY start",
        SCHEMA,
    )
    assert [r[0] for r in con.execute(sql).fetchall()] == ["6 days ago", "hour ago"]


def test_time_functions_render_utc_values() -> None:
    con = connect()
    sql = translate(
        "SELECT date_format(TIMESTAMP '2024-05-01 13:00:00', 'year=%Y/month=%m/day=%d/hour=%H'), "
        "to_unixtime(TIMESTAMP '2024-05-01 13:00:00'), "
        "date_format(from_unixtime(1714568400), '%Y-%m-%d %H:00')",
        SCHEMA,
    )
    assert con.execute(sql).fetchall() == [
        ("year=2024/month=05/day=01/hour=13", 1714568400.0, "2024-05-01 13:00")
    ]
