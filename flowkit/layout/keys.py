"""Where AWS writes flow log files in S3, and the partition projection that finds them again.

One module feeds the Glue table's projection and ``storage.location.template``, the delivery
bucket-policy prefix, the local file reader and ``flowlogs fetch``, so the key layout is written once.

Key layouts (all UTC, ``[prefix/]`` optional), per the VPC user guide::

    default       [prefix/]AWSLogs/{account}/vpcflowlogs/{region}/{yyyy}/{MM}/{dd}/
    hourly        [prefix/]AWSLogs/{account}/vpcflowlogs/{region}/{yyyy}/{MM}/{dd}/{HH}/
    hive          [prefix/]AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/
                      year={yyyy}/month={MM}/day={dd}/
    hive, hourly  ... /year={yyyy}/month={MM}/day={dd}/hour={HH}/

The table has three partition columns whatever the layout: the account and region of the path
(named so they cannot clash with the ``account_id`` and ``region`` data columns) and one time column
``dt`` whose projected value is exactly the time part of the path (for example ``2024/05/01/13`` or
``year=2024/month=05/day=01``). Its strftime pattern is also a valid Trino ``date_format`` pattern and
sorts like time, so one range predicate on ``dt`` prunes partitions in Athena and locally.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

FileFormat = Literal["text", "parquet"]

AWSLOGS = "AWSLogs"
SERVICE = "vpcflowlogs"
ACCOUNT_COLUMN = "aws_account"
REGION_COLUMN = "aws_region"
TIME_COLUMN = "dt"
PARTITION_COLUMNS: tuple[str, ...] = (ACCOUNT_COLUMN, REGION_COLUMN, TIME_COLUMN)

# Files are keyed by the END time of their records and an interval lasts up to 10 minutes, so a
# record that starts before ``until`` can sit in a partition up to this much later.
PARTITION_SLACK = timedelta(hours=1)

FILE_SUFFIX: dict[str, str] = {"text": ".log.gz", "parquet": ".log.parquet"}

# Transit gateway flow logs write the same key layout as VPC ones (same service folder, same file
# names), so the kit delivers them under a folder of their own in front of AWSLogs/: their table
# reads only their files.
TRANSIT_FOLDER = "transit-gateway"

_JAVA_FOR_STRFTIME = {"%Y": "yyyy", "%m": "MM", "%d": "dd", "%H": "HH"}


def strftime_to_java(pattern: str) -> str:
    """Convert a strftime pattern (only %Y %m %d %H) to a Java DateTimeFormatter pattern.

    Literal text is quoted (``year=`` -> ``'year='``); ``/`` needs no quotes.
    """
    out: list[str] = []
    for token in re.split(r"(%[YmdH])", pattern):
        if not token:
            continue
        if token in _JAVA_FOR_STRFTIME:
            out.append(_JAVA_FOR_STRFTIME[token])
        else:
            for literal in re.split(r"(/)", token):
                if literal == "/":
                    out.append("/")
                elif literal:
                    out.append("'" + literal.replace("'", "''") + "'")
    return "".join(out)


def normalize_prefix(prefix: str | None) -> str:
    """``/a/b/`` -> ``a/b``; empty or None -> ``''``."""
    return (prefix or "").strip("/")


@dataclass(frozen=True)
class Layout:
    """One of the eight S3 key layouts (text|parquet x hive or not x hourly or not), plus a prefix."""

    file_format: FileFormat = "parquet"
    hive: bool = False
    hourly: bool = True
    key_prefix: str = ""

    # -- key structure -------------------------------------------------------------------------
    @property
    def time_pattern(self) -> str:
        """strftime pattern of the time folders; the same string works for Trino ``date_format``."""
        if self.hive:
            return "year=%Y/month=%m/day=%d" + ("/hour=%H" if self.hourly else "")
        return "%Y/%m/%d" + ("/%H" if self.hourly else "")

    @property
    def time_step(self) -> timedelta:
        return timedelta(hours=1) if self.hourly else timedelta(days=1)

    @property
    def file_suffix(self) -> str:
        return FILE_SUFFIX[self.file_format]

    @property
    def root(self) -> str:
        """``[prefix/]AWSLogs/``: the table location and the folder a local copy starts from."""
        return f"{self.key_prefix}/{AWSLOGS}/" if self.key_prefix else f"{AWSLOGS}/"

    def account_prefix(self, account: str) -> str:
        """The folder the delivery service may write to for one account (bucket policy resource)."""
        return self.root + (f"aws-account-id={account}/" if self.hive else f"{account}/")

    def region_prefix(self, account: str, region: str) -> str:
        if self.hive:
            return self.account_prefix(account) + f"aws-service={SERVICE}/aws-region={region}/"
        return self.account_prefix(account) + f"{SERVICE}/{region}/"

    def time_value(self, when: datetime) -> str:
        """The ``dt`` partition value (and time folders) of a UTC instant."""
        return to_utc(when).strftime(self.time_pattern)

    def key_prefix_for(self, account: str, region: str, when: datetime) -> str:
        """The exact key prefix AWS writes files under for records ending at ``when``."""
        return self.region_prefix(account, region) + self.time_value(when) + "/"

    def file_name(self, account: str, region: str, flow_log_id: str, when: datetime, suffix_hash: str) -> str:
        """``{account}_vpcflowlogs_{region}_{fl-id}_{YYYYMMDDTHHmmZ}_{hash}.log.gz`` (5-minute window)."""
        when = to_utc(when)
        when = when.replace(minute=when.minute - when.minute % 5, second=0, microsecond=0)
        stamp = when.strftime("%Y%m%dT%H%MZ")
        return f"{account}_{SERVICE}_{region}_{flow_log_id}_{stamp}_{suffix_hash}{self.file_suffix}"

    def time_values(self, since: datetime, until: datetime) -> Iterator[str]:
        """Every ``dt`` value whose files can hold records starting in [since, until)."""
        step = self.time_step
        current = _floor(to_utc(since), step)
        last = to_utc(until) + PARTITION_SLACK
        while current < last:
            yield self.time_value(current)
            current += step

    # -- Glue table ----------------------------------------------------------------------------
    def location_template(self, bucket: str) -> str:
        """``storage.location.template`` with one placeholder per partition column."""
        return (
            f"s3://{bucket}/"
            + self.region_prefix("${" + ACCOUNT_COLUMN + "}", "${" + REGION_COLUMN + "}")
            + "${" + TIME_COLUMN + "}/"
        )

    def table_location(self, bucket: str) -> str:
        return f"s3://{bucket}/{self.root}"

    def projection_parameters(
        self, bucket: str, accounts: Sequence[str], regions: Sequence[str], projected_days: int
    ) -> dict[str, str]:
        """Glue TABLE parameters for partition projection (not storage-descriptor parameters)."""
        time = f"projection.{TIME_COLUMN}"
        return {
            "projection.enabled": "true",
            f"projection.{ACCOUNT_COLUMN}.type": "enum",
            f"projection.{ACCOUNT_COLUMN}.values": ",".join(accounts),
            f"projection.{REGION_COLUMN}.type": "enum",
            f"projection.{REGION_COLUMN}.values": ",".join(regions),
            f"{time}.type": "date",
            f"{time}.format": strftime_to_java(self.time_pattern),
            f"{time}.range": f"NOW-{projected_days}DAYS,NOW",
            f"{time}.interval": "1",
            f"{time}.interval.unit": "HOURS" if self.hourly else "DAYS",
            "storage.location.template": self.location_template(bucket),
        }


def transit_layout(layout: Layout) -> Layout:
    """Where transit gateway flow logs go: ``layout`` with ``transit-gateway/`` after its key prefix."""
    return replace(layout, key_prefix="/".join(part for part in (layout.key_prefix, TRANSIT_FOLDER) if part))


@dataclass(frozen=True)
class KeyInfo:
    """What an object key says about the file behind it."""

    layout: Layout
    account: str
    region: str
    when: datetime  # start of the day (or hour) folder, UTC
    file_name: str

    @property
    def window(self) -> datetime | None:
        """Start of the 5-minute window of the records' END times in the file name (None if absent)."""
        m = _WINDOW_RE.search(self.file_name)
        if not m:
            return None
        try:
            return datetime.strptime(m[1], "%Y%m%dT%H%M").replace(tzinfo=UTC)
        except ValueError:
            return None


_WINDOW_RE = re.compile(r"_(\d{8}T\d{4})Z_[^_]+$")


_KEY_RE = re.compile(
    r"^(?:(?P<prefix>.+?)/)?" + AWSLOGS + r"/"
    r"(?:"
    r"aws-account-id=(?P<h_account>\d{12})/aws-service=" + SERVICE + r"/aws-region=(?P<h_region>[a-z0-9-]+)/"
    r"year=(?P<h_year>\d{4})/month=(?P<h_month>\d{2})/day=(?P<h_day>\d{2})/(?:hour=(?P<h_hour>\d{2})/)?"
    r"|"
    r"(?P<account>\d{12})/" + SERVICE + r"/(?P<region>[a-z0-9-]+)/"
    r"(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?:(?P<hour>\d{2})/)?"
    r")"
    r"(?P<name>[^/]+?(?P<suffix>\.log\.gz|\.log\.parquet))$"
)


def parse_key(key: str) -> KeyInfo | None:
    """Recognise a flow log object key (or a relative path in a local copy) in any of the layouts.

    Returns None for anything that is not a flow log file (other services, stray files).
    """
    m = _KEY_RE.match(key.replace("\\", "/").lstrip("/"))
    if not m:
        return None
    hive = m["h_account"] is not None
    g = (lambda n: m["h_" + n]) if hive else (lambda n: m[n])
    hour = g("hour")
    try:
        when = datetime(int(g("year")), int(g("month")), int(g("day")), int(hour or 0), tzinfo=UTC)
    except ValueError:
        return None
    fmt: FileFormat = "text" if m["suffix"] == ".log.gz" else "parquet"
    return KeyInfo(
        layout=Layout(fmt, hive, hour is not None, m["prefix"] or ""),
        account=g("account"),
        region=g("region"),
        when=when,
        file_name=m["name"],
    )


def to_utc(when: datetime) -> datetime:
    """The kit's rule for every time it is given: aware times are converted, naive ones are UTC."""
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def iso_utc(when: datetime) -> str:
    """A UTC instant as query results show it, locally and from Athena: ``2024-05-01T13:00:00Z``."""
    return to_utc(when).isoformat().replace("+00:00", "Z")


def _floor(when: datetime, step: timedelta) -> datetime:
    if step >= timedelta(days=1):
        return when.replace(hour=0, minute=0, second=0, microsecond=0)
    return when.replace(minute=0, second=0, microsecond=0)
