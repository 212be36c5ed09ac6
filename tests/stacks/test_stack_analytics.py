"""Analytics stack: Glue database/table over the flow logs, Athena workgroup and saved queries."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"

# Athena types per field, from the reference's Parquet types (INT32 -> int, INT64 -> bigint).
INT_FIELDS = {"version", "srcport", "dstport", "protocol", "tcp_flags", "traffic_path"}
BIGINT_FIELDS = {"packets", "bytes", "start", "end"}

# Per conftest config, spelled by hand from its inputs: investigation, database, table, workgroup, and the
# projected dt range (log_retention_days 30 / 90 / 30, plus the one day of partition slack).
EXPECTED = {
    "default": ("demo", "flowlogs_demo", "flow_logs", "flowlogs-demo", "NOW-31DAYS,NOW"),
    "text_kms": ("case-42", "flowlogs_case_42", "flow_logs", "flowlogs-case-42", "NOW-91DAYS,NOW"),
    "eni_reject": ("rejects", "netsec", "rejects", "netsec-rejects", "NOW-31DAYS,NOW"),
}
CONFIG_NAMES = sorted(EXPECTED)


def _table(synth: Any) -> dict[str, Any]:
    return dict(synth.one("analytics", "AWS::Glue::Table")["Properties"])


def _log_format_columns(synth: Any) -> list[str]:
    """Column names in the order of the synthesized LogFormat (``${a-b} ...`` -> ``a_b``)."""
    formats = {r["Properties"]["LogFormat"] for r in synth.resources("capture", "AWS::EC2::FlowLog").values()}
    (log_format,) = formats
    return [m.replace("-", "_") for m in re.findall(r"\$\{([a-z0-9-]+)\}", log_format)]


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_database_and_table_names(synth_config: Any, config: str) -> None:
    synth = synth_config(config)
    _, database, table, _, _ = EXPECTED[config]
    db = synth.one("analytics", "AWS::Glue::Database")["Properties"]
    assert db["DatabaseInput"]["Name"] == database
    props = _table(synth)
    assert props["DatabaseName"] == database
    assert props["TableInput"]["Name"] == table
    assert props["TableInput"]["TableType"] == "EXTERNAL_TABLE"
    assert props["TableInput"]["PartitionKeys"] == [
        {"Name": "aws_account", "Type": "string"}, {"Name": "aws_region", "Type": "string"},
        {"Name": "dt", "Type": "string"},
    ]
    template = synth.template("analytics")
    template.has_output("DatabaseName", {"Value": database})
    template.has_output("TableName", {"Value": table})


def test_no_crawler_lambda_or_custom_resource(any_synth: Any) -> None:
    types = {r["Type"] for r in any_synth.templates["analytics"]["Resources"].values()}
    assert types <= {"AWS::Glue::Database", "AWS::Glue::Table", "AWS::Athena::WorkGroup",
                     "AWS::Athena::NamedQuery", "AWS::CDK::Metadata"}


def test_text_table_is_positional_in_log_format_order(text_kms_synth: Any) -> None:
    table = _table(text_kms_synth)["TableInput"]
    descriptor = table["StorageDescriptor"]
    assert [c["Name"] for c in descriptor["Columns"]] == _log_format_columns(text_kms_synth)
    serde = descriptor["SerdeInfo"]["SerializationLibrary"]
    assert serde == "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
    assert descriptor["SerdeInfo"]["Parameters"] == {
        "field.delim": " ", "serialization.format": " ", "serialization.null.format": "-"}
    assert descriptor["InputFormat"] == "org.apache.hadoop.mapred.TextInputFormat"
    assert descriptor["OutputFormat"] == "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
    assert table["Parameters"]["skip.header.line.count"] == "1"
    assert "skip.header.line.count" not in descriptor["SerdeInfo"]["Parameters"]


@pytest.mark.parametrize("config", ["default", "eni_reject"])
def test_parquet_table_matches_by_name(synth_config: Any, config: str) -> None:
    synth = synth_config(config)
    table = _table(synth)["TableInput"]
    descriptor = table["StorageDescriptor"]
    assert [c["Name"] for c in descriptor["Columns"]] == _log_format_columns(synth)
    assert descriptor["SerdeInfo"]["SerializationLibrary"] == (
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")
    assert descriptor["InputFormat"] == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    assert descriptor["OutputFormat"] == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
    assert "skip.header.line.count" not in table["Parameters"]
    assert table["Parameters"]["classification"] == "parquet"


def test_column_types(any_synth: Any) -> None:
    columns = _table(any_synth)["TableInput"]["StorageDescriptor"]["Columns"]
    assert "end" in {c["Name"] for c in columns}
    for column in columns:
        expected = ("bigint" if column["Name"] in BIGINT_FIELDS
                    else "int" if column["Name"] in INT_FIELDS else "string")
        assert column["Type"] == expected, column["Name"]


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_projection_is_in_table_parameters(synth_config: Any, config: str) -> None:
    table = _table(synth_config(config))["TableInput"]
    params = table["Parameters"]
    assert params["projection.enabled"] == "true"
    assert params["projection.aws_account.values"] == {"Ref": "AWS::AccountId"}
    assert params["projection.aws_region.values"] == {"Ref": "AWS::Region"}
    assert params["projection.dt.range"] == EXPECTED[config][4]
    assert "storage.location.template" in params
    assert not any(k.startswith("projection.") for k in table["StorageDescriptor"].get("Parameters", {}))


@pytest.mark.parametrize(
    ("config", "cutoff"),
    # query_limit_gb * 1024**3, computed by hand: 10 GiB, 2.5 GiB, 0.01 GiB (above Athena's 10 MiB minimum)
    [("default", 10_737_418_240), ("text_kms", 2_684_354_560), ("eni_reject", 10_737_418)],
)
def test_workgroup(synth_config: Any, config: str, cutoff: int) -> None:
    synth = synth_config(config)
    workgroup = EXPECTED[config][3]
    props = synth.one("analytics", "AWS::Athena::WorkGroup")["Properties"]
    assert props["Name"] == workgroup
    conf = props["WorkGroupConfiguration"]
    assert conf["EngineVersion"] == {"SelectedEngineVersion": "Athena engine version 3"}
    assert conf["EnforceWorkGroupConfiguration"] is True
    assert conf["PublishCloudWatchMetricsEnabled"] is True
    assert conf["BytesScannedCutoffPerQuery"] == cutoff
    assert cutoff >= 10 * 1024 * 1024
    location = conf["ResultConfiguration"]["OutputLocation"]
    sep, parts = location["Fn::Join"]
    assert parts[0] == "s3://" and parts[-1] == "/athena-results/"
    encryption = conf["ResultConfiguration"]["EncryptionConfiguration"]
    if config == "text_kms":
        assert encryption["EncryptionOption"] == "SSE_KMS"
        assert "KmsKey" in encryption
    else:
        assert encryption == {"EncryptionOption": "SSE_S3"}
    assert synth.templates["analytics"]["Outputs"]["ResultsLocation"]["Value"] == location
    assert synth.templates["analytics"]["Outputs"]["WorkGroupName"]["Value"] == workgroup


def _named_queries(synth: Any) -> dict[str, dict[str, Any]]:
    return synth.resources("analytics", "AWS::Athena::NamedQuery")


def test_every_template_is_saved_when_all_fields_are_logged(text_kms_synth: Any) -> None:
    expected = {f"case-42-{path.stem}" for path in SQL_DIR.glob("*.sql")}
    names = [q["Properties"]["Name"] for q in _named_queries(text_kms_synth).values()]
    assert len(names) == len(set(names))
    assert set(names) == expected


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_named_queries_target_the_kit_workgroup_and_table(synth_config: Any, config: str) -> None:
    synth = synth_config(config)
    investigation, database, table, workgroup, _ = EXPECTED[config]
    resources = synth.templates["analytics"]["Resources"]
    (workgroup_id,) = synth.resources("analytics", "AWS::Athena::WorkGroup")
    (table_id,) = synth.resources("analytics", "AWS::Glue::Table")
    queries = _named_queries(synth)
    assert queries
    for logical_id, query in queries.items():
        props = query["Properties"]
        assert props["Name"].startswith(investigation + "-") and len(props["Name"]) <= 128
        assert props["Description"].strip()
        assert props["Database"] == database
        assert props["WorkGroup"] == workgroup
        assert set(resources[logical_id]["DependsOn"]) >= {workgroup_id, table_id}
        sql = props["QueryString"]
        assert f'"{database}"."{table}"' in sql
        assert "dt >=" in sql  # every saved query prunes partitions


def test_queries_needing_absent_fields_are_not_saved(eni_reject_synth: Any) -> None:
    queries = _named_queries(eni_reject_synth)
    assert 0 < len(queries) < len(list(SQL_DIR.glob("*.sql")))
    for query in queries.values():
        for v3_column in ("pkt_srcaddr", "vpc_id", "subnet_id", "instance_id", "tcp_flags"):
            assert v3_column not in query["Properties"]["QueryString"]
