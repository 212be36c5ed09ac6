"""The doctor with transit gateways captured: their flow logs are compared with the transit gateway
table (its folder and record format), and neither table's objects check calls the other's folder a
wrong key prefix.

Flow logs are described as DescribeFlowLogs answers (dicts); formats come from AWS's documentation
(tests/documented.py); keys are written by hand from AWS's key layout (moto_investigation.aws_key).
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from flowkit.aws.deployed import Deployed, Storage
from flowkit.aws.doctor import deployment, objects
from flowkit.aws.doctor.table import Table
from flowkit.catalogue import BY_NAME
from flowkit.layout import Layout
from flowkit.messages import no_progress
from tests.aws.doctor.moto_investigation import ACCOUNT, NOW, REGION, aws_key, minutes_ago
from tests.documented import AWS_DEFAULT_FORMAT, TRANSIT_GATEWAY_FORMAT

BUCKET = "case-logs"
LAYOUT = Layout("parquet", False, True, "exports")
OPTIONS = {"FileFormat": "parquet", "HiveCompatiblePartitions": False, "PerHourPartition": True}
VPC_FIELDS = tuple(BY_NAME[n] for n in AWS_DEFAULT_FORMAT)


def flow_log(resource_id: str, folder: str, names: tuple[str, ...]) -> dict[str, Any]:
    return {"FlowLogId": "fl-0123456789abcdef0", "ResourceId": resource_id, "FlowLogStatus": "ACTIVE",
            "DeliverLogsStatus": "SUCCESS", "LogDestinationType": "s3",
            "LogDestination": f"arn:aws:s3:::{BUCKET}/{folder}", "DestinationOptions": OPTIONS,
            "LogFormat": " ".join("${" + n + "}" for n in names)}


def problems(described: dict[str, Any]) -> list[tuple[str, str]]:
    return deployment._problems(described, Storage(BUCKET, LAYOUT), VPC_FIELDS, "capture", "storage")


@pytest.mark.parametrize("resource_id", ["tgw-0123456789abcdef0", "tgw-attach-0123456789abcdef0"])
def test_a_transit_gateway_flow_log_is_checked_against_its_own_table(resource_id: str) -> None:
    assert problems(flow_log(resource_id, "exports/transit-gateway", TRANSIT_GATEWAY_FORMAT)) == []
    assert problems(flow_log("vpc-0123456789abcdef0", "exports", AWS_DEFAULT_FORMAT)) == []


def test_a_transit_gateway_flow_log_writing_where_the_vpc_table_reads_is_named() -> None:
    found = problems(flow_log("tgw-0123456789abcdef0", "exports", TRANSIT_GATEWAY_FORMAT))
    assert [detail for detail, _ in found] == [
        f"fl-0123456789abcdef0 (tgw-0123456789abcdef0) writes to arn:aws:s3:::{BUCKET}/exports, the table "
        f"reads s3://{BUCKET}/exports/transit-gateway/"]


def test_a_vpc_format_on_a_transit_gateway_flow_log_is_named() -> None:
    found = problems(flow_log("tgw-0123456789abcdef0", "exports/transit-gateway", AWS_DEFAULT_FORMAT))
    assert len(found) == 1 and "fl-0123456789abcdef0 (tgw-0123456789abcdef0)" in found[0][0]


@pytest.mark.parametrize("transit", [False, True], ids=["vpc-table", "transit-table"])
def test_each_table_knows_the_other_tables_folder(hooks: Any, transit: bool) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    when = minutes_ago(10)
    vpc_key = aws_key(text=False, hive=False, hourly=True, prefix="exports", flow_log_id="fl-1", when=when)
    tgw_key = aws_key(text=False, hive=False, hourly=True, prefix="exports/transit-gateway",
                      flow_log_id="fl-2", when=when)
    for key in (vpc_key, tgw_key):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"PAR1")
    vpc = Deployed("case", BUCKET, LAYOUT, "case_db", "flows", "wg", "", VPC_FIELDS,
                   transit_table="flows_tgw")
    target, other, newest = ((vpc.for_table("transit-gateway"), "exports/AWSLogs/", tgw_key) if transit
                             else (vpc, "exports/transit-gateway/AWSLogs/", vpc_key))
    table = Table((), (ACCOUNT,), (REGION,))

    check, found = objects.check_objects(s3, target, table, NOW, no_progress, (other,))
    assert (check.status, check.detail) == ("ok", f"newest file 10 min old: s3://{BUCKET}/{newest}")
    assert found is not None and found.key == newest

    check, _ = objects.check_objects(s3, target, table, NOW, no_progress)  # without knowing the other table
    assert check.status == "warning" and f"s3://{BUCKET}/{other} (another key prefix" in check.detail
