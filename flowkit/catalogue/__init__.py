"""The field catalogues: every flow log record field with its version, types and description.

``VPC`` (the default; its values are also exported under the historic names below) and ``TRANSIT``,
the transit gateway record format, have the same shape (:class:`Catalogue`).
"""

from flowkit.catalogue.fields import (
    INT32,
    INT64,
    STRING,
    UNDOCUMENTED_TYPE,
    Catalogue,
    Field,
    FieldSpecError,
    FieldType,
    log_format,
    record_version,
)
from flowkit.catalogue.transit import PACKETS_LOST, TRANSIT
from flowkit.catalogue.vpc import TAG_FIELDS, TAG_RESOURCE_TYPES, VPC

CATALOGUE = VPC.fields
BY_NAME = VPC.by_name
BY_COLUMN = VPC.by_column
PRESETS = VPC.presets
DEFAULT_PRESET = VPC.default_preset
REQUIRED_FIELDS = VPC.required
resolve = VPC.resolve
parse_log_format = VPC.parse_log_format

__all__ = [
    "BY_COLUMN",
    "BY_NAME",
    "CATALOGUE",
    "DEFAULT_PRESET",
    "INT32",
    "INT64",
    "PACKETS_LOST",
    "PRESETS",
    "REQUIRED_FIELDS",
    "STRING",
    "TAG_FIELDS",
    "TAG_RESOURCE_TYPES",
    "TRANSIT",
    "UNDOCUMENTED_TYPE",
    "VPC",
    "Catalogue",
    "Field",
    "FieldSpecError",
    "FieldType",
    "log_format",
    "parse_log_format",
    "record_version",
    "resolve",
]
