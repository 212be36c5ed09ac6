"""FlowLogTable: partition-projected external table, columns in log-format order, SerDe per file format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from aws_cdk import aws_s3 as s3

from flowkit import catalogue
from flowkit.layout import Layout
from stacks.constructs import FlowLogDatabase, FlowLogTable
from tests.stacks.constructs.helpers import bare_stack, one, template_of

pytestmark = pytest.mark.slow

BUCKET = "my-flow-bucket"
# Athena types per field, from the reference's Parquet types (INT32 -> int, INT64 -> bigint).
INT_FIELDS = {"version", "srcport", "dstport", "protocol", "tcp_flags", "traffic_path"}
BIGINT_FIELDS = {"packets", "bytes", "start", "end"}
# Deliberately not in catalogue order: a text table is positional, so columns follow the given fields.
SOME_FIELDS = ["log-status", "start", "srcaddr", "end", "action", "tcp-flags"]
SOME_COLUMNS = ["log_status", "start", "srcaddr", "end", "action", "tcp_flags"]


def table(feature_flags: dict[str, Any], *, layout: Layout, fields: str | Sequence[str] = SOME_FIELDS,
          projected_days: int = 31, database: str = "flowlogs_demo",
          name: str = "flow_logs") -> dict[str, Any]:
    """The template of one table in its database, over a bucket imported by name."""
    stack = bare_stack(feature_flags)
    bucket = s3.Bucket.from_bucket_name(stack, "Logs", BUCKET)
    db = FlowLogDatabase(stack, "Database", name=database, investigation="demo")
    construct = FlowLogTable(stack, "Table", database=db, name=name, bucket=bucket, layout=layout,
                             fields=catalogue.resolve(fields), projected_days=projected_days)
    # what the analytics stack outputs (TableName) and gives its saved queries is what the table uses
    assert (construct.name, construct.database_name) == (name, database)
    return template_of(stack)


def _input(template: dict[str, Any]) -> dict[str, Any]:
    return dict(one(template, "AWS::Glue::Table")[1]["Properties"]["TableInput"])


@pytest.mark.parametrize(("database", "name"), [("flowlogs_demo", "flow_logs"), ("netsec", "rejects")])
def test_table_names_and_partition_keys(feature_flags: dict[str, Any], database: str, name: str) -> None:
    template = table(feature_flags, layout=Layout(), database=database, name=name)
    logical_id, resource = one(template, "AWS::Glue::Table")
    assert logical_id == "Table"  # the fixed-name table must never be replaced
    assert resource["DependsOn"] == ["Database"]
    props = resource["Properties"]
    assert props["DatabaseName"] == database
    assert props["TableInput"]["Name"] == name
    assert props["TableInput"]["TableType"] == "EXTERNAL_TABLE"
    assert props["TableInput"]["PartitionKeys"] == [
        {"Name": "aws_account", "Type": "string"}, {"Name": "aws_region", "Type": "string"},
        {"Name": "dt", "Type": "string"},
    ]


def test_text_table_is_positional_in_field_order(feature_flags: dict[str, Any]) -> None:
    table_input = _input(table(feature_flags, layout=Layout("text", hive=True, hourly=False,
                                                            key_prefix="team/flows")))
    descriptor = table_input["StorageDescriptor"]
    assert [c["Name"] for c in descriptor["Columns"]] == SOME_COLUMNS
    serde = descriptor["SerdeInfo"]["SerializationLibrary"]
    assert serde == "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
    assert descriptor["SerdeInfo"]["Parameters"] == {
        "field.delim": " ", "serialization.format": " ", "serialization.null.format": "-"}
    assert descriptor["InputFormat"] == "org.apache.hadoop.mapred.TextInputFormat"
    assert descriptor["OutputFormat"] == "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
    assert table_input["Parameters"]["skip.header.line.count"] == "1"
    assert "skip.header.line.count" not in descriptor["SerdeInfo"]["Parameters"]
    assert descriptor["Location"] == f"s3://{BUCKET}/team/flows/AWSLogs/"


@pytest.mark.parametrize("layout", [Layout("parquet", hive=False, hourly=True), Layout("parquet", hive=True)])
def test_parquet_table_matches_by_name(feature_flags: dict[str, Any], layout: Layout) -> None:
    table_input = _input(table(feature_flags, layout=layout))
    descriptor = table_input["StorageDescriptor"]
    assert [c["Name"] for c in descriptor["Columns"]] == SOME_COLUMNS
    assert descriptor["SerdeInfo"]["SerializationLibrary"] == (
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")
    assert descriptor["InputFormat"] == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    assert descriptor["OutputFormat"] == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
    assert "skip.header.line.count" not in table_input["Parameters"]
    assert table_input["Parameters"]["classification"] == "parquet"
    assert descriptor["Location"] == f"s3://{BUCKET}/AWSLogs/"


@pytest.mark.parametrize("preset", ["aws-default", "v5", "all"])
def test_column_types(feature_flags: dict[str, Any], preset: str) -> None:
    columns = _input(table(feature_flags, layout=Layout(), fields=preset))["StorageDescriptor"]["Columns"]
    assert "end" in {c["Name"] for c in columns}
    for column in columns:
        expected = ("bigint" if column["Name"] in BIGINT_FIELDS
                    else "int" if column["Name"] in INT_FIELDS else "string")
        assert column["Type"] == expected, column["Name"]


@pytest.mark.parametrize(
    ("layout", "projected_days", "dt_range", "location"),
    [
        (Layout(), 31, "NOW-31DAYS,NOW", f"s3://{BUCKET}/AWSLogs/${{aws_account}}/vpcflowlogs/${{aws_region}}/${{dt}}/"),
        (Layout("text", hive=True, hourly=False, key_prefix="team/flows"), 91, "NOW-91DAYS,NOW",
         f"s3://{BUCKET}/team/flows/AWSLogs/aws-account-id=${{aws_account}}/aws-service=vpcflowlogs/"
         "aws-region=${aws_region}/${dt}/"),
    ],
)
def test_projection_is_in_table_parameters(feature_flags: dict[str, Any], layout: Layout, projected_days: int,
                                           dt_range: str, location: str) -> None:
    table_input = _input(table(feature_flags, layout=layout, projected_days=projected_days))
    params = table_input["Parameters"]
    assert params["projection.enabled"] == "true"
    assert params["projection.aws_account.values"] == {"Ref": "AWS::AccountId"}
    assert params["projection.aws_region.values"] == {"Ref": "AWS::Region"}
    assert params["projection.dt.range"] == dt_range
    assert params["storage.location.template"] == location
    descriptor_params = table_input["StorageDescriptor"].get("Parameters", {})
    assert not any(k.startswith("projection.") for k in descriptor_params)
