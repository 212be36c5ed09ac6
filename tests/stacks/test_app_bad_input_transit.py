"""Bad transit gateway and tag settings: the real app (and the CDK CLI) exits non-zero with one `error:` line
per problem, no traceback, no cloud assembly."""

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
TGW = "tgw-0123456789abcdef0"
TGW_LOGS = "transit gateway flow logs (tgw_ids, tgw_attachment_ids)"
EXAMPLE = re.escape('{"instance": ["Name", "Owner"], "network-interface": ["Name"]}')

# (override, the exact error lines as regular expressions)
BAD: dict[str, tuple[dict[str, Any], list[str]]] = {
    "malformed-ids-and-tag-json": (
        {"tgw_ids": ["tgw-12345"], "tgw_attachment_ids": ["tgw-attach-xyz"], "tag_fields": "{oops"},
        [r"setting 'tgw_ids' = \[\"tgw-12345\"\]: 'tgw-12345' is not a transit gateway id \(tgw- and 8 or 17 "
         r"hex digits\)",
         r"setting 'tgw_attachment_ids' = \[\"tgw-attach-xyz\"\]: 'tgw-attach-xyz' is not a transit gateway "
         r"attachment id \(tgw-attach- and 8 or 17 hex digits\)",
         r"setting 'tag_fields' = \"\{oops\": is not valid JSON \(.*\)"]),
    "traffic-type-transit-gateways-refuse": (
        {"tgw_ids": [TGW], "traffic_type": "reject"},
        [rf"setting 'traffic_type' = \"REJECT\": {re.escape(TGW_LOGS)} record all traffic and AWS accepts no "
         r"traffic type for them; .*"]),
    "aggregation-transit-gateways-refuse": (
        {"tgw_ids": [TGW], "aggregation_seconds": "600"},
        [rf"setting 'aggregation_seconds' = 600: {re.escape(TGW_LOGS)} aggregate over 60 seconds only; .*"]),
    "tag-fields-without-keys": (
        {"log_fields": "all"},
        [r"setting 'log_fields': has tag field\(s\) instance-tag, instance-tag-2, interface-tag, "
         r"interface-tag-2, asg-tag, asg-tag-2 but 'tag_fields' names no tag keys, and AWS refuses such a "
         rf"flow log; set tag_fields, e.g. {EXAMPLE}, or leave the tag fields out"]),
    "too-many-tag-keys": (
        {"log_fields": "all", "tag_fields": {"instance": ["Name", "Owner", "Team"]}},
        [r"setting 'tag_fields' = .*: 'instance' needs one or two different tag keys, got 3"]),
}


ENV = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "PYTHONPATH": str(REPO),
       "CDK_DISABLE_VERSION_CHECK": "1"}


def _assert_rejected(proc: subprocess.CompletedProcess[str], expected: list[str], outdir: Path) -> None:
    assert proc.returncode != 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(expected), proc.stderr
    for pattern in expected:
        assert any(re.fullmatch("error: " + pattern, line) for line in errors), (pattern, errors)
    written = [p.name for p in outdir.iterdir()] if outdir.exists() else []
    assert not [name for name in written if name.endswith(".json")], "a cloud assembly was written"


@pytest.mark.parametrize("case", sorted(BAD))
def test_app_rejects_bad_transit_and_tag_settings(case: str, tmp_path: Path) -> None:
    override, expected = BAD[case]
    outdir = tmp_path / "cdk.out"
    outdir.mkdir()
    context = {**json.loads((REPO / "cdk.json").read_text())["context"], **override}
    env = {**os.environ, **ENV, "CDK_CONTEXT_JSON": json.dumps(context), "CDK_OUTDIR": str(outdir)}
    proc = subprocess.run([sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    _assert_rejected(proc, expected, outdir)


@pytest.mark.skipif(shutil.which("npx") is None or not (REPO / "node_modules" / ".bin" / "cdk").exists(),
                    reason="CDK CLI not installed (run `make setup`)")
def test_tag_fields_json_on_the_cdk_command_line(tmp_path: Path) -> None:
    """`-c tag_fields={...}` is the cdk.json JSON: here keys whose fields the v5 format does not log."""
    outdir = tmp_path / "cdk.out"
    cmd = ["npx", "--no", "cdk", "synth", "--all", "-q", "--app", f"{sys.executable} app.py",
           "--output", str(outdir), "-c", 'tag_fields={"instance": ["Name"]}']
    proc = subprocess.run(cmd, cwd=REPO, env={**os.environ, **ENV}, capture_output=True, text=True,
                          timeout=180, check=False)
    _assert_rejected(proc, [r"setting 'tag_fields': keys for 'instance', but log_fields has none of "
                            r"instance-tag, instance-tag-2, so no tag value would be logged; add them there"],
                     outdir)
