"""One VPC flow log to the investigation's CloudWatch Logs log group (no DestinationOptions: S3 only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import CfnTag
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from flowkit import catalogue
from stacks.constructs.flow_log import ResourceType, TrafficType, tag_field_specifications

DESTINATION_TYPE = "cloud-watch-logs"


class CloudWatchFlowLog(Construct):
    """The L1 flow log of one VPC, subnet or network interface is the child ``Default``.

    It delivers to the log group ``log_group_name`` of its own account and region through the role
    ``role_arn`` (VPC Flow Logs assumes it); one log stream per network interface. ``tag_keys`` fill
    the tag fields, as for :class:`~stacks.constructs.flow_log.FlowLog`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        resource_type: ResourceType,
        resource_id: str,
        investigation: str,
        log_group_name: str,
        role_arn: str,
        fields: Sequence[catalogue.Field],
        traffic_type: TrafficType,
        aggregation_seconds: int,
        tag_keys: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.resource = ec2.CfnFlowLog(
            self,
            "Default",
            resource_type=resource_type,
            resource_id=resource_id,
            traffic_type=traffic_type,
            log_destination_type=DESTINATION_TYPE,
            log_group_name=log_group_name,
            deliver_logs_permission_arn=role_arn,
            max_aggregation_interval=aggregation_seconds,
            log_format=catalogue.log_format(fields),
            tag_field_specifications=tag_field_specifications(tag_keys) if tag_keys else None,
            tags=[CfnTag(key="Name", value=f"{investigation}-{resource_id}-cloudwatch")],
        )
