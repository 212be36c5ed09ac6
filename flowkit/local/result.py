"""What a local query gives back: a :class:`Result` of plain Python values, rows streamed a batch at a
time (:class:`LocalRows`), or an :class:`EngineError`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flowkit.errors import KitError
from flowkit.layout import iso_utc

if TYPE_CHECKING:
    import duckdb

BATCH_ROWS = 2048  # rows fetched from DuckDB at a time


class EngineError(KitError):
    """The query cannot run locally; the message is one line.

    ``status`` 2: bad input (folder, files, fields); 1: DuckDB failed running the query.
    """


@dataclass
class Result:
    """Rows of a query with Python values (ints, floats, str; timestamps as ISO-8601 UTC strings)."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    files_read: int = 0
    skipped_lines: int = 0
    null_values: int = 0  # text values that were not numbers in numeric columns, read as NULL


class RowStream:
    """A query's rows as plain Python values, fetched from DuckDB a batch at a time as they are
    iterated (once); :meth:`skip_rest` counts the rows not taken without converting them."""

    def __init__(self, columns: list[str], cursor: duckdb.DuckDBPyConnection, total: int,
                 plain: bool) -> None:
        self.columns, self.total = columns, total
        self._cursor, self._plain = cursor, plain
        self._batch: list[tuple[Any, ...]] = []
        self._at = self._taken = 0

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return self

    def __next__(self) -> tuple[Any, ...]:
        if self._at >= len(self._batch):
            rows = self._cursor.fetchmany(BATCH_ROWS) if self._taken < self.total else []
            if not rows:
                self._taken = self.total
                raise StopIteration
            self._batch = rows if self._plain else [tuple(python_value(v) for v in row) for row in rows]
            self._at = 0
        row = self._batch[self._at]
        self._at += 1
        self._taken += 1
        return row

    def skip_rest(self) -> int:
        """How many rows are left; they are dropped."""
        left = self.total - self._taken
        self._taken, self._batch, self._at = self.total, [], 0
        return left


@dataclass
class LocalRows:
    """A local query's columns and rows (streamed), with what reading the files found."""

    columns: list[str]
    rows: RowStream
    files_read: int = 0
    skipped_lines: int = 0
    null_values: int = 0

    def collect(self) -> Result:
        """Every row, as a :class:`Result`."""
        return Result(self.columns, list(self.rows), self.files_read, self.skipped_lines, self.null_values)


def python_value(value: Any) -> Any:
    """A DuckDB value as a JSON-friendly Python value."""
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, list | tuple):
        return [python_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): python_value(v) for k, v in value.items()}
    return value
