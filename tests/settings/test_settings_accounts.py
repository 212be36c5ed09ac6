"""Accounts, regions, organisation and targets per account/region: defaults, -c text, one line per mistake."""

from __future__ import annotations

import json

import pytest

from flowkit.settings import SETTING_KEYS, load
from flowkit.settings.accounts import AccountRegion
from tests.settings.helpers import BASE, problems

A, B = "111122223333", "444455556666"
ESTATE = {"accounts": [A, B], "regions": ["eu-west-1", "us-east-1"]}


def test_defaults_mean_the_deploying_account_and_region_only() -> None:
    s = load(BASE)
    assert (s.accounts, s.regions, s.organization_id, s.targets) == ([], [], None, {})
    assert s.target_environments == {}


def test_new_keys_follow_workgroup_in_cdk_json_order() -> None:
    at = SETTING_KEYS.index("workgroup")
    assert SETTING_KEYS[at + 1:at + 5] == ("accounts", "regions", "organization_id", "targets")


def test_command_line_text_is_coerced() -> None:
    """-c accounts=a,b -c regions=r1,r2 are comma-separated; -c targets='{...}' is the cdk.json JSON."""
    targets = {f"{B}/us-east-1": {"eni_ids": ["eni-0123456789abcdef0"], "subnet_ids": ["subnet-01234567"]}}
    s = load({**BASE, "accounts": f"{A}, {B}", "regions": "eu-west-1,us-east-1", "organization_id": "",
              "targets": json.dumps(targets)})
    assert s.accounts == [A, B] and s.regions == ["eu-west-1", "us-east-1"] and s.organization_id is None
    ((where, ids),) = s.target_environments.items()
    assert where == AccountRegion(B, "us-east-1") and str(where) == f"{B}/us-east-1"
    assert (ids.vpc_ids, ids.subnet_ids, ids.eni_ids) == ([], ["subnet-01234567"], ["eni-0123456789abcdef0"])
    assert load({**BASE, "targets": "", "organization_id": "o-abcdefghij"}).targets == {}


def test_targets_alone_are_enough() -> None:
    s = load({**BASE, **ESTATE, "vpc_ids": [], "targets": {f"{A}/us-east-1": {"vpc_ids": ["vpc-01234567"]}}})
    assert s.target_ids == [] and s.targets[f"{A}/us-east-1"].target_ids == ["vpc-01234567"]


FLAT = "settings 'vpc_ids', 'subnet_ids', 'eni_ids', 'tgw_ids', 'tgw_attachment_ids', 'targets'"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"accounts": "1234,111122223333"},
         "setting 'accounts' = \"1234,111122223333\": '1234' is not a 12-digit"),
        ({"accounts": [A, A]}, f"setting 'accounts' = [\"{A}\", \"{A}\"]: duplicate id(s) {A}"),
        ({"regions": ["eu-west-1", "Mars"]},
         "setting 'regions' = [\"eu-west-1\", \"Mars\"]: 'Mars' is not an AWS region name"),
        ({"organization_id": "org-1"},
         "setting 'organization_id' = \"org-1\": must be an AWS Organizations id"),
        ({"targets": "{not json"}, "setting 'targets' = \"{not json\": is not valid JSON"),
        ({"targets": "[1, 2]"}, "setting 'targets' = \"[1, 2]\": must be a JSON object"),
        ({"targets": {"eu-west-1": {}}},
         "setting 'targets' = {\"eu-west-1\": {}}: 'eu-west-1' is not '<account>/<region>'"),
        ({**ESTATE, "targets": {f"{A}/eu-west-1": {"vpc_ids": ["vpc-1"]}}},
         f"setting 'targets' = {{\"{A}/eu-west-1\": {{\"vpc_ids\": [\"vpc-1\"]}}}}: "
         f"at '{A}/eu-west-1'.vpc_ids: 'vpc-1' is not a VPC id"),
        ({**ESTATE, "targets": {f"{A}/eu-west-1": {"vpcs": ["vpc-01234567"]}}},
         f"at '{A}/eu-west-1'.vpcs: unknown key"),
        ({**ESTATE, "targets": {f"{A}/eu-west-1": {"eni_ids": ["eni-01234567", "eni-01234567"]}}},
         f"at '{A}/eu-west-1'.eni_ids: duplicate id(s) eni-01234567"),
        ({"regions": ["eu-west-1"], "targets": {f"{A}/eu-west-1": {"vpc_ids": ["vpc-01234567"]}}},
         f"setting 'targets': key '{A}/eu-west-1': account {A} is not in 'accounts' (not set: the deploying "
         "one only); add it there"),
        ({**ESTATE, "targets": {"999999999999/eu-west-1": {"vpc_ids": ["vpc-01234567"]}}},
         "setting 'targets': key '999999999999/eu-west-1': account 999999999999 is not in 'accounts' "
         f"({A}, {B})"),
        ({**ESTATE, "targets": {f"{B}/ap-south-1": {"vpc_ids": ["vpc-01234567"]}}},
         f"setting 'targets': key '{B}/ap-south-1': region ap-south-1 is not in 'regions' "
         "(eu-west-1, us-east-1)"),
        ({**ESTATE, "targets": {f"{B}/eu-west-1": {"vpc_ids": ["vpc-0123456789abcdef0"]}}},
         f"{FLAT}: listed more than once: vpc-0123456789abcdef0"),
        ({**ESTATE, "targets": {f"{A}/eu-west-1": {"eni_ids": ["eni-01234567"]},
                                f"{B}/us-east-1": {"eni_ids": ["eni-01234567"]}}},
         f"{FLAT}: listed more than once: eni-01234567"),
        ({"vpc_ids": [], "targets": {}}, f"{FLAT}: no flow log target"),
    ],
)
def test_bad_values_name_key_and_value(changes: dict[str, object], expected: str) -> None:
    found = problems(**changes)
    assert len(found) == 1, found
    assert expected in found[0], found[0]
    assert "\n" not in found[0]


def test_outside_uses_the_deploying_account_for_unset_lists() -> None:
    s = load({**BASE, "regions": ["eu-west-1"]})
    assert s.outside(AccountRegion(A, "eu-west-1"), AccountRegion(A, "us-east-1")) is None
    assert s.outside(AccountRegion(B, "eu-west-1"), AccountRegion(A, "us-east-1")) == (
        f"account {B} is not in 'accounts' (not set: the deploying one only); add it there")
    assert s.outside(AccountRegion(A, "us-east-1"), AccountRegion(A, "us-east-1")) == (
        "region us-east-1 is not in 'regions' (eu-west-1); add it there")
