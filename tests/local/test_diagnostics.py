"""Bad values never drop records silently or abort a query: as Athena's LazySimpleSerDe does, a text
value that is not a number becomes NULL and its record is kept, reported with file:line whatever the
query reads; a line with the wrong number of fields is skipped and reported with file:line."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit.layout import Layout
from flowkit.local import diagnostics

WHEN = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
LINE = ("2 {account} eni-0123456789abcdef0 {src} 10.0.0.2 40000 {dstport} 6 {packets} {size} {start} {end} "
        "ACCEPT OK")


def text_file(fx: Any, root: Path, name: str, values: list[tuple[str, str, str, str]]) -> Path:
    """A default-format text file; each record given as (srcaddr, dstport, packets, bytes) as written."""
    lines = [" ".join(fx.DEFAULT_FIELDS)] + [
        LINE.format(account=fx.ACCOUNT_A, src=src, dstport=port, packets=packets, size=size,
                    start=fx.T0_EPOCH + 60, end=fx.T0_EPOCH + 120)
        for src, port, packets, size in values
    ]
    path = root / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", WHEN, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return path


@pytest.fixture
def abc_file(fx: Any, tmp_path: Path) -> Path:
    # line 3 (the 2nd record) has bytes=abc
    return text_file(fx, tmp_path, "a", [("10.0.0.1", "443", "2", "100"), ("10.0.0.1", "443", "2", "abc"),
                                         ("10.0.0.9", "443", "2", "50")])


def test_not_a_number_is_null_and_the_record_counted_by_log_coverage(
    saved: Any, tmp_path: Path, abc_file: Path
) -> None:
    messages: list[str] = []
    result = saved(tmp_path, "log-coverage", messages)  # reads log_status and interface_id, not bytes
    assert result.rows == [("OK", 3, 1)]  # all 3 records, one interface
    assert result.null_values == 1 and result.skipped_lines == 0
    assert f"{abc_file}:3: column 'bytes': 'abc' is not a number (read as NULL)" in messages
    assert any(m.startswith("1 value(s) in numeric columns of 1 file(s) are not numbers") for m in messages)


def test_not_a_number_is_left_out_of_the_sums_of_top_talkers(
    saved: Any, tmp_path: Path, abc_file: Path
) -> None:
    messages: list[str] = []
    result = saved(tmp_path, "top-talkers", messages)
    # 10.0.0.1: bytes 100 + NULL = 100, packets 2 + 2 = 4 (the record is kept); 10.0.0.9: 50 and 2
    assert result.rows == [("10.0.0.1", 100, 4), ("10.0.0.9", 50, 2)]
    assert result.null_values == 1 and result.skipped_lines == 0
    assert f"{abc_file}:3: column 'bytes': 'abc' is not a number (read as NULL)" in messages


def test_every_bad_value_is_reported_and_dashes_are_not(fx: Any, probe: Any, tmp_path: Path) -> None:
    path = text_file(fx, tmp_path, "a", [
        ("10.0.0.1", "-", "-", "-"),  # line 2: '-' is NULL, no problem
        ("10.0.0.1", "", "two", "12x"),  # line 3: three bad values (an empty field is not a number)
        ("10.0.0.1", "99999999999", "1", "7"),  # line 4: dstport beyond int: NULL in Athena
    ])
    messages: list[str] = []
    body = ("SELECT dstport, packets, bytes FROM {{ database }}.{{ table }} WHERE {{ window }} "
            "ORDER BY bytes NULLS FIRST, packets NULLS FIRST")
    result = probe(tmp_path, messages.append, body=body)
    assert result.rows == [(None, None, None), (None, None, None), (None, 1, 7)]
    assert result.null_values == 4
    assert [m for m in messages if m.startswith(str(path))] == [
        f"{path}:3: column 'bytes': '12x' is not a number (read as NULL)",
        f"{path}:3: column 'dstport': '' is not a number (read as NULL)",
        f"{path}:3: column 'packets': 'two' is not a number (read as NULL)",
        f"{path}:4: column 'dstport': '99999999999' is not a number (read as NULL)",
    ]


def test_many_bad_values_are_capped_with_a_total(
    fx: Any, saved: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diagnostics, "MAX_DETAILED_REJECTS", 2)
    first = text_file(fx, tmp_path, "a", [("10.0.0.1", "443", "2", "x")] * 3)
    text_file(fx, tmp_path, "b", [("10.0.0.1", "443", "y", "1")] * 2)
    messages: list[str] = []
    result = saved(tmp_path, "log-coverage", messages)
    assert result.rows == [("OK", 5, 1)]
    assert messages == [
        f"{first}:2: column 'bytes': 'x' is not a number (read as NULL)",
        f"{first}:3: column 'bytes': 'x' is not a number (read as NULL)",
        "... and 3 more value(s) that are not numbers",
        "5 value(s) in numeric columns of 2 file(s) are not numbers and were read as NULL, as Athena reads "
        "them; their records were kept",
    ]


def test_wrong_field_counts_are_still_skipped_and_say_why(fx: Any, saved: Any, tmp_path: Path) -> None:
    path = text_file(fx, tmp_path, "a", [("10.0.0.1", "443", "2", "100"), ("10.0.0.1", "443", "2", "abc")])
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    lines.append(lines[1] + " surplus")  # line 4: 15 fields
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    messages: list[str] = []
    result = saved(tmp_path, "log-coverage", messages)
    assert result.rows == [("OK", 2, 1)] and result.skipped_lines == 1 and result.null_values == 1
    assert (f"{path}:4: malformed record skipped (15 fields, the header has 14; Athena would read its "
            "values into the wrong columns)") in messages
    assert f"{path}:3: column 'bytes': 'abc' is not a number (read as NULL)" in messages


def test_malformed_lines_are_counted_and_reported_with_file_and_line(
    fx: Any, tmp_path: Path, probe: Any
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
    result = probe(tmp_path, messages)
    # records of lines 2, 4, 6, 7 (packets NULL, as in Athena) and the other file
    assert [(r[5], r[6]) for r in result.rows] == [(1, 2), (3, 2), (5, 2), (6, None), (50, 2)]
    assert result.skipped_lines == 2 and result.null_values == 1
    assert f"{path}:3: malformed record skipped (13 fields, the header has 14; " in "\n".join(messages)
    assert f"{path}:5: malformed record skipped (15 fields, the header has 14; " in "\n".join(messages)
    assert f"{path}:7: column 'packets': 'two' is not a number (read as NULL)" in messages
    assert not any(str(other) in m for m in messages)
    assert any(m.startswith("2 malformed record(s) skipped in 1 file(s)") for m in messages)
