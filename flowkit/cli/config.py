"""The global options every command shares: which cdk.json, which ``-c`` overrides, the settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowkit.settings import Settings

DEFAULT_CONFIG = "cdk.json"
# Used when there is no cdk.json: enough to render and run queries locally.
BUILTIN_CONTEXT: dict[str, Any] = {"investigation": "local", "vpc_ids": ["vpc-00000000"]}


@dataclass
class Options:
    """Global options, shared by every command through the click context."""

    config: str | None
    context: dict[str, str]
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config, self.context)
        return self._settings

    @property
    def config_path(self) -> Path:
        return Path(self.config or DEFAULT_CONFIG)


def load_settings(config: str | None, overrides: Mapping[str, str]) -> Settings:
    """cdk.json (``--config`` or ./cdk.json) plus ``-c`` overrides; built-in defaults without a file."""
    from flowkit.settings import load, load_file

    if config is None and not Path(DEFAULT_CONFIG).exists():
        return load({**BUILTIN_CONTEXT, **overrides})
    return load_file(config or DEFAULT_CONFIG, overrides)
