"""One Athena saved (named) query of the investigation's table, in its workgroup."""

from __future__ import annotations

import re

from aws_cdk import aws_athena as athena
from constructs import Construct

from flowkit.queries import SavedQuery
from stacks.constructs.glue_table import FlowLogTable
from stacks.constructs.workgroup import QueryWorkGroup


def query_construct_id(query: SavedQuery) -> str:
    """``Query-<key>``: stable while other queries come and go (the logical id derives from it)."""
    return "Query-" + re.sub(r"[^A-Za-z0-9-]", "-", query.key)


class NamedQuery(Construct):
    """The L1 named query is the child ``Default``.

    WorkGroup is a plain string to CloudFormation, so the query depends on the workgroup (and the
    table) explicitly.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        query: SavedQuery,
        table: FlowLogTable,
        workgroup: QueryWorkGroup,
    ) -> None:
        super().__init__(scope, construct_id)
        self.resource = athena.CfnNamedQuery(
            self,
            "Default",
            name=query.name,
            description=query.description,
            database=table.database_name,
            work_group=workgroup.name,
            query_string=query.sql,
        )
        self.resource.add_resource_dependency(workgroup.resource)
        self.resource.add_resource_dependency(table.resource)
