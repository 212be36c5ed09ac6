"""Acknowledging cdk-nag's AwsSolutions-IAM5 finding of one wildcard resource of one IAM resource.

cdk-nag reports each wildcard resource as its own finding, ``AwsSolutions-IAM5[Resource::<flattened ARN>]``,
and accepts only that exact id. An ARN built from another stack's bucket is a cross-stack reference, which
CDK resolves only when it prepares the app, so the id is computed then: in a construct validation, which
runs after the references are resolved and before the validation plugins (cdk-nag) read the tree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import jsii
from aws_cdk import Acknowledgment, CfnResource, Stack, Validations
from constructs import IValidation

RULE = "AwsSolutions::AwsSolutions-IAM5"


def flatten(node: Any) -> str:
    """cdk-nag's flattening of a resolved CloudFormation value (its utils/flatten-cfn-reference)."""
    if isinstance(node, str):
        return node.replace("${", "<").replace("}", ">")
    if isinstance(node, dict) and node.get("Fn::Join"):
        delimiter, items = node["Fn::Join"]
        return str(delimiter).join(flatten(item) for item in items)
    if isinstance(node, dict) and node.get("Fn::Sub"):
        return flatten(node["Fn::Sub"])
    if isinstance(node, dict) and node.get("Fn::GetAtt"):
        resource, attribute = node["Fn::GetAtt"]
        return f"<{flatten(resource)}.{flatten(attribute)}>"
    if isinstance(node, dict) and node.get("Fn::ImportValue"):
        return flatten(node["Fn::ImportValue"])
    if isinstance(node, dict) and node.get("Ref"):
        return f"<{flatten(node['Ref'])}>"
    return json.dumps(node, separators=(",", ":"), ensure_ascii=False)


@jsii.implements(IValidation)
class _Acknowledge:
    def __init__(self, resource: CfnResource, arns: Sequence[str], reason: str) -> None:
        self.resource, self.arns, self.reason = resource, tuple(arns), reason

    def validate(self) -> list[str]:
        stack = Stack.of(self.resource)
        for arn in self.arns:
            finding = f"{RULE}[Resource::{flatten(stack.resolve(arn))}]"
            Validations.of(self.resource).acknowledge(Acknowledgment(id=finding, reason=self.reason))
        return []


def acknowledge_wildcards(resource: CfnResource, arns: Sequence[str], reason: str) -> None:
    """Acknowledge IAM5 on ``resource`` for exactly these wildcard ARNs (tokens allowed), with ``reason``."""
    resource.node.add_validation(_Acknowledge(resource, arns, reason))
