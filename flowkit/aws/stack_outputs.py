"""CloudFormation stack names and output keys of the kit's stacks (shared by the stacks and the CLI).

Pure constants: flowkit never imports CDK. Each key names one ``Outputs`` entry of one stack.
"""

from __future__ import annotations

from collections.abc import Iterable

from flowkit.layout import Layout

# storage stack
BUCKET_NAME = "BucketName"
BUCKET_ARN = "BucketArn"
KEY_PREFIX = "KeyPrefix"  # only present when a key prefix is configured (outputs cannot be empty)
LOG_ROOT = "LogRoot"  # "[prefix/]AWSLogs/": where every flow log file of the investigation lives
LOG_LAYOUT = "LogLayout"  # "<text|parquet> hive=<true|false> hourly=<true|false>"
KMS_KEY_ARN = "KmsKeyArn"  # only with encryption=kms

# capture stack
FLOW_LOG_IDS = "FlowLogIds"  # comma-separated fl-... ids (of the flow logs to S3)
CLOUDWATCH_FLOW_LOG_IDS = "CloudWatchFlowLogIds"  # ... of the flow logs to CloudWatch Logs

# analytics stack
DATABASE_NAME = "DatabaseName"
TABLE_NAME = "TableName"
WORKGROUP_NAME = "WorkGroupName"
RESULTS_LOCATION = "ResultsLocation"
TABLE_COLUMNS = "TableColumns"  # comma-separated hyphenated field names, in the table's column order
# only when transit gateways are captured: their table (in the same database), and its columns
TRANSIT_TABLE_NAME = "TransitGatewayTableName"
TRANSIT_TABLE_COLUMNS = "TransitGatewayTableColumns"

# cloudwatch stack (one per account and region whose flow logs go to CloudWatch Logs)
LOG_GROUP_NAME = "LogGroupName"
LOG_GROUP_ARN = "LogGroupArn"  # arn:<partition>:logs:<region>:<account>:log-group:<name>
LOG_FIELDS = "LogFields"  # comma-separated hyphenated field names, in LogFormat order

STORAGE_OUTPUTS: tuple[str, ...] = (BUCKET_NAME, BUCKET_ARN, KEY_PREFIX, LOG_ROOT, LOG_LAYOUT, KMS_KEY_ARN)
CAPTURE_OUTPUTS: tuple[str, ...] = (FLOW_LOG_IDS, CLOUDWATCH_FLOW_LOG_IDS)
ANALYTICS_OUTPUTS: tuple[str, ...] = (DATABASE_NAME, TABLE_NAME, WORKGROUP_NAME, RESULTS_LOCATION,
                                     TABLE_COLUMNS, TRANSIT_TABLE_NAME, TRANSIT_TABLE_COLUMNS)
CLOUDWATCH_OUTPUTS: tuple[str, ...] = (LOG_GROUP_NAME, LOG_GROUP_ARN, LOG_FIELDS)

# Prefix of the Athena query results inside the kit's bucket (its own short lifecycle rule).
RESULTS_PREFIX = "athena-results/"
# The Athena engine the workgroup selects (the saved queries are Trino SQL of engine v3).
ENGINE_VERSION = "Athena engine version 3"


def stack_name(investigation: str, part: str) -> str:
    """CloudFormation stack name of one of an investigation's stacks (``storage``, ``capture``, ...)."""
    return f"flowlogs-{investigation}-{part}"


def log_group_name(investigation: str) -> str:
    """The CloudWatch Logs log group of an investigation (the same name in every account and region)."""
    return f"/flowlogs/{investigation}"


def layout_description(layout: Layout) -> str:
    """The value of the LogLayout output (the key prefix has outputs of its own)."""
    return f"{layout.file_format} hive={str(layout.hive).lower()} hourly={str(layout.hourly).lower()}"


def table_columns(field_names: Iterable[str]) -> str:
    """The value of the TableColumns output: ``"version,account-id,..."`` (hyphenated, table order)."""
    return ",".join(field_names)
