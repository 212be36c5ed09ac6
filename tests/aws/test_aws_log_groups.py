"""The log group a command reads, from a CloudWatch stack's outputs or its ARN."""

from __future__ import annotations

import pytest

from flowkit import catalogue
from flowkit.aws.deployed import DeployedError, LogGroup, log_group_from, log_group_of_arn

ARN = "arn:aws:logs:eu-west-1:111122223333:log-group:/flowlogs/case-42"


@pytest.mark.parametrize("arn", [ARN, ARN + ":*", ARN.replace("arn:aws:", "arn:aws-cn:")])
def test_account_region_and_name_come_from_the_arn(arn: str) -> None:
    assert log_group_of_arn(arn) == LogGroup("/flowlogs/case-42", "111122223333", "eu-west-1")


def test_what_is_no_log_group_arn_is_none() -> None:
    assert log_group_of_arn("arn:aws:s3:::flowlogs-case-42-logs") is None
    assert log_group_of_arn("/flowlogs/case-42") is None


def test_outputs_give_the_fields_in_log_format_order() -> None:
    found = log_group_from({"LogGroupArn": ARN, "LogFields": "start,log-status,srcaddr"}, "stack")
    assert found.fields == catalogue.resolve(["start", "log-status", "srcaddr"])


@pytest.mark.parametrize(("outputs", "message"), [
    ({"LogFields": "start,log-status"}, "stack s: output LogGroupArn is missing"),
    ({"LogGroupArn": ARN}, "stack s: output LogFields is missing"),
    ({"LogGroupArn": "nope", "LogFields": "start,log-status"}, "LogGroupArn is 'nope', not a log group"),
    ({"LogGroupArn": ARN, "LogFields": "start,bytez"}, "stack s: output LogFields: unknown field(s) bytez"),
])
def test_unusable_outputs_are_one_line(outputs: dict[str, str], message: str) -> None:
    with pytest.raises(DeployedError) as err:
        log_group_from(outputs, "s")
    assert message in err.value.problems[0]
