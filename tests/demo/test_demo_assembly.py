"""flowkit.demo: the synth summary read back from a cloud assembly (and the real `flowlogs demo` path)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from flowkit import cli
from flowkit.demo import assembly, synth, view
from flowkit.demo.errors import DemoError

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def test_summary_of_the_text_kms_assembly(text_kms_synth: Any) -> None:
    summary = assembly.summarize(text_kms_synth.outdir)
    assert sorted(summary.stacks) == ["flowlogs-case-42-analytics", "flowlogs-case-42-capture",
                                      "flowlogs-case-42-storage"]
    assert summary.dependencies["flowlogs-case-42-capture"] == ["flowlogs-case-42-storage"]
    assert summary.resources["flowlogs-case-42-capture"]["AWS::EC2::FlowLog"] == 2
    assert {(f.resource_type, f.resource_id) for f in summary.flow_logs} == {
        ("VPC", "vpc-0a1b2c3d"), ("VPC", "vpc-0123456789abcdef0")}
    for flow_log in summary.flow_logs:
        assert flow_log.traffic_type == "ALL" and flow_log.interval == 60
        assert flow_log.destination == "<bucket ARN>/team/flows"
        assert len(flow_log.log_format.split()) == 54
    (table,) = summary.tables
    assert (table.file_format, table.hive, table.hourly) == ("text", True, False)
    assert table.location_template == ("s3://<bucket>/team/flows/AWSLogs/aws-account-id=${aws_account}/"
                                       "aws-service=vpcflowlogs/aws-region=${aws_region}/${dt}/")
    assert len(table.columns) == 54
    (workgroup,) = summary.workgroups
    assert workgroup["name"] == "flowlogs-case-42"
    assert workgroup["results"] == "s3://<bucket>/athena-results/"
    assert len(summary.saved_queries) == len(list((REPO / "sql").glob("*.sql")))
    (bucket,) = summary.buckets
    assert bucket["encryption"] == "SSE-KMS (kit key)" and bucket["on_delete"] == "Retain"
    assert bucket["expiry"]["team/flows/AWSLogs/"] == 90


def test_print_summary_is_readable(default_synth: Any) -> None:
    console = Console(record=True, width=200)
    view.print_summary(assembly.summarize(default_synth.outdir), console)
    text = console.export_text()
    for expected in ("flowlogs-demo-storage", "vpc-0a1b2c3d4e5f67890", "60 s", "parquet",
                     "flowlogs_demo.flow_logs", "Athena engine version 3", "demo-top-talkers"):
        assert expected in text


def test_not_an_assembly(tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="not a cloud assembly"):
        assembly.summarize(tmp_path)


def test_demo_does_not_import_cdk() -> None:
    code = ("import sys, flowkit.demo, flowkit.cli.commands.demo; "
            "sys.exit(any(m.startswith(('aws_cdk', 'cdk_nag', 'jsii')) for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                          check=False)
    assert proc.returncode == 0


@pytest.mark.skipif(not (REPO / "node_modules" / ".bin" / "cdk").exists(), reason="run `make setup` first")
def test_flowlogs_demo_end_to_end(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "CDK_VALIDATION": "false", "COLUMNS": "200"}
    cmd = [sys.executable, "-c", "from flowkit.cli import main; main()",
           "-c", "investigation=e2e", "-c", "traffic_type=REJECT", "-c", "file_format=text",
           "demo", "--out", str(tmp_path), "--days", "1", "--flows-per-day", "50"]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "flowlogs-e2e-capture" in proc.stdout and "REJECT" in proc.stdout
    assert "e2e-top-talkers" in proc.stdout
    assert list(tmp_path.joinpath("logs").rglob("*.log.gz")) and (tmp_path / "report.html").is_file()
    assert "top-talkers: " in proc.stdout and "workgroup flowlogs-e2e" in proc.stdout


def test_demo_passes_on_the_apps_error_lines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A failed synth shows the app's own `error:` lines (the CLI's wrapping noise is dropped)."""
    line = "setting 'lookback_days' = 0: must be between 1 and 366 days"
    stderr = "error: " + line + "\nSubprocess exited with error 1\n"
    calls: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 1, "", stderr)

    monkeypatch.setattr(synth.subprocess, "run", fake_run)
    config = ["--config", str(REPO / "cdk.json")]
    out = ["--out", str(tmp_path)]
    with pytest.raises(SystemExit) as done:
        cli.main([*config, "-c", "lookback_days=0", "demo", *out])
    assert done.value.code == 1
    assert capsys.readouterr().err == "flowlogs: error: " + line + "\n"
    (cmd,) = calls
    assert cmd[:6] == ["npx", "--no", "cdk", "synth", "--all", "-q"]
    assert cmd[-2:] == ["-c", "lookback_days=0"]
    with pytest.raises(SystemExit) as done:
        cli.main([*config, "-c", "lookback_days", "demo", *out])
    assert done.value.code == 2


def test_demo_outside_the_kit_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cdk.json").write_text((REPO / "cdk.json").read_text())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:
        cli.main(["demo", "--out", str(tmp_path / "out")])
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no app.py here" in err and "Traceback" not in err
