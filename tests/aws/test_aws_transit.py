"""The transit gateway table in Athena: its name from the stack outputs, its queries rendered for it."""

from __future__ import annotations

import boto3
import pytest
from moto.athena.models import athena_backends
from moto.core import DEFAULT_ACCOUNT_ID

from flowkit import queries
from flowkit.aws import athena
from flowkit.aws import stack_outputs as outputs
from flowkit.aws.deployed import Deployed, DeployedError, Storage, analytics_from
from flowkit.catalogue import TRANSIT, resolve
from flowkit.layout import Layout

REGION = "us-east-1"  # the region the conftest fixtures use
ANALYTICS = {outputs.DATABASE_NAME: "flowlogs_hub", outputs.TABLE_NAME: "flow_logs",
             outputs.WORKGROUP_NAME: "flowlogs-hub", outputs.RESULTS_LOCATION: "s3://b/athena-results/",
             outputs.TABLE_COLUMNS: "version,start,log-status,srcaddr"}
STORAGE = Storage("b", Layout("parquet", True, True, "team/flows"))


def test_the_transit_table_comes_from_its_stack_output() -> None:
    deployed = analytics_from("hub", STORAGE, {**ANALYTICS, outputs.TRANSIT_TABLE_NAME: "flow_logs_tgw"}, "s")
    transit = deployed.for_table(queries.TRANSIT)
    assert (transit.table, transit.kind, transit.fields) == ("flow_logs_tgw", queries.TRANSIT, TRANSIT.fields)
    # the VPC table's layout under the folder the kit delivers transit gateway flow logs to
    assert transit.layout == Layout("parquet", True, True, "team/flows/transit-gateway")
    assert transit.for_table(queries.TRANSIT) is transit and deployed.for_table(queries.VPC) is deployed


def test_no_transit_table_is_one_line() -> None:
    deployed = analytics_from("hub", STORAGE, ANALYTICS, "s")
    with pytest.raises(DeployedError, match="investigation hub: no transit-gateway table .*"
                                            "TransitGatewayTableName output"):
        deployed.for_table(queries.TRANSIT)


def test_a_transit_query_runs_on_the_transit_table(mocked: boto3.Session) -> None:
    mocked.client("athena").create_work_group(Name="flowlogs-hub")
    target = Deployed("hub", "b", Layout("text", False, True, ""), "flowlogs_hub", "flow_logs",
                      "flowlogs-hub", "s3://b/athena-results/", resolve("v5"), transit_table="flow_logs_tgw")
    settings_ctx = queries.RenderContext("flowlogs_hub", "flow_logs", resolve("v5"), Layout(), 7)
    template = queries.find("tgw-flows-to-destination")
    result = athena.run_saved(mocked, target, template, {"dstaddr": "10.1.2.30"}, settings_ctx,
                              notify=lambda _: None)
    recorded = athena_backends[DEFAULT_ACCOUNT_ID][REGION].executions[result.execution_id]
    assert '"flowlogs_hub"."flow_logs_tgw"' in recorded.query and '"flow_logs"' not in recorded.query
    assert recorded.execution_parameters == ["'10.1.2.30'"]
    assert "tgw_attachment_id" in recorded.query and "%Y/%m/%d/%H" in recorded.query
