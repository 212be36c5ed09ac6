"""The DuckDB view over the selected files, and running one translated query on it.

The view is named like the Athena table (``"<database>"."<table>"``) and has every catalogue column
plus ``aws_account``, ``aws_region`` and ``dt``, whatever fields each file holds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from flowkit.layout import Layout
from flowkit.local.columns import empty_select, field_of, table_schema
from flowkit.local.diagnostics import TextDiagnostics
from flowkit.local.discover import DataFile
from flowkit.local.macros import MACROS
from flowkit.local.parquet import check_parquet, parquet_select
from flowkit.local.result import EngineError, Result, python_value
from flowkit.local.sqltext import first_line, quote_name
from flowkit.local.text import TextGroups, scan_text_files
from flowkit.local.translate import translate
from flowkit.messages import Notify, Progress

if TYPE_CHECKING:
    import duckdb

READING = "reading flow log files"
RUNNING = "running the query"


class LocalTable:
    """One DuckDB connection (and a temporary folder) holding the view over the selected files.

    Use it as a context manager: leaving it closes the connection and removes the folder.
    """

    def __init__(self, database: str, table: str, layout: Layout, notify: Notify,
                 progress: Progress) -> None:
        import duckdb

        self.database, self.table, self.layout = database, table, layout
        self.notify, self.progress = notify, progress
        self._folder = tempfile.TemporaryDirectory(prefix="flowlogs-")
        self.con: duckdb.DuckDBPyConnection = duckdb.connect()
        for statement in ("SET TimeZone = 'UTC'", "SET enable_progress_bar = false"):
            self.con.execute(statement)
        self.text = TextGroups(Path(self._folder.name), layout)
        self.present: set[str] = set()  # catalogue fields some selected file has
        self.unknown: set[str] = set()  # columns of the files that are not flow log fields

    def __enter__(self) -> LocalTable:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.con.close()
        self._folder.cleanup()

    def load(self, files: Sequence[DataFile]) -> None:
        """Read the files' headers (and schemas) and create the view."""
        text = [f for f in files if f.info.layout.file_format == "text"]
        parquet = [f for f in files if f.info.layout.file_format == "parquet"]
        for done, entry in enumerate(scan_text_files(text), start=1):
            if entry.problem:
                self.notify(entry.problem)
            if entry.header:
                self.text.add(entry)
            self.progress(READING, done, len(files))
        self.present |= self.text.present
        self.unknown |= self.text.unknown
        selects = self.text.selects()
        good, columns = check_parquet(self.con, parquet, self.notify)
        self.progress(READING, len(files), len(files))
        if good:
            select, fields = parquet_select(good, columns, self.layout)
            selects.append(select)
            self.present |= fields
            self.unknown.update(n for n in columns if field_of(n) is None)
        if self.unknown:
            self.notify("note: ignoring column(s) that are not VPC flow log fields: "
                        + ", ".join(sorted(self.unknown)))
        view = f"{quote_name(self.database)}.{quote_name(self.table)}"
        self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_name(self.database)}")
        body = "\nUNION ALL\n".join(selects) if selects else empty_select()
        self.con.execute(f"CREATE VIEW {view} AS {body}")

    def execute(self, athena_sql: str, values: Sequence[Any]) -> Result:
        """Translate and run a rendered query; report what went wrong reading the text files."""
        import duckdb

        duck_sql = translate(athena_sql, table_schema(self.database, self.table))
        for macro in MACROS:
            self.con.execute(macro)
        self.progress(RUNNING, 0, None)
        try:
            self.con.execute(f"CREATE TEMP TABLE flowkit_result AS {duck_sql}", list(values))
        except duckdb.Error as err:
            raise EngineError(f"DuckDB could not run the query: {first_line(err)}", status=1) from None
        result = self._fetch("flowkit_result")
        result.skipped_lines, result.null_values = TextDiagnostics(self.con, self.text, self.notify).report()
        return result

    def _fetch(self, name: str) -> Result:
        """The rows of a table as Python values, timestamps with a time zone in UTC."""
        described = self.con.execute(f"DESCRIBE {name}").fetchall()
        columns = [str(row[0]) for row in described]
        items = [
            f"{quote_name(column)} AT TIME ZONE 'UTC'" if "WITH TIME ZONE" in str(kind).upper()
            else quote_name(column)
            for column, kind, *_ in described
        ]
        rows = self.con.execute(f"SELECT {', '.join(items)} FROM {name}").fetchall()
        return Result(columns, [tuple(python_value(v) for v in row) for row in rows])
