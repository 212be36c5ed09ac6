"""Teardown: destroy removes flow logs before the bucket is emptied; retain keeps the data."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.slow

AUTO_DELETE = "Custom::S3AutoDeleteObjects"


def test_destroy_deletes_the_bucket_after_emptying_it(default_synth: Any) -> None:
    (bucket_id, bucket), = default_synth.resources("storage", "AWS::S3::Bucket").items()
    assert bucket["DeletionPolicy"] == "Delete"
    assert bucket["UpdateReplacePolicy"] == "Delete"
    (auto_delete,) = default_synth.resources("storage", AUTO_DELETE).values()
    assert auto_delete["Properties"]["BucketName"] == {"Ref": bucket_id}
    # the emptying custom resource goes first on delete (it depends on the bucket policy)
    (policy_id, policy), = default_synth.resources("storage", "AWS::S3::BucketPolicy").items()
    assert policy_id in auto_delete["DependsOn"]
    # the policy goes with the bucket (CloudFormation's default when DeletionPolicy is absent is Delete)
    assert policy.get("DeletionPolicy", "Delete") == "Delete"
    assert policy.get("UpdateReplacePolicy", "Delete") == "Delete"


def test_retain_keeps_bucket_its_policy_and_objects(text_kms_synth: Any) -> None:
    bucket = text_kms_synth.one("storage", "AWS::S3::Bucket")
    assert bucket["DeletionPolicy"] == "Retain"
    assert bucket["UpdateReplacePolicy"] == "Retain"
    # the retained bucket keeps enforcing TLS: its policy (with the SecureTransport Deny) is retained too
    policy = text_kms_synth.one("storage", "AWS::S3::BucketPolicy")
    assert policy["DeletionPolicy"] == "Retain"
    assert policy["UpdateReplacePolicy"] == "Retain"
    deny = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert [s["Condition"] for s in deny] == [{"Bool": {"aws:SecureTransport": "false"}}]
    key = text_kms_synth.one("storage", "AWS::KMS::Key")
    assert key["DeletionPolicy"] == key["UpdateReplacePolicy"] == "Retain"
    assert text_kms_synth.resources("storage", AUTO_DELETE) == {}
    assert text_kms_synth.resources("storage", "AWS::Lambda::Function") == {}


def test_capture_and_analytics_depend_on_storage(any_synth: Any) -> None:
    """`cdk destroy --all` deletes dependants first: every flow log is gone before the bucket is emptied."""
    artifacts = any_synth.manifest["artifacts"]
    storage = any_synth.stack_name("storage")
    for part in ("capture", "analytics"):
        assert storage in artifacts[any_synth.stack_name(part)]["dependencies"]
    assert not {any_synth.stack_name("capture"), any_synth.stack_name("analytics")} & set(
        artifacts[storage].get("dependencies", [])
    )
    # capture can be destroyed on its own: nothing else needs it
    assert any_synth.stack_name("capture") not in artifacts[any_synth.stack_name("analytics")]["dependencies"]


def test_flow_logs_depend_on_the_bucket_policy() -> None:
    """Construct-level dependency on the delivery policy (cross-stack it becomes the stack dependency)."""
    from aws_cdk import App

    from flowkit.settings import load
    from stacks import build

    settings = load({"investigation": "deps", "eni_ids": ["eni-0fedcba9876543210", "eni-12345678"]})
    kit = build(App(), settings, [], nag=False)
    assert kit.capture.flow_logs
    policy = kit.storage.bucket_policy.node.path
    assert policy == "flowlogs-deps-storage/Bucket/Default/Policy"  # the L2 bucket is LogBucket's Default
    for flow_log in kit.capture.flow_logs:
        assert [d.node.path for d in flow_log.node.dependencies] == [policy]
    assert [s.stack_name for s in kit.capture.dependencies] == ["flowlogs-deps-storage"]


def test_workgroup_deletes_recursively(any_synth: Any) -> None:
    workgroup = any_synth.one("analytics", "AWS::Athena::WorkGroup")["Properties"]
    assert workgroup["RecursiveDeleteOption"] is True


def test_capture_stack_holds_only_flow_logs(any_synth: Any) -> None:
    """Destroying the capture stack alone stops capture and touches nothing that holds data."""
    types = {r["Type"] for r in any_synth.templates["capture"]["Resources"].values()}
    assert types <= {"AWS::EC2::FlowLog", "AWS::CDK::Metadata"}
