"""Capture stack: one VPC flow log per configured VPC, subnet or network interface."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Fn, Stack
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from flowkit.aws import stack_outputs as outputs
from flowkit.settings import Settings
from stacks.constructs import FlowLog, ResourceType
from stacks.storage import StorageStack

RESOURCE_TYPES: dict[str, ResourceType] = {
    "vpc_ids": "VPC", "subnet_ids": "Subnet", "eni_ids": "NetworkInterface",
}


def targets(settings: Settings) -> list[tuple[ResourceType, str]]:
    """(CloudFormation ResourceType, resource id) of every flow log, in settings order."""
    return [(kind, rid) for key, kind in RESOURCE_TYPES.items() for rid in getattr(settings, key)]


class CaptureStack(Stack):
    """Flow logs only: destroying this stack stops capture and keeps the logs queryable."""

    def __init__(
        self, scope: Construct, construct_id: str, *, settings: Settings, storage: StorageStack, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.add_stack_dependency(storage, "flow logs need the bucket and its delivery policy first")
        self.flow_logs: list[ec2.CfnFlowLog] = [
            # Waiting for the delivery policy becomes, cross-stack, a stack dependency: `cdk destroy --all`
            # deletes every flow log before the storage stack empties and deletes the bucket.
            FlowLog(
                self, f"FlowLog-{resource_id}", resource_type=resource_type, resource_id=resource_id,
                investigation=settings.investigation, bucket=storage.bucket,
                delivery_policy=storage.bucket_policy, layout=settings.layout, fields=settings.fields,
                traffic_type=settings.traffic_type, aggregation_seconds=settings.aggregation_seconds,
            ).resource
            for resource_type, resource_id in targets(settings)
        ]
        CfnOutput(
            self,
            outputs.FLOW_LOG_IDS,
            value=Fn.join(",", [flow_log.ref for flow_log in self.flow_logs]),
            description="Flow log ids (comma-separated)",
        )
