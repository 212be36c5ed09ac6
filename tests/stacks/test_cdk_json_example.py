"""The shipped cdk.json: runs the app from the project venv and spells out every setting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_cdk_json_runs_the_app_and_spells_out_every_key() -> None:
    from flowkit.settings import SETTING_KEYS, load

    data = json.loads((REPO / "cdk.json").read_text())
    # the app runs from the project venv; jsii's Node 20 end-of-life banner (printed as Python b'...'
    # lines) is silenced for it (README: Node.js 22 or newer, 20 still runs it)
    assert data["app"] == "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 .venv/bin/python app.py"
    context = data["context"]
    assert [k for k in context if not k.startswith("@")] == list(SETTING_KEYS)
    settings = load(context)
    assert settings.investigation == "demo"
    assert settings.vpc_ids and settings.subnet_ids and settings.eni_ids
    # feature flags the kit relies on: weak cross-stack references (Fn::GetStackOutput, no exports that
    # would pin the storage stack) and CloudFormation validation findings treated as errors
    assert context["@aws-cdk/core:defaultCrossStackReferences"] == "weak"
    assert context["@aws-cdk/core:validateAgainstDefaultRules"] is True


def _exact_version(spec: str) -> tuple[int, int, int]:
    """``MAJOR.MINOR.PATCH`` with nothing else (no ^, ~, range or tag) as integers."""
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", spec)
    assert match, f"aws-cdk is not pinned to an exact version: {spec!r}"
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def test_exact_version_rejects_ranges() -> None:
    assert _exact_version("2.1148.1") == (2, 1148, 1)
    for spec in ("^2.1148.1", "~2.1148.1", ">=2.1148.0", "2.1148", "2.1148.1-rc.0", "latest"):
        with pytest.raises(AssertionError):
            _exact_version(spec)


def test_package_json_pins_cdk_cli_2() -> None:
    """Exact pin of a CLI v2 new enough for aws-cdk-lib 2.27x assemblies (older CLIs reject schema 55)."""
    package = json.loads((REPO / "package.json").read_text())
    lock = json.loads((REPO / "package-lock.json").read_text())
    pinned = package["devDependencies"]["aws-cdk"]
    version = _exact_version(pinned)
    assert version[0] == 2
    assert version >= (2, 1148, 0)
    assert lock["packages"][""]["devDependencies"]["aws-cdk"] == pinned
    assert lock["packages"]["node_modules/aws-cdk"]["version"] == pinned
