"""Reading settings: cdk.json ``context`` plus ``-c key=value`` overrides, every problem one line."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from flowkit.settings.model import Settings
from flowkit.settings.rules import SettingsError

SETTING_KEYS: tuple[str, ...] = tuple(Settings.model_fields)


def is_kit_key(key: str) -> bool:
    """Context keys that belong to CDK itself (feature flags, ``aws:cdk:*``) are not ours."""
    return not (key.startswith("@") or ":" in key or key in _CDK_KEYS)


_CDK_KEYS = {"acknowledged-issue-numbers", "cli-telemetry", "notices"}


def _describe(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 120 else text[:117] + "..."


def load(context: Mapping[str, Any]) -> Settings:
    """Validate the kit's keys of a CDK context; raise SettingsError with one line per problem."""
    values = {k: v for k, v in context.items() if is_kit_key(k)}
    problems: list[str] = []
    for key in sorted(set(values) - set(SETTING_KEYS)):
        problems.append(f"setting '{key}': unknown key (known keys: {', '.join(SETTING_KEYS)})")
        del values[key]
    try:
        settings = Settings(**values)
    except ValidationError as err:
        for error in err.errors():
            loc = [str(part) for part in error["loc"]]
            key = loc[0] if loc else ""
            message = error["msg"].removeprefix("Value error, ").replace("Input should be", "should be")
            if len(loc) > 1:  # inside a nested setting (targets): name the entry and its key
                if error["type"] == "extra_forbidden":
                    message = "unknown key"
                message = f"at '{loc[1]}'" + "".join(f".{part}" for part in loc[2:]) + f": {message}"
            if not key:
                problems.append(message)
            elif error["type"] == "missing":
                problems.append(f"setting '{key}': required, not set")
            else:
                problems.append(f"setting '{key}' = {_describe(values.get(key))}: {message}")
        raise SettingsError(problems) from None
    if problems:
        raise SettingsError(problems)
    return settings


def read_cdk_json(path: str | Path = "cdk.json") -> dict[str, Any]:
    """The ``context`` object of a cdk.json file (what ``cdk synth`` would read)."""
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise SettingsError([f"{path}: not found (run from the kit's folder or pass --config)"]) from None
    except json.JSONDecodeError as err:
        raise SettingsError([f"{path}: not valid JSON ({err})"]) from None
    context = data.get("context", {}) if isinstance(data, dict) else None
    if not isinstance(context, dict):
        raise SettingsError([f"{path}: 'context' must be a JSON object"])
    return context


def load_file(path: str | Path = "cdk.json", overrides: Mapping[str, Any] | None = None) -> Settings:
    """Settings from a cdk.json, with ``key=value`` overrides applied like ``cdk -c``."""
    context = read_cdk_json(path)
    context.update(overrides or {})
    return load(context)
