"""The local engine: run a saved query on a local copy of the bucket with DuckDB.

The files under a folder (any of the eight key layouts, text or Parquet, any accounts and regions)
become a view named like the Athena table, with every catalogue column plus ``aws_account``,
``aws_region`` and ``dt``. The query is the catalogue template rendered for a local layout and
translated by :mod:`flowkit.translate`; nothing is written twice.

Text files are read by their own header line, Parquet files by column name. Problems never stop a
query and are never dropped silently: they go to ``warn`` (one line each, ``file:line``). As in
Athena (LazySimpleSerDe), a text value that is not a number in a numeric column is read as NULL
and its record kept (counted in :attr:`Result.null_values`); a line with the wrong number of fields
is skipped (counted in :attr:`Result.skipped_lines`). A Parquet file whose column types do not
match the table is skipped, where Athena would fail the query with HIVE_BAD_DATA.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowkit import catalogue
from flowkit.errors import KitError
from flowkit.layout import (
    ACCOUNT_COLUMN,
    FILE_SUFFIX,
    PARTITION_SLACK,
    REGION_COLUMN,
    TIME_COLUMN,
    KeyInfo,
    Layout,
    iso_utc,
    parse_key,
)

if TYPE_CHECKING:
    import duckdb

    from flowkit.queries import QueryTemplate, RenderContext

Warn = Callable[[str], None]
Tick = Callable[[str, int, int], None]  # what, done, total (0: unknown)
MAX_DETAILED_REJECTS = 50  # per query; the total is always reported
_SUFFIXES = tuple(FILE_SUFFIX.values())
# The default window ends at DuckDB's current_timestamp, a moment after we compute "now".
_NOW_MARGIN = timedelta(minutes=10)


class EngineError(KitError):
    """The query cannot run locally; the message is one line.

    ``status`` 2: bad input (folder, files, fields); 1: DuckDB failed running the query.
    """


@dataclass(frozen=True)
class DataFile:
    """One flow log file found under the logs folder."""

    path: Path
    info: KeyInfo


@dataclass
class Result:
    """Rows of a query with Python values (ints, floats, str; timestamps as ISO-8601 UTC strings)."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    files_read: int = 0
    skipped_lines: int = 0
    null_values: int = 0  # text values that were not numbers in numeric columns, read as NULL


# -- discovery ---------------------------------------------------------------------------------------
def discover(root: Path | str, warn: Warn | None = None) -> list[DataFile]:
    """Every flow log file under ``root`` (the bucket root, ``AWSLogs`` or any folder below it)."""
    base = Path(root)
    if not base.exists():
        raise EngineError(f"{root}: no such folder")
    if not base.is_dir():
        raise EngineError(f"{root}: not a folder")
    base = base.resolve()
    found: list[DataFile] = []
    strays: list[str] = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            info = _parse_local(base, path)
            if info is not None:
                found.append(DataFile(path, info))
            elif name.endswith(_SUFFIXES):
                strays.append(str(path))
    if strays and warn is not None:
        warn(f"{len(strays)} file(s) named like flow logs are not in a flow log key layout and were "
             f"ignored, e.g. {strays[0]}")
    return found


def _parse_local(base: Path, path: Path) -> KeyInfo | None:
    """parse_key on the path below ``base``, prefixed by as many of base's folders as it needs."""
    relative = path.relative_to(base).parts
    parents = base.parts[1:]  # without the filesystem root
    for count in range(len(parents) + 1):
        candidate = "/".join((*parents[len(parents) - count:], *relative))
        info = parse_key(candidate)
        if info is not None:
            return info
        if count and parents[len(parents) - count] == "AWSLogs":
            break
    return None


# -- pre-scan of text files --------------------------------------------------------------------------
@dataclass
class _TextFile:
    source: DataFile
    header: tuple[str, ...] = ()
    body: bytes = b""  # the data lines after the header, without the final newline
    problem: str = ""  # reported; whatever could be read is still read


def _decompress(raw: bytes) -> tuple[bytes, str]:
    """Every gzip member of a file, and what went wrong (empty when nothing did)."""
    chunks: list[bytes] = []
    rest = raw
    while rest:
        decoder = zlib.decompressobj(wbits=31)
        try:
            for start in range(0, len(rest), _CHUNK):
                chunks.append(decoder.decompress(rest[start:start + _CHUNK]))
                if decoder.eof:
                    break
        except zlib.error as err:
            return b"".join(chunks), f"corrupt gzip data ({err})"
        if not decoder.eof:
            chunks.append(decoder.flush())
            return b"".join(chunks), "truncated gzip data"
        rest = decoder.unused_data
    return b"".join(chunks), ""


_CHUNK = 1 << 16


def _scan_text(data_file: DataFile) -> _TextFile:
    """Read one .log.gz fully: header, data lines, and whether every gzip member is complete."""
    path = data_file.path
    entry = _TextFile(data_file)
    try:
        text, damage = _decompress(path.read_bytes())
    except OSError as err:
        entry.problem = f"{path}: cannot read ({err.strerror}); file skipped"
        return entry
    if damage:
        text = text[: text.rfind(b"\n") + 1]
        lines = text.count(b"\n")
        entry.problem = f"{path}:{lines + 1}: {damage}; the {lines} complete line(s) before it were read"
    first, _, body = text.partition(b"\n")
    header_text = first.decode("utf-8", "replace").strip()
    if not header_text:
        return entry  # empty file: nothing to read, nothing lost
    header = tuple(header_text.split())
    if not any(_field_of(h) for h in header):
        entry.problem = f"{path}:1: no flow log header line (got {header_text[:60]!r}); file skipped"
        return entry
    if len({(f.name if (f := _field_of(h)) else h) for h in header}) != len(header):
        entry.problem = f"{path}:1: a column appears twice in the header line; file skipped"
        return entry
    entry.header = header
    entry.body = body[:-1] if body.endswith(b"\n") else body
    return entry


def _scanned(files: Sequence[DataFile]) -> Iterator[_TextFile]:
    """_scan_text over files, two at a time (zlib releases the GIL), in order, bounded memory."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        for start in range(0, len(files), 4):
            yield from pool.map(_scan_text, files[start:start + 4])


def _field_of(name: str) -> catalogue.Field | None:
    return catalogue.BY_NAME.get(name) or catalogue.BY_COLUMN.get(name)


@dataclass
class _Group:
    """Text files with one header line, concatenated into one file for DuckDB.

    Each line gets the prefix ``<file number> <account> <region> <dt> ``: the partition columns come
    with the record and a rejected line names its file. DuckDB opens one file per group instead of
    thousands of small ones (a few milliseconds each).
    """

    header: tuple[str, ...]
    path: Path
    next_line: int = 2  # line 1 is the header
    starts: dict[int, int] = field(default_factory=dict)  # file number -> line of its first record


_PREFIX = ("flowkit_file", "flowkit_account", "flowkit_region", "flowkit_dt")


# -- the query ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    """The time window the query is rendered for (None: the template's default window)."""

    since: datetime | None = None
    until: datetime | None = None


def run_query(
    template: QueryTemplate,
    ctx: RenderContext,
    logs_dir: Path | str,
    params: Mapping[str, str] | None = None,
    window: Window = Window(),
    warn: Warn | None = None,
    progress: bool = False,
) -> Result:
    """Render ``template`` for the files under ``logs_dir``, translate it and run it in DuckDB."""
    from flowkit import queries

    say: Warn = warn if warn is not None else (lambda _message: None)
    values = queries.coerce_params(template, params or {})
    files = discover(logs_dir, say)
    if not files:
        raise EngineError(f"{logs_dir}: no flow log files (*.log.gz, *.log.parquet) in a flow log key layout")
    layout = Layout(file_format="text", hive=False, hourly=all(f.info.layout.hourly for f in files))
    low, high = _dt_range(layout, ctx, window)
    selected = [f for f in files if low <= layout.time_value(f.info.when) <= high]
    with tempfile.TemporaryDirectory(prefix="flowlogs-") as tmp, _progress(progress) as tick:
        table = _LocalTable(ctx.database, ctx.table, layout, Path(tmp), say, tick)
        try:
            return _run(table, template, ctx, logs_dir, selected, len(files), values, window, (low, high))
        finally:
            table.con.close()


def _run(table: _LocalTable, template: QueryTemplate, ctx: RenderContext, logs_dir: Path | str,
         selected: Sequence[DataFile], found: int, values: Sequence[Any], window: Window,
         dt_range: tuple[str, str]) -> Result:
    from flowkit import queries

    table.load(selected)
    if not selected:
        table.warn(f"no flow log file under {logs_dir} falls in the time window (dt {dt_range[0]} to "
                   f"{dt_range[1]}); {found} file(s) lie outside it")
        local_fields = catalogue.CATALOGUE
    else:
        wanted = [n for n in (*template.fields, *catalogue.REQUIRED_FIELDS) if n not in table.present]
        if wanted:
            raise EngineError(f"query '{template.name}' needs field(s) {', '.join(dict.fromkeys(wanted))}, "
                              f"which no flow log file under {logs_dir} has")
        local_fields = tuple(f for f in catalogue.CATALOGUE if f.name in table.present)
    local_ctx = dataclasses.replace(ctx, layout=table.layout, fields=local_fields)
    athena_sql = queries.render(template, local_ctx, window.since, window.until)
    result = table.execute(athena_sql, values)
    result.files_read = len(selected)
    return result


def _dt_range(layout: Layout, ctx: RenderContext, window: Window) -> tuple[str, str]:
    """The ``dt`` range of the rendered window predicate, for pruning files before reading them."""
    now = datetime.now(UTC)
    until = window.until if window.until is not None else now + _NOW_MARGIN
    if window.since is not None:
        since = window.since
    else:
        since = (window.until or now) - timedelta(days=ctx.lookback_days)
    return layout.time_value(since), layout.time_value(until + PARTITION_SLACK)


class _LocalTable:
    """One DuckDB connection holding the view "<database>"."<table>" over the selected files."""

    def __init__(self, database: str, table: str, layout: Layout, tmp: Path, warn: Warn,
                 tick: Tick) -> None:
        import duckdb

        self.database, self.table, self.layout = database, table, layout
        self.tmp, self.warn, self.tick = tmp, warn, tick
        self.con: duckdb.DuckDBPyConnection = duckdb.connect()
        for statement in ("SET TimeZone = 'UTC'", "SET enable_progress_bar = false"):
            self.con.execute(statement)
        self.present: set[str] = set()
        self.files: list[DataFile] = []  # file number -> file
        self.groups: dict[tuple[str, ...], _Group] = {}
        self.unknown: set[str] = set()

    # -- loading -----------------------------------------------------------------------------------
    def load(self, files: Sequence[DataFile]) -> None:
        """Read the files' headers (and schemas) and create the view."""
        text = [f for f in files if f.info.layout.file_format == "text"]
        parquet = [f for f in files if f.info.layout.file_format == "parquet"]
        for done, entry in enumerate(_scanned(text), start=1):
            if entry.problem:
                self.warn(entry.problem)
            if entry.header:
                self._append(entry)
            self.tick("reading flow log files", done, len(files))
        selects = [self._text_select(group) for group in self.groups.values()]
        good = self._check_parquet(parquet)
        self.tick("reading flow log files", len(files), len(files))
        if good:
            selects.append(self._parquet_select(good))
        if self.unknown:
            self.warn("note: ignoring column(s) that are not VPC flow log fields: "
                      + ", ".join(sorted(self.unknown)))
        self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {_q(self.database)}")
        body = "\nUNION ALL\n".join(selects) if selects else self._empty_select()
        self.con.execute(f"CREATE VIEW {_q(self.database)}.{_q(self.table)} AS {body}")

    def _append(self, entry: _TextFile) -> None:
        group = self.groups.get(entry.header)
        if group is None:
            path = self.tmp / f"group-{len(self.groups)}.log"
            path.write_bytes((" ".join((*_PREFIX, *entry.header)) + "\n").encode())
            group = self.groups[entry.header] = _Group(entry.header, path)
            self.present.update(f.name for h in entry.header if (f := _field_of(h)))
            self.unknown.update(h for h in entry.header if _field_of(h) is None)
        number = len(self.files)
        self.files.append(entry.source)
        if not entry.body:
            return
        info = entry.source.info
        prefix = f"{number} {info.account} {info.region} {self.layout.time_value(info.when)} ".encode()
        group.starts[number] = group.next_line
        group.next_line += entry.body.count(b"\n") + 1
        with group.path.open("ab") as out:
            out.write(prefix + entry.body.replace(b"\n", b"\n" + prefix) + b"\n")

    @staticmethod
    def _text_source(group: _Group, typed: bool = False, rejects: str = "store_rejects=true") -> str:
        """read_csv of a group file; every data column is VARCHAR unless ``typed``."""
        columns = {_PREFIX[0]: "INTEGER", **dict.fromkeys(_PREFIX[1:], "VARCHAR")}
        for h in group.header:
            f = _field_of(h)
            columns[h] = f.duckdb_type if typed and f else "VARCHAR"
        spec = "{" + ", ".join(f"{_s(name)}: {_s(kind)}" for name, kind in columns.items()) + "}"
        return (f"read_csv({_s(str(group.path))}, delim=' ', header=true, nullstr='-', quote='', "
                f"escape='', auto_detect=false, columns={spec}, {rejects})")

    def _text_select(self, group: _Group) -> str:
        mapping = {
            f.name: f"TRY_CAST(r.{_q(h)} AS {f.duckdb_type})" if f.is_numeric else f"r.{_q(h)}"
            for h in group.header if (f := _field_of(h))
        }
        partitions = [f"r.{p} AS {c}" for p, c in zip(_PREFIX[1:], _PARTITIONS, strict=True)]
        return self._select(f"{self._text_source(group)} AS r", mapping, partitions)

    def _check_parquet(self, files: Sequence[DataFile]) -> list[DataFile]:
        """Parquet files whose footer reads and whose column types fit the table.

        The column names of all of them go to self.parquet_columns.
        """
        self.parquet_columns: set[str] = set()
        if not files:
            return []
        import duckdb

        query = ("SELECT file_name, name, type, converted_type, CAST(logical_type AS VARCHAR) "
                 "FROM parquet_schema(?)")
        try:
            rows = self.con.execute(query, [[str(f.path) for f in files]]).fetchall()
            good = list(files)
        except duckdb.Error:
            rows, good = [], []
            for data_file in files:
                try:
                    rows += self.con.execute(query, [[str(data_file.path)]]).fetchall()
                except duckdb.Error as err:
                    self.warn(f"{data_file.path}: not a readable Parquet file ({_first_line(err)}); "
                              "file skipped")
                else:
                    good.append(data_file)
        schemas: dict[str, list[tuple[Any, ...]]] = {}
        for file_name, *column in rows:
            schemas.setdefault(str(file_name), []).append(tuple(column))
        return self._check_parquet_types(good, schemas)

    def _check_parquet_types(self, files: Sequence[DataFile],
                             schemas: Mapping[str, list[tuple[Any, ...]]]) -> list[DataFile]:
        """The files whose catalogue columns have the table's types (or a narrower integer type)."""
        described: dict[tuple[tuple[Any, ...], ...], dict[str, str]] = {}
        good: list[DataFile] = []
        skipped = 0
        for data_file in files:
            key = tuple(schemas.get(str(data_file.path), []))
            if key not in described:  # files written alike share a schema: describe one of them
                described[key] = self._describe_parquet(data_file.path)
            columns = described[key]
            wrong = [
                f"'{name}' is {kind}, the table has {f.duckdb_type}"
                for name, kind in columns.items()
                if (f := _field_of(name)) and kind not in _PARQUET_FITS[f.duckdb_type]
            ]
            if not wrong:
                good.append(data_file)
                self.parquet_columns.update(columns)
                continue
            skipped += 1
            if skipped <= MAX_DETAILED_REJECTS:
                self.warn(f"{data_file.path}: column {'; column '.join(wrong)}; file skipped "
                          "(Athena fails the query on such a file with HIVE_BAD_DATA)")
        if skipped > MAX_DETAILED_REJECTS:
            self.warn(f"... and {skipped - MAX_DETAILED_REJECTS} more Parquet file(s) with such columns")
        if skipped:
            self.warn(f"{skipped} Parquet file(s) skipped: their column types do not match the table")
        return good

    def _describe_parquet(self, path: Path) -> dict[str, str]:
        """Column name -> DuckDB type of one Parquet file."""
        described = self.con.execute(
            f"DESCRIBE SELECT * FROM read_parquet({_s(str(path))}, hive_partitioning=false)"
        ).fetchall()
        return {str(row[0]): str(row[1]) for row in described}

    def _parquet_select(self, files: Sequence[DataFile]) -> str:
        paths = "[" + ", ".join(_s(str(f.path)) for f in files) + "]"
        mapping: dict[str, str] = {}
        for f in catalogue.CATALOGUE:
            names = [n for n in dict.fromkeys((f.column, f.name)) if n in self.parquet_columns]
            if names:
                self.present.add(f.name)
                parts = [f"r.{_q(n)}" for n in names]
                mapping[f.name] = parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"
        self.unknown.update(n for n in self.parquet_columns if _field_of(n) is None)
        values = ", ".join(
            f"({_s(str(f.path))}, {_s(f.info.account)}, {_s(f.info.region)}, "
            f"{_s(self.layout.time_value(f.info.when))})"
            for f in files
        )
        source = (f"read_parquet({paths}, union_by_name=true, filename=true) AS r "
                  f"JOIN (VALUES {values}) AS m(flowkit_path, {', '.join(_PARTITIONS)}) "
                  f"ON r.filename = m.flowkit_path")
        return self._select(source, mapping, [f"m.{c} AS {c}" for c in _PARTITIONS])

    @staticmethod
    def _select(source: str, mapping: Mapping[str, str], partitions: Sequence[str]) -> str:
        items = [
            f"CAST({mapping[f.name]} AS {f.duckdb_type}) AS {_q(f.column)}" if f.name in mapping
            else f"CAST(NULL AS {f.duckdb_type}) AS {_q(f.column)}"
            for f in catalogue.CATALOGUE
        ]
        return f"SELECT {', '.join([*items, *partitions])} FROM {source}"

    @staticmethod
    def _empty_select() -> str:
        items = [f"CAST(NULL AS {f.duckdb_type}) AS {_q(f.column)}" for f in catalogue.CATALOGUE]
        items += [f"CAST(NULL AS VARCHAR) AS {c}" for c in _PARTITIONS]
        return f"SELECT {', '.join(items)} WHERE false"

    # -- running -----------------------------------------------------------------------------------
    def schema(self) -> dict[str, dict[str, dict[str, str]]]:
        columns = {f.column: f.duckdb_type for f in catalogue.CATALOGUE}
        columns.update(dict.fromkeys(_PARTITIONS, "VARCHAR"))
        return {self.database: {self.table: columns}}

    def execute(self, athena_sql: str, values: Sequence[Any]) -> Result:
        import duckdb

        from flowkit.translate import MACROS, translate

        duck_sql = translate(athena_sql, self.schema())
        for macro in MACROS:
            self.con.execute(macro)
        self.tick("running the query", 0, 0)
        try:
            self.con.execute(f"CREATE TEMP TABLE flowkit_result AS {duck_sql}", list(values))
        except duckdb.Error as err:
            raise EngineError(f"DuckDB could not run the query: {_first_line(err)}", status=1) from None
        described = self.con.execute("DESCRIBE flowkit_result").fetchall()
        columns = [str(row[0]) for row in described]
        items = [
            f"{_q(name)} AT TIME ZONE 'UTC'" if "WITH TIME ZONE" in str(kind).upper() else _q(name)
            for name, kind, *_ in described
        ]
        rows = self.con.execute(f"SELECT {', '.join(items)} FROM flowkit_result").fetchall()
        result = Result(columns, [tuple(_python(v) for v in row) for row in rows])
        bad_numbers = [(group, self._count_bad_numbers(group)) for group in self.groups.values()]
        result.skipped_lines = self._report_rejects()
        result.null_values = self._report_bad_numbers([(g, n) for g, n in bad_numbers if n])
        return result

    # -- text values that are not numbers ------------------------------------------------------------
    def _count_bad_numbers(self, group: _Group) -> dict[tuple[int, str], int]:
        """(file number, header name) -> values TRY_CAST made NULL, over the whole group file.

        This scan reads every numeric column, whatever the query read, and also records the lines
        with the wrong number of fields in reject_errors.
        """
        numeric = [(h, f) for h in group.header if (f := _field_of(h)) and f.is_numeric]
        source = f"{self._text_source(group)} AS r"
        if not numeric:
            self.con.execute(f"SELECT count(*) FROM {source}").fetchall()
            return {}
        bad = [f"(r.{_q(h)} IS NOT NULL AND TRY_CAST(r.{_q(h)} AS {f.duckdb_type}) IS NULL)"
               for h, f in numeric]
        rows = self.con.execute(
            f"SELECT r.{_PREFIX[0]}, {', '.join(f'count_if({b})' for b in bad)} FROM {source} "
            f"WHERE {' OR '.join(bad)} GROUP BY ALL"
        ).fetchall()
        return {(int(row[0]), h): int(n) for row in rows for (h, _), n in zip(numeric, row[1:], strict=True)
                if n}

    def _report_bad_numbers(self, found: Sequence[tuple[_Group, dict[tuple[int, str], int]]]) -> int:
        """Warn about each value that was read as NULL, as ``file:line``; return how many there were."""
        total = sum(n for _, counts in found for n in counts.values())
        if not total:
            return 0
        details: list[tuple[tuple[str, int], str, str]] = []
        for group, _counts in found:
            details += self._locate_bad_numbers(group)
        details.sort()
        shown = details[:MAX_DETAILED_REJECTS]
        for (path, line), column, value in shown:
            self.warn(f"{path}:{line}: column '{column}': '{value}' is not a number (read as NULL)")
        if total > len(shown):
            self.warn(f"... and {total - len(shown)} more value(s) that are not numbers")
        files = {self.files[number].path for _, counts in found for number, _h in counts}
        self.warn(f"{total} value(s) in numeric columns of {len(files)} file(s) are not numbers and were "
                  "read as NULL, as Athena reads them; their records were kept")
        return total

    def _locate_bad_numbers(self, group: _Group) -> list[tuple[tuple[str, int], str, str]]:
        """(original file and line, column, value) of the numbers DuckDB's typed reader rejects."""
        numeric = [h for h in group.header if (f := _field_of(h)) and f.is_numeric]
        rejects = "store_rejects=true, rejects_table='flowkit_cast_errors', rejects_scan='flowkit_cast_scans'"
        self.con.execute(
            f"SELECT {', '.join(f'max(r.{_q(h)})' for h in numeric)} "
            f"FROM {self._text_source(group, typed=True, rejects=rejects)} AS r"
        ).fetchall()
        rows = self.con.execute(
            "SELECT e.line, e.error_type, e.column_idx, e.column_name, e.csv_line "
            "FROM flowkit_cast_errors AS e JOIN flowkit_cast_scans AS s "
            "ON e.scan_id = s.scan_id AND e.file_id = s.file_id WHERE s.file_path = ?",
            [str(group.path)],
        ).fetchall()
        broken = {int(line) for line, kind, *_ in rows if kind != "CAST"}  # skipped, reported elsewhere
        found = []
        for line, kind, index, name, csv_line in rows:
            if kind != "CAST" or int(line) in broken:
                continue
            where, _ = self._locate(group, int(line), str(kind), str(csv_line or ""))
            fields = str(csv_line or "").split(" ")
            value = fields[int(index) - 1] if 0 < int(index) <= len(fields) else "?"
            f = _field_of(str(name))
            found.append((where, f.column if f else str(name), value))
        return found

    def _report_rejects(self) -> int:
        """Warn about every line DuckDB rejected, as ``file:line``; return how many there were."""
        if not self.groups:
            return 0
        rejects = self.con.execute(
            "SELECT s.file_path, e.line, e.error_type, e.csv_line, e.error_message "
            "FROM reject_errors AS e JOIN reject_scans AS s "
            "ON e.scan_id = s.scan_id AND e.file_id = s.file_id"
        ).fetchall()
        by_path = {str(g.path): g for g in self.groups.values()}
        found: dict[tuple[str, int], str] = {}
        for path, line, kind, csv_line, message in rejects:
            where, why = self._locate(by_path.get(str(path)), int(line), str(kind), str(csv_line or ""))
            found.setdefault(where, why or _first_line(message))
        ordered = sorted(found.items())
        for (path, line), why in ordered[:MAX_DETAILED_REJECTS]:
            self.warn(f"{path}:{line}: malformed record skipped ({why})")
        if len(ordered) > MAX_DETAILED_REJECTS:
            self.warn(f"... and {len(ordered) - MAX_DETAILED_REJECTS} more malformed record(s)")
        if ordered:
            files = len({path for (path, _), _ in ordered})
            self.warn(f"{len(ordered)} malformed record(s) skipped in {files} file(s)")
        return len(ordered)

    def _locate(self, group: _Group | None, line: int, kind: str,
                csv_line: str) -> tuple[tuple[str, int], str]:
        """The original file and line of a rejected line of a group file, and a reason."""
        head = csv_line.split(" ", 1)[0]
        if group is None or not head.isdigit() or int(head) not in group.starts:
            return (str(group.path) if group else "?", line), ""
        number = int(head)
        original = (str(self.files[number].path), line - group.starts[number] + 2)
        if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            found = len(csv_line.split(" ")) - len(_PREFIX)
            return original, (f"{found} fields, the header has {len(group.header)}; Athena would read "
                              "its values into the wrong columns")
        return original, ""


_PARTITIONS = (ACCOUNT_COLUMN, REGION_COLUMN, TIME_COLUMN)
_SMALL_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT"}
# Parquet column types (as DuckDB reads them) that a catalogue column of each type can be read from.
_PARQUET_FITS = {
    "INTEGER": _SMALL_INTEGERS,
    "BIGINT": _SMALL_INTEGERS | {"BIGINT", "UINTEGER"},
    "VARCHAR": {"VARCHAR", "BLOB"},
}


# -- helpers -----------------------------------------------------------------------------------------
def _python(value: Any) -> Any:
    """DuckDB values as JSON-friendly Python values."""
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, list | tuple):
        return [_python(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _python(v) for k, v in value.items()}
    return value


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _s(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _first_line(err: object) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__


@contextmanager
def _progress(enabled: bool) -> Iterator[Tick]:
    """A rich progress bar on stderr (only when asked, i.e. when stderr is a terminal)."""
    if not enabled:
        yield lambda _what, _done, _total: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading flow log files", total=None)

        def tick(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total or None)

        yield tick
