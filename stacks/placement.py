"""Where each stack goes, whose flow logs the bucket admits, which flow logs each capture stack holds.

The flat ``vpc_ids``/``subnet_ids``/``eni_ids`` stay in the one ``flowlogs-<inv>-capture`` stack of the
deploying account and region, exactly as before. Each account and region of ``targets`` gets up to
``SHARDS`` stacks; a target's stack is chosen by a hash of its id alone, so adding or removing one
target never moves another (no flow log is replaced by an unrelated edit), and only stacks that hold
a target exist.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import Aws

from flowkit.settings import Settings, SettingsError
from flowkit.settings.accounts import AccountRegion
from flowkit.settings.capture import TargetIds
from stacks.constructs import TRANSIT_RESOURCE_TYPES, ResourceType
from stacks.constructs.delivery import DeliverySources
from stacks.constructs.limits import MAX_STACK_RESOURCES, LimitError

SHARDS = 4  # stacks per account and region of ``targets``
RESOURCE_TYPES: dict[str, ResourceType] = {
    "vpc_ids": "VPC", "subnet_ids": "Subnet", "eni_ids": "NetworkInterface",
    "tgw_ids": "TransitGateway", "tgw_attachment_ids": "TransitGatewayAttachment",
}
FLAT_KEYS = "settings 'vpc_ids', 'subnet_ids', 'eni_ids', 'tgw_ids', 'tgw_attachment_ids'"


@dataclass(frozen=True)
class Target:
    """One flow log: the CloudFormation ResourceType and the id of what it captures."""

    resource_type: ResourceType
    resource_id: str

    @property
    def is_transit(self) -> bool:
        """A transit gateway or attachment (its own record format, key prefix and table)."""
        return self.resource_type in TRANSIT_RESOURCE_TYPES


@dataclass(frozen=True)
class CaptureGroup:
    """One capture stack: its name, where it goes (None: wherever cdk deploys), its flow logs."""

    stack_name: str
    where: AccountRegion | None
    targets: tuple[Target, ...]


def targets_of(ids: TargetIds) -> tuple[Target, ...]:
    """The targets of one set of ids, in the order of RESOURCE_TYPES, each in settings order."""
    return tuple(Target(kind, rid) for key, kind in RESOURCE_TYPES.items() for rid in getattr(ids, key))


def shard_of(resource_id: str) -> int:
    """1..SHARDS from the id alone (SHA-256: the same on every run and machine)."""
    digest = hashlib.sha256(resource_id.encode()).digest()
    return 1 + int.from_bytes(digest[:8], "big") % SHARDS


def deploying_environment(environ: Mapping[str, str] = os.environ) -> AccountRegion | None:
    """The account and region the CDK CLI deploys to (from its credentials and profile), if known."""
    account, region = environ.get("CDK_DEFAULT_ACCOUNT", ""), environ.get("CDK_DEFAULT_REGION", "")
    return AccountRegion(account, region) if account and region else None


def kit_environment(settings: Settings, home: AccountRegion | None) -> AccountRegion | None:
    """Where storage and analytics go: the deploying account and region, named once other stacks need it."""
    return home if settings.targets else None


def delivery_sources(settings: Settings) -> DeliverySources:
    """Whose flow logs the bucket and key admit and the table projects (unset: the stack's own)."""
    return DeliverySources(accounts=tuple(settings.accounts) or (Aws.ACCOUNT_ID,),
                           regions=tuple(settings.regions) or (Aws.REGION,),
                           organization_id=settings.organization_id)


def _needs_home(settings: Settings) -> str | None:
    if settings.targets:
        return "setting 'targets': capture stacks in named accounts and regions"
    if settings.target_ids and (settings.accounts or settings.regions):
        return f"{FLAT_KEYS}: checking the deploying account and region against 'accounts' and 'regions'"
    return None


def capture_groups(settings: Settings, home: AccountRegion | None) -> list[CaptureGroup]:
    """Every capture stack with a flow log; a one-line SettingsError or LimitError if impossible."""
    reason = _needs_home(settings)
    if reason and home is None:
        raise SettingsError(f"{reason} needs the deploying (log-archive) account and region: run cdk with "
                            "its credentials and region, or set CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION")
    groups: list[CaptureGroup] = []
    per_target = 2 if settings.destination == "both" else 1  # one flow log to each destination
    flat = targets_of(settings)
    if flat:
        problem = settings.outside(home, home) if home and reason else None
        if problem:
            raise SettingsError(f"{FLAT_KEYS}: they capture in the deploying account and region {home}, "
                                f"but {problem}")
        _check_size(settings.stack_name("capture"), flat, per_target, "; list them under 'targets' as "
                    f"\"<account>/<region>\", which the kit splits over {SHARDS} stacks")
        groups.append(CaptureGroup(settings.stack_name("capture"), kit_environment(settings, home), flat))
    for where, ids in sorted(settings.target_environments.items()):
        shards: dict[int, list[Target]] = {}
        for target in targets_of(ids):
            shards.setdefault(shard_of(target.resource_id), []).append(target)
        prefix = f"{settings.stack_name('capture')}-{where.account}-{where.region}"
        for shard in sorted(shards):
            group = CaptureGroup(f"{prefix}-{shard}", where, tuple(shards[shard]))
            _check_size(group.stack_name, group.targets, per_target,
                        f" (each account and region's targets are split over {SHARDS} stacks by a hash of "
                        "the id); capture whole VPCs or subnets instead")
            groups.append(group)
    return groups


def _check_size(stack_name: str, targets: tuple[Target, ...], per_target: int, remedy: str) -> None:
    """``per_target`` flow logs per target (two with destination ``both``)."""
    if len(targets) * per_target > MAX_STACK_RESOURCES:
        raise LimitError(f"stack {stack_name}: {len(targets) * per_target} flow logs, more than the "
                         f"{MAX_STACK_RESOURCES} resources CloudFormation allows in one stack{remedy}")
