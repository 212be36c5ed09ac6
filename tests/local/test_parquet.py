"""A Parquet file whose column types differ from the table is skipped, naming the file and its
columns, where Athena fails the query with HIVE_BAD_DATA; narrower integer types are read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flowkit.layout import Layout

WHEN = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)


def write_parquet(path: Path, fx: Any, types: dict[str, str], rows: list[dict[str, Any]]) -> Path:
    """The default fields in Parquet with some column types replaced."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    kinds = {f: types.get(f, fx.PARQUET_TYPES.get(f, "VARCHAR")) for f in fx.DEFAULT_FIELDS}
    con = duckdb.connect()
    columns = ", ".join(f'"{f.replace("-", "_")}" {k}' for f, k in kinds.items())
    con.execute(f"CREATE TABLE t ({columns})")
    marks = ", ".join("?" for _ in kinds)
    con.executemany(f"INSERT INTO t VALUES ({marks})", [[r.get(f) for f in kinds] for r in rows])
    con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    con.close()
    return path


def parquet_key(fx: Any, root: Path, name: str) -> Path:
    return root / fx.key_for(Layout("parquet"), fx.ACCOUNT_A, "eu-west-1", WHEN, name)


def test_parquet_file_with_a_mismatching_column_type_is_skipped_by_name(
    fx: Any, saved: Any, tmp_path: Path
) -> None:
    write_parquet(parquet_key(fx, tmp_path, "good"), fx, {}, [fx.record(bytes=100), fx.record(bytes=30)])
    bad = write_parquet(parquet_key(fx, tmp_path, "bad"), fx, {"bytes": "VARCHAR"},
                        [fx.record(bytes="abc", srcaddr="10.0.0.7")])
    messages: list[str] = []
    result = saved(tmp_path, "top-talkers", messages)
    assert result.rows == [("10.0.0.1", 130, 4)]  # the good file only: 100 + 30 bytes, 2 + 2 packets
    assert messages == [
        f"{bad}: column 'bytes' is VARCHAR, the table has BIGINT; file skipped (Athena fails the query "
        "on such a file with HIVE_BAD_DATA)",
        "1 Parquet file(s) skipped: their column types do not match the table",
    ]
    assert saved(tmp_path, "log-coverage", []).rows == [("OK", 2, 1)]


def test_parquet_type_checks_per_file(fx: Any, saved: Any, tmp_path: Path) -> None:
    # narrower integers read fine; a string column stored as a number is a mismatch too
    write_parquet(parquet_key(fx, tmp_path, "narrow"), fx, {"bytes": "INTEGER"}, [fx.record(bytes=5)])
    wide = write_parquet(parquet_key(fx, tmp_path, "wide"), fx, {"srcport": "BIGINT", "account-id": "BIGINT"},
                         [fx.record(account_id=int(fx.ACCOUNT_A))])
    messages: list[str] = []
    result = saved(tmp_path, "top-talkers", messages)
    assert result.rows == [("10.0.0.1", 5, 2)]
    assert messages[0] == (
        f"{wide}: column 'account_id' is BIGINT, the table has VARCHAR; column 'srcport' is BIGINT, "
        "the table has INTEGER; file skipped (Athena fails the query on such a file with HIVE_BAD_DATA)"
    )
