"""The time window predicate, run in DuckDB over hand-made records around window and partition edges.

A record belongs to the window when its ``start`` lies in [since, until). AWS files a record under
the hour/day of its END time, so a record starting just before ``until`` can sit in the next
partition and must still be found; ``dt`` must keep partitions outside [floor(since), until + 1 h] out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest
import sqlglot

from flowkit import catalogue, queries
from flowkit.layout import Layout


def ts(text: str) -> int:
    """Unix seconds of a UTC 'YYYY-MM-DD HH:MM:SS' (independent of the code under test)."""
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp())


@pytest.fixture()
def window_template(tmp_path: Path) -> queries.QueryTemplate:
    path = tmp_path / "window-probe.sql"
    path.write_text("-- name: window-probe\n-- description: Ids of records in the window.\n-- fields:\n"
                    "SELECT id FROM {{ database }}.{{ table }} WHERE {{ window }} ORDER BY id\n")
    return queries.parse_template(path)


def run_window(template: queries.QueryTemplate, layout: Layout, rows: Sequence[tuple[int, str | int, str]],
               since: datetime | None, until: datetime | None, lookback_days: int = 7) -> list[int]:
    ctx = queries.RenderContext("db", "tbl", catalogue.PRESETS["aws-default"], layout, lookback_days)
    sql = sqlglot.transpile(queries.render(template, ctx, since, until), read="athena", write="duckdb")[0]
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE SCHEMA db")
    con.execute("CREATE TABLE db.tbl (id INTEGER, start BIGINT, dt VARCHAR)")
    con.executemany("INSERT INTO db.tbl VALUES (?, ?, ?)",
                    [(i, ts(start) if isinstance(start, str) else start, dt) for i, start, dt in rows])
    return [row[0] for row in con.execute(sql).fetchall()]


HOURLY_ROWS = [
    (1, "2024-05-01 10:00:00", "2024/05/01/10"),  # exactly at since: in
    (2, "2024-05-01 09:59:59", "2024/05/01/10"),  # 1 s before since, ends after 10:00: out
    (3, "2024-05-01 11:59:59", "2024/05/01/12"),  # 1 s before until, filed in the next hour: in
    (4, "2024-05-01 12:00:00", "2024/05/01/12"),  # exactly at until: out
    (5, "2024-05-01 11:55:00", "2024/05/01/12"),  # ends after until: in
    (6, "2024-05-01 10:30:00", "2024/05/01/10"),  # inside: in
    (7, "2024-05-01 12:30:00", "2024/05/01/13"),  # after until: out
    (8, "2024-05-01 09:00:00", "2024/05/01/09"),  # before since: out
    (9, "2024-05-01 11:00:00", "2024/05/01/13"),  # dt = until + 1 h, the last partition read: in
    (10, "2024-05-01 11:00:00", "2024/05/01/14"),  # dt beyond the slack is pruned: out
    (11, "2024-05-01 11:00:00", "2024/05/01/09"),  # dt before since's hour is pruned: out
]


def test_hourly_window_edges(window_template: queries.QueryTemplate) -> None:
    ids = run_window(window_template, Layout(hive=False, hourly=True), HOURLY_ROWS,
                     datetime(2024, 5, 1, 10, tzinfo=UTC), datetime(2024, 5, 1, 12, tzinfo=UTC))
    assert ids == [1, 3, 5, 6, 9]


def test_hive_hourly_window_edges(window_template: queries.QueryTemplate) -> None:
    rows = [(i, start, "year=2024/month=05/day=01/hour=" + dt[-2:]) for i, start, dt in HOURLY_ROWS]
    ids = run_window(window_template, Layout(hive=True, hourly=True), rows,
                     datetime(2024, 5, 1, 10, tzinfo=UTC), datetime(2024, 5, 1, 12, tzinfo=UTC))
    assert ids == [1, 3, 5, 6, 9]


DAILY_ROWS = [
    (1, "2024-05-01 00:00:00", "2024/05/01"),  # exactly at since: in
    (2, "2024-04-30 23:59:59", "2024/05/01"),  # 1 s before since, ends on May 1st: out
    (3, "2024-05-01 23:59:59", "2024/05/02"),  # 1 s before until, filed in the next day: in
    (4, "2024-05-02 00:00:00", "2024/05/02"),  # exactly at until: out
    (5, "2024-05-01 12:00:00", "2024/05/01"),  # inside: in
    (6, "2024-04-30 12:00:00", "2024/04/30"),  # the day before: out
    (7, "2024-05-01 12:00:00", "2024/05/03"),  # dt two days later is pruned: out
]


@pytest.mark.parametrize("hive", [False, True])
def test_daily_window_edges(window_template: queries.QueryTemplate, hive: bool) -> None:
    rows = DAILY_ROWS
    if hive:
        rows = [(i, s, "year={}/month={}/day={}".format(*dt.split("/"))) for i, s, dt in DAILY_ROWS]
    ids = run_window(window_template, Layout(hive=hive, hourly=False), rows,
                     datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC))
    assert ids == [1, 3, 5]


def test_window_not_on_an_hour_boundary_and_in_another_time_zone(
        window_template: queries.QueryTemplate) -> None:
    plus_two = timezone(timedelta(hours=2))
    rows = [
        (1, "2024-05-01 10:29:59", "2024/05/01/10"),
        (2, "2024-05-01 10:30:00", "2024/05/01/10"),
        (3, "2024-05-01 10:44:59", "2024/05/01/10"),
        (4, "2024-05-01 10:45:00", "2024/05/01/10"),
    ]
    ids = run_window(window_template, Layout(), rows,
                     datetime(2024, 5, 1, 12, 30, tzinfo=plus_two), datetime(2024, 5, 1, 10, 45))
    assert ids == [2, 3]


def test_default_window_is_the_last_lookback_days(window_template: queries.QueryTemplate) -> None:
    now = datetime.now(UTC)

    def row(i: int, ago: timedelta) -> tuple[int, int, str]:
        when = now - ago
        return i, int(when.timestamp()), when.strftime("%Y/%m/%d/%H")

    rows = [row(1, timedelta(hours=1)), row(2, timedelta(days=2, hours=23)),
            row(3, timedelta(days=3, hours=1)), row(4, timedelta(hours=-1)), row(5, timedelta(days=30))]
    assert run_window(window_template, Layout(), rows, None, None, lookback_days=3) == [1, 2]


def test_rendered_literals_and_bad_windows() -> None:
    ctx = queries.RenderContext("db", "tbl", catalogue.PRESETS["v5"], Layout(hive=True, hourly=False), 7)
    text = queries.window_predicate(ctx, datetime(2024, 5, 1, 10, 0, 5), datetime(2024, 5, 1, 11))
    assert "TIMESTAMP '2024-05-01 10:00:05'" in text and "TIMESTAMP '2024-05-01 11:00:00'" in text
    assert "'year=%Y/month=%m/day=%d'" in text
    with pytest.raises(queries.QueryError, match="empty time window"):
        queries.window_predicate(ctx, datetime(2024, 5, 1, 11), datetime(2024, 5, 1, 11))


def test_half_open_windows_take_the_other_end_from_now_or_lookback() -> None:
    ctx = queries.RenderContext("db", "tbl", catalogue.PRESETS["v5"], Layout(), 3)
    since_only = queries.window_predicate(ctx, since=datetime(2024, 5, 1, tzinfo=UTC))
    assert "start >= to_unixtime(TIMESTAMP '2024-05-01 00:00:00')" in since_only
    assert "start < to_unixtime(current_timestamp)" in since_only
    until_only = queries.window_predicate(ctx, until=datetime(2024, 5, 1, tzinfo=UTC))
    assert "start >= to_unixtime(TIMESTAMP '2024-05-01 00:00:00' - INTERVAL '3' DAY)" in until_only
    assert "start < to_unixtime(TIMESTAMP '2024-05-01 00:00:00')" in until_only


def test_until_only_window_in_duckdb(window_template: queries.QueryTemplate) -> None:
    rows = [(1, "2024-04-27 23:59:59", "2024/04/27/23"), (2, "2024-04-28 00:00:00", "2024/04/28/00"),
            (3, "2024-04-30 23:59:59", "2024/05/01/00"), (4, "2024-05-01 00:00:00", "2024/05/01/00")]
    ids = run_window(window_template, Layout(), rows, None, datetime(2024, 5, 1, tzinfo=UTC), lookback_days=3)
    assert ids == [2, 3]
