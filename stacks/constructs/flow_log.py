"""One flow log to S3 with the DestinationOptions CloudFormation accepts (see aws-cdk#25432)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from aws_cdk import CfnTag
from aws_cdk import aws_ec2 as ec2
from constructs import Construct, IDependable

from flowkit import catalogue
from flowkit.layout import Layout

ResourceType = Literal["VPC", "Subnet", "NetworkInterface", "TransitGateway", "TransitGatewayAttachment"]
TrafficType = Literal["ALL", "ACCEPT", "REJECT"]
# Transit gateway flow logs: no traffic type (AWS refuses one), aggregation over 60 seconds only.
TRANSIT_RESOURCE_TYPES: frozenset[str] = frozenset({"TransitGateway", "TransitGatewayAttachment"})
TRANSIT_AGGREGATION_SECONDS = 60

# DestinationOptions.FileFormat values CloudFormation accepts for each file format.
FILE_FORMATS: dict[str, str] = {"text": "plain-text", "parquet": "parquet"}


def tag_field_specifications(
    tag_keys: Mapping[str, Sequence[str]],
) -> list[ec2.CfnFlowLog.TagFieldSpecificationProperty]:
    """``TagFieldSpecifications``: per resource type the tag keys whose values fill the tag fields."""
    return [ec2.CfnFlowLog.TagFieldSpecificationProperty(resource_type=kind, tag_keys=list(tag_keys[kind]))
            for kind in catalogue.TAG_RESOURCE_TYPES if kind in tag_keys]


def destination_options(layout: Layout) -> dict[str, Any]:
    """A plain dict with PascalCase keys: the L2 and the typed property both come out camelCase."""
    return {
        "FileFormat": FILE_FORMATS[layout.file_format],
        "HiveCompatiblePartitions": layout.hive,
        "PerHourPartition": layout.hourly,
    }


class FlowLog(Construct):
    """The L1 flow log of one VPC, subnet, network interface, transit gateway or attachment is the child
    ``Default``.

    It delivers to ``bucket_arn`` (in this or another account) and waits for ``delivery_policy``
    (across stacks: a stack dependency), so ``cdk destroy`` removes the flow log before the bucket is
    emptied. Transit gateways and attachments take no ``traffic_type`` and aggregate over 60 seconds;
    ``tag_keys`` (resource type to one or two tag keys) fill the tag fields of a VPC flow log.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        resource_type: ResourceType,
        resource_id: str,
        investigation: str,
        bucket_arn: str,
        delivery_policy: IDependable,
        layout: Layout,
        fields: Sequence[catalogue.Field],
        traffic_type: TrafficType | None,
        aggregation_seconds: int,
        tag_keys: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        transit = resource_type in TRANSIT_RESOURCE_TYPES
        if transit and (traffic_type is not None or aggregation_seconds != TRANSIT_AGGREGATION_SECONDS):
            raise ValueError(f"{resource_id}: a transit gateway flow log takes no traffic type and "
                             f"aggregates over {TRANSIT_AGGREGATION_SECONDS} seconds")
        destination = bucket_arn
        if layout.key_prefix:
            destination = f"{destination}/{layout.key_prefix}"
        self.resource = ec2.CfnFlowLog(
            self,
            "Default",
            resource_type=resource_type,
            resource_id=resource_id,
            traffic_type=traffic_type,
            log_destination_type="s3",
            log_destination=destination,
            max_aggregation_interval=aggregation_seconds,
            log_format=catalogue.log_format(fields),
            destination_options=destination_options(layout),
            tag_field_specifications=tag_field_specifications(tag_keys) if tag_keys else None,
            tags=[CfnTag(key="Name", value=f"{investigation}-{resource_id}")],
        )
        self.resource.node.add_dependency(delivery_policy)
