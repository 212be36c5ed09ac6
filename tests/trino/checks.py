"""What the Trino tests compare: rows (naming the first difference) and the partitions a query read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.trino.deployment import DAY, Deployment, Table

SLACK = 3600  # a record is filed under its END time: the window's dt range reaches one hour past until


def first_difference(label: str, got: Sequence[tuple[Any, ...]], want: Sequence[tuple[Any, ...]]) -> str:
    """'' when equal, else one line naming the first differing row."""
    for index, (a, b) in enumerate(zip(got, want, strict=False)):
        if tuple(a) != tuple(b):
            return f"{label}: row {index + 1} is {tuple(a)!r}, expected {tuple(b)!r}"
    if len(got) != len(want):
        shorter = "fewer" if len(got) < len(want) else "more"
        return f"{label}: {len(got)} rows, {shorter} than the {len(want)} expected"
    return ""


def window_files(found: Deployment, since: int, until: int, edge: int = 0, table: Table | None = None) -> int:
    """Files of ``table`` (default: the VPC one) in the window's partitions (dt from since's folder to
    until + SLACK's folder), widened by ``edge`` partitions at each end."""
    step = 3600 if found.spec.hourly else DAY
    low = since - since % step - edge * step
    high = (until + SLACK) - (until + SLACK) % step + edge * step
    folders = found.folders if table is None else table.folders
    return sum(low <= folder <= high for folder in folders)
