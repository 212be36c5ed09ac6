"""LogBucket: private, TLS only, ACL free, encrypted, expiring, with the kit-owned delivery policy."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms

from flowkit.layout import Layout
from stacks.constructs import LogBucket
from tests.stacks.constructs.helpers import (
    ACCOUNT,
    DELIVERY,
    DELIVERY_CONDITION,
    SOURCE_ARN,
    bare_stack,
    one,
    resources,
    template_of,
)

pytestmark = pytest.mark.slow

# The storage side of the three test configurations: (layout, retention_days, removal, with a KMS key).
CASES: dict[str, tuple[Layout, int, RemovalPolicy, bool]] = {
    "default": (Layout("parquet", hive=False, hourly=True), 30, RemovalPolicy.DESTROY, False),
    "text_kms": (Layout("text", hive=True, hourly=False, key_prefix="team/flows"), 90, RemovalPolicy.RETAIN,
                 True),
    "eni_reject": (Layout("parquet", hive=True, hourly=True), 30, RemovalPolicy.DESTROY, False),
}


@pytest.fixture(scope="module")
def bucket_templates(feature_flags: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One template per case: the bucket (and, for text_kms, a key made by the test as its input)."""
    templates = {}
    for name, (layout, days, removal, with_key) in CASES.items():
        stack = bare_stack(feature_flags)
        key = kms.Key(stack, "InputKey") if with_key else None
        LogBucket(stack, "Bucket", layout=layout, retention_days=days, removal_policy=removal,
                  encryption_key=key)
        templates[name] = template_of(stack)
    return templates


def _bucket(template: dict[str, Any]) -> dict[str, Any]:
    return dict(one(template, "AWS::S3::Bucket")[1]["Properties"])


def _statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    return list(one(template, "AWS::S3::BucketPolicy")[1]["Properties"]["PolicyDocument"]["Statement"])


@pytest.mark.parametrize("case", sorted(CASES))
def test_bucket_is_private_ssl_only_and_acl_free(bucket_templates: dict[str, Any], case: str) -> None:
    template = bucket_templates[case]
    bucket = _bucket(template)
    assert "BucketName" not in bucket  # auto-generated name
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert "VersioningConfiguration" not in bucket
    deny = [s for s in _statements(template) if s["Effect"] == "Deny"]
    assert deny and deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deny[0]["Action"] == "s3:*"


def test_without_a_key_the_bucket_is_sse_s3(bucket_templates: dict[str, Any]) -> None:
    template = bucket_templates["default"]
    rule = _bucket(template)["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert resources(template, "AWS::KMS::Key") == {}


def test_with_a_key_the_bucket_is_sse_kms_with_that_key(bucket_templates: dict[str, Any]) -> None:
    template = bucket_templates["text_kms"]
    key_id, _ = one(template, "AWS::KMS::Key")
    rule = _bucket(template)["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]},
    }


@pytest.mark.parametrize(
    ("case", "object_prefix"),
    [
        # Resource prefixes spelled from the VPC user guide's delivery policy (reference section 2).
        ("default", "/AWSLogs/"),
        ("text_kms", "/team/flows/AWSLogs/aws-account-id="),
        ("eni_reject", "/AWSLogs/aws-account-id="),
    ],
)
def test_delivery_policy_is_owned_by_the_kit(bucket_templates: dict[str, Any], case: str,
                                             object_prefix: str) -> None:
    template = bucket_templates[case]
    bucket_arn = {"Fn::GetAtt": [one(template, "AWS::S3::Bucket")[0], "Arn"]}
    mine = [s for s in _statements(template) if s.get("Principal") == DELIVERY]
    assert len(mine) == 2
    put = next(s for s in mine if s["Action"] == "s3:PutObject")
    assert put["Effect"] == "Allow"
    assert put["Resource"] == {"Fn::Join": ["", [bucket_arn, object_prefix, ACCOUNT, "/*"]]}
    assert put["Condition"] == {
        "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": SOURCE_ARN},
    }
    check = next(s for s in mine if s is not put)
    assert sorted(check["Action"]) == ["s3:GetBucketAcl", "s3:ListBucket"]
    assert check["Resource"] == bucket_arn
    assert check["Condition"] == DELIVERY_CONDITION


@pytest.mark.parametrize(
    ("case", "root", "days"),
    [("default", "AWSLogs/", 30), ("text_kms", "team/flows/AWSLogs/", 90), ("eni_reject", "AWSLogs/", 30)],
)
def test_lifecycle_expires_logs_and_athena_results(bucket_templates: dict[str, Any], case: str, root: str,
                                                   days: int) -> None:
    rules = _bucket(bucket_templates[case])["LifecycleConfiguration"]["Rules"]
    by_prefix = {r["Prefix"]: r for r in rules}
    assert set(by_prefix) == {root, "athena-results/"}
    assert by_prefix[root]["ExpirationInDays"] == days
    assert by_prefix[root]["Status"] == "Enabled"
    assert 1 <= by_prefix["athena-results/"]["ExpirationInDays"] <= 14
