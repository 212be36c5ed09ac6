"""Storage stack: the flow log bucket, its delivery policy and (optionally) its KMS key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import Aws, CfnOutput, DefaultStackSynthesizer, Fn, RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from flowkit.aws import stack_outputs as outputs
from flowkit.layout import Layout, transit_layout
from flowkit.schedule.config import LINK_DAYS
from flowkit.settings import Settings
from flowkit.settings.accounts import AccountRegion
from stacks.constructs import EvidenceKey, LogBucket, StackOutputReader
from stacks.placement import delivery_sources


def reader_role_name(investigation: str) -> str:
    """Name of the role capture stacks in other accounts assume to read the bucket's ARN output."""
    return f"flowlogs-{investigation}-output-reader"


class StorageStack(Stack):
    """The bucket flow logs are delivered to and Athena reads from (the evidence).

    ``home`` is where it is deployed when capture stacks elsewhere refer to it; ``reader_accounts``
    are the other accounts with capture stacks (they get a role to read the bucket's ARN output).
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, settings: Settings, home: AccountRegion | None = None,
        reader_accounts: Sequence[str] = (), **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.home = home
        removal = RemovalPolicy.DESTROY if settings.removal == "destroy" else RemovalPolicy.RETAIN
        sources = delivery_sources(settings)
        self.key: kms.Key | None = None
        if settings.encryption == "kms":
            key = EvidenceKey(self, "Key", investigation=settings.investigation, removal_policy=removal,
                              sources=sources)
            self.key = key.key
        self.reader_role_name = reader_role_name(settings.investigation)
        if reader_accounts:
            qualifier = self.node.try_get_context("@aws-cdk/core:bootstrapQualifier")
            StackOutputReader(self, "OutputReader", role_name=self.reader_role_name, accounts=reader_accounts,
                              qualifier=qualifier or DefaultStackSynthesizer.DEFAULT_QUALIFIER,
                              organization_id=settings.organization_id)
        log_bucket = LogBucket(
            self,
            "Bucket",
            layout=settings.layout,
            retention_days=settings.log_retention_days,
            removal_policy=removal,
            encryption_key=self.key,
            sources=sources,
            # scheduled reports live as long as the logs they summarize, and at least as long as their links
            reports_expiry_days=(max(settings.log_retention_days, LINK_DAYS) if settings.report_expression
                                 else None),
            transit=transit_layout(settings.layout) if settings.has_transit_gateways else None,
        )
        self.bucket: s3.Bucket = log_bucket.bucket
        self.bucket_policy: s3.BucketPolicy = log_bucket.policy
        self._outputs(settings.layout)

    def bucket_arn_seen_from(self, where: AccountRegion | None) -> str:
        """The bucket's ARN for a capture stack in ``where``: a plain cross-stack reference in this
        account and region, else ``Fn::GetStackOutput`` of the BucketArn output (with the reader role
        from another account)."""
        if where is None or self.home is None or where == self.home:
            return self.bucket.bucket_arn
        role = None
        if where.account != self.home.account:
            role = f"arn:{Aws.PARTITION}:iam::{self.home.account}:role/{self.reader_role_name}"
        return Fn.get_stack_output(self.stack_name, outputs.BUCKET_ARN, self.home.region, role)

    def _outputs(self, layout: Layout) -> None:
        CfnOutput(self, outputs.BUCKET_NAME, value=self.bucket.bucket_name,
                  description="Bucket the flow logs are delivered to")
        CfnOutput(self, outputs.BUCKET_ARN, value=self.bucket.bucket_arn)
        if layout.key_prefix:
            CfnOutput(self, outputs.KEY_PREFIX, value=layout.key_prefix,
                      description="Key prefix in front of AWSLogs/")
        CfnOutput(self, outputs.LOG_ROOT, value=layout.root,
                  description="Folder holding every flow log file of the investigation")
        CfnOutput(self, outputs.LOG_LAYOUT,
                  value=outputs.layout_description(layout))
        if self.key:
            CfnOutput(self, outputs.KMS_KEY_ARN, value=self.key.key_arn)
