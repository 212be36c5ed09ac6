"""Printing query results and listings on stdout: a rich table, one JSON array, or CSV with a header.

Rows come as any iterable (a list, or Athena's pages as they arrive): JSON and CSV are written row by
row, never held in memory; the table holds at most the rows it shows. A ``limit`` stops the output
after that many rows and the rest are only counted, so the caller can say how many were left out.
Every value prints as it is: text that looks like console markup (``[bold]``) is shown, not applied.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal

OutputFormat = Literal["table", "json", "csv"]
FORMATS: tuple[str, ...] = ("table", "json", "csv")
TABLE_LIMIT = 1000  # rows the table format prints unless told otherwise


@dataclass(frozen=True)
class Written:
    """How many rows were printed, of how many the result had."""

    shown: int
    total: int

    @property
    def left_out(self) -> int:
        return self.total - self.shown


def default_limit(fmt: str, limit: int | None) -> int | None:
    """The row limit to apply: ``limit`` as given (0: none), else TABLE_LIMIT for the table format only."""
    if limit is None:
        return TABLE_LIMIT if fmt == "table" else None
    return limit or None


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(_json_value(value))
    return str(value)


def as_records(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Rows as objects keyed by column name (numbers stay numbers)."""
    return [_record(columns, row) for row in rows]


def _record(columns: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    return {c: _json_value(v) for c, v in zip(columns, row, strict=True)}


class _Counted:
    """The first ``limit`` rows of ``rows`` (all without a limit); ``total`` counts every row once the
    rest has been drained."""

    def __init__(self, rows: Iterable[Sequence[Any]], limit: int | None) -> None:
        self.rows = iter(rows)
        self.limit = limit
        self.shown = self.total = 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            self.total += 1
            self.shown += 1
            yield row
            if self.limit is not None and self.shown >= self.limit:
                return

    def drain(self) -> Written:
        skip_rest = getattr(self.rows, "skip_rest", None)  # the local engine counts without converting
        if skip_rest is not None:
            self.total += skip_rest()
        for _ in self.rows:
            self.total += 1
        return Written(self.shown, self.total)


def write_json(columns: Sequence[str], rows: Iterable[Sequence[Any]], stream: IO[str],
               limit: int | None = None) -> Written:
    """One JSON array, the same text as ``json.dump(records, indent=2)``, written a record at a time."""
    counted = _Counted(rows, limit)
    stream.write("[")
    for row in counted:
        text = json.dumps(_record(columns, row), indent=2, allow_nan=False).replace("\n", "\n  ")
        stream.write(("\n  " if counted.shown == 1 else ",\n  ") + text)
    stream.write("\n]\n" if counted.shown else "]\n")
    stream.flush()
    return counted.drain()


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]], stream: IO[str],
              limit: int | None = None) -> Written:
    counted = _Counted(rows, limit)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in counted:
        writer.writerow(["" if v is None else (_text(v) if isinstance(v, list | tuple | dict) else v)
                         for v in row])
    stream.flush()
    return counted.drain()


def write_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], stream: IO[str],
                title: str | None = None, limit: int | None = None) -> Written:
    """A rich table of at most ``limit`` rows; every value (and the title) shown literally."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    counted = _Counted(rows, limit)
    shown = list(counted)
    table = Table(title=Text(title) if title else None, show_lines=False)
    numeric = [all(isinstance(r[i], int | float) or r[i] is None for r in shown) and bool(shown)
               for i in range(len(columns))]
    for name, right in zip(columns, numeric, strict=True):
        table.add_column(Text(name), justify="right" if right else "left", overflow="fold")
    for row in shown:
        table.add_row(*(Text(_text(v)) for v in row))
    console = Console(file=stream, soft_wrap=False, width=None if stream.isatty() else 200, markup=False,
                      highlight=False, emoji=False)
    console.print(table)
    if not shown:
        console.print("(no rows)")
    return counted.drain()


def write(columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, stream: IO[str] | None = None,
          title: str | None = None, limit: int | None = None) -> Written:
    """Print a result in one of FORMATS, at most ``limit`` rows (None: all); the rest is counted."""
    out = stream or sys.stdout
    if fmt == "json":
        return write_json(columns, rows, out, limit)
    if fmt == "csv":
        return write_csv(columns, rows, out, limit)
    if fmt == "table":
        return write_table(columns, rows, out, title, limit)
    raise ValueError(f"unknown output format {fmt!r} (known: {', '.join(FORMATS)})")
