"""Bad settings: the real app exits non-zero with one `error:` line per problem, no traceback, no assembly."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

# One real `python app.py` per class of mistake: (override, {key: value as the message must show it}).
BAD: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "malformed-vpc": ({"vpc_ids": ["vpc-12345"]}, {"vpc_ids": "vpc-12345"}),
    "duplicate-id": ({"eni_ids": ["eni-0fedcba9876543210", "eni-0fedcba9876543210"]},
                     {"eni_ids": "eni-0fedcba9876543210"}),
    "unknown-field": ({"log_fields": "version,start,log-status,bytez"}, {"log_fields": "bytez"}),
    "missing-required-fields": ({"log_fields": ["srcaddr", "dstaddr", "bytes"]}, {"log_fields": "start"}),
    "out-of-range": ({"aggregation_seconds": 30, "lookback_days": 0, "query_limit_gb": 0},
                     {"aggregation_seconds": "30", "lookback_days": "0", "query_limit_gb": "0"}),
    "unknown-key": ({"retention": 5}, {"retention": "unknown key"}),
    "unknown-schedule": ({"report_schedule": "hourly", "report_emails": "lead@example.com"},
                         {"report_schedule": "hourly"}),
    "malformed-address": ({"report_schedule": "weekly", "report_emails": "lead@example,soc@example.com"},
                          {"report_emails": "'lead@example' is not an e-mail address"}),
    "schedule-without-address": ({"report_schedule": "cron(0 7 ? * MON *)"},
                                 {"report_emails": "is 'cron(0 7 ? * MON *)' but no address is set"}),
    "unknown-destination": ({"destination": "firehose"},
                            {"destination": "\"firehose\": should be 's3', 'cloudwatch' or 'both'"}),
    "s3-settings-with-cloudwatch": (
        {"destination": "cloudwatch", "file_format": "text", "workgroup": "netsec"},
        {"file_format": "\"text\": means nothing with destination 'cloudwatch'",
         "workgroup": "\"netsec\": means nothing with destination 'cloudwatch'"}),
    "retention-cloudwatch-lacks": (
        {"destination": "both", "log_retention_days": 45},
        {"log_retention_days": "45: CloudWatch Logs keeps a log group for 1, 3, 5, 7, 14, 30, 60, 90, 120, "
                               "150, 180, 365, 400, 545, 731, "}),
}


def _context(override: dict[str, Any]) -> dict[str, Any]:
    context = dict(json.loads((REPO / "cdk.json").read_text())["context"])
    context.update(override)
    return context


def _assert_rejected(proc: subprocess.CompletedProcess[str], expected: dict[str, str], outdir: Path) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(expected), proc.stderr
    for key, value in expected.items():
        (line,) = [e for e in errors if e.startswith(f"error: setting '{key}'")]
        assert value in line
    assert not outdir.exists() or not any(outdir.iterdir()), "a cloud assembly was written"


@pytest.mark.parametrize("case", sorted(BAD))
def test_app_rejects_bad_settings(case: str, tmp_path: Path) -> None:
    override, expected = BAD[case]
    outdir = tmp_path / "cdk.out"
    outdir.mkdir()
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(_context(override)), "CDK_OUTDIR": str(outdir),
           "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    _assert_rejected(proc, expected, outdir)


@pytest.mark.skipif(shutil.which("npx") is None or not (REPO / "node_modules" / ".bin" / "cdk").exists(),
                    reason="CDK CLI not installed (run `make setup`)")
def test_cdk_cli_passes_context_and_fails_cleanly(tmp_path: Path) -> None:
    outdir = tmp_path / "cdk.out"
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "PYTHONPATH": str(REPO),
           "CDK_DISABLE_VERSION_CHECK": "1"}
    cmd = ["npx", "--no", "cdk", "synth", "--all", "-q", "--app", f"{sys.executable} app.py",
           "--output", str(outdir), "-c", "aggregation_seconds=30"]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=180, check=False)
    _assert_rejected(proc, {"aggregation_seconds": "30"}, outdir)


# A saved query the kit cannot ship, in the header format of sql/*.sql: (template, error line pattern).
BROKEN_TEMPLATE = """\
-- name: zz-broken
-- description: Deliberately broken saved query for the app's error path.
-- fields: srcaddr
SELECT srcaddr, {column}
FROM {{{{ database }}}}.{{{{ table }}}}
WHERE {window}
"""
BROKEN = {
    "unknown-column": (
        BROKEN_TEMPLATE.format(column="no_such_column", window="{{ window }}"),
        r"error: query 'zz-broken': .*\bno_such_column\b.*",
    ),
    "template-syntax": (
        BROKEN_TEMPLATE.format(column="dstaddr", window="{{ window }"),
        r"error: {sql_dir}/zz-broken\.sql: .*syntax error.*",
    ),
}


def _copy_project(dest: Path) -> None:
    """The files `python app.py` needs, so a broken template can be added without touching sql/."""
    shutil.copy2(REPO / "app.py", dest / "app.py")
    shutil.copy2(REPO / "cdk.json", dest / "cdk.json")
    for folder in ("stacks", "flowkit", "sql"):
        shutil.copytree(REPO / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__"))


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_saved_query_stops_the_real_app(case: str, tmp_path: Path) -> None:
    """A real app run over a copy of the project whose sql/ holds one broken template."""
    template, pattern = BROKEN[case]
    project = tmp_path / "project"
    project.mkdir()
    _copy_project(project)
    (project / "sql" / "zz-broken.sql").write_text(template)
    outdir = tmp_path / "cdk.out"
    outdir.mkdir()
    context = json.loads((project / "cdk.json").read_text())["context"]
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(context), "CDK_OUTDIR": str(outdir),
           "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "PYTHONPATH": str(project)}
    proc = subprocess.run([sys.executable, "app.py"], cwd=project, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    # zz-broken exists only in the copy: naming it proves the copied flowkit (and its sql/) was imported
    assert len(errors) == 1, proc.stderr
    assert re.fullmatch(pattern.format(sql_dir=re.escape(str(project / "sql"))), errors[0]), errors[0]
    assert list(outdir.iterdir()) == [], "a cloud assembly was written"


# -- accounts, regions, organisation, targets ----------------------------------------------------------
A, B = "111122223333", "444455556666"
ESTATE = {"accounts": [A, B], "regions": ["eu-west-1", "us-east-1"]}
DEPLOYING = {"CDK_DEFAULT_ACCOUNT": A, "CDK_DEFAULT_REGION": "eu-west-1"}
FLAT = "settings 'vpc_ids', 'subnet_ids', 'eni_ids', 'tgw_ids', 'tgw_attachment_ids'"


def _eni(n: int) -> str:
    return f"eni-{n:017x}"


# (override, deploying account known, the exact error lines as regular expressions)
BAD_ESTATE: dict[str, tuple[dict[str, Any], bool, list[str]]] = {
    "malformed-values": (
        {"accounts": ["1234"], "regions": ["Mars"], "organization_id": "org-1", "targets": "{oops"}, True,
        [r"setting 'accounts' = \[\"1234\"\]: '1234' is not a 12-digit AWS account id",
         r"setting 'regions' = \[\"Mars\"\]: 'Mars' is not an AWS region name such as eu-west-1",
         r"setting 'organization_id' = \"org-1\": must be an AWS Organizations id: .*",
         r"setting 'targets' = \"\{oops\": is not valid JSON \(.*\)"]),
    "malformed-key": (
        {**ESTATE, "targets": {"eu-west-1": {"vpc_ids": ["vpc-01234567"]}}}, True,
        [r"setting 'targets' = .*: 'eu-west-1' is not '<account>/<region>' \(12 digits, '/', .*\)"]),
    "outside-accounts": (
        {**ESTATE, "targets": {"999999999999/eu-west-1": {"vpc_ids": ["vpc-01234567"]}}}, True,
        [rf"setting 'targets': key '999999999999/eu-west-1': account 999999999999 is not in 'accounts' "
         rf"\({A}, {B}\); add it there"]),
    "same-id-twice": (
        {**ESTATE, "targets": {f"{B}/us-east-1": {"vpc_ids": ["vpc-0a1b2c3d4e5f67890"]}}}, True,
        [rf"{FLAT}, 'targets': listed more than once: vpc-0a1b2c3d4e5f67890"]),
    "deploying-account-unknown": (
        {**ESTATE, "targets": {f"{B}/us-east-1": {"vpc_ids": ["vpc-01234567"]}}}, False,
        [r"setting 'targets': capture stacks in named accounts and regions needs the deploying "
         r"\(log-archive\) account and region: .* CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION"]),
    "flat-outside-accounts": (
        {"accounts": [B]}, True,
        [rf"{FLAT}: they capture in the deploying account and region {A}/eu-west-1, but account {A} is not "
         rf"in 'accounts' \({B}\); add it there"]),
    "too-many-for-one-stack": (
        {"vpc_ids": [], "subnet_ids": [], "eni_ids": [_eni(n) for n in range(600)]}, False,
        [r"stack flowlogs-demo-capture: 600 flow logs, more than the 500 resources CloudFormation allows in "
         r"one stack; list them under 'targets' as \"<account>/<region>\", .*"]),
    "bucket-policy-over-20-kb": (
        {"accounts": [f"{200000000000 + n:012d}" for n in range(1000)] + [A]}, True,
        [r"the bucket policy for 1001 account\(s\) and 1 region\(s\) would be up to \d+ bytes, more than "
         r"S3's 20480 \(20 KB\); set organization_id to admit the organisation instead of each account"]),
}


@pytest.mark.parametrize("case", sorted(BAD_ESTATE))
def test_app_rejects_bad_accounts_regions_and_targets(case: str, tmp_path: Path) -> None:
    """Exit status 1, exactly these `error:` lines, no traceback, no cloud assembly."""
    override, deploying, expected = BAD_ESTATE[case]
    outdir = tmp_path / "cdk.out"
    outdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in DEPLOYING}
    env.update({"CDK_CONTEXT_JSON": json.dumps(_context(override)), "CDK_OUTDIR": str(outdir),
                "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "PYTHONPATH": str(REPO)})
    if deploying:
        env.update(DEPLOYING)
    proc = subprocess.run([sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(expected), proc.stderr
    for pattern in expected:
        assert any(re.fullmatch("error: " + pattern, line) for line in errors), (pattern, errors)
    # (a limit found while building may leave an asset staged, never a manifest or a template)
    assert not [p.name for p in outdir.iterdir() if p.suffix == ".json"], "a cloud assembly was written"
