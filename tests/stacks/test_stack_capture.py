"""Capture stack as composed from settings: one flow log per target, wired to the storage stack's outputs.

The flow log's own properties (options, format, name tag) are tested in constructs/test_flow_log.py.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.slow


def _flow_logs(synth: Any) -> list[dict[str, Any]]:
    return [r["Properties"] for r in synth.resources("capture", "AWS::EC2::FlowLog").values()]


@pytest.mark.parametrize(
    ("config", "targets"),
    [
        ("default", {("VPC", "vpc-0a1b2c3d4e5f67890"), ("Subnet", "subnet-0c4d5e6f7a8b9c0d1"),
                     ("NetworkInterface", "eni-0e1f2a3b4c5d6e7f8")}),
        ("text_kms", {("VPC", "vpc-0a1b2c3d"), ("VPC", "vpc-0123456789abcdef0")}),
        ("eni_reject", {("Subnet", "subnet-0123456789abcdef0"), ("NetworkInterface", "eni-0fedcba9876543210"),
                        ("NetworkInterface", "eni-12345678")}),
    ],
)
def test_one_flow_log_per_target(synth_config: Any, config: str, targets: set[tuple[str, str]]) -> None:
    logs = _flow_logs(synth_config(config))
    assert len(logs) == len(targets)
    assert {(p["ResourceType"], p["ResourceId"]) for p in logs} == targets


def _destination_parts(synth: Any, props: dict[str, Any]) -> tuple[str, str]:
    """(output value the destination reads from storage, literal suffix after it)."""
    dest = props["LogDestination"]
    if "Fn::Join" in dest:
        sep, (ref, *rest) = dest["Fn::Join"]
        suffix = sep.join(rest)
    else:
        ref, suffix = dest, ""
    output = ref["Fn::GetStackOutput"]
    assert output["StackName"] == synth.stack_name("storage")
    value = synth.templates["storage"]["Outputs"][output["OutputName"]]["Value"]
    return value, suffix


def test_destination_is_the_bucket_arn(default_synth: Any) -> None:
    (bucket_id,) = default_synth.resources("storage", "AWS::S3::Bucket")
    for props in _flow_logs(default_synth):
        assert _destination_parts(default_synth, props) == ({"Fn::GetAtt": [bucket_id, "Arn"]}, "")


def test_destination_carries_the_key_prefix(text_kms_synth: Any) -> None:
    (bucket_id,) = text_kms_synth.resources("storage", "AWS::S3::Bucket")
    for props in _flow_logs(text_kms_synth):
        expected = ({"Fn::GetAtt": [bucket_id, "Arn"]}, "/team/flows")
        assert _destination_parts(text_kms_synth, props) == expected


def test_flow_log_ids_output(eni_reject_synth: Any) -> None:
    logs = eni_reject_synth.resources("capture", "AWS::EC2::FlowLog")
    value = eni_reject_synth.templates["capture"]["Outputs"]["FlowLogIds"]["Value"]
    assert value == {"Fn::Join": [",", [{"Ref": logical_id} for logical_id in logs]]}
