"""Running a saved Logs Insights query against moto: the query sent, polling, pages of rows, cost, failures.

moto runs StartQuery but not the Logs Insights language, so GetQueryResults is answered here the way
CloudWatch Logs answers it (status, results as field/value lists, statistics, nextToken). Cost follows
CloudWatch's published price: USD 0.005 per GB of data scanned (decimal GB).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from flowkit import catalogue
from flowkit.aws.deployed import LogGroup
from flowkit.aws.insights import InsightsError, run_saved
from flowkit.errors import FAILED
from flowkit.queries import QueryError, find
from flowkit.queries.insights import load_insights
from tests.aws.cloudwatch_logs import ACCOUNT, BASE, GROUP, REGION, create_group

SINCE, UNTIL = BASE, BASE + timedelta(hours=6)


@pytest.fixture
def logs(mocked: boto3.Session) -> Iterator[boto3.Session]:
    create_group()
    yield mocked


def group(fields: str | list[str] = "v5") -> LogGroup:
    return LogGroup(GROUP, ACCOUNT, REGION, catalogue.resolve(fields))


def cells(**values: str) -> list[dict[str, str]]:
    return [{"field": "@ptr", "value": "CmAKJwoj"}] + [{"field": k, "value": v} for k, v in values.items()]


def answers(*pages: dict[str, Any]) -> Callable[..., Any]:
    """A before-call handler answering GetQueryResults with ``pages`` in turn (the last one repeatedly)."""
    seen = {"n": 0}

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        page = pages[min(seen["n"], len(pages) - 1)]
        seen["n"] += 1
        parsed = {**page, "ResponseMetadata": {"HTTPStatusCode": 200}}
        return AWSResponse("https://logs", 200, {}, None), parsed  # type: ignore[arg-type]

    return answer


def hooked(session: boto3.Session, handler: Callable[..., Any]) -> list[tuple[str, dict[str, Any]]]:
    """``handler`` on GetQueryResults of the session's clients; the requests they make."""
    calls: list[tuple[str, dict[str, Any]]] = []
    session.events.register("before-call.logs.GetQueryResults", handler)
    session.events.register("provide-client-params.logs.*",
                            lambda params, model, **_: calls.append((model.name, dict(params))))
    return calls


def test_the_rendered_query_runs_on_the_window_and_every_page_is_read(logs: boto3.Session) -> None:
    stats = {"recordsMatched": 3.0, "recordsScanned": 120_000.0, "bytesScanned": 2.5e9}
    calls = hooked(logs, answers(
        {"status": "Running", "results": [], "statistics": {"recordsScanned": 5000.0}},
        {"status": "Complete", "results": [cells(srcaddr="10.0.0.1", total_bytes="400", total_packets="4")],
         "statistics": stats, "nextToken": "page-2"},
        {"status": "Complete", "statistics": stats,
         "results": [cells(srcaddr="10.0.0.2", total_bytes="7"),
                     cells(srcaddr="2001:db8::1", total_bytes="0.5", total_packets="1")]},
    ))
    notes: list[str] = []
    progress: list[str] = []
    found = run_saved(logs, group(), find("top-talkers", load_insights()), {}, SINCE, UNTIL,
                      notify=notes.append, progress=lambda what, *_: progress.append(what),
                      sleep=lambda _: None)
    assert found.columns == ["srcaddr", "total_bytes", "total_packets"]
    assert found.rows == [("10.0.0.1", 400, 4), ("10.0.0.2", 7, None), ("2001:db8::1", 0.5, 1)]
    (start,) = [params for name, params in calls if name == "StartQuery"]
    assert start["logGroupName"] == GROUP
    # inclusive whole seconds: [since, until) is since .. until - 1 s
    assert (start["startTime"], start["endTime"]) == (int(SINCE.timestamp()), int(UNTIL.timestamp()) - 1)
    assert start["queryString"].startswith('parse @message "' + " ".join(["*"] * 29) + '" as version, ')
    reads = [params for name, params in calls if name == "GetQueryResults"]
    assert [p.get("nextToken") for p in reads] == [None, None, "page-2"]
    assert found.records_scanned == 120_000 and found.bytes_scanned == 2_500_000_000
    # 2.5 GB x USD 0.005 per GB = USD 0.0125
    assert notes[-1] == ("Logs Insights scanned 120,000 records, 2.50 GB ~ USD 0.012500 "
                         "(USD 0.005 per GB scanned)")
    assert notes[0].startswith("Logs Insights query id: ") and progress and "Running" in progress[0]


def test_parameters_are_checked_and_written_in(logs: boto3.Session) -> None:
    calls = hooked(logs, answers({"status": "Complete", "results": [], "statistics": {}}))
    template = find("inbound-from-source", load_insights())
    with pytest.raises(QueryError, match="missing parameter 'address'"):
        run_saved(logs, group(), template, {"interface_id": "eni-1", "srcaddr": "10.0.0.1"}, SINCE, UNTIL)
    with pytest.raises(QueryError, match="is not an IPv4 or IPv6 address"):
        run_saved(logs, group(), template, {"interface_id": "eni-1", "srcaddr": "x", "address": "10.0.0.2"},
                  SINCE, UNTIL)
    assert not calls
    found = run_saved(logs, group(), template, {"interface_id": "eni-1", "srcaddr": "2001:DB8:0::1",
                                                "address": "10.0.0.2"}, SINCE, UNTIL, sleep=lambda _: None)
    assert found.rows == []
    (start,) = [params for name, params in calls if name == "StartQuery"]
    expected = 'interface_id = "eni-1" and srcaddr = "2001:db8::1" and dstaddr = "10.0.0.2"'
    assert expected in start["queryString"]


def test_a_query_needing_fields_the_log_group_lacks_is_refused(logs: boto3.Session) -> None:
    with pytest.raises(QueryError, match=r"needs field\(s\) dstaddr, dstport, packets"):
        run_saved(logs, group(["start", "log-status", "srcaddr", "bytes", "action"]),
                  find("ssh-rdp-traffic", load_insights()), {}, SINCE, UNTIL)


@pytest.mark.parametrize(("status", "reason"), [
    ("Failed", "CloudWatch Logs stopped it with an error"),
    ("Timeout", "it ran longer than Logs Insights allows (60 minutes); narrow --since/--until"),
    ("Cancelled", "it was cancelled (StopQuery, or in the console)"),
])
def test_a_query_that_does_not_complete_fails_with_its_reason(logs: boto3.Session, status: str,
                                                             reason: str) -> None:
    hooked(logs, answers({"status": status, "results": [], "statistics": {"bytesScanned": 1e9}}))
    notes: list[str] = []
    with pytest.raises(InsightsError) as err:
        run_saved(logs, group(), find("top-talkers", load_insights()), {}, SINCE, UNTIL, notify=notes.append,
                  sleep=lambda _: None)
    assert err.value.status == FAILED
    assert err.value.problems[0].endswith(f" {status}: {reason}")
    assert notes[-1].endswith(f"~ USD 0.005000 (USD 0.005 per GB scanned); query {status}")


def test_cloudwatchs_own_error_is_the_message(logs: boto3.Session) -> None:
    with pytest.raises(InsightsError) as err:
        run_saved(logs, LogGroup("/no/such/group", ACCOUNT, REGION, catalogue.resolve("v5")),
                  find("top-talkers", load_insights()), {}, SINCE, UNTIL)
    assert err.value.problems[0].startswith("CloudWatch Logs StartQuery: ResourceNotFoundException")
