"""CAST(a AS IPADDRESS) = CAST(b AS IPADDRESS) locally: equal exactly when Python's ipaddress says the
two addresses have the same 16-byte value (IPv4 as ::ffff:a.b.c.d, as Trino stores it)."""

from __future__ import annotations

import ipaddress
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flowkit import queries
from flowkit.layout import Layout
from flowkit.local import MACROS, TranslateError, Window, discover, run_saved, translate

SCHEMA = {"db": {"t": {"n": "BIGINT", "a": "VARCHAR", "b": "VARCHAR"}}}
MAPPED = 0xFFFF << 32


def value16(text: str | None) -> int | None:
    """The 128-bit IPADDRESS value of a text per Python's ipaddress; None for NULL or a non-address."""
    if text is None or "%" in text:  # no zone ids (Trino's IPADDRESS has none)
        return None
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    return MAPPED | int(addr) if addr.version == 4 else int(addr)


def expected_equal(a: str | None, b: str | None) -> bool | None:
    va, vb = value16(a), value16(b)
    return None if va is None or vb is None else va == vb


def spellings(value: int, rng: random.Random) -> list[str]:
    """Textual forms of one 128-bit value: compressed, exploded, no padding, upper case, '::' at a
    random run of zero groups, embedded IPv4 tail, and the dotted quad when it is IPv4-mapped."""
    v6 = ipaddress.IPv6Address(value)
    groups = v6.exploded.split(":")
    unpadded = [g.lstrip("0") or "0" for g in groups]
    tail = str(ipaddress.IPv4Address(value & 0xFFFFFFFF))
    out = [str(v6), v6.exploded, ":".join(unpadded), str(v6).upper(), v6.exploded.upper(),
           ":".join(unpadded[:6]) + ":" + tail,
           ":".join(g.zfill(rng.randrange(1, 5)) if len(g) <= 4 else g for g in unpadded)]
    zero_runs = [(i, j) for i in range(8) for j in range(i + 1, 9) if all(g == "0000" for g in groups[i:j])]
    for start, stop in rng.sample(zero_runs, min(3, len(zero_runs))):
        out.append(":".join(unpadded[:start]) + "::" + ":".join(unpadded[stop:]))
    if value >> 32 == 0xFFFF:
        out += [tail, "::ffff:" + tail, "::FFFF:" + tail, "0:0:0:0:0:ffff:" + tail]
    return out


INVALID = ["", "abc", "1.2.3", "1.2.3.256", "01.2.3.4", "1.2.3.04", " 1.2.3.4", "1.2.3.4 ", "1:2:3",
           "1::2::3", "12345::", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::1.2.3", "g::1",
           "1.2.3.4/32", "::ffff:1.2.3.04", ":1:2:3:4:5:6:7", "-"]


def values(rng: random.Random) -> list[int]:
    """Addresses that exercise the mapped range, IPv4-compatible ::a.b.c.d and '::' anywhere."""
    out = [0, 1, MAPPED, MAPPED | 0x0A000001, 0x0A000001, MAPPED - 1, (0xFFFF << 32) + (1 << 32),
           0x20010DB8 << 96 | 0x10, 0x20010DB8 << 96 | 0x10 << 16, 0xFE80 << 112 | 1, 2**128 - 1]
    for _ in range(60):
        out.append(MAPPED | rng.getrandbits(32))
        out.append(rng.getrandbits(128))
        sparse = 0
        for index in range(8):
            if rng.random() < 0.5:
                sparse |= rng.getrandbits(16) << (16 * index)
        out.append(sparse)
    return out


def connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for macro in MACROS:
        con.execute(macro)
    con.execute("CREATE SCHEMA db")
    con.execute("CREATE TABLE db.t (n BIGINT, a VARCHAR, b VARCHAR)")
    return con


def load_pairs(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str | None, str | None]]) -> None:
    con.execute("INSERT INTO db.t SELECT unnest(?), unnest(?), unnest(?)",
                [list(range(len(pairs))), [a for a, _ in pairs], [b for _, b in pairs]])


def test_equality_matches_ipaddress_over_many_pairs() -> None:
    rng = random.Random(20261123)
    groups = [spellings(v, rng) for v in values(rng)]
    texts = [t for g in groups for t in g] + INVALID
    pairs: list[tuple[str | None, str | None]] = []
    for group in groups:  # every spelling against every other spelling of the same address
        pairs += [(a, b) for a in group for b in group]
    pairs += [(rng.choice(texts), rng.choice(texts)) for _ in range(20000)]
    pairs += [(a, b) for a in INVALID for b in ("10.0.0.1", "::1", *INVALID[:3])]
    pairs += [(None, "10.0.0.1"), ("10.0.0.1", None), (None, None)]
    pairs += [("10.0.0.1", "::10.0.0.1"), ("10.0.0.1", "::ffff:a00:1"), ("::ffff:a00:1", "::a00:1"),
              ("2600:1F18::10", "2600:1f18:0:0:0:0:0:10"), ("2600:1f18::10", "2600:1f18::0010"),
              ("1.2.3.4", "::FFFF:0102:0304"), ("255.255.255.255", "::ffff:ffff:ffff")]
    con = connect()
    load_pairs(con, pairs)
    sql = translate("SELECT CAST(a AS IPADDRESS) = CAST(b AS IPADDRESS), "
                    "CAST(a AS IPADDRESS) <> CAST(b AS IPADDRESS) FROM db.t ORDER BY n", SCHEMA)
    assert "IPADDRESS" not in sql.upper()
    got = con.execute(sql).fetchall()
    expected = [expected_equal(a, b) for a, b in pairs]
    wrong = [(p, g, e) for p, g, e in zip(pairs, got, expected, strict=True) if g[0] != e]
    assert not wrong, wrong[:10]
    assert all(g[1] == (None if e is None else not e) for g, e in zip(got, expected, strict=True))
    assert expected.count(True) > 5000 and expected.count(False) > 5000 and expected.count(None) > 100


@pytest.mark.parametrize("wanted", ["2001:DB8::10", "2001:db8:0:0:0:0:0:10", "2001:0DB8:0000::0010",
                                    "2001:db8::0:10"])
def test_placeholder_is_bound_through_the_rewrite(wanted: str) -> None:
    con = connect()
    rows = ["2001:db8:0:0:0:0:0:10", "2001:db8::10", "2001:db8::11", "10.0.0.16", None, "not-an-ip"]
    load_pairs(con, [(r, None) for r in rows])
    sql = translate("SELECT n FROM db.t WHERE CAST(a AS IPADDRESS) = CAST(? AS IPADDRESS) ORDER BY n", SCHEMA)
    assert con.execute(sql, [wanted]).fetchall() == [(0,), (1,)]


def test_ipv4_matches_its_mapped_ipv6_forms_and_in_lists() -> None:
    con = connect()
    rows = ["10.0.2.20", "::ffff:10.0.2.20", "::FFFF:A00:214", "::10.0.2.20", "10.0.2.2", "10.0.2.200"]
    load_pairs(con, [(r, None) for r in rows])
    sql = translate("SELECT n FROM db.t WHERE CAST(a AS IPADDRESS) = CAST(? AS IPADDRESS) ORDER BY n", SCHEMA)
    assert con.execute(sql, ["10.0.2.20"]).fetchall() == [(0,), (1,), (2,)]
    assert con.execute(sql, ["0:0:0:0:0:ffff:0a00:0214"]).fetchall() == [(0,), (1,), (2,)]
    listed = translate("SELECT n FROM db.t WHERE CAST(a AS IPADDRESS) IN (CAST(? AS IPADDRESS), "
                       "CAST('::a00:214' AS IPADDRESS)) ORDER BY n", SCHEMA)
    assert con.execute(listed, ["10.0.2.2"]).fetchall() == [(3,), (4,)]


def test_null_and_invalid_text_give_null_locally() -> None:
    """Athena fails the query on text that is not an address; locally the comparison is NULL."""
    con = connect()
    load_pairs(con, [(None, "10.0.0.1"), ("10.0.0.256", "10.0.0.1"), ("10.0.0.1", "10.0.0.1")])
    sql = translate("SELECT CAST(a AS IPADDRESS) = CAST(b AS IPADDRESS), "
                    "CAST(a AS IPADDRESS) IS DISTINCT FROM CAST(b AS IPADDRESS) FROM db.t ORDER BY n", SCHEMA)
    assert con.execute(sql).fetchall() == [(None, True), (None, True), (True, False)]


@pytest.mark.parametrize("sql", [
    "SELECT n FROM db.t WHERE CAST(a AS IPADDRESS) < CAST(b AS IPADDRESS)",
    "SELECT n FROM db.t WHERE CAST(a AS IPADDRESS) = b",
    "SELECT n FROM db.t WHERE CAST(a AS IPADDRESS) IN (CAST(b AS IPADDRESS), b)",
])
def test_other_ip_comparisons_are_refused(sql: str) -> None:
    with pytest.raises(TranslateError, match="IPADDRESS"):
        translate(sql, SCHEMA)


# -- end to end: a saved query over a tiny fixture ------------------------------------------------------
WINDOW = Window(datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC))


def write_fixture(fx: Any, root: Path) -> None:
    layout = Layout("text", False, False)
    records = [
        fx.record(srcaddr="2001:db8:1::5", dstaddr="2001:db8:0:0:0:0:0:10", dstport=443, bytes=700),
        fx.record(srcaddr="2001:db8:1::5", dstaddr="2001:0db8:0000:0000:0000:0000:0000:0010", dstport=443,
                  bytes=300),
        fx.record(srcaddr="2001:db8:1::6", dstaddr="2001:DB8::10", dstport=22, bytes=50),
        fx.record(srcaddr="2001:db8:1::5", dstaddr="2001:db8::11", dstport=443, bytes=9999),
        fx.record(srcaddr="10.0.0.1", dstaddr="10.0.0.16", dstport=443, bytes=8888),
        fx.record(srcaddr=None, dstaddr=None, dstport=None, protocol=None, packets=None, bytes=None,
                  action=None, log_status="NODATA"),
    ]
    key = fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", datetime(2024, 5, 1, 13, 5, tzinfo=UTC))
    fx.write_text(root / key, fx.DEFAULT_FIELDS, records)


# Written from the fixture: the three records to 2001:db8::10, per source, port, protocol and action.
EXPECTED = [("2001:db8:1::5", 443, 6, "ACCEPT", 2, 4, 1000), ("2001:db8:1::6", 22, 6, "ACCEPT", 1, 2, 50)]


def test_traffic_to_destination_finds_every_spelling(fx: Any, ctx: Any, tmp_path: Path) -> None:
    write_fixture(fx, tmp_path)
    template = queries.find("traffic-to-destination")
    result = run_saved(template, ctx, tmp_path, {"dstaddr": "2001:DB8::10"}, WINDOW)
    assert result.columns == ["srcaddr", "dstport", "protocol", "action", "flows", "packets", "bytes"]
    assert result.rows == EXPECTED


def test_traffic_to_destination_with_the_raw_console_value(fx: Any, ctx: Any, tmp_path: Path) -> None:
    """The Athena console binds the text as typed (no CLI normalisation); the SQL itself must cope."""
    template = queries.find("traffic-to-destination")
    sql = queries.render(template, ctx, WINDOW.since, WINDOW.until)
    assert "CAST(dstaddr AS IPADDRESS) = CAST(? AS IPADDRESS)" in sql
    write_fixture(fx, tmp_path)
    files = discover(tmp_path)
    assert len(files) == 1
    types = {"srcaddr": "VARCHAR", "dstaddr": "VARCHAR", "dstport": "INTEGER", "protocol": "INTEGER",
             "packets": "BIGINT", "bytes": "BIGINT", "start": "BIGINT", "action": "VARCHAR",
             "log_status": "VARCHAR", "dt": "VARCHAR"}
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for macro in MACROS:
        con.execute(macro)
    con.execute(f'CREATE SCHEMA "{ctx.database}"')
    items = [f'CAST("{c.replace("_", "-")}" AS {t}) AS {c}' for c, t in types.items() if c != "dt"]
    dt = ctx.layout.time_value(datetime(2024, 5, 1, 13, tzinfo=UTC))
    con.execute(f'CREATE TABLE "{ctx.database}"."{ctx.table}" AS SELECT {", ".join(items)}, '
                f"'{dt}' AS dt FROM read_csv(?, delim=' ', header=true, nullstr='-', all_varchar=true)",
                [str(files[0].path)])
    duck = translate(sql, {ctx.database: {ctx.table: types}})
    assert con.execute(duck, ["2001:DB8::10"]).fetchall() == EXPECTED
