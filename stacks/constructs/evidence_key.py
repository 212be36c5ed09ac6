"""The customer managed KMS key of the evidence (SSE-KMS of the logs and the Athena results)."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from stacks.constructs.delivery import DELIVERY_SERVICE, DEPLOYING, DeliverySources, delivery_conditions

DELIVERY_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]


class EvidenceKey(Construct):
    """A rotating key the delivery service may use for ``sources``; the L2 key is the child ``Default``."""

    def __init__(
        self, scope: Construct, construct_id: str, *, investigation: str, removal_policy: RemovalPolicy,
        sources: DeliverySources = DEPLOYING,
    ) -> None:
        super().__init__(scope, construct_id)
        self.key = kms.Key(
            self,
            "Default",
            description=f"Flow logs of investigation {investigation}",
            enable_key_rotation=True,
            removal_policy=removal_policy,
            pending_window=Duration.days(7),
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowVpcFlowLogsDelivery",
                principals=[iam.ServicePrincipal(DELIVERY_SERVICE)],
                actions=DELIVERY_ACTIONS,
                resources=["*"],
                conditions=delivery_conditions(sources),
            )
        )
