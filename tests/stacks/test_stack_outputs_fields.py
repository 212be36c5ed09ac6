"""The analytics stack's TableColumns output: the table's flow log fields, for `flowlogs query --athena`."""

from __future__ import annotations

import re
from typing import Any

# AWS's documented default flow log format (log_fields "aws-default" in the eni_reject config).
AWS_DEFAULT_FORMAT = ("version,account-id,interface-id,srcaddr,dstaddr,srcport,dstport,protocol,packets,"
                      "bytes,start,end,action,log-status")


def table_columns(synth: Any) -> Any:
    return synth.templates["analytics"]["Outputs"]["TableColumns"]["Value"]


def test_table_columns_output_lists_the_default_format(eni_reject_synth: Any) -> None:
    assert table_columns(eni_reject_synth) == AWS_DEFAULT_FORMAT


def vpc_table(synth: Any) -> Any:
    """The VPC flow logs' table (the transit gateway one, where there is one, has outputs of its own)."""
    (table,) = [t for t in synth.resources("analytics", "AWS::Glue::Table").values()
                if t["Properties"]["TableInput"]["Name"] == synth.settings.table_name]
    return table


def test_table_columns_output_follows_the_glue_table_columns(any_synth: Any) -> None:
    table = vpc_table(any_synth)
    glue_columns = [c["Name"] for c in table["Properties"]["TableInput"]["StorageDescriptor"]["Columns"]]
    value = table_columns(any_synth)
    assert isinstance(value, str)  # a literal, not a CloudFormation function
    assert [name.replace("-", "_") for name in value.split(",")] == glue_columns


def test_table_columns_output_follows_the_flow_logs_log_format(any_synth: Any) -> None:
    """Text tables are positional: the table's columns are in the order the flow logs write the fields."""
    formats = {r["Properties"]["LogFormat"]
               for r in any_synth.resources("capture", "AWS::EC2::FlowLog").values()
               if not r["Properties"]["ResourceType"].startswith("TransitGateway")}
    (log_format,) = formats
    assert table_columns(any_synth).split(",") == re.findall(r"\$\{([a-z0-9-]+)\}", log_format)
