"""Every doctor check in order; one that needs a failed one says so (skipped) instead of running.

Order: the three stacks, the flow logs, the Glue table, the objects, the newest file's header or
schema, the workgroup, a tiny Athena query, the saved queries. An AWS call refused inside a check
fails that check (its line names the call); only finding no stack at all, or AWS refusing the first
call, stops the doctor (bad input).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from flowkit.aws.deployed import Deployed
from flowkit.aws.doctor import checks, deployment, files, objects, table, workgroup
from flowkit.aws.doctor.checks import Check, failed, skipped
from flowkit.aws.session import client, describe_error
from flowkit.catalogue import Field
from flowkit.errors import KitError, one_line
from flowkit.messages import Progress, no_progress
from flowkit.queries import TRANSIT, RenderContext, saved_queries

STEPS = 10  # and three more with a transit gateway table
TRANSIT_NAMES = " (transit gateways)"
REFUSED = ("AWS refused or failed the call named in the line: make sure your credentials may make it, "
           "then run flowlogs doctor again")


class _Report:
    """The checks so far; runs the next one, or records why it cannot run."""

    def __init__(self, progress: Progress) -> None:
        self.checks: list[Check] = []
        self.progress = progress

    def run(self, name: str, missing: str | None, work: Callable[[], Check]) -> Check:
        """``work()``'s check, or a skipped one when ``missing`` says what it needs failed."""
        if missing:
            return self.skip(name, missing)
        self.progress(f"checking {name}", len(self.checks), STEPS)
        try:
            check = work()
        except (KitError, ClientError, BotoCoreError) as err:
            text = err.problems[0] if isinstance(err, KitError) else describe_error(err)
            check = failed(name, one_line(text), REFUSED)
        self.checks.append(check)
        return check

    def skip(self, name: str, because: str) -> Check:
        check = skipped(name, because)
        self.checks.append(check)
        return check


def diagnose(session: Any, investigation: str, *, fallback_fields: tuple[Field, ...], lookback_days: int,
             progress: Progress = no_progress, now: datetime | None = None) -> list[Check]:
    """Check a deployed investigation from its stacks to its saved queries.

    ``fallback_fields`` are assumed for a table deployed without a TableColumns output, and
    ``lookback_days`` renders the saved queries to compare (both from the settings). Raises
    NoSuchInvestigation when none of the stacks exists.
    """
    when = now or checks.now()
    report = _Report(progress)
    progress("reading the stacks", 0, STEPS)
    stack_checks, found = deployment.check_stacks(client(session, "cloudformation"), investigation,
                                                  session.region_name or "this region", fallback_fields)
    report.checks.extend(stack_checks)
    stacks = found.stacks
    deployed = found.deployed
    ids = found.flow_log_ids
    report.run("flow logs", None if ids else "the capture stack failed",
               lambda: deployment.check_flow_logs(client(session, "ec2"), ids or (), found.storage,
                                                  deployed.fields if deployed else None, stacks["capture"],
                                                  stacks["storage"]))
    if deployed is None:
        because = "the storage or analytics stack failed"
        layout = found.storage.layout if found.storage else None
        file_check = files.name_for(layout.file_format) if layout else "file columns"
        for name in (table.NAME, objects.NAME, file_check, workgroup.WORKGROUP, workgroup.QUERY,
                     workgroup.SAVED):
            report.skip(name, because)
        return report.checks
    projected = _data_checks(report, session, deployed, stacks["analytics"], when)
    _athena_checks(report, session, deployed, stacks["analytics"], lookback_days, when, projected is not None)
    return report.checks


def _data_checks(report: _Report, session: Any, deployed: Deployed, analytics_stack: str,
                 when: datetime) -> table.Table | None:
    """The table, the newest object, and its header or schema, for the VPC table and (when captured)
    the transit gateway one; returns the VPC table (None if missing)."""
    if not deployed.transit_table:
        return _table_checks(report, session, deployed, analytics_stack, when)
    transit = deployed.for_table(TRANSIT)
    projected = _table_checks(report, session, deployed, analytics_stack, when, (transit.layout.root,))
    _table_checks(report, session, transit, analytics_stack, when, (deployed.layout.root,), TRANSIT_NAMES)
    return projected


def _table_checks(report: _Report, session: Any, deployed: Deployed, analytics_stack: str, when: datetime,
                  known: tuple[str, ...] = (), suffix: str = "") -> table.Table | None:
    """The checks of one table; ``known`` roots are read by the other table, ``suffix`` names this one."""
    s3 = client(session, "s3")
    found: dict[str, Any] = {}

    def named(check: Check) -> Check:
        return dataclasses.replace(check, name=check.name + suffix)

    def table_check() -> Check:
        check, found["table"] = table.check_table(client(session, "glue"), deployed, analytics_stack)
        return named(check)

    def objects_check() -> Check:
        check, found["newest"] = objects.check_objects(s3, deployed, found["table"], when, report.progress,
                                                       known)
        return named(check)

    report.run(table.NAME + suffix, None, table_check)
    projected = found.get("table")
    no_table = ("the table failed" if projected is None else
                "the table projects no account or region" if not (projected.accounts and projected.regions)
                else None)
    report.run(objects.NAME + suffix, no_table, objects_check)
    report.run(files.name_for(deployed.layout.file_format) + suffix,
               no_table or (None if found.get("newest") else "no flow log file was found"),
               lambda: named(files.check_file(s3, deployed.bucket, found["newest"], found["table"])))
    return projected


def _athena_checks(report: _Report, session: Any, deployed: Deployed, analytics_stack: str,
                   lookback_days: int, when: datetime, has_table: bool) -> None:
    """The workgroup, the tiny query and the saved queries."""
    athena = client(session, "athena")
    ctx = RenderContext(deployed.database, deployed.table, deployed.fields or (), deployed.layout,
                        lookback_days)
    tables = [ctx]
    if deployed.transit_table:  # the transit gateway table's saved queries are deployed too
        transit = deployed.for_table(TRANSIT)
        tables.append(RenderContext(transit.database, transit.table, transit.fields or (), transit.layout,
                                    lookback_days, TRANSIT))
    group = report.run(workgroup.WORKGROUP, None,
                       lambda: workgroup.check_workgroup(athena, deployed, analytics_stack))
    missing_group = "the workgroup failed" if group.status == "failed" else None
    report.run(workgroup.QUERY, missing_group or (None if has_table else "the table failed"),
               lambda: workgroup.check_test_query(athena, deployed, ctx, when, report.progress))
    report.run(workgroup.SAVED, missing_group,
               lambda: workgroup.check_saved_queries(
                   athena, deployed, saved_queries(tables, deployed.investigation, validate=False),
                   lookback_days, analytics_stack, report.progress))
