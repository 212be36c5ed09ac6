"""``flowlogs doctor``: one scenario per problem it must find, each on an investigation deployed into moto.

Every scenario changes one thing of a healthy deployment (tests/aws/doctor/test_doctor_healthy.py)
and checks the line, its fix and the exit status; expected values come from the scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from botocore.awsrequest import AWSResponse

from tests.aws.doctor.moto_investigation import (
    ACCOUNT,
    ALL,
    AWS_DEFAULT,
    SWAPPED,
    V5,
    queue_count,
    sample_file,
)
from tests.aws.doctor.scenario import PARQUET, TEXT, Line, doctor, only_failed, setup
from tests.moto_hooks import Hooks
from tests.synths import Synth


def test_a_flow_log_that_cannot_deliver_shows_aws_message(hooks: Hooks, samples: dict[str, Path],
                                                          synth_config: Callable[[str], Synth]) -> None:
    inv = setup(PARQUET, synth_config, hooks)
    broken = inv.flow_log_ids[1]

    def delivery_failed(parsed: dict[str, Any], **_: Any) -> None:
        for flow_log in parsed.get("FlowLogs", []):
            if flow_log["FlowLogId"] == broken:
                flow_log.update(DeliverLogsStatus="FAILED", DeliverLogsErrorMessage="Access error")

    hooks.handlers.append(("after-call.ec2.DescribeFlowLogs", delivery_failed))
    inv.upload(PARQUET.key(inv, 10), sample_file(samples["parquet-v5"], ".log.parquet"))
    queue_count(42)
    result, lines = doctor()
    assert lines["flow logs"] == Line(
        "✘", f"{broken} ({inv.resource_ids[1]}) cannot deliver: Access error",
        f"the log delivery service (delivery.logs.amazonaws.com) must be allowed to write to {inv.bucket} by "
        "its bucket policy, and with encryption=kms to use its key: redeploy the storage stack "
        f"(npx cdk deploy {inv.stack('storage')}) and do not edit those policies by hand")
    only_failed(lines, "flow logs")
    assert result.exit_code == 1
    assert result.stderr == "flowlogs: error: 1 of 10 checks failed: flow logs\n"


def test_no_objects_yet_fails_and_skips_the_file_check(hooks: Hooks,
                                                       synth_config: Callable[[str], Synth]) -> None:
    inv = setup(PARQUET, synth_config, hooks)
    queue_count(0)
    result, lines = doctor()
    assert lines["objects"] == Line(
        "✘", f"no flow log file yet under s3://{inv.bucket}/{PARQUET.region_folder} (last 24 h)",
        "files arrive about 10 minutes after traffic: wait, make sure the captured VPCs, subnets or network "
        "interfaces carry traffic, and see the flow logs line above")
    assert lines["parquet schema"] == Line("-", "not checked: no flow log file was found")
    assert lines["test query"].mark == "!" and lines["test query"].detail.startswith("0 records started")
    only_failed(lines, "objects")
    assert result.exit_code == 1


def test_objects_only_older_than_30_minutes_are_a_warning(hooks: Hooks, samples: dict[str, Path],
                                                          synth_config: Callable[[str], Synth]) -> None:
    inv = setup(TEXT, synth_config, hooks)
    key = TEXT.key(inv, 125)
    inv.upload(key, sample_file(samples["text-all"], ".log.gz"))
    queue_count(0)
    result, lines = doctor()
    assert lines["objects"] == Line(
        "!", f"newest file 2 h 5 min old: s3://{inv.bucket}/{key}; nothing newer in the last 30 min",
        "delivery has stopped or the captured resources carry no traffic: see the flow logs line above "
        "(destroying the capture stack stops capture)")
    assert lines["text header"].mark == "✔"
    only_failed(lines)
    assert result.exit_code == 0 and result.stderr == ""


WRONG_PLACE = ("a flow log writes another layout or key prefix than the table reads: deploy all stacks with "
               "the same settings (npx cdk deploy --all) and remove flow logs not made by this kit that "
               "write to this bucket")


def test_objects_under_the_other_hive_style_are_named(hooks: Hooks, samples: dict[str, Path],
                                                      synth_config: Callable[[str], Synth]) -> None:
    inv = setup(PARQUET, synth_config, hooks)  # the table reads plain folders
    inv.upload(PARQUET.key(inv, 10, hive=True), sample_file(samples["parquet-v5"], ".log.parquet"))
    queue_count(0)
    result, lines = doctor()
    assert lines["objects"] == Line(
        "✘", "no flow log file of the last 24 h where the table reads "
        f"(s3://{inv.bucket}/{PARQUET.region_folder}); "
        f"found flow logs it does not read: s3://{inv.bucket}/AWSLogs/aws-account-id={ACCOUNT}/ "
        "(Hive folders; the table reads plain ones)", WRONG_PLACE)
    only_failed(lines, "objects")
    assert result.exit_code == 1


def test_objects_under_another_key_prefix_are_named(hooks: Hooks, samples: dict[str, Path],
                                                    synth_config: Callable[[str], Synth]) -> None:
    inv = setup(TEXT, synth_config, hooks)  # the table reads team/flows/AWSLogs/
    inv.upload(TEXT.key(inv, 10, prefix=""), sample_file(samples["text-all"], ".log.gz"))
    queue_count(0)
    result, lines = doctor()
    assert lines["objects"] == Line(
        "✘", "no flow log file of the last 24 h where the table reads "
        f"(s3://{inv.bucket}/{TEXT.region_folder}); "
        f"found flow logs it does not read: s3://{inv.bucket}/AWSLogs/ (another key prefix; the table reads "
        f"s3://{inv.bucket}/team/flows/AWSLogs/)", WRONG_PLACE)
    only_failed(lines, "objects")
    assert result.exit_code == 1


def test_a_text_header_unlike_the_table_names_the_first_difference(
        hooks: Hooks, samples: dict[str, Path], synth_config: Callable[[str], Synth]) -> None:
    inv = setup(TEXT, synth_config, hooks)
    key = TEXT.key(inv, 10)
    inv.upload(key, sample_file(samples["text-swapped"], ".log.gz"))
    queue_count(3)
    result, lines = doctor()
    position = next(i for i, (a, b) in enumerate(zip(ALL, SWAPPED, strict=True)) if a != b)
    assert lines["text header"] == Line(
        "✘", f"field {position + 1} is {SWAPPED[position]} in the file's header, {ALL[position]} in the "
        "table "
        f"({key.rsplit('/', 1)[1]})",
        "the flow log and the table must come from the same log_fields: npx cdk deploy --all (files "
        "delivered before that keep their old field order)")
    only_failed(lines, "text header")
    assert result.exit_code == 1


def test_a_parquet_schema_unlike_the_table_names_the_first_difference(
        hooks: Hooks, samples: dict[str, Path], synth_config: Callable[[str], Synth]) -> None:
    inv = setup(PARQUET, synth_config, hooks)  # the table has the v5 fields
    key = PARQUET.key(inv, 10)
    inv.upload(key, sample_file(samples["parquet-default"], ".log.parquet"))
    queue_count(3)
    result, lines = doctor()
    first_missing = next(f for f in V5 if f not in AWS_DEFAULT).replace("-", "_")
    assert lines["parquet schema"] == Line(
        "✘", f"table column {first_missing} is not in the file ({key.rsplit('/', 1)[1]})",
        "the flow log and the table must come from the same log_fields: npx cdk deploy --all (files "
        "delivered before that keep their old columns)")
    only_failed(lines, "parquet schema")
    assert result.exit_code == 1


def test_a_missing_workgroup_fails_and_skips_the_athena_checks(hooks: Hooks, samples: dict[str, Path],
                                                               synth_config: Callable[[str], Synth]) -> None:
    inv = setup(PARQUET, synth_config, hooks, workgroup=False)
    workgroup = inv.synth.one("analytics", "AWS::Athena::WorkGroup")["Properties"]["Name"]

    def not_found(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:  # what Athena answers (moto: nothing)
        error = {"Error": {"Code": "InvalidRequestException",
                           "Message": f"WorkGroup {workgroup} is not found."},
                 "ResponseMetadata": {"HTTPStatusCode": 400}}
        return AWSResponse("https://athena", 400, {}, None), error  # type: ignore[arg-type]

    hooks.handlers.append(("before-call.athena.GetWorkGroup", not_found))
    inv.upload(PARQUET.key(inv, 10), sample_file(samples["parquet-v5"], ".log.parquet"))
    result, lines = doctor()
    assert lines["workgroup"] == Line(
        "✘", f"{workgroup} does not exist",
        f"redeploy the analytics stack: npx cdk deploy {inv.stack('analytics')}")
    assert lines["test query"] == Line("-", "not checked: the workgroup failed")
    assert lines["saved queries"] == Line("-", "not checked: the workgroup failed")
    only_failed(lines, "workgroup")
    assert result.exit_code == 1
    assert not hooks.requests("athena.StartQueryExecution")


def test_saved_queries_missing_or_extra_are_named(hooks: Hooks, samples: dict[str, Path],
                                                  synth_config: Callable[[str], Synth]) -> None:
    inv = setup(PARQUET, synth_config, hooks, drop_query="demo-top-talkers", extra_query="demo-old-query")
    inv.upload(PARQUET.key(inv, 10), sample_file(samples["parquet-v5"], ".log.parquet"))
    queue_count(42)
    result, lines = doctor()
    expected = len(inv.synth.resources("analytics", "AWS::Athena::NamedQuery"))
    assert lines["saved queries"] == Line(
        "✘", "1 saved query missing: demo-top-talkers; 1 not rendered for the deployed fields: "
        f"demo-old-query (of {expected} expected in flowlogs-demo)",
        f"redeploy the analytics stack with this version of the kit: npx cdk deploy {inv.stack('analytics')}")
    only_failed(lines, "saved queries")
    assert result.exit_code == 1
