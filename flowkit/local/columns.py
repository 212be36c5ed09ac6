"""The table's columns: which catalogue field a file's column is, and SELECTs typed like the table.

Every reader (text groups, Parquet files) ends in :func:`table_select`, so the view has every
catalogue column with its DuckDB type, then the partition columns, whatever the files hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flowkit import catalogue
from flowkit.layout import ACCOUNT_COLUMN, REGION_COLUMN, TIME_COLUMN
from flowkit.local.sqltext import quote_name

PARTITIONS = (ACCOUNT_COLUMN, REGION_COLUMN, TIME_COLUMN)


def field_of(name: str) -> catalogue.Field | None:
    """The catalogue field of a header name (``log-status``) or column name (``log_status``)."""
    return catalogue.BY_NAME.get(name) or catalogue.BY_COLUMN.get(name)


def table_select(source: str, mapping: Mapping[str, str], partitions: Sequence[str]) -> str:
    """SELECT every catalogue column from ``source``: ``mapping`` field name -> expression, else NULL."""
    items = [
        f"CAST({mapping[f.name]} AS {f.duckdb_type}) AS {quote_name(f.column)}" if f.name in mapping
        else f"CAST(NULL AS {f.duckdb_type}) AS {quote_name(f.column)}"
        for f in catalogue.CATALOGUE
    ]
    return f"SELECT {', '.join([*items, *partitions])} FROM {source}"


def empty_select() -> str:
    """The table's columns and no row (no file could be read)."""
    items = [f"CAST(NULL AS {f.duckdb_type}) AS {quote_name(f.column)}" for f in catalogue.CATALOGUE]
    items += [f"CAST(NULL AS VARCHAR) AS {c}" for c in PARTITIONS]
    return f"SELECT {', '.join(items)} WHERE false"


def table_schema(database: str, table: str) -> dict[str, dict[str, dict[str, str]]]:
    """``{database: {table: {column: duckdb_type}}}``, as :func:`flowkit.local.translate` takes it."""
    columns = {f.column: f.duckdb_type for f in catalogue.CATALOGUE}
    columns.update(dict.fromkeys(PARTITIONS, "VARCHAR"))
    return {database: {table: columns}}
