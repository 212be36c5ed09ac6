"""FlowLog: one L1 flow log per target with CloudFormation-correct DestinationOptions."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import aws_s3 as s3

from flowkit import catalogue
from flowkit.layout import Layout
from stacks.constructs import FlowLog, ResourceType, TrafficType
from tests.stacks.constructs.helpers import bare_stack, one, template_of

pytestmark = pytest.mark.slow

# Spelled from the VPC user guide's field list (version 2, the AWS default format: 14 fields).
AWS_DEFAULT_FORMAT = ("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
                      "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}")


def flow_log(feature_flags: dict[str, Any], *, resource_type: ResourceType = "VPC",
             resource_id: str = "vpc-0a1b2c3d", investigation: str = "demo", layout: Layout | None = None,
             fields: str = "v5", traffic_type: TrafficType = "ALL",
             aggregation_seconds: int = 60) -> dict[str, Any]:
    """The template of one FlowLog into a bucket (with its TLS-only policy) made by the test."""
    stack = bare_stack(feature_flags)
    bucket = s3.Bucket(stack, "Logs", enforce_ssl=True)
    assert bucket.policy is not None
    FlowLog(stack, f"FlowLog-{resource_id}", resource_type=resource_type, resource_id=resource_id,
            investigation=investigation, bucket_arn=bucket.bucket_arn, delivery_policy=bucket.policy,
            layout=layout or Layout(), fields=catalogue.resolve(fields), traffic_type=traffic_type,
            aggregation_seconds=aggregation_seconds)
    return template_of(stack)


def _props(template: dict[str, Any]) -> dict[str, Any]:
    return dict(one(template, "AWS::EC2::FlowLog")[1]["Properties"])


@pytest.mark.parametrize(
    ("resource_type", "resource_id", "investigation", "name"),
    [
        ("VPC", "vpc-0a1b2c3d4e5f67890", "demo", "demo-vpc-0a1b2c3d4e5f67890"),
        ("Subnet", "subnet-0123456789abcdef0", "rejects", "rejects-subnet-0123456789abcdef0"),
        ("NetworkInterface", "eni-12345678", "case-42", "case-42-eni-12345678"),
    ],
)
def test_flow_log_of_one_target_named_after_the_investigation(
    feature_flags: dict[str, Any], resource_type: ResourceType, resource_id: str, investigation: str,
    name: str,
) -> None:
    template = flow_log(feature_flags, resource_type=resource_type, resource_id=resource_id,
                        investigation=investigation)
    # the construct id `FlowLog-<id>` is the logical id (the L1 is the hidden child `Default`)
    assert one(template, "AWS::EC2::FlowLog")[0] == "FlowLog" + resource_id.replace("-", "")
    props = _props(template)
    assert (props["ResourceType"], props["ResourceId"]) == (resource_type, resource_id)
    assert {t["Key"]: t["Value"] for t in props["Tags"]}["Name"] == name


# FileFormat values per the CloudFormation AWS::EC2::FlowLog DestinationOptions docs: plain-text | parquet.
@pytest.mark.parametrize(
    ("layout", "traffic", "interval", "options"),
    [
        (Layout("parquet", hive=False, hourly=True), "ALL", 60,
         {"FileFormat": "parquet", "HiveCompatiblePartitions": False, "PerHourPartition": True}),
        (Layout("text", hive=True, hourly=False, key_prefix="team/flows"), "ALL", 60,
         {"FileFormat": "plain-text", "HiveCompatiblePartitions": True, "PerHourPartition": False}),
        (Layout("parquet", hive=True, hourly=True), "REJECT", 600,
         {"FileFormat": "parquet", "HiveCompatiblePartitions": True, "PerHourPartition": True}),
    ],
)
def test_flow_log_options(feature_flags: dict[str, Any], layout: Layout, traffic: TrafficType, interval: int,
                          options: dict[str, Any]) -> None:
    props = _props(flow_log(feature_flags, layout=layout, traffic_type=traffic, aggregation_seconds=interval))
    assert props["TrafficType"] == traffic
    assert props["MaxAggregationInterval"] == interval
    assert props["LogDestinationType"] == "s3"
    # exactly the PascalCase keys CloudFormation accepts (aws-cdk#25432 writes camelCase ones)
    assert props["DestinationOptions"] == options


def test_aws_default_fields_give_the_aws_default_format(feature_flags: dict[str, Any]) -> None:
    assert _props(flow_log(feature_flags, fields="aws-default"))["LogFormat"] == AWS_DEFAULT_FORMAT


def test_all_fields_format_has_every_documented_field(feature_flags: dict[str, Any]) -> None:
    names = [token[2:-1] for token in _props(flow_log(feature_flags, fields="all"))["LogFormat"].split(" ")]
    assert len(names) == 54 and len(set(names)) == 54
    assert names[:14] == [t[2:-1] for t in AWS_DEFAULT_FORMAT.split(" ")]
    assert names[-1] == "next-hop-interface-type"


@pytest.mark.parametrize("key_prefix", ["", "team/flows"])
def test_destination_is_the_bucket_arn_and_the_key_prefix(feature_flags: dict[str, Any],
                                                          key_prefix: str) -> None:
    template = flow_log(feature_flags, layout=Layout(key_prefix=key_prefix))
    bucket_arn = {"Fn::GetAtt": [one(template, "AWS::S3::Bucket")[0], "Arn"]}
    expected = {"Fn::Join": ["", [bucket_arn, "/team/flows"]]} if key_prefix else bucket_arn
    assert _props(template)["LogDestination"] == expected


def test_flow_log_waits_for_the_delivery_policy(feature_flags: dict[str, Any]) -> None:
    """Within a stack a DependsOn; across stacks (the kit) the same dependency becomes a stack dependency."""
    template = flow_log(feature_flags)
    policy_id, _ = one(template, "AWS::S3::BucketPolicy")
    assert one(template, "AWS::EC2::FlowLog")[1]["DependsOn"] == [policy_id]
