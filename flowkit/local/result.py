"""What a local query gives back: a :class:`Result` of plain Python values, or an :class:`EngineError`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from flowkit.errors import KitError
from flowkit.layout import iso_utc


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
