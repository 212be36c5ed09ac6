"""boto3 sessions and clients for the kit, and AWS errors as one line each."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from flowkit.errors import KitError

T = TypeVar("T")
ServiceName = Literal["s3", "athena", "cloudformation", "glue", "sts", "ec2", "logs"]


class AwsError(KitError):
    """A one-line problem talking to AWS (base of the Athena, fetch and lookup errors)."""


def make_session(profile: str | None = None, region: str | None = None) -> boto3.Session:
    """A boto3 session following the usual AWS environment, with optional profile/region overrides.

    Region: ``region``, else AWS_REGION, else boto3's own resolution (AWS_DEFAULT_REGION, then the
    profile's ``region``). boto3 itself does not read AWS_REGION, which the AWS SDKs and CLI v2 honour.
    """
    region = region or os.environ.get("AWS_REGION", "").strip() or None
    try:
        return boto3.Session(profile_name=profile, region_name=region)
    except BotoCoreError as err:
        raise AwsError(f"AWS session: {err}") from None


def client(session: boto3.Session, service: ServiceName, config: Any = None) -> Any:
    """A boto3 client (``config``: a botocore Config, e.g. timeouts); a missing region or bad configuration
    becomes a one-line AwsError."""
    try:
        return session.client(service) if config is None else session.client(service, config=config)
    except BotoCoreError as err:
        raise AwsError(f"AWS {service} client: {err}") from None


def guarded(error: type[KitError], label: str, method: Callable[..., T], *, what: str = "",
            **kwargs: Any) -> T:
    """One boto3 call; a botocore error becomes ``error``: ``<label> <Operation>: <Code>: <message>``
    (or ``<label> <what>: <problem>`` when no request was answered)."""
    try:
        return method(**kwargs)
    except ClientError as err:
        raise error(f"{label} {describe_error(err)}") from None
    except BotoCoreError as err:
        raise error(f"{label} {what}: {err}" if what else f"{label}: {err}") from None


def describe_error(err: Exception) -> str:
    """One line for a botocore error (no traceback)."""
    if isinstance(err, ClientError):
        error = err.response.get("Error", {})
        code = error.get("Code", "Error")
        message = error.get("Message", str(err))
        return f"{err.operation_name}: {code}: {message}"
    return str(err)
