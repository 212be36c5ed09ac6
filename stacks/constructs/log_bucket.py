"""The evidence bucket: private, TLS only, lifecycle expiry and the kit-owned delivery policy."""

from __future__ import annotations

from aws_cdk import Acknowledgment, CfnResource, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from flowkit.aws.stack_outputs import RESULTS_PREFIX
from flowkit.layout import Layout
from flowkit.schedule.config import REPORTS_PREFIX
from stacks.constructs.delivery import DELIVERY_SERVICE, DEPLOYING, DeliverySources, delivery_conditions
from stacks.constructs.limits import MAX_BUCKET_POLICY_BYTES, LimitError, policy_size

RESULTS_EXPIRY_DAYS = 7
AUTO_DELETE_PROVIDER = "Custom::S3AutoDeleteObjectsCustomResourceProvider"
S1_REASON = (
    "Investigation log bucket: objects are written only by the VPC Flow Logs delivery "
    "service and read through the kit's Athena workgroup; object-level access can be "
    "audited with CloudTrail S3 data events, and a separate access-log bucket would "
    "outlive the investigation's teardown."
)


def drop_redundant_depends_on(stack: Stack) -> None:
    """The auto-delete handler both GetAtt-s and DependsOn its role; keep the GetAtt (cfn-lint W3005)."""
    provider = stack.node.try_find_child(AUTO_DELETE_PROVIDER)
    if provider is None:
        return
    handler = provider.node.find_child("Handler")
    role = provider.node.find_child("Role")
    if isinstance(handler, CfnResource) and isinstance(role, CfnResource):
        handler.remove_resource_dependency(role)


def _expiry(rule_id: str, prefix: str, days: int) -> s3.LifecycleRule:
    return s3.LifecycleRule(id=rule_id, prefix=prefix, expiration=Duration.days(days),
                            abort_incomplete_multipart_upload_after=Duration.days(1))


class LogBucket(Construct):
    """The bucket flow logs are delivered to and Athena reads from; the L2 bucket is the child ``Default``.

    ``removal_policy`` DESTROY empties the bucket on delete; RETAIN keeps it and its TLS-only policy.
    ``sources`` are the accounts (or organisation) and regions whose flow logs may be delivered, in
    ``layout`` and, when transit gateways are captured, in ``transit`` (their own key prefix).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        layout: Layout,
        retention_days: int,
        removal_policy: RemovalPolicy,
        encryption_key: kms.IKey | None = None,
        sources: DeliverySources = DEPLOYING,
        reports_expiry_days: int | None = None,
        transit: Layout | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        destroy = removal_policy == RemovalPolicy.DESTROY
        self.bucket = s3.Bucket(
            self,
            "Default",
            encryption=s3.BucketEncryption.KMS if encryption_key else s3.BucketEncryption.S3_MANAGED,
            encryption_key=encryption_key,
            bucket_key_enabled=bool(encryption_key),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=removal_policy,
            auto_delete_objects=destroy,
            lifecycle_rules=[
                _expiry("expire-flow-logs", layout.root, retention_days),
                *([_expiry("expire-transit-gateway-flow-logs", transit.root, retention_days)]
                  if transit else []),
                _expiry("expire-athena-results", RESULTS_PREFIX, RESULTS_EXPIRY_DAYS),
                *([_expiry("expire-reports", REPORTS_PREFIX, reports_expiry_days)]  # the scheduled report's
                  if reports_expiry_days else []),
            ],
        )
        self._add_delivery_policy([layout, *([transit] if transit else [])], sources)
        if destroy:
            drop_redundant_depends_on(Stack.of(self))
        assert self.bucket.policy is not None  # created by enforce_ssl
        self.policy: s3.BucketPolicy = self.bucket.policy
        size = policy_size(Stack.of(self), self.policy.document)
        if size > MAX_BUCKET_POLICY_BYTES:
            raise LimitError(
                f"the bucket policy for {len(sources.accounts)} account(s) and {len(sources.regions)} "
                f"region(s) would be up to {size} bytes, more than S3's {MAX_BUCKET_POLICY_BYTES} (20 KB); "
                "set organization_id to admit the organisation instead of each account")
        if not destroy:
            # A retained bucket keeps its policy: the TLS-only Deny must outlive the stack too.
            self.policy.apply_removal_policy(RemovalPolicy.RETAIN)
        Validations.of(self.bucket.node.default_child or self.bucket).acknowledge(
            Acknowledgment(id="AwsSolutions::AwsSolutions-S1", reason=S1_REASON)
        )

    def _add_delivery_policy(self, layouts: list[Layout], sources: DeliverySources) -> None:
        """The delivery policy the VPC user guide prescribes, owned by the kit (EC2 would overwrite it)."""
        conditions = delivery_conditions(sources)
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AWSLogDeliveryWrite",
                principals=[iam.ServicePrincipal(DELIVERY_SERVICE)],
                actions=["s3:PutObject"],
                resources=[self.bucket.arn_for_objects(layout.account_prefix(sources.account_folder) + "*")
                           for layout in layouts],
                conditions={
                    "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                     **conditions["StringEquals"]},
                    "ArnLike": conditions["ArnLike"],
                },
            )
        )
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AWSLogDeliveryCheck",
                principals=[iam.ServicePrincipal(DELIVERY_SERVICE)],
                actions=["s3:GetBucketAcl", "s3:ListBucket"],
                resources=[self.bucket.bucket_arn],
                conditions=conditions,
            )
        )
