"""A scheduled report's surroundings in moto: its bucket, topic, workgroup and function environment.

Athena's rows come from moto's result queue (moto does not execute queries); S3 and SNS are moto's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.athena.models import QueryResults, athena_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from flowkit.catalogue import resolve
from flowkit.layout import Layout
from flowkit.schedule.config import function_environment

REGION = "us-east-1"  # the region of the aws_env fixture
BUCKET = "flowlogs-weekly-bucket"
WORKGROUP = "flowlogs-weekly"
LAYOUT = Layout("text", hive=False, hourly=True)


@dataclass
class Deployment:
    """The moto resources of one deployed scheduled report, and readers of what the function left."""

    session: boto3.Session
    topic_arn: str
    environment: dict[str, str]

    def queue_results(self, results: Sequence[tuple[Sequence[str], Sequence[tuple[Any, ...]]]]) -> None:
        """GetQueryResults answers in query order: (columns, rows of Python values) each."""
        backend = athena_backends[DEFAULT_ACCOUNT_ID][REGION]
        for columns, rows in results:
            backend.query_results_queue.append(athena_result(columns, rows))

    def messages(self) -> list[tuple[str | None, str]]:
        """(subject, body) of every message published to the topic."""
        topic = sns_backends[DEFAULT_ACCOUNT_ID][REGION].topics[self.topic_arn]
        return [(subject, message) for _id, message, subject, _attrs, _group in topic.sent_notifications]

    def reports(self) -> dict[str, bytes]:
        s3 = self.session.client("s3")
        listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="reports/").get("Contents", [])
        return {o["Key"]: s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


def _athena_type(values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "bigint"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "double"
    return "varchar"


def _text(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, bool):
        return {"VarCharValue": str(value).lower()}
    return {"VarCharValue": repr(value) if isinstance(value, float) else str(value)}


def athena_result(columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> QueryResults:
    """Rows as Athena's GetQueryResults returns them: a header row, then every value as text."""
    types = [_athena_type([row[i] for row in rows]) for i in range(len(columns))]
    info = [{"Name": c, "Label": c, "Type": t, "CatalogName": "hive", "SchemaName": "", "TableName": "",
             "Nullable": "UNKNOWN", "CaseSensitive": t == "varchar", "Precision": 0, "Scale": 0}
            for c, t in zip(columns, types, strict=True)]
    header = {"Data": [{"VarCharValue": c} for c in columns]}
    return QueryResults(rows=[header, *({"Data": [_text(v) for v in row]} for row in rows)], column_info=info)


def environment(topic_arn: str, lookback_days: int = 1, **overrides: str) -> dict[str, str]:
    """What the construct gives the function (flowkit.schedule.config.function_environment)."""
    env = function_environment(
        investigation="weekly", bucket_name=BUCKET, layout=LAYOUT, database="flowlogs_weekly",
        table="flow_logs", workgroup=WORKGROUP, results_location=f"s3://{BUCKET}/athena-results/",
        field_names=[f.name for f in resolve("v5")], topic_arn=topic_arn, lookback_days=lookback_days)
    env.update(overrides)
    return env


def set_environment(monkeypatch: pytest.MonkeyPatch, env: Mapping[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
