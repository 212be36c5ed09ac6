"""One VPC flow log to S3 with the DestinationOptions CloudFormation accepts (see aws-cdk#25432)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from aws_cdk import CfnTag
from aws_cdk import aws_ec2 as ec2
from constructs import Construct, IDependable

from flowkit import catalogue
from flowkit.layout import Layout

ResourceType = Literal["VPC", "Subnet", "NetworkInterface"]
TrafficType = Literal["ALL", "ACCEPT", "REJECT"]

# DestinationOptions.FileFormat values CloudFormation accepts for each file format.
FILE_FORMATS: dict[str, str] = {"text": "plain-text", "parquet": "parquet"}


def destination_options(layout: Layout) -> dict[str, Any]:
    """A plain dict with PascalCase keys: the L2 and the typed property both come out camelCase."""
    return {
        "FileFormat": FILE_FORMATS[layout.file_format],
        "HiveCompatiblePartitions": layout.hive,
        "PerHourPartition": layout.hourly,
    }


class FlowLog(Construct):
    """The L1 flow log of one VPC, subnet or network interface is the child ``Default``.

    It delivers to ``bucket_arn`` (in this or another account) and waits for ``delivery_policy``
    (across stacks: a stack dependency), so ``cdk destroy`` removes the flow log before the bucket is
    emptied.
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
        traffic_type: TrafficType,
        aggregation_seconds: int,
    ) -> None:
        super().__init__(scope, construct_id)
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
            tags=[CfnTag(key="Name", value=f"{investigation}-{resource_id}")],
        )
        self.resource.node.add_dependency(delivery_policy)
