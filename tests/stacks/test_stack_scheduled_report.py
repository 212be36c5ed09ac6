"""The report on a schedule in the whole app: composed only when on, pointed at the deployed names, its
reports expiring under their own rule, and nothing of it outliving ``cdk destroy`` but the retained bucket."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.slow


def _rules(synth: Any) -> dict[str, dict[str, Any]]:
    bucket = synth.one("storage", "AWS::S3::Bucket")
    return {r["Id"]: r for r in bucket["Properties"]["LifecycleConfiguration"]["Rules"]}


def test_reports_expire_under_their_own_rule_only_when_the_report_is_on(synth_config: Any) -> None:
    scheduled = _rules(synth_config("scheduled"))
    # the configuration keeps logs 10 days: reports live as long, which is longer than their 7-day links
    assert scheduled["expire-reports"]["Prefix"] == "reports/"
    assert scheduled["expire-reports"]["ExpirationInDays"] == 10
    assert scheduled["expire-reports"]["Status"] == "Enabled"
    assert "expire-reports" not in _rules(synth_config("default"))
    assert synth_config("default").resources("analytics", "AWS::Lambda::Function") == {}


def test_function_reads_the_names_the_analytics_stack_outputs(synth_config: Any) -> None:
    synth = synth_config("scheduled")
    (function,) = synth.resources("analytics", "AWS::Lambda::Function").values()
    env = function["Properties"]["Environment"]["Variables"]
    outputs = synth.templates["analytics"]["Outputs"]
    for name in ("DatabaseName", "TableName", "WorkGroupName", "ResultsLocation", "TableColumns"):
        assert env[name] == outputs[name]["Value"], name
    storage_outputs = synth.templates["storage"]["Outputs"]
    assert env["KeyPrefix"] == storage_outputs["KeyPrefix"]["Value"] == "org/flows"
    assert env["LogLayout"] == storage_outputs["LogLayout"]["Value"]
    assert env["FLOWLOGS_REPORT_LOOKBACK_DAYS"] == "7"  # weekly: the schedule's period
    (schedule,) = synth.resources("analytics", "AWS::Scheduler::Schedule").values()
    assert schedule["Properties"]["ScheduleExpression"] == "cron(30 6 ? * MON *)"
    endpoints = sorted(s["Properties"]["Endpoint"]
                       for s in synth.resources("analytics", "AWS::SNS::Subscription").values())
    assert endpoints == ["lead@example.com", "soc@example.com"]


def test_destroy_removes_the_report_and_retain_keeps_only_the_bucket(synth_config: Any) -> None:
    synth = synth_config("scheduled")
    for logical_id, resource in synth.templates["analytics"]["Resources"].items():
        assert resource.get("DeletionPolicy", "Delete") == "Delete", logical_id
    assert synth.one("storage", "AWS::S3::Bucket")["DeletionPolicy"] == "Retain"  # removal=retain
