"""QueryWorkGroup: engine v3, enforced configuration, per-query scan cutoff, encrypted results."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from stacks.constructs import QueryWorkGroup
from tests.stacks.constructs.helpers import bare_stack, one, template_of

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("name", "limit_gb", "with_key", "cutoff"),
    # query_limit_gb * 1024**3, computed by hand: 10 GiB, 2.5 GiB, 0.01 GiB (above Athena's 10 MiB minimum)
    [("flowlogs-demo", 10, False, 10_737_418_240), ("flowlogs-case-42", 2.5, True, 2_684_354_560),
     ("netsec-rejects", 0.01, False, 10_737_418)],
)
def test_workgroup(feature_flags: dict[str, Any], name: str, limit_gb: float, with_key: bool,
                   cutoff: int) -> None:
    stack = bare_stack(feature_flags)
    bucket = s3.Bucket(stack, "Logs")
    key = kms.Key(stack, "InputKey") if with_key else None
    workgroup = QueryWorkGroup(stack, "WorkGroup", name=name, investigation="demo", query_limit_gb=limit_gb,
                               bucket=bucket, encryption_key=key)
    template = template_of(stack)
    logical_id, resource = one(template, "AWS::Athena::WorkGroup")
    assert logical_id == "WorkGroup"  # the fixed-name workgroup must never be replaced
    props = resource["Properties"]
    assert props["Name"] == name
    conf = props["WorkGroupConfiguration"]
    assert conf["EngineVersion"] == {"SelectedEngineVersion": "Athena engine version 3"}
    assert conf["EnforceWorkGroupConfiguration"] is True
    assert conf["PublishCloudWatchMetricsEnabled"] is True
    assert conf["BytesScannedCutoffPerQuery"] == cutoff
    assert cutoff >= 10 * 1024 * 1024
    location = conf["ResultConfiguration"]["OutputLocation"]
    bucket_id, _ = one(template, "AWS::S3::Bucket")
    assert location == {"Fn::Join": ["", ["s3://", {"Ref": bucket_id}, "/athena-results/"]]}
    encryption = conf["ResultConfiguration"]["EncryptionConfiguration"]
    if with_key:
        key_id, _ = one(template, "AWS::KMS::Key")
        assert encryption == {"EncryptionOption": "SSE_KMS", "KmsKey": {"Fn::GetAtt": [key_id, "Arn"]}}
    else:
        assert encryption == {"EncryptionOption": "SSE_S3"}
    # what the analytics stack outputs (WorkGroupName, ResultsLocation) is what the workgroup uses
    assert workgroup.name == name
    assert Stack.of(workgroup).resolve(workgroup.results_location) == location
