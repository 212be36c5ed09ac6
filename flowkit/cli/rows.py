"""Printing query results and listings on stdout: a rich table, one JSON array, or CSV with a header."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Sequence
from typing import IO, Any, Literal

OutputFormat = Literal["table", "json", "csv"]
FORMATS: tuple[str, ...] = ("table", "json", "csv")


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


def as_records(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """Rows as objects keyed by column name (numbers stay numbers)."""
    return [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]


def write_json(columns: Sequence[str], rows: Sequence[Sequence[Any]], stream: IO[str]) -> None:
    json.dump(as_records(columns, rows), stream, indent=2, allow_nan=False)
    stream.write("\n")


def write_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]], stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else (_text(v) if isinstance(v, list | tuple | dict) else v)
                         for v in row])


def write_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], stream: IO[str],
                title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    numeric = [all(isinstance(r[i], int | float) or r[i] is None for r in rows) and bool(rows)
               for i in range(len(columns))]
    for name, right in zip(columns, numeric, strict=True):
        table.add_column(name, justify="right" if right else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_text(v) for v in row))
    console = Console(file=stream, soft_wrap=False, width=None if stream.isatty() else 200)
    console.print(table)
    if not rows:
        console.print("(no rows)")


def write(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str,
          stream: IO[str] | None = None, title: str | None = None) -> None:
    """Print a result in one of FORMATS."""
    out = stream or sys.stdout
    if fmt == "json":
        write_json(columns, rows, out)
    elif fmt == "csv":
        write_csv(columns, rows, out)
    elif fmt == "table":
        write_table(columns, rows, out, title)
    else:
        raise ValueError(f"unknown output format {fmt!r} (known: {', '.join(FORMATS)})")
