"""The scheduled report function, run in-process against moto (S3, SNS, Athena) and a botocore Stubber.

The rows Athena returns are the local engine's rows of the same saved queries over the same sample logs,
so the page the function writes must be the page ``flowlogs report --logs`` writes for that window.
"""

from __future__ import annotations

import contextlib
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import requests
from botocore.stub import Stubber
from click.testing import CliRunner

from flowkit import cli, queries
from flowkit.aws import athena
from flowkit.catalogue import resolve
from flowkit.report import REPORTS, local_runner
from flowkit.sample import write_sample
from flowkit.schedule import handler
from flowkit.schedule.config import ConfigError, from_environment
from tests.schedule.deployment import BUCKET, LAYOUT, REGION, Deployment, set_environment

UNTIL = datetime(2024, 5, 2, tzinfo=UTC)
SINCE = UNTIL - timedelta(days=1)
RUN_AT = datetime(2024, 5, 2, 0, 30, 12, tzinfo=UTC)  # the schedule fires half an hour after the hour
KEY = "reports/2024-05-01T0000Z--2024-05-02T0000Z.html"
Rows = tuple[list[str], list[tuple[Any, ...]]]


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("logs")
    write_sample(root, days=1, layout=LAYOUT, now=UNTIL, flows_per_day=150)
    return root


@pytest.fixture(scope="module")
def engine_rows(logs: Path) -> dict[str, Rows]:
    """Each report query's rows from the local engine over the window (what Athena will answer)."""
    ctx = queries.RenderContext("flowlogs_weekly", "flow_logs", resolve("v5"), LAYOUT)
    run = local_runner(logs, ctx, since=SINCE, until=UNTIL)
    found = {}
    for spec in REPORTS:
        result = run(spec.query, dict(spec.params))
        found[spec.query] = (list(result.columns), [tuple(row) for row in result.rows])
    assert found["rejected-sources"][1], "the sample has rejected traffic to summarize"
    return found


@pytest.fixture(scope="module")
def cli_page(logs: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """What ``flowlogs report --logs`` writes for the same window (no cdk.json: built-in settings)."""
    out = tmp_path_factory.mktemp("cli") / "report.html"
    with contextlib.chdir(tmp_path_factory.mktemp("cwd")):
        result = CliRunner().invoke(cli.cli, ["report", "--logs", str(logs), "--since", "2024-05-01",
                                         "--until", "2024-05-02", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _without_origin(page: str) -> str:
    """The page less the two lines that name where and when it was made."""
    return re.sub(r'<dd id="(source|generated)">.*?</dd>', "", page, flags=re.S)


def _run(deployment: Deployment, engine_rows: dict[str, Rows], **kwargs: Any) -> dict[str, Any]:
    deployment.queue_results([engine_rows[spec.query] for spec in REPORTS])
    return handler.run(from_environment(deployment.environment), deployment.session, now=RUN_AT, **kwargs)


def test_report_is_the_page_flowlogs_report_writes(deployment: Deployment, engine_rows: dict[str, Rows],
                                                   cli_page: str) -> None:
    result = _run(deployment, engine_rows)
    assert result["report"] == f"s3://{BUCKET}/{KEY}"
    assert result["queries"] == len(REPORTS) == 11
    page = deployment.reports()[KEY].decode("utf-8")
    assert _without_origin(page) == _without_origin(cli_page)
    assert re.search(r'<dd id="source">Amazon Athena workgroup flowlogs-weekly in us-east-1, table '
                     r"flowlogs_weekly.flow_logs \(investigation weekly\)</dd>", page)
    assert '<dd id="generated">2024-05-02 00:30 UTC</dd>' in page


def test_message_names_window_totals_top_sources_and_link(deployment: Deployment,
                                                          engine_rows: dict[str, Rows]) -> None:
    _run(deployment, engine_rows)
    ((subject, body),) = deployment.messages()
    # the totals, computed here from the engine's rows
    columns, ratio = engine_rows["accept-reject-ratio"]
    flows = sum(row[columns.index("flows")] for row in ratio)
    rejected = sum(row[columns.index("flows")] for row in ratio if row[columns.index("action")] == "REJECT")
    share = f"{100 * rejected / flows:.1f}%"
    assert subject == f"VPC flow logs weekly: 2024-05-01 to 2024-05-02, {share} rejected"
    assert "Window: 2024-05-01 00:00 UTC to 2024-05-02 00:00 UTC" in body
    assert f"Flow records  {flows:,}\n" in body
    assert f"Rejected      {share} of flow records ({rejected:,})\n" in body
    _, sources = engine_rows["rejected-sources"]
    lines = body.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Top rejected sources"))
    listed = [line.split() for line in lines[start + 1:start + 1 + min(5, len(sources))]]
    assert listed == [[address, f"{count:,}"] for address, count in sources[:5]]
    assert lines[start + 1 + min(5, len(sources))] == ""
    # the link: a SigV4 pre-signed GET of the report, 7 days, that serves the page
    link = next(line for line in lines if line.startswith("https://"))
    url = urlparse(link)
    assert url.path.endswith("/" + KEY) and BUCKET in url.netloc + url.path
    query = parse_qs(url.query)
    assert query["X-Amz-Expires"] == ["604800"] and query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert requests.get(link, timeout=10).content == deployment.reports()[KEY]
    assert f"aws s3 presign s3://{BUCKET}/{KEY} --expires-in 604800" in body
    console = f"https://{REGION}.console.aws.amazon.com/s3/object/{BUCKET}?region={REGION}&prefix="
    assert console + KEY.replace("/", "%2F") in body
    assert "(until 2024-05-09 00:30 UTC)" in body
    assert f"in {len(REPORTS)} queries" in body


class _Session:
    """moto's S3 and SNS, a stubbed Athena client."""

    def __init__(self, real: boto3.Session, athena_client: Any) -> None:
        self.real, self.athena_client, self.region_name = real, athena_client, REGION

    def client(self, service: str, **kwargs: Any) -> Any:
        return self.athena_client if service == "athena" else self.real.client(service, **kwargs)


SCAN_LIMIT = ("Query exhausted resources: the workgroup's data usage control cancelled it after "
              "10737418240 bytes scanned")


def test_query_cancelled_by_scan_limit_is_emailed_and_fails_the_run(deployment: Deployment) -> None:
    client = boto3.client("athena", region_name=REGION)
    stub = Stubber(client)
    stub.add_response("start_query_execution", {"QueryExecutionId": "q-cancelled"})
    stub.add_response("get_query_execution", {"QueryExecution": {
        "QueryExecutionId": "q-cancelled", "Status": {"State": "CANCELLED", "StateChangeReason": SCAN_LIMIT},
        "Statistics": {"DataScannedInBytes": 10737418240}}})
    with stub, pytest.raises(handler.ScheduledReportError) as raised:
        handler.run(from_environment(deployment.environment), _Session(deployment.session, client),
                    now=RUN_AT, log_group="/aws/lambda/flowlogs-weekly-report")
    stub.assert_no_pending_responses()
    assert raised.value.status == 1
    (problem,) = raised.value.problems
    assert problem == f"query 'accept-reject-ratio': Athena query q-cancelled CANCELLED: {SCAN_LIMIT}"
    ((subject, body),) = deployment.messages()
    assert subject == "FAILED: VPC flow logs report weekly: 2024-05-01 to 2024-05-02"
    assert "Window: 2024-05-01 00:00 UTC to 2024-05-02 00:00 UTC" in body
    assert f"  {problem}\n" in body
    assert "No report was written." in body
    assert "/aws/lambda/flowlogs-weekly-report" in body
    assert deployment.reports() == {}


def test_time_limit_is_emailed_before_the_function_is_stopped(deployment: Deployment,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*_args: Any, **_kwargs: Any) -> Any:
        time.sleep(3)
        raise AssertionError("not reached in time")

    monkeypatch.setattr(athena, "run_saved", slow)
    started = time.monotonic()
    with pytest.raises(handler.ScheduledReportError, match="time limit"):
        handler.run(from_environment(deployment.environment), deployment.session, now=RUN_AT,
                    seconds_left=lambda: handler.RESERVE_SECONDS + 0.5)
    assert time.monotonic() - started < 2.5
    ((subject, body),) = deployment.messages()
    assert subject.startswith("FAILED:")
    assert "query 'accept-reject-ratio': still running when the function's time limit" in body
    assert deployment.reports() == {}


def test_a_report_that_cannot_be_written_is_emailed(deployment: Deployment,
                                                    engine_rows: dict[str, Rows]) -> None:
    deployment.session.client("s3").delete_bucket(Bucket=BUCKET)
    with pytest.raises(handler.ScheduledReportError, match="NoSuchBucket"):
        _run(deployment, engine_rows)
    ((subject, body),) = deployment.messages()
    assert subject.startswith("FAILED:") and "NoSuchBucket" in body


class _Context:
    def get_remaining_time_in_millis(self) -> int:
        return 900_000


def test_lambda_entry_point_reads_its_environment(deployment: Deployment, engine_rows: dict[str, Rows],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    set_environment(monkeypatch, deployment.environment)
    deployment.queue_results([engine_rows[spec.query] for spec in REPORTS])
    before = datetime.now(UTC)
    result = handler.handler({}, _Context())
    hours = {when.replace(minute=0, second=0, microsecond=0) for when in (before, datetime.now(UTC))}
    since, until = (datetime.fromisoformat(result[k]) for k in ("since", "until"))
    assert until in hours and until - since == timedelta(days=1)
    assert list(deployment.reports()) == [result["report"].removeprefix(f"s3://{BUCKET}/")]
    assert len(deployment.messages()) == 1


@pytest.mark.parametrize(("drop", "named"), [
    ("FLOWLOGS_REPORT_TOPIC_ARN", "FLOWLOGS_REPORT_TOPIC_ARN"),
    ("WorkGroupName", "WorkGroupName"),
    ("TableColumns", "TableColumns"),
])
def test_incomplete_environment_names_what_is_missing(deployment: Deployment, drop: str, named: str) -> None:
    env = {k: v for k, v in deployment.environment.items() if k != drop}
    with pytest.raises(Exception, match=named) as raised:
        from_environment(env)
    assert isinstance(raised.value, ConfigError) or type(raised.value).__name__ == "DeployedError"
