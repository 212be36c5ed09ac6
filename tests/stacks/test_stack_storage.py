"""Storage stack as composed from settings: its outputs and tags (the bucket itself: constructs/)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.slow


def _bucket_id(synth: Any) -> str:
    (logical_id,) = synth.resources("storage", "AWS::S3::Bucket")
    return str(logical_id)


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


def test_kms_key_only_with_encryption_kms_and_it_encrypts_the_bucket(default_synth: Any,
                                                                    text_kms_synth: Any) -> None:
    """encryption=s3 (default) makes no key; encryption=kms makes one, outputs it and the bucket uses it."""
    assert default_synth.resources("storage", "AWS::KMS::Key") == {}
    assert "KmsKeyArn" not in default_synth.templates["storage"]["Outputs"]
    (key_id,) = text_kms_synth.resources("storage", "AWS::KMS::Key")
    key_arn = {"Fn::GetAtt": [key_id, "Arn"]}
    text_kms_synth.template("storage").has_output("KmsKeyArn", {"Value": key_arn})
    bucket = text_kms_synth.one("storage", "AWS::S3::Bucket")["Properties"]
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}


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
