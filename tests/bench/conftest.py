"""Benchmarks: run by ``make bench`` (``pytest -m bench``); skipped in every other pytest run.

Each benchmark records its measurement with the ``bench_record`` fixture; the measurements are
printed in a "benchmarks" section at the end of the run, passed or failed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

SAMPLE_END = datetime(2024, 5, 1, tzinfo=UTC)
SAMPLE_DAYS = 2
# ~2.6 records per flow: 190k flows a day for two days give ~990k records in ~4,600 files.
MILLION_FLOWS_PER_DAY = 190_000
_RESULTS = pytest.StashKey[list[str]]()


def _bench_selected(config: pytest.Config) -> bool:
    expr = str(config.getoption("markexpr") or "")
    return bool(re.search(r"\bbench\b", expr)) and not re.search(r"\bnot\s+bench\b", expr)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _bench_selected(config):
        return
    skip = pytest.mark.skip(reason="benchmark: run with `make bench` (pytest -m bench)")
    for item in items:
        if item.get_closest_marker("bench"):
            item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_RESULTS] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines = config.stash.get(_RESULTS, [])
    if lines:
        terminalreporter.section("benchmarks")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def bench_record(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """``bench_record("what: measured (target)")``: shown in the summary and printed right away."""
    results = request.config.stash[_RESULTS]

    def record(line: str) -> None:
        results.append(line)
        print(line)

    return record


@dataclass(frozen=True)
class BenchSample:
    """Sample text logs written once per session for the benchmarks that need a big input."""

    logs_dir: Path
    records: int
    files: int
    seconds: float
    since: datetime
    until: datetime


_WRITE = """
import json, sys, time
from datetime import datetime
from pathlib import Path
from flowkit import sample
began = time.perf_counter()
s = sample.write_sample(Path(sys.argv[1]), days=int(sys.argv[2]),
                        flows_per_day=int(sys.argv[3]), now=datetime.fromisoformat(sys.argv[4]))
print(json.dumps({"records": s.records, "files": s.files, "seconds": time.perf_counter() - began}))
"""


@pytest.fixture(scope="session")
def million_sample(tmp_path_factory: pytest.TempPathFactory) -> BenchSample:
    """~1M records in the default text layout, written by a child process (it needs ~1.5 GB while writing)."""
    logs_dir = tmp_path_factory.mktemp("bench") / "logs"
    proc = subprocess.run(
        [sys.executable, "-c", _WRITE, str(logs_dir), str(SAMPLE_DAYS), str(MILLION_FLOWS_PER_DAY),
         SAMPLE_END.isoformat()],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return BenchSample(logs_dir, int(data["records"]), int(data["files"]), float(data["seconds"]),
                       SAMPLE_END - timedelta(days=SAMPLE_DAYS), SAMPLE_END)
