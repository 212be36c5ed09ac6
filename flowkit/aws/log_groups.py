"""Which CloudWatch Logs log group a command reads: the investigation's (from its CloudWatch stack) or one
named by hand, with its account and region (from its ARN) and the fields of its records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from flowkit.aws.deployed import DeployedError, LogGroup, log_group_of_arn, lookup_log_group
from flowkit.aws.session import AwsError, client, describe_error
from flowkit.catalogue import Field


def named_log_group(session: Any, name: str, fields: Sequence[Field]) -> LogGroup:
    """The log group called ``name`` in the session's account and region; its records have ``fields``."""
    logs = client(session, "logs")
    try:
        for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name):
            for group in page.get("logGroups", []):
                arn = str(group.get("logGroupArn") or group.get("arn", ""))
                found = log_group_of_arn(arn, tuple(fields)) if group.get("logGroupName") == name else None
                if found is not None:
                    return found
    except ClientError as err:
        raise AwsError(f"log group {name}: {describe_error(err)}") from None
    except BotoCoreError as err:
        raise AwsError(f"log group {name}: {err}") from None
    raise DeployedError(f"log group {name}: not found in {session.region_name} (check the name, the AWS "
                        "account and --region)")


def resolve_log_group(session: Any, *, investigation: str | None, log_group: str | None,
                      fields: Sequence[Field]) -> LogGroup:
    """``--log-group`` (its records assumed to have the settings' ``fields``), else the investigation's."""
    if investigation and log_group:
        raise AwsError("give either --investigation or --log-group, not both")
    if log_group:
        return named_log_group(session, log_group, fields)
    if not investigation:
        raise AwsError("give --investigation NAME (a deployed investigation) or --log-group NAME")
    return lookup_log_group(investigation, session)
