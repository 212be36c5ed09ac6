"""The table's columns: which catalogue field a file's column is, and the store's record columns.

Every reader (text files, Parquet files) ends in :func:`record_select`, so each stored record has every
catalogue column with its DuckDB type, the account, region and time folder of its file, the file's
number in the store, the 128-bit values of its addresses (:data:`IP_COLUMNS`) and whether a value of
it was not a number (:data:`BAD_COLUMN`, text files only).
"""

from __future__ import annotations

from collections.abc import Mapping

from flowkit import catalogue
from flowkit.layout import ACCOUNT_COLUMN, REGION_COLUMN, TIME_COLUMN
from flowkit.local.macros import VALUE_MACRO
from flowkit.local.sqltext import quote_name

PARTITIONS = (ACCOUNT_COLUMN, REGION_COLUMN, TIME_COLUMN)
FILE_COLUMN = "flowkit_file"  # the file's number in the store
DT_HOUR, DT_DAY = "flowkit_dt_hour", "flowkit_dt_day"  # dt of the file's hour (or day) and of its day
# Address column -> the column holding its IPADDRESS value (UHUGEINT), computed once when stored.
IP_COLUMNS: dict[str, str] = {"srcaddr": "flowkit_srcaddr_ip", "dstaddr": "flowkit_dstaddr_ip"}
BAD_COLUMN = "flowkit_bad_value"  # a numeric value of the record was text that is not a number (now NULL)
# What the store knows about each record's file, joined in by path when the file is read.
FILE_META = (FILE_COLUMN, ACCOUNT_COLUMN, REGION_COLUMN, DT_HOUR, DT_DAY)


def field_of(name: str) -> catalogue.Field | None:
    """The catalogue field of a header name (``log-status``) or column name (``log_status``)."""
    return catalogue.BY_NAME.get(name) or catalogue.BY_COLUMN.get(name)


def record_columns() -> dict[str, str]:
    """The store's record table: column -> DuckDB type."""
    columns = {f.column: f.duckdb_type for f in catalogue.CATALOGUE}
    columns.update({FILE_COLUMN: "INTEGER", ACCOUNT_COLUMN: "VARCHAR", REGION_COLUMN: "VARCHAR",
                    DT_HOUR: "VARCHAR", DT_DAY: "VARCHAR"})
    columns.update(dict.fromkeys(IP_COLUMNS.values(), "UHUGEINT"))
    columns[BAD_COLUMN] = "BOOLEAN"
    return columns


def record_select(source: str, mapping: Mapping[str, str], meta: str, bad: str = "false") -> str:
    """SELECT the record columns from ``source``: ``mapping`` field name -> expression (else NULL),
    the file's columns from the relation ``meta`` (:data:`FILE_META`), the address values, and
    ``bad`` as :data:`BAD_COLUMN`."""
    items = [
        f"CAST({mapping[f.name]} AS {f.duckdb_type}) AS {quote_name(f.column)}" if f.name in mapping
        else f"CAST(NULL AS {f.duckdb_type}) AS {quote_name(f.column)}"
        for f in catalogue.CATALOGUE
    ]
    items += [f"{meta}.{c} AS {c}" for c in FILE_META]
    items += [f"{VALUE_MACRO}(CAST({mapping[a]} AS VARCHAR)) AS {v}" if a in mapping
              else f"CAST(NULL AS UHUGEINT) AS {v}" for a, v in IP_COLUMNS.items()]
    items.append(f"{bad} AS {BAD_COLUMN}")
    return f"SELECT {', '.join(items)} FROM {source}"


def table_columns() -> dict[str, str]:
    """The view's columns as the query sees them: catalogue, partitions, address values."""
    columns = {f.column: f.duckdb_type for f in catalogue.CATALOGUE}
    columns.update(dict.fromkeys(PARTITIONS, "VARCHAR"))
    columns.update(dict.fromkeys(IP_COLUMNS.values(), "UHUGEINT"))
    return columns


def table_schema(database: str, table: str) -> dict[str, dict[str, dict[str, str]]]:
    """``{database: {table: {column: duckdb_type}}}``, as :func:`flowkit.local.translate` takes it."""
    return {database: {table: table_columns()}}
