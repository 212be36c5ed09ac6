"""Damaged copies of a sample bucket, and what its good records add up to, worked out in plain Python.

The totals are those of the saved query ``bytes-by-ip-version`` (bytes, packets and flows of the OK
records, IPv4 and IPv6 apart), computed from the gzip text itself with :mod:`gzip` and ``str.split``:
nothing of the engine is used, so a line read into the wrong columns, a record lost or a record
counted twice shows as a difference.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flowkit.layout import Layout
from flowkit.sample import write_sample
from tests.run_cli import flowlogs

NOW = datetime(2024, 5, 2, tzinfo=UTC)
SINCE, UNTIL = int(datetime(2024, 5, 1, tzinfo=UTC).timestamp()), int(NOW.timestamp())
WINDOW = ["--since", "2024-05-01", "--until", "2024-05-02"]
COLUMNS = ["ipv4_bytes", "ipv6_bytes", "ipv4_packets", "ipv6_packets", "ipv4_flows", "ipv6_flows"]

Line = tuple[Path, int]  # a file and a line number (the header is line 1)


def write_bucket(root: Path) -> Path:
    """One day of v5 sample logs in gzip text, hourly plain folders (about 440 files)."""
    write_sample(root, days=1, layout=Layout("text", False, True), now=NOW, flows_per_day=400)
    return root


def copy_of(sample: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "logs"
    shutil.copytree(sample, copy)
    return copy


def text_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.log.gz") if ".flowlogs-store" not in p.parts)


def lines_of(path: Path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode().split("\n")[:-1]


def rewrite(path: Path, lines: Iterable[str], raw: Callable[[bytes], bytes] = lambda b: b) -> None:
    path.write_bytes(gzip.compress(raw(("\n".join(lines) + "\n").encode())))


def totals(files: Iterable[Path], leave_out: Iterable[Line] = ()) -> list[int]:
    """bytes-by-ip-version over the OK records of ``files`` in the window, but the lines ``leave_out``."""
    left = set(leave_out)
    row = [0] * 6
    for path in files:
        header, *records = (line.removesuffix("\r") for line in lines_of(path))
        names = header.removeprefix("\ufeff").split(" ")
        for number, line in enumerate(records, start=2):
            if (path, number) in left:
                continue
            values = dict(zip(names, line.split(" "), strict=True))
            if values["log-status"] != "OK":
                continue
            if not SINCE <= int(values["start"]) < UNTIL:
                continue
            v6 = ":" in values["srcaddr"]
            row[v6] += int(values["bytes"])
            row[2 + v6] += int(values["packets"])
            row[4 + v6] += 1
    return row


def ok_lines(path: Path) -> list[int]:
    """The line numbers of the OK records of a file."""
    header, *records = lines_of(path)
    at = header.split(" ").index("log-status")
    return [n for n, line in enumerate(records, start=2) if line.split(" ")[at] == "OK"]


def query_totals(capsys: pytest.CaptureFixture[str], root: Path,
                 *more: str) -> tuple[int, list[int], list[str]]:
    """``flowlogs query bytes-by-ip-version`` on ``root``: exit status, its one row, its stderr lines."""
    code, out, err = flowlogs(capsys, "query", "bytes-by-ip-version", "--logs", str(root), *WINDOW,
                              "--format", "json", *more)
    rows = json.loads(out) if code == 0 else []
    assert code != 0 or [list(r) for r in rows] == [COLUMNS]
    return code, [rows[0][c] for c in COLUMNS] if rows else [], err.splitlines()
