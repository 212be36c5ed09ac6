"""Local query results are streamed and bounded like Athena's: --limit, the table's default, every row
in JSON and CSV; and Ctrl-C while DuckDB works ends with one line and status 130, leaving no files."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit.layout import Layout
from tests.run_cli import flowlogs

WHEN = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
WINDOW = ["--since", "2024-05-01", "--until", "2024-05-02"]
PORTS = 1200  # one row per destination port
QUERY = ["query", "traffic-from-source", "--param", "srcaddr=10.0.0.1", *WINDOW]


@pytest.fixture
def logs(fx: Any, tmp_path: Path) -> Path:
    """10.0.0.1 sends ``bytes = 1000 + port`` to each of PORTS destination ports, split over two files."""
    root = tmp_path / "bucket"
    layout = Layout("text", False, True)
    records = [fx.record(dstport=port, bytes=1000 + port) for port in range(1, PORTS + 1)]
    for name, part in (("a", records[::2]), ("b", records[1::2])):
        path = root / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", WHEN, name)
        fx.write_text(path, fx.DEFAULT_FIELDS, part)
    return root


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("│ 10.0.0.2 ")]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_give_every_row_most_bytes_first(capsys: Any, logs: Path, fmt: str) -> None:
    code, out, err = flowlogs(capsys, *QUERY, "--logs", str(logs), "--format", fmt)
    assert code == 0, err
    found = json.loads(out) if fmt == "json" else list(csv.DictReader(io.StringIO(out)))
    assert [int(r["dstport"]) for r in found] == list(range(PORTS, 0, -1))
    assert [int(r["bytes"]) for r in found[:2]] == [1000 + PORTS, 999 + PORTS]
    assert "left out" not in err


@pytest.mark.parametrize(("fmt", "limit", "printed"),
                         [("json", "7", 7), ("csv", "7", 7), ("table", "5", 5), ("table", None, 1000),
                          ("table", "0", PORTS)])
def test_limit_bounds_local_results(capsys: Any, logs: Path, fmt: str, limit: str | None,
                                    printed: int) -> None:
    more = ["--limit", limit] if limit is not None else []
    code, out, err = flowlogs(capsys, *QUERY, "--logs", str(logs), "--format", fmt, *more)
    assert code == 0, err
    if fmt == "json":
        assert len(json.loads(out)) == printed
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(out)))) == printed
    else:
        shown = table_rows(out)
        assert len(shown) == printed and shown[0].split("│")[2].strip() == str(PORTS)
    note = [line for line in err.splitlines() if "left out" in line]
    assert note == ([] if printed == PORTS else
                    [f"flowlogs: note: printed the first {printed:,} of {PORTS:,} rows; {PORTS - printed:,} "
                     "left out (--limit N for more, --limit 0 for all)"])


def _leftovers(root: Path) -> list[str]:
    """Files under ``root`` that are neither flow log files nor the store's database."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and not p.name.endswith((".log.gz", "flowlogs.duckdb")))


def test_ctrl_c_while_duckdb_reads_ends_with_one_line(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    flowlogs_cmd = [sys.executable, "-m", "flowkit.cli"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    subprocess.run([*flowlogs_cmd, "sample", "--out", str(logs), "--days", "10", "--format", "text"],
                   check=True, capture_output=True, env=env, timeout=300)
    query = [*flowlogs_cmd, "query", "private-to-public", "--logs", str(logs), "--since", "3650d",
             "--format", "csv"]
    run = subprocess.Popen(query, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    store = logs / ".flowlogs-store" / "flowlogs.duckdb"
    deadline = time.monotonic() + 60
    while not store.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # DuckDB is reading the files into the store now
    assert run.poll() is None, "the query ended before it could be interrupted"
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert err.splitlines()[-1:] == ["flowlogs: interrupted"] and "Traceback" not in err, err
    assert out == ""
    assert _leftovers(logs) == []

    again = subprocess.run(query, capture_output=True, text=True, env=env, timeout=300)
    copy = tmp_path / "copy"
    shutil.copytree(logs, copy, ignore=shutil.ignore_patterns(".flowlogs-store"))
    fresh = subprocess.run([*query[:6], str(copy), *query[7:]], capture_output=True, text=True, env=env,
                           timeout=300)
    assert again.returncode == 0 and fresh.returncode == 0, again.stderr + fresh.stderr
    assert again.stdout == fresh.stdout and again.stdout.count("\n") > 1  # the store was left sound
    assert _leftovers(logs) == []
