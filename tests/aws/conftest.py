"""Fixtures for the AWS-facing modules: moto in-process mocks and fake credentials (never real AWS)."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

REGION = "us-east-1"


@pytest.fixture
def mocked(aws_env: None) -> Iterator[boto3.Session]:
    """A boto3 session whose calls all go to moto's in-process backends."""
    with mock_aws():
        yield boto3.Session(region_name=REGION)
