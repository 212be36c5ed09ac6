"""The report on a schedule: an EventBridge Scheduler schedule (UTC) runs one Lambda function that runs the
report's saved queries in the investigation's workgroup, writes the HTML report under ``reports/`` and
e-mails a summary with a link through an encrypted SNS topic.

The function's role may do only that: run queries in that workgroup, read that table in Glue, read the
logs and write query results and reports in the bucket, publish to that topic, write its own log group.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Aws, CfnResource, Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from flowkit import catalogue
from flowkit.aws.stack_outputs import RESULTS_PREFIX
from flowkit.layout import Layout
from flowkit.schedule.config import REPORTS_PREFIX, function_environment
from stacks.constructs.glue_table import FlowLogTable
from stacks.constructs.nag_wildcards import acknowledge_wildcards
from stacks.constructs.report_code import HANDLER, RUNTIME, function_code
from stacks.constructs.workgroup import QueryWorkGroup

TIMEOUT = Duration.minutes(15)  # Lambda's maximum: eleven queries in a row, each up to the scan limit
MEMORY_MB = 512  # rendering a page of up to eleven 500-row tables and charts
SNS_KEY = "alias/aws/sns"  # the AWS managed key: SNS itself may use it, no key policy to keep
# CloudWatch Logs accepts only these retention periods (days); the function's logs keep the next one up.
RETENTION: dict[int, logs.RetentionDays] = {
    days: getattr(logs.RetentionDays, name) for days, name in (
        (1, "ONE_DAY"), (3, "THREE_DAYS"), (5, "FIVE_DAYS"), (7, "ONE_WEEK"), (14, "TWO_WEEKS"),
        (30, "ONE_MONTH"), (60, "TWO_MONTHS"), (90, "THREE_MONTHS"), (120, "FOUR_MONTHS"),
        (150, "FIVE_MONTHS"), (180, "SIX_MONTHS"), (365, "ONE_YEAR"), (400, "THIRTEEN_MONTHS"),
        (545, "EIGHTEEN_MONTHS"), (731, "TWO_YEARS"), (1096, "THREE_YEARS"), (1827, "FIVE_YEARS"),
        (2192, "SIX_YEARS"), (2557, "SEVEN_YEARS"), (2922, "EIGHT_YEARS"), (3288, "NINE_YEARS"),
        (3653, "TEN_YEARS"))
}
IAM5_REASON = (
    "The report function reads flow log files and writes Athena results and reports whose keys exist only "
    "at run time; S3 grants objects by ARN, so each grant is one key-prefix wildcard (the log root, "
    "athena-results/ or reports/) in the investigation's own bucket, for named actions only."
)


def log_retention(days: int) -> logs.RetentionDays:
    """The shortest retention CloudWatch Logs accepts that keeps ``days`` days."""
    return RETENTION[min(allowed for allowed in RETENTION if allowed >= min(days, max(RETENTION)))]


class ScheduledReport(Construct):
    """The report function is the child ``Default``; its schedule, topic, roles and logs are beside it."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        investigation: str,
        expression: str,
        emails: Sequence[str],
        lookback_days: int,
        bucket: s3.IBucket,
        layout: Layout,
        table: FlowLogTable,
        workgroup: QueryWorkGroup,
        fields: Sequence[catalogue.Field],
        log_retention_days: int,
        encryption_key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        name = f"flowlogs-{investigation}-report"
        self.topic = sns.Topic(self, "Topic", display_name=f"VPC flow logs {investigation}", enforce_ssl=True,
                               master_key=kms.Alias.from_alias_name(self, "SnsKey", SNS_KEY))
        for address in emails:
            self.topic.add_subscription(subscriptions.EmailSubscription(address))
        self.log_group = logs.LogGroup(self, "Logs", log_group_name=f"/aws/lambda/{name}",
                                       retention=log_retention(log_retention_days),
                                       removal_policy=RemovalPolicy.DESTROY)
        policy, wildcards = self._policy(bucket, layout, table, workgroup, encryption_key)
        self.role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                             description=f"Scheduled flow log report of investigation {investigation}",
                             inline_policies={"report": policy})
        role_resource = self.role.node.default_child
        assert isinstance(role_resource, CfnResource)
        acknowledge_wildcards(role_resource, wildcards, IAM5_REASON)
        self.function = lambda_.Function(
            self, "Default", function_name=name, runtime=RUNTIME, handler=HANDLER, code=function_code(),
            architecture=lambda_.Architecture.ARM_64, timeout=TIMEOUT, memory_size=MEMORY_MB,
            role=self.role, log_group=self.log_group, retry_attempts=0,
            description=f"Scheduled flow log report of investigation {investigation}, e-mailed through SNS",
            environment=function_environment(
                investigation=investigation, bucket_name=bucket.bucket_name, layout=layout,
                database=table.database_name, table=table.name, workgroup=workgroup.name,
                results_location=workgroup.results_location, field_names=[f.name for f in fields],
                topic_arn=self.topic.topic_arn, lookback_days=lookback_days),
        )
        function_resource = self.function.node.default_child
        assert isinstance(function_resource, CfnResource)
        # its only DependsOn is the role it already GetAtt-s (with its policy inline): cfn-lint W3005
        function_resource.add_deletion_override("DependsOn")
        self.schedule = self._schedule(name, expression, investigation)

    def _policy(self, bucket: s3.IBucket, layout: Layout, table: FlowLogTable, workgroup: QueryWorkGroup,
                key: kms.IKey | None) -> tuple[iam.PolicyDocument, list[str]]:
        """The function's permissions, and the object ARNs in them that end in a wildcard."""
        def arn(service: str, resource: str) -> str:
            return f"arn:{Aws.PARTITION}:{service}:{Aws.REGION}:{Aws.ACCOUNT_ID}:{resource}"

        def allow(sid: str, actions: list[str], resources: list[str]) -> iam.PolicyStatement:
            return iam.PolicyStatement(sid=sid, actions=actions, resources=resources)

        db, tb = table.database_name, table.name
        logs_, results, reports = (bucket.arn_for_objects(prefix + "*")
                                   for prefix in (layout.root, RESULTS_PREFIX, REPORTS_PREFIX))
        statements = [
            allow("RunQueriesInTheWorkgroup",
                  ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
                  [arn("athena", f"workgroup/{workgroup.name}")]),
            allow("ReadTheTable", ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
                  [arn("glue", "catalog"), arn("glue", f"database/{db}"), arn("glue", f"table/{db}/{tb}")]),
            allow("ListTheBucket", ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                  [bucket.bucket_arn]),
            allow("ReadTheLogs", ["s3:GetObject"], [logs_]),
            allow("WriteQueryResults",
                  ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                  [results]),
            allow("WriteAndLinkReports", ["s3:PutObject", "s3:GetObject"], [reports]),
            allow("PublishTheSummary", ["sns:Publish"], [self.topic.topic_arn]),
            allow("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"],
                  [self.log_group.log_group_arn]),
        ]
        if key is not None:
            statements.append(allow("UseTheEvidenceKey", ["kms:Decrypt", "kms:GenerateDataKey"],
                                    [key.key_arn]))
        return iam.PolicyDocument(statements=statements), [logs_, results, reports]

    def _schedule(self, name: str, expression: str, investigation: str) -> scheduler.CfnSchedule:
        schedule_arn = f"arn:{Aws.PARTITION}:scheduler:{Aws.REGION}:{Aws.ACCOUNT_ID}:schedule/default/{name}"
        role = iam.Role(self, "ScheduleRole", assumed_by=iam.ServicePrincipal(
            "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID,
                                                                    "aws:SourceArn": schedule_arn}}),
            description=f"Lets the report schedule of investigation {investigation} invoke its function",
            inline_policies={"invoke": iam.PolicyDocument(statements=[iam.PolicyStatement(
                actions=["lambda:InvokeFunction"], resources=[self.function.function_arn])])})
        return scheduler.CfnSchedule(
            self, "Schedule", name=name, schedule_expression=expression, schedule_expression_timezone="UTC",
            description=f"Flow log report of investigation {investigation}",
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            state="ENABLED",
            target=scheduler.CfnSchedule.TargetProperty(
                arn=self.function.function_arn, role_arn=role.role_arn,
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                    maximum_retry_attempts=2, maximum_event_age_in_seconds=3600)),
        )
