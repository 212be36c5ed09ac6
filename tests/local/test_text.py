"""Text files are read by their own header line; dashes, missing fields, empty files and unknown
columns are fine, and a damaged gzip file is read as far as it goes and reported."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flowkit.layout import Layout


def test_text_is_read_by_its_own_header(fx: Any, tmp_path: Path, probe: Any) -> None:
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
    rows = probe(tmp_path).rows
    assert [(r[4], r[5], r[6]) for r in rows] == [("192.0.2.9", 7, 3), ("2001:db8::1", 9, 2)]


def test_fields_missing_from_a_file_are_null(fx: Any, tmp_path: Path, probe: Any) -> None:
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
    assert probe(tmp_path, body=body).rows == [(1, "vpc-01234567"), (2, None)]


def test_dash_in_numeric_fields_is_null(fx: Any, tmp_path: Path, probe: Any) -> None:
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
    result = probe(tmp_path, messages, body=body)
    assert result.rows == [("NODATA", None, None, None, None), ("OK", 5, 2, 443, "10.0.0.1")]
    assert result.skipped_lines == 0 and messages == []


def test_header_only_and_empty_files_are_fine(fx: Any, tmp_path: Path, probe: Any) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    layout = Layout("text")
    fx.write_text(
        tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, "header"), fx.DEFAULT_FIELDS, []
    )
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
    result = probe(tmp_path, messages)
    assert [r[5] for r in result.rows] == [3]
    assert messages == []


def test_unknown_columns_are_ignored_with_one_note(fx: Any, tmp_path: Path, probe: Any) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    extra = ["team-label", *fx.DEFAULT_FIELDS, "ticket-ref"]  # no flow log field has these names
    rows = [{**fx.record(bytes=n), "team-label": "blue", "ticket-ref": "INC-1"} for n in (4, 6)]
    for name in ("a", "b"):
        path = tmp_path / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", when, name)
        fx.write_text(path, extra, rows)
    messages = fx.Messages()
    result = probe(tmp_path, messages)
    assert [r[5] for r in result.rows] == [4, 4, 6, 6]
    notes = [m for m in messages if "team-label" in m]
    assert len(notes) == 1 and notes[0].startswith("note: ")
    assert "ticket-ref" in notes[0]


def test_truncated_gzip_member_is_reported_and_the_rest_read(fx: Any, tmp_path: Path, probe: Any) -> None:
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
    result = probe(tmp_path, messages)
    sizes = [r[5] for r in result.rows]
    assert sizes[:4] == [1, 1, 2, 2]  # both complete first members
    assert all(1000 <= s < 3000 for s in sizes[4:]) and len(sizes) < 4 + 2000  # some of the partial member
    assert any(str(broken) in m and "truncated" in m for m in messages)
    assert any(str(partial) in m and "truncated" in m for m in messages)
