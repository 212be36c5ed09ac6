"""BENCHMARKS.md from one run's results: the machine, the tables, and each target met or not."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FIRST_VS_DUCKDB = 1.3  # first query over gzip text, at most this times DuckDB's read_csv
FIRST_VS_READER = 25.0  # and at least this much faster than flowlogs-reader
AFTER_FIRST_SECONDS = 0.5  # any saved query after the first, 5 million records, engine time
CATALOGUE_SECONDS = 15.0
SLOWEST_VS_TOP_TALKERS = 3.0
PEAK_MB = 1024.0  # 20 million records


def machine() -> dict[str, Any]:
    from importlib.metadata import version

    import duckdb
    import sqlglot

    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    gzip = subprocess.run(["gzip", "--version"], capture_output=True, text=True, check=False).stdout
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "duckdb": duckdb.__version__, "sqlglot": sqlglot.__version__,
            "gzip": gzip.splitlines()[0] if gzip else "?",
            "flowlogs_reader": version("flowlogs-reader"),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def _fmt(value: float | None, unit: str = "s") -> str:
    return "—" if value is None else f"{value:.2f} {unit}" if unit else f"{value:.2f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if not a or not b else f"{a / b:.2f}×"


def targets(results: dict[str, Any]) -> Iterator[tuple[str, str, bool]]:
    """(target, measured, met) for every target of the issue."""
    rows = results["sizes"]
    for row in rows:
        if row["format"] != "text":
            continue
        where = f"{row['records']:,} text records, {row['shape']} files"
        first, duck = row["first"]["engine"], row["duckdb"]["seconds"]
        yield (f"first query ≤ {FIRST_VS_DUCKDB}× DuckDB read_csv ({where})", _ratio(first, duck),
               first <= FIRST_VS_DUCKDB * duck)
        if "reader" in row:
            reader = row["reader"]["seconds"]
            yield (f"first query ≥ {FIRST_VS_READER:.0f}× faster than flowlogs-reader ({where})",
                   _ratio(reader, first), reader >= FIRST_VS_READER * first)
    for row in rows:
        if row["records"] == 5_000_000 and "catalogue" in row:
            runs = row["catalogue"]["runs"]
            slowest = max(runs, key=lambda r: r["seconds"])
            where = f"5,000,000 {row['format']} records"
            yield (f"every saved query after the first ≤ {AFTER_FIRST_SECONDS} s ({where})",
                   f"slowest {slowest['query']} {slowest['seconds']:.2f} s",
                   slowest["seconds"] <= AFTER_FIRST_SECONDS)
            yield (f"whole catalogue ≤ {CATALOGUE_SECONDS:.0f} s ({where})", _fmt(row["catalogue"]["engine"]),
                   row["catalogue"]["engine"] <= CATALOGUE_SECONDS)
    for row in rows:
        if "catalogue" in row:
            runs = {r["query"]: r["seconds"] for r in row["catalogue"]["runs"]}
            slowest = max(runs, key=lambda q: runs[q])
            ratio = runs[slowest] / runs["top-talkers"]
            where = f"{row['records']:,} {row['format']}"
            yield (f"no saved query > {SLOWEST_VS_TOP_TALKERS:.0f}× top-talkers ({where})",
                   f"{slowest} {ratio:.2f}×", ratio <= SLOWEST_VS_TOP_TALKERS)
    big = [row for row in rows if row["records"] >= 20_000_000]
    if big:
        peak = max(row[k]["peak_mb"] for row in big for k in ("first", "repeat", "catalogue") if k in row)
        yield (f"peak memory ≤ {PEAK_MB:.0f} MB (20 million records, every copy)", f"{peak:.0f} MB",
               peak <= PEAK_MB)
    cost = results.get("cost")
    if cost:
        outside = [q["query"] for q in cost["queries"] if not q["within"]]
        yield ("every saved query reads at most its window plus one partition at each edge",
               f"{len(cost['queries']) - len(outside)} of {len(cost['queries'])}", not outside)


def _copies_table(results: dict[str, Any]) -> list[str]:
    out = ["| records | format | files | size | first query (kit) | DuckDB's reader | ratio | repeated (kit) "
           "| DuckDB ÷ repeated | gzip -dc serial | gzip -dc parallel | flowlogs-reader | reader ÷ first "
           "| store | peak MB kit first / repeat / DuckDB / reader |",
           "|" + "---|" * 15]
    for row in results["sizes"]:
        first, duck, repeat = row["first"]["engine"], row["duckdb"]["seconds"], row["repeat"]["engine"]
        reader = row.get("reader", {}).get("seconds")
        peaks = " / ".join(f"{row[k]['peak_mb']:.0f}" if k in row else "—"
                           for k in ("first", "repeat", "duckdb", "reader"))
        out.append(f"| {row['records']:,} | {row['format']} | {row['files']:,} ({row['shape']}) "
                   f"| {row['bytes'] / 2**20:,.0f} MiB | {_fmt(first)} | {_fmt(duck)} "
                   f"| {_ratio(first, duck)} "
                   f"| {_fmt(repeat)} | {_ratio(duck, repeat)} | {_fmt(row.get('gzip_serial'))} "
                   f"| {_fmt(row.get('gzip_parallel'))} | {_fmt(reader)} | {_ratio(reader, first)} "
                   f"| {row['store_bytes'] / 2**20:,.0f} MiB | {peaks} |")
    return out


def _catalogue_table(results: dict[str, Any]) -> list[str]:
    rows = [row for row in results["sizes"] if "catalogue" in row]
    if not rows:
        return []
    head = " | ".join(f"{row['records'] // 1_000_000}M {row['format']}" for row in rows)
    out = [f"| saved query | {head} |", "|---|" + "---|" * len(rows)]
    names = [r["query"] for r in rows[0]["catalogue"]["runs"]]
    for name in names:
        cells = [next(f"{r['seconds']:.3f}" for r in row["catalogue"]["runs"] if r["query"] == name)
                 for row in rows]
        out.append(f"| {name} | {' | '.join(cells)} |")
    for label, key in (("**whole catalogue (engine)**", "engine"), ("process start-up", "startup")):
        out.append(f"| {label} | {' | '.join(_fmt(row['catalogue'][key]) for row in rows)} |")
    return out


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = ["# Benchmarks", "",
             "Written by `make bench` (`python -m tests.bench.run`); every figure below comes from one run, "
             "measured side by side on the same files. Times are engine times (inside the process) unless "
             "noted; process start-up is reported apart. Ratios matter more than absolute times.", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GiB; Python {m['python']}, "
             f"DuckDB {m['duckdb']}, sqlglot {m['sqlglot']}, {m['gzip']}, "
             f"flowlogs-reader {m['flowlogs_reader']}. "
             f"Run started {results['started']}, took {results['seconds']:.0f} s.", "",
             "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {name} | {measured} | {'yes' if met else '**no**'} |"
              for name, measured, met in targets(results)]
    lines += ["", "## First query, repeated query, and what users would use instead", "",
              "Top-talkers over the whole copy (48 hourly partitions, v5 fields). *First query*: no store "
              "yet, so it includes reading every file into the store. *DuckDB's reader*: the same query "
              "written for `read_csv` (typed columns) or `read_parquet` over the same files. *gzip -dc*: "
              "every file decompressed to /dev/null, one process or one per core (the bound for text). "
              "*flowlogs-reader*: its S3 reader (served from the local copy) and a Python loop summing "
              "bytes per source. Copies hold up to 1,000,000 distinct records; larger ones repeat files "
              "(hard links).", ""]
    lines += _copies_table(results)
    lines += ["", "## The whole catalogue after the first query (seconds, engine time)", ""]
    lines += _catalogue_table(results)
    cost = results.get("cost")
    if cost:
        lines += ["", "## Athena cost model", "",
                  f"Each saved query with its default window ({cost['lookback_days']} days) over a "
                  f"{cost['days']}-day hourly copy ({cost['files']:,} files, "
                  f"{cost['bytes'] / 2**20:,.1f} MiB): "
                  "the files and bytes the engine's partition pruning reads, as a share of a full scan.", "",
                  "| saved query | files | share of files | share of bytes | within window ± 1 partition |",
                  "|---|---|---|---|---|"]
        lines += [f"| {q['query']} | {q['files']:,} | {q['files'] / cost['files']:.1%} "
                  f"| {q['bytes'] / cost['bytes']:.1%} | {'yes' if q['within'] else '**no**'} |"
                  for q in cost["queries"]]
    lines += ["", "## Synth time", "", "| targets | seconds | |", "|---|---|---|"]
    lines += [f"| {s['targets']:,} | {_fmt(s['seconds'])} | "
              f"{'not supported: ' + s['problem'] if s['problem'] else ''} |"
              for s in results.get("synth", [])]
    lines += ["", "## Commands", "", "```", "make bench                                   # everything above",
              ".venv/bin/python -m tests.bench.run --sizes 1 --synth 1   # a short run", "```", ""]
    return "\n".join(lines)


def summary(results: dict[str, Any]) -> str:
    met = list(targets(results))
    missed = [name for name, _, ok in met if not ok]
    return (f"bench: {len(met) - len(missed)} of {len(met)} targets met; BENCHMARKS.md and benchmarks.json "
            "written" + ("" if not missed else "; not met: " + "; ".join(missed)))
