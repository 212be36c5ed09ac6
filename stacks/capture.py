"""Capture stack: the VPC flow logs of the targets of one account and region (or one share of them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import CfnOutput, Fn, Stack
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from flowkit import catalogue
from flowkit.aws import stack_outputs as outputs
from flowkit.layout import transit_layout
from flowkit.settings import Settings
from stacks.cloudwatch import CloudWatchStack
from stacks.constructs import FlowLog
from stacks.constructs.cloudwatch_flow_log import CloudWatchFlowLog
from stacks.constructs.flow_log import TRANSIT_AGGREGATION_SECONDS
from stacks.placement import Target
from stacks.storage import StorageStack


class CaptureStack(Stack):
    """Flow logs only: destroying this stack stops their capture and keeps the logs queryable.

    With ``storage`` they deliver to ``bucket_arn`` (the storage stack's bucket as this stack's account
    and region sees it); with ``cloudwatch`` (the CloudWatch stack of this account and region) to its
    log group; with both, each target gets one flow log to each. Transit gateways and attachments
    deliver to the bucket only, in their own record format and under their own key prefix.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, settings: Settings, storage: StorageStack | None,
        targets: Sequence[Target], bucket_arn: str | None, cloudwatch: CloudWatchStack | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.flow_logs: list[ec2.CfnFlowLog] = []
        if storage is not None and bucket_arn is not None:
            self.add_stack_dependency(storage, "flow logs need the bucket and its delivery policy first")
            # Waiting for the delivery policy becomes, cross-stack, a stack dependency: `cdk destroy
            # --all` deletes every flow log before the storage stack empties and deletes the bucket.
            self.flow_logs += [self._to_bucket(settings, storage, bucket_arn, target) for target in targets]
        self.cloudwatch_flow_logs: list[ec2.CfnFlowLog] = []
        if cloudwatch is not None:
            # the log group before its flow logs; `cdk destroy --all` deletes them before the log group
            self.add_stack_dependency(cloudwatch, "flow logs need their log group and delivery role first")
            self.cloudwatch_flow_logs = [
                CloudWatchFlowLog(
                    self, f"CloudWatchFlowLog-{target.resource_id}", resource_type=target.resource_type,
                    resource_id=target.resource_id, investigation=settings.investigation,
                    log_group_name=cloudwatch.log_group.name, role_arn=cloudwatch.log_group.role.role_arn,
                    fields=settings.fields, traffic_type=settings.traffic_type,
                    aggregation_seconds=settings.aggregation_seconds, tag_keys=settings.tag_fields,
                ).resource
                for target in targets if not target.is_transit
            ]
        # the flow logs to the bucket (what `flowlogs doctor` checks against it), and those to CloudWatch Logs
        for key, flow_logs, what in ((outputs.FLOW_LOG_IDS, self.flow_logs, ""),
                                     (outputs.CLOUDWATCH_FLOW_LOG_IDS, self.cloudwatch_flow_logs,
                                      " to CloudWatch Logs")):
            if flow_logs:  # an output cannot be empty
                CfnOutput(self, key, value=Fn.join(",", [flow_log.ref for flow_log in flow_logs]),
                          description=f"Flow log ids{what} (comma-separated)")

    def _to_bucket(self, settings: Settings, storage: StorageStack, bucket_arn: str,
                   target: Target) -> ec2.CfnFlowLog:
        """A VPC flow log in the settings' format, or a transit gateway one in its own format and folder."""
        if target.is_transit:
            layout, fields = transit_layout(settings.layout), catalogue.TRANSIT.fields
            traffic_type, interval, tag_keys = None, TRANSIT_AGGREGATION_SECONDS, None
        else:
            layout, fields = settings.layout, settings.fields
            traffic_type, interval, tag_keys = (settings.traffic_type, settings.aggregation_seconds,
                                                settings.tag_fields)
        return FlowLog(
            self, f"FlowLog-{target.resource_id}", resource_type=target.resource_type,
            resource_id=target.resource_id, investigation=settings.investigation, bucket_arn=bucket_arn,
            delivery_policy=storage.bucket_policy, layout=layout, fields=fields, traffic_type=traffic_type,
            aggregation_seconds=interval, tag_keys=tag_keys,
        ).resource
