"""The one translation between the synthesized table and Trino's metastore, without a server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.trino.metastore import Intrinsics, UnsupportedTemplate, register, resolve, s3_to_local


def test_s3_locations_become_local_ones() -> None:
    assert s3_to_local("s3://logs-bucket/team/AWSLogs/") == "local:///logs-bucket/team/AWSLogs/"
    with pytest.raises(UnsupportedTemplate, match="expected an s3:// location"):
        s3_to_local("https://logs-bucket.s3.amazonaws.com/AWSLogs/")


def test_only_what_cloudformation_resolves_is_resolved() -> None:
    chosen = Intrinsics("111122223333", "eu-west-1", (("st", "Out", "the-bucket"),))
    value = {"Fn::Join": ["", ["s3://", {"Fn::GetStackOutput": {"StackName": "st", "OutputName": "Out",
                                                                 "Region": {"Ref": "AWS::Region"}}},
                               "/AWSLogs/", {"Ref": "AWS::AccountId"}]]}
    assert resolve(value, chosen) == "s3://the-bucket/AWSLogs/111122223333"
    with pytest.raises(UnsupportedTemplate, match="Ref 'Bucket' has no chosen value"):
        resolve({"Ref": "Bucket"}, chosen)
    with pytest.raises(UnsupportedTemplate, match="Fn::GetAtt is not supported"):
        resolve({"Fn::GetAtt": ["Bucket", "Arn"]}, chosen)


def test_table_is_stored_as_the_file_metastore_reads_it(tmp_path: Path) -> None:
    resource: dict[str, Any] = {"Type": "AWS::Glue::Table", "Properties": {
        "CatalogId": {"Ref": "AWS::AccountId"}, "DatabaseName": "flowlogs_case",
        "TableInput": {
            "Name": "flow_logs", "Description": "VPC flow logs", "TableType": "EXTERNAL_TABLE",
            "PartitionKeys": [{"Name": "dt", "Type": "string"}],
            "Parameters": {"projection.enabled": "true", "storage.location.template":
                           "s3://b/AWSLogs/${dt}/", "projection.dt.format": "yyyy/MM/dd"},
            "StorageDescriptor": {
                "Columns": [{"Name": "srcaddr", "Type": "string", "Comment": "Source"},
                            {"Name": "bytes", "Type": "bigint"}],
                "Location": "s3://b/AWSLogs/", "Compressed": True,
                "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                              "Parameters": {"field.delim": " ", "serialization.null.format": "-"}}}}}}
    assert register(resource, tmp_path, Intrinsics(), "483")[:2] == ("flowlogs_case", "flow_logs")
    database = json.loads((tmp_path / ".flowlogs_case.trinoSchema").read_text())
    assert database == {"writerVersion": "483", "ownerName": "PUBLIC", "ownerType": "ROLE", "parameters": {}}
    table = json.loads((tmp_path / "flowlogs_case" / "flow_logs" / ".trinoSchema").read_text())
    assert table["externalLocation"] == "local:///b/AWSLogs/"
    assert table["parameters"] == {"projection.enabled": "true", "projection.dt.format": "yyyy/MM/dd",
                                   "storage.location.template": "local:///b/AWSLogs/${dt}/",
                                   "comment": "VPC flow logs"}
    assert table["dataColumns"] == [
        {"name": "srcaddr", "type": "string", "comment": "Source", "properties": {}},
        {"name": "bytes", "type": "bigint", "properties": {}},
    ]
    assert table["serdeParameters"] == {"field.delim": " ", "serialization.null.format": "-"}
    assert table["originalStorageFormat"]["serde"].endswith("LazySimpleSerDe")
