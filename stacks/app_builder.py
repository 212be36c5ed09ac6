"""Build the kit's stacks into a CDK app from validated settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import App, Environment, Tags, Validations
from cdk_nag import AwsSolutionsChecks

from flowkit.aws.stack_outputs import stack_name
from flowkit.queries import SavedQuery
from flowkit.queries.insights import insights_queries
from flowkit.settings import Settings
from flowkit.settings.accounts import AccountRegion
from stacks.analytics import AnalyticsStack
from stacks.capture import CaptureStack
from stacks.cloudwatch import CloudWatchStack
from stacks.placement import CaptureGroup, capture_groups, deploying_environment, kit_environment
from stacks.storage import StorageStack

TAG_INVESTIGATION = "flowlogs:investigation"
TAG_KIT = "flowlogs:kit"
KIT = "vpc-flow-logs-investigation-kit"


@dataclass(frozen=True)
class KitStacks:
    storage: StorageStack | None  # None with destination=cloudwatch (no bucket, table or workgroup)
    captures: tuple[CaptureStack, ...]
    analytics: AnalyticsStack | None
    cloudwatch: tuple[CloudWatchStack, ...] = ()  # one per account and region, with CloudWatch Logs

    @property
    def capture(self) -> CaptureStack:
        """The first capture stack (``flowlogs-<inv>-capture`` when there are flat targets)."""
        return self.captures[0]


def _env(where: AccountRegion | None) -> Environment | None:
    return Environment(account=where.account, region=where.region) if where else None


def cloudwatch_stack_name(investigation: str, where: AccountRegion | None, home: AccountRegion | None) -> str:
    """``flowlogs-<inv>-cloudwatch`` where the kit deploys from, else ``...-<account>-<region>``."""
    name = stack_name(investigation, "cloudwatch")
    return name if where is None or where == home else f"{name}-{where.account}-{where.region}"


Environments = dict[AccountRegion | None, CloudWatchStack]


def _cloudwatch_stacks(app: App, settings: Settings, groups: Sequence[CaptureGroup],
                       home: AccountRegion | None, tags: dict[str, str]) -> Environments:
    """One CloudWatch stack per account and region with flow logs (a log group must be in theirs)."""
    if not settings.to_cloudwatch:
        return {}
    inv = settings.investigation
    queries = insights_queries(settings.fields, inv)
    stacks: Environments = {}
    # transit gateway flow logs go to the bucket only: no log group where there are only those
    for where in dict.fromkeys(group.where for group in groups
                               if not all(target.is_transit for target in group.targets)):
        stacks[where] = CloudWatchStack(
            app, cloudwatch_stack_name(inv, where, home), settings=settings, queries=queries, env=_env(where),
            tags=tags, description=f"VPC flow logs investigation '{inv}': CloudWatch Logs log group and "
                                   "saved Logs Insights queries" + (f" in {where}" if where else ""))
    return stacks


def build(
    app: App, settings: Settings, queries: Sequence[SavedQuery], *, nag: bool = True,
    home: AccountRegion | None = None,
) -> KitStacks:
    """storage -> every capture stack and storage -> analytics, all tagged with the investigation; with
    CloudWatch Logs, each account and region's CloudWatch stack -> its capture stacks.

    ``home`` is the deploying (log-archive) account and region, by default the CDK CLI's; it is needed
    only when capture stacks go to named accounts and regions. Raises a KitError (one line) when the
    settings cannot be built.
    """
    inv = settings.investigation
    home = home or deploying_environment()
    groups = capture_groups(settings, home)
    kit_env = _env(kit_environment(settings, home))
    # Stack tags are applied by CloudFormation to every resource it can tag (also those made by
    # CDK-internal providers); Tags.of(app) tags the taggable constructs in the templates themselves.
    tags = {TAG_INVESTIGATION: inv, TAG_KIT: KIT}
    elsewhere = sorted({group.where.account for group in groups
                        if group.where and home and group.where.account != home.account})
    storage = StorageStack(
        app, settings.stack_name("storage"), settings=settings, home=home if kit_env else None,
        reader_accounts=elsewhere, env=kit_env, tags=tags,
        description=f"VPC flow logs investigation '{inv}': log bucket",
    ) if settings.to_s3 else None
    cloudwatch = _cloudwatch_stacks(app, settings, groups, home, tags)
    captures = tuple(
        CaptureStack(
            app, group.stack_name, settings=settings, storage=storage, targets=group.targets,
            bucket_arn=storage.bucket_arn_seen_from(group.where) if storage else None,
            cloudwatch=cloudwatch.get(group.where), env=_env(group.where), tags=tags,
            description=f"VPC flow logs investigation '{inv}': flow logs"
                        + (f" in {group.where}" if group.where else "") + " (destroy to stop capture)",
        )
        for group in groups
    )
    analytics = None
    if storage is not None:
        analytics = AnalyticsStack(
            app, settings.stack_name("analytics"), settings=settings, storage=storage, queries=queries,
            env=kit_env, tags=tags,
            description=f"VPC flow logs investigation '{inv}': Glue table, Athena workgroup, saved queries",
        )
        analytics.add_stack_dependency(storage, "the table and workgroup point into the bucket")
    for key, value in tags.items():
        Tags.of(app).add(key, value)
    if nag:
        Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return KitStacks(storage, captures, analytics, tuple(cloudwatch.values()))
