"""Several accounts and regions into one bucket: stacks per account/region, policies, projection, references.

Expected values are spelled from the configuration in tests/synths.py (CONFIGS["multi_account"], deployed
from DEPLOYING) and from the VPC user guide's delivery policy, never read back from the kit's code.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.synths import CONFIGS, DEPLOYING

pytestmark = pytest.mark.slow

CONFIG = CONFIGS["multi_account"]
HOME_ACCOUNT, HOME_REGION = DEPLOYING
ACCOUNTS = ["111122223333", "444455556666", "777788889999"]
REGIONS = ["eu-west-1", "us-east-1"]
PARTITION = {"Ref": "AWS::Partition"}
CAPTURE = "flowlogs-estate-capture"


@pytest.fixture(scope="module")
def synth(synth_config: Any) -> Any:
    return synth_config("multi_account")


def _env(synth: Any, stack: str) -> str:
    return str(synth.manifest["artifacts"][stack]["environment"])


def _flow_logs(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in template["Resources"].items() if v["Type"] == "AWS::EC2::FlowLog"}


def _captures(synth: Any) -> dict[str, dict[str, Any]]:
    return {name: t for name, t in synth.stacks.items() if name.startswith(CAPTURE)}


def test_a_capture_stack_per_account_and_region_with_targets_in_that_env(synth: Any) -> None:
    expected = {f"{HOME_ACCOUNT}/{HOME_REGION}": set(CONFIG["vpc_ids"])}
    for key, ids in CONFIG["targets"].items():
        expected[key] = {i for kind in ids.values() for i in kind}
    found: dict[str, set[str]] = {}
    for name, template in _captures(synth).items():
        account, region = _env(synth, name).removeprefix("aws://").split("/")
        if name != CAPTURE:  # the flat keys keep their stack; targets' stacks carry account, region, share
            assert re.fullmatch(rf"{CAPTURE}-{account}-{region}-[1-4]", name), name
        ids = [p["ResourceId"] for p in _flow_logs(template).values()]
        found.setdefault(f"{account}/{region}", set()).update(ids)
    assert found == expected
    total = sum(len(_flow_logs(t)) for t in _captures(synth).values())
    assert total == sum(len(ids) for ids in expected.values())  # every target exactly once


def test_storage_and_analytics_live_in_the_deploying_account(synth: Any) -> None:
    for part in ("storage", "analytics"):
        assert _env(synth, synth.stack_name(part)) == f"aws://{HOME_ACCOUNT}/{HOME_REGION}"
    storage = synth.stack_name("storage")
    for name in _captures(synth):
        assert storage in synth.manifest["artifacts"][name]["dependencies"], name


def _source_arns(account: str) -> list[dict[str, Any]]:
    return [{"Fn::Join": ["", ["arn:", PARTITION, f":logs:{region}:{account}:*"]]} for region in REGIONS]


DELIVERY = {"Service": "delivery.logs.amazonaws.com"}
CONDITION = {"StringEquals": {"aws:SourceAccount": ACCOUNTS}, "ArnLike": {"aws:SourceArn": _source_arns("*")}}


def test_bucket_policy_admits_exactly_the_configured_accounts_and_regions(synth: Any) -> None:
    (bucket_id,) = synth.resources("storage", "AWS::S3::Bucket")
    policy = synth.one("storage", "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]
    delivery = {s["Sid"]: s for s in policy["Statement"] if s.get("Principal") == DELIVERY}
    assert set(delivery) == {"AWSLogDeliveryWrite", "AWSLogDeliveryCheck"}
    write, check = delivery["AWSLogDeliveryWrite"], delivery["AWSLogDeliveryCheck"]
    assert write["Condition"] == {
        "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": ACCOUNTS},
        "ArnLike": {"aws:SourceArn": _source_arns("*")},
    }
    # hive layout with a key prefix: <prefix>/AWSLogs/aws-account-id=<account>/ for any listed account
    arn = {"Fn::GetAtt": [bucket_id, "Arn"]}
    assert write["Resource"] == {"Fn::Join": ["", [arn, "/org/flows/AWSLogs/aws-account-id=*/*"]]}
    assert check["Condition"] == CONDITION and check["Resource"] == arn


def test_key_policy_admits_the_same_and_nothing_more(synth: Any) -> None:
    key = synth.one("storage", "AWS::KMS::Key")["Properties"]["KeyPolicy"]
    statements = key["Statement"]
    delivery = [s for s in statements if s["Principal"] == DELIVERY]
    assert len(delivery) == 1 and delivery[0]["Condition"] == CONDITION
    others = [s["Principal"] for s in statements if s["Principal"] != DELIVERY]
    assert others == [{"AWS": f"arn:aws:iam::{HOME_ACCOUNT}:root"}]  # the key's own account only


def test_projection_lists_the_configured_accounts_and_regions(synth: Any) -> None:
    table = synth.one("analytics", "AWS::Glue::Table")["Properties"]["TableInput"]["Parameters"]
    assert table["projection.aws_account.values"] == ",".join(ACCOUNTS)
    assert table["projection.aws_region.values"] == ",".join(REGIONS)


def _destination(synth: Any, stack: str) -> dict[str, Any]:
    destinations = [p["LogDestination"] for p in _flow_logs(synth.stacks[stack]).values()]
    assert all(d == destinations[0] for d in destinations)
    sep, (reference, suffix) = destinations[0]["Fn::Join"]
    assert (sep, suffix) == ("", "/org/flows")  # the key prefix follows the bucket ARN
    return dict(reference["Fn::GetStackOutput"])


READER = "flowlogs-estate-output-reader"
READER_ARN = {"Fn::Join": ["", ["arn:", PARTITION, f":iam::{HOME_ACCOUNT}:role/{READER}"]]}


def test_other_environments_read_the_bucket_arn_output_with_get_stack_output(synth: Any) -> None:
    storage = synth.stack_name("storage")
    (bucket_id,) = synth.resources("storage", "AWS::S3::Bucket")
    assert synth.templates["storage"]["Outputs"]["BucketArn"]["Value"] == {"Fn::GetAtt": [bucket_id, "Arn"]}
    for name in _captures(synth):
        spec = _destination(synth, name)
        account = _env(synth, name).removeprefix("aws://").split("/")[0]
        if name == CAPTURE:  # same account and region: CDK's plain cross-stack reference, no role
            assert spec["StackName"] == storage and "RoleArn" not in spec
            continue
        expected = {"StackName": storage, "OutputName": "BucketArn", "Region": HOME_REGION}
        if account != HOME_ACCOUNT:  # another account: through the reader role of the log-archive account
            expected["RoleArn"] = READER_ARN
        assert spec == expected, name


def test_reader_role_trusts_only_the_capturing_accounts_execution_roles(synth: Any) -> None:
    roles = {k: v["Properties"] for k, v in synth.resources("storage", "AWS::IAM::Role").items()
             if v["Properties"].get("RoleName") == READER}
    (props,) = roles.values()
    (trust,) = props["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": "*"} and trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"] == {
        "StringEquals": {"aws:PrincipalAccount": ["444455556666", "777788889999"]},
        "ArnLike": {"aws:PrincipalArn": {"Fn::Join": ["", ["arn:", PARTITION,
                                                           ":iam::*:role/cdk-hnb659fds-cfn-exec-role-*"]]}},
    }
    (policy,) = props["Policies"]
    assert policy["PolicyDocument"]["Statement"] == [
        {"Action": "cloudformation:DescribeStacks", "Effect": "Allow", "Resource": {"Ref": "AWS::StackId"}}]


def test_every_extra_capture_stack_is_cfn_lint_clean(synth: Any) -> None:
    """tests/stacks/test_stack_lint.py lints storage, capture and analytics; these are the others."""
    from cfnlint.api import lint

    extra = [name for name in _captures(synth) if name != CAPTURE]
    assert extra
    for name in extra:
        path = synth.outdir / synth.manifest["artifacts"][name]["properties"]["templateFile"]
        assert [str(m) for m in lint(path.read_text(), regions=["us-east-1", "eu-west-1"])] == [], name


def test_with_organization_id_only_the_organisation_condition(feature_flags: dict[str, Any]) -> None:
    """organization_id replaces the account list in the bucket, key and reader-role policies."""
    from aws_cdk import App
    from aws_cdk.assertions import Template

    from flowkit.settings import load
    from flowkit.settings.accounts import AccountRegion
    from stacks import build

    org = "o-a1b2c3d4e5"
    settings = load({**{k: v for k, v in CONFIG.items() if k != "investigation"}, "investigation": "org",
                     "organization_id": org})
    kit = build(App(context=feature_flags), settings, [], nag=False, home=AccountRegion(*DEPLOYING))
    storage = Template.from_stack(kit.storage).to_json()
    found = {r["Type"]: r["Properties"] for r in storage["Resources"].values()
             if r["Type"] in ("AWS::S3::BucketPolicy", "AWS::KMS::Key")}
    statements = [*found["AWS::S3::BucketPolicy"]["PolicyDocument"]["Statement"],
                  *found["AWS::KMS::Key"]["KeyPolicy"]["Statement"]]
    delivery = [s for s in statements if s["Principal"] == DELIVERY]
    assert len(delivery) == 3  # write and check on the bucket, use of the key
    for statement in delivery:
        who = {k: v for k, v in statement["Condition"]["StringEquals"].items() if k != "s3:x-amz-acl"}
        assert who == {"aws:SourceOrgID": org}
        assert statement["Condition"]["ArnLike"] == {"aws:SourceArn": _source_arns("*")}
    (role,) = [r["Properties"] for r in storage["Resources"].values() if r["Type"] == "AWS::IAM::Role"
               and r["Properties"].get("RoleName") == "flowlogs-org-output-reader"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"]["StringEquals"] == {"aws:PrincipalOrgID": org}
