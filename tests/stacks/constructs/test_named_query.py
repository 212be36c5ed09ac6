"""NamedQuery: one saved query on the kit's table, in the kit's workgroup, created after both."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import aws_s3 as s3

from flowkit import catalogue
from flowkit.layout import Layout
from flowkit.queries import SavedQuery
from stacks.constructs import FlowLogDatabase, FlowLogTable, NamedQuery, QueryWorkGroup, query_construct_id
from tests.stacks.constructs.helpers import bare_stack, one, template_of

pytestmark = pytest.mark.slow

QUERY = SavedQuery(
    key="top-talkers",
    name="case-42-top-talkers",
    description="Source addresses that sent the most bytes.",
    sql=('SELECT srcaddr, sum(bytes) FROM "flowlogs_case_42"."flow_logs"\n'
         "WHERE dt >= '2024/05/01' GROUP BY 1"),
)


def test_construct_id_is_stable_and_cloudformation_safe() -> None:
    assert query_construct_id(QUERY) == "Query-top-talkers"
    assert query_construct_id(SavedQuery("odd.name_v2", "n", "d", "s")) == "Query-odd-name-v2"


def test_named_query_targets_the_table_and_workgroup(feature_flags: dict[str, Any]) -> None:
    stack = bare_stack(feature_flags)
    bucket = s3.Bucket(stack, "Logs")
    database = FlowLogDatabase(stack, "Database", name="flowlogs_case_42", investigation="case-42")
    table = FlowLogTable(stack, "Table", database=database, name="flow_logs", bucket=bucket, layout=Layout(),
                         fields=catalogue.resolve("v5"), projected_days=31)
    workgroup = QueryWorkGroup(stack, "WorkGroup", name="flowlogs-case-42", investigation="case-42",
                               query_limit_gb=10, bucket=bucket)
    NamedQuery(stack, query_construct_id(QUERY), query=QUERY, table=table, workgroup=workgroup)
    template = template_of(stack)
    logical_id, resource = one(template, "AWS::Athena::NamedQuery")
    assert logical_id == "Querytoptalkers"
    assert resource["Properties"] == {
        "Name": "case-42-top-talkers",
        "Description": "Source addresses that sent the most bytes.",
        "Database": "flowlogs_case_42",
        "WorkGroup": "flowlogs-case-42",
        "QueryString": QUERY.sql,
    }
    # WorkGroup is a plain string to CloudFormation: the dependencies are explicit
    workgroup_id, _ = one(template, "AWS::Athena::WorkGroup")
    table_id, _ = one(template, "AWS::Glue::Table")
    assert set(resource["DependsOn"]) >= {workgroup_id, table_id}
