"""``flowlogs doctor`` on healthy investigations deployed into moto (parquet and text layouts), and
what must never crash: a refused AWS call, a destroyed stack, saved queries of other settings.

Each scenario deploys the kit's synthesized stacks into moto (tests/aws/doctor/moto_investigation.py),
runs the command and checks its lines, the fix and the exit status. Expected values come from the
scenario: names from the synthesized templates, keys written by hand from AWS's layout, counts of the
template's resources. Athena's cost: moto reports 0 bytes scanned and Athena bills at least 10 MB at
USD 5 per TB (10 MB x USD 5 / 1e6 MB = USD 0.00005).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from tests.aws.doctor.moto_investigation import (
    ACCOUNT,
    NOW,
    REGION,
    deploy,
    queue_count,
    sample_file,
)
from tests.aws.doctor.scenario import COST, PARQUET, TEXT, Case, Line, doctor, only_failed, setup, table_input
from tests.moto_hooks import Hooks
from tests.synths import Synth


# -- healthy ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", [PARQUET, TEXT], ids=["parquet", "text"])
def test_a_healthy_investigation_passes_every_check(hooks: Hooks, samples: dict[str, Path],
                                                    synth_config: Callable[[str], Synth], case: Case) -> None:
    inv = setup(case, synth_config, hooks)
    body = sample_file(samples[case.sample], ".log.gz" if case.text else ".log.parquet")
    for minutes in (70, 10):
        inv.upload(case.key(inv, minutes), body)
    queue_count(42)
    result, lines = doctor()

    synth, bucket, ids = inv.synth, inv.bucket, inv.flow_log_ids
    table = table_input(inv)
    columns = len(table["StorageDescriptor"]["Columns"])
    workgroup = synth.one("analytics", "AWS::Athena::WorkGroup")["Properties"]["Name"]
    saved = len(synth.resources("analytics", "AWS::Athena::NamedQuery"))
    database = synth.one("analytics", "AWS::Glue::Database")["Properties"]["DatabaseInput"]["Name"]
    newest = case.key(inv, 10)
    file_line = (f"✔ text header: {columns} fields in the table's column order ({newest.rsplit('/', 1)[1]})"
                 if case.text else
                 f"✔ parquet schema: {columns} columns with the table's names and types "
                 f"({newest.rsplit('/', 1)[1]})")
    assert result.stdout.splitlines() == [
        f"✔ storage stack: {inv.stack('storage')} is CREATE_COMPLETE",
        f"✔ capture stack: {inv.stack('capture')} is CREATE_COMPLETE, {len(ids)} flow logs",
        f"✔ analytics stack: {inv.stack('analytics')} is CREATE_COMPLETE",
        f"✔ flow logs: {len(ids)} flow logs active, delivering to s3://{bucket}/{case.root} "
        f"({', '.join(ids)})",
        f"✔ table: {database}.{table['Name']}: {columns} columns as deployed, reads "
        f"s3://{bucket}/{case.root} ({case.shape}) for account {ACCOUNT}, region {REGION}",
        f"✔ objects: newest file 10 min old: s3://{bucket}/{newest}",
        file_line,
        f"✔ workgroup: {workgroup}: Athena engine version 3, results to s3://{bucket}/athena-results/",
        f"✔ test query: 42 records started in the last hour; {COST}",
        f"✔ saved queries: {saved} in {workgroup}, as rendered for the {columns} deployed fields",
    ]
    assert result.exit_code == 0 and result.stderr == ""

    # never the whole bucket: delimiter listings only, at the top, down to the log root, or of time folders
    listed = hooks.requests("s3.ListObjectsV2")
    assert all(r.get("Delimiter") == "/" for r in listed), listed
    time_folders = [r["Prefix"] for r in listed if r["Prefix"] not in case.tops]
    assert time_folders and all(p.startswith(case.region_folder) for p in time_folders), time_folders
    # the tiny query reads the last hour only, in the workgroup, with its result location
    [query] = hooks.requests("athena.StartQueryExecution")
    assert query["WorkGroup"] == workgroup and query["QueryExecutionContext"] == {"Database": database}
    assert f"TIMESTAMP '{NOW - timedelta(hours=1):%Y-%m-%d %H:%M:%S}'" in query["QueryString"]
    assert f"TIMESTAMP '{NOW:%Y-%m-%d %H:%M:%S}'" in query["QueryString"]
    assert query["ResultConfiguration"] == {"OutputLocation": f"s3://{bucket}/athena-results/"}
    if case.text:  # only the first bytes of the newest file are read for its header
        assert [r.get("Range") for r in hooks.requests("s3.GetObject")] == ["bytes=0-65535"]



# -- what must never crash -------------------------------------------------------------------------
def test_a_refused_aws_call_fails_its_check_and_the_rest_go_on(hooks: Hooks,
                                                               synth_config: Callable[[str], Synth]) -> None:
    inv = setup(PARQUET, synth_config, hooks)

    def access_denied(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        error = {"Error": {"Code": "AccessDenied", "Message": "Access Denied"},
                 "ResponseMetadata": {"HTTPStatusCode": 403}}
        return AWSResponse("https://s3", 403, {}, None), error  # type: ignore[arg-type]

    hooks.handlers.append(("before-call.s3.ListObjectsV2", access_denied))
    queue_count(0)
    result, lines = doctor()
    objects = lines["objects"]
    assert objects.mark == "✘"
    assert objects.detail.startswith(f"s3://{inv.bucket}/{PARQUET.region_folder}")  # a time folder
    assert objects.detail.endswith("/: ListObjectsV2: AccessDenied: Access Denied")
    assert objects.fix == ("AWS refused or failed the call named in the line: make sure your credentials may "
                           "make it, then run flowlogs doctor again")
    assert lines["parquet schema"] == Line("-", "not checked: no flow log file was found")
    assert [line.mark for name, line in lines.items() if name in ("workgroup", "saved queries")] == ["✔", "✔"]
    only_failed(lines, "objects")
    assert result.exit_code == 1


def test_a_destroyed_capture_stack_fails_and_skips_the_flow_logs(
        hooks: Hooks, samples: dict[str, Path], synth_config: Callable[[str], Synth]) -> None:
    inv = setup(PARQUET, synth_config, hooks, stacks=("storage", "analytics"))
    inv.upload(PARQUET.key(inv, 10), sample_file(samples["parquet-v5"], ".log.parquet"))
    queue_count(42)
    result, lines = doctor()
    capture = inv.stack("capture")
    assert lines["capture stack"] == Line("✘", f"{capture} does not exist",
                                          f"deploy it: npx cdk deploy {capture}")
    assert lines["flow logs"] == Line("-", "not checked: the capture stack failed")
    only_failed(lines, "capture stack")
    assert result.exit_code == 1


def test_saved_queries_rendered_with_another_lookback_are_a_warning(
        hooks: Hooks, samples: dict[str, Path], synth_config: Callable[[str], Synth]) -> None:
    inv = deploy(synth_config(TEXT.config), hooks)  # deployed with lookback_days=14
    inv.upload(TEXT.key(inv, 10), sample_file(samples["text-all"], ".log.gz"))
    queue_count(42)
    result, lines = doctor("--investigation", inv.name)  # no cdk.json here: the built-in 7 days
    saved = sorted(inv.saved)
    assert inv.synth.settings.lookback_days == 14
    assert lines["saved queries"] == Line(
        "!", f"{len(saved)} of {len(saved)} differ from what this kit renders with lookback_days=7: "
        f"{', '.join(saved[:3])} and {len(saved) - 3} more",
        "redeploy the analytics stack with the settings of the deployment: "
        f"npx cdk deploy {inv.stack('analytics')}")
    only_failed(lines)
    assert result.exit_code == 0
