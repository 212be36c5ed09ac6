"""What went wrong reading files into the store, reported once as ``file:line`` of the original file.

As in Athena (LazySimpleSerDe), a text value that is not a number in a numeric column is read as NULL
and its record kept; a line with the wrong number of fields is skipped. DuckDB's reader rejects the
lines (``store_rejects``); the values are found by reading the files that hold one again, typed.
:class:`Findings` sorts them out per file, and :meth:`Findings.report` says what was found when the
files were read. Later queries only count them (:func:`stored_summary`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flowkit.local.columns import field_of
from flowkit.local.sqltext import first_line
from flowkit.messages import Notify

MAX_DETAILED_REJECTS = 50  # per read and kind of problem; the total is always reported
_FIELD_COUNT = ("MISSING COLUMNS", "TOO MANY COLUMNS")

Location = tuple[str, int]  # original file, line


def notify_capped(notify: Notify, lines: Sequence[str], total: int, more: str) -> None:
    """The first MAX_DETAILED_REJECTS lines, then ``... and N more <more>`` for the rest of ``total``."""
    shown = lines[:MAX_DETAILED_REJECTS]
    for line in shown:
        notify(line)
    if total > len(shown):
        notify(f"... and {total - len(shown)} more {more}")


@dataclass
class Findings:
    """Everything found wrong while reading files: file problems, skipped lines, values read as NULL."""

    files: list[str] = field(default_factory=list)  # one line per text file skipped or read in part
    parquet: list[str] = field(default_factory=list)  # Parquet files skipped, then how many
    skipped: dict[Location, str] = field(default_factory=dict)  # line -> why
    nulls: dict[tuple[Location, str], str] = field(default_factory=dict)  # (line, column) -> value
    skipped_per_file: dict[int, int] = field(default_factory=dict)
    nulls_per_file: dict[int, int] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)  # columns that are not flow log fields

    def skip(self, number: int, where: Location, why: str) -> None:
        """A line of file ``number`` left out (``where`` is the original file and line)."""
        if where not in self.skipped:
            self.skipped_per_file[number] = self.skipped_per_file.get(number, 0) + 1
            self.skipped[where] = why

    def add_skipped(self, rows: Iterable[Sequence[Any]], files: Mapping[str, tuple[int, str, int]]) -> None:
        """The lines DuckDB's reader refused (path, line, kind, column index, column, csv line, message)
        in files read as ``files`` (path read -> file number, original path, header length)."""
        for path, line, kind, _index, _column, csv_line, message in rows:
            number, original, width = files[str(path)]
            why = first_line(message)
            if kind in _FIELD_COUNT:
                why = (f"{len(str(csv_line).split(' '))} fields, the header has {width}; Athena would "
                       "read its values into the wrong columns")
            self.skip(number, (original, int(line)), why)

    def add_nulls(self, rows: Iterable[Sequence[Any]], files: Mapping[str, tuple[int, str, int]]) -> None:
        """The values a typed reading of the same files could not convert (DuckDB's ``CAST`` rejects),
        on lines that were stored; other rejects were counted by :meth:`add_skipped`."""
        for path, line, kind, index, column, csv_line, _message in rows:
            number, original, _width = files[str(path)]
            where = (original, int(line))
            if kind != "CAST" or where in self.skipped:
                continue
            f = field_of(str(column))
            name = f.column if f else str(column)
            if (where, name) in self.nulls:
                continue
            values = str(csv_line).split(" ")
            self.nulls[(where, name)] = values[int(index) - 1] if 0 < int(index) <= len(values) else "?"
            self.nulls_per_file[number] = self.nulls_per_file.get(number, 0) + 1

    def merge(self, other: Findings) -> None:
        """Add what another read found."""
        self.files += other.files
        self.parquet += other.parquet
        self.skipped.update(other.skipped)
        self.nulls.update(other.nulls)
        self.skipped_per_file.update(other.skipped_per_file)
        self.nulls_per_file.update(other.nulls_per_file)
        self.unknown |= other.unknown

    def report(self, notify: Notify) -> None:
        """Say what was found: file problems, then skipped lines, then values read as NULL."""
        for line in [*sorted(self.files), *self.parquet]:
            notify(line)
        if self.files:
            notify(f"{len(self.files)} text file(s) skipped or read in part; the other files were read")
        if self.unknown:
            notify("note: ignoring column(s) that are not VPC flow log fields: "
                   + ", ".join(sorted(self.unknown)))
        skipped = sorted(self.skipped.items())
        notify_capped(notify, [f"{path}:{line}: malformed record skipped ({why})"
                               for (path, line), why in skipped], len(skipped), "malformed record(s)")
        if skipped:
            files = len({p for (p, _), _ in skipped})
            notify(f"{len(skipped)} malformed record(s) skipped in {files} file(s)")
        nulls = sorted(self.nulls.items())
        notify_capped(notify, [f"{path}:{line}: column '{column}': '{value}' is not a number (read as NULL)"
                               for ((path, line), column), value in nulls],
                      len(nulls), "value(s) that are not numbers")
        if nulls:
            files = len({p for ((p, _), _), _ in nulls})
            notify(f"{len(nulls)} value(s) in numeric columns of {files} file(s) are not numbers and were "
                   "read as NULL, as Athena reads them; their records were kept")


def stored_summary(notify: Notify, files: int, skipped: int, nulls: int, problems: int) -> None:
    """One line for the window's files whose problems were reported when they were stored."""
    parts = [f"{n} {what}" for n, what in ((skipped, "malformed record(s) skipped"),
                                          (nulls, "value(s) read as NULL"),
                                          (problems, "file(s) skipped or read in part")) if n]
    if parts:
        notify(f"note: {', '.join(parts)} in {files} file(s) of this window, reported when they were "
               "first read")
