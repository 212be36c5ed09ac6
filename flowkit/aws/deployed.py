"""What an investigation actually deployed: names read back from its CloudFormation stack outputs.

``flowlogs query --athena`` and ``flowlogs fetch --investigation`` use these instead of re-deriving
names from cdk.json, so they follow what is in the account even if cdk.json changed since the deploy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from flowkit.aws import stack_outputs as outputs
from flowkit.aws.session import AwsError, client, describe_error
from flowkit.aws.stack_outputs import stack_name
from flowkit.catalogue import TRANSIT, Field, FieldSpecError, resolve
from flowkit.layout import FileFormat, Layout, normalize_prefix, transit_layout
from flowkit.messages import Notify, silent
from flowkit.queries.tables import TRANSIT as TRANSIT_TABLE
from flowkit.queries.tables import VPC, TableKind


class DeployedError(AwsError):
    """A stack or one of its outputs is missing or unusable."""


@dataclass(frozen=True)
class Storage:
    """The log bucket and the key layout the flow log writes into it."""

    bucket: str
    layout: Layout


@dataclass(frozen=True)
class Deployed:
    """Names of one deployed investigation (storage + analytics stacks)."""

    investigation: str
    bucket: str
    layout: Layout
    database: str
    table: str
    workgroup: str
    results_location: str
    # The table's fields (TableColumns output); None when not known (names given by hand, or a
    # deployment older than that output): then the settings' fields are used.
    fields: tuple[Field, ...] | None = None
    # The transit gateway flow logs' table in the same database, when the investigation captures any.
    transit_table: str | None = None
    kind: TableKind = VPC  # which table ``table``, ``layout`` and ``fields`` describe

    @property
    def storage(self) -> Storage:
        return Storage(self.bucket, self.layout)

    def for_table(self, kind: TableKind) -> Deployed:
        """The names of the table a query of ``kind`` reads: this one, or the transit gateway table."""
        if kind == self.kind:
            return self
        if kind == VPC or self.transit_table is None:
            raise DeployedError(f"investigation {self.investigation}: no {kind} table (it captures no "
                                f"transit gateway: no tgw_ids or tgw_attachment_ids in the settings, no "
                                f"{outputs.TRANSIT_TABLE_NAME} output in its analytics stack)")
        return replace(self, kind=TRANSIT_TABLE, table=self.transit_table, layout=transit_layout(self.layout),
                       fields=TRANSIT.fields)


_NOT_FOUND = "not found (deploy it first, and check the AWS account and region)"


def describe_stack(cloudformation: Any, name: str) -> dict[str, Any] | None:
    """DescribeStacks of one stack; None if it does not exist (other errors raise DeployedError)."""
    try:
        stacks = cloudformation.describe_stacks(StackName=name)["Stacks"]
    except ClientError as err:
        message = err.response.get("Error", {}).get("Message", "")
        if "does not exist" in message:
            return None
        raise DeployedError(f"stack {name}: {describe_error(err)}") from None
    except BotoCoreError as err:
        raise DeployedError(f"stack {name}: {err}") from None
    return dict(stacks[0]) if stacks else None


def state_problem(name: str, status: str) -> str | None:
    """Why a stack in ``status`` cannot be used (still deploying, failed, deleted); None if it can."""
    if status.endswith("_IN_PROGRESS") and status != "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS":
        return f"stack {name}: is {status}; wait until the deployment has finished"
    if status in ("ROLLBACK_COMPLETE", "DELETE_COMPLETE") or status.endswith("_FAILED"):
        return f"stack {name}: is {status}; deploy it again"
    return None


def outputs_of(stack: dict[str, Any]) -> dict[str, str]:
    """OutputKey -> OutputValue of a described stack."""
    return {o["OutputKey"]: o.get("OutputValue", "") for o in stack.get("Outputs", [])}


def stack_outputs(cloudformation: Any, name: str) -> dict[str, str]:
    """OutputKey -> OutputValue of one stack; DeployedError if it does not exist or is not usable."""
    stack = describe_stack(cloudformation, name)
    if stack is None:
        raise DeployedError(f"stack {name}: {_NOT_FOUND}")
    problem = state_problem(name, stack.get("StackStatus", ""))
    if problem:
        raise DeployedError(problem)
    return outputs_of(stack)


def _require(values: dict[str, str], stack: str, key: str) -> str:
    if key not in values:
        raise DeployedError(f"stack {stack}: output {key} is missing (redeploy with this version of the kit)")
    value = values[key].strip()
    if not value:
        raise DeployedError(f"stack {stack}: output {key} is empty")
    return value


_LAYOUT_RE = re.compile(r"^(text|parquet) hive=(true|false) hourly=(true|false)$")


def _layout(values: dict[str, str], stack: str) -> Layout:
    """Layout from the LogLayout output (``"<text|parquet> hive=<bool> hourly=<bool>"``) and the prefix."""
    text = _require(values, stack, outputs.LOG_LAYOUT)
    m = _LAYOUT_RE.match(text)
    if not m:
        raise DeployedError(
            f"stack {stack}: output {outputs.LOG_LAYOUT} is {text!r}, "
            "expected '<text|parquet> hive=<true|false> hourly=<true|false>'"
        )
    file_format: FileFormat = "text" if m[1] == "text" else "parquet"
    # KeyPrefix is only there when a prefix is configured (CloudFormation outputs cannot be empty).
    prefix = normalize_prefix(values.get(outputs.KEY_PREFIX))
    layout = Layout(file_format, m[2] == "true", m[3] == "true", prefix)
    root = values.get(outputs.LOG_ROOT)
    if root is not None and root != layout.root:
        raise DeployedError(f"stack {stack}: output {outputs.LOG_ROOT} is {root!r} "
                            f"but {outputs.KEY_PREFIX} gives {layout.root!r}")
    return layout


def _fields(values: dict[str, str], stack: str, key: str = outputs.TABLE_COLUMNS) -> tuple[Field, ...] | None:
    """Fields from the TableColumns (or ``key``) output, hyphenated names in order; None if it is absent."""
    if key not in values:
        return None
    text = _require(values, stack, key)
    names = [name.strip() for name in text.split(",")]
    if "" in names:
        raise DeployedError(f"stack {stack}: output {key} is {text!r}, which has an empty field name")
    try:
        return resolve(names)
    except FieldSpecError as err:
        raise DeployedError(f"stack {stack}: output {key}: {err}") from None


def storage_from(values: dict[str, str], stack: str) -> Storage:
    """Bucket and key layout from the storage stack's outputs."""
    return Storage(_require(values, stack, outputs.BUCKET_NAME), _layout(values, stack))


def analytics_from(investigation: str, storage: Storage, values: dict[str, str], stack: str) -> Deployed:
    """All names of a deployment from its storage and the analytics stack's outputs."""
    return Deployed(
        investigation=investigation,
        bucket=storage.bucket,
        layout=storage.layout,
        database=_require(values, stack, outputs.DATABASE_NAME),
        table=_require(values, stack, outputs.TABLE_NAME),
        workgroup=_require(values, stack, outputs.WORKGROUP_NAME),
        results_location=_require(values, stack, outputs.RESULTS_LOCATION),
        fields=_fields(values, stack),
        transit_table=values.get(outputs.TRANSIT_TABLE_NAME) or None,
    )


def flow_log_ids(values: dict[str, str], stack: str) -> tuple[str, ...]:
    """The ``fl-...`` ids of the capture stack's FlowLogIds output."""
    text = _require(values, stack, outputs.FLOW_LOG_IDS)
    ids = tuple(part.strip() for part in text.split(","))
    if not all(re.fullmatch(r"fl-[0-9a-f]+", i) for i in ids):
        raise DeployedError(f"stack {stack}: output {outputs.FLOW_LOG_IDS} is {text!r}, "
                            "expected comma-separated fl-... ids")
    return ids


def lookup_storage(investigation: str, session: boto3.Session) -> Storage:
    """Bucket and key layout from the storage stack's outputs."""
    name = stack_name(investigation, "storage")
    return storage_from(stack_outputs(client(session, "cloudformation"), name), name)


def lookup(investigation: str, session: boto3.Session, notify: Notify = silent) -> Deployed:
    """All names of a deployed investigation, from its storage and analytics stacks.

    Without a TableColumns output (deployed by an older kit) ``fields`` is None and ``notify`` gets
    one line saying the settings' fields will be assumed.
    """
    storage = lookup_storage(investigation, session)
    name = stack_name(investigation, "analytics")
    values = stack_outputs(client(session, "cloudformation"), name)
    found = analytics_from(investigation, storage, values, name)
    if found.fields is None:
        notify(f"note: stack {name} has no {outputs.TABLE_COLUMNS} output (deployed by an older kit); "
               "assuming the table has the log_fields of the settings")
    return found


# -- CloudWatch Logs -------------------------------------------------------------------------------
_LOG_GROUP_ARN = re.compile(r"^arn:[a-z0-9-]+:logs:([a-z0-9-]+):(\d{12}):log-group:(.+?)(?::\*)?$")


@dataclass(frozen=True)
class LogGroup:
    """A CloudWatch Logs log group of flow logs, with the fields of its records (None: not known)."""

    name: str
    account: str
    region: str
    fields: tuple[Field, ...] | None = None


def log_group_of_arn(arn: str, fields: tuple[Field, ...] | None = None) -> LogGroup | None:
    """A log group from its ARN (with or without the trailing ``:*``); None if it is no log group ARN."""
    match = _LOG_GROUP_ARN.match(arn)
    return LogGroup(match[3], match[2], match[1], fields) if match else None


def log_group_from(values: dict[str, str], stack: str) -> LogGroup:
    """The log group and its record fields from a CloudWatch stack's outputs."""
    arn = _require(values, stack, outputs.LOG_GROUP_ARN)
    found = log_group_of_arn(arn, _fields(values, stack, outputs.LOG_FIELDS))
    if found is None:
        raise DeployedError(f"stack {stack}: output {outputs.LOG_GROUP_ARN} is {arn!r}, not a log group ARN")
    if found.fields is None:
        raise DeployedError(f"stack {stack}: output {outputs.LOG_FIELDS} is missing (redeploy with this "
                            "version of the kit)")
    return found


def lookup_log_group(investigation: str, session: boto3.Session) -> LogGroup:
    """The investigation's log group in the session's account and region, from its CloudWatch stack:
    ``flowlogs-<inv>-cloudwatch``, or where the kit was deployed from elsewhere,
    ``flowlogs-<inv>-cloudwatch-<account>-<region>``."""
    cloudformation = client(session, "cloudformation")
    name = stack_name(investigation, "cloudwatch")
    stack = describe_stack(cloudformation, name)
    if stack is None:
        try:
            account = client(session, "sts").get_caller_identity()["Account"]
        except (ClientError, BotoCoreError) as err:
            raise DeployedError(f"stack {name}: not found, and the account is unknown: {describe_error(err)}"
                                ) from None
        other = f"{name}-{account}-{session.region_name}"
        stack = describe_stack(cloudformation, other)
        if stack is None:
            raise DeployedError(f"stack {name} (or {other}): {_NOT_FOUND}; the investigation needs "
                                "destination 'cloudwatch' or 'both'")
        name = other
    problem = state_problem(name, stack.get("StackStatus", ""))
    if problem:
        raise DeployedError(problem)
    return log_group_from(outputs_of(stack), name)
