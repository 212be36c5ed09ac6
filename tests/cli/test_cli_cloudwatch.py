"""``flowlogs insights`` and ``flowlogs fetch --from cloudwatch`` against moto (in-process, no real AWS)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from tests.aws.cloudwatch_logs import ACCOUNT, BASE, DEFAULT, GROUP, REGION, create_group, put_stream, record
from tests.moto_hooks import Hooks, flowlogs, moto_cli
from tests.moto_stacks import create_stack

STACK = "flowlogs-demo-cloudwatch"
OUTPUTS = {"LogGroupName": GROUP, "LogGroupArn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{GROUP}",
           "LogFields": ",".join(DEFAULT)}
WINDOW = ["--since", f"{BASE:%Y-%m-%dT%H:%MZ}", "--until", f"{BASE + timedelta(hours=4):%Y-%m-%dT%H:%MZ}"]
ENIS = ("eni-0123456789abcdef0", "eni-0fedcba9876543210", "eni-00000000000000001")


@pytest.fixture
def hooks(aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Hooks]:
    with moto_cli(monkeypatch, tmp_path) as found:
        create_group()
        yield found


def answer(status: str, results: list[dict[str, str]], scanned: float) -> Callable[..., Any]:
    """A before-call handler answering GetQueryResults as CloudWatch Logs does once the query ended."""

    def respond(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        rows = [[{"field": "@ptr", "value": "x"}, *({"field": k, "value": v} for k, v in r.items())]
                for r in results]
        parsed = {"status": status, "results": rows, "ResponseMetadata": {"HTTPStatusCode": 200},
                  "statistics": {"recordsScanned": 2000.0, "recordsMatched": 2.0, "bytesScanned": scanned}}
        return AWSResponse("https://logs", 200, {}, None), parsed  # type: ignore[arg-type]

    return respond


# -- insights --------------------------------------------------------------------------------------
@pytest.mark.parametrize("stack", [STACK, f"{STACK}-{ACCOUNT}-{REGION}"], ids=["here", "elsewhere"])
def test_insights_runs_the_saved_query_on_the_deployed_log_group(hooks: Hooks, stack: str) -> None:
    create_stack(stack, OUTPUTS, REGION)
    rows = [{"srcaddr": "10.0.0.1", "total_bytes": "3400", "total_packets": "12"},
            {"srcaddr": "10.0.0.9", "total_bytes": "7", "total_packets": "1"}]
    hooks.handlers.append(("before-call.logs.GetQueryResults", answer("Complete", rows, 4e8)))
    result = flowlogs("insights", "top-talkers", "--investigation", "demo", *WINDOW, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [{"srcaddr": "10.0.0.1", "total_bytes": 3400, "total_packets": 12},
                                         {"srcaddr": "10.0.0.9", "total_bytes": 7, "total_packets": 1}]
    [start] = hooks.requests("logs.StartQuery")
    assert start["logGroupName"] == GROUP
    # the deployed format's 14 fields, whatever the settings say (none here: built-in defaults, v5)
    assert start["queryString"].startswith('parse @message "' + " ".join(["*"] * 14) + '" as version,')
    # 0.4 GB x USD 0.005 per GB = USD 0.002
    assert "Logs Insights scanned 2,000 records, 400.00 MB ~ USD 0.002000" in result.stderr


def test_insights_csv_and_parameters(hooks: Hooks) -> None:
    create_stack(STACK, OUTPUTS, REGION)
    hooks.handlers.append(("before-call.logs.GetQueryResults",
                           answer("Complete", [{"dstport": "22", "flows": "3"}], 0)))
    result = flowlogs("-c", "investigation=demo", "insights", "accepted-ports-check", "-p",
                      "interface_id=eni-0123456789abcdef0", "-p", "address=10.0.1.25", "-p", "ports=22,3389",
                      *WINDOW, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "dstport,flows\n22,3\n"
    [start] = hooks.requests("logs.StartQuery")
    assert 'interface_id = "eni-0123456789abcdef0" and dstaddr = "10.0.1.25"' in start["queryString"]
    assert "dstport in [22,3389]" in start["queryString"]


def test_insights_on_a_log_group_named_by_hand(hooks: Hooks) -> None:
    hooks.handlers.append(("before-call.logs.GetQueryResults", answer("Complete", [], 0)))
    result = flowlogs("-c", "log_fields=aws-default", "insights", "rejected-sources", "--log-group", GROUP,
                      *WINDOW)
    assert result.exit_code == 0, result.stderr
    assert "(no rows)" in result.stdout
    assert not [name for name, _ in hooks.calls if name.startswith("cloudformation.")]


def test_insights_failure_prints_the_reason_and_exits_1(hooks: Hooks) -> None:
    create_stack(STACK, OUTPUTS, REGION)
    hooks.handlers.append(("before-call.logs.GetQueryResults", answer("Timeout", [], 2e9)))
    result = flowlogs("insights", "top-talkers", "--investigation", "demo", *WINDOW)
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("flowlogs: error: Logs Insights query ")
    assert lines[-1].endswith(" Timeout: it ran longer than Logs Insights allows (60 minutes); narrow "
                              "--since/--until")
    assert any("USD 0.010000" in line for line in lines[:-1])  # 2 GB scanned before it timed out


INSIGHTS_BAD_INPUT = [
    (["insights", "no-such-query"], "unknown query 'no-such-query'"),
    (["insights", "inbound-from-source", "-p", "interface_id=eni-1"], "missing parameter 'srcaddr'"),
    (["insights", "top-talkers", "--investigation", "demo", "--log-group", GROUP],
     "give either --investigation or --log-group, not both"),
    (["insights", "top-talkers", "--investigation", "gone"],
     "stack flowlogs-gone-cloudwatch (or flowlogs-gone-cloudwatch-123456789012-us-east-1): not found"),
    (["insights", "top-talkers", "--log-group", "/no/such/group"], "log group /no/such/group: not found"),
]


@pytest.mark.parametrize(("args", "message"), INSIGHTS_BAD_INPUT, ids=[m[:30] for _, m in INSIGHTS_BAD_INPUT])
def test_insights_bad_input_is_one_line_and_status_2(hooks: Hooks, args: list[str], message: str) -> None:
    result = flowlogs(*args, *WINDOW)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("flowlogs: error: ") and message in lines[0], lines
    assert not hooks.requests("logs.StartQuery")


# -- fetch --from cloudwatch ---------------------------------------------------------------------------
def deliver() -> dict[str, int]:
    """Three network interfaces' streams over four hours: OK records, NODATA, and records outside the window.
    The number of records of each log status the window holds."""
    counts = {"OK": 0, "NODATA": 0}
    since, until = BASE.timestamp(), (BASE + timedelta(hours=4)).timestamp()
    for n, eni in enumerate(ENIS):
        records = [record(eni, BASE + timedelta(minutes=5 * i + n)) for i in range(40 + 10 * n)]
        records += [record(eni, BASE + timedelta(minutes=11 * i), status="NODATA") for i in range(3 * n)]
        records.append(record(eni, BASE - timedelta(minutes=3)))
        put_stream(f"{eni}-all", records)
        for r in records:
            if since <= r["start"] < until:
                counts[r["log-status"]] += 1
    assert counts == {"OK": 40 + 48 + 48, "NODATA": 3 + 6}  # the third stream runs past the window
    return counts


def test_fetched_log_group_answers_the_sql_catalogue_and_the_report(hooks: Hooks, tmp_path: Path) -> None:
    create_stack(STACK, OUTPUTS, REGION)
    counts = deliver()
    out = tmp_path / "copy"
    result = flowlogs("fetch", "--from", "cloudwatch", "--investigation", "demo", *WINDOW, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"wrote {sum(counts.values())} record(s)" in result.stderr
    coverage = flowlogs("query", "log-coverage", "--logs", str(out), *WINDOW, "--format", "json")
    assert coverage.exit_code == 0, coverage.stderr
    assert {r["log_status"]: r["records"] for r in json.loads(coverage.stdout)} == counts
    assert {r["log_status"]: r["interfaces"] for r in json.loads(coverage.stdout)} == {"OK": 3, "NODATA": 2}
    report = flowlogs("report", "--logs", str(out), *WINDOW, "--out", str(tmp_path / "report.html"))
    assert report.exit_code == 0, report.stderr
    assert (tmp_path / "report.html").stat().st_size > 0

    again = flowlogs("fetch", "--from", "cloudwatch", "--investigation", "demo", *WINDOW, "--out", str(out))
    assert again.exit_code == 0 and "3 already complete" in again.stderr, again.stderr


def test_fetch_from_cloudwatch_with_failing_streams_exits_1(hooks: Hooks, tmp_path: Path) -> None:
    deliver()

    def refuse(**_: Any) -> None:
        error = {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}
        raise ClientError(error, "GetLogEvents")  # type: ignore[arg-type]

    hooks.handlers.append(("provide-client-params.logs.GetLogEvents", refuse))
    result = flowlogs("-c", "log_fields=aws-default", "fetch", "--from", "cloudwatch", "--log-group", GROUP,
                      *WINDOW, "--out", str(tmp_path / "copy"))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "flowlogs: error: 3 of 3 log stream(s) failed; run the same command again to resume"
    assert sum("ThrottlingException: Rate exceeded" in line for line in lines) == 3


@pytest.mark.parametrize(("args", "message"), [
    (["--investigation", "demo", "--bucket", "b"], "--bucket cannot be used with --from cloudwatch"),
    (["--investigation", "demo", "--dry-run"], "--dry-run cannot be used with --from cloudwatch"),
    ([], "give --investigation NAME (a deployed investigation) or --log-group NAME"),
])
def test_fetch_from_cloudwatch_bad_input_exits_2(hooks: Hooks, args: list[str], message: str,
                                                 tmp_path: Path) -> None:
    result = flowlogs("fetch", "--from", "cloudwatch", *args, *WINDOW, "--out", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"flowlogs: error: {message}"


def test_log_group_goes_with_cloudwatch_only(hooks: Hooks, tmp_path: Path) -> None:
    result = flowlogs("fetch", "--bucket", "b", "--log-group", GROUP, *WINDOW, "--out", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert result.stderr.strip() == "flowlogs: error: --log-group goes with --from cloudwatch"
