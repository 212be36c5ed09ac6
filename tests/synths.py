"""Synthesizing the kit's CDK app in-process, for the stack, demo and real-engine tests.

Synths run with ``CDK_VALIDATION=false`` (CDK's built-in template validation costs ~15 s per synth);
cfn-lint runs over every template instead. cdk-nag still runs (it is a validation plugin). The
session fixtures in tests/conftest.py cache ONE synthesized app per configuration.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

# Read by the jsii node process when it starts: must be set before aws_cdk is imported.
os.environ.setdefault("CDK_VALIDATION", "false")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_DEPRECATED", "quiet")

REPO = Path(__file__).resolve().parents[1]
# app.py and the stacks package live at the repo top (only flowkit is installed); pytest runs with
# --import-mode=importlib, which does not put the rootdir on sys.path.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# Settings overrides on top of the cdk.json example context.
CONFIGS: dict[str, dict[str, Any]] = {
    # the shipped example: parquet, hourly, not hive, a VPC + a subnet + an ENI, destroy, SSE-S3
    "default": {},
    "text_kms": {
        "investigation": "case-42",
        "vpc_ids": ["vpc-0a1b2c3d", "vpc-0123456789abcdef0"],
        "subnet_ids": [],
        "eni_ids": [],
        "file_format": "text",
        "hive_partitions": True,
        "per_hour_partitions": False,
        "key_prefix": "team/flows/",
        "encryption": "kms",
        "removal": "retain",
        "log_retention_days": 90,
        "lookback_days": 14,
        "log_fields": "all",
        "tag_fields": {"instance": ["Name", "Owner"], "network-interface": ["Name"]},
        "query_limit_gb": 2.5,
    },
    "eni_reject": {
        "investigation": "rejects",
        "vpc_ids": [],
        "subnet_ids": ["subnet-0123456789abcdef0"],
        "eni_ids": ["eni-0fedcba9876543210", "eni-12345678"],
        "traffic_type": "REJECT",
        "aggregation_seconds": 600,
        "log_fields": "aws-default",
        "hive_partitions": True,
        "per_hour_partitions": True,
        "query_limit_gb": 0.01,
        "database": "netsec",
        "table": "rejects",
        "workgroup": "netsec-rejects",
    },
    # a log-archive account (DEPLOYING) capturing in two more accounts and a second region
    "multi_account": {
        "investigation": "estate",
        "vpc_ids": ["vpc-0a1b2c3d4e5f67890"],
        "subnet_ids": [],
        "eni_ids": [],
        "hive_partitions": True,
        "key_prefix": "org/flows",
        "encryption": "kms",
        "accounts": ["111122223333", "444455556666", "777788889999"],
        "regions": ["eu-west-1", "us-east-1"],
        "targets": {
            "444455556666/eu-west-1": {"vpc_ids": ["vpc-0123456789abcdef0"],
                                       "eni_ids": ["eni-0fedcba9876543210", "eni-12345678"]},
            "111122223333/us-east-1": {"subnet_ids": ["subnet-0123456789abcdef0"]},
            "777788889999/us-east-1": {"eni_ids": ["eni-0123456789abcdef0"]},
        },
    },
    # the report on a schedule: weekly by e-mail, with a KMS key, a key prefix and a retained bucket
    "scheduled": {
        "investigation": "weekly",
        "key_prefix": "org/flows",
        "encryption": "kms",
        "removal": "retain",
        "log_retention_days": 10,
        "report_schedule": "weekly",
        "report_emails": "lead@example.com,soc@example.com",
    },
    # flow logs to CloudWatch Logs only (no bucket, table or workgroup): a key, a kept log group, a custom
    # field order
    "cloudwatch": {
        "investigation": "cw",
        "destination": "cloudwatch",
        "vpc_ids": ["vpc-0a1b2c3d4e5f67890"],
        "subnet_ids": [],
        "eni_ids": ["eni-0fedcba9876543210"],
        "encryption": "kms",
        "removal": "retain",
        "log_retention_days": 90,
        "log_fields": ["log-status", "start", "end", "interface-id", "srcaddr", "dstaddr", "srcport",
                       "dstport", "protocol", "packets", "bytes", "action", "flow-direction"],
    },
    # each target's flow logs to S3 and to CloudWatch Logs, here and in a second account and region
    "both": {
        "investigation": "twice",
        "destination": "both",
        "vpc_ids": [],
        "subnet_ids": ["subnet-0c4d5e6f7a8b9c0d1"],
        "eni_ids": [],
        "accounts": ["111122223333", "444455556666"],
        "regions": ["eu-west-1", "us-east-1"],
        "targets": {"444455556666/us-east-1": {"eni_ids": ["eni-0123456789abcdef0"]}},
    },
    # transit gateways and attachments (here and in a second account) next to a VPC whose flow log has every
    # field, tag keys of all three resource types included: the second table and its saved queries
    "transit": {
        "investigation": "hub",
        "vpc_ids": ["vpc-0a1b2c3d4e5f67890"],
        "subnet_ids": [],
        "eni_ids": [],
        "tgw_ids": ["tgw-0123456789abcdef0"],
        "tgw_attachment_ids": ["tgw-attach-0123456789abcdef0"],
        "log_fields": "all",
        "tag_fields": {"instance": ["Name", "Owner"], "network-interface": ["Name"],
                       "auto-scaling-group": ["aws:autoscaling:groupName"]},
        "file_format": "text",
        "key_prefix": "hub/flows",
        "accounts": ["111122223333", "444455556666"],
        "regions": ["eu-west-1"],
        "targets": {"444455556666/eu-west-1": {"tgw_attachment_ids": ["tgw-attach-0fedcba9876543210"]}},
    },
}
# The account and region `cdk` deploys from in every test synth (the CLI's CDK_DEFAULT_ACCOUNT/REGION);
# only configurations with `targets` or `accounts`/`regions` use it.
DEPLOYING = ("111122223333", "eu-west-1")

PARTS: tuple[Literal["storage", "capture", "analytics"], ...] = ("storage", "capture", "analytics")


@dataclass
class Synth:
    """One synthesized app: settings, templates (by part; ``stacks``: every one by name), manifest, folder."""

    settings: Any
    outdir: Path
    templates: dict[str, dict[str, Any]]
    manifest: dict[str, Any]
    stacks: dict[str, dict[str, Any]]

    def resources(self, part: str, rtype: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.templates[part]["Resources"].items() if v["Type"] == rtype}

    def one(self, part: str, rtype: str) -> dict[str, Any]:
        found = list(self.resources(part, rtype).values())
        assert len(found) == 1, f"{len(found)} {rtype} in {part}"
        return found[0]

    def template(self, part: str) -> Any:
        from aws_cdk.assertions import Template

        return Template.from_json(self.templates[part])

    def stack_name(self, part: str) -> str:
        return str(self.settings.stack_name(part))


def example_context() -> dict[str, Any]:
    return dict(json.loads((REPO / "cdk.json").read_text())["context"])


def synthesize(context: Mapping[str, Any], outdir: Path, *, queries: bool = True, nag: bool = True) -> Synth:
    """What app.py does, in-process, into ``outdir``."""
    from aws_cdk import App

    from flowkit.queries import contexts_for, saved_queries
    from flowkit.settings import load
    from flowkit.settings.accounts import AccountRegion
    from stacks import build

    settings = load(context)
    app = App(context=dict(context), outdir=str(outdir))
    deployed = saved_queries(contexts_for(settings), settings.investigation) if queries else []
    build(app, settings, deployed, nag=nag, home=AccountRegion(*DEPLOYING))
    app.synth()
    manifest = json.loads((outdir / "manifest.json").read_text())
    stacks: dict[str, dict[str, Any]] = {
        name: json.loads((outdir / artifact["properties"]["templateFile"]).read_text())
        for name, artifact in manifest["artifacts"].items() if artifact["type"] == "aws:cloudformation:stack"
    }
    templates = {part: stacks[name] for part in PARTS if (name := settings.stack_name(part)) in stacks}
    return Synth(settings, outdir, templates, manifest, stacks)
