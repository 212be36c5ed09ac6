"""Transit gateway flow log files in a local copy: telling them apart, and querying them.

A file is a transit gateway one when its header line (text) or its columns (Parquet) name a field that
only transit gateway flow logs have (``tgw-id``, ``resource-type``, ``packets-lost-...``). The store
(:mod:`flowkit.local.ingest`) keeps such files without records, so a VPC query never reads them. A query
of the transit gateway table (:func:`stream_transit`) reads the window's transit gateway files on every
run (they are not stored) into a table of their own: every field of the transit gateway catalogue typed
as its Athena table declares it (``-`` and text that is not a number as NULL), the account, region and
time folder of each file, and the values of its addresses, behind a view named like the Athena table.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowkit.catalogue import TRANSIT, VPC, Field
from flowkit.layout import ACCOUNT_COLUMN, REGION_COLUMN, TIME_COLUMN, Layout
from flowkit.local.columns import IP_COLUMNS
from flowkit.local.diagnostics import notify_capped
from flowkit.local.discover import DataFile, discover
from flowkit.local.interrupt import is_interrupt
from flowkit.local.macros import MACROS, VALUE_MACRO
from flowkit.local.parquet import read_parquet_sql
from flowkit.local.result import EngineError, LocalRows, RowStream
from flowkit.local.sqltext import first_line, quote_name, quote_text
from flowkit.local.text import read_csv_sql, scan_head
from flowkit.local.translate import translate
from flowkit.messages import Notify, Progress

if TYPE_CHECKING:
    import duckdb

    from flowkit.local.run import Window
    from flowkit.queries import QueryTemplate, RenderContext

# Fields only transit gateway flow logs have, by hyphenated and by column name.
ONLY_TRANSIT = frozenset(name for f in TRANSIT.fields if f.name not in VPC.by_name
                         for name in (f.name, f.column))
TABLE = "flowkit_transit"
BAD = "flowkit_bad_value"
RUNNING = "running the query"
_PARTITIONS = (ACCOUNT_COLUMN, REGION_COLUMN, TIME_COLUMN)


def is_transit(names: Iterable[str]) -> bool:
    """Whether a header line or a file's columns name a field only transit gateway flow logs have."""
    return any(name in ONLY_TRANSIT for name in names)


def transit_parquet(con: duckdb.DuckDBPyConnection, files: Sequence[DataFile]) -> set[str]:
    """The paths of the Parquet files whose columns make them transit gateway files (their footers
    only; a file whose footer does not read is left to the caller)."""
    import duckdb

    names = ", ".join(quote_text(n) for n in sorted(ONLY_TRANSIT))
    query = f"SELECT DISTINCT file_name FROM parquet_schema(?) WHERE name IN ({names})"
    found: set[str] = set()
    groups = [[str(f.path) for f in files]] if files else []
    while groups:
        paths = groups.pop()
        try:
            found |= {str(row[0]) for row in con.execute(query, [paths]).fetchall()}
        except duckdb.Error as err:
            if is_interrupt(err):
                raise KeyboardInterrupt from None
            if len(paths) > 1:
                groups += [[p] for p in paths]
    return found


def _field(name: str) -> Field | None:
    return TRANSIT.by_name.get(name) or TRANSIT.by_column.get(name)


def _typed(f: Field, value: str) -> str:
    return f"TRY_CAST({value} AS {f.duckdb_type})" if f.is_numeric else value


def _columns() -> dict[str, str]:
    """The table's columns: the transit gateway fields, the partitions, the address values."""
    columns = {f.column: f.duckdb_type for f in TRANSIT.fields}
    columns.update(dict.fromkeys(_PARTITIONS, "VARCHAR"))
    columns.update(dict.fromkeys(IP_COLUMNS.values(), "UHUGEINT"))
    return columns


def _select(mapping: dict[str, str], source: str, bad: str) -> str:
    """Every column of the table from ``source`` (``mapping``: field name -> text or typed expression)."""
    items = [f"{_typed(f, mapping[f.name]) if f.name in mapping else 'NULL'} AS {quote_name(f.column)}"
             for f in TRANSIT.fields]
    items += [f"m.{c}" for c in _PARTITIONS]
    items += [f"{VALUE_MACRO}(CAST({mapping[a]} AS VARCHAR)) AS {v}" if a in mapping else f"NULL AS {v}"
              for a, v in IP_COLUMNS.items()]
    return f"SELECT {', '.join(items)}, {bad} AS {BAD} FROM {source}"


class Reader:
    """The window's transit gateway files read into :data:`TABLE` of one connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, hourly: bool, notify: Notify) -> None:
        self.con, self.notify = con, notify
        self.layout = Layout("text", hive=False, hourly=hourly)
        self.files = 0
        self.skipped: list[str] = []
        columns = ", ".join(f"{quote_name(c)} {t}" for c, t in _columns().items())
        con.execute(f"CREATE TEMP TABLE {TABLE} ({columns}, {BAD} BOOLEAN)")

    def _meta(self, files: Sequence[DataFile]) -> str:
        rows = ", ".join(f"({quote_text(str(f.path))}, {quote_text(f.info.account)}, "
                         f"{quote_text(f.info.region)}, {quote_text(self.layout.time_value(f.info.when))})"
                         for f in files)
        return f"(VALUES {rows}) AS m(path, {', '.join(_PARTITIONS)})"

    def text(self, files: Sequence[DataFile]) -> None:
        """Text files, grouped by header line; the transit gateway ones are read."""
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            heads = list(pool.map(scan_head, files))
        groups: dict[tuple[str, ...], list[DataFile]] = {}
        for head in heads:
            if head.header and is_transit(head.header):
                groups.setdefault(head.header, []).append(head.source)
        for header, members in groups.items():
            mapping: dict[str, str] = {}
            bad: list[str] = []
            for name in header:
                if (f := _field(name)) is not None:
                    text = mapping[f.name] = f"nullif(r.{quote_name(name)}, '-')"
                    if f.is_numeric:
                        bad.append(f"({text} IS NOT NULL AND {_typed(f, text)} IS NULL)")
            rejects = ("flowkit_transit_rejects", "flowkit_transit_scans")
            for table in rejects:
                self.con.execute(f"DROP TABLE IF EXISTS {table}")
            source = (f"{read_csv_sql([str(f.path) for f in members], header, rejects)} AS r "
                      f"JOIN {self._meta(members)} ON r.filename = m.path")
            self.con.execute(f"INSERT INTO {TABLE} " + _select(mapping, source, " OR ".join(bad) or "false"))
            rejected = self.con.execute(f"SELECT s.file_path, e.line, e.error_type FROM {rejects[0]} AS e "
                                        f"JOIN {rejects[1]} AS s ON e.scan_id = s.scan_id AND "
                                        "e.file_id = s.file_id ORDER BY 1, 2").fetchall()
            self.skipped += [f"{path}:{line}: malformed record skipped ({why})"
                             for path, line, why in rejected]
            self.files += len(members)

    def parquet(self, files: Sequence[DataFile]) -> None:
        """Parquet files: the transit gateway ones are read, columns matched by name."""
        transit = transit_parquet(self.con, files)
        members = [f for f in files if str(f.path) in transit]
        if not members:
            return
        names = {str(row[0]) for row in self.con.execute(
            "SELECT DISTINCT name FROM parquet_schema(?)", [[str(f.path) for f in members]]).fetchall()}
        mapping = {}
        for f in TRANSIT.fields:
            present = [f"r.{quote_name(n)}" for n in dict.fromkeys((f.column, f.name)) if n in names]
            if present:
                mapping[f.name] = present[0] if len(present) == 1 else f"coalesce({', '.join(present)})"
        source = (f"{read_parquet_sql([str(f.path) for f in members])} AS r "
                  f"JOIN {self._meta(members)} ON r.filename = m.path")
        self.con.execute(f"INSERT INTO {TABLE} " + _select(mapping, source, "false"))
        self.files += len(members)

    def report(self) -> tuple[int, int]:
        """Say what was skipped or read as NULL; (lines skipped, values read as NULL)."""
        notify_capped(self.notify, self.skipped, len(self.skipped), "malformed record(s)")
        row = self.con.execute(f"SELECT count_if({BAD}) FROM {TABLE}").fetchone()
        nulls = int(row[0]) if row and row[0] else 0
        if nulls:
            self.notify(f"{nulls} transit gateway record(s) with a value that is not a number (read as NULL)")
        return len(self.skipped), nulls


@contextmanager
def stream_transit(template: QueryTemplate, ctx: RenderContext, logs_dir: Path | str, values: Sequence[Any],
                   window: Window, notify: Notify, progress: Progress) -> Iterator[LocalRows]:
    """A transit gateway table's query over the window's transit gateway files under ``logs_dir``; no
    such file gives no rows."""
    import duckdb

    from flowkit import queries
    from flowkit.local.run import window_dt_range
    from flowkit.local.table import _as_plain

    files = discover(logs_dir, notify)
    layout = Layout("text", hive=False, hourly=all(f.info.layout.hourly for f in files))
    low, high = window_dt_range(layout, ctx, window)
    selected = [f for f in files if low <= layout.time_value(f.info.when) <= high]
    con = duckdb.connect()
    try:
        for statement in ("SET TimeZone = 'UTC'", "SET enable_progress_bar = false", *MACROS):
            con.execute(statement)
        reader = Reader(con, layout.hourly, notify)
        try:
            reader.text([f for f in selected if f.info.layout.file_format == "text"])
            reader.parquet([f for f in selected if f.info.layout.file_format == "parquet"])
        except duckdb.Error as err:
            if is_interrupt(err):
                raise KeyboardInterrupt from None
            raise EngineError(f"DuckDB could not read the transit gateway files: {first_line(err)}",
                              status=1) from None
        skipped, nulls = reader.report()
        view = f"{quote_name(ctx.database)}.{quote_name(ctx.table)}"
        con.execute(f"CREATE SCHEMA {quote_name(ctx.database)}")
        con.execute(f"CREATE VIEW {view} AS SELECT * EXCLUDE ({BAD}) FROM {TABLE} "
                    f"WHERE {TIME_COLUMN} BETWEEN {quote_text(low)} AND {quote_text(high)}")
        local_ctx = dataclasses.replace(ctx, layout=layout, fields=TRANSIT.fields)
        sql = translate(queries.render(template, local_ctx, window.since, window.until),
                        {ctx.database: {ctx.table: _columns()}}, IP_COLUMNS)
        progress(RUNNING, 0, None)
        try:
            con.execute(f"CREATE TEMP TABLE flowkit_result AS {sql}", list(values))
        except duckdb.Error as err:
            if is_interrupt(err):  # Ctrl-C: one line and status 130, from the CLI
                raise KeyboardInterrupt from None
            raise EngineError(f"DuckDB could not run the query: {first_line(err)}", status=1) from None
        counted = con.execute("SELECT count(*) FROM flowkit_result").fetchone()
        described = con.execute("DESCRIBE flowkit_result").fetchall()
        columns = [str(row[0]) for row in described]
        items = [_as_plain(quote_name(c), str(kind).upper()) for c, kind, *_ in described]
        cursor = con.execute(f"SELECT {', '.join(items)} FROM flowkit_result")
        rows = RowStream(columns, cursor, int(counted[0]) if counted else 0, plain=False)
        yield LocalRows(columns, rows, reader.files, skipped, nulls)
    finally:
        con.close()
