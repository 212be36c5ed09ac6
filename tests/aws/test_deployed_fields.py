"""What was deployed wins over the local cdk.json: the region from AWS_REGION and the table's fields
from the analytics stack's TableColumns output (moto CloudFormation and Athena; never real AWS).

Expected field lists are AWS's documented log formats, written out here: the default format is
``${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol}
${packets} ${bytes} ${start} ${end} ${action} ${log-status}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner
from moto import mock_aws
from moto.athena.models import athena_backends
from moto.core import DEFAULT_ACCOUNT_ID

from flowkit import cli, queries
from flowkit.aws import athena, deployed
from flowkit.aws import session as aws_session
from flowkit.catalogue import Field, resolve
from flowkit.layout import Layout
from tests.moto_stacks import create_stack

DEFAULT_FORMAT = ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport",
                  "protocol", "packets", "bytes", "start", "end", "action", "log-status"]
STORAGE = {"BucketName": "flowlogs-demo-logs", "LogRoot": "AWSLogs/",
           "LogLayout": "text hive=false hourly=true"}
ANALYTICS = {"DatabaseName": "flowlogs_demo", "TableName": "flow_logs", "WorkGroupName": "flowlogs-demo",
             "ResultsLocation": "s3://flowlogs-demo-logs/athena-results/"}




def deploy(analytics: dict[str, str], region: str = "us-east-1") -> None:
    create_stack("flowlogs-demo-storage", STORAGE, region)
    create_stack("flowlogs-demo-analytics", analytics, region)


def executions(region: str = "us-east-1") -> dict[str, Any]:
    return dict(athena_backends[DEFAULT_ACCOUNT_ID][region].executions)


# -- region ------------------------------------------------------------------------------------------
@pytest.fixture
def no_region(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)


def test_aws_region_alone_is_used(no_region: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    session = aws_session.make_session()
    assert session.region_name == "eu-west-3"
    assert aws_session.client(session, "athena").meta.region_name == "eu-west-3"


def test_aws_default_region_alone_is_used(no_region: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    assert aws_session.make_session().region_name == "ap-southeast-2"


def test_aws_region_beats_aws_default_region(no_region: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # AWS SDKs and CLI v2: AWS_REGION takes precedence over AWS_DEFAULT_REGION
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    assert aws_session.make_session().region_name == "eu-west-3"


def test_explicit_region_wins(no_region: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    assert aws_session.make_session(region="ca-central-1").region_name == "ca-central-1"


def test_profile_region_applies_without_env(no_region: None, monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text("[profile inv]\nregion = sa-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    assert aws_session.make_session(profile="inv").region_name == "sa-east-1"
    monkeypatch.setenv("AWS_REGION", "eu-west-3")  # the environment overrides a profile's setting
    assert aws_session.make_session(profile="inv").region_name == "eu-west-3"


def test_empty_aws_region_is_unset(no_region: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    assert aws_session.make_session().region_name == "ap-southeast-2"


def test_lookup_finds_stacks_in_the_aws_region(no_region: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    with mock_aws():
        deploy(ANALYTICS, region="eu-west-3")
        found = deployed.lookup("demo", aws_session.make_session(), notify=lambda _: None)
    assert found.database == "flowlogs_demo"


def test_cli_query_athena_with_only_aws_region(no_region: None, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.chdir(tmp_path)
    with mock_aws():
        deploy({**ANALYTICS, "TableColumns": ",".join(DEFAULT_FORMAT)}, region="eu-west-3")
        boto3.client("athena", region_name="eu-west-3").create_work_group(Name="flowlogs-demo")
        result = CliRunner().invoke(cli.cli, ["-c", "investigation=demo", "query", "top-talkers", "--athena",
                                              "--since", "2024-05-01", "--until", "2024-05-02"])
        ran = executions("eu-west-3")
    assert result.exit_code == 0, result.stderr
    assert "region" not in result.stderr.lower()
    assert len(ran) == 1


# -- TableColumns ------------------------------------------------------------------------------------
def test_lookup_reads_table_columns_in_order(mocked: boto3.Session) -> None:
    names = ["version", "start", "log-status", "srcaddr", "tcp-flags", "reject-reason"]
    deploy({**ANALYTICS, "TableColumns": ",".join(names)})
    notes: list[str] = []
    found = deployed.lookup("demo", mocked, notify=notes.append)
    assert found.fields is not None
    assert [f.name for f in found.fields] == names
    assert [f.column for f in found.fields] == ["version", "start", "log_status", "srcaddr", "tcp_flags",
                                                "reject_reason"]
    assert notes == []


def test_unknown_name_in_table_columns_is_a_one_line_error(mocked: boto3.Session) -> None:
    deploy({**ANALYTICS, "TableColumns": "version,start,log-status,tcp_flagz"})
    with pytest.raises(deployed.DeployedError) as err:
        deployed.lookup("demo", mocked, notify=lambda _: None)
    message = str(err.value)
    assert message.startswith("stack flowlogs-demo-analytics: output TableColumns")
    assert "tcp_flagz" in message and "\n" not in message


def test_empty_name_in_table_columns_is_reported(mocked: boto3.Session) -> None:
    deploy({**ANALYTICS, "TableColumns": "version,,start,log-status"})
    with pytest.raises(deployed.DeployedError, match="output TableColumns is 'version,,start,log-status'"):
        deployed.lookup("demo", mocked, notify=lambda _: None)


def test_missing_table_columns_means_unknown_fields_and_one_note(mocked: boto3.Session) -> None:
    deploy(ANALYTICS)
    notes: list[str] = []
    found = deployed.lookup("demo", mocked, notify=notes.append)
    assert found.fields is None
    assert len(notes) == 1 and "TableColumns" in notes[0] and "flowlogs-demo-analytics" in notes[0]


def test_lookup_prints_nothing_itself(mocked: boto3.Session, capsys: pytest.CaptureFixture[str]) -> None:
    """The domain never prints: the note goes only to the notify it is given (the CLI's stderr, see
    test_cli_older_deployment_uses_settings_with_a_note)."""
    deploy(ANALYTICS)
    deployed.lookup("demo", mocked)
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")


# -- run_saved uses the deployed fields ----------------------------------------------------------------
def template(tmp_path: Path, fields: str) -> queries.QueryTemplate:
    path = tmp_path / "flag-check.sql"
    path.write_text(
        "-- name: flag-check\n"
        "-- description: Flows with their flags where recorded.\n"
        f"-- fields: {fields}\n"
        "SELECT srcaddr{% if has('tcp-flags') %}, tcp_flags{% endif %}"
        "{% if has('ecs-task-id') %}, ecs_task_id{% endif %} FROM {{ database }}.{{ table }}\n"
        "WHERE {{ window }}\n"
    )
    return queries.parse_template(path)


def target(fields: tuple[Field, ...] | None) -> deployed.Deployed:
    return deployed.Deployed("demo", "b", Layout("text", False, True, ""), "flowlogs_demo", "flow_logs",
                             "flowlogs-demo", "s3://b/athena-results/", fields=fields)


def settings_ctx(spec: str) -> queries.RenderContext:
    return queries.RenderContext("cdk_db", "cdk_table", resolve(spec), Layout("text"), 7)


def test_query_needing_a_field_the_deployed_table_lacks_is_refused(mocked: boto3.Session,
                                                                   tmp_path: Path) -> None:
    mocked.client("athena").create_work_group(Name="flowlogs-demo")
    with pytest.raises(queries.QueryError) as err:
        athena.run_saved(mocked, target(resolve(DEFAULT_FORMAT)), template(tmp_path, "srcaddr tcp-flags"), {},
                         settings_ctx("v5"), notify=lambda _: None)  # v5 has tcp-flags
    message = str(err.value)
    assert "tcp-flags" in message and "flowlogs_demo.flow_logs" in message and "TableColumns" in message
    assert "\n" not in message
    assert executions() == {}


def test_rendered_sql_follows_the_deployed_fields(mocked: boto3.Session, tmp_path: Path) -> None:
    mocked.client("athena").create_work_group(Name="flowlogs-demo")
    run = athena.run_saved(mocked, target(resolve("all")), template(tmp_path, "srcaddr"), {},
                           settings_ctx("aws-default"), notify=lambda _: None)
    sql = str(executions()[run.execution_id].query)
    assert "tcp_flags" in sql and "ecs_task_id" in sql
    run = athena.run_saved(mocked, target(resolve(DEFAULT_FORMAT)), template(tmp_path, "srcaddr"), {},
                           settings_ctx("all"), notify=lambda _: None)
    sql = str(executions()[run.execution_id].query)
    assert "tcp_flags" not in sql and "ecs_task_id" not in sql


def test_without_deployed_fields_the_settings_fields_apply(mocked: boto3.Session, tmp_path: Path) -> None:
    mocked.client("athena").create_work_group(Name="flowlogs-demo")
    run = athena.run_saved(mocked, target(None), template(tmp_path, "srcaddr tcp-flags"), {},
                           settings_ctx("v5"), notify=lambda _: None)
    sql = str(executions()[run.execution_id].query)
    assert "tcp_flags" in sql and "ecs_task_id" not in sql
    with pytest.raises(queries.QueryError, match="ecs-task-id.*flow log format does not record"):
        athena.run_saved(mocked, target(None), template(tmp_path, "ecs-task-id"), {}, settings_ctx("v5"),
                         notify=lambda _: None)


# -- through the CLI ---------------------------------------------------------------------------------
def flowlogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_cli_refuses_a_query_the_deployed_table_cannot_answer(mocked: boto3.Session, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # cdk.json (here -c) records instance-id (v5), the deployed table only the default format
    deploy({**ANALYTICS, "TableColumns": ",".join(DEFAULT_FORMAT)})
    mocked.client("athena").create_work_group(Name="flowlogs-demo")
    code, out, err = flowlogs(tmp_path, monkeypatch, "-c", "investigation=demo", "-c", "log_fields=v5",
                              "query", "top-talking-instances", "--athena", "--since", "2024-05-01",
                              "--until", "2024-05-02")
    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "top-talking-instances" in lines[0] and "instance-id" in lines[0] and "flow_logs" in lines[0]
    assert executions() == {}


def test_cli_older_deployment_uses_settings_with_a_note(mocked: boto3.Session, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    deploy(ANALYTICS)
    mocked.client("athena").create_work_group(Name="flowlogs-demo")
    code, _, err = flowlogs(tmp_path, monkeypatch, "-c", "investigation=demo", "-c", "log_fields=v5", "query",
                            "top-talking-instances", "--athena", "--since", "2024-05-01", "--until",
                            "2024-05-02")
    assert code == 0, err
    assert sum("TableColumns" in line for line in err.splitlines()) == 1
    (only,) = executions().values()
    assert "instance_id" in str(only.query)
