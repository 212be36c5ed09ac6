"""Transit gateway flow logs next to VPC ones (the "transit" configuration), and tag keys on VPC flow logs.

Expected values are spelled from the transit gateway guide (resource types, 60 s, no traffic type, its
default format) and the CloudFormation reference of AWS::EC2::FlowLog (TagFieldSpecifications).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.documented import TRANSIT_GATEWAY_FORMAT

pytestmark = pytest.mark.slow

TRANSIT_LOG_FORMAT = " ".join("${" + name + "}" for name in TRANSIT_GATEWAY_FORMAT)
OTHER = "flowlogs-hub-capture-444455556666-eu-west-1-4"  # the attachment of the second account's target


@pytest.fixture(scope="module")
def transit(synth_config: Any) -> Any:
    return synth_config("transit")


def _flow_logs(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["Properties"]["ResourceId"]: r["Properties"] for r in template["Resources"].values()
            if r["Type"] == "AWS::EC2::FlowLog"}


def _destination_suffix(destination: dict[str, Any]) -> str:
    """The literal after the bucket ARN in a ``Fn::Join`` LogDestination."""
    sep, parts = destination["Fn::Join"]
    assert sep == "" and isinstance(parts[-1], str)
    return str(parts[-1])


def test_transit_gateway_and_attachment_flow_logs(transit: Any) -> None:
    logs = _flow_logs(transit.templates["capture"])
    logs.update(_flow_logs(transit.stacks[OTHER]))
    expected = {"tgw-0123456789abcdef0": "TransitGateway",
                "tgw-attach-0123456789abcdef0": "TransitGatewayAttachment",
                "tgw-attach-0fedcba9876543210": "TransitGatewayAttachment"}
    for resource_id, resource_type in expected.items():
        props = logs[resource_id]
        assert props["ResourceType"] == resource_type
        assert props["MaxAggregationInterval"] == 60
        assert "TrafficType" not in props
        assert "TagFieldSpecifications" not in props
        assert props["LogFormat"] == TRANSIT_LOG_FORMAT
        assert props["LogDestinationType"] == "s3"
        assert _destination_suffix(props["LogDestination"]) == "/hub/flows/transit-gateway"
        assert props["DestinationOptions"] == {"FileFormat": "plain-text", "HiveCompatiblePartitions": False,
                                               "PerHourPartition": True}


def test_vpc_flow_log_keeps_its_format_prefix_and_gets_the_tag_keys(transit: Any) -> None:
    props = _flow_logs(transit.templates["capture"])["vpc-0a1b2c3d4e5f67890"]
    assert props["ResourceType"] == "VPC" and props["TrafficType"] == "ALL"
    assert _destination_suffix(props["LogDestination"]) == "/hub/flows"
    assert len(props["LogFormat"].split()) == 54
    # one entry per resource type, each with the keys in the order given (they fill -tag and -tag-2)
    assert sorted(props["TagFieldSpecifications"], key=lambda s: s["ResourceType"]) == [
        {"ResourceType": "auto-scaling-group", "TagKeys": ["aws:autoscaling:groupName"]},
        {"ResourceType": "instance", "TagKeys": ["Name", "Owner"]},
        {"ResourceType": "network-interface", "TagKeys": ["Name"]},
    ]


def test_no_tag_keys_without_tag_fields(default_synth: Any) -> None:
    for props in _flow_logs(default_synth.templates["capture"]).values():
        assert "TagFieldSpecifications" not in props


def test_delivery_policy_and_expiry_cover_the_transit_folder(transit: Any, default_synth: Any) -> None:
    def storage(synth: Any) -> tuple[list[str], dict[str, str]]:
        policy = synth.one("storage", "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]
        (write,) = [s for s in policy["Statement"] if s.get("Sid") == "AWSLogDeliveryWrite"]
        resources = write["Resource"] if isinstance(write["Resource"], list) else [write["Resource"]]
        rules = synth.one("storage", "AWS::S3::Bucket")["Properties"]["LifecycleConfiguration"]["Rules"]
        return [_destination_suffix(r) for r in resources], {r["Id"]: r["Prefix"] for r in rules}

    written, expiry = storage(transit)
    assert written == ["/hub/flows/AWSLogs/*/*", "/hub/flows/transit-gateway/AWSLogs/*/*"]
    assert expiry["expire-flow-logs"] == "hub/flows/AWSLogs/"
    assert expiry["expire-transit-gateway-flow-logs"] == "hub/flows/transit-gateway/AWSLogs/"
    written, expiry = storage(default_synth)  # no transit gateway: one folder, as before
    assert len(written) == 1 and "expire-transit-gateway-flow-logs" not in expiry


def _tables(synth: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    return {r["Properties"]["TableInput"]["Name"]: (logical, r["Properties"]["TableInput"])
            for logical, r in synth.resources("analytics", "AWS::Glue::Table").items()}


def test_second_table_and_its_outputs(transit: Any) -> None:
    tables = _tables(transit)
    assert sorted(tables) == ["flow_logs", "flow_logs_tgw"]
    _, table = tables["flow_logs_tgw"]
    assert [c["Name"] for c in table["StorageDescriptor"]["Columns"]] == [
        name.replace("-", "_") for name in TRANSIT_GATEWAY_FORMAT]
    assert [c["Type"] for c in table["StorageDescriptor"]["Columns"]][20] == "bigint"  # protocol is INT64
    params = table["Parameters"]
    assert params["projection.aws_account.values"] == "111122223333,444455556666"
    assert params["projection.aws_region.values"] == "eu-west-1"
    assert params["projection.dt.range"] == tables["flow_logs"][1]["Parameters"]["projection.dt.range"]
    outputs = transit.templates["analytics"]["Outputs"]
    assert outputs["TransitGatewayTableName"]["Value"] == "flow_logs_tgw"
    assert outputs["TransitGatewayTableColumns"]["Value"] == ",".join(TRANSIT_GATEWAY_FORMAT)


def test_transit_queries_read_the_transit_table_in_the_same_workgroup(transit: Any) -> None:
    tables = _tables(transit)
    vpc_table, tgw_table = tables["flow_logs"][0], tables["flow_logs_tgw"][0]
    named = {str(q["Properties"]["Name"]).removeprefix("hub-"): q
             for q in transit.resources("analytics", "AWS::Athena::NamedQuery").values()}
    tgw = {name for name in named if name.startswith("tgw-")}
    assert tgw == {"tgw-vpc-to-vpc", "tgw-top-attachments", "tgw-packets-lost", "tgw-bytes-per-hour",
                   "tgw-flows-to-destination"}
    # every field is logged: the queries of the fields of versions 8 to 11 are deployed too
    assert {"rejected-by-reason", "unencrypted-traffic", "cross-az-traffic", "bytes-by-instance-tag",
            "bytes-by-interface-tag", "bytes-by-asg-tag"} <= set(named)
    (workgroup,) = transit.resources("analytics", "AWS::Athena::WorkGroup")
    for name, query in named.items():
        props = query["Properties"]
        table, other = ("flow_logs_tgw", "flow_logs") if name in tgw else ("flow_logs", "flow_logs_tgw")
        assert f'"{table}"' in props["QueryString"] and f'"{other}"' not in props["QueryString"], name
        assert props["Database"] == "flowlogs_hub"
        assert (tgw_table if name in tgw else vpc_table) in query["DependsOn"], name
        assert workgroup in query["DependsOn"], name


def test_default_investigation_has_one_table(default_synth: Any) -> None:
    assert sorted(_tables(default_synth)) == ["flow_logs"]
    assert "TransitGatewayTableName" not in default_synth.templates["analytics"]["Outputs"]
