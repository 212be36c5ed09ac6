"""The VPC Flow Logs delivery service, who it may deliver for, and the confused-deputy guard of each grant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import Aws

DELIVERY_SERVICE = "delivery.logs.amazonaws.com"


@dataclass(frozen=True)
class DeliverySources:
    """The accounts (or the organisation) and regions whose flow logs may be delivered.

    The defaults are the deploying stack's own account and region (CloudFormation pseudo parameters).
    ``accounts`` also name the table's projected accounts when ``organization_id`` admits more.
    """

    accounts: tuple[str, ...] = (Aws.ACCOUNT_ID,)
    regions: tuple[str, ...] = (Aws.REGION,)
    organization_id: str | None = None

    @property
    def account_folder(self) -> str:
        """The account folder deliveries may write to: the one account's, else ``*``.

        With several accounts (or an organisation) the account conditions say whose deliveries are
        admitted, so the bucket policy grows by one account id per account, never by a resource ARN.
        """
        return self.accounts[0] if len(self.accounts) == 1 and not self.organization_id else "*"


DEPLOYING = DeliverySources()


def _one_or_list(values: Sequence[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else list(values)


def delivery_conditions(sources: DeliverySources = DEPLOYING) -> dict[str, Any]:
    """Only deliveries made for the sources' flow logs: aws:SourceAccount (or aws:SourceOrgID), aws:SourceArn.

    The source ARN of a delivery is in the source account, so one ARN pattern per region (any account
    when there are several, the account itself when there is one) with the account condition admits
    exactly accounts x regions, and the policy grows with accounts + regions, not their product.
    """
    if sources.organization_id:
        who: dict[str, Any] = {"aws:SourceOrgID": sources.organization_id}
        arn_account = "*"
    else:
        who = {"aws:SourceAccount": _one_or_list(sources.accounts)}
        arn_account = sources.accounts[0] if len(sources.accounts) == 1 else "*"
    arns = [f"arn:{Aws.PARTITION}:logs:{region}:{arn_account}:*" for region in sources.regions]
    return {"StringEquals": who, "ArnLike": {"aws:SourceArn": _one_or_list(arns)}}
