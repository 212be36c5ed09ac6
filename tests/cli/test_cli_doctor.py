"""``flowlogs doctor`` as a command: bad input is one line and status 2; ``--format json`` (moto only)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from flowkit.aws.doctor import checks
from tests.aws.doctor.moto_investigation import (
    NOW,
    V5,
    aws_key,
    deploy,
    minutes_ago,
    queue_count,
    sample_file,
)
from tests.moto_hooks import Hooks, flowlogs, moto_cli
from tests.moto_stacks import create_stack
from tests.synths import Synth

STACKS = "flowlogs-demo-storage, flowlogs-demo-capture, flowlogs-demo-analytics"


@pytest.fixture
def hooks(aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Hooks]:
    """moto for every call, a folder without cdk.json as cwd, the doctor's clock at NOW."""
    monkeypatch.setattr(checks, "now", lambda: NOW)
    with moto_cli(monkeypatch, tmp_path) as found:
        yield found


def one_error_line(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == f"flowlogs: error: {message}\n"


def test_missing_credentials_is_one_line_and_status_2(hooks: Hooks, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = flowlogs("doctor", "--investigation", "demo")
    one_error_line(result, "no AWS credentials found: use --profile or AWS_PROFILE, AWS_ACCESS_KEY_ID and "
                           "AWS_SECRET_ACCESS_KEY, or `aws sso login`")
    assert not hooks.calls


def test_no_such_investigation_is_one_line_and_status_2(hooks: Hooks) -> None:
    create_stack("flowlogs-other-storage", {"BucketName": "other-logs"}, "us-east-1")  # another investigation
    result = flowlogs("doctor", "--investigation", "demo")
    one_error_line(result, f"no investigation 'demo' in us-east-1: none of its stacks ({STACKS}) exists; "
                           "check --investigation, --profile and --region, or deploy it first "
                           "(npx cdk deploy --all)")


def test_the_investigation_defaults_to_the_settings(hooks: Hooks) -> None:
    result = flowlogs("-c", "investigation=demo", "doctor")
    assert "no investigation 'demo' in us-east-1" in result.stderr and result.exit_code == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--investigation", "Demo!"], "--investigation: 'Demo!' is not an investigation name (lower-case "
                                   "letters, digits and '-', at most 24 characters)"),
    (["--investigation", "demo", "--format", "xml"], None),
])
def test_bad_options_are_status_2(hooks: Hooks, args: list[str], message: str | None) -> None:
    result = flowlogs("doctor", *args)
    assert result.exit_code == 2
    if message:
        one_error_line(result, message)
    assert not hooks.calls


def test_no_region_is_status_2(hooks: Hooks, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    result = flowlogs("doctor", "--investigation", "demo")
    assert result.exit_code == 2 and result.stderr.startswith("flowlogs: error: no AWS region")
    assert result.stderr.count("\n") == 1


def test_json_gives_every_check_as_an_object(hooks: Hooks, tmp_path: Path,
                                             synth_config: Callable[[str], Synth]) -> None:
    from flowkit import catalogue
    from flowkit.layout import Layout
    from flowkit.sample import write_sample

    inv = deploy(synth_config("default"), hooks)  # parquet, plain, hourly, no key prefix, the v5 fields
    write_sample(tmp_path / "sample", days=1, layout=Layout("parquet", False, True), flows_per_day=5,
                 fields=tuple(catalogue.BY_NAME[n] for n in V5), now=NOW)
    key = aws_key(text=False, hive=False, hourly=True, prefix="", flow_log_id=inv.flow_log_ids[0],
                  when=minutes_ago(45))
    inv.upload(key, sample_file(tmp_path / "sample", ".log.parquet"))
    queue_count(0)
    result = flowlogs("-c", "investigation=demo", "doctor", "--format", "json")
    assert result.exit_code == 0, result.stderr  # warnings only
    found = json.loads(result.stdout)
    assert [c["name"] for c in found] == [
        "storage stack", "capture stack", "analytics stack", "flow logs", "table", "objects",
        "parquet schema", "workgroup", "test query", "saved queries"]
    assert all(set(c) == {"name", "status", "detail", "fix"} for c in found)
    by_name = {c["name"]: c for c in found}
    assert by_name["objects"]["status"] == "warning"
    assert by_name["objects"]["detail"] == (f"newest file 45 min old: s3://{inv.bucket}/{key}; nothing newer "
                                            "in the last 30 min")
    assert by_name["objects"]["fix"].startswith("delivery has stopped")
    assert by_name["test query"]["status"] == "warning"
    others = [c for c in found if c["name"] not in ("objects", "test query")]
    assert {c["status"] for c in others} == {"ok"} and {c["fix"] for c in others} == {None}
