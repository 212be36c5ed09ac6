"""The settings model: defaults, command-line coercion and one line per bad value."""

import json
from pathlib import Path

import pytest

from flowkit.settings import SettingsError, load, load_file
from tests.settings.helpers import BASE, problems


def test_defaults_follow_the_issue() -> None:
    s = load(BASE)
    assert (s.traffic_type, s.aggregation_seconds, s.file_format) == ("ALL", 60, "parquet")
    assert (s.hive_partitions, s.per_hour_partitions, s.key_prefix) == (False, True, "")
    assert (s.log_retention_days, s.removal, s.lookback_days, s.query_limit_gb) == (30, "destroy", 7, 10)
    assert len(s.fields) == 29
    assert (s.database_name, s.table_name, s.workgroup_name) == (
        "flowlogs_case_1",
        "flow_logs",
        "flowlogs-case-1",
    )
    assert s.stack_name("capture") == "flowlogs-case-1-capture"


def test_command_line_strings_are_coerced() -> None:
    s = load(
        {
            "investigation": "x",
            "subnet_ids": "subnet-01234567, subnet-89abcdef",
            "eni_ids": "",
            "hive_partitions": "true",
            "per_hour_partitions": "false",
            "aggregation_seconds": "600",
            "traffic_type": "reject",
            "log_fields": "start,log-status,srcaddr",
            "key_prefix": "/a/b/",
            "query_limit_gb": "0.5",
            "vpc_ids": '["vpc-01234567"]',
        }
    )
    assert s.subnet_ids == ["subnet-01234567", "subnet-89abcdef"] and s.vpc_ids == ["vpc-01234567"]
    assert (s.hive_partitions, s.per_hour_partitions, s.aggregation_seconds) == (True, False, 600)
    assert s.traffic_type == "REJECT" and s.key_prefix == "a/b" and s.query_limit_gb == 0.5
    assert [f.name for f in s.fields] == ["start", "log-status", "srcaddr"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"vpc_ids": ["vpc-12"]}, "setting 'vpc_ids' = [\"vpc-12\"]: 'vpc-12' is not a VPC id"),
        (
            {"vpc_ids": "vpc-01234567,vpc-01234567"},
            "setting 'vpc_ids' = \"vpc-01234567,vpc-01234567\": duplicate id(s) vpc-01234567",
        ),
        (
            {"eni_ids": ["eni-xyz"]},
            "setting 'eni_ids' = [\"eni-xyz\"]: 'eni-xyz' is not a network interface id",
        ),
        ({"aggregation_seconds": 30}, "setting 'aggregation_seconds' = 30: should be 60 or 600"),
        ({"lookback_days": 0}, "setting 'lookback_days' = 0: must be between 1 and 366 days"),
        ({"log_retention_days": 4000}, "setting 'log_retention_days' = 4000: must be between 1 and 3650"),
        ({"query_limit_gb": 0}, "setting 'query_limit_gb' = 0: must be between 0.01"),
        ({"log_fields": ["srcaddr", "bogus"]}, "unknown field(s) bogus"),
        ({"log_fields": "srcaddr,dstaddr"}, "missing required field(s) start, log-status"),
        ({"key_prefix": "x/AWSLogs/y"}, "reserved folder name AWSLogs"),
        ({"investigation": "Bad_Name"}, "setting 'investigation' = \"Bad_Name\": must be 1-24 characters"),
        ({"colour": "blue"}, "setting 'colour': unknown key"),
    ({"workgroup": "primary"}, "setting 'workgroup' = \"primary\": is Athena's built-in workgroup"),
    ({"database": "default"}, "setting 'database' = \"default\": already exists in every account"),
    ({"hive_partitions": "yes"}, "setting 'hive_partitions' = \"yes\": should be a valid boolean"),
    ({"lookback_days": True}, "setting 'lookback_days' = true: should be a valid integer"),
    ({"query_limit_gb": True}, "setting 'query_limit_gb' = true: should be a valid number"),
    ({"query_limit_gb": "lots"}, "setting 'query_limit_gb' = \"lots\": should be a valid number"),
    ({"log_fields": 5}, "setting 'log_fields' = 5: must be a preset name or a list of field names"),
    ({"key_prefix": "a*b"}, "setting 'key_prefix' = \"a*b\": may hold only letters, digits"),
        ({"vpc_ids": []}, "no flow log target"),
        ({"lookback_days": 40}, "setting 'lookback_days': 40 is longer than log_retention_days (30)"),
        ({"database": "My-DB"}, "setting 'database' = \"My-DB\": must be lower-case"),
    ],
)
def test_bad_values_name_key_and_value(changes: dict[str, object], expected: str) -> None:
    found = problems(**changes)
    assert len(found) == 1, found
    assert expected in found[0]


def test_every_problem_is_reported_at_once() -> None:
    found = problems(vpc_ids=["vpc-1"], traffic_type="deny", colour=1, file_format="csv")
    assert len(found) == 4
    assert all(line.startswith("setting '") and "\n" not in line for line in found)


def test_cdk_keys_are_not_settings() -> None:
    load({**BASE, "@aws-cdk/aws-s3:createDefaultLoggingPolicy": True, "aws:cdk:enable-path-metadata": True})


def test_load_file(tmp_path: Path) -> None:
    path = tmp_path / "cdk.json"
    path.write_text(json.dumps({"app": "x", "context": BASE}))
    assert load_file(path, {"lookback_days": "3"}).lookback_days == 3
    path.write_text("{not json")
    with pytest.raises(SettingsError, match="not valid JSON"):
        load_file(path)
    with pytest.raises(SettingsError, match="not found"):
        load_file(tmp_path / "missing.json")
