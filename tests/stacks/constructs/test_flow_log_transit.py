"""FlowLog of a transit gateway or attachment, and the tag keys of a VPC flow log (S3 and CloudWatch Logs)."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import aws_s3 as s3

from flowkit import catalogue
from flowkit.layout import Layout
from stacks.constructs import FlowLog, ResourceType
from stacks.constructs.cloudwatch_flow_log import CloudWatchFlowLog
from tests.documented import TRANSIT_GATEWAY_FORMAT
from tests.stacks.constructs.helpers import bare_stack, one, template_of

pytestmark = pytest.mark.slow

TAG_KEYS = {"auto-scaling-group": ["Team"], "instance": ["Name", "Owner"]}


def _flow_log(feature_flags: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    stack = bare_stack(feature_flags)
    bucket = s3.Bucket(stack, "Logs", enforce_ssl=True)
    assert bucket.policy is not None
    FlowLog(stack, "FlowLog", investigation="hub", bucket_arn=bucket.bucket_arn,
            delivery_policy=bucket.policy, **kwargs)
    return dict(one(template_of(stack), "AWS::EC2::FlowLog")[1]["Properties"])


@pytest.mark.parametrize(("resource_type", "resource_id"), [
    ("TransitGateway", "tgw-0123456789abcdef0"),
    ("TransitGatewayAttachment", "tgw-attach-0123456789abcdef0"),
])
def test_transit_gateway_flow_log(feature_flags: dict[str, Any], resource_type: ResourceType,
                                  resource_id: str) -> None:
    props = _flow_log(feature_flags, resource_type=resource_type, resource_id=resource_id,
                      layout=Layout("parquet", key_prefix="transit-gateway"), fields=catalogue.TRANSIT.fields,
                      traffic_type=None, aggregation_seconds=60)
    assert (props["ResourceType"], props["ResourceId"]) == (resource_type, resource_id)
    assert "TrafficType" not in props and "TagFieldSpecifications" not in props
    assert props["MaxAggregationInterval"] == 60
    assert props["LogFormat"] == " ".join("${" + name + "}" for name in TRANSIT_GATEWAY_FORMAT)


@pytest.mark.parametrize(("traffic_type", "interval"), [("ALL", 60), (None, 600)])
def test_transit_gateway_flow_log_refuses_what_aws_refuses(feature_flags: dict[str, Any], traffic_type: Any,
                                                           interval: int) -> None:
    with pytest.raises(ValueError, match="takes no traffic type and aggregates over 60 seconds"):
        _flow_log(feature_flags, resource_type="TransitGateway", resource_id="tgw-01234567", layout=Layout(),
                  fields=catalogue.TRANSIT.fields, traffic_type=traffic_type, aggregation_seconds=interval)


def test_tag_keys_become_tag_field_specifications(feature_flags: dict[str, Any]) -> None:
    props = _flow_log(feature_flags, resource_type="VPC", resource_id="vpc-01234567", layout=Layout(),
                      fields=catalogue.resolve("all"), traffic_type="ALL", aggregation_seconds=60,
                      tag_keys=TAG_KEYS)
    # the CloudFormation reference: a list of {ResourceType, TagKeys}, keys in order (key 1, key 2)
    assert props["TagFieldSpecifications"] == [{"ResourceType": "instance", "TagKeys": ["Name", "Owner"]},
                                               {"ResourceType": "auto-scaling-group", "TagKeys": ["Team"]}]


def test_cloudwatch_flow_log_gets_the_tag_keys_too(feature_flags: dict[str, Any]) -> None:
    stack = bare_stack(feature_flags)
    CloudWatchFlowLog(stack, "FlowLog", resource_type="VPC", resource_id="vpc-01234567", investigation="hub",
                      log_group_name="/flowlogs/hub", role_arn="arn:aws:iam::111122223333:role/r",
                      fields=catalogue.resolve("all"), traffic_type="ALL", aggregation_seconds=60,
                      tag_keys={"network-interface": ["Name"]})
    props = one(template_of(stack), "AWS::EC2::FlowLog")[1]["Properties"]
    assert props["TagFieldSpecifications"] == [{"ResourceType": "network-interface", "TagKeys": ["Name"]}]
