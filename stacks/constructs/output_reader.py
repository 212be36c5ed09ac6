"""The role capture stacks in other accounts assume to read this stack's outputs (``Fn::GetStackOutput``)."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Aws, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from stacks.constructs.limits import MAX_TRUST_POLICY_CHARS, LimitError, policy_size


def execution_role_pattern(qualifier: str) -> str:
    """ARN pattern of the CloudFormation execution roles ``cdk bootstrap`` makes (any account, region)."""
    return f"arn:{Aws.PARTITION}:iam::*:role/cdk-{qualifier}-cfn-exec-role-*"


class StackOutputReader(Construct):
    """A role that may describe this stack only; the L2 role is the child ``Default``.

    Only the CDK CloudFormation execution roles (bootstrap ``qualifier``) of ``accounts`` (or of any
    account of ``organization_id``) may assume it: ``Fn::GetStackOutput`` uses that role from a stack
    in another account.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, role_name: str, accounts: Sequence[str], qualifier: str,
        organization_id: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        who: dict[str, str | list[str]] = (
            {"aws:PrincipalOrgID": organization_id} if organization_id
            else {"aws:PrincipalAccount": accounts[0] if len(accounts) == 1 else list(accounts)})
        self.role = iam.Role(
            self,
            "Default",
            role_name=role_name,
            description="Lets capture stacks in other accounts read this stack's outputs",
            assumed_by=iam.PrincipalWithConditions(iam.AnyPrincipal(), {
                "StringEquals": who,
                "ArnLike": {"aws:PrincipalArn": execution_role_pattern(qualifier)},
            }),
            inline_policies={"DescribeThisStack": iam.PolicyDocument(statements=[
                iam.PolicyStatement(actions=["cloudformation:DescribeStacks"], resources=[Aws.STACK_ID]),
            ])},
        )
        assert self.role.assume_role_policy is not None  # made from assumed_by
        size = policy_size(Stack.of(self), self.role.assume_role_policy)
        if size > MAX_TRUST_POLICY_CHARS:
            raise LimitError(
                f"capture stacks in {len(accounts)} other accounts need a role trust policy of up to {size} "
                f"characters to read the bucket's stack output, more than IAM's {MAX_TRUST_POLICY_CHARS}; "
                "set organization_id to trust the organisation instead of each account")
