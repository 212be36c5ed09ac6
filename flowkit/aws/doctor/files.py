"""Does the newest file hold what the table reads? Its text header line, or its Parquet schema.

Text tables read fields by position, so the header's field names must be the table's columns in
order; Parquet is read by column name, so each table column must be in the file with its type. Only
the first bytes of a text file are read (a ranged GET, gunzipped as far as the first line); a Parquet
file (one 5-minute window, small) is downloaded to a temporary folder and its schema read by DuckDB.
"""

from __future__ import annotations

import tempfile
import zlib
from pathlib import Path
from typing import Any

from flowkit.aws.doctor.checks import Check, count, failed, first_difference, ok
from flowkit.aws.doctor.objects import Newest
from flowkit.aws.doctor.table import Table
from flowkit.catalogue import BY_COLUMN, INT32, INT64, STRING, FieldType

HEADER_BYTES = 64 * 1024  # a header line of every field of the catalogue is well under 1 KB
_BY_GLUE_TYPE: dict[str, FieldType] = {t.athena: t for t in (INT32, INT64, STRING)}
FIX = ("the flow log and the table must come from the same log_fields: npx cdk deploy --all (files "
       "delivered before that keep their old {what})")


def name_for(layout_format: str) -> str:
    return "text header" if layout_format == "text" else "parquet schema"


def check_file(s3: Any, bucket: str, newest: Newest, table: Table) -> Check:
    """The newest file's header line (text) or schema (Parquet) against the table's columns."""
    if newest.info.layout.file_format == "text":
        return _check_header(s3, bucket, newest, table)
    return _check_schema(s3, bucket, newest, table)


def first_line(s3: Any, bucket: str, key: str) -> str:
    """The first line of a gzip text object, from its first ``HEADER_BYTES`` bytes only."""
    body = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{HEADER_BYTES - 1}")["Body"].read()
    text = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body)
    return text.split(b"\n", 1)[0].decode("utf-8", "replace").strip()


def _check_header(s3: Any, bucket: str, newest: Newest, table: Table) -> Check:
    name = name_for("text")
    try:
        header = first_line(s3, bucket, newest.key).split(" ")
    except zlib.error as err:
        return failed(name, f"s3://{bucket}/{newest.key} is not a gzip file ({err})",
                      "remove files not written by the flow log from the log folders")
    expected = [_field_name(column) for column, _ in table.columns]
    difference = first_difference(expected, header, what="field", found_in="the file's header",
                                  expected_in="the table")
    where = newest.info.file_name
    if difference:
        return failed(name, f"{difference} ({where})", FIX.format(what="field order"))
    return ok(name, f"{count(len(header), 'field')} in the table's column order ({where})")


def _field_name(column: str) -> str:
    """A column's header name: the catalogue's hyphenated one (``log_status`` -> ``log-status``)."""
    field = BY_COLUMN.get(column)
    return field.name if field else column


def _check_schema(s3: Any, bucket: str, newest: Newest, table: Table) -> Check:
    name = name_for("parquet")
    import duckdb

    with tempfile.TemporaryDirectory(prefix="flowlogs-doctor-") as tmp:
        path = Path(tmp) / "newest.parquet"
        path.write_bytes(s3.get_object(Bucket=bucket, Key=newest.key)["Body"].read())
        try:
            columns = parquet_columns(path)
        except duckdb.Error as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            return failed(name, f"s3://{bucket}/{newest.key} is not a readable Parquet file ({first})",
                          "remove files not written by the flow log from the log folders")
    difference = schema_difference(columns, table)
    where = newest.info.file_name
    if difference:
        return failed(name, f"{difference} ({where})", FIX.format(what="columns"))
    return ok(name, f"{count(len(table.columns), 'column')} with the table's names and types ({where})")


def parquet_columns(path: Path) -> dict[str, str]:
    """Column name -> DuckDB type of one Parquet file."""
    import duckdb

    con = duckdb.connect()
    try:
        quoted = "'" + str(path).replace("'", "''") + "'"
        rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet({quoted})").fetchall()
    finally:
        con.close()
    return {str(row[0]): str(row[1]) for row in rows}


def schema_difference(columns: dict[str, str], table: Table) -> str | None:
    """The first table column the file lacks or types otherwise, else a file column the table lacks."""
    for column, glue_type in table.columns:
        kind = _BY_GLUE_TYPE.get(glue_type.lower())
        if column not in columns:
            return f"table column {column} is not in the file"
        if kind is not None and columns[column] != kind.duckdb:
            return (f"column {column} is {columns[column]} in the file, {glue_type} ({kind.parquet}, read as "
                    f"{kind.duckdb}) in the table")
    extra = [c for c in columns if c not in dict(table.columns)]
    if extra:
        more = f" (and {len(extra) - 1} more)" if extra[1:] else ""
        return f"file column {extra[0]} is not in the table{more}"
    return None
