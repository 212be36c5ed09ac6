"""run_saved reads only the files in the time window, refuses queries the files cannot answer, and
returns plain Python values."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit.layout import Layout
from flowkit.local import EngineError, Window, run_saved

WINDOW = Window(datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC))


def test_files_outside_the_window_are_not_read(fx: Any, tmp_path: Path, probe: Any) -> None:
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
    assert [r[5] for r in probe(tmp_path, messages).rows] == [1]
    assert messages == []  # the broken file lies outside the window and was never opened


def test_query_needing_absent_fields_is_refused(fx: Any, ctx: Any, tmp_path: Path) -> None:
    fx.write_text(
        tmp_path
        / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", datetime(2024, 5, 1, 13, 2, tzinfo=UTC)),
        fx.DEFAULT_FIELDS,
        [fx.record()],
    )
    template = fx.template(
        "SELECT pkt_srcaddr, vpc_id FROM {{ database }}.{{ table }} WHERE {{ window }}",
        fields="pkt-srcaddr vpc-id",
    )
    with pytest.raises(EngineError, match=r"needs field\(s\) pkt-srcaddr, vpc-id") as err:
        run_saved(template, ctx, tmp_path, {}, WINDOW)
    assert err.value.status == 2


def test_values_are_python_types_and_times_iso_utc(fx: Any, tmp_path: Path, probe: Any) -> None:
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
    result = probe(tmp_path, body=body)
    # 1714568460 = 2024-05-01T13:01:00Z; 15 / 5 = 3 (integer division, as in Athena)
    assert result.rows == [("2024-05-01T13:01:00Z", 15, 3, 7.5, 2)]
    assert [type(v) for v in result.rows[0]] == [str, int, int, float, int]


def test_no_file_in_the_window_gives_no_rows_and_says_so(fx: Any, tmp_path: Path, probe: Any) -> None:
    march = datetime(2024, 3, 1, 13, tzinfo=UTC)
    key = fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", march)
    fx.write_text(tmp_path / key, fx.DEFAULT_FIELDS, [fx.record()])
    messages = fx.Messages()
    result = probe(tmp_path, messages)
    assert result.rows == [] and result.columns[:2] == ["aws_account", "aws_region"]
    assert messages == [
        f"no flow log file under {tmp_path} falls in the time window (dt 2024/05/01/00 to 2024/05/02/01); "
        "1 file(s) lie outside it"
    ]


def test_progress_hears_the_files_read_then_the_query(fx: Any, ctx: Any, tmp_path: Path) -> None:
    when = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
    for name in ("a", "b"):
        fx.write_text(tmp_path / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", when, name),
                      fx.DEFAULT_FIELDS, [fx.record()])
    fx.write_parquet(tmp_path / fx.key_for(Layout("parquet"), fx.ACCOUNT_A, "eu-west-1", when, "p"),
                     fx.DEFAULT_FIELDS, [fx.record()])
    calls: list[tuple[str, float, float | None]] = []
    template = fx.template("SELECT count(*) AS n FROM {{ database }}.{{ table }} WHERE {{ window }}")
    result = run_saved(template, ctx, tmp_path, {}, WINDOW,
                       progress=lambda what, done, total=None: calls.append((what, done, total)))
    assert result.rows == [(3,)] and result.files_read == 3
    reading = [done for what, done, total in calls[:-1] if what == "reading flow log files" and total == 3]
    assert len(reading) == len(calls) - 1 and reading == sorted(reading) and reading[-1] == 3
    assert calls[-1] == ("running the query", 0, None)
    calls.clear()  # the files are stored now: the next query reads none of them
    run_saved(template, ctx, tmp_path, {}, WINDOW,
              progress=lambda what, done, total=None: calls.append((what, done, total)))
    assert calls == [("running the query", 0, None)]


def test_importing_the_package_loads_neither_duckdb_nor_sqlglot() -> None:
    import subprocess
    import sys

    code = ("import sys, flowkit.local; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('duckdb', 'sqlglot', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
