"""Where AWS writes flow log files in S3, and the partition projection that finds them again."""

from flowkit.layout.keys import (
    ACCOUNT_COLUMN,
    AWSLOGS,
    FILE_SUFFIX,
    PARTITION_COLUMNS,
    PARTITION_SLACK,
    REGION_COLUMN,
    SERVICE,
    TIME_COLUMN,
    FileFormat,
    KeyInfo,
    Layout,
    iso_utc,
    normalize_prefix,
    parse_key,
    strftime_to_java,
    to_utc,
)

__all__ = [
    "ACCOUNT_COLUMN",
    "AWSLOGS",
    "FILE_SUFFIX",
    "PARTITION_COLUMNS",
    "PARTITION_SLACK",
    "REGION_COLUMN",
    "SERVICE",
    "TIME_COLUMN",
    "FileFormat",
    "KeyInfo",
    "Layout",
    "iso_utc",
    "normalize_prefix",
    "parse_key",
    "strftime_to_java",
    "to_utc",
]
