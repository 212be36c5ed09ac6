"""The addresses' 128-bit values the store keeps (flowkit_ip_value) and the queries that read them:
CIDR blocks and equality against Python's ipaddress, for IPv4, IPv6, IPv4-mapped, compressed and
upper-case forms, and text that is not an address (NULL locally; Athena fails the query)."""

from __future__ import annotations

import ipaddress
import random

import duckdb
import pytest

from flowkit.local import MACROS, translate

COLUMNS = {"a": "flowkit_a_ip", "b": "flowkit_b_ip"}
SCHEMA = {"db": {"t": {"n": "BIGINT", "a": "VARCHAR", "b": "VARCHAR", "flowkit_a_ip": "UHUGEINT",
                       "flowkit_b_ip": "UHUGEINT"}}}
MAPPED = 0xFFFF << 32
INVALID = ["", "abc", "1.2.3", "1.2.3.256", "01.2.3.4", " 1.2.3.4", "1::2::3", "12345::", "::ffff:1.2.3.04",
           "1:2:3:4:5:6:7:8:9", "g::1", "1.2.3.4/32", "-", "::1.2.3"]
NETWORKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.1.0/24", "0.0.0.0/0", "255.255.255.255/32", "fc00::/7",
            "fe80::/10", "::/128", "::1/128", "2001:db8::/32", "::ffff:0:0/96", "::ffff:10.0.0.0/104", "::/0",
            "::/96", "2001:db8:1:2::/64"]


def value16(text: str | None) -> int | None:
    """Trino's IPADDRESS value of a text per Python's ipaddress (IPv4 as ::ffff:a.b.c.d)."""
    try:
        addr = ipaddress.ip_address(text or "")
    except ValueError:
        return None
    return MAPPED | int(addr) if addr.version == 4 else int(addr)


def addresses(rng: random.Random) -> list[str]:
    out = ["10.0.0.1", "10.255.255.255", "11.0.0.0", "172.31.0.9", "192.168.1.77", "0.0.0.0",
           "255.255.255.255", "::", "::1", "fe80::1", "FE80::ABCD", "fd12:3456::1", "2001:db8::10",
           "2001:0DB8:0000::0010", "::ffff:10.1.2.3", "::FFFF:A01:203", "::10.1.2.3", "2001:db8:1:2::9",
           "ff02::1"]
    for _ in range(300):
        out.append(str(ipaddress.IPv4Address(rng.getrandbits(32))))
        bits = rng.getrandbits(128) if rng.random() < 0.5 else MAPPED | rng.getrandbits(32)
        v6 = ipaddress.IPv6Address(bits)
        out.append(rng.choice([str(v6), v6.exploded, str(v6).upper()]))
    return out


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    rng = random.Random(20261204)
    texts: list[str | None] = [*addresses(rng), *INVALID, None]
    pairs = [(a, b) for a in texts[:40] for b in texts[:40]] + [(rng.choice(texts), rng.choice(texts))
                                                               for _ in range(3000)]
    db = duckdb.connect()
    for macro in MACROS:
        db.execute(macro)
    db.execute("CREATE SCHEMA db")
    db.execute("CREATE TABLE db.t AS SELECT unnest(?) AS n, unnest(?) AS a, unnest(?) AS b",
               [list(range(len(pairs))), [a for a, _ in pairs], [b for _, b in pairs]])
    db.execute("ALTER TABLE db.t ADD COLUMN flowkit_a_ip UHUGEINT")
    db.execute("ALTER TABLE db.t ADD COLUMN flowkit_b_ip UHUGEINT")
    db.execute("UPDATE db.t SET flowkit_a_ip = flowkit_ip_value(a), flowkit_b_ip = flowkit_ip_value(b)")
    return db


def test_values_match_ipaddress(con: duckdb.DuckDBPyConnection) -> None:
    texts = [*addresses(random.Random(7)), *INVALID]
    rows = con.execute("SELECT t, flowkit_ip_value(t) FROM (SELECT unnest(?) AS t)", [texts]).fetchall()
    wrong = [(text, got) for text, got in rows if got != value16(text)]
    assert not wrong, wrong[:10]
    assert sum(got is None for _, got in rows) == len(INVALID)
    assert any(got is not None and got < MAPPED for _, got in rows)  # real IPv6 as well as IPv4


@pytest.mark.parametrize("cidr", NETWORKS)
def test_literal_blocks_read_the_stored_values(con: duckdb.DuckDBPyConnection, cidr: str) -> None:
    sql = translate(f"SELECT a, contains('{cidr}', CAST(a AS IPADDRESS)) FROM db.t", SCHEMA, COLUMNS)
    assert "flowkit_a_ip" in sql and "flowkit_cidr" not in sql
    net = ipaddress.ip_network(cidr)
    low, high = int(net.network_address), int(net.broadcast_address)
    if net.version == 4:
        low, high = MAPPED | low, MAPPED | high
    for text, got in con.execute(sql).fetchall():
        value = value16(text)
        assert got == (None if value is None else low <= value <= high), (text, cidr)


def test_a_block_given_as_parameter(con: duckdb.DuckDBPyConnection) -> None:
    sql = translate("SELECT a, contains(?, CAST(a AS IPADDRESS)) FROM db.t", SCHEMA, COLUMNS)
    for cidr in ("10.0.0.0/8", "fc00::/7", "::/0", "::ffff:0:0/96"):
        net = ipaddress.ip_network(cidr)
        for text, got in con.execute(sql, [cidr]).fetchall():
            value = value16(text)
            expected = None if value is None else int(net.network_address) <= (
                value & ~MAPPED if net.version == 4 and value >> 32 == 0xFFFF else
                (value if net.version == 6 else -1)) <= int(net.broadcast_address)
            assert got == expected, (text, cidr)
    with pytest.raises(duckdb.Error, match="not a CIDR block"):
        con.execute(sql, ["10.0.0.0/33"]).fetchall()


def test_equality_reads_the_stored_values(con: duckdb.DuckDBPyConnection) -> None:
    sql = translate("SELECT a, b, CAST(a AS IPADDRESS) = CAST(b AS IPADDRESS), "
                    "CAST(a AS IPADDRESS) IS DISTINCT FROM CAST(b AS IPADDRESS), "
                    "CAST(a AS IPADDRESS) = CAST(? AS IPADDRESS) FROM db.t", SCHEMA, COLUMNS)
    assert "flowkit_a_ip" in sql and "flowkit_b_ip" in sql
    for a, b, equal, distinct, to_ten in con.execute(sql, ["::FFFF:10.0.0.1"]).fetchall():
        va, vb = value16(a), value16(b)
        assert equal == (None if va is None or vb is None else va == vb), (a, b)
        assert distinct == (va != vb), (a, b)
        assert to_ten == (None if va is None else va == MAPPED | 0x0A000001), a


def test_select_star_leaves_the_value_columns_out(con: duckdb.DuckDBPyConnection) -> None:
    sql = translate("SELECT * FROM db.t WHERE n < 2", SCHEMA, COLUMNS)
    assert [d[0] for d in con.execute(sql).description] == ["n", "a", "b"]
