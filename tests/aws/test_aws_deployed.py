"""flowkit.deployed: names read back from CloudFormation outputs (moto CloudFormation)."""

from __future__ import annotations

import boto3
import pytest

from flowkit.aws import deployed
from flowkit.aws import session as aws_session
from flowkit.layout import Layout
from tests.moto_stacks import create_stack

STORAGE_OUTPUTS = {
    "BucketName": "flowlogs-demo-logs-123",
    "BucketArn": "arn:aws:s3:::flowlogs-demo-logs-123",
    "KeyPrefix": "team/flows",
    "LogRoot": "team/flows/AWSLogs/",
    "LogLayout": "text hive=true hourly=false",
}
ANALYTICS_OUTPUTS = {
    "DatabaseName": "flowlogs_demo",
    "TableName": "flow_logs",
    "WorkGroupName": "flowlogs-demo",
    "ResultsLocation": "s3://flowlogs-demo-logs-123/athena-results/",
}




def test_lookup_reads_both_stacks(mocked: boto3.Session) -> None:
    create_stack("flowlogs-demo-storage", STORAGE_OUTPUTS)
    create_stack("flowlogs-demo-analytics", ANALYTICS_OUTPUTS)
    found = deployed.lookup("demo", mocked)
    assert found.bucket == "flowlogs-demo-logs-123"
    assert (found.database, found.table, found.workgroup) == ("flowlogs_demo", "flow_logs", "flowlogs-demo")
    assert found.results_location == "s3://flowlogs-demo-logs-123/athena-results/"
    assert found.layout == Layout("text", hive=True, hourly=False, key_prefix="team/flows")


def test_no_key_prefix_output_means_no_prefix(mocked: boto3.Session) -> None:
    outputs = {k: v for k, v in STORAGE_OUTPUTS.items() if k != "KeyPrefix"}
    outputs.update(LogRoot="AWSLogs/", LogLayout="parquet hive=false hourly=true")
    create_stack("flowlogs-demo-storage", outputs)
    storage = deployed.lookup_storage("demo", mocked)
    assert storage.layout == Layout("parquet", hive=False, hourly=True, key_prefix="")


def test_missing_stack_names_the_stack(mocked: boto3.Session) -> None:
    create_stack("flowlogs-demo-storage", STORAGE_OUTPUTS)
    with pytest.raises(deployed.DeployedError) as err:
        deployed.lookup("demo", mocked)
    message = str(err.value)
    assert "flowlogs-demo-analytics" in message and "not found" in message
    assert "\n" not in message


@pytest.mark.parametrize("missing", ["DatabaseName", "TableName", "WorkGroupName", "ResultsLocation"])
def test_missing_analytics_output_names_stack_and_output(mocked: boto3.Session, missing: str) -> None:
    create_stack("flowlogs-demo-storage", STORAGE_OUTPUTS)
    create_stack("flowlogs-demo-analytics", {k: v for k, v in ANALYTICS_OUTPUTS.items() if k != missing})
    expected = f"stack flowlogs-demo-analytics: output {missing} is missing"
    with pytest.raises(deployed.DeployedError, match=expected):
        deployed.lookup("demo", mocked)


@pytest.mark.parametrize("missing", ["BucketName", "LogLayout"])
def test_missing_storage_output_names_stack_and_output(mocked: boto3.Session, missing: str) -> None:
    create_stack("flowlogs-demo-storage", {k: v for k, v in STORAGE_OUTPUTS.items() if k != missing})
    expected = f"stack flowlogs-demo-storage: output {missing} is missing"
    with pytest.raises(deployed.DeployedError, match=expected):
        deployed.lookup_storage("demo", mocked)


def test_unreadable_layout_output_is_reported(mocked: boto3.Session) -> None:
    create_stack("flowlogs-demo-storage", {**STORAGE_OUTPUTS, "LogLayout": "csv hive=maybe"})
    with pytest.raises(deployed.DeployedError, match="output LogLayout is 'csv hive=maybe'"):
        deployed.lookup_storage("demo", mocked)


def test_inconsistent_log_root_is_reported(mocked: boto3.Session) -> None:
    create_stack("flowlogs-demo-storage", {**STORAGE_OUTPUTS, "LogRoot": "AWSLogs/"})
    with pytest.raises(deployed.DeployedError, match="LogRoot"):
        deployed.lookup_storage("demo", mocked)


def test_no_region_is_one_line_error(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION", raising=False)
    session = aws_session.make_session()
    with pytest.raises(deployed.AwsError, match="region"):
        deployed.lookup_storage("demo", session)
