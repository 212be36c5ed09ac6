"""Bucket and key policies for named accounts, several accounts, or an organisation; the 20 KB limit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import RemovalPolicy

from flowkit.layout import Layout
from stacks.constructs import EvidenceKey, LogBucket
from stacks.constructs.delivery import DeliverySources
from stacks.constructs.limits import LimitError
from tests.stacks.constructs.helpers import DELIVERY, bare_stack, one, template_of

pytestmark = pytest.mark.slow

A, B = "111122223333", "444455556666"
ORG = "o-a1b2c3d4e5"
PARTITION = {"Ref": "AWS::Partition"}


def _arn(region: str, account: str) -> dict[str, Any]:
    return {"Fn::Join": ["", ["arn:", PARTITION, f":logs:{region}:{account}:*"]]}


def policies(feature_flags: dict[str, Any], sources: DeliverySources) -> tuple[list[Any], list[Any], Any]:
    """(bucket delivery statements, key delivery statements, bucket ARN) for one set of sources."""
    stack = bare_stack(feature_flags)
    key = EvidenceKey(stack, "Key", investigation="x", removal_policy=RemovalPolicy.DESTROY, sources=sources)
    LogBucket(stack, "Bucket", layout=Layout(), retention_days=3, removal_policy=RemovalPolicy.DESTROY,
              encryption_key=key.key, sources=sources)
    template = template_of(stack)
    bucket = one(template, "AWS::S3::BucketPolicy")[1]["Properties"]["PolicyDocument"]["Statement"]
    key_policy = one(template, "AWS::KMS::Key")[1]["Properties"]["KeyPolicy"]["Statement"]
    bucket_arn = {"Fn::GetAtt": [one(template, "AWS::S3::Bucket")[0], "Arn"]}
    return ([s for s in bucket if s.get("Principal") == DELIVERY],
            [s for s in key_policy if s.get("Principal") == DELIVERY], bucket_arn)


@pytest.mark.parametrize(
    ("sources", "who", "source_arns", "folder"),
    [
        # one named account and region: exactly the VPC user guide's policy, with the ids spelled out
        (DeliverySources((A,), ("eu-west-1",)), {"aws:SourceAccount": A}, _arn("eu-west-1", A), A),
        # several: one list of accounts, one ARN pattern per region (the source ARN's account is the source)
        (DeliverySources((A, B), ("eu-west-1", "us-east-1")), {"aws:SourceAccount": [A, B]},
         [_arn("eu-west-1", "*"), _arn("us-east-1", "*")], "*"),
        # an organisation: its id instead of any account list
        (DeliverySources((A, B), ("eu-west-1",), ORG), {"aws:SourceOrgID": ORG}, _arn("eu-west-1", "*"), "*"),
    ],
)
def test_bucket_and_key_admit_exactly_the_sources(feature_flags: dict[str, Any], sources: DeliverySources,
                                                  who: dict[str, Any], source_arns: Any, folder: str) -> None:
    bucket, key, bucket_arn = policies(feature_flags, sources)
    condition = {"StringEquals": who, "ArnLike": {"aws:SourceArn": source_arns}}
    write = next(s for s in bucket if s["Action"] == "s3:PutObject")
    check = next(s for s in bucket if s is not write)
    assert write["Condition"] == {
        "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", **who},
        "ArnLike": {"aws:SourceArn": source_arns},
    }
    assert write["Resource"] == {"Fn::Join": ["", [bucket_arn, f"/AWSLogs/{folder}/*"]]}
    assert check["Condition"] == condition
    (key_statement,) = key
    assert key_statement["Condition"] == condition


def test_an_organisation_needs_no_account_list_in_any_policy(feature_flags: dict[str, Any]) -> None:
    many = tuple(f"{200000000000 + n:012d}" for n in range(1000))
    bucket, key, _ = policies(feature_flags, DeliverySources(many, ("eu-west-1",), ORG))
    assert "aws:SourceAccount" not in json.dumps([bucket, key])
    assert many[0] not in json.dumps([bucket, key])


def test_a_bucket_policy_over_20_kb_is_one_line_naming_the_limit(feature_flags: dict[str, Any]) -> None:
    many = tuple(f"{200000000000 + n:012d}" for n in range(1000))
    with pytest.raises(LimitError) as err:
        policies(feature_flags, DeliverySources(many, ("eu-west-1", "us-east-1")))
    (line,) = err.value.problems
    assert line.startswith("the bucket policy for 1000 account(s) and 2 region(s) would be up to ")
    assert "more than S3's 20480 (20 KB); set organization_id" in line
