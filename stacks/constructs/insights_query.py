"""One saved CloudWatch Logs Insights query of the investigation's log group."""

from __future__ import annotations

import re

from aws_cdk import aws_logs as logs
from constructs import Construct

from flowkit.queries.insights import InsightsQuery
from stacks.constructs.flow_log_group import FlowLogGroup

QUERY_LANGUAGE = "CWLI"  # Logs Insights QL: the only language with query parameters


def insights_construct_id(query: InsightsQuery) -> str:
    """``Insights-<key>``: stable while other queries come and go (the logical id derives from it)."""
    return "Insights-" + re.sub(r"[^A-Za-z0-9-]", "-", query.key)


class InsightsQueryDefinition(Construct):
    """The L1 query definition is the child ``Default``.

    Its log group is a plain name to CloudFormation, so the definition depends on the log group
    explicitly. Each ``{{name}}`` in the query is a query parameter the console asks for.
    """

    def __init__(self, scope: Construct, construct_id: str, *, query: InsightsQuery,
                 log_group: FlowLogGroup) -> None:
        super().__init__(scope, construct_id)
        parameters = [
            logs.CfnQueryDefinition.QueryParameterProperty(name=p.name, description=p.description,
                                                           default_value=p.default)
            for p in query.params
        ]
        self.resource = logs.CfnQueryDefinition(
            self, "Default", name=query.name, query_string=query.query_string,
            log_group_names=[log_group.name], parameters=parameters or None, query_language=QUERY_LANGUAGE,
        )
        self.resource.add_resource_dependency(log_group.log_group)
