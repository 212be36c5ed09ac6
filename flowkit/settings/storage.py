"""Where the logs go and how long they stay: file format, key layout, retention, removal, encryption."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import field_validator

from flowkit.layout import AWSLOGS, Layout, normalize_prefix
from flowkit.settings.rules import Part, TextBool, TextInt, between

KEY_PREFIX = re.compile(r"^[a-zA-Z0-9_./-]*$")


class StorageSettings(Part):
    file_format: Literal["parquet", "text"] = "parquet"
    hive_partitions: TextBool = False
    per_hour_partitions: TextBool = True
    key_prefix: str = ""
    log_retention_days: Annotated[TextInt, between(1, 3650, "must be between 1 and 3650 days")] = 30
    removal: Literal["destroy", "retain"] = "destroy"
    encryption: Literal["s3", "kms"] = "s3"

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

    @property
    def layout(self) -> Layout:
        return Layout(self.file_format, self.hive_partitions, self.per_hour_partitions, self.key_prefix)

    @property
    def projected_days(self) -> int:
        """How far back the time partition is projected: everything the lifecycle keeps."""
        return self.log_retention_days + 1
