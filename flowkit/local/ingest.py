"""Reading flow log files into the store: many files per DuckDB statement, one statement per core.

Text files are grouped by header line and read by DuckDB straight from the gzip files; Parquet files
whose column types fit the table are read by column name. Each statement stores its files' records
and their rows of ``files`` in one transaction, so a store never holds half a file. A statement that
fails is retried file by file; a text file DuckDB cannot read to its end is salvaged as far as its
gzip data goes (:func:`flowkit.local.text.salvage`). Values that are not numbers are flagged as they
are stored; only the files holding one are read again, typed, to say on which line and column.
Everything found wrong is collected in :class:`~flowkit.local.diagnostics.Findings` and reported
once, by the caller. Ctrl-C interrupts every statement (:mod:`flowkit.local.interrupt`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flowkit.layout import Layout
from flowkit.local.columns import BAD_COLUMN, FILE_COLUMN, FILE_META, field_of, record_select
from flowkit.local.diagnostics import Findings
from flowkit.local.discover import DataFile
from flowkit.local.interrupt import Interrupts
from flowkit.local.parquet import check_parquet, parquet_mapping, read_parquet_sql
from flowkit.local.sqltext import first_line, quote_text
from flowkit.local.store import CATALOG, Store, disk_full
from flowkit.local.text import read_csv_sql, salvage, scan_head, text_mapping
from flowkit.local.transit import is_transit, transit_parquet
from flowkit.messages import Progress

if TYPE_CHECKING:
    import duckdb

READING = "reading flow log files"
_UNIT_BYTES = 64 << 20  # at most this much (compressed) per statement
_UNIT_FILES = 2000
_HOURLY, _DAILY = Layout("text", hourly=True), Layout("text", hourly=False)
_REJECTS = ("SELECT s.file_path, e.line, e.error_type, e.column_idx, e.column_name, e.csv_line, "
            "e.error_message FROM {0} AS e JOIN {1} AS s ON e.scan_id = s.scan_id AND e.file_id = s.file_id")


@dataclass
class Unit:
    """Files of one kind (and one header) read by one statement."""

    files: list[tuple[int, DataFile]]  # (number in the store, file)
    header: tuple[str, ...] = ()  # text files
    columns: set[str] = field(default_factory=set)  # Parquet files: their columns between them
    reads: dict[int, Path] = field(default_factory=dict)  # number -> what DuckDB reads, if not the file
    problem: str = ""  # the files are read in part (salvaged)
    skipped: dict[int, str] = field(default_factory=dict)  # salvaged: lines left out of the copy

    @property
    def size(self) -> int:
        return sum(f.size for _, f in self.files)


class Ingest:
    """Reads files into an attached, writable store."""

    def __init__(self, store: Store, progress: Progress, total: int,
                 interrupts: Interrupts | None = None) -> None:
        self.store, self.progress, self.total = store, progress, total
        self.interrupts = interrupts or Interrupts()
        self.findings = Findings()
        self._lock = threading.Lock()
        self._done = 0

    def run(self, files: Sequence[DataFile]) -> Findings:
        """Read ``files`` into the store; return what was found wrong."""
        first = self.store.next_id()
        numbered = list(enumerate(files, start=first))
        units = self._text_units([(n, f) for n, f in numbered if f.info.layout.file_format == "text"])
        units += self._parquet_units([(n, f) for n, f in numbered if f.info.layout.file_format == "parquet"])
        workers = max(1, min(os.cpu_count() or 1, len(units)))
        queues: list[list[Unit]] = [[] for _ in range(workers)]
        loads = [0] * workers
        for unit in sorted(units, key=lambda u: -u.size):
            least = loads.index(min(loads))
            queues[least].append(unit)
            loads[least] += unit.size
        con = self.store.con
        if workers > 1:
            con.execute("SET threads = 1")  # one statement per core instead
        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(self._work, [(index, queue) for index, queue in enumerate(queues)]))
        finally:
            con.execute(f"SET threads = {os.cpu_count() or 1}")
        return self.findings

    # -- planning ------------------------------------------------------------------------------------
    def _text_units(self, files: list[tuple[int, DataFile]]) -> list[Unit]:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            heads = list(pool.map(scan_head, [f for _, f in files]))
        self.interrupts.check()
        groups: dict[tuple[str, ...], list[tuple[int, DataFile]]] = {}
        units: list[Unit] = []
        for (number, data_file), head in zip(files, heads, strict=True):
            if head.damaged:
                units.append(Unit([(number, data_file)]))  # no header: salvaged when its turn comes
            elif head.header and is_transit(head.header):  # a transit gateway file: no VPC record
                self._store_rows(self.store.con, [(number, data_file)], set(), set())
            elif head.header:
                groups.setdefault(head.header, []).append((number, data_file))
            else:
                if head.problem:
                    self.findings.files.append(head.problem)
                self._store_rows(self.store.con, [(number, data_file)], set(), set(), problem=head.problem)
        for header, members in groups.items():
            units += [Unit(chunk, header=header) for chunk in _chunks(members)]
        return units

    def _parquet_units(self, files: list[tuple[int, DataFile]]) -> list[Unit]:
        transit = transit_parquet(self.store.con, [f for _, f in files])  # no VPC record from those
        self._store_rows(self.store.con, [(n, f) for n, f in files if str(f.path) in transit], set(), set())
        files = [(n, f) for n, f in files if str(f.path) not in transit]
        good = check_parquet(self.store.con, [f for _, f in files], self.findings.parquet.append)
        columns = {str(f.path): c for f, c in good}
        for number, data_file in files:
            if str(data_file.path) not in columns:
                self._store_rows(self.store.con, [(number, data_file)], set(), set(), problem="skipped")
        kept = [(n, f) for n, f in files if str(f.path) in columns]
        return [Unit(chunk, columns=set().union(*(columns[str(f.path)] for _, f in chunk)))
                for chunk in _chunks(kept)]

    # -- reading -------------------------------------------------------------------------------------
    def _work(self, job: tuple[int, list[Unit]]) -> None:
        index, queue = job
        cur = self.store.con.cursor()
        try:
            with self.interrupts.using(cur):
                for unit in queue:
                    self.interrupts.check()
                    self._read(cur, index, unit)
        finally:
            cur.close()

    def _read(self, cur: duckdb.DuckDBPyConnection, index: int, unit: Unit) -> None:
        """Read one unit in a transaction; file by file (and salvaged) when that fails."""
        import duckdb

        if not unit.header and not unit.columns:
            self._salvage(cur, index, unit)
            return
        try:
            cur.execute("BEGIN")
            found = self._insert(cur, index, unit)
            cur.execute("COMMIT")
        except duckdb.Error as err:
            cur.execute("ROLLBACK")
            self.interrupts.check(err)
            if disk_full(err):
                raise self.store.full() from None
            self._retry(cur, index, unit, err)
            return
        finally:
            for path in unit.reads.values():
                path.unlink(missing_ok=True)
        with self._lock:
            self.findings.merge(found)
        self._tick(len(unit.files))

    def _retry(self, cur: duckdb.DuckDBPyConnection, index: int, unit: Unit, err: Exception) -> None:
        """A unit that failed: each file alone; a text file DuckDB cannot read is salvaged."""
        if len(unit.files) > 1:
            for one in unit.files:
                self.interrupts.check()
                self._read(cur, index, Unit([one], unit.header, unit.columns))
            return
        number, data_file = unit.files[0]
        if unit.header and number not in unit.reads:
            self._salvage(cur, index, unit)
            return
        problem = f"{data_file.path}: cannot be read ({first_line(err)}); file skipped"
        with self._lock:
            self.findings.files.append(problem)
        self._store_rows(cur, unit.files, set(), set(), problem=problem)
        self._tick(1)

    def _salvage(self, cur: duckdb.DuckDBPyConnection, index: int, unit: Unit) -> None:
        number, data_file = unit.files[0]
        found = salvage(data_file, self.store.folder / "tmp", number)
        if found.problem:
            with self._lock:
                self.findings.files.append(found.problem)
        if found.copy is None or is_transit(found.head.header):  # nothing, or a transit gateway file
            if found.copy is not None:
                found.copy.unlink(missing_ok=True)
            self._store_rows(cur, unit.files, set(), set(), problem=found.problem)
            self._tick(1)
            return
        self._read(cur, index, Unit(unit.files, found.head.header, reads={number: found.copy},
                                    problem=found.problem, skipped=found.skipped))

    def _insert(self, cur: duckdb.DuckDBPyConnection, index: int, unit: Unit) -> Findings:
        """Store a unit's records and files rows (in the caller's transaction); what was found wrong."""
        reads = [(n, f, str(unit.reads.get(n, f.path))) for n, f in unit.files]
        meta = _meta_sql(reads)
        found = Findings()
        if unit.columns:
            source = f"{read_parquet_sql([r for _, _, r in reads])} AS r JOIN {meta} ON r.filename = m.path"
            mapping = parquet_mapping(unit.columns)
            cur.execute(f"INSERT INTO {CATALOG}.records BY NAME " + record_select(source, mapping, "m"))
            found.unknown = {c for c in unit.columns if field_of(c) is None}
            self._store_rows(cur, unit.files, set(mapping), found.unknown)
            return found
        rejects = (f"flowkit_rejects_{index}", f"flowkit_scans_{index}")
        _drop(cur, rejects)
        source = (f"{read_csv_sql([r for _, _, r in reads], unit.header, rejects)} AS r "
                  f"JOIN {meta} ON r.filename = m.path")
        mapping, bad = text_mapping(unit.header)
        files = {r: (n, str(f.path), len(unit.header)) for n, f, r in reads}
        for number, data_file, _ in reads:
            for line, why in unit.skipped.items():
                found.skip(number, (str(data_file.path), line), why)
        cur.execute(f"INSERT INTO {CATALOG}.records BY NAME " + record_select(source, mapping, "m", bad))
        found.add_skipped(cur.execute(_REJECTS.format(*rejects)).fetchall(), files)
        flagged = self._flagged(cur, [n for n, _, _ in reads])
        if flagged:  # read those files again, typed, for where each value is
            again = [r for n, _, r in reads if n in flagged]
            _drop(cur, rejects)
            cur.execute(f"CREATE OR REPLACE TEMP TABLE flowkit_typed_{index} AS SELECT * FROM "
                        + read_csv_sql(again, unit.header, rejects, typed=True))
            cur.execute(f"DROP TABLE flowkit_typed_{index}")
            found.add_nulls(cur.execute(_REJECTS.format(*rejects)).fetchall(), files)
        found.unknown = {h for h in unit.header if field_of(h) is None}
        fields = {f.name for h in unit.header if (f := field_of(h))}
        self._store_rows(cur, unit.files, fields, found.unknown, unit.problem, found)
        return found

    @staticmethod
    def _flagged(cur: duckdb.DuckDBPyConnection, numbers: list[int]) -> set[int]:
        """The files (by number) of which a record was stored with a value that is not a number."""
        rows = cur.execute(f"SELECT DISTINCT {FILE_COLUMN} FROM {CATALOG}.records WHERE {BAD_COLUMN} AND "
                           f"{FILE_COLUMN} BETWEEN ? AND ? AND list_contains(?, {FILE_COLUMN})",
                           [min(numbers), max(numbers), numbers]).fetchall()
        return {int(row[0]) for row in rows}

    @staticmethod
    def _store_rows(cur: duckdb.DuckDBPyConnection, files: list[tuple[int, DataFile]], fields: set[str],
                    unknown: set[str], problem: str = "", found: Findings | None = None) -> None:
        """The ``files`` rows of files read (or skipped), with the problems found in them."""
        found = found or Findings()
        dts = [_dt(f) for _, f in files]
        columns = [[n for n, _ in files], [str(f.path) for _, f in files], [f.size for _, f in files],
                   [f.mtime_ns for _, f in files], [hour for hour, _ in dts], [day for _, day in dts],
                   [" ".join(sorted(fields))] * len(files), [" ".join(sorted(unknown))] * len(files),
                   [found.skipped_per_file.get(n, 0) for n, _ in files],
                   [found.nulls_per_file.get(n, 0) for n, _ in files], [bool(problem)] * len(files)]
        cur.execute(f"INSERT INTO {CATALOG}.files SELECT {', '.join('unnest(?)' for _ in columns)}", columns)

    def _tick(self, files: int) -> None:
        with self._lock:
            self._done += files
            done = self._done
        self.progress(READING, done, self.total)


def _drop(cur: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> None:
    for table in tables:
        cur.execute(f"DROP TABLE IF EXISTS {table}")


def _dt(data_file: DataFile) -> tuple[str, str]:
    """The file's dt in the plain layout: of its hour (or day, for a daily file), and of its day."""
    when = data_file.info.when
    own = _HOURLY if data_file.info.layout.hourly else _DAILY
    return own.time_value(when), _DAILY.time_value(when)


def _meta_sql(reads: Sequence[tuple[int, DataFile, str]]) -> str:
    """The files' columns of :data:`FILE_META`, with the path DuckDB reads, as relation ``m``."""
    rows = ", ".join(
        f"({quote_text(read)}, {n}, {quote_text(f.info.account)}, {quote_text(f.info.region)}, "
        f"{quote_text(_dt(f)[0])}, {quote_text(_dt(f)[1])})" for n, f, read in reads)
    return f"(VALUES {rows}) AS m(path, {', '.join(FILE_META)})"


def _chunks(files: list[tuple[int, DataFile]]) -> list[list[tuple[int, DataFile]]]:
    """Files in runs of at most _UNIT_BYTES and _UNIT_FILES, at least two runs per core when possible."""
    total = sum(f.size for _, f in files)
    limit = min(_UNIT_BYTES, max(1 << 20, total // (2 * (os.cpu_count() or 1))))
    out: list[list[tuple[int, DataFile]]] = []
    run: list[tuple[int, DataFile]] = []
    size = 0
    for item in files:
        if run and (size + item[1].size > limit or len(run) >= _UNIT_FILES):
            out.append(run)
            run, size = [], 0
        run.append(item)
        size += item[1].size
    return [*out, run] if run else out
