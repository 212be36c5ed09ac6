"""flowkit.demo: the synth summary read back from a cloud assembly (and the real `make demo` path)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from flowkit import demo

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def test_summary_of_the_text_kms_assembly(text_kms_synth: Any) -> None:
    summary = demo.summarize(text_kms_synth.outdir)
    assert sorted(summary.stacks) == ["flowlogs-case-42-analytics", "flowlogs-case-42-capture",
                                      "flowlogs-case-42-storage"]
    assert summary.dependencies["flowlogs-case-42-capture"] == ["flowlogs-case-42-storage"]
    assert summary.resources["flowlogs-case-42-capture"]["AWS::EC2::FlowLog"] == 2
    assert {(f.resource_type, f.resource_id) for f in summary.flow_logs} == {
        ("VPC", "vpc-0a1b2c3d"), ("VPC", "vpc-0123456789abcdef0")}
    for flow_log in summary.flow_logs:
        assert flow_log.traffic_type == "ALL" and flow_log.interval == 60
        assert flow_log.destination == "<bucket ARN>/team/flows"
        assert len(flow_log.log_format.split()) == 40
    (table,) = summary.tables
    assert (table.file_format, table.hive, table.hourly) == ("text", True, False)
    assert table.location_template == ("s3://<bucket>/team/flows/AWSLogs/aws-account-id=${aws_account}/"
                                       "aws-service=vpcflowlogs/aws-region=${aws_region}/${dt}/")
    assert len(table.columns) == 40
    (workgroup,) = summary.workgroups
    assert workgroup["name"] == "flowlogs-case-42"
    assert workgroup["results"] == "s3://<bucket>/athena-results/"
    assert len(summary.saved_queries) == len(list((REPO / "sql").glob("*.sql")))
    (bucket,) = summary.buckets
    assert bucket["encryption"] == "SSE-KMS (kit key)" and bucket["on_delete"] == "Retain"
    assert bucket["expiry"]["team/flows/AWSLogs/"] == 90


def test_print_summary_is_readable(default_synth: Any) -> None:
    console = Console(record=True, width=200)
    demo.print_summary(demo.summarize(default_synth.outdir), console)
    text = console.export_text()
    for expected in ("flowlogs-demo-storage", "vpc-0a1b2c3d4e5f67890", "60 s", "parquet",
                     "flowlogs_demo.flow_logs", "Athena engine version 3", "demo-top-talkers"):
        assert expected in text


def test_not_an_assembly(tmp_path: Path) -> None:
    with pytest.raises(demo.DemoError, match="not a cloud assembly"):
        demo.summarize(tmp_path)


def test_demo_does_not_import_cdk() -> None:
    code = ("import sys, flowkit.demo; "
            "sys.exit(any(m.startswith(('aws_cdk', 'cdk_nag', 'jsii')) for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                          check=False)
    assert proc.returncode == 0


@pytest.mark.skipif(not (REPO / "node_modules" / ".bin" / "cdk").exists(), reason="run `make setup` first")
def test_python_m_flowkit_demo_end_to_end(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "CDK_VALIDATION": "false", "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "flowkit.demo", "--out", str(tmp_path), "--days", "1",
           "--flows-per-day", "50", "investigation=e2e", "traffic_type=REJECT", "file_format=text"]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "flowlogs-e2e-capture" in proc.stdout and "REJECT" in proc.stdout
    assert "e2e-top-talkers" in proc.stdout
    assert list(tmp_path.joinpath("logs").rglob("*.log.gz")) and (tmp_path / "report.html").is_file()
    assert "top-talkers: " in proc.stdout and "workgroup flowlogs-e2e" in proc.stdout


def test_demo_passes_on_the_apps_error_lines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A failed synth shows the app's own `error:` lines (the CLI's wrapping noise is dropped)."""
    line = "error: setting 'lookback_days' = 0: must be between 1 and 366 days"
    stderr = line + "\nSubprocess exited with error 1\n"
    calls: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 1, "", stderr)

    monkeypatch.setattr(demo.subprocess, "run", fake_run)
    assert demo.main(["lookback_days=0"]) == 1
    assert capsys.readouterr().err == line + "\n"
    (cmd,) = calls
    assert cmd[:6] == ["npx", "--no", "cdk", "synth", "--all", "-q"]
    assert cmd[-2:] == ["-c", "lookback_days=0"]
    assert demo.main(["lookback_days"]) == 2
