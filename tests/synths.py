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
}

PARTS: tuple[Literal["storage", "capture", "analytics"], ...] = ("storage", "capture", "analytics")


@dataclass
class Synth:
    """One synthesized app: settings, raw templates (by part), manifest and the assembly folder."""

    settings: Any
    outdir: Path
    templates: dict[str, dict[str, Any]]
    manifest: dict[str, Any]

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

    from flowkit.queries import context_for, saved_queries
    from flowkit.settings import load
    from stacks import build

    settings = load(context)
    app = App(context=dict(context), outdir=str(outdir))
    deployed = saved_queries(context_for(settings), settings.investigation) if queries else []
    build(app, settings, deployed, nag=nag)
    app.synth()
    manifest = json.loads((outdir / "manifest.json").read_text())
    templates: dict[str, dict[str, Any]] = {
        part: json.loads((outdir / f"{settings.stack_name(part)}.template.json").read_text())
        for part in PARTS
    }
    return Synth(settings, outdir, templates, manifest)
