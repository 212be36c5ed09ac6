"""The query's view of the store, after bringing the store up to date, and running one query on it.

The view is named like the Athena table (``"<database>"."<table>"``) and has every catalogue column
plus ``aws_account``, ``aws_region`` and ``dt``, whatever fields each file holds, and only the records
of the window's ``dt`` range (so the query reads only that part of the store). A query's rows go to a
temporary table and are handed out from it in batches (:class:`~flowkit.local.result.RowStream`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from flowkit import catalogue
from flowkit.local.columns import DT_DAY, DT_HOUR, IP_COLUMNS, PARTITIONS, table_schema
from flowkit.local.diagnostics import stored_summary
from flowkit.local.discover import DataFile
from flowkit.local.ingest import Ingest
from flowkit.local.interrupt import Interrupts
from flowkit.local.macros import MACROS
from flowkit.local.result import EngineError, RowStream
from flowkit.local.sqltext import first_line, quote_name, quote_text
from flowkit.local.store import CATALOG, Store, StoredFile, StoreFull, plan
from flowkit.local.translate import translate
from flowkit.messages import Notify, Progress

if TYPE_CHECKING:
    import duckdb

RUNNING = "running the query"
RESULT_TABLE = "flowkit_result"


class LocalTable:
    """One DuckDB connection with the logs folder's store attached and the view over it.

    Use it as a context manager: leaving it closes the connection (and removes a temporary store).
    """

    def __init__(self, database: str, table: str, logs_dir: Path, notify: Notify, progress: Progress) -> None:
        import duckdb

        self.database, self.table = database, table
        self.notify, self.progress = notify, progress
        self.interrupts = Interrupts()
        self.con: duckdb.DuckDBPyConnection = duckdb.connect()
        for statement in ("SET TimeZone = 'UTC'", "SET enable_progress_bar = false", *MACROS):
            self.con.execute(statement)
        self.store = Store(logs_dir, self.con, notify)
        self.present: set[str] = set()  # catalogue fields some file of the window has
        self.skipped_lines = self.null_values = 0

    def __enter__(self) -> LocalTable:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.con.close()
        self.store.close()

    def load(self, found: Sequence[DataFile], window: Sequence[DataFile], dt_range: tuple[str, str],
             hourly: bool) -> None:
        """Bring the store up to date for the window's files and create the view of its ``dt`` range."""
        import duckdb

        with self.interrupts.using(self.con):
            try:
                read, stored = self._sync(found, window)
            except StoreFull:
                raise
            except duckdb.Error as err:
                self.interrupts.check(err)
                if "No space left" in str(err):
                    raise self.store.full() from None
                self.store.rebuild(first_line(err))
                read, stored = self._sync(found, window)
        rows = [stored[str(f.path)] for f in window if str(f.path) in stored]
        self.present = {name for r in rows for name in r.fields}
        self.skipped_lines = sum(r.skipped_lines for r in rows)
        self.null_values = sum(r.null_values for r in rows)
        earlier = [stored[str(f.path)] for f in window if str(f.path) in stored and str(f.path) not in read]
        stored_summary(self.notify, len(earlier), sum(r.skipped_lines for r in earlier),
                       sum(r.null_values for r in earlier), sum(r.problem for r in earlier))
        self._create_view(DT_HOUR if hourly else DT_DAY, dt_range)

    def _sync(self, found: Sequence[DataFile],
              window: Sequence[DataFile]) -> tuple[set[str], dict[str, StoredFile]]:
        """Drop what changed, read what is new in the window; the paths read now, and the files stored."""
        self.store.attach(write=False)
        stored = self.store.stored()
        if not plan(stored, found, window):
            return set(), stored
        self.store.attach(write=True)
        todo = plan(self.store.stored(), found, window)  # another command may have done part of it
        self.store.drop(todo.drop)
        self.con.execute("SET preserve_insertion_order = false")
        try:
            ingest = Ingest(self.store, self.progress, len(todo.read), self.interrupts)
            ingest.run(todo.read).report(self.notify)
        finally:
            self.con.execute("SET preserve_insertion_order = true")
        return {str(f.path) for f in todo.read}, self.store.stored()

    def _create_view(self, dt_column: str, dt_range: tuple[str, str]) -> None:
        items = [quote_name(f.column) for f in catalogue.CATALOGUE]
        items += [*PARTITIONS[:2], f"{dt_column} AS {PARTITIONS[2]}", *IP_COLUMNS.values()]
        low, high = (quote_text(v) for v in dt_range)
        view = f"{quote_name(self.database)}.{quote_name(self.table)}"
        self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_name(self.database)}")
        self.con.execute(f"CREATE VIEW {view} AS SELECT {', '.join(items)} FROM {CATALOG}.records "
                         f"WHERE {dt_column} BETWEEN {low} AND {high}")

    def execute(self, athena_sql: str, values: Sequence[Any]) -> int:
        """Translate and run a rendered query into :data:`RESULT_TABLE`; how many rows it gave."""
        import duckdb

        duck_sql = translate(athena_sql, table_schema(self.database, self.table), IP_COLUMNS)
        self.progress(RUNNING, 0, None)
        with self.interrupts.using(self.con):
            try:
                self.con.execute(f"CREATE TEMP TABLE {RESULT_TABLE} AS {duck_sql}", list(values))
                counted = self.con.execute(f"SELECT count(*) FROM {RESULT_TABLE}").fetchone()
            except duckdb.Error as err:
                self.interrupts.check(err)
                raise EngineError(f"DuckDB could not run the query: {first_line(err)}", status=1) from None
        return int(counted[0]) if counted else 0

    def stream(self, total: int) -> RowStream:
        """The rows of :data:`RESULT_TABLE` as plain Python values, a batch at a time; timestamps as
        ISO-8601 UTC text, written by DuckDB."""
        described = self.con.execute(f"DESCRIBE {RESULT_TABLE}").fetchall()
        columns = [str(row[0]) for row in described]
        kinds = [str(kind).upper() for _, kind, *_ in described]
        items = [_as_plain(quote_name(column), kind) for column, kind in zip(columns, kinds, strict=True)]
        cursor = self.con.execute(f"SELECT {', '.join(items)} FROM {RESULT_TABLE}")
        plain = all(kind in _PLAIN or kind.startswith("TIMESTAMP") for kind in kinds)
        return RowStream(columns, cursor, total, plain)


def _as_plain(column: str, kind: str) -> str:
    """A timestamp column as :func:`flowkit.layout.iso_utc` writes it (2024-05-01T13:00:00Z)."""
    if not kind.startswith("TIMESTAMP"):
        return column
    utc = f"({column} AT TIME ZONE 'UTC')" if "WITH TIME ZONE" in kind else column
    return (f"CASE WHEN microsecond({utc}) % 1000000 = 0 THEN strftime({utc}, '%Y-%m-%dT%H:%M:%SZ') "
            f"ELSE strftime({utc}, '%Y-%m-%dT%H:%M:%S.%fZ') END AS {column}")


# Column types whose DuckDB values are already what Result holds (python_value would return them as they are).
_PLAIN = {"VARCHAR", "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
          "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE"}
