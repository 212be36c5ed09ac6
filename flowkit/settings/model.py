"""The settings of one investigation: every part's keys, the checks across parts, the derived names.

Each part (capture, storage, analytics, ...) is a module of its own; ``Settings`` inherits them all.
The cdk.json keys come in the order of the parts (investigation first, the last base class next).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Annotated, Literal

from pydantic import model_validator

from flowkit.aws.stack_outputs import stack_name
from flowkit.settings.accounts import AccountSettings
from flowkit.settings.analytics import AnalyticsSettings
from flowkit.settings.capture import CaptureSettings
from flowkit.settings.cloudwatch import CloudWatchSettings, check_destination
from flowkit.settings.rules import Part, SettingsError, matching
from flowkit.settings.schedule import ScheduleSettings
from flowkit.settings.storage import StorageSettings

INVESTIGATION = re.compile(r"^[a-z][a-z0-9-]{0,22}[a-z0-9]$|^[a-z]$")
TARGET_KEYS = "settings 'vpc_ids', 'subnet_ids', 'eni_ids', 'tgw_ids', 'tgw_attachment_ids', 'targets'"
TRANSIT_SUFFIX = "_tgw"  # the transit gateway table is named after the VPC one

__all__ = ["INVESTIGATION", "Settings", "SettingsError", "stack_name"]


class Investigation(Part):
    investigation: Annotated[str, matching(
        INVESTIGATION, "must be 1-24 characters: lower-case letters, digits and '-', starting with a letter "
        "and not ending with '-'")]


class Settings(ScheduleSettings, CloudWatchSettings, AccountSettings, AnalyticsSettings, StorageSettings,
               CaptureSettings, Investigation):
    """One investigation's settings. Field names are the cdk.json context keys."""

    @model_validator(mode="after")
    def _across_parts(self) -> Settings:
        every_id = self.target_ids + [i for ids in self.targets.values() for i in ids.target_ids]
        if not every_id:
            raise ValueError(f"{TARGET_KEYS}: no flow log target; set at least one id")
        twice = sorted(i for i, n in Counter(every_id).items() if n > 1)
        if twice:
            raise ValueError(f"{TARGET_KEYS}: listed more than once: " + ", ".join(twice))
        for where in self.target_environments:
            problem = self.outside(where)
            if problem:
                raise ValueError(f"setting 'targets': key '{where}': {problem}")
        if self.lookback_days > self.log_retention_days:
            raise ValueError(
                f"setting 'lookback_days': {self.lookback_days} is longer than log_retention_days "
                f"({self.log_retention_days}): the saved queries would look for expired logs"
            )
        if self.report_expression and (self.report_days or 0) > self.log_retention_days:
            raise ValueError(f"setting 'report_lookback_days': a report would cover {self.report_days} days, "
                             f"more than log_retention_days ({self.log_retention_days}) keeps the logs")
        check_destination(self)  # settings the destination cannot use: one line each
        if self.has_transit_gateways:
            self._check_transit()
        return self

    def _check_transit(self) -> None:
        """What transit gateway flow logs cannot do (AWS refuses it, or the kit has no table for it)."""
        what = "transit gateway flow logs (tgw_ids, tgw_attachment_ids)"
        if self.traffic_type != "ALL":
            raise ValueError(f"setting 'traffic_type' = \"{self.traffic_type}\": {what} record all traffic "
                             "and AWS accepts no traffic type for them; set ALL, or capture the transit "
                             "gateways in an investigation of their own")
        if self.aggregation_seconds != 60:
            raise ValueError(f"setting 'aggregation_seconds' = {self.aggregation_seconds}: {what} aggregate "
                             "over 60 seconds only; set 60, or capture the transit gateways in an "
                             "investigation of their own")
        if not self.to_s3:
            raise ValueError(f"setting 'destination' = \"{self.destination}\": {what} go to the bucket (they "
                             "have a table of their own); set 's3' or 'both'")

    @property
    def has_transit_gateways(self) -> bool:
        """Whether any transit gateway or attachment is captured (here or in ``targets``)."""
        return bool(self.transit_ids or any(ids.transit_ids for ids in self.targets.values()))

    @property
    def database_name(self) -> str:
        return self.database or "flowlogs_" + self.investigation.replace("-", "_")

    @property
    def table_name(self) -> str:
        return self.table or "flow_logs"

    @property
    def transit_table_name(self) -> str:
        """The transit gateway flow logs' table, beside the VPC one: ``flow_logs_tgw``."""
        return self.table_name + TRANSIT_SUFFIX

    @property
    def workgroup_name(self) -> str:
        return self.workgroup or f"flowlogs-{self.investigation}"

    def stack_name(self, part: Literal["storage", "capture", "analytics"]) -> str:
        return stack_name(self.investigation, part)


