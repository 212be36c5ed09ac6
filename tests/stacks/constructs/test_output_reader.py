"""StackOutputReader: the role other accounts' capture stacks assume to read the bucket's ARN output."""

from __future__ import annotations

from typing import Any

import pytest

from stacks.constructs.limits import LimitError
from stacks.constructs.output_reader import StackOutputReader
from tests.stacks.constructs.helpers import bare_stack, one, template_of

pytestmark = pytest.mark.slow

PATTERN = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::*:role/cdk-q1-cfn-exec-role-*"]]}


def reader(feature_flags: dict[str, Any], accounts: tuple[str, ...], organization_id: str | None = None
           ) -> tuple[str, dict[str, Any]]:
    stack = bare_stack(feature_flags)
    StackOutputReader(stack, "OutputReader", role_name="flowlogs-x-output-reader", accounts=accounts,
                      qualifier="q1", organization_id=organization_id)
    return one(template_of(stack), "AWS::IAM::Role")


def test_only_the_accounts_execution_roles_may_assume_it(feature_flags: dict[str, Any]) -> None:
    logical_id, role = reader(feature_flags, ("444455556666", "777788889999"))
    assert logical_id.startswith("OutputReader")
    assert role["Properties"]["RoleName"] == "flowlogs-x-output-reader"
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"] == {"StringEquals": {"aws:PrincipalAccount": ["444455556666", "777788889999"]},
                                  "ArnLike": {"aws:PrincipalArn": PATTERN}}
    (policy,) = role["Properties"]["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement == {"Action": "cloudformation:DescribeStacks", "Effect": "Allow",
                         "Resource": {"Ref": "AWS::StackId"}}
    assert "ManagedPolicyArns" not in role["Properties"]


def test_with_an_organisation_its_id_replaces_the_account_list(feature_flags: dict[str, Any]) -> None:
    _, role = reader(feature_flags, tuple(f"{200000000000 + n:012d}" for n in range(300)), "o-a1b2c3d4e5")
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"]["StringEquals"] == {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}


def test_a_trust_policy_over_iams_limit_is_one_line(feature_flags: dict[str, Any]) -> None:
    with pytest.raises(LimitError) as err:
        reader(feature_flags, tuple(f"{200000000000 + n:012d}" for n in range(300)))
    (line,) = err.value.problems
    assert line.startswith("capture stacks in 300 other accounts need a role trust policy of up to ")
    assert "more than IAM's 2048; set organization_id" in line
