"""The hand-designed records written as AWS would deliver them, in any of the eight key layouts.

The object keys are spelled out here from the reference facts (section 2), not taken from
flowkit.layout: each record is filed under the hour or day of its END time, in a file named after the
5-minute window of its end time, one file per account, region and window.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.expectations import fixture_records as records_module


@dataclass(frozen=True)
class Spec:
    """One of the eight key layouts, with an optional key prefix."""

    file_format: str  # text | parquet
    hive: bool
    hourly: bool
    prefix: str = ""

    @property
    def name(self) -> str:
        return f"{self.file_format}-{'hive' if self.hive else 'plain'}-{'hourly' if self.hourly else 'daily'}"


# Daily layouts get a key prefix, hourly ones none.
SPECS: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec(fmt, hive, hourly, "" if hourly else "exports/vpc")
        for fmt in ("text", "parquet")
        for hive in (False, True)
        for hourly in (True, False)
    )
}


def folder(spec: Spec, account: str, region: str, end: datetime) -> str:
    """The key prefix of the files holding records that end at ``end``."""
    head = f"{spec.prefix}/AWSLogs/" if spec.prefix else "AWSLogs/"
    if spec.hive:
        where = f"aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/"
        when = f"year={end:%Y}/month={end:%m}/day={end:%d}/" + (f"hour={end:%H}/" if spec.hourly else "")
    else:
        where = f"{account}/vpcflowlogs/{region}/"
        when = f"{end:%Y}/{end:%m}/{end:%d}/" + (f"{end:%H}/" if spec.hourly else "")
    return head + where + when


def file_name(spec: Spec, account: str, region: str, window_start: datetime, number: int) -> str:
    suffix = ".log.gz" if spec.file_format == "text" else ".log.parquet"
    stamp = f"{window_start:%Y%m%dT%H%MZ}"
    return f"{account}_vpcflowlogs_{region}_fl-0123456789abcdef0_{stamp}_{number:08x}{suffix}"


@dataclass(frozen=True)
class Bucket:
    root: Path
    spec: Spec
    partitions: tuple[int, ...]  # per file: the epoch of its hour or day folder


def _text(path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    names = records_module.V5_FIELDS
    lines = [" ".join(names)]
    lines += [" ".join("-" if r[n] is None else str(r[n]) for n in names) for r in records]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))


def _parquet(con: Any, path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    names = records_module.V5_FIELDS

    def kind(name: str) -> str:
        if name in records_module.INT32_FIELDS:
            return "INTEGER"
        return "BIGINT" if name in records_module.INT64_FIELDS else "VARCHAR"

    columns = ", ".join(f'"{n.replace("-", "_")}" {kind(n)}' for n in names)
    con.execute(f"CREATE OR REPLACE TEMP TABLE f ({columns})")
    con.executemany(f"INSERT INTO f VALUES ({', '.join('?' for _ in names)})",
                    [[r[n] for n in names] for r in records])
    con.execute(f"COPY f TO '{path}' (FORMAT parquet)")


def write_bucket(root: Path, spec: Spec, records: Iterable[Mapping[str, Any]]) -> Bucket:
    """Every record under the key of its end time, one file per account, region and 5 minutes."""
    import duckdb

    files: dict[tuple[str, str, int], list[Mapping[str, Any]]] = {}
    for r in records:
        files.setdefault((r["account-id"], r["region"], r["end"] - r["end"] % 300), []).append(r)
    step = 3600 if spec.hourly else 86400
    partitions = []
    con = duckdb.connect() if spec.file_format == "parquet" else None
    for number, ((account, region, window), rows) in enumerate(sorted(files.items())):
        when = datetime.fromtimestamp(window, UTC)
        path = root / folder(spec, account, region, when) / file_name(spec, account, region, when, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        if con is None:
            _text(path, rows)
        else:
            _parquet(con, path, rows)
        partitions.append(window - window % step)
    if con is not None:
        con.close()
    return Bucket(root, spec, tuple(partitions))


def region_folder(spec: Spec, account: str, region: str) -> str:
    """The folder of one account's and region's files (what a table projecting only them reads)."""
    head = f"{spec.prefix}/AWSLogs/" if spec.prefix else "AWSLogs/"
    if spec.hive:
        return head + f"aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/"
    return head + f"{account}/vpcflowlogs/{region}/"
