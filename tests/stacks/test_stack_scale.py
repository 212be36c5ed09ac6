"""Scale: 1,000 targets, and 50 accounts x 10 regions, within CloudFormation's, S3's and IAM's limits.

Not timed (``make bench`` measures synth time); these check what a large estate must get right: no
stack over 500 resources, every target exactly once, one added target moving no other flow log, and
policies under their size limits, with cfn-lint and cdk-nag clean.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.synths import DEPLOYING, Synth, example_context, synthesize

pytestmark = pytest.mark.slow

HOME_ACCOUNT, HOME_REGION = DEPLOYING
OTHER = "444455556666"
KINDS = {"vpc_ids": "vpc", "subnet_ids": "subnet", "eni_ids": "eni"}
# The first ten commercial regions of the AWS region list.
TEN_REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1",
               "ap-southeast-1", "ap-southeast-2", "ap-northeast-1"]


def ids(kind: str, count: int, seed: str) -> list[str]:
    """``count`` well-formed ids of one kind (17 hex digits), different for every seed."""
    return [f"{KINDS[kind]}-" + hashlib.sha256(f"{seed}{n}".encode()).hexdigest()[:17] for n in range(count)]


def estate(count: int, seed: str) -> dict[str, list[str]]:
    """``count`` targets: a tenth VPCs, three tenths subnets, the rest network interfaces."""
    vpcs, subnets = count // 10, count * 3 // 10
    return {"vpc_ids": ids("vpc_ids", vpcs, seed), "subnet_ids": ids("subnet_ids", subnets, seed),
            "eni_ids": ids("eni_ids", count - vpcs - subnets, seed)}


def thousand_targets() -> dict[str, Any]:
    """100 flat targets in the deploying account, 300 in each of three more account/region pairs."""
    return {
        **example_context(), "investigation": "estate", **estate(100, "home"),
        "accounts": [HOME_ACCOUNT, OTHER], "regions": [HOME_REGION, "us-east-1"],
        "targets": {f"{HOME_ACCOUNT}/us-east-1": estate(300, "a"), f"{OTHER}/{HOME_REGION}": estate(300, "b"),
                    f"{OTHER}/us-east-1": estate(300, "c")},
    }


def every_id(context: dict[str, Any]) -> list[str]:
    groups = [context, *context["targets"].values()]
    return [i for group in groups for kind in KINDS for i in group.get(kind, [])]


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Synth, Synth]:
    """The 1,000-target synth and the same with one more network interface in another account."""
    context = thousand_targets()
    one_more = json.loads(json.dumps(context))
    one_more["targets"][f"{OTHER}/{HOME_REGION}"]["eni_ids"].append("eni-0aaaaaaaaaaaaaaaa")
    return (context, synthesize(context, tmp_path_factory.mktemp("thousand"), queries=False),
            synthesize(one_more, tmp_path_factory.mktemp("thousand-and-one"), queries=False))


def flow_logs(synth: Synth) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """resource id -> (stack, logical id, properties) of every flow log; each id must appear once."""
    found: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for stack, template in synth.stacks.items():
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] == "AWS::EC2::FlowLog":
                rid = resource["Properties"]["ResourceId"]
                assert rid not in found, f"{rid} in {found[rid][0]} and {stack}"
                found[rid] = (stack, logical_id, resource["Properties"])
    return found


def test_thousand_targets_each_once_and_no_stack_over_500_resources(thousand: Any) -> None:
    context, synth, _ = thousand
    expected = every_id(context)
    assert len(expected) == len(set(expected)) == 1000
    assert sorted(flow_logs(synth)) == sorted(expected)
    sizes = {stack: len(template["Resources"]) for stack, template in synth.stacks.items()}
    assert max(sizes.values()) <= 500, sizes
    assert len(sizes) > 4  # the 900 `targets` were split, not put in one stack per account and region


def test_adding_one_target_moves_no_other_flow_log(thousand: Any) -> None:
    _, before, after = thousand
    old, new = flow_logs(before), flow_logs(after)
    assert set(new) - set(old) == {"eni-0aaaaaaaaaaaaaaaa"}
    assert {rid: new[rid] for rid in old} == old  # same stack, logical id and properties: nothing replaced


def _nag_violations(synth: Synth) -> list[Any]:
    report = json.loads((synth.outdir / "validation-report.json").read_text())
    return [v for plugin in report["pluginReports"] for v in plugin["violations"]]


def _lint(synth: Synth, stack: str) -> list[str]:
    from cfnlint.api import lint

    template = synth.outdir / synth.manifest["artifacts"][stack]["properties"]["templateFile"]
    return [str(m) for m in lint(template.read_text(), regions=["us-east-1", "eu-west-1"])]


def test_thousand_targets_are_cfn_lint_and_cdk_nag_clean(thousand: Any) -> None:
    """Every capture stack is made by the same code; lint one of each kind of bucket reference."""
    _, synth, _ = thousand
    assert _nag_violations(synth) == []
    capture = synth.stack_name("capture")
    same_account = max((s for s in synth.stacks if s.startswith(f"{capture}-{HOME_ACCOUNT}-")),
                       key=lambda s: len(synth.stacks[s]["Resources"]))
    other_account = next(s for s in synth.stacks if s.startswith(f"{capture}-{OTHER}-"))
    for stack in (synth.stack_name("storage"), synth.stack_name("analytics"), capture, same_account,
                  other_account):
        assert _lint(synth, stack) == [], stack


# -- 50 accounts x 10 regions -----------------------------------------------------------------------------
FIFTY = [HOME_ACCOUNT] + [f"{210000000000 + n:012d}" for n in range(49)]
# The longest values CloudFormation can put in for a pseudo parameter (a stack name has up to 128
# characters); other references get a 63-character bucket name or a 64-character role name (deployed()).
LONGEST = {"AWS::Partition": "aws-us-gov", "AWS::AccountId": HOME_ACCOUNT, "AWS::Region": "ap-southeast-2",
           "AWS::StackId": "arn:aws-us-gov:cloudformation:ap-southeast-2:111122223333:stack/"
                           + "s" * 128 + "/" + "0" * 36}


def deployed(value: Any, template: dict[str, Any]) -> Any:
    """A template value as deployed: references replaced by the longest values they can take."""
    if isinstance(value, list):
        return [deployed(v, template) for v in value]
    if not isinstance(value, dict):
        return value
    if "Ref" in value:
        return LONGEST.get(value["Ref"], "b" * 63)
    if "Fn::GetAtt" in value:
        kind = template["Resources"][value["Fn::GetAtt"][0]]["Type"]
        service = {"AWS::S3::Bucket": "s3:::", "AWS::IAM::Role": f"iam::{HOME_ACCOUNT}:role/"}[kind]
        return f"arn:aws-us-gov:{service}" + "n" * 64
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(deployed(p, template) for p in parts)
    return {k: deployed(v, template) for k, v in value.items()}


@pytest.fixture(scope="module")
def fifty_by_ten(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """50 accounts x 10 regions (SSE-KMS), one network interface captured in each of the other 49 accounts."""
    targets = {f"{account}/{TEN_REGIONS[n % 10]}": {"eni_ids": ids("eni_ids", 1, account)}
               for n, account in enumerate(FIFTY[1:])}
    context = {**example_context(), "investigation": "estate", "accounts": FIFTY, "regions": TEN_REGIONS,
               "encryption": "kms", "targets": targets}
    return synthesize(context, tmp_path_factory.mktemp("fifty"), queries=False)


def _size(document: Any, template: dict[str, Any]) -> int:
    return len(json.dumps(deployed(document, template), separators=(",", ":")))


def test_fifty_accounts_by_ten_regions_stay_under_the_policy_limits(fifty_by_ten: Synth) -> None:
    storage = fifty_by_ten.templates["storage"]
    bucket_policy = fifty_by_ten.one("storage", "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]
    assert _size(bucket_policy, storage) < 20 * 1024  # S3: 20 KB
    key_policy = fifty_by_ten.one("storage", "AWS::KMS::Key")["Properties"]["KeyPolicy"]
    assert _size(key_policy, storage) < 32 * 1024  # KMS: 32 KB
    (reader,) = [r for r in fifty_by_ten.resources("storage", "AWS::IAM::Role").values()
                 if r["Properties"].get("RoleName") == "flowlogs-estate-output-reader"]
    assert _size(reader["Properties"]["AssumeRolePolicyDocument"], storage) < 2048  # IAM: trust policy
    # every account and region is admitted and projected, none twice
    delivery = json.dumps(bucket_policy)
    assert all(delivery.count(f'"{account}"') == 2 for account in FIFTY)  # write and check statements
    assert all(delivery.count(f":logs:{region}:*:*") == 2 for region in TEN_REGIONS)
    table = fifty_by_ten.one("analytics", "AWS::Glue::Table")["Properties"]["TableInput"]["Parameters"]
    assert table["projection.aws_account.values"].split(",") == FIFTY
    assert table["projection.aws_region.values"].split(",") == TEN_REGIONS


def test_fifty_accounts_by_ten_regions_are_cfn_lint_and_cdk_nag_clean(fifty_by_ten: Synth) -> None:
    assert _nag_violations(fifty_by_ten) == []
    capture = next(s for s in fifty_by_ten.stacks if s.startswith(f"{fifty_by_ten.stack_name('capture')}-2"))
    for stack in (fifty_by_ten.stack_name("storage"), capture):
        assert _lint(fifty_by_ten, stack) == [], stack


def test_context_files_are_what_cdk_json_would_hold(tmp_path: Path) -> None:
    """The scale configurations are plain cdk.json contexts (JSON through and through)."""
    from flowkit.settings import load_file

    path = tmp_path / "cdk.json"
    path.write_text(json.dumps({"context": thousand_targets()}))
    settings = load_file(path)
    assert sum(len(t.target_ids) for t in settings.targets.values()) + len(settings.target_ids) == 1000
