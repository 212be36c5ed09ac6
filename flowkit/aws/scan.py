"""Before spending on Athena: whether the table can see a window, and the most a query over it can scan.

The table projects its time partition from ``log_retention_days + 1`` days before now to now, so a
window outside that range reads nothing there. A saved query reads only the window's time folders
(plus the one-hour END-time slack), so it can never scan more than the objects in those folders: their
size, found by listing just those folders with the fetch planner, bounds its cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flowkit.aws.cost import bound_line
from flowkit.aws.deployed import Storage
from flowkit.aws.fetch import FetchSummary, plan


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%MZ}"


def projection_warning(since: datetime, until: datetime, projected_days: int,
                       now: datetime | None = None) -> str | None:
    """A warning when [since, until) reaches before the table's projection range; None when it does not."""
    now = now or datetime.now(UTC)
    start = now - timedelta(days=projected_days)
    where = (f"the table's projection range ({_when(start)} to now: log_retention_days + 1 = "
             f"{projected_days} days back)")
    if until <= start:
        return (f"the window {_when(since)} to {_when(until)} ends before {where}: Athena reads no "
                "partition of it and the query returns no rows")
    if since < start:
        return (f"the window starts at {_when(since)}, before {where}: Athena reads nothing before "
                f"{_when(start)}")
    return None


@dataclass(frozen=True)
class ScanBound:
    """The objects in a window's time folders: how many, and their total size."""

    objects: int
    bytes: int

    def line(self, queries: int = 1) -> str:
        return bound_line(self.bytes, self.objects, queries)


def scan_bound(s3: Any, storage: Storage, since: datetime, until: datetime, workers: int = 8) -> ScanBound:
    """The size of every object in the window's time folders, under every account and region found."""
    summary = FetchSummary()
    objects = plan(s3, storage.bucket, storage.layout, since, until, summary, workers=workers)
    return ScanBound(len(objects), sum(o.size for o in objects))
