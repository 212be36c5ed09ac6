"""Run one saved Logs Insights query: start it on the investigation's log group, poll, read the rows back.

The query is the template of ``insights/`` rendered for the fields of the log group's records with the
parameter values written in (StartQuery takes no parameters). Logs Insights bills USD 0.005 per GB of
log data scanned (decimal GB); the records and bytes scanned come from the query's statistics.
Records' event time in CloudWatch Logs is their ``start``, so the time range is a window on ``start``.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from flowkit.aws.cost import format_bytes
from flowkit.aws.deployed import LogGroup
from flowkit.aws.session import AwsError, client, guarded
from flowkit.errors import FAILED
from flowkit.layout import to_utc
from flowkit.messages import Notify, Progress, no_progress, silent

if TYPE_CHECKING:
    from flowkit.queries import QueryTemplate

USD_PER_GB = 0.005
GB = 10**9
PRICING = f"USD {USD_PER_GB:g} per GB scanned"
RUNNING = ("Scheduled", "Running")
# Why a query that ended in each state did not complete (GetQueryResults gives no reason of its own).
ENDINGS = {
    "Failed": "CloudWatch Logs stopped it with an error",
    "Cancelled": "it was cancelled (StopQuery, or in the console)",
    "Timeout": "it ran longer than Logs Insights allows (60 minutes); narrow --since/--until",
    "Unknown": "CloudWatch Logs does not know its state",
}
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+\.\d+(?:[eE][-+]?\d+)?$")


class InsightsError(AwsError):
    """A query that did not complete (with the reason), or a CloudWatch Logs API error."""

    status = FAILED


@dataclass(frozen=True)
class InsightsResult:
    """Rows of a completed query, with what it scanned."""

    query_id: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    records_scanned: int
    bytes_scanned: int

    @property
    def cost_usd(self) -> float:
        return cost_usd(self.bytes_scanned)


def cost_usd(bytes_scanned: float) -> float:
    return max(bytes_scanned, 0) / GB * USD_PER_GB


def cost_line(records: int, scanned: int, status: str = "Complete") -> str:
    line = (f"Logs Insights scanned {records:,} records, {format_bytes(scanned)} ~ USD "
            f"{cost_usd(scanned):.6f} ({PRICING})")
    return line if status == "Complete" else f"{line}; query {status}"


def _call(method: Callable[..., Any], **kwargs: Any) -> Any:
    return guarded(InsightsError, "CloudWatch Logs", method, **kwargs)


def epoch_range(since: datetime, until: datetime) -> tuple[int, int]:
    """StartQuery's inclusive whole-second range for the window [since, until)."""
    start, end = to_utc(since).timestamp(), to_utc(until).timestamp()
    return math.ceil(start), math.ceil(end) - 1


def value_of(text: str) -> Any:
    """A result value as the local engine would give it: whole numbers as int, decimals as float."""
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def rows_of(results: Sequence[Sequence[Mapping[str, str]]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Columns (in the order fields first appear, without ``@ptr``) and rows; missing values are None."""
    columns: list[str] = []
    for result in results:
        for cell in result:
            if cell["field"] != "@ptr" and cell["field"] not in columns:
                columns.append(cell["field"])
    rows = []
    for result in results:
        values = {cell["field"]: cell.get("value") for cell in result}
        rows.append(tuple(None if values.get(c) is None else value_of(str(values[c])) for c in columns))
    return columns, rows


def wait(logs: Any, query_id: str, *, sleep: Callable[[float], None] = time.sleep, first_delay: float = 0.5,
         max_delay: float = 5.0, progress: Progress = no_progress) -> dict[str, Any]:
    """Poll GetQueryResults with backoff until the query ends; its last answer. Ctrl-C stops the query."""
    delay = first_delay
    started = time.monotonic()
    try:
        while True:
            answer = _call(logs.get_query_results, queryId=query_id)
            status = answer.get("status", "Unknown")
            if status not in RUNNING:
                return dict(answer)
            scanned = int(answer.get("statistics", {}).get("recordsScanned", 0) or 0)
            progress(f"Logs Insights query {status} ({time.monotonic() - started:.0f} s, {scanned:,} records "
                     "scanned)", 0, None)
            sleep(delay)
            delay = min(delay * 2, max_delay)
    except KeyboardInterrupt:
        with suppress(ClientError, BotoCoreError):
            logs.stop_query(queryId=query_id)
        raise


def execute(logs: Any, query: str, log_group: str, since: datetime, until: datetime, *,
            notify: Notify = silent, progress: Progress = no_progress,
            sleep: Callable[[float], None] = time.sleep) -> InsightsResult:
    """Run ``query`` on ``log_group`` over [since, until); notify the id and the cost. A query that does not
    complete raises InsightsError with the reason."""
    start, end = epoch_range(since, until)
    query_id = _call(logs.start_query, logGroupName=log_group, startTime=start, endTime=end,
                     queryString=query)["queryId"]
    notify(f"Logs Insights query id: {query_id} (log group {log_group})")
    answer = wait(logs, query_id, sleep=sleep, progress=progress)
    status = answer.get("status", "Unknown")
    statistics = answer.get("statistics", {})
    records = int(statistics.get("recordsScanned", 0) or 0)
    scanned = int(statistics.get("bytesScanned", 0) or 0)
    notify(cost_line(records, scanned, status))
    if status != "Complete":
        reason = ENDINGS.get(status, ENDINGS["Unknown"])
        raise InsightsError(f"Logs Insights query {query_id} {status}: {reason}")
    columns, rows = rows_of(all_results(logs, query_id, answer))
    return InsightsResult(query_id, columns, rows, records, scanned)


def all_results(logs: Any, query_id: str, answer: Mapping[str, Any]) -> list[list[dict[str, str]]]:
    """The results of the completed query's answer and of every further page (``nextToken``)."""
    results = list(answer.get("results", []))
    token = answer.get("nextToken")
    while token:
        page = _call(logs.get_query_results, queryId=query_id, nextToken=token)
        results += page.get("results", [])
        token = page.get("nextToken") if page.get("nextToken") != token else None
    return results


def prepare(template: QueryTemplate, group: LogGroup, values: Mapping[str, str]) -> str:
    """The query for the log group's records with the parameter values written in (QueryError if not)."""
    from flowkit import queries
    from flowkit.queries.insights import needs_missing, render_insights

    assert group.fields is not None
    missing = needs_missing(template, group.fields)
    if missing:
        raise queries.QueryError(f"query '{template.name}' needs field(s) {', '.join(missing)}, which the "
                                 f"flow logs of {group.name} do not record (add them to log_fields and "
                                 "redeploy)")
    return render_insights(template, group.fields, queries.coerce_params(template, values))


def run_saved(session: Any, group: LogGroup, template: QueryTemplate, values: Mapping[str, str],
              since: datetime, until: datetime, **options: Any) -> InsightsResult:
    """:func:`prepare` the saved query and :func:`execute` it (same keyword options)."""
    return execute(client(session, "logs"), prepare(template, group, values), group.name, since, until,
                   **options)
