"""Benchmark copies of a bucket, written by DuckDB in seconds (the sample writer makes ~40k records/s).

Records have the v5 fields with a realistic mix: ~2,000 private and ~50,000 public IPv4 sources, 5 %
IPv6 (global and unique-local), TCP/UDP/ICMP, 10 % REJECT, 1 % NODATA records with ``-`` fields, and
about eight records per flow (its addresses, ports and interface repeat, its bytes and times do not). Files
are in the plain hourly layout (``AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/HH/``), gzip text
with a header line or Parquet with underscore column names, like AWS writes them.
"""

from __future__ import annotations

import os
import shutil
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from flowkit.catalogue import PRESETS
from flowkit.layout import Layout

ACCOUNTS = ("111122223333", "444455556666")
REGION = "eu-west-1"
V5 = tuple(PRESETS["v5"])

# One expression per v5 field, over a record number ``n``, its flow ``i`` (a flow's records share
# addresses, ports, protocol and interface, as a long connection logged every interval does) and ``t0``
# (the file's hour as epoch seconds). h() (a hash) spreads values; '-' (NULL) where AWS writes it.
_NODATA = "(h(n, 1) % 100 = 0)"
_V6 = "(h(i, 2) % 20 = 0)"
_PRIVATE_SRC = ("'10.' || (h(i, 3) % 8) || '.' || (h(i, 4) % 16) || '.' || (1 + h(i, 5) % 16)")
_PUBLIC = ("(11 + h(i, {k}) % 180) || '.' || (h(i, {k} + 1) % 16) || '.' || (h(i, {k} + 2) % 14) "
           "|| '.' || (1 + h(i, {k} + 3) % 14)")
_V6_ADDR = ("CASE WHEN h(i, {k}) % 2 = 0 THEN 'fd00:10::' || printf('%x', h(i, {k} + 1) % 4096) "
            "ELSE '2001:db8:' || printf('%x', h(i, {k} + 2) % 64) || '::' "
            "|| printf('%x', h(i, {k} + 3) % 999) END")


def _address(private_first: bool, k: int) -> str:
    share = 2 if private_first else 3  # one source in two is private, one destination in three
    v4 = f"CASE WHEN h(i, {k}) % {share} = 0 THEN {_PRIVATE_SRC} ELSE {_PUBLIC.format(k=k + 10)} END"
    return f"CASE WHEN {_NODATA} THEN NULL WHEN {_V6} THEN {_V6_ADDR.format(k=k + 20)} ELSE {v4} END"


def _ok(expr: str) -> str:
    return f"CASE WHEN {_NODATA} THEN NULL ELSE {expr} END"


EXPRESSIONS: dict[str, str] = {
    "version": "5",
    "account-id": "account",
    "interface-id": "'eni-' || printf('%017x', 1000 + h(i, 6) % 200)",
    "srcaddr": _address(True, 40),
    "dstaddr": _address(False, 80),
    "srcport": _ok("CASE WHEN h(i, 7) % 2 = 0 THEN 443 ELSE 1024 + h(i, 8) % 64000 END"),
    "dstport": _ok("CASE WHEN h(i, 9) % 3 = 0 THEN [22, 80, 443, 3389, 3306, 53][1 + h(i, 10) % 6] "
                   "ELSE 1024 + h(i, 11) % 64000 END"),
    "protocol": _ok("[6, 6, 6, 17, 17, 1][1 + h(i, 12) % 6]"),
    "packets": _ok("1 + h(n, 13) % 500"),
    "bytes": _ok("40 + h(n, 14) % 1500000"),
    "start": "t0 + h(n, 15) % 3540",
    "end": "t0 + h(n, 15) % 3540 + 60",
    "action": _ok("CASE WHEN h(i, 16) % 10 = 0 THEN 'REJECT' ELSE 'ACCEPT' END"),
    "log-status": f"CASE WHEN {_NODATA} THEN 'NODATA' ELSE 'OK' END",
    "vpc-id": "'vpc-' || printf('%017x', h(i, 6) % 200 // 70)",
    "subnet-id": "'subnet-' || printf('%017x', h(i, 6) % 200 // 10)",
    "instance-id": "CASE WHEN h(i, 6) % 5 = 0 THEN NULL ELSE 'i-' || printf('%017x', h(i, 6) % 200) END",
    "tcp-flags": _ok("[2, 18, 19, 3, 1, 0][1 + h(i, 17) % 6]"),
    "type": _ok(f"CASE WHEN {_V6} THEN 'IPv6' ELSE 'IPv4' END"),
    "pkt-srcaddr": _address(True, 40),
    "pkt-dstaddr": _address(False, 80),
    "region": f"'{REGION}'",
    "az-id": "'euw1-az' || (1 + h(i, 6) % 3)",
    "sublocation-type": "NULL",
    "sublocation-id": "NULL",
    "pkt-src-aws-service": "NULL",
    "pkt-dst-aws-service": "CASE WHEN h(i, 18) % 50 = 0 THEN 'S3' END",
    "flow-direction": _ok("CASE WHEN h(i, 19) % 2 = 0 THEN 'ingress' ELSE 'egress' END"),
    "traffic-path": "NULL",
}
assert tuple(EXPRESSIONS) == tuple(f.name for f in V5)


@dataclass(frozen=True)
class Copy:
    """A benchmark copy of a bucket: where it is and what it holds."""

    root: Path
    file_format: str
    records: int
    files: int
    bytes: int
    distinct: int  # files with their own records; the others repeat them (hard links)
    since: datetime
    until: datetime

    @property
    def paths(self) -> list[Path]:
        suffix = ".log.gz" if self.file_format == "text" else ".log.parquet"
        return sorted(p for p in self.root.rglob(f"*{suffix}") if ".flowlogs-store" not in p.parts)


RECORDS_PER_FLOW = 8  # records logged per flow, on average
DISTINCT_RECORDS = 1_000_000  # a copy holds at most this many different records; its files repeat them


def write_copy(root: Path, file_format: str, records: int, files: int, hours: int, end: datetime) -> Copy:
    """``records`` records in ``files`` files over the ``hours`` hours before ``end``: the first
    files have their own records (up to DISTINCT_RECORDS), the rest are hard links to them."""
    layout = Layout(file_format, hive=False, hourly=True)  # type: ignore[arg-type]
    per_file = -(-records // files)
    distinct = max(1, min(files, DISTINCT_RECORDS // per_file))
    first = end - timedelta(hours=hours)
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = root.parent / f".{root.name}-blocks"
    blocks = _write_blocks(staging, file_format, per_file, distinct, first, hours)
    total = 0
    for number in range(files):
        when = first + timedelta(hours=number % hours, minutes=55)
        account = ACCOUNTS[number % 2]
        target = root / layout.key_prefix_for(account, REGION, when) / layout.file_name(
            account, REGION, "fl-0bench", when, f"{number:06d}")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(blocks[number % distinct], target)
        total += target.stat().st_size
    shutil.rmtree(blocks[0].parent)
    return Copy(root, file_format, per_file * files, files, total, distinct, first, end)


def _write_blocks(folder: Path, file_format: str, per_file: int, count: int, first: datetime,
                  hours: int) -> list[Path]:
    """``count`` files of ``per_file`` records each (gzip text with a header, or Parquet)."""
    shutil.rmtree(folder, ignore_errors=True)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("CREATE MACRO h(a, b) AS CAST(hash(a, b) >> 2 AS BIGINT)")
    names = [f.name if file_format == "text" else f.column for f in V5]
    select = ", ".join(f'CAST({EXPRESSIONS[f.name]} AS {f.duckdb_type}) AS "{name}"'
                       for f, name in zip(V5, names, strict=True))
    flows = max(1, per_file * count // RECORDS_PER_FLOW)
    rows = (f"SELECT n, h(n, 99) % {flows} AS i, n // {per_file} AS file_no, "
            f"{int(first.timestamp())} + (n // {per_file}) % {hours} * 3600 AS t0, "
            f"['{ACCOUNTS[0]}', '{ACCOUNTS[1]}'][1 + (n // {per_file}) % 2] AS account "
            f"FROM range({per_file * count}) AS r(n)")
    options = ("FORMAT csv, DELIMITER ' ', HEADER, NULLSTR '-', QUOTE '', ESCAPE ''"
               if file_format == "text" else "FORMAT parquet, COMPRESSION snappy")
    con.execute(f"COPY (SELECT file_no, {select} FROM ({rows})) TO '{folder}' "
                f"({options}, PARTITION_BY (file_no), OVERWRITE_OR_IGNORE)")
    con.close()
    parts = sorted(folder.iterdir(), key=lambda p: int(p.name.split("=", 1)[1]))
    sources = [next(p.iterdir()) for p in parts]
    if file_format == "parquet":
        return sources

    def compress(source: Path) -> Path:
        target = source.with_suffix(".gz")
        target.write_bytes(zlib_gzip(source.read_bytes()))
        source.unlink()
        return target

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(compress, sources))


def zlib_gzip(data: bytes) -> bytes:
    """gzip at the default level, as AWS and the gzip command write it (zlib releases the GIL)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()
