"""Which capture stacks exist, where they go and which flow logs each holds (no synth: the plan only)."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import pytest
from aws_cdk import Aws

from flowkit.settings import Settings, SettingsError, load
from flowkit.settings.accounts import AccountRegion
from stacks.constructs.limits import LimitError
from stacks.placement import (
    CaptureGroup,
    capture_groups,
    delivery_sources,
    deploying_environment,
    kit_environment,
)

A, B = "111122223333", "444455556666"
HOME = AccountRegion(A, "eu-west-1")
ESTATE = {"accounts": [A, B], "regions": ["eu-west-1", "us-east-1"]}


def eni(n: int) -> str:
    return "eni-" + hashlib.md5(str(n).encode()).hexdigest()[:17]


def settings(**values: Any) -> Settings:
    return load({"investigation": "big", **values})


def placed(groups: list[CaptureGroup]) -> dict[str, str]:
    """resource id -> stack name, requiring every id exactly once."""
    found = [(t.resource_id, g.stack_name) for g in groups for t in g.targets]
    assert len(found) == len(dict(found)), "a target is in two stacks"
    return dict(found)


def test_flat_targets_stay_in_the_one_capture_stack_of_the_deploying_account() -> None:
    s = settings(vpc_ids=["vpc-0a1b2c3d"], subnet_ids=["subnet-01234567"], eni_ids=["eni-01234567"])
    (group,) = capture_groups(s, None)
    assert (group.stack_name, group.where) == ("flowlogs-big-capture", None)
    assert [(t.resource_type, t.resource_id) for t in group.targets] == [
        ("VPC", "vpc-0a1b2c3d"), ("Subnet", "subnet-01234567"), ("NetworkInterface", "eni-01234567")]
    assert capture_groups(s, HOME) == [group]  # knowing the deploying account changes nothing here
    assert kit_environment(s, HOME) is None


def test_targets_go_to_stacks_of_their_account_and_region() -> None:
    ids = [eni(n) for n in range(200)]
    s = settings(**ESTATE, vpc_ids=["vpc-0a1b2c3d"], targets={
        f"{B}/us-east-1": {"eni_ids": ids}, f"{A}/us-east-1": {"subnet_ids": ["subnet-01234567"]}})
    groups = capture_groups(s, HOME)
    assert groups[0] == CaptureGroup("flowlogs-big-capture", HOME, groups[0].targets)
    where = {g.stack_name: g.where for g in groups[1:]}
    names = [n for n, w in where.items() if w == AccountRegion(B, "us-east-1")]
    # 200 ids over 4 hash shares: every share is used, each stack named after its account, region and share
    assert sorted(names) == [f"flowlogs-big-capture-{B}-us-east-1-{k}" for k in (1, 2, 3, 4)]
    assert [n for n, w in where.items() if w == AccountRegion(A, "us-east-1")] == [
        n for n in where if n.startswith(f"flowlogs-big-capture-{A}-us-east-1-")]
    assert sorted(placed(groups)) == sorted([*ids, "vpc-0a1b2c3d", "subnet-01234567"])
    assert kit_environment(s, HOME) == HOME


def test_adding_or_removing_a_target_moves_no_other() -> None:
    ids = [eni(n) for n in range(1000)]
    rng = random.Random(12)

    def plan(chosen: list[str]) -> dict[str, str]:
        targets = {f"{B}/eu-west-1": {"eni_ids": chosen}}
        return placed(capture_groups(settings(**ESTATE, targets=targets), HOME))

    before = plan(ids)
    for _ in range(5):
        added, removed = eni(10_000 + rng.randrange(10_000)), rng.choice(ids)
        assert {k: v for k, v in plan([*ids, added]).items() if k != added} == before
        assert plan([i for i in ids if i != removed]) == {k: v for k, v in before.items() if k != removed}
    # the stack of an id does not depend on the other ids at all
    assert plan(ids[:1]) == {ids[0]: before[ids[0]]}


def test_capture_in_named_accounts_needs_the_deploying_account() -> None:
    with pytest.raises(SettingsError, match=r"^setting 'targets': .* needs the deploying \(log-archive\) "
                                            r"account and region: .*CDK_DEFAULT_ACCOUNT"):
        capture_groups(settings(**ESTATE, targets={f"{B}/eu-west-1": {"vpc_ids": ["vpc-01234567"]}}), None)
    with pytest.raises(SettingsError, match=r"^settings 'vpc_ids', 'subnet_ids', 'eni_ids', 'tgw_ids', "
                                            r"'tgw_attachment_ids': checking"):
        capture_groups(settings(vpc_ids=["vpc-01234567"], accounts=[A]), None)


def test_flat_targets_must_be_in_the_configured_accounts_and_regions() -> None:
    s = settings(vpc_ids=["vpc-01234567"], accounts=[B])
    with pytest.raises(SettingsError) as err:
        capture_groups(s, HOME)
    assert err.value.problems == [
        f"settings 'vpc_ids', 'subnet_ids', 'eni_ids', 'tgw_ids', 'tgw_attachment_ids': they capture in the "
        "deploying account and region "
        f"{A}/eu-west-1, but account {A} is not in 'accounts' ({B}); add it there"]
    assert capture_groups(settings(vpc_ids=["vpc-01234567"], accounts=[A, B]), HOME)[0].where is None


def test_more_flow_logs_than_one_stack_holds_is_one_line_naming_the_limit() -> None:
    with pytest.raises(LimitError) as err:
        capture_groups(settings(eni_ids=[eni(n) for n in range(501)]), None)
    (line,) = err.value.problems
    assert line.startswith("stack flowlogs-big-capture: 501 flow logs, more than the 500 resources "
                           "CloudFormation allows in one stack; list them under 'targets'")
    # 2,001 ids over 4 stacks: one stack must hold more than 500 (pigeonhole), whatever the hash
    crowded = settings(**ESTATE, targets={f"{B}/eu-west-1": {"eni_ids": [eni(n) for n in range(2001)]}})
    with pytest.raises(LimitError, match=rf"^stack flowlogs-big-capture-{B}-eu-west-1-[1-4]: 5\d\d flow "
                                         "logs, more than the 500 resources"):
        capture_groups(crowded, HOME)


def test_deploying_environment_is_the_cdk_clis() -> None:
    assert deploying_environment({"CDK_DEFAULT_ACCOUNT": A, "CDK_DEFAULT_REGION": "eu-west-1"}) == HOME
    assert deploying_environment({"CDK_DEFAULT_REGION": "eu-west-1"}) is None
    assert deploying_environment({}) is None


def test_delivery_sources_follow_the_settings() -> None:
    default = delivery_sources(settings(vpc_ids=["vpc-01234567"]))
    assert (default.accounts, default.regions) == ((Aws.ACCOUNT_ID,), (Aws.REGION,))
    assert default.organization_id is None
    org = "o-abcdefghij"
    listed = delivery_sources(settings(vpc_ids=["vpc-01234567"], accounts=[A, B], organization_id=org))
    assert (listed.accounts, listed.regions, listed.organization_id) == ((A, B), (Aws.REGION,), org)
