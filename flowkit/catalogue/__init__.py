"""The field catalogue: every flow log record field with its version, types and description."""

from flowkit.catalogue.fields import (
    BY_COLUMN,
    BY_NAME,
    CATALOGUE,
    DEFAULT_PRESET,
    INT32,
    INT64,
    PRESETS,
    REQUIRED_FIELDS,
    STRING,
    Field,
    FieldSpecError,
    FieldType,
    log_format,
    parse_log_format,
    resolve,
)

__all__ = [
    "BY_COLUMN",
    "BY_NAME",
    "CATALOGUE",
    "DEFAULT_PRESET",
    "INT32",
    "INT64",
    "PRESETS",
    "REQUIRED_FIELDS",
    "STRING",
    "Field",
    "FieldSpecError",
    "FieldType",
    "log_format",
    "parse_log_format",
    "resolve",
]
