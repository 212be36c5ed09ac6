"""Analytics stack: Glue database + partition-projected table, Athena workgroup and saved queries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from aws_cdk import Aws, CfnOutput, Stack
from aws_cdk import aws_athena as athena
from aws_cdk import aws_glue as glue
from constructs import Construct

from flowkit import layout as layouts
from flowkit.aws import stack_outputs as outputs
from flowkit.queries import SavedQuery
from flowkit.settings import Settings
from stacks.storage import StorageStack

ENGINE_VERSION = "Athena engine version 3"
MIN_CUTOFF_BYTES = 10 * 1024**2  # Athena's minimum BytesScannedCutoffPerQuery

TEXT_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"


def cutoff_bytes(query_limit_gb: float) -> int:
    """BytesScannedCutoffPerQuery for a limit in GB (GiB), never below Athena's 10 MB minimum."""
    return max(int(query_limit_gb * 1024**3), MIN_CUTOFF_BYTES)


def storage_descriptor(settings: Settings, location: str) -> glue.CfnTable.StorageDescriptorProperty:
    """Columns in log-format order (text tables are positional) and the SerDe of the file format."""
    columns = [glue.CfnTable.ColumnProperty(name=f.column, type=f.athena_type, comment=f.description)
               for f in settings.fields]
    if settings.file_format == "text":
        serde = glue.CfnTable.SerdeInfoProperty(
            serialization_library=TEXT_SERDE,
            # '-' means "not applicable": read it as NULL, as the local engine and Parquet files do,
            # so CAST(srcaddr AS IPADDRESS) never sees '-' on NODATA/SKIPDATA records.
            parameters={"field.delim": " ", "serialization.format": " ", "serialization.null.format": "-"},
        )
        formats = (TEXT_INPUT, TEXT_OUTPUT)
    else:
        serde = glue.CfnTable.SerdeInfoProperty(
            serialization_library=PARQUET_SERDE, parameters={"serialization.format": "1"}
        )
        formats = (PARQUET_INPUT, PARQUET_OUTPUT)
    return glue.CfnTable.StorageDescriptorProperty(
        columns=columns,
        location=location,
        input_format=formats[0],
        output_format=formats[1],
        serde_info=serde,
        compressed=settings.file_format == "text",
        stored_as_sub_directories=False,
    )


def table_parameters(settings: Settings, bucket_name: str) -> dict[str, str]:
    """Partition projection (TABLE parameters) plus classification and the text header skip."""
    params = settings.layout.projection_parameters(
        bucket_name, [Aws.ACCOUNT_ID], [Aws.REGION], settings.projected_days
    )
    params["EXTERNAL"] = "TRUE"
    if settings.file_format == "text":
        params["classification"] = "csv"
        params["skip.header.line.count"] = "1"
    else:
        params["classification"] = "parquet"
    return params


class AnalyticsStack(Stack):
    """Everything Athena needs to query the flow logs; no crawler, no Lambda, no custom resource."""

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
        bucket = storage.bucket
        layout = settings.layout

        self.database = glue.CfnDatabase(
            self,
            "Database",
            catalog_id=Aws.ACCOUNT_ID,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=settings.database_name,
                description=f"VPC flow logs of investigation {settings.investigation}",
            ),
        )
        self.table = glue.CfnTable(
            self,
            "Table",
            catalog_id=Aws.ACCOUNT_ID,
            database_name=settings.database_name,
            table_input=glue.CfnTable.TableInputProperty(
                name=settings.table_name,
                description=f"VPC flow logs ({settings.file_format}) delivered to {layout.root}",
                table_type="EXTERNAL_TABLE",
                partition_keys=[
                    glue.CfnTable.ColumnProperty(name=column, type="string")
                    for column in layouts.PARTITION_COLUMNS
                ],
                parameters=table_parameters(settings, bucket.bucket_name),
                storage_descriptor=storage_descriptor(settings, layout.table_location(bucket.bucket_name)),
            ),
        )
        self.table.add_resource_dependency(self.database)

        results = f"s3://{bucket.bucket_name}/{outputs.RESULTS_PREFIX}"
        key = storage.key
        encryption = athena.CfnWorkGroup.EncryptionConfigurationProperty(
            encryption_option="SSE_KMS" if key else "SSE_S3", kms_key=key.key_arn if key else None
        )
        self.workgroup = athena.CfnWorkGroup(
            self,
            "WorkGroup",
            name=settings.workgroup_name,
            description=f"Flow log queries of investigation {settings.investigation}",
            state="ENABLED",
            recursive_delete_option=True,
            work_group_configuration=athena.CfnWorkGroup.WorkGroupConfigurationProperty(
                enforce_work_group_configuration=True,
                publish_cloud_watch_metrics_enabled=True,
                bytes_scanned_cutoff_per_query=cutoff_bytes(settings.query_limit_gb),
                engine_version=athena.CfnWorkGroup.EngineVersionProperty(
                    selected_engine_version=ENGINE_VERSION
                ),
                result_configuration=athena.CfnWorkGroup.ResultConfigurationProperty(
                    output_location=results, encryption_configuration=encryption
                ),
            ),
        )

        self.named_queries: list[athena.CfnNamedQuery] = []
        for query in queries:
            named = athena.CfnNamedQuery(
                self,
                "Query-" + re.sub(r"[^A-Za-z0-9-]", "-", query.key),
                name=query.name,
                description=query.description,
                database=settings.database_name,
                work_group=settings.workgroup_name,
                query_string=query.sql,
            )
            named.add_resource_dependency(self.workgroup)
            named.add_resource_dependency(self.table)
            self.named_queries.append(named)

        CfnOutput(self, outputs.DATABASE_NAME, value=settings.database_name)
        CfnOutput(self, outputs.TABLE_NAME, value=settings.table_name)
        CfnOutput(self, outputs.WORKGROUP_NAME, value=settings.workgroup_name)
        CfnOutput(self, outputs.RESULTS_LOCATION, value=results)
        CfnOutput(self, outputs.TABLE_COLUMNS, value=outputs.table_columns(f.name for f in settings.fields),
                  description="Flow log fields of the table, in column order (what saved queries can use)")
