"""A deployed investigation, as far as the kit reads it: CloudFormation stacks with outputs (in moto)."""

from __future__ import annotations

import json

import boto3


def create_stack(name: str, outputs: dict[str, str], region: str | None = None) -> None:
    """A stack whose only job is to carry ``outputs`` (one placeholder resource, as a template needs one)."""
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    boto3.client("cloudformation", region_name=region).create_stack(StackName=name,
                                                                    TemplateBody=json.dumps(template))
