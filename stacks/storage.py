"""Storage stack: the flow log bucket, its delivery policy and (optionally) its KMS key."""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, Aws, CfnOutput, CfnResource, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from flowkit.aws import stack_outputs as outputs
from flowkit.settings import Settings

DELIVERY_SERVICE = "delivery.logs.amazonaws.com"
RESULTS_EXPIRY_DAYS = 7


def delivery_conditions() -> dict[str, Any]:
    """Confused-deputy guard: only log deliveries made for this account's flow logs."""
    return {
        "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
        "ArnLike": {"aws:SourceArn": f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:*"},
    }


AUTO_DELETE_PROVIDER = "Custom::S3AutoDeleteObjectsCustomResourceProvider"


def drop_redundant_depends_on(stack: Stack) -> None:
    """The auto-delete handler both GetAtt-s and DependsOn its role; keep the GetAtt (cfn-lint W3005)."""
    provider = stack.node.try_find_child(AUTO_DELETE_PROVIDER)
    if provider is None:
        return
    handler = provider.node.find_child("Handler")
    role = provider.node.find_child("Role")
    if isinstance(handler, CfnResource) and isinstance(role, CfnResource):
        handler.remove_resource_dependency(role)


class StorageStack(Stack):
    """The bucket flow logs are delivered to and Athena reads from."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.settings = settings
        destroy = settings.removal == "destroy"
        removal = RemovalPolicy.DESTROY if destroy else RemovalPolicy.RETAIN
        layout = settings.layout

        self.key: kms.Key | None = None
        if settings.encryption == "kms":
            self.key = self._make_key(removal)

        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.KMS if self.key else s3.BucketEncryption.S3_MANAGED,
            encryption_key=self.key,
            bucket_key_enabled=bool(self.key),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=removal,
            auto_delete_objects=destroy,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-flow-logs",
                    prefix=layout.root,
                    expiration=Duration.days(settings.log_retention_days),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                ),
                s3.LifecycleRule(
                    id="expire-athena-results",
                    prefix=outputs.RESULTS_PREFIX,
                    expiration=Duration.days(RESULTS_EXPIRY_DAYS),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                ),
            ],
        )
        self._add_delivery_policy()
        if destroy:
            drop_redundant_depends_on(self)
        assert self.bucket.policy is not None  # created by enforce_ssl
        self.bucket_policy: s3.BucketPolicy = self.bucket.policy
        if not destroy:
            # A retained bucket keeps its policy: the TLS-only Deny must outlive the stack too.
            self.bucket_policy.apply_removal_policy(RemovalPolicy.RETAIN)
        Validations.of(self.bucket.node.default_child or self.bucket).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-S1",
                reason=(
                    "Investigation log bucket: objects are written only by the VPC Flow Logs delivery "
                    "service and read through the kit's Athena workgroup; object-level access can be "
                    "audited with CloudTrail S3 data events, and a separate access-log bucket would "
                    "outlive the investigation's teardown."
                ),
            )
        )
        self._outputs()

    def _make_key(self, removal: RemovalPolicy) -> kms.Key:
        key = kms.Key(
            self,
            "Key",
            description=f"Flow logs of investigation {self.settings.investigation}",
            enable_key_rotation=True,
            removal_policy=removal,
            pending_window=Duration.days(7),
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowVpcFlowLogsDelivery",
                principals=[iam.ServicePrincipal(DELIVERY_SERVICE)],
                actions=["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                         "kms:DescribeKey"],
                resources=["*"],
                conditions=delivery_conditions(),
            )
        )
        return key

    def _add_delivery_policy(self) -> None:
        """The delivery policy the VPC user guide prescribes, owned by the kit (EC2 would overwrite it)."""
        prefix = self.settings.layout.account_prefix(Aws.ACCOUNT_ID)
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AWSLogDeliveryWrite",
                principals=[iam.ServicePrincipal(DELIVERY_SERVICE)],
                actions=["s3:PutObject"],
                resources=[self.bucket.arn_for_objects(prefix + "*")],
                conditions={
                    "StringEquals": {
                        "s3:x-amz-acl": "bucket-owner-full-control",
                        "aws:SourceAccount": Aws.ACCOUNT_ID,
                    },
                    "ArnLike": delivery_conditions()["ArnLike"],
                },
            )
        )
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AWSLogDeliveryCheck",
                principals=[iam.ServicePrincipal(DELIVERY_SERVICE)],
                actions=["s3:GetBucketAcl", "s3:ListBucket"],
                resources=[self.bucket.bucket_arn],
                conditions=delivery_conditions(),
            )
        )

    def _outputs(self) -> None:
        layout = self.settings.layout
        CfnOutput(self, outputs.BUCKET_NAME, value=self.bucket.bucket_name,
                  description="Bucket the flow logs are delivered to")
        CfnOutput(self, outputs.BUCKET_ARN, value=self.bucket.bucket_arn)
        if layout.key_prefix:
            CfnOutput(self, outputs.KEY_PREFIX, value=layout.key_prefix,
                      description="Key prefix in front of AWSLogs/")
        CfnOutput(self, outputs.LOG_ROOT, value=layout.root,
                  description="Folder holding every flow log file of the investigation")
        CfnOutput(self, outputs.LOG_LAYOUT,
                  value=outputs.layout_description(layout.file_format, layout.hive, layout.hourly))
        if self.key:
            CfnOutput(self, outputs.KMS_KEY_ARN, value=self.key.key_arn)
