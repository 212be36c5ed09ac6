"""Storage stack: the flow log bucket, its delivery policy and (optionally) its KMS key."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from flowkit.aws import stack_outputs as outputs
from flowkit.layout import Layout
from flowkit.settings import Settings
from stacks.constructs import EvidenceKey, LogBucket


class StorageStack(Stack):
    """The bucket flow logs are delivered to and Athena reads from (the evidence)."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        removal = RemovalPolicy.DESTROY if settings.removal == "destroy" else RemovalPolicy.RETAIN
        self.key: kms.Key | None = None
        if settings.encryption == "kms":
            key = EvidenceKey(self, "Key", investigation=settings.investigation, removal_policy=removal)
            self.key = key.key
        log_bucket = LogBucket(
            self,
            "Bucket",
            layout=settings.layout,
            retention_days=settings.log_retention_days,
            removal_policy=removal,
            encryption_key=self.key,
        )
        self.bucket: s3.Bucket = log_bucket.bucket
        self.bucket_policy: s3.BucketPolicy = log_bucket.policy
        self._outputs(settings.layout)

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
