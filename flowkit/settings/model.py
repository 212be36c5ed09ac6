"""The settings of one investigation: every part's keys, the checks across parts, the derived names.

Each part (capture, storage, analytics, ...) is a module of its own; ``Settings`` inherits them all.
The cdk.json keys come in the order of the parts (investigation first, the last base class next).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import model_validator

from flowkit.aws.stack_outputs import stack_name
from flowkit.settings.analytics import AnalyticsSettings
from flowkit.settings.capture import CaptureSettings
from flowkit.settings.rules import Part, SettingsError, matching
from flowkit.settings.storage import StorageSettings

INVESTIGATION = re.compile(r"^[a-z][a-z0-9-]{0,22}[a-z0-9]$|^[a-z]$")

__all__ = ["INVESTIGATION", "Settings", "SettingsError", "stack_name"]


class Investigation(Part):
    investigation: Annotated[str, matching(
        INVESTIGATION, "must be 1-24 characters: lower-case letters, digits and '-', starting with a letter "
        "and not ending with '-'")]


class Settings(AnalyticsSettings, StorageSettings, CaptureSettings, Investigation):
    """One investigation's settings. Field names are the cdk.json context keys."""

    @model_validator(mode="after")
    def _across_parts(self) -> Settings:
        if not (self.vpc_ids or self.subnet_ids or self.eni_ids):
            raise ValueError("settings 'vpc_ids', 'subnet_ids', 'eni_ids': no flow log target; "
                             "set at least one id")
        if self.lookback_days > self.log_retention_days:
            raise ValueError(
                f"setting 'lookback_days': {self.lookback_days} is longer than log_retention_days "
                f"({self.log_retention_days}): the saved queries would look for expired logs"
            )
        return self

    @property
    def database_name(self) -> str:
        return self.database or "flowlogs_" + self.investigation.replace("-", "_")

    @property
    def table_name(self) -> str:
        return self.table or "flow_logs"

    @property
    def workgroup_name(self) -> str:
        return self.workgroup or f"flowlogs-{self.investigation}"

    def stack_name(self, part: Literal["storage", "capture", "analytics"]) -> str:
        return stack_name(self.investigation, part)
