"""Checks of what CloudFormation deployed: the three stacks and the capture stack's flow logs."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from flowkit.aws import deployed as names
from flowkit.aws import stack_outputs as outputs
from flowkit.aws.deployed import Deployed, DeployedError, Storage
from flowkit.aws.doctor.checks import Check, count, failed, first_difference, ok, warning
from flowkit.aws.fetch.elsewhere import shape
from flowkit.aws.stack_outputs import stack_name
from flowkit.catalogue import TRANSIT, Field
from flowkit.errors import KitError
from flowkit.layout import Layout, transit_layout

PARTS = ("storage", "capture", "analytics")
TRANSIT_ID_PREFIX = "tgw-"  # transit gateways (tgw-...) and their attachments (tgw-attach-...)


class NoSuchInvestigation(KitError):
    """None of the investigation's stacks exists (bad input: status 2)."""


@dataclass
class Found:
    """What the stacks' outputs say was deployed (None where a stack or its outputs are unusable)."""

    stacks: dict[str, str] = field(default_factory=dict)  # part -> stack name
    storage: Storage | None = None
    deployed: Deployed | None = None
    flow_log_ids: tuple[str, ...] | None = None


def check_stacks(cloudformation: Any, investigation: str, region: str,
                 fallback_fields: tuple[Field, ...]) -> tuple[list[Check], Found]:
    """One check per stack (exists, complete, outputs readable); NoSuchInvestigation if none exists."""
    found = Found({part: stack_name(investigation, part) for part in PARTS})
    described = {part: names.describe_stack(cloudformation, name) for part, name in found.stacks.items()}
    if all(stack is None for stack in described.values()):
        raise NoSuchInvestigation(
            f"no investigation '{investigation}' in {region}: none of its stacks "
            f"({', '.join(found.stacks.values())}) exists; check --investigation, --profile and --region, "
            "or deploy it first (npx cdk deploy --all)")
    results = []
    for part in PARTS:
        name = found.stacks[part]
        stack = described[part]
        if stack is None:
            results.append(failed(f"{part} stack", f"{name} does not exist",
                                  f"deploy it: npx cdk deploy {name}"))
            continue
        results.append(_one_stack(part, name, stack, investigation, found, fallback_fields))
    return results, found


def _one_stack(part: str, name: str, stack: dict[str, Any], investigation: str, found: Found,
               fallback_fields: tuple[Field, ...]) -> Check:
    status = str(stack.get("StackStatus", ""))
    check = f"{part} stack"
    problem = names.state_problem(name, status)
    if problem:
        fix = ("wait until it has finished, then run flowlogs doctor again" if status.endswith("_IN_PROGRESS")
               else f"see the stack's events in the CloudFormation console, fix the cause, then "
                    f"npx cdk deploy {name}")
        if status == "ROLLBACK_COMPLETE":
            fix = (f"its first deployment failed: see the stack's events, then npx cdk destroy {name} "
                   "and deploy again")
        return failed(check, f"{name} is {status}", fix)
    values = names.outputs_of(stack)
    note = ""
    try:
        if part == "storage":
            found.storage = names.storage_from(values, name)
        elif part == "capture":
            found.flow_log_ids = names.flow_log_ids(values, name)
            note = f", {count(len(found.flow_log_ids), 'flow log')}"
        elif found.storage is not None:
            found.deployed = names.analytics_from(investigation, found.storage, values, name)
    except DeployedError as err:
        return failed(check, err.problems[0].removeprefix("stack "),
                      f"redeploy it with this version of the kit: npx cdk deploy {name}")
    if found.deployed is not None and part == "analytics" and found.deployed.fields is None:
        found.deployed = dataclasses.replace(found.deployed, fields=fallback_fields)
        return warning(check, f"{name} is {status} but has no {outputs.TABLE_COLUMNS} output (deployed by an "
                       "older kit); assuming the table has the log_fields of the settings",
                       f"redeploy it with this version of the kit: npx cdk deploy {name}")
    if status == "UPDATE_ROLLBACK_COMPLETE":
        return warning(check, f"{name} is {status}: its last update failed, the previous version is in place",
                       f"see the stack's events in the CloudFormation console, fix the cause, then "
                       f"npx cdk deploy {name}")
    return ok(check, f"{name} is {status}{note}")


# -- flow logs -------------------------------------------------------------------------------------
_FIELD_RE = re.compile(r"\$\{([^}]+)\}")


def check_flow_logs(ec2: Any, ids: tuple[str, ...], storage: Storage | None, fields: tuple[Field, ...] | None,
                    capture_stack: str, storage_stack: str) -> Check:
    """Every flow log exists, is active, delivers without error, and writes what the table reads."""
    described = {}
    for page in ec2.get_paginator("describe_flow_logs").paginate(FlowLogIds=list(ids)):
        described.update({f["FlowLogId"]: f for f in page.get("FlowLogs", [])})
    problems: list[tuple[str, str]] = []
    for flow_log_id in ids:
        flow_log = described.get(flow_log_id)
        if flow_log is None:
            problems.append((f"{flow_log_id} does not exist (deleted outside CloudFormation)",
                             f"recreate it: npx cdk destroy {capture_stack}, then "
                             f"npx cdk deploy {capture_stack}"))
            continue
        problems.extend(_problems(flow_log, storage, fields, capture_stack, storage_stack))
    if problems:
        details = list(dict.fromkeys(d for d, _ in problems))
        fixes = list(dict.fromkeys(f for _, f in problems))
        return failed("flow logs", "; ".join(details), "; ".join(fixes))
    where = f" to s3://{storage.bucket}/{storage.layout.root}" if storage else ""
    return ok("flow logs", f"{count(len(ids), 'flow log')} active, delivering{where} ({', '.join(ids)})")


def _problems(flow_log: dict[str, Any], storage: Storage | None, fields: tuple[Field, ...] | None,
              capture_stack: str, storage_stack: str) -> list[tuple[str, str]]:
    who = f"{flow_log['FlowLogId']} ({flow_log.get('ResourceId', '?')})"
    if str(flow_log.get("ResourceId", "")).startswith(TRANSIT_ID_PREFIX):  # writes the transit gateway table
        storage = Storage(storage.bucket, transit_layout(storage.layout)) if storage else None
        fields = TRANSIT.fields if fields is not None else None
    redeploy = f"redeploy the capture stack: npx cdk deploy {capture_stack}"
    found: list[tuple[str, str]] = []
    if flow_log.get("FlowLogStatus", "ACTIVE") != "ACTIVE":
        found.append((f"{who} is {flow_log.get('FlowLogStatus')}", redeploy))
    if flow_log.get("DeliverLogsStatus") == "FAILED":
        message = flow_log.get("DeliverLogsErrorMessage") or "no reason given"
        bucket = storage.bucket if storage else "the log bucket"
        found.append((f"{who} cannot deliver: {message}",
                      f"the log delivery service (delivery.logs.amazonaws.com) must be allowed to write to "
                      f"{bucket} by its bucket policy, and with encryption=kms to use its key: redeploy the "
                      f"storage stack (npx cdk deploy {storage_stack}) and do not edit those policies by "
                      "hand"))
    if storage is not None:
        found.extend(_destination(flow_log, who, storage, redeploy))
    if fields is not None:
        logged = _FIELD_RE.findall(str(flow_log.get("LogFormat", "")))
        difference = first_difference([f.name for f in fields], logged, what="field",
                                      found_in=f"the log format of {who}", expected_in="the table")
        if difference:
            found.append((difference, "the flow log and the table must come from the same log_fields: "
                                      "npx cdk deploy --all"))
    return found


def _destination(flow_log: dict[str, Any], who: str, storage: Storage,
                 redeploy: str) -> list[tuple[str, str]]:
    """Problems with where and how a flow log writes, compared with the storage stack's layout."""
    layout = storage.layout
    destination = str(flow_log.get("LogDestination", ""))
    writes = destination.split(":::", 1)[-1].strip("/")
    reads = f"{storage.bucket}/{layout.key_prefix}".strip("/")
    found: list[tuple[str, str]] = []
    if flow_log.get("LogDestinationType", "s3") != "s3" or writes != reads:
        found.append((f"{who} writes to {destination or 'nowhere'}, the table reads s3://{reads}/",
                      f"{redeploy}; remove flow logs not made by this kit"))
    options = flow_log.get("DestinationOptions")
    if options:  # AWS reports them for S3 destinations
        writes_layout = Layout("text" if options.get("FileFormat") == "plain-text" else "parquet",
                               bool(options.get("HiveCompatiblePartitions")),
                               bool(options.get("PerHourPartition")), layout.key_prefix)
        if writes_layout != layout:
            found.append((f"{who} writes {shape(writes_layout)} files, the table reads {shape(layout)}",
                          f"{redeploy} (npx cdk deploy --all if the settings changed)"))
    return found
