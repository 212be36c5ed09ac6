"""Fixtures of the scheduled report tests: a deployed report's bucket, topic and workgroup in moto."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from tests.schedule.deployment import BUCKET, REGION, WORKGROUP, Deployment, environment


@pytest.fixture
def deployment(aws_env: None) -> Iterator[Deployment]:
    """Bucket, topic (with an e-mail subscription) and workgroup in moto."""
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        session.client("s3").create_bucket(Bucket=BUCKET)
        sns = session.client("sns")
        topic_arn = sns.create_topic(Name="flowlogs-weekly-report")["TopicArn"]
        sns.subscribe(TopicArn=topic_arn, Protocol="email", Endpoint="lead@example.com")
        session.client("athena").create_work_group(Name=WORKGROUP, Configuration={
            "ResultConfiguration": {"OutputLocation": f"s3://{BUCKET}/athena-results/"}})
        yield Deployment(session, topic_arn, environment(topic_arn))
