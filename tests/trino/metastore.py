"""Register a synthesized ``AWS::Glue::Table`` resource in Trino's file metastore, without retyping it.

The resource is read as synthesized, its intrinsics are resolved with chosen values (what
CloudFormation would resolve: the account, the region, the bucket's stack output), and the
TableInput is converted the way Trino's own Glue metastore converts a Glue table
(``GlueConverter.fromGlueTable``), then stored the way ``FileHiveMetastore`` stores it:

* ``<catalog_dir>/.<database>.trinoSchema``          DatabaseMetadata JSON
* ``<catalog_dir>/<database>/<table>/.trinoSchema``  TableMetadata JSON

The one translation: ``s3://<bucket>/...`` becomes ``local:///<bucket>/...`` (:func:`s3_to_local`) in
the table location and in ``storage.location.template``, so objects live at
``<local.location>/<bucket>/<key>``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JsonValue = Any  # CloudFormation JSON: str | int | bool | list | dict


@dataclass(frozen=True)
class Intrinsics:
    """Values chosen for the template's intrinsics."""

    account_id: str = "123456789012"
    region: str = "us-east-1"
    stack_outputs: tuple[tuple[str, str, str], ...] = ()  # (stack name, output name, value)

    def stack_output(self, stack: str, output: str) -> str:
        for name, key, value in self.stack_outputs:
            if name == stack and key == output:
                return value
        raise KeyError(f"no value chosen for Fn::GetStackOutput {stack}.{output}")


class UnsupportedTemplate(ValueError):
    pass


def resolve(value: JsonValue, intrinsics: Intrinsics) -> JsonValue:
    """Resolve Ref (pseudo parameters), Fn::Join and Fn::GetStackOutput; refuse anything else."""
    if isinstance(value, list):
        return [resolve(item, intrinsics) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, argument),) = value.items()
        if key == "Ref":
            pseudo = {"AWS::AccountId": intrinsics.account_id, "AWS::Region": intrinsics.region}
            if argument not in pseudo:
                raise UnsupportedTemplate(f"Ref {argument!r} has no chosen value")
            return pseudo[argument]
        if key == "Fn::Join":
            separator, parts = resolve(argument, intrinsics)
            return str(separator).join(str(part) for part in parts)
        if key == "Fn::GetStackOutput":
            spec = resolve(argument, intrinsics)
            return intrinsics.stack_output(spec["StackName"], spec["OutputName"])
        if key.startswith("Fn::"):
            raise UnsupportedTemplate(f"intrinsic {key} is not supported here")
    return {key: resolve(item, intrinsics) for key, item in value.items()}


def s3_to_local(location: str) -> str:
    """s3://bucket/key -> local:///bucket/key (local.location is the root of all buckets)."""
    if not location.startswith("s3://"):
        raise UnsupportedTemplate(f"expected an s3:// location, got {location!r}")
    return "local:///" + location.removeprefix("s3://")


def _column(glue_column: dict[str, Any]) -> dict[str, Any]:
    # GlueConverter.fromGlueColumn: HiveType.valueOf(type.toLowerCase()), comment, parameters
    column: dict[str, Any] = {"name": glue_column["Name"], "type": glue_column["Type"].lower()}
    if glue_column.get("Comment") is not None:
        column["comment"] = glue_column["Comment"]
    column["properties"] = dict(glue_column.get("Parameters") or {})
    return column


_IGNORED_BY_TRINO = {"Compressed", "StoredAsSubDirectories"}  # GlueConverter ignores these too
_UNSUPPORTED_SD = {"NumberOfBuckets", "BucketColumns", "SortColumns", "SkewedInfo", "SchemaReference"}


def table_metadata(table_input: dict[str, Any], writer_version: str | None) -> dict[str, Any]:
    """TableMetadata JSON (FileHiveMetastore) for a resolved Glue TableInput."""
    sd: dict[str, Any] = table_input["StorageDescriptor"]
    used = [key for key in _UNSUPPORTED_SD if sd.get(key) not in (None, [], 0, -1)]
    if used:
        raise UnsupportedTemplate(f"StorageDescriptor fields not translated: {sorted(used)}")
    if "CSV" in sd["SerdeInfo"].get("SerializationLibrary", "").upper():
        raise UnsupportedTemplate("OpenCSVSerde tables: Trino's Glue path retypes data columns to string")

    parameters = dict(table_input.get("Parameters") or {})
    if "storage.location.template" in parameters:
        parameters["storage.location.template"] = s3_to_local(parameters["storage.location.template"])
    if table_input.get("Description") is not None:
        parameters["comment"] = table_input["Description"]  # "Glue description overrides the comment"

    metadata: dict[str, Any] = {}
    if writer_version is not None:
        metadata["writerVersion"] = writer_version
    if table_input.get("Owner"):
        metadata["owner"] = table_input["Owner"]
    metadata |= {
        "tableType": table_input.get("TableType") or "EXTERNAL_TABLE",  # Athena's default too
        "dataColumns": [_column(column) for column in sd["Columns"]],
        "partitionColumns": [_column(column) for column in table_input.get("PartitionKeys") or []],
        "parameters": parameters,
        # the literal class names, not an enum: no mapping table to keep in step with Glue
        "originalStorageFormat": {
            "serde": sd["SerdeInfo"]["SerializationLibrary"],
            "inputFormat": sd["InputFormat"],
            "outputFormat": sd["OutputFormat"],
        },
        "serdeParameters": dict(sd["SerdeInfo"].get("Parameters") or {}),
        "externalLocation": s3_to_local(sd["Location"]),
        "columnStatistics": {},
    }
    return metadata


def database_metadata(writer_version: str | None) -> dict[str, Any]:
    # GlueConverter.fromGlueDatabase: owner PUBLIC, type ROLE
    metadata: dict[str, Any] = {"ownerName": "PUBLIC", "ownerType": "ROLE", "parameters": {}}
    if writer_version is not None:
        metadata = {"writerVersion": writer_version, **metadata}
    return metadata


def register(
    resource: dict[str, Any], catalog_dir: Path, intrinsics: Intrinsics, writer_version: str | None
) -> tuple[str, str, dict[str, Any]]:
    """Write the schema and table files; return (database, table, resolved TableInput)."""
    if resource.get("Type") != "AWS::Glue::Table":
        raise UnsupportedTemplate(f"not an AWS::Glue::Table resource: {resource.get('Type')!r}")
    properties = resolve(resource["Properties"], intrinsics)
    database = properties["DatabaseName"].lower()  # Glue and the file metastore store lower case
    table_input = properties["TableInput"]
    table = table_input["Name"].lower()

    catalog_dir.mkdir(parents=True, exist_ok=True)
    schema_file = catalog_dir / f".{database}.trinoSchema"
    if not schema_file.exists():
        schema_file.write_text(json.dumps(database_metadata(writer_version), indent=2))
    table_dir = catalog_dir / database / table
    table_dir.mkdir(parents=True, exist_ok=True)
    (table_dir / ".trinoSchema").write_text(json.dumps(table_metadata(table_input, writer_version), indent=2))
    return database, table, table_input
