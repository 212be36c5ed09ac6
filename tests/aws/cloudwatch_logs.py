"""A log group of flow logs in moto: streams of records in a given format, as VPC Flow Logs delivers them.

CloudWatch Logs (and moto) refuse events older than 14 days, so the records are a few days old; an event's
timestamp is its record's start (VPC user guide), its message the record's fields in format order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's account
GROUP = "/flowlogs/demo"
DEFAULT = ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
           "packets", "bytes", "start", "end", "action", "log-status"]
# two days ago at 12:00 UTC: far enough for every window here, within CloudWatch Logs' 14 days
BASE = (datetime.now(UTC) - timedelta(days=2)).replace(hour=12, minute=0, second=0, microsecond=0)


def record(eni: str, start: datetime, seconds: int = 60, status: str = "OK", **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"version": 2, "account-id": ACCOUNT, "interface-id": eni, "srcaddr": "10.0.0.1",
                            "dstaddr": "10.0.0.2", "srcport": 40000, "dstport": 443, "protocol": 6,
                            "packets": 2, "bytes": 100, "start": int(start.timestamp()),
                            "end": int(start.timestamp()) + seconds, "action": "ACCEPT", "log-status": status}
    if status != "OK":
        base.update({k: None for k in ("srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
                                       "bytes", "action")})
    base.update({k.replace("_", "-"): v for k, v in values.items()})
    return base


def message(fields: Sequence[str], values: dict[str, Any]) -> str:
    return " ".join("-" if values.get(f) is None else str(values[f]) for f in fields)


def put_stream(stream: str, records: Sequence[dict[str, Any]], fields: Sequence[str] = DEFAULT,
               group: str = GROUP) -> list[str]:
    """Create the stream and deliver the records (oldest first); their messages."""
    logs = boto3.client("logs", region_name=REGION)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    ordered = sorted(records, key=lambda r: r["start"])
    events = [{"timestamp": r["start"] * 1000, "message": message(fields, r)} for r in ordered]
    for first in range(0, len(events), 1000):
        logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events[first:first + 1000])
    return [e["message"] for e in events]


def create_group(group: str = GROUP) -> None:
    boto3.client("logs", region_name=REGION).create_log_group(logGroupName=group)
