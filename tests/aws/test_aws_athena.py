"""flowkit.athena: running a saved query in Athena (moto backend and botocore Stubber; never real AWS).

Expected costs follow Athena's published pricing: USD 5 per TB scanned, rounded up to the next MB,
10 MB minimum per query (decimal units, as BytesScannedCutoffPerQuery's 10,000,000-byte minimum).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto.athena.models import QueryResults, athena_backends
from moto.core import DEFAULT_ACCOUNT_ID

from flowkit import queries
from flowkit.aws import athena
from flowkit.aws.deployed import Deployed
from flowkit.catalogue import resolve
from flowkit.layout import Layout

REGION = "us-east-1"  # the region the conftest fixtures use

COLUMNS = [("srcaddr", "varchar"), ("flows", "bigint"), ("share", "double"), ("note", "varchar"),
           ("first_seen", "timestamp")]


def column_info() -> list[dict[str, Any]]:
    return [{"Name": n, "Label": n, "Type": t, "CatalogName": "hive", "SchemaName": "", "TableName": "",
             "Nullable": "UNKNOWN", "CaseSensitive": t == "varchar", "Precision": 0, "Scale": 0}
            for n, t in COLUMNS]


def row(*values: str | None) -> dict[str, Any]:
    return {"Data": [{} if v is None else {"VarCharValue": v} for v in values]}


HEADER = row(*(n for n, _ in COLUMNS))
EMPTY_RESULTS = {"ResultSet": {"Rows": [], "ResultSetMetadata": {"ColumnInfo": []}}}


def execution(state: str, scanned: int = 0, reason: str | None = None) -> dict[str, Any]:
    status: dict[str, Any] = {"State": state}
    if reason:
        status["StateChangeReason"] = reason
    return {"QueryExecution": {"QueryExecutionId": "q-1", "Status": status,
                               "Statistics": {"DataScannedInBytes": scanned}}}


def stubbed_client() -> tuple[Any, Stubber]:
    client = boto3.client("athena", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    return client, Stubber(client)


def expect_start(stub: Stubber, params: list[str] | None = None) -> None:
    expected: dict[str, Any] = {"QueryString": "SELECT 1", "QueryExecutionContext": {"Database": "db"},
                                "WorkGroup": "wg"}
    if params:
        expected["ExecutionParameters"] = params
    stub.add_response("start_query_execution", {"QueryExecutionId": "q-1"}, expected)


def run(client: Any, lines: list[str], params: list[str] | None = None,
        sleeps: list[float] | None = None) -> athena.AthenaResult:
    sink: list[float] = sleeps if sleeps is not None else []
    return athena.execute(client, "SELECT 1", database="db", workgroup="wg", parameters=params or [],
                          notify=lines.append, sleep=sink.append)


# -- moto: the real request/response path ---------------------------------------------------------
def test_moto_run_query_types_rows_and_passes_parameters(mocked: boto3.Session) -> None:
    client = mocked.client("athena")
    client.create_work_group(Name="wg", Configuration={
        "ResultConfiguration": {"OutputLocation": "s3://results-bucket/athena/"}})
    backend = athena_backends[DEFAULT_ACCOUNT_ID][REGION]
    backend.query_results_queue.append(QueryResults(
        rows=[HEADER, row("10.0.0.1", "42", "0.25", "x", "2024-05-01 13:00:00.000"),
              row("10.0.0.2", None, "1.5", None, "2024-05-01 14:05:06.123")],
        column_info=column_info()))
    lines: list[str] = []
    result = athena.execute(client, "SELECT 1", database="db", workgroup="wg",
                            parameters=["'10.0.0.1'", "443"], notify=lines.append)
    assert result.columns == ["srcaddr", "flows", "share", "note", "first_seen"]
    assert result.rows == [("10.0.0.1", 42, 0.25, "x", "2024-05-01T13:00:00Z"),
                           ("10.0.0.2", None, 1.5, None, "2024-05-01T14:05:06.123000Z")]
    recorded = backend.executions[result.execution_id]
    assert recorded.execution_parameters == ["'10.0.0.1'", "443"]
    assert recorded.context == {"Database": "db"}
    assert recorded.workgroup is not None and recorded.workgroup.name == "wg"
    assert recorded.query == "SELECT 1"
    assert any(result.execution_id in line for line in lines)


def test_moto_run_saved_renders_for_deployed_names(mocked: boto3.Session, tmp_path: Path) -> None:
    template_path = tmp_path / "flows-to-host-port.sql"
    template_path.write_text(
        "-- name: flows-to-host-port\n"
        "-- description: Flows to one host and port.\n"
        "-- fields: dstaddr dstport\n"
        "-- param: address ip  Destination address\n"
        "-- param: port int(0..65535)  Destination port\n"
        "SELECT count(*) AS flows FROM {{ database }}.{{ table }}\n"
        "WHERE {{ window }} AND dstaddr = {{ p.address }} AND dstport = {{ p.port }}\n"
    )
    template = queries.parse_template(template_path)
    mocked.client("athena").create_work_group(Name="flowlogs-inv")
    target = Deployed("inv", "bucket", Layout("parquet", False, True, ""), "deployed_db", "deployed_table",
                      "flowlogs-inv", "s3://bucket/athena-results/")
    local_names = queries.RenderContext("cdk_json_db", "cdk_json_table", resolve("v5"), Layout("text"), 7)
    result = athena.run_saved(mocked, target, template, {"address": "10.0.1.25", "port": "443"}, local_names,
                              notify=lambda _: None)
    recorded = athena_backends[DEFAULT_ACCOUNT_ID][REGION].executions[result.execution_id]
    # Athena binds strings in single quotes, numbers bare.
    assert recorded.execution_parameters == ["'10.0.1.25'", "443"]
    assert recorded.context == {"Database": "deployed_db"}
    assert '"deployed_db"."deployed_table"' in recorded.query
    assert "cdk_json" not in recorded.query
    # the deployed layout (parquet, hourly) gives the dt pattern, not the local context's
    assert "%Y/%m/%d/%H" in recorded.query
    assert recorded.query.count("?") == 2


def test_run_saved_rejects_bad_parameter_before_calling_aws(mocked: boto3.Session, tmp_path: Path) -> None:
    path = tmp_path / "by-port.sql"
    path.write_text("-- name: by-port\n-- description: d\n-- fields: dstport\n"
                    "-- param: port int(0..65535)  Port\n"
                    "SELECT 1 FROM {{ database }}.{{ table }}\n"
                    "WHERE {{ window }} AND dstport = {{ p.port }}\n")
    template = queries.parse_template(path)
    target = Deployed("inv", "b", Layout("parquet", False, True, ""), "d", "t", "wg-missing", "s3://b/r/")
    ctx = queries.RenderContext("d", "t", resolve("v5"), Layout(), 7)
    with pytest.raises(queries.QueryError, match="port"):
        athena.run_saved(mocked, target, template, {"port": "99999"}, ctx)
    assert athena_backends[DEFAULT_ACCOUNT_ID][REGION].executions == {}


# -- Stubber: states and pages moto cannot produce --------------------------------------------------
def test_results_are_paged_and_only_the_first_page_has_a_header() -> None:
    client, stub = stubbed_client()
    expect_start(stub, ["'10.0.0.9'"])
    stub.add_response("get_query_execution", execution("SUCCEEDED", 123), {"QueryExecutionId": "q-1"})
    meta = {"ColumnInfo": column_info()}
    stub.add_response("get_query_results", {
        "ResultSet": {"Rows": [HEADER, row("a", "1", "1.0", "n1", "2024-05-01 00:00:00.000")],
                      "ResultSetMetadata": meta}, "NextToken": "page-2"},
        {"QueryExecutionId": "q-1", "MaxResults": 1000})
    stub.add_response("get_query_results", {
        "ResultSet": {"Rows": [row("b", "2", "NaN", "", "2024-05-02 00:00:00.000"),
                               row("c", "3", "-1.5E3", "n3", None)],
                      "ResultSetMetadata": meta}, "NextToken": "page-3"},
        {"QueryExecutionId": "q-1", "MaxResults": 1000, "NextToken": "page-2"})
    stub.add_response("get_query_results", {
        "ResultSet": {"Rows": [row("d", "9223372036854775807", "0", "n4", "2024-05-03 00:00:00.000")],
                      "ResultSetMetadata": meta}},
        {"QueryExecutionId": "q-1", "MaxResults": 1000, "NextToken": "page-3"})
    lines: list[str] = []
    with stub:
        result = run(client, lines, ["'10.0.0.9'"])
        stub.assert_no_pending_responses()
    assert [r[0] for r in result.rows] == ["a", "b", "c", "d"]
    assert result.rows[1][2] != result.rows[1][2]  # NaN
    assert result.rows[1][3] == ""  # empty string is not NULL
    assert result.rows[2][1:] == (3, -1500.0, "n3", None)
    assert result.rows[3][1] == 2**63 - 1


def test_polls_with_backoff_until_done() -> None:
    client, stub = stubbed_client()
    expect_start(stub)
    for state in ("QUEUED", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED"):
        stub.add_response("get_query_execution", execution(state), {"QueryExecutionId": "q-1"})
    stub.add_response("get_query_results", EMPTY_RESULTS)
    sleeps: list[float] = []
    with stub:
        run(client, [], sleeps=sleeps)
    assert sleeps == [0.25, 0.5, 1.0, 2.0, 2.0]


def test_failed_query_raises_with_athena_reason_and_is_not_billed() -> None:
    client, stub = stubbed_client()
    expect_start(stub)
    reason = "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved"
    stub.add_response("get_query_execution", execution("FAILED", 0, reason))
    lines: list[str] = []
    with stub, pytest.raises(athena.AthenaError) as err:
        run(client, lines)
    assert "FAILED" in str(err.value) and reason in str(err.value) and "q-1" in str(err.value)
    assert any("not billed" in line for line in lines)


def test_cancelled_by_bytes_scanned_cutoff_reports_reason_and_cost() -> None:
    client, stub = stubbed_client()
    expect_start(stub)
    reason = "Query exhausted the data usage limit (BytesScannedCutoffPerQuery) of this workgroup"
    stub.add_response("get_query_execution", execution("CANCELLED", 10_000_000_000, reason))
    lines: list[str] = []
    with stub, pytest.raises(athena.AthenaError, match="CANCELLED: Query exhausted the data usage limit"):
        run(client, lines)
    # 10 GB scanned: 10,000 MB x USD 5 / 1,000,000 MB = USD 0.05
    assert any("10.00 GB" in line and "USD 0.050000" in line for line in lines)


def test_failure_without_reason_still_says_so() -> None:
    client, stub = stubbed_client()
    expect_start(stub)
    stub.add_response("get_query_execution", execution("CANCELLED"))
    with stub, pytest.raises(athena.AthenaError, match="CANCELLED: no reason given"):
        run(client, [])


def test_api_error_is_one_line() -> None:
    client, stub = stubbed_client()
    stub.add_client_error("start_query_execution", "InvalidRequestException", "WorkGroup wg is disabled.")
    with stub, pytest.raises(athena.AthenaError) as err:
        run(client, [])
    assert str(err.value) == "Athena StartQueryExecution: InvalidRequestException: WorkGroup wg is disabled."


@pytest.mark.parametrize(
    ("scanned", "billed", "cost_text"),
    [
        (0, 10_000_000, "USD 0.000050"),  # 10 MB minimum: 10 x 5 / 1e6
        (123, 10_000_000, "USD 0.000050"),
        (10_000_001, 11_000_000, "USD 0.000055"),  # rounded up to the next MB
        (1_500_000_000, 1_500_000_000, "USD 0.007500"),  # 1500 MB x 5 / 1e6
        (2 * 10**12, 2 * 10**12, "USD 10.000000"),  # 2 TB
    ],
)
def test_cost_follows_athena_pricing(scanned: int, billed: int, cost_text: str) -> None:
    client, stub = stubbed_client()
    expect_start(stub)
    stub.add_response("get_query_execution", execution("SUCCEEDED", scanned))
    stub.add_response("get_query_results", EMPTY_RESULTS)
    lines: list[str] = []
    with stub:
        result = run(client, lines)
    assert result.data_scanned_bytes == scanned
    assert result.billed_bytes == billed
    assert result.cost_usd == pytest.approx(billed * 5 / 10**12)
    [report] = [line for line in lines if line.startswith("Data scanned")]
    assert cost_text in report


def test_ctrl_c_stops_the_query() -> None:
    client, stub = stubbed_client()
    expect_start(stub)
    stub.add_response("get_query_execution", execution("RUNNING"))
    stub.add_response("stop_query_execution", {}, {"QueryExecutionId": "q-1"})

    def interrupt(_: float) -> None:
        raise KeyboardInterrupt

    with stub:
        with pytest.raises(KeyboardInterrupt):
            athena.execute(client, "SELECT 1", database="db", workgroup="wg", sleep=interrupt)
        stub.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("athena_type", "text", "expected"),
    [
        ("integer", "7", 7), ("smallint", "-3", -3), ("bigint", "5000000000", 5_000_000_000),
        ("double", "2.5", 2.5), ("boolean", "true", True), ("varchar", "ACCEPT", "ACCEPT"),
        ("timestamp", "2024-05-01 13:00:00.000", "2024-05-01T13:00:00Z"),
        ("timestamp with time zone", "2024-05-01 13:00:00.000 UTC", "2024-05-01T13:00:00Z"),
        ("timestamp with time zone", "2024-05-01 15:00:00.000 +02:00", "2024-05-01T13:00:00Z"),
        ("timestamp with time zone", "2024-05-01 15:00:00.000 Europe/Berlin", "2024-05-01T13:00:00Z"),
        ("decimal(10,2)", "12.50", 12.5), ("decimal(10,0)", "12", 12),
        ("date", "2024-05-01", "2024-05-01"), ("ipaddress", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_value_conversion(athena_type: str, text: str, expected: object) -> None:
    assert athena.convert_value(athena_type, {"VarCharValue": text}) == expected
    assert athena.convert_value(athena_type, {}) is None


def test_streamed_results_read_each_page_only_when_its_rows_are_needed() -> None:
    client, stub = stubbed_client()
    expect_start(stub)
    stub.add_response("get_query_execution", execution("SUCCEEDED", 5), {"QueryExecutionId": "q-1"})
    meta = {"ColumnInfo": column_info()}
    pages = [[HEADER, row("a", "1", "1.0", "n", None)], [row("b", "2", "2.0", "n", None)],
             [row("c", "3", "3.0", "n", None)]]
    for number, page_rows in enumerate(pages):
        response: dict[str, Any] = {"ResultSet": {"Rows": page_rows, "ResultSetMetadata": meta}}
        expected: dict[str, Any] = {"QueryExecutionId": "q-1", "MaxResults": 1000}
        if number + 1 < len(pages):
            response["NextToken"] = f"page-{number + 2}"
        if number:
            expected["NextToken"] = f"page-{number + 1}"
        stub.add_response("get_query_results", response, expected)
    requested: list[str] = []
    client.meta.events.register("before-parameter-build.athena.GetQueryResults",
                                lambda **_: requested.append("page"))
    with stub:
        found = athena.execute_stream(client, "SELECT 1", database="db", workgroup="wg", sleep=lambda _: None)
        assert found.columns == [n for n, _ in COLUMNS] and len(requested) == 1
        assert next(found.rows)[0] == "a" and len(requested) == 1
        assert next(found.rows)[0] == "b" and len(requested) == 2
        assert [r[0] for r in found.rows] == ["c"] and len(requested) == 3
        stub.assert_no_pending_responses()
