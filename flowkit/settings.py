"""The kit's settings: read from cdk.json ``context`` (or ``cdk -c key=value``), validated up front.

Values from ``-c`` arrive as strings ("true", "60", "vpc-1,vpc-2"); values from cdk.json arrive as
JSON. Both are accepted. Every problem is reported as one line naming the key and the bad value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from flowkit import fields as catalogue
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


class SettingsError(Exception):
    """Invalid settings; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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

    investigation: str
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
    log_retention_days: StrictInt = 30
    removal: Literal["destroy", "retain"] = "destroy"
    encryption: Literal["s3", "kms"] = "s3"
    lookback_days: StrictInt = 7
    query_limit_gb: StrictFloat = 10
    database: str | None = None
    table: str | None = None
    workgroup: str | None = None

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

    @field_validator("aggregation_seconds", "log_retention_days", "lookback_days", mode="before")
    @classmethod
    def _ints(cls, value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
            return int(value)
        return value

    @field_validator("query_limit_gb", mode="before")
    @classmethod
    def _float(cls, value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d*)?\s*", value):
            return float(value)
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
    @field_validator("investigation")
    @classmethod
    def _investigation(cls, value: str) -> str:
        if not INVESTIGATION.match(value):
            raise ValueError("must be 1-24 characters: lower-case letters, digits and '-', "
                             "starting with a letter and not ending with '-'")
        return value

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

    @field_validator("log_retention_days")
    @classmethod
    def _retention(cls, value: int) -> int:
        if not 1 <= value <= 3650:
            raise ValueError("must be between 1 and 3650 days")
        return value

    @field_validator("lookback_days")
    @classmethod
    def _lookback(cls, value: int) -> int:
        if not 1 <= value <= 366:
            raise ValueError("must be between 1 and 366 days")
        return value

    @field_validator("query_limit_gb")
    @classmethod
    def _limit(cls, value: float) -> float:
        if not 0.01 <= value <= 1_000_000:
            raise ValueError("must be between 0.01 (10 MB, Athena's minimum) and 1000000")
        return value

    @field_validator("database", "table")
    @classmethod
    def _glue(cls, value: str | None) -> str | None:
        if value is not None and not GLUE_NAME.match(value):
            raise ValueError("must be lower-case letters, digits and '_' (Athena/Glue name)")
        if value in RESERVED_DATABASES:
            raise ValueError("already exists in every account; choose a name of the investigation's own")
        return value

    @field_validator("workgroup")
    @classmethod
    def _workgroup(cls, value: str | None) -> str | None:
        if value is not None and not WORKGROUP_NAME.match(value):
            raise ValueError("must be 1-128 letters, digits, '.', '_' or '-'")
        if value is not None and value.lower() in RESERVED_WORKGROUPS:
            raise ValueError("is Athena's built-in workgroup; choose a name of the investigation's own")
        return value

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
