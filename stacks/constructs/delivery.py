"""The VPC Flow Logs delivery service and the confused-deputy guard every grant to it carries."""

from __future__ import annotations

from typing import Any

from aws_cdk import Aws

DELIVERY_SERVICE = "delivery.logs.amazonaws.com"


def delivery_conditions() -> dict[str, Any]:
    """Only log deliveries made for this account's flow logs (aws:SourceAccount, aws:SourceArn)."""
    return {
        "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
        "ArnLike": {"aws:SourceArn": f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:*"},
    }
