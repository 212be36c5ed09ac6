"""Flattening a resolved ARN the way cdk-nag names an AwsSolutions-IAM5 finding.

The expected strings are the finding ids cdk-nag 3.0.2 printed for the report function's role, once in a
bare stack (the bucket a local GetAtt) and once in the app (the bucket a weak cross-stack reference).
"""

from __future__ import annotations

from stacks.constructs.nag_wildcards import flatten

LOCAL = {"Fn::Join": ["", [{"Fn::GetAtt": ["Logs6819BB44", "Arn"]}, "/org/flows/AWSLogs/*"]]}
CROSS_STACK = {"Fn::Join": ["", [
    {"Fn::GetStackOutput": {"StackName": "flowlogs-demo-storage", "Region": {"Ref": "AWS::Region"},
                            "OutputName": "PublishOutputFnGetAttBucket83908E77Arn0F129B3B"}},
    "/reports/*"]]}


def test_local_reference_is_named_by_logical_id_and_attribute() -> None:
    assert flatten(LOCAL) == "<Logs6819BB44.Arn>/org/flows/AWSLogs/*"


def test_other_intrinsics_are_kept_as_compact_json() -> None:
    assert flatten(CROSS_STACK) == (
        '{"Fn::GetStackOutput":{"StackName":"flowlogs-demo-storage","Region":{"Ref":"AWS::Region"},'
        '"OutputName":"PublishOutputFnGetAttBucket83908E77Arn0F129B3B"}}/reports/*')


def test_refs_and_sub_placeholders_become_angle_brackets() -> None:
    assert flatten({"Ref": "Topic"}) == "<Topic>"
    assert flatten({"Fn::Sub": "arn:${AWS::Partition}:s3:::b/*"}) == "arn:<AWS::Partition>:s3:::b/*"
