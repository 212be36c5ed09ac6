"""Run one saved query in Athena: the same rendered SQL as the local engine, typed rows back.

Cost is reported the way Athena bills it (:mod:`flowkit.aws.cost`). Rows come back all at once
(:func:`execute`, :func:`run_saved`) or page by page as they are read (:func:`execute_stream`,
:func:`stream_saved`), so a large result is never held in memory.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from flowkit.aws import stack_outputs as outputs
from flowkit.aws.athena_values import convert_value
from flowkit.aws.cost import (
    MB,
    MINIMUM_BILLED_BYTES,
    TB,
    USD_PER_TB,
    billed_bytes,
    cost_line,
    cost_usd,
    format_bytes,
)
from flowkit.aws.deployed import Deployed
from flowkit.aws.session import AwsError, client, describe_error, guarded
from flowkit.errors import FAILED
from flowkit.messages import Notify, Progress, no_progress, silent

if TYPE_CHECKING:
    from flowkit.queries import QueryTemplate, RenderContext

__all__ = ["MB", "MINIMUM_BILLED_BYTES", "TB", "USD_PER_TB", "AthenaError", "AthenaResult", "AthenaRows",
           "billed_bytes", "convert_value", "cost_line", "cost_usd", "execute", "execute_stream",
           "fetch_results", "format_bytes", "prepare_saved", "result_rows", "run_saved", "stream_saved",
           "wait"]

PAGE_SIZE = 1000  # GetQueryResults MaxResults upper bound
TERMINAL_STATES = ("SUCCEEDED", "FAILED", "CANCELLED")


class AthenaError(AwsError):
    """A query that did not succeed (the message carries Athena's reason), or an API error."""

    status = FAILED


@dataclass(frozen=True)
class AthenaResult:
    """Rows of a finished query, with what it scanned."""

    execution_id: str
    columns: list[str]  # same shape as the local engine's Result: columns, rows of Python values
    rows: list[tuple[Any, ...]]
    data_scanned_bytes: int

    @property
    def billed_bytes(self) -> int:
        return billed_bytes(self.data_scanned_bytes)

    @property
    def cost_usd(self) -> float:
        return cost_usd(self.data_scanned_bytes)


@dataclass(frozen=True)
class AthenaRows:
    """A finished query whose rows are read from Athena page by page as ``rows`` is iterated (once)."""

    execution_id: str
    columns: list[str]
    rows: Iterator[tuple[Any, ...]]
    data_scanned_bytes: int


# -- API calls -------------------------------------------------------------------------------------
def _call(what: str, method: Callable[..., Any], **kwargs: Any) -> Any:
    return guarded(AthenaError, "Athena", method, what=what, **kwargs)


def wait(
    athena: Any,
    execution_id: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    first_delay: float = 0.25,
    max_delay: float = 2.0,
    progress: Progress = no_progress,
) -> dict[str, Any]:
    """Poll GetQueryExecution with exponential backoff until the query ends; return QueryExecution.

    On Ctrl-C the query is stopped in Athena before the interrupt propagates.
    """
    delay = first_delay
    started = time.monotonic()
    try:
        while True:
            execution = _call("GetQueryExecution", athena.get_query_execution,
                              QueryExecutionId=execution_id)["QueryExecution"]
            state = execution.get("Status", {}).get("State", "")
            if state in TERMINAL_STATES:
                return dict(execution)
            progress(f"Athena query {state} ({time.monotonic() - started:.0f} s)", 0, None)
            sleep(delay)
            delay = min(delay * 2, max_delay)
    except KeyboardInterrupt:
        with suppress(ClientError, BotoCoreError):
            athena.stop_query_execution(QueryExecutionId=execution_id)
        raise


def result_rows(athena: Any, execution_id: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The columns, and the rows read page by page from GetQueryResults as they are iterated.

    The first page is read here (it names the columns); its header row is dropped.
    """
    pages = iter(athena.get_paginator("get_query_results").paginate(
        QueryExecutionId=execution_id, PaginationConfig={"PageSize": PAGE_SIZE}))
    first = _page(pages)
    result_set = (first or {}).get("ResultSet", {})
    info = result_set.get("ResultSetMetadata", {}).get("ColumnInfo", [])
    columns = tuple(c.get("Name") or c.get("Label", "") for c in info)
    labels = tuple(c.get("Label") or c.get("Name", "") for c in info)
    types = tuple(c.get("Type", "varchar") for c in info)
    first_rows = result_set.get("Rows", [])
    if first_rows and _is_header(first_rows[0], (columns, labels)):
        first_rows = first_rows[1:]

    def rows() -> Iterator[tuple[Any, ...]]:
        page_rows = first_rows
        while True:
            for row in page_rows:
                yield tuple(convert_value(t, d) for t, d in zip(types, row.get("Data", []), strict=False))
            page = _page(pages)
            if page is None:
                return
            page_rows = page.get("ResultSet", {}).get("Rows", [])

    return list(columns), rows()


def _page(pages: Iterator[dict[str, Any]]) -> dict[str, Any] | None:
    try:
        return next(pages, None)
    except ClientError as err:
        raise AthenaError(f"Athena {describe_error(err)}") from None
    except BotoCoreError as err:
        raise AthenaError(f"Athena GetQueryResults: {err}") from None


def fetch_results(athena: Any, execution_id: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every row of a finished query (the header row of the first page dropped)."""
    columns, rows = result_rows(athena, execution_id)
    return columns, list(rows)


def _is_header(row: Mapping[str, Any], names: Sequence[tuple[str, ...]]) -> bool:
    values = tuple(d.get("VarCharValue") for d in row.get("Data", []))
    return any(values == candidate for candidate in names if candidate)


def _reason(execution: Mapping[str, Any]) -> str:
    status = execution.get("Status", {})
    reason = status.get("StateChangeReason") or status.get("AthenaError", {}).get("ErrorMessage")
    return str(reason or "no reason given")


def execute_stream(
    athena: Any,
    sql: str,
    *,
    database: str,
    workgroup: str,
    parameters: Sequence[str] = (),
    results_location: str | None = None,
    notify: Notify = silent,
    progress: Progress = no_progress,
    sleep: Callable[[float], None] = time.sleep,
) -> AthenaRows:
    """Start ``sql`` in ``workgroup``/``database`` and wait; notify the id and the cost. The rows are read
    page by page while they are iterated.

    FAILED or CANCELLED (including a workgroup's BytesScannedCutoffPerQuery) raises AthenaError
    with Athena's reason.
    """
    request: dict[str, Any] = {
        "QueryString": sql,
        "QueryExecutionContext": {"Database": database},
        "WorkGroup": workgroup,
    }
    if parameters:
        request["ExecutionParameters"] = list(parameters)
    if results_location:
        request["ResultConfiguration"] = {"OutputLocation": results_location}
    execution_id = _call("StartQueryExecution", athena.start_query_execution, **request)["QueryExecutionId"]
    notify(f"Athena query execution id: {execution_id} (workgroup {workgroup})")
    execution = wait(athena, execution_id, sleep=sleep, progress=progress)
    state = execution["Status"]["State"]
    scanned = int(execution.get("Statistics", {}).get("DataScannedInBytes", 0) or 0)
    notify(cost_line(scanned, state))
    if state != "SUCCEEDED":
        raise AthenaError(f"Athena query {execution_id} {state}: {_reason(execution)}")
    columns, rows = result_rows(athena, execution_id)
    return AthenaRows(execution_id, columns, rows, scanned)


def execute(
    athena: Any,
    sql: str,
    *,
    database: str,
    workgroup: str,
    parameters: Sequence[str] = (),
    results_location: str | None = None,
    notify: Notify = silent,
    progress: Progress = no_progress,
    sleep: Callable[[float], None] = time.sleep,
) -> AthenaResult:
    """:func:`execute_stream` with every row read."""
    return _collected(execute_stream(athena, sql, database=database, workgroup=workgroup,
                                     parameters=parameters, results_location=results_location,
                                     notify=notify, progress=progress, sleep=sleep))


def _collected(found: AthenaRows) -> AthenaResult:
    return AthenaResult(found.execution_id, found.columns, list(found.rows), found.data_scanned_bytes)


def prepare_saved(deployed: Deployed, template: QueryTemplate, values: Mapping[str, str], ctx: RenderContext,
                  since: datetime | None = None, until: datetime | None = None) -> tuple[str, list[str]]:
    """The SQL of one saved query for the deployed table, and its ``?`` values as ExecutionParameters.

    ``ctx`` is the RenderContext of the settings; its database, table, key layout and (when the
    deployment records them) fields are replaced by the deployed ones of the table the template reads
    (the VPC or the transit gateway flow logs'), so the SQL matches the table in the account. A query
    needing a field the table lacks, or bad parameters, raise QueryError.
    """
    from flowkit import queries

    deployed = deployed.for_table(template.table)
    fields = deployed.fields if deployed.fields is not None else ctx.fields
    ctx = dataclasses.replace(ctx, database=deployed.database, table=deployed.table, layout=deployed.layout,
                              fields=fields, kind=deployed.kind)
    if not queries.is_available(template, ctx):
        missing = [f for f in template.fields if f not in ctx.field_names]
        if deployed.fields is not None:
            where = (f"which the deployed table {deployed.database}.{deployed.table} does not have (its "
                     f"stack output {outputs.TABLE_COLUMNS} lists its fields; add them to log_fields and "
                     "redeploy)")
        else:
            where = "which the flow log format does not record"
        raise queries.QueryError(f"query '{template.name}' needs field(s) {', '.join(missing)}, {where}")
    coerced = queries.coerce_params(template, values)
    sql = queries.render(template, ctx, since, until)
    return sql, list(queries.athena_execution_parameters(template, coerced))


def stream_saved(
    session: Any,
    deployed: Deployed,
    template: QueryTemplate,
    values: Mapping[str, str],
    ctx: RenderContext,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    notify: Notify = silent,
    progress: Progress = no_progress,
    sleep: Callable[[float], None] = time.sleep,
) -> AthenaRows:
    """Render one saved query for the deployed table (:func:`prepare_saved`) and run it; rows are read
    page by page as they are iterated."""
    sql, parameters = prepare_saved(deployed, template, values, ctx, since, until)
    return execute_stream(client(session, "athena"), sql, database=deployed.database,
                          workgroup=deployed.workgroup, parameters=parameters,
                          results_location=deployed.results_location, notify=notify, progress=progress,
                          sleep=sleep)


def run_saved(
    session: Any,
    deployed: Deployed,
    template: QueryTemplate,
    values: Mapping[str, str],
    ctx: RenderContext,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    notify: Notify = silent,
    progress: Progress = no_progress,
    sleep: Callable[[float], None] = time.sleep,
) -> AthenaResult:
    """:func:`stream_saved` with every row read."""
    return _collected(stream_saved(session, deployed, template, values, ctx, since=since, until=until,
                                   notify=notify, progress=progress, sleep=sleep))
