"""Realistic sample VPC flow logs, written in the exact S3 layout AWS uses (for the demo and tests).

Two accounts, two regions, three VPCs and eight network interfaces (``estate``) exchange ordinary
traffic (``traffic``: web, SSH, RDP, databases, DNS, NTP, S3 through a gateway endpoint, a NAT gateway,
a load balancer, IPv6 global and ULA addresses, ICMP/ICMPv6 and GRE) plus a handful of incidents an
investigator should find (``incidents``). ``records`` turns each flow into the records an interface
logs, with a 60 s aggregation interval. ``files`` writes one file per interface and 5-minute window
(named by the window of the records' END time and filed in that time's folder, as AWS does), so
records that start in one hour and end in the next land in the later hour (or day).

Text files are gzip with a header line; ``-`` marks a value that does not apply (NODATA and SKIPDATA
records have ``-`` in srcaddr ... bytes and action; this writer also leaves the per-packet fields
``tcp-flags``, ``type``, ``pkt-*``, ``flow-direction`` and ``traffic-path`` at ``-`` for them, and
keeps the interface's own metadata). Parquet columns are named like the Athena columns (hyphens
become underscores: Athena's Parquet SerDe matches columns by name) with the physical types of the
field catalogue (INT32, INT64, STRING); ``-`` becomes NULL. The same seed and ``now`` give
byte-identical text files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flowkit.catalogue import PRESETS, Field
from flowkit.errors import KitError
from flowkit.layout import Layout, normalize_prefix
from flowkit.sample import files, incidents, traffic
from flowkit.sample.records import Recorder

DEFAULT_FLOWS_PER_DAY = 700
DEFAULT_LAYOUT = Layout("text", hive=False, hourly=False)


class SampleError(KitError):
    """Bad arguments for the sample writer; the message is one line naming the problem."""


@dataclass
class SampleSummary:
    """What :func:`write_sample` wrote."""

    out_dir: Path
    layout: Layout
    files: int
    records: int
    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    first: datetime  # earliest record start
    last: datetime  # latest record end
    crossing_hour: int  # records whose start and end fall in different hours
    crossing_midnight: int  # ... in different days
    incidents: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable lines for the console."""
        layout = self.layout
        shape = ", ".join((layout.file_format, "hive" if layout.hive else "plain",
                           "hourly" if layout.hourly else "daily"))
        out = [
            f"wrote {self.records} records in {self.files} files ({shape}) "
            f"under {self.out_dir / layout.root}",
            f"accounts {', '.join(self.accounts)}; regions {', '.join(self.regions)}",
            f"records from {self.first:%Y-%m-%d %H:%M:%S} to {self.last:%Y-%m-%d %H:%M:%S} UTC",
            f"{self.crossing_hour} records cross an hour boundary ({self.crossing_midnight} cross midnight) "
            "and are filed under their END time",
            "incidents to find:",
        ]
        return out + [f"  - {line}" for line in self.incidents]


def write_sample(
    out_dir: Path,
    *,
    days: int = 2,
    layout: Layout = DEFAULT_LAYOUT,
    seed: int = 7,
    fields: tuple[Field, ...] = PRESETS["v5"],
    now: datetime | None = None,
    flows_per_day: int = DEFAULT_FLOWS_PER_DAY,
) -> SampleSummary:
    """Write sample flow logs for the ``days`` days before ``now`` under ``out_dir`` in ``layout``.

    ``now`` defaults to the current UTC hour; ``flows_per_day`` sets the background traffic volume
    (each flow gives one to four records; incidents, NODATA and SKIPDATA records come on top).
    """
    _check(days, layout, fields, flows_per_day)
    if now is None:
        until = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    elif now.tzinfo is None:
        until = now.replace(tzinfo=UTC, microsecond=0)
    else:
        until = now.astimezone(UTC).replace(microsecond=0)
    since = until - timedelta(days=days)

    # the order of these three fixes the random draws: the same seed gives the same records
    log = Recorder(random.Random(seed), int(since.timestamp()), int(until.timestamp()))
    traffic.background(log, flows_per_day * days)
    found = incidents.stage_incidents(log)
    traffic.hour_crossings(log)
    records = log.records
    by_key = files.group_by_file(records, layout, seed)
    out_dir = Path(out_dir)
    files.write_files(out_dir, by_key, fields, layout)

    starts = [int(r["start"]) for r in records]
    ends = [int(r["end"]) for r in records]
    return SampleSummary(
        out_dir=out_dir,
        layout=layout,
        files=len(by_key),
        records=len(records),
        accounts=tuple(sorted({r["account-id"] for r in records})),
        regions=tuple(sorted({r["region"] for r in records})),
        first=datetime.fromtimestamp(min(starts), UTC),
        last=datetime.fromtimestamp(max(ends), UTC),
        crossing_hour=sum(1 for s, e in zip(starts, ends, strict=True) if s // 3600 != e // 3600),
        crossing_midnight=sum(1 for s, e in zip(starts, ends, strict=True) if s // 86400 != e // 86400),
        incidents=found,
    )


def _check(days: int, layout: Layout, fields: tuple[Field, ...], flows_per_day: int) -> None:
    if not isinstance(days, int) or days < 1 or days > 366:
        raise SampleError(f"days must be a whole number from 1 to 366, not {days!r}")
    if layout.file_format not in ("text", "parquet"):
        raise SampleError(f"file format must be 'text' or 'parquet', not {layout.file_format!r}")
    if layout.key_prefix != normalize_prefix(layout.key_prefix):
        raise SampleError(f"key prefix must not start or end with '/', not {layout.key_prefix!r}")
    if not fields:
        raise SampleError("the field list is empty")
    if len({f.name for f in fields}) != len(fields):
        raise SampleError("the field list names a field twice")
    if not isinstance(flows_per_day, int) or flows_per_day < 0:
        raise SampleError(f"flows per day must be a whole number >= 0, not {flows_per_day!r}")


__all__ = ["DEFAULT_FLOWS_PER_DAY", "DEFAULT_LAYOUT", "SampleError", "SampleSummary", "write_sample"]
