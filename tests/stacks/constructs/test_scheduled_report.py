"""ScheduledReport: the UTC schedule, the function, its least-privilege role, the topic, the logs."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from flowkit import catalogue
from flowkit.layout import Layout
from stacks.constructs import FlowLogDatabase, FlowLogTable, QueryWorkGroup, ScheduledReport
from stacks.constructs.scheduled_report import log_retention
from tests.stacks.constructs.helpers import ACCOUNT, bare_stack, one, resources, template_of

pytestmark = pytest.mark.slow

PARTITION, REGION = {"Ref": "AWS::Partition"}, {"Ref": "AWS::Region"}
# CloudWatch Logs retention periods (CloudWatch Logs API reference, PutRetentionPolicy)
CLOUDWATCH_RETENTION = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                        2922, 3288, 3653)
CASES: dict[str, dict[str, Any]] = {
    "kms-prefix": {"key": True, "layout": Layout("parquet", False, True, "org/flows"), "retention": 90,
                   "expression": "cron(30 6 ? * MON *)", "emails": ["lead@example.com", "soc@example.com"]},
    "s3": {"key": False, "layout": Layout("text", True, False), "retention": 10,
           "expression": "rate(12 hours)", "emails": ["oncall@example.org"]},
}


def _arn(service: str, resource: str) -> dict[str, Any]:
    return {"Fn::Join": ["", ["arn:", PARTITION, f":{service}:", REGION, ":", ACCOUNT, f":{resource}"]]}


@pytest.fixture(scope="module")
def templates(feature_flags: dict[str, Any]) -> dict[str, dict[str, Any]]:
    built = {}
    for name, case in CASES.items():
        stack = bare_stack(feature_flags)
        bucket = s3.Bucket(stack, "Logs")
        key = kms.Key(stack, "EvidenceKey") if case["key"] else None
        fields = catalogue.resolve("v5")
        database = FlowLogDatabase(stack, "Database", name="flowlogs_case", investigation="case")
        table = FlowLogTable(stack, "Table", database=database, name="flow_logs", bucket=bucket,
                             layout=case["layout"], fields=fields, projected_days=31)
        workgroup = QueryWorkGroup(stack, "WorkGroup", name="flowlogs-case", investigation="case",
                                   query_limit_gb=10, bucket=bucket, encryption_key=key)
        ScheduledReport(stack, "ScheduledReport", investigation="case", expression=case["expression"],
                        emails=case["emails"], lookback_days=7, bucket=bucket, layout=case["layout"],
                        table=table, workgroup=workgroup, fields=fields, log_retention_days=case["retention"],
                        encryption_key=key)
        built[name] = template_of(stack)
    return built


@pytest.mark.parametrize("case", sorted(CASES))
def test_schedule_runs_the_function_in_utc(templates: dict[str, Any], case: str) -> None:
    template = templates[case]
    function_id, _ = one(template, "AWS::Lambda::Function")
    _, schedule = one(template, "AWS::Scheduler::Schedule")
    props = schedule["Properties"]
    assert props["ScheduleExpression"] == CASES[case]["expression"]
    assert props["ScheduleExpressionTimezone"] == "UTC"
    assert props["State"] == "ENABLED" and props["FlexibleTimeWindow"] == {"Mode": "OFF"}
    target = props["Target"]
    assert target["Arn"] == {"Fn::GetAtt": [function_id, "Arn"]}
    role_id = target["RoleArn"]["Fn::GetAtt"][0]
    role = template["Resources"][role_id]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == ACCOUNT
    assert trust["Condition"]["StringEquals"]["aws:SourceArn"] == _arn("scheduler",
                                                                       "schedule/default/flowlogs-case-report")
    (policy,) = role["Policies"]
    function_arn = {"Fn::GetAtt": [function_id, "Arn"]}
    invoke = {"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": function_arn}
    assert policy["PolicyDocument"]["Statement"] == [invoke]


@pytest.mark.parametrize("case", sorted(CASES))
def test_function_runtime_handler_limits_and_environment(templates: dict[str, Any], case: str) -> None:
    template = templates[case]
    function_id, function = one(template, "AWS::Lambda::Function")
    props = function["Properties"]
    assert (props["Runtime"], props["Handler"]) == ("python3.14", "flowkit.schedule.handler.handler")
    assert (props["Timeout"], props["MemorySize"], props["Architectures"]) == (900, 512, ["arm64"])
    assert props["FunctionName"] == "flowlogs-case-report"
    assert "DependsOn" not in function
    env = props["Environment"]["Variables"]
    layout: Layout = CASES[case]["layout"]
    assert env["LogLayout"] == f"{layout.file_format} hive={str(layout.hive).lower()} hourly=" + (
        "true" if layout.hourly else "false")
    assert env.get("KeyPrefix") == (layout.key_prefix or None)
    assert (env["DatabaseName"], env["TableName"], env["WorkGroupName"]) == (
        "flowlogs_case", "flow_logs", "flowlogs-case")
    assert env["TableColumns"].split(",") == [f.name for f in catalogue.resolve("v5")]
    assert env["FLOWLOGS_REPORT_LOOKBACK_DAYS"] == "7" and env["FLOWLOGS_INVESTIGATION"] == "case"
    topic_id, _ = one(template, "AWS::SNS::Topic")
    assert env["FLOWLOGS_REPORT_TOPIC_ARN"] == {"Ref": topic_id}
    # one attempt per run: Lambda's asynchronous retries would run the eleven queries (and e-mail) again
    _, invoke = one(template, "AWS::Lambda::EventInvokeConfig")
    assert invoke["Properties"]["MaximumRetryAttempts"] == 0
    assert invoke["Properties"]["FunctionName"] == {"Ref": function_id}


def _statements(template: dict[str, Any]) -> dict[str, tuple[list[str], list[Any]]]:
    """Sid -> (sorted actions, resources) of the function role's policy."""
    _, function = one(template, "AWS::Lambda::Function")
    role = template["Resources"][function["Properties"]["Role"]["Fn::GetAtt"][0]]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert "ManagedPolicyArns" not in role
    (policy,) = role["Policies"]
    found = {}
    for statement in policy["PolicyDocument"]["Statement"]:
        assert statement["Effect"] == "Allow" and "Condition" not in statement
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        found[statement["Sid"]] = (sorted(actions), statement["Resource"] if isinstance(
            statement["Resource"], list) else [statement["Resource"]])
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_role_grants_only_what_the_report_needs(templates: dict[str, Any], case: str) -> None:
    template = templates[case]
    bucket_id, _ = one(template, "AWS::S3::Bucket")
    bucket_arn = {"Fn::GetAtt": [bucket_id, "Arn"]}

    def objects(prefix: str) -> dict[str, Any]:
        return {"Fn::Join": ["", [bucket_arn, f"/{prefix}*"]]}

    topic_id, _ = one(template, "AWS::SNS::Topic")
    logs_id, _ = one(template, "AWS::Logs::LogGroup")
    expected = {
        "RunQueriesInTheWorkgroup": (
            ["athena:GetQueryExecution", "athena:GetQueryResults", "athena:StartQueryExecution"],
            [_arn("athena", "workgroup/flowlogs-case")]),
        "ReadTheTable": (["glue:GetDatabase", "glue:GetPartitions", "glue:GetTable"],
                         [_arn("glue", "catalog"), _arn("glue", "database/flowlogs_case"),
                          _arn("glue", "table/flowlogs_case/flow_logs")]),
        "ListTheBucket": (["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                          [bucket_arn]),
        "ReadTheLogs": (["s3:GetObject"], [objects(CASES[case]["layout"].root)]),
        "WriteQueryResults": (["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts",
                               "s3:PutObject"], [objects("athena-results/")]),
        "WriteAndLinkReports": (["s3:GetObject", "s3:PutObject"], [objects("reports/")]),
        "PublishTheSummary": (["sns:Publish"], [{"Ref": topic_id}]),
        "WriteOwnLogs": (["logs:CreateLogStream", "logs:PutLogEvents"], [{"Fn::GetAtt": [logs_id, "Arn"]}]),
    }
    if CASES[case]["key"]:
        key_id, _ = one(template, "AWS::KMS::Key")
        expected["UseTheEvidenceKey"] = (["kms:Decrypt", "kms:GenerateDataKey"],
                                         [{"Fn::GetAtt": [key_id, "Arn"]}])
    found = _statements(template)
    assert found == expected
    assert not any("*" in action for actions, _ in found.values() for action in actions)
    assert not any(resource == "*" for _, listed in found.values() for resource in listed)


@pytest.mark.parametrize("case", sorted(CASES))
def test_topic_is_encrypted_tls_only_with_one_subscription_per_address(templates: dict[str, Any],
                                                                        case: str) -> None:
    template = templates[case]
    topic_id, topic = one(template, "AWS::SNS::Topic")
    assert topic["Properties"]["KmsMasterKeyId"] == _arn("kms", "alias/aws/sns")
    assert topic["Properties"]["DisplayName"] == "VPC flow logs case"
    subscriptions = resources(template, "AWS::SNS::Subscription").values()
    assert sorted(s["Properties"]["Endpoint"] for s in subscriptions) == sorted(CASES[case]["emails"])
    assert {(s["Properties"]["Protocol"], s["Properties"]["TopicArn"]["Ref"]) for s in subscriptions} == {
        ("email", topic_id)}
    _, policy = one(template, "AWS::SNS::TopicPolicy")
    (deny,) = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


@pytest.mark.parametrize("case", sorted(CASES))
def test_function_logs_are_kept_as_long_as_the_flow_logs_and_removed_with_the_stack(
        templates: dict[str, Any], case: str) -> None:
    template = templates[case]
    logs_id, group = one(template, "AWS::Logs::LogGroup")
    days = CASES[case]["retention"]
    assert group["Properties"]["RetentionInDays"] == min(d for d in CLOUDWATCH_RETENTION if d >= days)
    assert group["Properties"]["LogGroupName"] == "/aws/lambda/flowlogs-case-report"
    assert group["DeletionPolicy"] == "Delete"
    _, function = one(template, "AWS::Lambda::Function")
    assert function["Properties"]["LoggingConfig"] == {"LogGroup": {"Ref": logs_id}}
    mine = {k: v for k, v in template["Resources"].items() if k.startswith("ScheduledReport")}
    assert len(mine) >= 9
    for logical_id, resource in mine.items():
        assert resource.get("DeletionPolicy", "Delete") == "Delete", logical_id


@pytest.mark.parametrize("days", [1, 2, 30, 31, 366, 3650])
def test_log_retention_is_the_next_period_cloudwatch_accepts(feature_flags: dict[str, Any],
                                                             days: int) -> None:
    from aws_cdk import aws_logs as logs

    stack = bare_stack(feature_flags)
    logs.LogGroup(stack, "Group", retention=log_retention(days))
    (group,) = resources(template_of(stack), "AWS::Logs::LogGroup").values()
    assert group["Properties"]["RetentionInDays"] == min(d for d in CLOUDWATCH_RETENTION if d >= days)
