"""The destination setting: S3, CloudWatch Logs or both, and the settings a destination cannot use."""

from __future__ import annotations

from typing import Any

import pytest

from flowkit.settings import load
from tests.settings.helpers import BASE, problems
from tests.synths import example_context

# The retention periods CloudWatch Logs accepts (PutRetentionPolicy, retentionInDays), up to the kit's
# own maximum of 3650 days.
CLOUDWATCH_RETENTION = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                        2922, 3288]


def test_s3_is_the_default_and_the_names_are_case_insensitive() -> None:
    assert load(BASE).destination == "s3"
    assert (load(BASE).to_s3, load(BASE).to_cloudwatch) == (True, False)
    both = load({**BASE, "destination": " Both "})
    assert both.destination == "both" and (both.to_s3, both.to_cloudwatch) == (True, True)
    cloudwatch = load({**BASE, "destination": "CLOUDWATCH"})
    assert (cloudwatch.to_s3, cloudwatch.to_cloudwatch) == (False, True)
    assert problems(destination="firehose") == [
        "setting 'destination' = \"firehose\": should be 's3', 'cloudwatch' or 'both'"]


def test_the_shipped_cdk_json_synthesizes_with_cloudwatch() -> None:
    """cdk.json spells out every key at its default: defaults given explicitly mean no harm."""
    settings = load({**example_context(), "destination": "cloudwatch"})
    assert settings.to_cloudwatch and not settings.to_s3


@pytest.mark.parametrize(("key", "value", "shown", "what"), [
    ("file_format", "text", '"text"', "the S3 key layout"),
    ("hive_partitions", "true", '"true"', "the S3 key layout"),
    ("per_hour_partitions", False, "false", "the S3 key layout"),
    ("key_prefix", "team/flows", '"team/flows"', "the S3 key layout"),
    ("organization_id", "o-a1b2c3d4e5", '"o-a1b2c3d4e5"', "which accounts' flow logs the bucket admits"),
    ("query_limit_gb", 2, "2", "the Athena table and workgroup"),
    ("database", "netsec", '"netsec"', "the Athena table and workgroup"),
    ("table", "rejects", '"rejects"', "the Athena table and workgroup"),
    ("workgroup", "netsec", '"netsec"', "the Athena table and workgroup"),
    ("report_emails", "a@example.com", '"a@example.com"', "the scheduled report, which runs Athena queries"),
])
def test_a_setting_only_s3_uses_stops_cloudwatch(key: str, value: Any, shown: str, what: str) -> None:
    assert problems(destination="cloudwatch", **{key: value}) == [
        f"setting '{key}' = {shown}: means nothing with destination 'cloudwatch' (it configures {what}); "
        "remove it, or set destination to 's3' or 'both'"]
    assert load({**BASE, "destination": "both", key: value}).destination == "both"


def test_every_setting_the_destination_cannot_use_is_named_on_its_own_line() -> None:
    found = problems(destination="cloudwatch", file_format="text", workgroup="netsec", log_retention_days=45)
    assert [line.split("'")[1] for line in found] == ["file_format", "workgroup", "log_retention_days"]


@pytest.mark.parametrize("destination", ["cloudwatch", "both"])
def test_retention_must_be_a_period_cloudwatch_logs_offers(destination: str) -> None:
    allowed = ", ".join(str(days) for days in CLOUDWATCH_RETENTION)
    assert problems(destination=destination, log_retention_days=45) == [
        f"setting 'log_retention_days' = 45: CloudWatch Logs keeps a log group for {allowed} days only; "
        f"choose one of them (destination '{destination}')"]
    for days in CLOUDWATCH_RETENTION:
        settings = load({**BASE, "destination": destination, "log_retention_days": days, "lookback_days": 1})
        assert settings.log_retention_days == days


def test_any_retention_goes_with_s3_alone() -> None:
    assert load({**BASE, "log_retention_days": 45}).log_retention_days == 45
