"""The CloudWatch Logs destination of the flow logs: the log group, its optional KMS key, the delivery role.

The role is what the flow logs hand to VPC Flow Logs (``DeliverLogsPermissionArn``): only the service,
for flow logs of this account and region (``aws:SourceAccount``, ``aws:SourceArn``), may assume it, and
it may only create log streams in this log group, write events to them and describe them.
"""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

FLOW_LOGS_SERVICE = "vpc-flow-logs.amazonaws.com"
DELIVERY_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
# What CloudWatch Logs does with the key of an encrypted log group (CloudWatch Logs user guide).
KEY_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]


def log_group_arn(name: str) -> str:
    """The ARN of a log group of this stack's account and region (no ``:*``: the key policy's context)."""
    return f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:{name}"


class FlowLogGroup(Construct):
    """The L1 log group is the child ``Default``; ``key`` (with ``encrypt``) and ``role`` are beside it.

    ``retention_days`` must be a period CloudWatch Logs offers (the settings check it). The key admits
    CloudWatch Logs of this region for this log group only (the encryption context names it).
    """

    def __init__(self, scope: Construct, construct_id: str, *, name: str, investigation: str,
                 retention_days: int, removal_policy: RemovalPolicy, encrypt: bool) -> None:
        super().__init__(scope, construct_id)
        self.name = name
        self.key: kms.Key | None = None
        if encrypt:
            self.key = kms.Key(self, "Key", description=f"Flow logs in CloudWatch Logs of investigation "
                               f"{investigation}", enable_key_rotation=True, removal_policy=removal_policy,
                               pending_window=Duration.days(7))
            region = Stack.of(self).region
            self.key.add_to_resource_policy(iam.PolicyStatement(
                sid="AllowCloudWatchLogsForTheFlowLogGroup",
                principals=[iam.ServicePrincipal(f"logs.{region}.amazonaws.com")],
                actions=KEY_ACTIONS,
                resources=["*"],
                conditions={"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn(name)}},
            ))
        self.log_group = logs.CfnLogGroup(self, "Default", log_group_name=name,
                                          retention_in_days=retention_days,
                                          kms_key_id=self.key.key_arn if self.key else None)
        self.log_group.apply_removal_policy(removal_policy)
        flow_log_arns = f"arn:{Aws.PARTITION}:ec2:{Aws.REGION}:{Aws.ACCOUNT_ID}:vpc-flow-log/*"
        self.role = iam.Role(
            self, "DeliveryRole",
            description=f"Lets VPC Flow Logs deliver investigation {investigation}'s flow logs to {name}",
            assumed_by=iam.ServicePrincipal(FLOW_LOGS_SERVICE, conditions={
                "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                "ArnLike": {"aws:SourceArn": flow_log_arns},
            }),
            inline_policies={"DeliverToTheLogGroup": iam.PolicyDocument(statements=[iam.PolicyStatement(
                sid="WriteTheLogGroup", actions=DELIVERY_ACTIONS,
                # the log group's Arn attribute ends in ":*": its log streams
                resources=[self.log_group.attr_arn],
            )])},
        )

    @property
    def arn(self) -> str:
        return log_group_arn(self.name)
