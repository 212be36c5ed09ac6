"""The local engine finds the files of every key layout under any folder from the bucket root down,
and says so when there are none."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit.layout import Layout
from flowkit.local import EngineError

LAYOUTS = [
    Layout(file_format=fmt, hive=hive, hourly=hourly, key_prefix=prefix)
    for fmt in ("text", "parquet")
    for hive in (False, True)
    for hourly, prefix in ((False, ""), (True, "team/flows"))
]


@pytest.mark.parametrize(
    "layout", LAYOUTS, ids=lambda lay: f"{lay.file_format}-hive{lay.hive}-hourly{lay.hourly}"
)
def test_every_layout_with_accounts_and_regions(fx: Any, tmp_path: Path, probe: Any, layout: Layout) -> None:
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
    result = probe(tmp_path)
    assert result.columns == ["aws_account", "aws_region", "dt", "account_id", "srcaddr", "bytes", "packets"]
    assert result.rows == expected
    # the folder may also be AWSLogs itself or any folder below it
    below = tmp_path / layout.root / (f"aws-account-id={fx.ACCOUNT_A}" if layout.hive else fx.ACCOUNT_A)
    assert probe(tmp_path / layout.root).rows == expected
    assert probe(below).rows == expected[:1]


def test_daily_and_hourly_hive_and_plain_text_and_parquet_together(
    fx: Any, tmp_path: Path, probe: Any
) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    for size, layout in enumerate(LAYOUTS, start=1):
        writer = fx.write_text if layout.file_format == "text" else fx.write_parquet
        writer(
            tmp_path / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", when, f"n{size}"),
            fx.DEFAULT_FIELDS,
            [fx.record(bytes=size)],
        )
    rows = probe(tmp_path).rows
    assert [r[5] for r in rows] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert {r[2] for r in rows} == {"2024/05/01"}  # mixed daily and hourly files: daily dt for all


@pytest.mark.parametrize("setup", ["missing", "empty", "stray"])
def test_no_logs_is_an_error(tmp_path: Path, probe: Any, setup: str) -> None:
    root = tmp_path / "logs"
    if setup != "missing":
        root.mkdir()
    if setup == "stray":
        (root / "notes.txt").write_text("hello")
    with pytest.raises(
        EngineError, match="no such folder" if setup == "missing" else "no flow log files"
    ):
        probe(root)
