"""The hand-designed records written as AWS would deliver them, in any of the eight key layouts.

The object keys are spelled out here from the reference facts (section 2), not taken from
flowkit.layout: each record is filed under the hour or day of its END time, in a file named after the
5-minute window of its end time, one file per account, region and window. Transit gateway flow logs
write the same keys, under the folder ``transit-gateway/`` that the kit puts after the key prefix.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.documented import TRANSIT_GATEWAY_FORMAT
from tests.expectations import fixture_records as records_module
from tests.expectations import transit_records


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


TRANSIT_FOLDER = "transit-gateway"


def _head(spec: Spec, transit: bool) -> str:
    """``[prefix/][transit-gateway/]AWSLogs/``."""
    folders = [part for part in (spec.prefix, TRANSIT_FOLDER if transit else "") if part]
    return "/".join([*folders, "AWSLogs"]) + "/"


def folder(spec: Spec, account: str, region: str, end: datetime, transit: bool = False) -> str:
    """The key prefix of the files holding records that end at ``end``."""
    head = _head(spec, transit)
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
    partitions: tuple[int, ...]  # per VPC flow log file: the epoch of its hour or day folder
    transit_partitions: tuple[int, ...] = ()  # the same, per transit gateway flow log file


@dataclass(frozen=True)
class Format:
    """The fields a file holds, in order, and the Parquet types of the numeric ones."""

    names: tuple[str, ...]
    int32: frozenset[str]
    int64: frozenset[str]


VPC_FORMAT = Format(records_module.ALL_FIELDS, records_module.INT32_FIELDS, records_module.INT64_FIELDS)
TRANSIT_FORMAT = Format(TRANSIT_GATEWAY_FORMAT, transit_records.INT32_FIELDS, transit_records.INT64_FIELDS)


def _text(path: Path, records: Iterable[Mapping[str, Any]], fmt: Format) -> None:
    names = fmt.names
    lines = [" ".join(names)]
    lines += [" ".join("-" if r[n] is None else str(r[n]) for n in names) for r in records]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))


def _parquet(con: Any, path: Path, records: Iterable[Mapping[str, Any]], fmt: Format) -> None:
    names = fmt.names

    def kind(name: str) -> str:
        if name in fmt.int32:
            return "INTEGER"
        return "BIGINT" if name in fmt.int64 else "VARCHAR"

    columns = ", ".join(f'"{n.replace("-", "_")}" {kind(n)}' for n in names)
    con.execute(f"CREATE OR REPLACE TEMP TABLE f ({columns})")
    con.executemany(f"INSERT INTO f VALUES ({', '.join('?' for _ in names)})",
                    [[r[n] for n in names] for r in records])
    con.execute(f"COPY f TO '{path}' (FORMAT parquet)")


def write_bucket(root: Path, spec: Spec, records: Iterable[Mapping[str, Any]],
                 transit: Iterable[Mapping[str, Any]] = ()) -> Bucket:
    """Every record under the key of its end time, one file per account, region and 5 minutes; the
    transit gateway ``transit`` records likewise under their own folder."""
    import duckdb

    con = duckdb.connect() if spec.file_format == "parquet" else None
    try:
        partitions = _write(con, root, spec, records, VPC_FORMAT, False, 0)
        transit_partitions = _write(con, root, spec, transit, TRANSIT_FORMAT, True, len(partitions))
    finally:
        if con is not None:
            con.close()
    return Bucket(root, spec, partitions, transit_partitions)


def _write(con: Any, root: Path, spec: Spec, records: Iterable[Mapping[str, Any]], fmt: Format,
           transit: bool, first: int) -> tuple[int, ...]:
    files: dict[tuple[str, str, int], list[Mapping[str, Any]]] = {}
    for r in records:
        files.setdefault((r["account-id"], r["region"], r["end"] - r["end"] % 300), []).append(r)
    step = 3600 if spec.hourly else 86400
    partitions = []
    for number, ((account, region, window), rows) in enumerate(sorted(files.items()), start=first):
        when = datetime.fromtimestamp(window, UTC)
        path = (root / folder(spec, account, region, when, transit)
                / file_name(spec, account, region, when, number))
        path.parent.mkdir(parents=True, exist_ok=True)
        if con is None:
            _text(path, rows, fmt)
        else:
            _parquet(con, path, rows, fmt)
        partitions.append(window - window % step)
    return tuple(partitions)


def region_folder(spec: Spec, account: str, region: str, transit: bool = False) -> str:
    """The folder of one account's and region's files (what a table projecting only them reads)."""
    head = _head(spec, transit)
    if spec.hive:
        return head + f"aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/"
    return head + f"{account}/vpcflowlogs/{region}/"
