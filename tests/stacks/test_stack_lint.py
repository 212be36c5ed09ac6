"""cfn-lint and cdk-nag over every synthesized template: zero findings, narrow acknowledgments only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

PARTS = ("storage", "capture", "analytics")
ACK_TYPE = "aws:cdk:acknowledged-rules"


@pytest.mark.parametrize("part", PARTS)
def test_cfn_lint_has_no_findings(any_synth: Any, part: str) -> None:
    from cfnlint.api import lint

    path = any_synth.outdir / f"{any_synth.stack_name(part)}.template.json"
    matches = lint(path.read_text(), regions=["us-east-1", "eu-west-1", "ap-southeast-2"])
    assert [str(m) for m in matches] == []


def test_cdk_nag_reports_nothing_unacknowledged(any_synth: Any) -> None:
    report = json.loads((any_synth.outdir / "validation-report.json").read_text())
    (plugin,) = report["pluginReports"]
    assert plugin["pluginName"] == "AwsSolutions"
    assert plugin["conclusion"] == "success"
    assert plugin["violations"] == []
    suppressed = {v["ruleName"] for v in plugin.get("suppressedViolations", [])}
    acknowledged = {rule.split("::", 1)[1] for _, rule, _ in _acknowledgments(any_synth.outdir)}
    assert suppressed == acknowledged
    assert {r for r in acknowledged if "[" not in r} == {"AwsSolutions-S1"}
    # the scheduled report's role: one IAM5 finding per object wildcard (logs, Athena results, reports)
    folders = sorted(r.removesuffix("/*]").rsplit("/", 1)[-1] for r in acknowledged if "[" in r)
    scheduled = bool(any_synth.settings.report_expression)
    assert folders == (["AWSLogs", "athena-results", "reports"] if scheduled else [])


def _acknowledgments(outdir: Path) -> list[tuple[str, str, str]]:
    found = []
    for metadata in outdir.glob("*.metadata.json"):
        for path, entries in json.loads(metadata.read_text()).items():
            for entry in entries:
                if entry["type"] == ACK_TYPE:
                    found += [(path, rule, reason) for rule, reason in entry["data"].items()]
    return found


def test_acknowledgments_are_narrow_and_explained(any_synth: Any) -> None:
    acks = _acknowledgments(any_synth.outdir)
    assert acks, "expected the documented S1 acknowledgment"
    for path, rule, reason in acks:
        assert rule.startswith("AwsSolutions::AwsSolutions-"), rule
        if "[" in rule:  # one finding of one rule: a wildcard object ARN of the report function's role
            assert rule.startswith("AwsSolutions::AwsSolutions-IAM5[Resource::"), rule
            assert rule.endswith("/*]"), rule
            assert rule.count("*") == 1 and path.endswith("/ScheduledReport/Role/Resource"), (path, rule)
        else:
            assert rule.count("::") == 1 and "*" not in rule, rule
        assert path.endswith("/Resource"), f"{rule} acknowledged on more than one resource ({path})"
        assert len(reason) >= 80 and len(set(reason.lower().split())) >= 12, reason
    paths = [(path, rule) for path, rule, _ in acks]
    assert len(paths) == len(set(paths))


def test_cdk_nag_does_run(tmp_path: Path, feature_flags: dict[str, Any]) -> None:
    """Guard against a silently disabled plugin: an unacknowledged insecure bucket fails the synth."""
    from aws_cdk import App
    from aws_cdk import aws_s3 as s3

    from flowkit.settings import load
    from stacks import build

    app = App(outdir=str(tmp_path), context=feature_flags)
    kit = build(app, load({"investigation": "nagged", "vpc_ids": ["vpc-0a1b2c3d"]}), [])
    s3.Bucket(kit.storage, "Unprotected")
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    rules = {v["ruleName"] for plugin in report["pluginReports"] for v in plugin["violations"]}
    assert {"AwsSolutions-S1", "AwsSolutions-S10"} <= rules
    paths = {c["constructPath"] for p in report["pluginReports"] for v in p["violations"]
             for c in v["violatingConstructs"]}
    assert all("/Unprotected/" in p for p in paths)
