"""Parquet flow log files: which ones can be read, and DuckDB's reader over them.

Parquet files are read by column name (hyphenated or underscore names). A file whose footer does not
read, or whose column types do not match the table, is skipped and named, where Athena would fail
the query with HIVE_BAD_DATA.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowkit import catalogue
from flowkit.local.columns import field_of
from flowkit.local.diagnostics import notify_capped
from flowkit.local.discover import DataFile
from flowkit.local.sqltext import first_line, quote_name, quote_text
from flowkit.messages import Notify

if TYPE_CHECKING:
    import duckdb

_SMALL_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT"}
# Parquet column types (as DuckDB reads them) that a catalogue column of each type can be read from.
_PARQUET_FITS = {
    "INTEGER": _SMALL_INTEGERS,
    "BIGINT": _SMALL_INTEGERS | {"BIGINT", "UINTEGER"},
    "VARCHAR": {"VARCHAR", "BLOB"},
}
_SCHEMA_QUERY = ("SELECT file_name, name, type, converted_type, CAST(logical_type AS VARCHAR) "
                 "FROM parquet_schema(?)")

Schema = tuple[tuple[Any, ...], ...]  # parquet_schema rows of one file, without its name


def check_parquet(con: duckdb.DuckDBPyConnection, files: Sequence[DataFile],
                  notify: Notify) -> list[tuple[DataFile, set[str]]]:
    """The Parquet files whose footer reads and whose column types fit the table, each with its columns."""
    if not files:
        return []
    readable, schemas = _read_schemas(con, files, notify)
    return _check_types(con, readable, schemas, notify)


def _read_schemas(con: duckdb.DuckDBPyConnection, files: Sequence[DataFile],
                  notify: Notify) -> tuple[list[DataFile], dict[str, Schema]]:
    """The files whose footer reads, and the schema of each by path (one query, file by file if it fails)."""
    import duckdb

    try:
        rows = con.execute(_SCHEMA_QUERY, [[str(f.path) for f in files]]).fetchall()
        readable = list(files)
    except duckdb.Error:
        rows, readable = [], []
        for data_file in files:
            try:
                rows += con.execute(_SCHEMA_QUERY, [[str(data_file.path)]]).fetchall()
            except duckdb.Error as err:
                notify(f"{data_file.path}: not a readable Parquet file ({first_line(err)}); file skipped")
            else:
                readable.append(data_file)
    schemas: dict[str, list[tuple[Any, ...]]] = {}
    for file_name, *column in rows:
        schemas.setdefault(str(file_name), []).append(tuple(column))
    return readable, {path: tuple(schema) for path, schema in schemas.items()}


def _check_types(con: duckdb.DuckDBPyConnection, files: Sequence[DataFile], schemas: Mapping[str, Schema],
                 notify: Notify) -> list[tuple[DataFile, set[str]]]:
    """The files whose catalogue columns have the table's types (or a narrower integer type)."""
    described: dict[Schema, dict[str, str]] = {}
    good: list[tuple[DataFile, set[str]]] = []
    skipped: list[str] = []
    for data_file in files:
        key = schemas.get(str(data_file.path), ())
        if key not in described:  # files written alike share a schema: describe one of them
            described[key] = _column_types(con, data_file.path)
        columns = described[key]
        wrong = [
            f"'{name}' is {kind}, the table has {f.duckdb_type}"
            for name, kind in columns.items()
            if (f := field_of(name)) and kind not in _PARQUET_FITS[f.duckdb_type]
        ]
        if wrong:
            skipped.append(f"{data_file.path}: column {'; column '.join(wrong)}; file skipped "
                           "(Athena fails the query on such a file with HIVE_BAD_DATA)")
        else:
            good.append((data_file, set(columns)))
    notify_capped(notify, skipped, len(skipped), "Parquet file(s) with such columns")
    if skipped:
        notify(f"{len(skipped)} Parquet file(s) skipped: their column types do not match the table")
    return good


def _column_types(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    """Column name -> DuckDB type of one Parquet file."""
    described = con.execute(
        f"DESCRIBE SELECT * FROM read_parquet({quote_text(str(path))}, hive_partitioning=false)"
    ).fetchall()
    return {str(row[0]): str(row[1]) for row in described}


def parquet_mapping(columns: set[str]) -> dict[str, str]:
    """Field name -> its column in files having ``columns`` (hyphenated or underscore names)."""
    mapping: dict[str, str] = {}
    for f in catalogue.CATALOGUE:
        names = [n for n in dict.fromkeys((f.column, f.name)) if n in columns]
        if names:
            parts = [f"r.{quote_name(n)}" for n in names]
            mapping[f.name] = parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"
    return mapping


def read_parquet_sql(paths: Sequence[str]) -> str:
    """DuckDB's reader over Parquet files, columns matched by name, with each row's file name."""
    files = "[" + ", ".join(quote_text(p) for p in paths) + "]"
    return f"read_parquet({files}, union_by_name=true, filename=true, hive_partitioning=false)"
