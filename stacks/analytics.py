"""Analytics stack: Glue database + partition-projected table, Athena workgroup and saved queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_athena as athena
from constructs import Construct

from flowkit import catalogue
from flowkit.aws import stack_outputs as outputs
from flowkit.layout import transit_layout
from flowkit.queries import TRANSIT, VPC, SavedQuery, TableKind
from flowkit.settings import Settings
from stacks.constructs import (
    FlowLogDatabase,
    FlowLogTable,
    NamedQuery,
    QueryWorkGroup,
    ScheduledReport,
    query_construct_id,
)
from stacks.placement import delivery_sources
from stacks.storage import StorageStack


class AnalyticsStack(Stack):
    """Everything Athena needs to query the flow logs; no crawler, no Lambda, no custom resource.

    Transit gateway flow logs, when captured, get a second table of their own (their own fields, the
    same key layout under their own prefix, the same projection) and their saved queries.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: Settings,
        storage: StorageStack,
        queries: Sequence[SavedQuery] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        inv = settings.investigation
        sources = delivery_sources(settings)  # the table projects the accounts and regions the bucket admits
        self.database = FlowLogDatabase(self, "Database", name=settings.database_name, investigation=inv)
        self.table = FlowLogTable(
            self, "Table", database=self.database, name=settings.table_name, bucket=storage.bucket,
            layout=settings.layout, fields=settings.fields, projected_days=settings.projected_days,
            accounts=sources.accounts, regions=sources.regions,
        )
        self.tables: dict[TableKind, FlowLogTable] = {VPC: self.table}
        if settings.has_transit_gateways:
            self.tables[TRANSIT] = FlowLogTable(
                self, "TransitGatewayTable", database=self.database, name=settings.transit_table_name,
                bucket=storage.bucket, layout=transit_layout(settings.layout),
                fields=catalogue.TRANSIT.fields, projected_days=settings.projected_days,
                accounts=sources.accounts, regions=sources.regions,
                title="Transit gateway",
            )
        self.workgroup = QueryWorkGroup(
            self, "WorkGroup", name=settings.workgroup_name, investigation=inv,
            query_limit_gb=settings.query_limit_gb, bucket=storage.bucket, encryption_key=storage.key,
        )
        self.named_queries: list[athena.CfnNamedQuery] = [
            NamedQuery(self, query_construct_id(query), query=query, table=self.tables[query.table],
                       workgroup=self.workgroup).resource
            for query in queries
        ]

        if settings.report_expression and settings.report_days:
            ScheduledReport(
                self, "ScheduledReport", investigation=inv, expression=settings.report_expression,
                emails=settings.report_emails, lookback_days=settings.report_days, bucket=storage.bucket,
                layout=settings.layout, table=self.table, workgroup=self.workgroup, fields=settings.fields,
                log_retention_days=settings.log_retention_days, encryption_key=storage.key,
            )

        CfnOutput(self, outputs.DATABASE_NAME, value=self.database.name)
        CfnOutput(self, outputs.TABLE_NAME, value=self.table.name)
        CfnOutput(self, outputs.WORKGROUP_NAME, value=self.workgroup.name)
        CfnOutput(self, outputs.RESULTS_LOCATION, value=self.workgroup.results_location)
        CfnOutput(self, outputs.TABLE_COLUMNS, value=outputs.table_columns(f.name for f in settings.fields),
                  description="Flow log fields of the table, in column order (what saved queries can use)")
        if TRANSIT in self.tables:
            CfnOutput(self, outputs.TRANSIT_TABLE_NAME, value=self.tables[TRANSIT].name,
                      description="Table of the transit gateway flow logs")
            CfnOutput(self, outputs.TRANSIT_TABLE_COLUMNS,
                      value=outputs.table_columns(f.name for f in catalogue.TRANSIT.fields),
                      description="Transit gateway flow log fields of that table, in column order")
