"""Run one saved query in Athena: the same rendered SQL as the local engine, typed rows back.

Cost is reported the way Athena bills it: USD 5 per TB scanned, bytes rounded up to the next
megabyte with a 10 MB minimum per query. Units are decimal here: MB = 10**6 and TB = 10**12 bytes.
Athena documents the smallest per-query data usage control (BytesScannedCutoffPerQuery) as 10 MB, and
its API model gives that minimum as 10,000,000 bytes; the kit's analytics stack never sets a cutoff
below 10 MiB (10,485,760 bytes), which is above it. Failed queries are not billed; cancelled ones are
(for what they scanned before they stopped).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from botocore.exceptions import BotoCoreError, ClientError

from flowkit.aws import stack_outputs as outputs
from flowkit.aws.deployed import Deployed
from flowkit.aws.session import AwsError, client, describe_error
from flowkit.errors import FAILED
from flowkit.layout import iso_utc
from flowkit.messages import Notify, Progress, no_progress, silent

if TYPE_CHECKING:
    from flowkit.queries import QueryTemplate, RenderContext

MB = 10**6
TB = 10**12
USD_PER_TB = 5.0
MINIMUM_BILLED_BYTES = 10 * MB
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


def billed_bytes(scanned: int) -> int:
    """Bytes Athena bills for a query that scanned ``scanned`` bytes (whole MB, at least 10 MB)."""
    return max(math.ceil(max(scanned, 0) / MB) * MB, MINIMUM_BILLED_BYTES)


def cost_usd(scanned: int) -> float:
    return billed_bytes(scanned) * USD_PER_TB / TB


def format_bytes(count: int) -> str:
    """Decimal units, like Athena's console: ``1.50 MB``."""
    value = float(count)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{count} B" if unit == "B" else f"{value:.2f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def cost_line(scanned: int, state: str = "SUCCEEDED") -> str:
    """The one-line data-scanned and cost report printed after a query."""
    text = f"Data scanned: {format_bytes(scanned)}"
    if state == "FAILED":
        return text + " (failed queries are not billed)"
    return (text + f"; billed {format_bytes(billed_bytes(scanned))} ~ USD {cost_usd(scanned):.6f}"
            f" (USD {USD_PER_TB:g} per TB, 10 MB minimum)")


# -- value conversion ------------------------------------------------------------------------------
_INT_TYPES = frozenset({"tinyint", "smallint", "integer", "int", "bigint"})
_FLOAT_TYPES = frozenset({"double", "real", "float"})


def convert_value(athena_type: str, datum: Mapping[str, str]) -> Any:
    """One GetQueryResults datum as a Python value, by the column's Athena type.

    Matches the local engine's values: NULL (no VarCharValue) -> None; integers -> int;
    double/real -> float; decimal -> int when whole, else float; boolean -> bool; timestamp -> ISO-8601
    UTC string (``2024-05-01T13:00:00Z``; Athena's session time zone is UTC); date -> ``2024-05-01``;
    everything else (varchar, ipaddress, arrays...) -> str as Athena printed it.
    """
    if "VarCharValue" not in datum:
        return None
    text = datum["VarCharValue"]
    kind = athena_type.lower().split("(", 1)[0].strip()
    try:
        if kind in _INT_TYPES:
            return int(text)
        if kind in _FLOAT_TYPES:
            return float(text)
        if kind == "decimal":
            number = Decimal(text)
            return int(number) if number == number.to_integral_value() else float(number)
        if kind == "boolean":
            return text.lower() == "true"
        if kind == "timestamp":
            return iso_utc(datetime.fromisoformat(text))
        if kind == "timestamp with time zone":
            return iso_utc(_zoned(text))
        if kind == "date":
            return datetime.fromisoformat(text).date().isoformat()
    except (ValueError, InvalidOperation):
        return text
    return text


def _zoned(text: str) -> datetime:
    """Trino prints ``2024-05-01 13:00:00.000 UTC``, ``... +02:00`` or ``... Europe/Berlin``."""
    stamp, _, zone = text.rpartition(" ")
    if zone == "UTC":
        return datetime.fromisoformat(stamp).replace(tzinfo=UTC)
    if zone[:1] in "+-":
        return datetime.fromisoformat(stamp + zone)
    try:
        return datetime.fromisoformat(stamp).replace(tzinfo=ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(text) from None


# -- API calls -------------------------------------------------------------------------------------
def _call(what: str, method: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return method(**kwargs)
    except ClientError as err:
        raise AthenaError(f"Athena {describe_error(err)}") from None
    except BotoCoreError as err:
        raise AthenaError(f"Athena {what}: {err}") from None


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


def fetch_results(athena: Any, execution_id: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Page through GetQueryResults; the header row (first row of the first page only) is dropped."""
    columns: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    rows: list[tuple[Any, ...]] = []
    pages = athena.get_paginator("get_query_results").paginate(
        QueryExecutionId=execution_id, PaginationConfig={"PageSize": PAGE_SIZE})
    try:
        for number, page in enumerate(pages):
            result_set = page.get("ResultSet", {})
            if number == 0:
                info = result_set.get("ResultSetMetadata", {}).get("ColumnInfo", [])
                columns = tuple(c.get("Name") or c.get("Label", "") for c in info)
                labels = tuple(c.get("Label") or c.get("Name", "") for c in info)
                types = tuple(c.get("Type", "varchar") for c in info)
            page_rows = result_set.get("Rows", [])
            if number == 0 and page_rows and _is_header(page_rows[0], (columns, labels)):
                page_rows = page_rows[1:]
            for row in page_rows:
                data = row.get("Data", [])
                rows.append(tuple(convert_value(t, d) for t, d in zip(types, data, strict=False)))
    except ClientError as err:
        raise AthenaError(f"Athena {describe_error(err)}") from None
    except BotoCoreError as err:
        raise AthenaError(f"Athena GetQueryResults: {err}") from None
    return list(columns), rows


def _is_header(row: Mapping[str, Any], names: Sequence[tuple[str, ...]]) -> bool:
    values = tuple(d.get("VarCharValue") for d in row.get("Data", []))
    return any(values == candidate for candidate in names if candidate)


def _reason(execution: Mapping[str, Any]) -> str:
    status = execution.get("Status", {})
    reason = status.get("StateChangeReason") or status.get("AthenaError", {}).get("ErrorMessage")
    return str(reason or "no reason given")


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
    """Start ``sql`` in ``workgroup``/``database``, wait, page the results; notify the id and the cost.

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
    columns, rows = fetch_results(athena, execution_id)
    return AthenaResult(execution_id, columns, rows, scanned)


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
    """Render one saved query for the deployed table and run it with ``?`` values as ExecutionParameters.

    ``ctx`` is the RenderContext of the settings; its database, table, key layout and (when the
    deployment records them) fields are replaced by the deployed ones, so the SQL matches the table
    in the account. A query needing a field the table lacks, or bad parameters, raise QueryError.
    """
    from flowkit import queries

    fields = deployed.fields if deployed.fields is not None else ctx.fields
    ctx = dataclasses.replace(ctx, database=deployed.database, table=deployed.table, layout=deployed.layout,
                              fields=fields)
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
    parameters = queries.athena_execution_parameters(template, coerced)
    return execute(client(session, "athena"), sql, database=deployed.database, workgroup=deployed.workgroup,
                   parameters=parameters, results_location=deployed.results_location,
                   notify=notify, progress=progress, sleep=sleep)
