"""AWS limits the kit's templates must stay within, and the one-line error when a configuration cannot."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_iam as iam

from flowkit.errors import KitError

MAX_STACK_RESOURCES = 500  # CloudFormation: resources in one stack
MAX_BUCKET_POLICY_BYTES = 20 * 1024  # S3: size of a bucket policy
MAX_TRUST_POLICY_CHARS = 2048  # IAM: a role's trust policy (default quota, whitespace not counted)

# The longest value CloudFormation can put in for a reference, by what is referenced.
_LONGEST_PSEUDO = {"AWS::AccountId": 12, "AWS::Region": 16, "AWS::Partition": 10, "AWS::URLSuffix": 16,
                   "AWS::StackName": 128, "AWS::StackId": 256}
_LONGEST_REF = 63  # a bucket name
_LONGEST_ATTRIBUTE = 128  # the ARN of a bucket, key or role


class LimitError(KitError):
    """A configuration the kit cannot build within an AWS limit (the line names the limit)."""


def _longest(value: Any) -> Any:
    """``value`` with every Ref, Fn::GetAtt and Fn::Join replaced by the longest text it can become."""
    if isinstance(value, list):
        return [_longest(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((function, argument),) = value.items()
        if function == "Ref":
            return "x" * _LONGEST_PSEUDO.get(argument, _LONGEST_REF)
        if function == "Fn::GetAtt":
            return "x" * _LONGEST_ATTRIBUTE
        if function == "Fn::Join":
            separator, parts = argument
            return separator.join(str(_longest(part)) for part in parts)
    return {key: _longest(item) for key, item in value.items()}


def policy_size(stack: Stack, document: iam.PolicyDocument) -> int:
    """Characters of the policy as compact JSON, every reference at its longest deployed value."""
    return len(json.dumps(_longest(stack.resolve(document)), separators=(",", ":")))
