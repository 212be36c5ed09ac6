"""Build the kit's three stacks into a CDK app from validated settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import App, Tags, Validations
from cdk_nag import AwsSolutionsChecks

from flowkit.queries import SavedQuery
from flowkit.settings import Settings
from stacks.analytics import AnalyticsStack
from stacks.capture import CaptureStack
from stacks.storage import StorageStack

TAG_INVESTIGATION = "flowlogs:investigation"
TAG_KIT = "flowlogs:kit"
KIT = "vpc-flow-logs-investigation-kit"


@dataclass(frozen=True)
class KitStacks:
    storage: StorageStack
    capture: CaptureStack
    analytics: AnalyticsStack


def build(app: App, settings: Settings, queries: Sequence[SavedQuery], *, nag: bool = True) -> KitStacks:
    """storage -> capture and storage -> analytics, all tagged with the investigation."""
    inv = settings.investigation
    # Stack tags are applied by CloudFormation to every resource it can tag (also those made by
    # CDK-internal providers); Tags.of(app) tags the taggable constructs in the templates themselves.
    tags = {TAG_INVESTIGATION: inv, TAG_KIT: KIT}
    storage = StorageStack(
        app, settings.stack_name("storage"), settings=settings, tags=tags,
        description=f"VPC flow logs investigation '{inv}': log bucket",
    )
    capture = CaptureStack(
        app, settings.stack_name("capture"), settings=settings, storage=storage, tags=tags,
        description=f"VPC flow logs investigation '{inv}': flow logs (destroy to stop capture)",
    )
    analytics = AnalyticsStack(
        app, settings.stack_name("analytics"), settings=settings, storage=storage, queries=queries, tags=tags,
        description=f"VPC flow logs investigation '{inv}': Glue table, Athena workgroup, saved queries",
    )
    analytics.add_stack_dependency(storage, "the table and workgroup point into the bucket")
    for key, value in tags.items():
        Tags.of(app).add(key, value)
    if nag:
        Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return KitStacks(storage, capture, analytics)
