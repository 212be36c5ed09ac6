"""Helpers of the construct tests: a bare stack with the cdk.json feature flags, and its template.

tests/synths.py (imported by tests/conftest.py, loaded first) sets CDK_VALIDATION=false before aws_cdk
is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import App, Stack
from aws_cdk.assertions import Template

ACCOUNT = {"Ref": "AWS::AccountId"}
DELIVERY = {"Service": "delivery.logs.amazonaws.com"}
# aws:SourceArn condition of every grant to the delivery service, spelled from the VPC user guide.
SOURCE_ARN = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":logs:", {"Ref": "AWS::Region"}, ":",
                                 ACCOUNT, ":*"]]}
DELIVERY_CONDITION = {"StringEquals": {"aws:SourceAccount": ACCOUNT},
                      "ArnLike": {"aws:SourceArn": SOURCE_ARN}}


def bare_stack(feature_flags: Mapping[str, Any]) -> Stack:
    """A new ``Stack`` in its own ``App`` with the shipped feature flags (as ``cdk synth`` uses them)."""
    return Stack(App(context=dict(feature_flags)), "Test")


def template_of(stack: Stack) -> dict[str, Any]:
    """The stack's synthesized template, as a plain dict."""
    return dict(Template.from_stack(stack).to_json())


def resources(template: Mapping[str, Any], rtype: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == rtype}


def one(template: Mapping[str, Any], rtype: str) -> tuple[str, dict[str, Any]]:
    """(logical id, resource) of the only resource of ``rtype``."""
    found = resources(template, rtype)
    assert len(found) == 1, f"{len(found)} {rtype}"
    ((logical_id, resource),) = found.items()
    return logical_id, resource
