"""``flowlogs query --athena`` and ``flowlogs fetch`` against moto (in-process, never real AWS).

Expected costs follow Athena's published pricing: USD 5 per TB scanned, rounded up to the next MB with
a 10 MB minimum per query (decimal units).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from moto.athena.models import QueryResults, athena_backends
from moto.core import DEFAULT_ACCOUNT_ID

from flowkit.layout import Layout
from tests.moto_hooks import Hooks, flowlogs, moto_cli
from tests.moto_stacks import create_stack

REGION = "us-east-1"
STORAGE = {"BucketName": "flowlogs-demo-logs", "LogRoot": "AWSLogs/",
           "LogLayout": "text hive=false hourly=true"}
ANALYTICS = {"DatabaseName": "flowlogs_demo", "TableName": "flow_logs", "WorkGroupName": "flowlogs-demo",
             "ResultsLocation": "s3://flowlogs-demo-logs/athena-results/"}
# the deployed names above are what these settings derive (so `flowlogs render` gives the same SQL)
DEMO = ["-c", "investigation=demo", "-c", "file_format=text"]
WINDOW = ["--since", "2024-05-01", "--until", "2024-05-02"]


@pytest.fixture
def hooks(aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Hooks]:
    """Fake credentials and region (aws_env), moto for every AWS call, a folder without cdk.json as cwd."""
    with moto_cli(monkeypatch, tmp_path) as found:
        yield found


def column(name: str, kind: str) -> dict[str, Any]:
    return {"Name": name, "Label": name, "Type": kind, "CatalogName": "hive", "SchemaName": "",
            "TableName": "", "Nullable": "UNKNOWN", "CaseSensitive": kind == "varchar", "Precision": 0,
            "Scale": 0}


def row(*values: str | None) -> dict[str, Any]:
    return {"Data": [{} if v is None else {"VarCharValue": v} for v in values]}


def queue_result(columns: list[tuple[str, str]], *rows: dict[str, Any]) -> None:
    """The rows moto's Athena returns for the next query (with the header row Athena puts first)."""
    backend = athena_backends[DEFAULT_ACCOUNT_ID][REGION]
    backend.query_results_queue.append(QueryResults(rows=[row(*(n for n, _ in columns)), *rows],
                                                    column_info=[column(n, k) for n, k in columns]))


def executions() -> list[str]:
    return list(athena_backends[DEFAULT_ACCOUNT_ID][REGION].executions)


def deploy_demo() -> None:
    create_stack("flowlogs-demo-storage", STORAGE, REGION)
    create_stack("flowlogs-demo-analytics", ANALYTICS, REGION)
    boto3.client("athena", region_name=REGION).create_work_group(Name="flowlogs-demo")


SOURCE_COLUMNS = [("dstaddr", "varchar"), ("dstport", "integer"), ("protocol", "integer"),
                  ("action", "varchar"), ("flows", "bigint"), ("packets", "bigint"), ("bytes", "bigint")]


# -- query --athena --------------------------------------------------------------------------------
@pytest.mark.parametrize("where", [["--investigation", "demo"], DEMO], ids=["--investigation", "settings"])
def test_query_athena_runs_the_rendered_query_of_the_deployed_investigation(hooks: Hooks,
                                                                            where: list[str]) -> None:
    deploy_demo()
    queue_result(SOURCE_COLUMNS, row("10.0.1.25", "443", "6", "ACCEPT", "3", "12", "3400"),
                 row("10.0.1.26", "22", "6", "REJECT", "1", "1", None))
    settings, options = (where, []) if where == DEMO else ([], where)
    result = flowlogs(*settings, "query", "traffic-from-source", "--athena", *options, "-p",
                      "srcaddr=203.0.113.9", *WINDOW, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"dstaddr": "10.0.1.25", "dstport": 443, "protocol": 6, "action": "ACCEPT", "flows": 3, "packets": 12,
         "bytes": 3400},
        {"dstaddr": "10.0.1.26", "dstport": 22, "protocol": 6, "action": "REJECT", "flows": 1, "packets": 1,
         "bytes": None},
    ]
    rendered = flowlogs(*DEMO, "render", "traffic-from-source", *WINDOW)
    assert rendered.exit_code == 0
    [request] = hooks.requests("athena.StartQueryExecution")
    assert request == {
        "QueryString": rendered.stdout,
        "QueryExecutionContext": {"Database": "flowlogs_demo"},
        "WorkGroup": "flowlogs-demo",
        "ExecutionParameters": ["'203.0.113.9'"],  # Athena binds strings in single quotes
        "ResultConfiguration": {"OutputLocation": "s3://flowlogs-demo-logs/athena-results/"},
    }
    [execution_id] = executions()
    assert execution_id in result.stderr
    # moto reports 0 bytes scanned: Athena bills the 10 MB minimum, 10 MB x USD 5 / 1e6 MB = USD 0.00005
    assert "USD 0.000050" in result.stderr


def test_query_athena_table_output_matches_the_local_shape(hooks: Hooks) -> None:
    deploy_demo()
    queue_result([("srcaddr", "varchar"), ("bytes", "bigint"), ("packets", "bigint")],
                 row("10.0.0.1", "400", "4"))
    result = flowlogs(*DEMO, "query", "top-talkers", "--athena", *WINDOW, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "srcaddr,bytes,packets\n10.0.0.1,400,4\n"
    assert "Data scanned" not in result.stdout and "Data scanned" in result.stderr


def test_query_athena_with_workgroup_and_database_skips_cloudformation(hooks: Hooks) -> None:
    boto3.client("athena", region_name=REGION).create_work_group(Name="team-wg")
    result = flowlogs("query", "top-talkers", "--athena", "--workgroup", "team-wg", "--database", "case_db",
                      "--table", "vpc_logs", *WINDOW)
    assert result.exit_code == 0, result.stderr
    assert "(no rows)" in result.stdout
    rendered = flowlogs("-c", "database=case_db", "-c", "table=vpc_logs", "render", "top-talkers", *WINDOW)
    [request] = hooks.requests("athena.StartQueryExecution")
    assert request == {"QueryString": rendered.stdout, "QueryExecutionContext": {"Database": "case_db"},
                       "WorkGroup": "team-wg"}
    assert '"case_db"."vpc_logs"' in request["QueryString"]
    assert not [name for name, _ in hooks.calls if name.startswith("cloudformation.")]


def execution_response(state: str, reason: str, scanned: int) -> Callable[..., Any]:
    """A before-call handler answering GetQueryExecution like Athena does for a query that ended badly."""

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        parsed = {"QueryExecution": {"QueryExecutionId": executions()[-1],
                                     "Status": {"State": state, "StateChangeReason": reason},
                                     "Statistics": {"DataScannedInBytes": scanned}},
                  "ResponseMetadata": {"HTTPStatusCode": 200}}
        return AWSResponse("https://athena", 200, {}, None), parsed  # type: ignore[arg-type]

    return answer


@pytest.mark.parametrize(
    ("state", "reason", "scanned", "cost"),
    [
        ("FAILED", "COLUMN_NOT_FOUND: line 3:8: Column 'nope' cannot be resolved", 0, "not billed"),
        # cutoff: CANCELLED and billed for what it scanned, 10 GB = 10,000 MB x USD 5 / 1e6 MB = USD 0.05
        ("CANCELLED", "Query exhausted the data usage limit (BytesScannedCutoffPerQuery) of this workgroup",
         10 * 10**9, "USD 0.050000"),
    ],
)
def test_query_athena_failure_prints_the_reason_and_exits_1(hooks: Hooks, state: str, reason: str,
                                                           scanned: int, cost: str) -> None:
    deploy_demo()
    answer = execution_response(state, reason, scanned)
    hooks.handlers.append(("before-call.athena.GetQueryExecution", answer))
    result = flowlogs(*DEMO, "query", "top-talkers", "--athena", *WINDOW)
    assert result.exit_code == 1
    assert result.stdout == ""
    [execution_id] = executions()
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == f"flowlogs: error: Athena query {execution_id} {state}: {reason}"
    assert any(cost in line for line in lines[:-1])


ATHENA_BAD_INPUT = [
    (["query", "top-talkers", "--athena", "--logs", "."], "--logs and --athena cannot be used together"),
    (["query", "top-talkers", "--athena", "--workgroup", "wg"], "--workgroup and --database go together"),
    (["query", "top-talkers", "--athena", "--database", "db"], "--workgroup and --database go together"),
    (["query", "top-talkers", "--athena", "--investigation", "demo", "--workgroup", "wg", "--database", "d"],
     "give either --investigation or --workgroup/--database, not both"),
    (["query", "top-talkers", "--logs", ".", "--investigation", "demo"],
     "--investigation can only be used with --athena"),
    (["query", "top-talkers", "--athena", "--investigation", "Demo!"],
     "'Demo!' is not an investigation name"),
    (["query", "traffic-from-source", "--athena", "--investigation", "demo"], "missing parameter 'srcaddr'"),
    (["query", "top-talkers", "--athena", "--investigation", "demo"],
     "stack flowlogs-demo-storage: not found (deploy it first"),
]


@pytest.mark.parametrize(("args", "message"), ATHENA_BAD_INPUT, ids=[m[:30] for _, m in ATHENA_BAD_INPUT])
def test_query_athena_bad_input_is_one_line_and_status_2(hooks: Hooks, args: list[str], message: str) -> None:
    result = flowlogs(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("flowlogs: error: "), result.stderr
    assert message in lines[0]
    assert result.stdout == ""
    assert not hooks.requests("athena.StartQueryExecution")


def test_query_athena_without_region_is_bad_input(hooks: Hooks, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    result = flowlogs("query", "top-talkers", "--athena", "--workgroup", "wg", "--database", "db")
    assert result.exit_code == 2
    assert result.stderr.startswith("flowlogs: error: no AWS region") and result.stderr.count("\n") == 1


# -- fetch -----------------------------------------------------------------------------------------
BUCKET = "flowlogs-demo-logs"
SINCE, UNTIL = datetime(2024, 5, 1, 20, tzinfo=UTC), datetime(2024, 5, 2, 4, tzinfo=UTC)
FETCH_WINDOW = ["--since", "2024-05-01T20:00Z", "--until", "2024-05-02T04:00Z"]


@pytest.fixture
def original(tmp_path: Path) -> Path:
    """Two days of realistic text logs (hourly folders), ending 2024-05-03 00:00 UTC."""
    from flowkit.sample import write_sample

    root = tmp_path / "original"
    write_sample(root, days=2, layout=Layout("text", False, True), seed=11,
                 now=datetime(2024, 5, 3, tzinfo=UTC), flows_per_day=150)
    return root


def upload(root: Path) -> dict[str, bytes]:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    for key, body in files.items():
        s3.put_object(Bucket=BUCKET, Key=key, Body=body)
    return files


def in_window(key: str) -> bool:
    """Hourly folders hold files by their records' END time, and a record lasts at most the 10-minute
    aggregation interval (VPC user guide): records starting in [20:00, 04:00) sit in folders 20 to 04."""
    parts = key.split("/")  # AWSLogs/<account>/vpcflowlogs/<region>/yyyy/MM/dd/HH/<file>
    folder = datetime(int(parts[4]), int(parts[5]), int(parts[6]), int(parts[7]), tzinfo=UTC)
    return SINCE <= folder <= (UNTIL + timedelta(minutes=10)).replace(minute=0)


def local_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.log.gz")}


@pytest.mark.parametrize("source", ["--investigation", "--bucket"])
def test_fetch_copies_the_window_in_the_same_layout(hooks: Hooks, original: Path, tmp_path: Path,
                                                    source: str) -> None:
    files = upload(original)
    create_stack("flowlogs-demo-storage", STORAGE, REGION)
    where = (["--investigation", "demo"] if source == "--investigation"
             else ["--bucket", BUCKET, "--format", "text", "--no-hive", "--hourly"])
    out = tmp_path / "copy"
    result = flowlogs("fetch", *where, *FETCH_WINDOW, "--out", str(out), "--workers", "4")
    assert result.exit_code == 0, result.stderr
    expected = {key: body for key, body in files.items() if in_window(key)}
    assert 0 < len(expected) < len(files)
    assert local_files(out) == expected
    assert f"downloaded {len(expected)} file(s)" in result.stderr
    assert result.stdout == ""
    # only the window's folders were listed, never the whole bucket or an account's whole tree (and the
    # transit gateway flow logs' folder once, empty here)
    listed = [p["Prefix"] for p in hooks.requests("s3.ListObjectsV2")]
    assert listed.count("transit-gateway/AWSLogs/") == 1
    listed.remove("transit-gateway/AWSLogs/")
    assert listed and all(p.count("/") in (1, 3, 8) for p in listed), listed

    again = flowlogs("fetch", *where, *FETCH_WINDOW, "--out", str(out))
    assert again.exit_code == 0, again.stderr
    assert f"downloaded 0 file(s), 0 bytes; skipped {len(expected)} already present" in again.stderr


def test_query_on_the_fetched_copy_equals_the_query_on_the_original(hooks: Hooks, original: Path,
                                                                    tmp_path: Path) -> None:
    upload(original)
    out = tmp_path / "copy"
    fetched = flowlogs("fetch", "--bucket", BUCKET, "--format", "text", "--no-hive", "--hourly",
                       *FETCH_WINDOW, "--out", str(out))
    assert fetched.exit_code == 0, fetched.stderr
    for name in ("top-talkers", "accept-reject-ratio", "bytes-over-time", "port-scan-suspects"):
        copy = flowlogs("query", name, "--logs", str(out), *FETCH_WINDOW, "--format", "json")
        full = flowlogs("query", name, "--logs", str(original), *FETCH_WINDOW, "--format", "json")
        assert copy.exit_code == 0 and full.exit_code == 0, copy.stderr + full.stderr
        assert json.loads(copy.stdout) == json.loads(full.stdout), name
    coverage = json.loads(flowlogs("query", "log-coverage", "--logs", str(out), *FETCH_WINDOW,
                                   "--format", "json").stdout)
    assert sum(r["records"] for r in coverage) > 0


def test_failed_downloads_exit_1_and_a_rerun_resumes(hooks: Hooks, original: Path, tmp_path: Path) -> None:
    files = upload(original)
    expected = {key: body for key, body in files.items() if in_window(key)}
    broken = sorted(expected)[:2]

    def fail_some(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not any(params["url_path"].endswith(key) for key in broken):
            return None
        error = {"Error": {"Code": "InternalError", "Message": "We encountered an internal error."},
                 "ResponseMetadata": {"HTTPStatusCode": 500}}
        return AWSResponse("https://s3", 500, {}, None), error  # type: ignore[arg-type]

    hooks.handlers.append(("before-call.s3.GetObject", fail_some))
    out = tmp_path / "copy"
    args = ["fetch", "--bucket", BUCKET, "--format", "text", "--no-hive", *FETCH_WINDOW, "--out", str(out)]
    result = flowlogs(*args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == (f"flowlogs: error: 2 of {len(expected)} download(s) failed; run the same command "
                         "again to resume")
    assert sum(line.startswith("FAILED ") and "InternalError" in line for line in lines) == 2
    assert set(local_files(out)) == set(expected) - set(broken)

    hooks.handlers.clear()
    again = flowlogs(*args)
    assert again.exit_code == 0, again.stderr
    assert f"downloaded 2 file(s), {sum(len(expected[k]) for k in broken)} bytes; skipped " \
           f"{len(expected) - 2} already present" in again.stderr
    assert local_files(out) == expected


FETCH_BAD_INPUT = [
    (["--bucket", BUCKET, "--out", "x"], "Missing option '--since'"),
    (["--since", "2024-05-01", "--out", "x"], "give --investigation NAME"),
    (["--bucket", BUCKET, "--investigation", "demo", "--since", "2024-05-01", "--out", "x"],
     "give either --investigation or --bucket, not both"),
    (["--investigation", "demo", "--format", "text", "--since", "2024-05-01", "--out", "x"],
     "--format can only be used with --bucket"),
    (["--investigation", "demo", "--since", "2024-05-01", "--out", "x"], "stack flowlogs-demo-storage"),
    (["--bucket", "s3://b", "--since", "2024-05-01", "--out", "x"], "takes a bucket name, not a URL"),
    (["--bucket", BUCKET, "--since", "2024-05-01", "--until", "2024-04-01", "--out", "x"],
     "must be before --until"),
    (["--bucket", BUCKET, "--since", "2024-05-01", "--account", "12", "--out", "x"], "not an account id"),
]


@pytest.mark.parametrize(("args", "message"), FETCH_BAD_INPUT, ids=[m[:30] for _, m in FETCH_BAD_INPUT])
def test_fetch_bad_input_exits_2(hooks: Hooks, args: list[str], message: str) -> None:
    result = flowlogs("fetch", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not hooks.requests("s3.GetObject")


# -- report --athena -------------------------------------------------------------------------------
def test_report_athena_runs_every_report_in_the_workgroup(hooks: Hooks, tmp_path: Path) -> None:
    boto3.client("athena", region_name=REGION).create_work_group(Name="team-wg")
    out = tmp_path / "report.html"
    result = flowlogs("report", "--athena", "--workgroup", "team-wg", "--database", "case_db", *WINDOW,
                      "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out}\n"
    requests = hooks.requests("athena.StartQueryExecution")
    assert len(requests) == 11  # eight reports of the seed article plus three hunting lists
    assert {r["WorkGroup"] for r in requests} == {"team-wg"}
    assert all("TIMESTAMP '2024-05-01 00:00:00'" in r["QueryString"]
               and "TIMESTAMP '2024-05-02 00:00:00'" in r["QueryString"] for r in requests)
    html = out.read_text(encoding="utf-8")
    assert "Amazon Athena workgroup team-wg in us-east-1" in html
    assert "2024-05-01 00:00 UTC to 2024-05-02 00:00 UTC" in html


def test_report_athena_adds_the_transit_gateway_queries_when_the_settings_capture_them(
        hooks: Hooks, tmp_path: Path) -> None:
    boto3.client("athena", region_name=REGION).create_work_group(Name="team-wg")
    out = tmp_path / "report.html"
    result = flowlogs("-c", "tgw_ids=tgw-0123456789abcdef0", "report", "--athena", "--workgroup", "team-wg",
                      "--database", "case_db", "--table", "case_flows", *WINDOW, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    strings = [r["QueryString"] for r in hooks.requests("athena.StartQueryExecution")]
    transit = [q for q in strings if 'FROM "case_db"."case_flows_tgw"' in q]
    assert len(strings) == 15 and len(transit) == 4  # the eleven above, plus the four transit gateway reports
    assert all('FROM "case_db"."case_flows"' in q for q in strings if q not in transit)
