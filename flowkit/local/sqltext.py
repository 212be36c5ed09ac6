"""SQL text the local engine writes: quoted names and strings, and the first line of an error."""

from __future__ import annotations


def quote_name(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    """A single-quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def first_line(err: object) -> str:
    """The first line of an error's message (DuckDB and sqlglot messages span several)."""
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__
