"""The CLI against moto: every boto3 session the kit makes gets botocore hooks (to record requests and
to inject what moto does not do as AWS does), in a folder without cdk.json."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result
from moto import mock_aws

from flowkit import cli
from flowkit.aws import session as aws_session


class Hooks:
    """botocore event handlers put on every session the CLI makes, and what they saw."""

    def __init__(self) -> None:
        self.handlers: list[tuple[str, Callable[..., Any]]] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.calls.append((f"{model.service_model.service_name}.{model.name}", dict(params)))

    def requests(self, operation: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == operation]


@contextmanager
def moto_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Hooks]:
    """moto for every AWS call, ``Hooks`` on every session the kit makes, a folder without cdk.json as cwd.

    Needs the ``aws_env`` fixture (fake credentials and region). Add handlers to ``hooks.handlers``
    before running the command.
    """
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    found = Hooks()
    original = aws_session.make_session

    def make_session(profile: str | None = None, region: str | None = None) -> boto3.Session:
        session = original(profile, region)
        session.events.register("provide-client-params.*.*", found.record)
        for event, handler in found.handlers:
            session.events.register(event, handler)
        return session

    monkeypatch.setattr(aws_session, "make_session", make_session)
    with mock_aws():
        yield found


def flowlogs(*args: str) -> Result:
    """``flowlogs ARGS`` in-process with click's runner (stdout and stderr apart); other errors raise."""
    result = CliRunner().invoke(cli.cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result
