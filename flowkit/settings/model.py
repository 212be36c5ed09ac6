"""The settings model: one investigation's cdk.json ``context`` keys, their types and their checks.

Values from ``-c`` arrive as strings ("true", "60", "vpc-1,vpc-2"); values from cdk.json arrive as
JSON. Both are accepted. Range and pattern checks are annotated types (:func:`between`,
:func:`matching`) so each rule is written once and its message names the rule.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    field_validator,
    model_validator,
)

from flowkit import catalogue
from flowkit.errors import KitError
from flowkit.layout import AWSLOGS, Layout, normalize_prefix

VPC_ID = re.compile(r"^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
ENI_ID = re.compile(r"^eni-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
INVESTIGATION = re.compile(r"^[a-z][a-z0-9-]{0,22}[a-z0-9]$|^[a-z]$")
GLUE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,254}$")
WORKGROUP_NAME = re.compile(r"^[a-zA-Z0-9._-]{1,128}$")
KEY_PREFIX = re.compile(r"^[a-zA-Z0-9_./-]*$")
# Names that exist in every account: CloudFormation would fail with AlreadyExists.
RESERVED_DATABASES = {"default"}
RESERVED_WORKGROUPS = {"primary"}


class SettingsError(KitError):
    """Invalid settings; ``problems`` holds one line per problem."""


def between(low: float, high: float, message: str) -> AfterValidator:
    """An annotated range check: ``low <= value <= high`` or ``message``."""

    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(message)
        return value

    return AfterValidator(check)


def matching(pattern: re.Pattern[str], message: str) -> AfterValidator:
    """An annotated pattern check for optional names: None passes, anything else must match."""

    def check(value: str | None) -> str | None:
        if value is not None and not pattern.match(value):
            raise ValueError(message)
        return value

    return AfterValidator(check)


def not_in(reserved: set[str], message: str) -> AfterValidator:
    def check(value: str | None) -> str | None:
        if value is not None and value.lower() in reserved:
            raise ValueError(message)
        return value

    return AfterValidator(check)


OWN_NAME = "choose a name of the investigation's own"
GlueName = Annotated[
    str | None,
    matching(GLUE_NAME, "must be lower-case letters, digits and '_' (Athena/Glue name)"),
    not_in(RESERVED_DATABASES, f"already exists in every account; {OWN_NAME}"),
]


def _as_list(value: Any) -> Any:
    """A JSON list, a JSON-list string, or a comma-separated string -> list of stripped strings."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                return value
        else:
            return [part.strip() for part in text.split(",") if part.strip()]
    return value


def _as_bool(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


class Settings(BaseModel):
    """One investigation's settings. Field names are the cdk.json context keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)

    investigation: Annotated[str, matching(
        INVESTIGATION, "must be 1-24 characters: lower-case letters, digits and '-', starting with a letter "
        "and not ending with '-'")]
    vpc_ids: list[str] = []
    subnet_ids: list[str] = []
    eni_ids: list[str] = []
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = "ALL"
    aggregation_seconds: Literal[60, 600] = 60
    log_fields: str | list[str] = catalogue.DEFAULT_PRESET
    file_format: Literal["parquet", "text"] = "parquet"
    hive_partitions: StrictBool = False
    per_hour_partitions: StrictBool = True
    key_prefix: str = ""
    log_retention_days: Annotated[StrictInt, between(1, 3650, "must be between 1 and 3650 days")] = 30
    removal: Literal["destroy", "retain"] = "destroy"
    encryption: Literal["s3", "kms"] = "s3"
    lookback_days: Annotated[StrictInt, between(1, 366, "must be between 1 and 366 days")] = 7
    query_limit_gb: Annotated[StrictFloat, between(
        0.01, 1_000_000, "must be between 0.01 (10 MB, Athena's minimum) and 1000000")] = 10
    database: GlueName = None
    table: GlueName = None
    workgroup: Annotated[str | None,
                         matching(WORKGROUP_NAME, "must be 1-128 letters, digits, '.', '_' or '-'"),
                         not_in(RESERVED_WORKGROUPS, f"is Athena's built-in workgroup; {OWN_NAME}")] = None

    # -- coercion of command-line strings ---------------------------------------------------------
    @field_validator("vpc_ids", "subnet_ids", "eni_ids", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("hive_partitions", "per_hour_partitions", mode="before")
    @classmethod
    def _bools(cls, value: Any) -> Any:
        return _as_bool(value)

    @field_validator("traffic_type", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("aggregation_seconds", "log_retention_days", "lookback_days", "query_limit_gb",
                     mode="before")
    @classmethod
    def _numbers(cls, value: Any) -> Any:
        """``-c`` gives text: "60" becomes 60, "2.5" becomes 2.5; the field's strict type checks the rest."""
        if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d*)?\s*", value):
            return float(value) if "." in value else int(value)
        return value

    @field_validator("log_fields", mode="before")
    @classmethod
    def _fields(cls, value: Any) -> Any:
        if not isinstance(value, str | list):
            raise ValueError("must be a preset name or a list of field names")
        if isinstance(value, str) and value.strip() not in catalogue.PRESETS:
            return _as_list(value)
        return value.strip() if isinstance(value, str) else value

    # -- checks --------------------------------------------------------------------------------
    @field_validator("vpc_ids", "subnet_ids", "eni_ids")
    @classmethod
    def _ids(cls, value: list[str], info: Any) -> list[str]:
        pattern, kind = {
            "vpc_ids": (VPC_ID, "a VPC id (vpc- and 8 or 17 hex digits)"),
            "subnet_ids": (SUBNET_ID, "a subnet id (subnet- and 8 or 17 hex digits)"),
            "eni_ids": (ENI_ID, "a network interface id (eni- and 8 or 17 hex digits)"),
        }[info.field_name]
        bad = [v for v in value if not isinstance(v, str) or not pattern.match(v)]
        if bad:
            raise ValueError(", ".join(repr(b) for b in bad) + f" is not {kind}")
        dupes = sorted({v for v in value if value.count(v) > 1})
        if dupes:
            raise ValueError("duplicate id(s) " + ", ".join(dupes))
        return value

    @field_validator("log_fields")
    @classmethod
    def _field_list(cls, value: str | list[str]) -> str | list[str]:
        try:
            catalogue.resolve(value)
        except catalogue.FieldSpecError as err:
            raise ValueError(str(err)) from None
        return value

    @field_validator("key_prefix", mode="before")
    @classmethod
    def _prefix(cls, value: Any) -> Any:
        if value is None:
            return ""
        if not isinstance(value, str):
            return value
        prefix = normalize_prefix(value)
        if not KEY_PREFIX.match(prefix) or "//" in prefix:
            raise ValueError("may hold only letters, digits, '/', '_', '.' and '-' (no empty folders)")
        if AWSLOGS.lower() in prefix.lower().split("/"):
            raise ValueError(f"must not contain the reserved folder name {AWSLOGS}")
        if len(prefix) > 512:
            raise ValueError("is longer than 512 characters")
        return prefix

    @model_validator(mode="after")
    def _targets(self) -> Settings:
        if not (self.vpc_ids or self.subnet_ids or self.eni_ids):
            raise ValueError("settings 'vpc_ids', 'subnet_ids', 'eni_ids': no flow log target; "
                             "set at least one id")
        if self.lookback_days > self.log_retention_days:
            raise ValueError(
                f"setting 'lookback_days': {self.lookback_days} is longer than log_retention_days "
                f"({self.log_retention_days}): the saved queries would look for expired logs"
            )
        return self

    # -- derived values --------------------------------------------------------------------------
    @property
    def fields(self) -> tuple[catalogue.Field, ...]:
        return catalogue.resolve(self.log_fields)

    @property
    def layout(self) -> Layout:
        return Layout(self.file_format, self.hive_partitions, self.per_hour_partitions, self.key_prefix)

    @property
    def database_name(self) -> str:
        return self.database or "flowlogs_" + self.investigation.replace("-", "_")

    @property
    def table_name(self) -> str:
        return self.table or "flow_logs"

    @property
    def workgroup_name(self) -> str:
        return self.workgroup or f"flowlogs-{self.investigation}"

    @property
    def projected_days(self) -> int:
        """How far back the time partition is projected: everything the lifecycle keeps."""
        return self.log_retention_days + 1

    def stack_name(self, part: Literal["storage", "capture", "analytics"]) -> str:
        return stack_name(self.investigation, part)


def stack_name(investigation: str, part: str) -> str:
    """CloudFormation stack name of one of an investigation's three stacks."""
    return f"flowlogs-{investigation}-{part}"
