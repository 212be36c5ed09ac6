"""The store: a DuckDB database inside the logs folder holding every file's records, read once.

``<logs>/.flowlogs-store/flowlogs.duckdb`` has two tables: ``files`` (one row per flow log file read:
its path, size and modification time, its ``dt``, the fields its header or columns name, and how many
lines were skipped and values read as NULL) and ``records`` (every record, typed like the table, with
its file's number, account, region and ``dt``, and the values of its addresses). A query compares
the files it finds with ``files``: new, changed (size or modification time) and removed files are
read, replaced or dropped before it runs; everything else is read from ``records``.

A store that cannot be opened or was written by another version of the kit is removed and rebuilt;
one that another ``flowlogs`` process is writing is waited for. A folder that cannot be written gets a
temporary store, removed after the query.
"""

from __future__ import annotations

import errno
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flowkit.local.columns import FILE_COLUMN, record_columns
from flowkit.local.discover import STORE_FOLDER, DataFile
from flowkit.local.interrupt import is_interrupt
from flowkit.local.result import EngineError
from flowkit.local.sqltext import first_line, quote_name, quote_text
from flowkit.messages import Notify

if TYPE_CHECKING:
    import duckdb

STORE_FILE = "flowlogs.duckdb"
STORE_VERSION = "2"  # raised whenever the tables change: an older store is rebuilt
CATALOG = "flowkit_store"
LOCK_WAIT_SECONDS = 300.0
_FILES_TABLE = {
    "id": "INTEGER", "path": "VARCHAR", "size": "BIGINT", "mtime_ns": "BIGINT", "dt_hour": "VARCHAR",
    "dt_day": "VARCHAR", "fields": "VARCHAR", "unknown": "VARCHAR", "skipped_lines": "BIGINT",
    "null_values": "BIGINT", "problem": "BOOLEAN",
}


class StoreFull(EngineError):
    """The disk of the store's folder is full; the message names the folder."""


@dataclass(frozen=True)
class StoredFile:
    """A row of ``files``."""

    id: int
    size: int
    mtime_ns: int
    fields: frozenset[str]
    unknown: frozenset[str]
    skipped_lines: int
    null_values: int
    problem: bool


@dataclass
class Plan:
    """What a query needs done to the store before it runs."""

    drop: list[int] = field(default_factory=list)  # files removed or changed since they were read
    read: list[DataFile] = field(default_factory=list)  # files new or changed in the window

    def __bool__(self) -> bool:
        return bool(self.drop or self.read)


def plan(stored: dict[str, StoredFile], found: Sequence[DataFile], window: Sequence[DataFile]) -> Plan:
    """Drop the files no longer found or changed; read the window's files that are not stored as they are."""
    present = {str(f.path): f for f in found}
    todo = Plan()
    for path, entry in stored.items():
        now = present.get(path)
        if now is None or (now.size, now.mtime_ns) != (entry.size, entry.mtime_ns):
            todo.drop.append(entry.id)
    dropped = set(todo.drop)
    todo.read = [f for f in window if (s := stored.get(str(f.path))) is None or s.id in dropped]
    return todo


def disk_full(err: BaseException) -> bool:
    """Whether an error (OSError or DuckDB's IO error) says the disk is full."""
    return getattr(err, "errno", None) == errno.ENOSPC or "No space left on device" in str(err)


class Store:
    """The store of one logs folder, attached to a DuckDB connection as ``flowkit_store``."""

    def __init__(self, logs_dir: Path, con: duckdb.DuckDBPyConnection, notify: Notify) -> None:
        self.folder = logs_dir / STORE_FOLDER
        self.con, self.notify = con, notify
        self.writable = False
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / "tmp").mkdir(exist_ok=True)
        except OSError as err:
            if disk_full(err):
                raise self.full() from None
            self._temporary = tempfile.TemporaryDirectory(prefix="flowlogs-store-")
            notify(f"note: cannot write {self.folder} ({err.strerror}); reading into a temporary store "
                   "instead, removed after the query")
            self.folder = Path(self._temporary.name)
            (self.folder / "tmp").mkdir()
        con.execute(f"SET temp_directory = {quote_text(str(self.folder / 'tmp'))}")

    @property
    def path(self) -> Path:
        return self.folder / STORE_FILE

    def full(self) -> StoreFull:
        return StoreFull(f"{self.folder}: no space left on device while storing the flow logs; free some "
                         f"space or remove the store (rm -r {self.folder})")

    def close(self) -> None:
        if self._temporary is not None:
            self._temporary.cleanup()

    # -- attaching -----------------------------------------------------------------------------------
    def attach(self, write: bool) -> None:
        """Attach the store (read-only when it exists and ``write`` is false), rebuilding a broken one."""
        write = write or not self.path.exists()
        rebuilt = False
        while True:
            self.detach()
            why = self._try_attach(write)
            if why is None:
                version = self._version()
                if version == STORE_VERSION:
                    break
                if version is None and write:
                    self._create()
                    break
                if version is None:
                    write = True
                    continue
                why = "it was written by another version of the kit"
            if rebuilt:
                raise EngineError(f"{self.path}: cannot create the store ({why})", status=1)
            self.rebuild(why)
            write = rebuilt = True
        self.writable = write

    def _try_attach(self, write: bool) -> str | None:
        """ATTACH, waiting while another process holds the store; why it failed otherwise."""
        import duckdb

        mode = "" if write else " (READ_ONLY)"
        waited = 0.0
        while True:
            try:
                self.con.execute(f"ATTACH {quote_text(str(self.path))} AS {CATALOG}{mode}")
                return None
            except duckdb.Error as err:
                if is_interrupt(err):
                    raise KeyboardInterrupt from None
                if disk_full(err):
                    raise self.full() from None
                if "lock" not in str(err).lower():
                    return first_line(err)
                if waited >= LOCK_WAIT_SECONDS:
                    raise EngineError(f"{self.path} is in use by another flowlogs command: "
                                      f"{first_line(err)}", status=1) from None
                if not waited:
                    self.notify(f"waiting for another flowlogs command to finish with {self.folder}")
                time.sleep(0.5)
                waited += 0.5

    def detach(self) -> None:
        attached = self.con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = ?",
                                    [CATALOG]).fetchone()
        if attached and attached[0]:
            self.con.execute(f"DETACH {CATALOG}")
        self.writable = False

    def rebuild(self, why: str) -> None:
        """Remove the store's database so it is created afresh."""
        self.detach()
        self.notify(f"note: the store {self.path} cannot be used ({why}); rebuilding it")
        for path in (self.path, self.path.with_name(STORE_FILE + ".wal")):
            path.unlink(missing_ok=True)

    def _version(self) -> str | None:
        """The store's version; None for a database without tables, '' for anything else."""
        import duckdb

        try:
            tables = self.con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
                                      [CATALOG]).fetchall()
            if not tables:
                return None
            row = self.con.execute(f"SELECT value FROM {CATALOG}.meta WHERE key = 'version'").fetchone()
        except duckdb.Error as err:
            if is_interrupt(err):
                raise KeyboardInterrupt from None
            return ""
        return str(row[0]) if row else ""

    def _create(self) -> None:
        records = ", ".join(f"{quote_name(c)} {t}" for c, t in record_columns().items())
        files = ", ".join(f"{c} {t}" for c, t in _FILES_TABLE.items())
        self.con.execute(f"CREATE TABLE {CATALOG}.meta (key VARCHAR, value VARCHAR)")
        self.con.execute(f"INSERT INTO {CATALOG}.meta VALUES ('version', ?)", [STORE_VERSION])
        self.con.execute(f"CREATE TABLE {CATALOG}.files ({files})")
        self.con.execute(f"CREATE TABLE {CATALOG}.records ({records})")

    # -- contents ------------------------------------------------------------------------------------
    def stored(self) -> dict[str, StoredFile]:
        rows = self.con.execute(f"SELECT path, id, size, mtime_ns, fields, unknown, skipped_lines, "
                                f"null_values, problem FROM {CATALOG}.files").fetchall()
        names: dict[str, frozenset[str]] = {}  # files written alike share their field lists

        def parse(text: str) -> frozenset[str]:
            if text not in names:
                names[text] = frozenset(text.split())
            return names[text]

        return {str(path): StoredFile(int(i), int(size), int(mtime), parse(fs), parse(un), int(sk), int(nv),
                                      bool(pr))
                for path, i, size, mtime, fs, un, sk, nv, pr in rows}

    def drop(self, ids: Sequence[int]) -> None:
        """Forget files (and their records) in one transaction."""
        if not ids:
            return
        self.con.execute("BEGIN")
        self.con.execute("CREATE TEMP TABLE flowkit_drop AS SELECT unnest(?) AS id", [list(ids)])
        dropped = "IN (SELECT id FROM flowkit_drop)"
        self.con.execute(f"DELETE FROM {CATALOG}.records WHERE {FILE_COLUMN} {dropped}")
        self.con.execute(f"DELETE FROM {CATALOG}.files WHERE id {dropped}")
        self.con.execute("DROP TABLE flowkit_drop")
        self.con.execute("COMMIT")

    def next_id(self) -> int:
        row = self.con.execute(f"SELECT coalesce(max(id), -1) + 1 FROM {CATALOG}.files").fetchone()
        return int(row[0]) if row else 0
