"""FlowLogGroup, InsightsQueryDefinition and CloudWatchFlowLog, each in a bare stack."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy

from flowkit import catalogue
from flowkit.queries.insights import insights_queries
from stacks.constructs.cloudwatch_flow_log import CloudWatchFlowLog
from stacks.constructs.flow_log_group import FlowLogGroup
from stacks.constructs.insights_query import InsightsQueryDefinition, insights_construct_id
from tests.stacks.constructs.helpers import bare_stack, one, resources, template_of

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("encrypt", "removal", "policy", "days"), [
    (False, RemovalPolicy.DESTROY, "Delete", 30), (True, RemovalPolicy.RETAIN, "Retain", 3288)])
def test_log_group(feature_flags: dict[str, Any], encrypt: bool, removal: RemovalPolicy, policy: str,
                   days: int) -> None:
    stack = bare_stack(feature_flags)
    FlowLogGroup(stack, "Logs", name="/flowlogs/case", investigation="case", retention_days=days,
                 removal_policy=removal, encrypt=encrypt)
    template = template_of(stack)
    logical_id, group = one(template, "AWS::Logs::LogGroup")
    assert logical_id == "Logs"  # the construct's Default child keeps the construct's id
    assert group["Properties"]["RetentionInDays"] == days and group["DeletionPolicy"] == policy
    keys = resources(template, "AWS::KMS::Key")
    assert len(keys) == (1 if encrypt else 0)
    assert ("KmsKeyId" in group["Properties"]) is encrypt
    for key in keys.values():
        assert key["DeletionPolicy"] == policy and key["Properties"]["PendingWindowInDays"] == 7


def test_query_definition_parameters_and_dependency(feature_flags: dict[str, Any]) -> None:
    stack = bare_stack(feature_flags)
    group = FlowLogGroup(stack, "Logs", name="/flowlogs/case", investigation="case", retention_days=7,
                         removal_policy=RemovalPolicy.DESTROY, encrypt=False)
    queries = insights_queries(catalogue.resolve("v5"), "case")
    (query,) = [q for q in queries if q.key == "accepted-ports-check"]
    InsightsQueryDefinition(stack, insights_construct_id(query), query=query, log_group=group)
    logical_id, definition = one(template_of(stack), "AWS::Logs::QueryDefinition")
    assert logical_id == "Insights-accepted-ports-check".replace("-", "")
    assert definition["DependsOn"] == ["Logs"]
    props = definition["Properties"]
    assert props["Name"] == "flowlogs-case/accepted-ports-check"
    assert props["LogGroupNames"] == ["/flowlogs/case"]
    assert [(p["Name"], p["Description"]) for p in props["Parameters"]] == [
        (p.name, p.description) for p in query.params]


def test_cloudwatch_flow_log(feature_flags: dict[str, Any]) -> None:
    stack = bare_stack(feature_flags)
    fields = catalogue.resolve(["start", "log-status", "srcaddr"])
    CloudWatchFlowLog(stack, "FlowLog", resource_type="NetworkInterface", resource_id="eni-12345678",
                      investigation="case", log_group_name="/flowlogs/case",
                      role_arn="arn:aws:iam::111122223333:role/delivery", fields=fields,
                      traffic_type="REJECT", aggregation_seconds=600)
    _, flow_log = one(template_of(stack), "AWS::EC2::FlowLog")
    assert flow_log["Properties"] == {
        "ResourceType": "NetworkInterface", "ResourceId": "eni-12345678", "TrafficType": "REJECT",
        "LogDestinationType": "cloud-watch-logs", "LogGroupName": "/flowlogs/case",
        "DeliverLogsPermissionArn": "arn:aws:iam::111122223333:role/delivery", "MaxAggregationInterval": 600,
        "LogFormat": "${start} ${log-status} ${srcaddr}",
        "Tags": [{"Key": "Name", "Value": "case-eni-12345678-cloudwatch"}],
    }
