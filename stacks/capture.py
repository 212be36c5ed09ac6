"""Capture stack: one VPC flow log per configured VPC, subnet or network interface."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, CfnTag, Fn, Stack
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from flowkit import catalogue
from flowkit.aws import stack_outputs as outputs
from flowkit.settings import Settings
from stacks.storage import StorageStack

# DestinationOptions.FileFormat values CloudFormation accepts for the kit's file_format setting.
FILE_FORMATS: dict[str, str] = {"text": "plain-text", "parquet": "parquet"}
RESOURCE_TYPES: dict[str, str] = {"vpc_ids": "VPC", "subnet_ids": "Subnet", "eni_ids": "NetworkInterface"}


def targets(settings: Settings) -> list[tuple[str, str]]:
    """(CloudFormation ResourceType, resource id) of every flow log, in settings order."""
    return [(kind, rid) for key, kind in RESOURCE_TYPES.items() for rid in getattr(settings, key)]


def destination_options(settings: Settings) -> dict[str, Any]:
    """DestinationOptions with the PascalCase keys CloudFormation requires (see aws-cdk#25432)."""
    return {
        "FileFormat": FILE_FORMATS[settings.file_format],
        "HiveCompatiblePartitions": settings.hive_partitions,
        "PerHourPartition": settings.per_hour_partitions,
    }


class CaptureStack(Stack):
    """Flow logs only: destroying this stack stops capture and keeps the logs queryable."""

    def __init__(
        self, scope: Construct, construct_id: str, *, settings: Settings, storage: StorageStack, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.add_stack_dependency(storage, "flow logs need the bucket and its delivery policy first")
        destination = storage.bucket.bucket_arn
        if settings.key_prefix:
            destination = f"{destination}/{settings.key_prefix}"
        log_format = catalogue.log_format(settings.fields)
        self.flow_logs: list[ec2.CfnFlowLog] = []
        for resource_type, resource_id in targets(settings):
            flow_log = ec2.CfnFlowLog(
                self,
                f"FlowLog-{resource_id}",
                resource_type=resource_type,
                resource_id=resource_id,
                traffic_type=settings.traffic_type,
                log_destination_type="s3",
                log_destination=destination,
                max_aggregation_interval=settings.aggregation_seconds,
                log_format=log_format,
                destination_options=destination_options(settings),
                tags=[CfnTag(key="Name", value=f"{settings.investigation}-{resource_id}")],
            )
            # Cross-stack, this becomes a stack dependency: `cdk destroy --all` deletes every flow
            # log before the storage stack empties and deletes the bucket.
            flow_log.node.add_dependency(storage.bucket_policy)
            self.flow_logs.append(flow_log)
        CfnOutput(
            self,
            outputs.FLOW_LOG_IDS,
            value=Fn.join(",", [flow_log.ref for flow_log in self.flow_logs]),
            description="Flow log ids (comma-separated)",
        )
