"""What the sample tests share: the sample's window and reading the written files back (stdlib only)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flowkit.sample import SampleSummary

# A window that crosses midnight, a month end and a leap day.
NOW = datetime(2024, 3, 1, 2, tzinfo=UTC)
SINCE = NOW - timedelta(days=1)
Sample = tuple[Path, SampleSummary]


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def text_files(root: Path) -> Iterator[tuple[str, list[str]]]:
    for rel in files_under(root):
        with gzip.open(root / rel, "rt") as handle:
            yield rel, handle.read().splitlines()


def text_records(root: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """(relative path, record as {hyphenated field: value}) for every data line."""
    for rel, lines in text_files(root):
        names = lines[0].split(" ")
        for line in lines[1:]:
            yield rel, dict(zip(names, line.split(" "), strict=True))
