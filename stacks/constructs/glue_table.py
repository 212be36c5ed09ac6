"""The partition-projected Glue table over the flow logs: no crawler, no partitions to register."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Aws
from aws_cdk import aws_glue as glue
from aws_cdk import aws_s3 as s3
from constructs import Construct

from flowkit import catalogue
from flowkit.layout import PARTITION_COLUMNS, Layout
from stacks.constructs.glue_database import FlowLogDatabase

TEXT_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"


def storage_descriptor(
    layout: Layout, fields: Sequence[catalogue.Field], location: str
) -> glue.CfnTable.StorageDescriptorProperty:
    """Columns in log-format order (text tables are positional) and the SerDe of the file format."""
    columns = [glue.CfnTable.ColumnProperty(name=f.column, type=f.athena_type, comment=f.description)
               for f in fields]
    text = layout.file_format == "text"
    if text:
        serde = glue.CfnTable.SerdeInfoProperty(
            serialization_library=TEXT_SERDE,
            # '-' means "not applicable": read it as NULL, as the local engine and Parquet files do,
            # so CAST(srcaddr AS IPADDRESS) never sees '-' on NODATA/SKIPDATA records.
            parameters={"field.delim": " ", "serialization.format": " ", "serialization.null.format": "-"},
        )
    else:
        serde = glue.CfnTable.SerdeInfoProperty(
            serialization_library=PARQUET_SERDE, parameters={"serialization.format": "1"}
        )
    return glue.CfnTable.StorageDescriptorProperty(
        columns=columns,
        location=location,
        input_format=TEXT_INPUT if text else PARQUET_INPUT,
        output_format=TEXT_OUTPUT if text else PARQUET_OUTPUT,
        serde_info=serde,
        compressed=text,
        stored_as_sub_directories=False,
    )


def table_parameters(layout: Layout, bucket_name: str, projected_days: int,
                     accounts: Sequence[str] = (Aws.ACCOUNT_ID,),
                     regions: Sequence[str] = (Aws.REGION,)) -> dict[str, str]:
    """Partition projection (TABLE parameters) plus classification and the text header skip."""
    params = layout.projection_parameters(bucket_name, accounts, regions, projected_days)
    params["EXTERNAL"] = "TRUE"
    if layout.file_format == "text":
        params["classification"] = "csv"
        params["skip.header.line.count"] = "1"
    else:
        params["classification"] = "parquet"
    return params


class FlowLogTable(Construct):
    """The L1 table is the child ``Default``; it projects ``projected_days`` back from now.

    ``accounts`` and ``regions`` are the projected values of the account and region partitions
    (default: the stack's own account and region); ``title`` names the flow logs (VPC, transit gateway).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        database: FlowLogDatabase,
        name: str,
        bucket: s3.IBucket,
        layout: Layout,
        fields: Sequence[catalogue.Field],
        projected_days: int,
        accounts: Sequence[str] = (Aws.ACCOUNT_ID,),
        regions: Sequence[str] = (Aws.REGION,),
        title: str = "VPC",
    ) -> None:
        super().__init__(scope, construct_id)
        self.name = name
        self.database_name = database.name
        location = layout.table_location(bucket.bucket_name)
        self.resource = glue.CfnTable(
            self,
            "Default",
            catalog_id=Aws.ACCOUNT_ID,
            database_name=database.name,
            table_input=glue.CfnTable.TableInputProperty(
                name=name,
                description=f"{title} flow logs ({layout.file_format}) delivered to {layout.root}",
                table_type="EXTERNAL_TABLE",
                partition_keys=[glue.CfnTable.ColumnProperty(name=column, type="string")
                                for column in PARTITION_COLUMNS],
                parameters=table_parameters(layout, bucket.bucket_name, projected_days, accounts, regions),
                storage_descriptor=storage_descriptor(layout, fields, location),
            ),
        )
        self.resource.add_resource_dependency(database.resource)
