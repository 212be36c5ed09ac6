"""cfn-lint and cdk-nag over every stack of the CloudWatch Logs configurations: no finding, no acknowledgment.

(tests/stacks/test_stack_lint.py lints the storage, capture and analytics stacks of every configuration
with a bucket, and the whole app's cdk-nag report of "both".)
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("config", ["cloudwatch", "both"])
def test_cfn_lint_has_no_findings_in_any_stack(synth_config: Any, config: str) -> None:
    from cfnlint.api import lint

    synth = synth_config(config)
    assert any("-cloudwatch" in name for name in synth.stacks)
    for name, template in synth.stacks.items():
        matches = lint(json.dumps(template), regions=["us-east-1", "eu-west-1", "ap-southeast-2"])
        assert [str(m) for m in matches] == [], name


def test_cdk_nag_finds_nothing_and_nothing_is_acknowledged(synth_config: Any) -> None:
    synth = synth_config("cloudwatch")
    report = json.loads((synth.outdir / "validation-report.json").read_text())
    # cdk-nag reports only rules that fired or were acknowledged: an empty report is a clean app
    for plugin in report["pluginReports"]:
        assert plugin["violations"] == [] and plugin.get("suppressedViolations", []) == [], plugin
    metadata = [json.loads(p.read_text()) for p in synth.outdir.glob("*.metadata.json")]
    kinds = {entry["type"] for m in metadata for entries in m.values() for entry in entries}
    assert "aws:cdk:acknowledged-rules" not in kinds


def test_cdk_nag_does_run_over_the_cloudwatch_stack(tmp_path: Any, feature_flags: dict[str, Any]) -> None:
    """Guard against an unchecked stack: an unacknowledged admin role in it fails the synth."""
    from aws_cdk import App
    from aws_cdk import aws_iam as iam

    from flowkit.settings import load
    from stacks import build

    app = App(outdir=str(tmp_path), context=feature_flags)
    settings = load({"investigation": "nagged", "vpc_ids": ["vpc-0a1b2c3d"], "destination": "cloudwatch"})
    kit = build(app, settings, [])
    iam.Role(kit.cloudwatch[0], "Admin", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
             managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AdministratorAccess")])
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    paths = {c["constructPath"] for p in report["pluginReports"] for v in p["violations"]
             for c in v["violatingConstructs"]}
    assert paths == {"flowlogs-nagged-cloudwatch/Admin/Resource"}
