"""CloudWatch stack: the log group flow logs of one account and region deliver to, and its saved queries.

A log group must be in the flow log's own account and region, so every account and region with flow
logs to CloudWatch Logs gets one of these stacks; its capture stacks depend on it, so ``cdk destroy``
removes the flow logs before the log group, and destroying a capture stack alone keeps the logs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import CfnOutput, RemovalPolicy, Stack
from constructs import Construct

from flowkit.aws import stack_outputs as outputs
from flowkit.queries.insights import InsightsQuery
from flowkit.settings import Settings
from stacks.constructs.flow_log_group import FlowLogGroup
from stacks.constructs.insights_query import InsightsQueryDefinition, insights_construct_id


class CloudWatchStack(Stack):
    """The investigation's log group (with its key and delivery role) and saved Logs Insights queries."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings,
                 queries: Sequence[InsightsQuery] = (), **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        removal = RemovalPolicy.DESTROY if settings.removal == "destroy" else RemovalPolicy.RETAIN
        self.log_group = FlowLogGroup(
            self, "LogGroup", name=outputs.log_group_name(settings.investigation),
            investigation=settings.investigation, retention_days=settings.log_retention_days,
            removal_policy=removal, encrypt=settings.encryption == "kms",
        )
        self.queries = [
            InsightsQueryDefinition(self, insights_construct_id(query), query=query, log_group=self.log_group)
            for query in queries
        ]
        CfnOutput(self, outputs.LOG_GROUP_NAME, value=self.log_group.name,
                  description="CloudWatch Logs log group the flow logs deliver to")
        CfnOutput(self, outputs.LOG_GROUP_ARN, value=self.log_group.arn)
        CfnOutput(self, outputs.LOG_FIELDS, value=outputs.table_columns(f.name for f in settings.fields),
                  description="Flow log fields of the records, in LogFormat order")
