"""The shipped cdk.json: runs the app from the project venv and spells out every setting."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_cdk_json_runs_the_app_and_spells_out_every_key() -> None:
    from flowkit.settings import SETTING_KEYS, load

    data = json.loads((REPO / "cdk.json").read_text())
    assert data["app"] == ".venv/bin/python app.py"
    context = data["context"]
    assert [k for k in context if not k.startswith("@")] == list(SETTING_KEYS)
    settings = load(context)
    assert settings.investigation == "demo"
    assert settings.vpc_ids and settings.subnet_ids and settings.eni_ids
    # feature flags the kit relies on: weak cross-stack references (Fn::GetStackOutput, no exports that
    # would pin the storage stack) and CloudFormation validation findings treated as errors
    assert context["@aws-cdk/core:defaultCrossStackReferences"] == "weak"
    assert context["@aws-cdk/core:validateAgainstDefaultRules"] is True


def test_package_json_pins_cdk_cli_2() -> None:
    package = json.loads((REPO / "package.json").read_text())
    version = package["devDependencies"]["aws-cdk"]
    assert version.split(".")[0].lstrip("^~") == "2"
