"""Records into files as AWS delivers them: grouped by interface and 5-minute window, named and filed
by the key layout, written as gzip text (with a header line) or Parquet (through DuckDB, imported only
when Parquet is written)."""

from __future__ import annotations

import gzip
import hashlib
import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from flowkit.catalogue import Field
from flowkit.layout import Layout
from flowkit.sample.estate import BY_ENI, NA
from flowkit.sample.records import Record

FILE_WINDOW_SECONDS = 300


def group_by_file(records: list[Record], layout: Layout, seed: int) -> dict[str, list[Record]]:
    """Key -> records, one file per interface and 5-minute window of the records' END time."""
    by_file: dict[tuple[str, int], list[Record]] = defaultdict(list)
    for rec in records:
        end = int(rec["end"])
        by_file[(rec["interface-id"], end - end % FILE_WINDOW_SECONDS)].append(rec)
    out: dict[str, list[Record]] = {}
    for (eni_id, window), recs in sorted(by_file.items()):
        nic = BY_ENI[eni_id]
        when = datetime.fromtimestamp(window, UTC)
        digest = hashlib.sha256(f"{seed}/{eni_id}/{window}".encode()).hexdigest()[:8]
        key = layout.key_prefix_for(nic.account, nic.region, when) + layout.file_name(
            nic.account, nic.region, nic.flow_log_id, when, digest
        )
        out[key] = sorted(recs, key=lambda r: (int(r["start"]), int(r["end"])))
    return out


def write_files(out_dir: Path, files: dict[str, list[Record]], fields: tuple[Field, ...],
                layout: Layout) -> None:
    """Each key's records under ``out_dir`` in the layout's file format."""
    if layout.file_format == "text":
        _write_text(out_dir, files, fields)
    else:
        _write_parquet(out_dir, files, fields)


def _values(rec: Record, fields: tuple[Field, ...], version: str) -> list[str]:
    return [version if f.name == "version" else rec.get(f.name, NA) for f in fields]


def _version(fields: tuple[Field, ...]) -> str:
    """AWS writes the highest version among the format's fields (2 for the default format)."""
    return str(max(f.version for f in fields))


def _write_text(out_dir: Path, files: dict[str, list[Record]], fields: tuple[Field, ...]) -> None:
    header = " ".join(f.name for f in fields)
    version = _version(fields)
    for key, recs in files.items():
        lines = [header] + [" ".join(_values(r, fields, version)) for r in recs]
        path = out_dir / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), compresslevel=6, mtime=0))


def _write_parquet(out_dir: Path, files: dict[str, list[Record]], fields: tuple[Field, ...]) -> None:
    """Stage every record once in DuckDB, then COPY each file's rows to its key (one connection)."""
    import duckdb  # only here: importing the sample writer must not load DuckDB

    version = _version(fields)
    keys = list(files)
    columns = "{'file_number': 'INTEGER', " + ", ".join(f"'{f.column}': 'VARCHAR'" for f in fields) + "}"
    select = ", ".join(f'CAST("{f.column}" AS {f.duckdb_type}) AS "{f.column}"' for f in fields)
    names = ", ".join(f'"{f.column}"' for f in fields)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET threads = 1")  # thousands of tiny files: thread start-up costs more than it saves
    try:
        with tempfile.TemporaryDirectory(prefix="flowkit-sample-") as tmp:
            staging = Path(tmp) / "rows.txt"
            with staging.open("w") as handle:
                for number, key in enumerate(keys):
                    for rec in files[key]:
                        handle.write(f"{number} " + " ".join(_values(rec, fields, version)) + "\n")
            con.execute(
                f"CREATE TEMP TABLE sample_rows AS SELECT file_number, {select} FROM read_csv("
                f"'{_sql_path(staging)}', delim=' ', header=false, nullstr='-', quote='', escape='', "
                f"columns={columns})"
            )
        for number, key in enumerate(keys):
            target = out_dir / key
            target.parent.mkdir(parents=True, exist_ok=True)
            con.execute(
                f"COPY (SELECT {names} FROM sample_rows WHERE file_number = {number}) "
                f"TO '{_sql_path(target)}' (FORMAT parquet)"
            )
    finally:
        con.close()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
