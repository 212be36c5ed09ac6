"""Storage stack: bucket hardening, encryption, lifecycle and the kit-owned delivery policy."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Match

pytestmark = pytest.mark.slow

DELIVERY = {"Service": "delivery.logs.amazonaws.com"}
ACCOUNT = {"Ref": "AWS::AccountId"}
SOURCE_ARN = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":logs:", {"Ref": "AWS::Region"}, ":",
                                 ACCOUNT, ":*"]]}


def _bucket_id(synth: Any) -> str:
    (logical_id,) = synth.resources("storage", "AWS::S3::Bucket")
    return str(logical_id)


def _statements(synth: Any) -> list[dict[str, Any]]:
    policy = synth.one("storage", "AWS::S3::BucketPolicy")
    return list(policy["Properties"]["PolicyDocument"]["Statement"])


def test_bucket_is_private_ssl_only_and_acl_free(any_synth: Any) -> None:
    bucket = any_synth.one("storage", "AWS::S3::Bucket")["Properties"]
    assert "BucketName" not in bucket  # auto-generated name
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert "VersioningConfiguration" not in bucket
    deny = [s for s in _statements(any_synth) if s["Effect"] == "Deny"]
    assert deny and deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deny[0]["Action"] == "s3:*"


def test_default_encryption_is_sse_s3_without_a_key(default_synth: Any) -> None:
    bucket = default_synth.one("storage", "AWS::S3::Bucket")["Properties"]
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert default_synth.resources("storage", "AWS::KMS::Key") == {}


def test_kms_encryption_uses_a_rotating_kit_key_the_delivery_service_may_use(text_kms_synth: Any) -> None:
    (key_id, key), = text_kms_synth.resources("storage", "AWS::KMS::Key").items()
    assert key["Properties"]["EnableKeyRotation"] is True
    bucket = text_kms_synth.one("storage", "AWS::S3::Bucket")["Properties"]
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]},
    }
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    delivery = [s for s in statements if s.get("Principal") == DELIVERY]
    assert len(delivery) == 1
    assert {"kms:GenerateDataKey*", "kms:Encrypt", "kms:Decrypt"} <= set(delivery[0]["Action"])
    assert delivery[0]["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT},
                                        "ArnLike": {"aws:SourceArn": SOURCE_ARN}}
    assert key["DeletionPolicy"] == "Retain"  # removal=retain keeps the key that decrypts the logs


@pytest.mark.parametrize(
    ("config", "object_prefix"),
    [
        # Resource prefixes spelled from the VPC user guide's delivery policy (reference section 2).
        ("default", "/AWSLogs/"),
        ("text_kms", "/team/flows/AWSLogs/aws-account-id="),
        ("eni_reject", "/AWSLogs/aws-account-id="),
    ],
)
def test_delivery_policy_is_owned_by_the_kit(synth_config: Any, config: str, object_prefix: str) -> None:
    synth = synth_config(config)
    bucket_arn = {"Fn::GetAtt": [_bucket_id(synth), "Arn"]}
    mine = [s for s in _statements(synth) if s.get("Principal") == DELIVERY]
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
    assert check["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT},
                                  "ArnLike": {"aws:SourceArn": SOURCE_ARN}}


@pytest.mark.parametrize(
    ("config", "root", "days"),
    [("default", "AWSLogs/", 30), ("text_kms", "team/flows/AWSLogs/", 90), ("eni_reject", "AWSLogs/", 30)],
)
def test_lifecycle_expires_logs_and_athena_results(synth_config: Any, config: str, root: str,
                                                   days: int) -> None:
    bucket = synth_config(config).one("storage", "AWS::S3::Bucket")["Properties"]
    rules = bucket["LifecycleConfiguration"]["Rules"]
    by_prefix = {r["Prefix"]: r for r in rules}
    assert set(by_prefix) == {root, "athena-results/"}
    assert by_prefix[root]["ExpirationInDays"] == days
    assert by_prefix[root]["Status"] == "Enabled"
    assert 1 <= by_prefix["athena-results/"]["ExpirationInDays"] <= 14


def test_outputs_name_the_bucket_and_layout(default_synth: Any, text_kms_synth: Any) -> None:
    template = default_synth.template("storage")
    template.has_output("BucketName", {"Value": {"Ref": _bucket_id(default_synth)}})
    template.has_output("LogRoot", {"Value": "AWSLogs/"})
    template.has_output("LogLayout", {"Value": "parquet hive=false hourly=true"})
    assert "KeyPrefix" not in default_synth.templates["storage"]["Outputs"]
    kms = text_kms_synth.template("storage")
    kms.has_output("KeyPrefix", {"Value": "team/flows"})
    kms.has_output("LogRoot", {"Value": "team/flows/AWSLogs/"})
    kms.has_output("LogLayout", {"Value": "text hive=true hourly=false"})
    kms.has_output("KmsKeyArn", {"Value": Match.object_like({"Fn::GetAtt": Match.any_value()})})


def test_every_resource_is_tagged_with_the_investigation(any_synth: Any) -> None:
    tag = {"Key": "flowlogs:investigation", "Value": any_synth.settings.investigation}
    for part in ("storage", "capture", "analytics"):
        # stack tags: CloudFormation propagates them to every resource it can tag
        artifact = any_synth.manifest["artifacts"][any_synth.stack_name(part)]
        assert artifact["properties"]["tags"]["flowlogs:investigation"] == any_synth.settings.investigation
        for logical_id, resource in any_synth.templates[part]["Resources"].items():
            if resource["Type"] in ("AWS::S3::Bucket", "AWS::KMS::Key", "AWS::EC2::FlowLog"):
                assert tag in resource["Properties"]["Tags"], logical_id
    workgroup = any_synth.one("analytics", "AWS::Athena::WorkGroup")
    assert tag in workgroup["Properties"]["Tags"]
