"""The local engine reads every key layout, text by its own header and Parquet by name, and reports
every problem (file:line) instead of failing or dropping data silently."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit import engine
from flowkit.layout import Layout

SINCE = datetime(2024, 5, 1, tzinfo=UTC)
UNTIL = datetime(2024, 5, 2, tzinfo=UTC)
WINDOW = engine.Window(SINCE, UNTIL)
PROBE = (
    "SELECT aws_account, aws_region, dt, account_id, srcaddr, bytes, packets\n"
    "FROM {{ database }}.{{ table }} WHERE {{ window }} ORDER BY bytes NULLS FIRST, srcaddr"
)


def run(fx: Any, ctx: Any, root: Path, messages: Any = None, body: str = PROBE, **kw: Any) -> engine.Result:
    return engine.run_query(fx.template(body), ctx, root, {}, kw.pop("window", WINDOW), warn=messages, **kw)


LAYOUTS = [
    Layout(file_format=fmt, hive=hive, hourly=hourly, key_prefix=prefix)
    for fmt in ("text", "parquet")
    for hive in (False, True)
    for hourly, prefix in ((False, ""), (True, "team/flows"))
]


@pytest.mark.parametrize(
    "layout", LAYOUTS, ids=lambda lay: f"{lay.file_format}-hive{lay.hive}-hourly{lay.hourly}"
)
def test_every_layout_with_accounts_and_regions(fx: Any, ctx: Any, tmp_path: Path, layout: Layout) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    writer = fx.write_text if layout.file_format == "text" else fx.write_parquet
    for account, region, size in ((fx.ACCOUNT_A, "eu-west-1", 100), (fx.ACCOUNT_B, "us-east-1", 200)):
        key = fx.key_for(layout, account, region, when)
        writer(tmp_path / key, fx.DEFAULT_FIELDS, [fx.record(account_id=account, bytes=size)])
    dt = "2024/05/01/13" if layout.hourly else "2024/05/01"  # the local dt: plain folders, same period
    expected = [
        (fx.ACCOUNT_A, "eu-west-1", dt, fx.ACCOUNT_A, "10.0.0.1", 100, 2),
        (fx.ACCOUNT_B, "us-east-1", dt, fx.ACCOUNT_B, "10.0.0.1", 200, 2),
    ]
    result = run(fx, ctx, tmp_path)
    assert result.columns == ["aws_account", "aws_region", "dt", "account_id", "srcaddr", "bytes", "packets"]
    assert result.rows == expected
    # the folder may also be AWSLogs itself or any folder below it
    below = tmp_path / layout.root / (f"aws-account-id={fx.ACCOUNT_A}" if layout.hive else fx.ACCOUNT_A)
    assert run(fx, ctx, tmp_path / layout.root).rows == expected
    assert run(fx, ctx, below).rows == expected[:1]


def test_daily_and_hourly_hive_and_plain_text_and_parquet_together(fx: Any, ctx: Any, tmp_path: Path) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    for size, layout in enumerate(LAYOUTS, start=1):
        writer = fx.write_text if layout.file_format == "text" else fx.write_parquet
        writer(
            tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, f"n{size}"),
            fx.DEFAULT_FIELDS,
            [fx.record(bytes=size)],
        )
    rows = run(fx, ctx, tmp_path).rows
    assert [r[5] for r in rows] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert {r[2] for r in rows} == {"2024/05/01"}  # mixed daily and hourly files: daily dt for all


def test_text_is_read_by_its_own_header(fx: Any, ctx: Any, tmp_path: Path) -> None:
    layout = Layout("text", False, True)
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    custom = ["log-status", "bytes", "srcaddr", "start", "account-id", "packets", "end", "version"]
    fx.write_text(
        tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, "x"),
        custom,
        [fx.record(bytes=7, packets=3, srcaddr="192.0.2.9")],
    )
    fx.write_text(
        tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, "y"),
        fx.DEFAULT_FIELDS,
        [fx.record(bytes=9, srcaddr="2001:db8::1")],
    )
    rows = run(fx, ctx, tmp_path).rows
    assert [(r[4], r[5], r[6]) for r in rows] == [("192.0.2.9", 7, 3), ("2001:db8::1", 9, 2)]


def test_fields_missing_from_a_file_are_null(fx: Any, ctx: Any, tmp_path: Path) -> None:
    layout = Layout("parquet", False, True)
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    fx.write_parquet(
        tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, "x"),
        [*fx.DEFAULT_FIELDS, "vpc-id"],
        [fx.record(bytes=1, vpc_id="vpc-01234567")],
    )
    fx.write_text(
        tmp_path / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", when, "y"),
        fx.DEFAULT_FIELDS,
        [fx.record(bytes=2)],
    )
    body = "SELECT bytes, vpc_id FROM {{ database }}.{{ table }} WHERE {{ window }} ORDER BY bytes"
    assert run(fx, ctx, tmp_path, body=body).rows == [(1, "vpc-01234567"), (2, None)]


def test_dash_in_numeric_fields_is_null(fx: Any, ctx: Any, tmp_path: Path) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    nodata = fx.record(
        srcaddr=None,
        dstaddr=None,
        srcport=None,
        dstport=None,
        protocol=None,
        packets=None,
        bytes=None,
        action=None,
        log_status="NODATA",
    )
    fx.write_text(
        tmp_path / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", when),
        fx.DEFAULT_FIELDS,
        [nodata, fx.record(bytes=5)],
    )
    messages = fx.Messages()
    body = (
        "SELECT log_status, bytes, packets, dstport, srcaddr FROM {{ database }}.{{ table }} "
        "WHERE {{ window }} ORDER BY log_status"
    )
    result = run(fx, ctx, tmp_path, messages, body=body)
    assert result.rows == [("NODATA", None, None, None, None), ("OK", 5, 2, 443, "10.0.0.1")]
    assert result.skipped_lines == 0 and messages == []


def test_header_only_and_empty_files_are_fine(fx: Any, ctx: Any, tmp_path: Path) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    layout = Layout("text")
    fx.write_text(
        tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, "header"), fx.DEFAULT_FIELDS, []
    )
    (tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, "empty")).write_bytes(b"")
    (tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, "gzempty")).write_bytes(
        gzip.compress(b"")
    )
    fx.write_parquet(
        tmp_path / fx.key_for(Layout("parquet"), fx.ACCOUNT_A, "eu-west-1", when, "p"), fx.DEFAULT_FIELDS, []
    )
    fx.write_text(
        tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, "data"),
        fx.DEFAULT_FIELDS,
        [fx.record(bytes=3)],
    )
    messages = fx.Messages()
    result = run(fx, ctx, tmp_path, messages)
    assert [r[5] for r in result.rows] == [3]
    assert messages == []


def test_unknown_columns_are_ignored_with_one_note(fx: Any, ctx: Any, tmp_path: Path) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    tgw = ["resource-type", "tgw-id", *fx.DEFAULT_FIELDS, "tgw-attachment-id"]
    rows = [
        {
            **fx.record(bytes=n),
            "resource-type": "TransitGateway",
            "tgw-id": "tgw-1",
            "tgw-attachment-id": "tgw-attach-1",
        }
        for n in (4, 6)
    ]
    for name in ("a", "b"):
        fx.write_text(tmp_path / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", when, name), tgw, rows)
    messages = fx.Messages()
    result = run(fx, ctx, tmp_path, messages)
    assert [r[5] for r in result.rows] == [4, 4, 6, 6]
    notes = [m for m in messages if "tgw-id" in m]
    assert len(notes) == 1 and notes[0].startswith("note: ")
    assert "resource-type" in notes[0] and "tgw-attachment-id" in notes[0]


def test_truncated_gzip_member_is_reported_and_the_rest_read(fx: Any, ctx: Any, tmp_path: Path) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    layout = Layout("text")
    good = fx.text_lines(fx.DEFAULT_FIELDS, [fx.record(bytes=1), fx.record(bytes=2)])
    line = "2 {account} eni-1 10.0.0.9 10.0.0.2 1 2 6 1 {size} {t} {t} ACCEPT OK\n"
    second = gzip.compress(
        "".join(line.format(account=fx.ACCOUNT_A, size=1000 + n, t=fx.T0_EPOCH) for n in range(2000)).encode()
    )
    broken = tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, "broken")
    broken.parent.mkdir(parents=True)
    broken.write_bytes(gzip.compress(good.encode()) + second[:12])  # 2nd member: gzip header only
    partial = tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, "partial")
    partial.write_bytes(gzip.compress(good.encode()) + second[: len(second) // 2])
    messages = fx.Messages()
    result = run(fx, ctx, tmp_path, messages)
    sizes = [r[5] for r in result.rows]
    assert sizes[:4] == [1, 1, 2, 2]  # both complete first members
    assert all(1000 <= s < 3000 for s in sizes[4:]) and len(sizes) < 4 + 2000  # some of the partial member
    assert any(str(broken) in m and "truncated" in m for m in messages)
    assert any(str(partial) in m and "truncated" in m for m in messages)


def test_malformed_lines_are_counted_and_reported_with_file_and_line(
    fx: Any, ctx: Any, tmp_path: Path
) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    path = tmp_path / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", when)
    lines = fx.text_lines(fx.DEFAULT_FIELDS, [fx.record(bytes=n) for n in range(1, 7)]).splitlines()
    lines[2] = lines[2].rsplit(" ", 1)[0]  # line 3: a field short
    lines[4] = lines[4] + " surplus"  # line 5: a field too many
    lines[6] = lines[6].replace(" 443 6 2 6 ", " 443 6 two 6 ")  # line 7: packets not a number: kept
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    other = fx.write_text(
        tmp_path / fx.key_for(Layout("text"), fx.ACCOUNT_B, "eu-west-1", when),
        fx.DEFAULT_FIELDS,
        [fx.record(bytes=50)],
    )
    messages = fx.Messages()
    result = run(fx, ctx, tmp_path, messages)
    # records of lines 2, 4, 6, 7 (packets NULL, as in Athena) and the other file
    assert [(r[5], r[6]) for r in result.rows] == [(1, 2), (3, 2), (5, 2), (6, None), (50, 2)]
    assert result.skipped_lines == 2 and result.null_values == 1
    assert f"{path}:3: malformed record skipped (13 fields, the header has 14; " in "\n".join(messages)
    assert f"{path}:5: malformed record skipped (15 fields, the header has 14; " in "\n".join(messages)
    assert f"{path}:7: column 'packets': 'two' is not a number (read as NULL)" in messages
    assert not any(str(other) in m for m in messages)
    assert any(m.startswith("2 malformed record(s) skipped in 1 file(s)") for m in messages)


def test_files_outside_the_window_are_not_read(fx: Any, ctx: Any, tmp_path: Path) -> None:
    layout = Layout("text")
    inside = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    fx.write_text(
        tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", inside),
        fx.DEFAULT_FIELDS,
        [fx.record(bytes=1)],
    )
    outside = tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", datetime(2024, 4, 1, 13, tzinfo=UTC))
    outside.parent.mkdir(parents=True)
    outside.write_bytes(b"\x1f\x8b\x08 not really gzip")
    messages = fx.Messages()
    assert [r[5] for r in run(fx, ctx, tmp_path, messages).rows] == [1]
    assert messages == []  # the broken file lies outside the window and was never opened


def test_query_needing_absent_fields_is_refused(fx: Any, ctx: Any, tmp_path: Path) -> None:
    fx.write_text(
        tmp_path
        / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", datetime(2024, 5, 1, 13, 2, tzinfo=UTC)),
        fx.DEFAULT_FIELDS,
        [fx.record()],
    )
    probe = fx.template(
        "SELECT pkt_srcaddr, vpc_id FROM {{ database }}.{{ table }} WHERE {{ window }}",
        fields="pkt-srcaddr vpc-id",
    )
    with pytest.raises(engine.EngineError, match=r"needs field\(s\) pkt-srcaddr, vpc-id") as err:
        engine.run_query(probe, ctx, tmp_path, {}, WINDOW)
    assert err.value.status == 2


@pytest.mark.parametrize("setup", ["missing", "empty", "stray"])
def test_no_logs_is_an_error(fx: Any, ctx: Any, tmp_path: Path, setup: str) -> None:
    root = tmp_path / "logs"
    if setup != "missing":
        root.mkdir()
    if setup == "stray":
        (root / "notes.txt").write_text("hello")
    with pytest.raises(
        engine.EngineError, match="no such folder" if setup == "missing" else "no flow log files"
    ):
        run(fx, ctx, root)


def test_values_are_python_types_and_times_iso_utc(fx: Any, ctx: Any, tmp_path: Path) -> None:
    fx.write_text(
        tmp_path
        / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", datetime(2024, 5, 1, 13, 2, tzinfo=UTC)),
        fx.DEFAULT_FIELDS,
        [fx.record(bytes=7, packets=2), fx.record(bytes=8, packets=3)],
    )
    body = (
        "SELECT from_unixtime(min(start)) AS first_seen, sum(bytes) AS total, sum(bytes) / sum(packets) "
        "AS per_packet, avg(bytes) AS mean, count(*) AS n FROM {{ database }}.{{ table }} WHERE {{ window }}"
    )
    result = run(fx, ctx, tmp_path, body=body)
    # 1714568460 = 2024-05-01T13:01:00Z; 15 / 5 = 3 (integer division, as in Athena)
    assert result.rows == [("2024-05-01T13:01:00Z", 15, 3, 7.5, 2)]
    assert [type(v) for v in result.rows[0]] == [str, int, int, float, int]


def test_no_file_in_the_window_gives_no_rows_and_says_so(fx: Any, ctx: Any, tmp_path: Path) -> None:
    march = datetime(2024, 3, 1, 13, tzinfo=UTC)
    key = fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", march)
    fx.write_text(tmp_path / key, fx.DEFAULT_FIELDS, [fx.record()])
    messages = fx.Messages()
    result = run(fx, ctx, tmp_path, messages)
    assert result.rows == [] and result.columns[:2] == ["aws_account", "aws_region"]
    assert messages == [
        f"no flow log file under {tmp_path} falls in the time window (dt 2024/05/01/00 to 2024/05/02/01); "
        "1 file(s) lie outside it"
    ]
