"""``make bench``: the local engine next to what users would use instead, measured side by side in one run.

Writes BENCHMARKS.md and benchmarks.json at the repository top. ``--sizes 1,5`` (millions of records)
and ``--work DIR`` make a shorter run; nothing else changes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flowkit.catalogue import PRESETS
from tests.bench import measure, report
from tests.bench.data import Copy, write_copy

LARGE_FILE_RECORDS = 100_000  # "a few large files": 10, 50 and 200 files
SMALL_FILES = 5_000
HOURS = 48
END = datetime(2024, 5, 3, tzinfo=UTC)
READER_MAX_RECORDS = 1_000_000  # flowlogs-reader needs ~15 s per million records
SERIAL_GZIP_MAX_RECORDS = 5_000_000
CATALOGUE_MAX_RECORDS = 5_000_000  # at 20 million, some saved queries return millions of rows


def copies_of(size: int, work: Path) -> list[tuple[str, Copy]]:
    """The four copies of one size: text and Parquet, as a few large files and as ~5,000 small ones."""
    out = []
    for fmt in ("text", "parquet"):
        for shape, files in (("large", max(1, size // LARGE_FILE_RECORDS)), ("small", SMALL_FILES)):
            root = work / f"{fmt}-{shape}-{size}"
            out.append((shape, write_copy(root, fmt, size, files, HOURS, END)))
    return out


def measure_copy(shape: str, copy: Copy, work: Path, catalogue: bool) -> dict[str, Any]:
    """First and repeated top-talkers, the catalogue, DuckDB's reader, gzip -dc, flowlogs-reader."""
    types = {f.column: f.duckdb_type for f in PRESETS["v5"]}
    row: dict[str, Any] = {"format": copy.file_format, "shape": shape, "records": copy.records,
                           "files": copy.files, "bytes": copy.bytes, "distinct_files": copy.distinct}
    row["duckdb"] = measure.duckdb_reader(copy, types, work / "listing.txt")
    row["first"] = measure.kit(copy, "top-talkers")
    row["repeat"] = measure.kit(copy, "top-talkers")
    store = copy.root / ".flowlogs-store"
    row["store_bytes"] = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    if catalogue:
        row["catalogue"] = measure.kit(copy, "*")
    if copy.file_format == "text":
        row["gzip_parallel"] = measure.gunzip(copy, os.cpu_count() or 1)
        if copy.records <= SERIAL_GZIP_MAX_RECORDS:
            row["gzip_serial"] = measure.gunzip(copy, 1)
        if copy.records <= READER_MAX_RECORDS:
            row["reader"] = measure.flowlogs_reader(copy)
    return row


def cost_model(work: Path) -> dict[str, Any]:
    """Every saved query with its default window over a 30-day hourly copy: files and bytes it reads."""
    import dataclasses

    from flowkit import queries
    from flowkit.layout import Layout
    from flowkit.local import Window, discover, run_saved
    from flowkit.local.run import window_dt_range
    from flowkit.settings import load

    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    copy = write_copy(work / "thirty-days", "text", 30 * 24 * 2 * 20, 30 * 24 * 2, 30 * 24, now)
    settings = load({"investigation": "bench", "vpc_ids": ["vpc-0a1b2c3d"], "log_fields": "v5"})
    ctx = queries.context_for(settings)
    files = discover(copy.root)
    layout = Layout("text", hive=False, hourly=True)
    total_bytes = sum(f.size for f in files)
    rows = []
    for template in queries.load_catalogue():
        params = {p.name: str(p.minimum if p.minimum is not None else 1) if p.kind == "int" else
                  {"ip": "10.0.0.1", "cidr": "10.0.0.0/8", "port_list": "22", "string": "x"}[p.kind]
                  for p in template.params if p.default is None}
        result = run_saved(template, ctx, copy.root, params, Window())
        low, high = window_dt_range(layout, dataclasses.replace(ctx, layout=layout), Window())
        read = [f for f in files if low <= layout.time_value(f.info.when) <= high]
        until = datetime.now(UTC)
        since = until - timedelta(days=ctx.lookback_days)
        edge = timedelta(hours=1)  # one partition at each edge of the window
        allowed = (layout.time_value(since - edge), layout.time_value(until + edge))
        within = all(allowed[0] <= layout.time_value(f.info.when) <= allowed[1] for f in read)
        rows.append({"query": template.name, "files": result.files_read, "engine_files": len(read),
                     "bytes": sum(f.size for f in read), "within": within and result.files_read == len(read)})
    return {"files": len(files), "bytes": total_bytes, "days": 30, "lookback_days": ctx.lookback_days,
            "queries": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,5,20", help="millions of records, comma-separated")
    parser.add_argument("--synth", default="1,10,100,1000", help="target counts to synthesize")
    parser.add_argument("--work", default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()
    began = time.perf_counter()
    work = Path(args.work or tempfile.mkdtemp(prefix="flowlogs-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    results: dict[str, Any] = {"machine": report.machine(), "sizes": [], "started": started}
    try:
        for size in (int(float(s) * 1_000_000) for s in args.sizes.split(",")):
            for shape, copy in copies_of(size, work):
                print(f"bench: {copy.file_format} {shape} {size:,} records", flush=True)
                catalogue = shape == "large" and size <= CATALOGUE_MAX_RECORDS
                results["sizes"].append(measure_copy(shape, copy, work, catalogue))
                shutil.rmtree(copy.root)
        print("bench: Athena cost model", flush=True)
        results["cost"] = cost_model(work)
        results["synth"] = []
        for targets in (int(n) for n in args.synth.split(",")):
            print(f"bench: synth {targets} target(s)", flush=True)
            results["synth"].append(measure.synth(targets, work / f"cdk-{targets}", timeout=300))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["seconds"] = time.perf_counter() - began
    (measure.REPO / "benchmarks.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    (measure.REPO / "BENCHMARKS.md").write_text(report.markdown(results))
    print(report.summary(results))


if __name__ == "__main__":
    main()
