"""The field catalogues against AWS's documentation: every field with its version, type and source.

Each row is spelled out by hand from the documentation named in SOURCES, in documentation order; the
type is the Parquet type AWS documents, or None where AWS documents none (the catalogue then says so
and reads the field as text).
"""

import pytest

from flowkit import catalogue as fields
from tests.documented import AWS_DEFAULT_FORMAT

SOURCES = {
    "vpc": "AWS VPC user guide, 'Flow log records', Available fields (reference file, section 1)",
    "vpc-new": "AWS VPC user guide, 'Flow log records' (field and version only; no Parquet type given); "
               "values: 'VPC Encryption Controls' page (encryption-status), AWS announcement of 2026-06-10 "
               "(tag and next-hop fields)",
    "tgw": "AWS Transit Gateway guide, 'Transit Gateway Flow Log records', Available fields "
           "(awsdocs/aws-transit-gateway-guide doc_source/tgw-flow-logs.md)",
}

I32, I64, S = "INT32", "INT64", "STRING"
VPC = [
    ("version", 2, I32, "vpc"), ("account-id", 2, S, "vpc"), ("interface-id", 2, S, "vpc"),
    ("srcaddr", 2, S, "vpc"), ("dstaddr", 2, S, "vpc"), ("srcport", 2, I32, "vpc"),
    ("dstport", 2, I32, "vpc"), ("protocol", 2, I32, "vpc"), ("packets", 2, I64, "vpc"),
    ("bytes", 2, I64, "vpc"), ("start", 2, I64, "vpc"), ("end", 2, I64, "vpc"), ("action", 2, S, "vpc"),
    ("log-status", 2, S, "vpc"), ("vpc-id", 3, S, "vpc"), ("subnet-id", 3, S, "vpc"),
    ("instance-id", 3, S, "vpc"), ("tcp-flags", 3, I32, "vpc"), ("type", 3, S, "vpc"),
    ("pkt-srcaddr", 3, S, "vpc"), ("pkt-dstaddr", 3, S, "vpc"), ("region", 4, S, "vpc"),
    ("az-id", 4, S, "vpc"), ("sublocation-type", 4, S, "vpc"), ("sublocation-id", 4, S, "vpc"),
    ("pkt-src-aws-service", 5, S, "vpc"), ("pkt-dst-aws-service", 5, S, "vpc"),
    ("flow-direction", 5, S, "vpc"), ("traffic-path", 5, I32, "vpc"), ("ecs-cluster-arn", 7, S, "vpc"),
    ("ecs-cluster-name", 7, S, "vpc"), ("ecs-container-instance-arn", 7, S, "vpc"),
    ("ecs-container-instance-id", 7, S, "vpc"), ("ecs-container-id", 7, S, "vpc"),
    ("ecs-second-container-id", 7, S, "vpc"), ("ecs-service-name", 7, S, "vpc"),
    ("ecs-task-definition-arn", 7, S, "vpc"), ("ecs-task-arn", 7, S, "vpc"), ("ecs-task-id", 7, S, "vpc"),
    ("reject-reason", 8, S, "vpc"), ("resource-id", 9, None, "vpc-new"),
    ("encryption-status", 10, None, "vpc-new"), ("instance-tag", 11, None, "vpc-new"),
    ("instance-tag-2", 11, None, "vpc-new"), ("interface-tag", 11, None, "vpc-new"),
    ("interface-tag-2", 11, None, "vpc-new"), ("asg-tag", 11, None, "vpc-new"),
    ("asg-tag-2", 11, None, "vpc-new"), ("interface-type", 11, None, "vpc-new"),
    ("next-hop-interface-id", 11, None, "vpc-new"), ("next-hop-subnet-id", 11, None, "vpc-new"),
    ("next-hop-az-id", 11, None, "vpc-new"), ("next-hop-vpc-id", 11, None, "vpc-new"),
    ("next-hop-interface-type", 11, None, "vpc-new"),
]
TRANSIT = [
    ("version", 2, I32, "tgw"), ("resource-type", 6, S, "tgw"), ("account-id", 2, S, "tgw"),
    ("tgw-id", 6, S, "tgw"), ("tgw-attachment-id", 6, S, "tgw"), ("tgw-src-vpc-account-id", 6, S, "tgw"),
    ("tgw-dst-vpc-account-id", 6, S, "tgw"), ("tgw-src-vpc-id", 6, S, "tgw"),
    ("tgw-dst-vpc-id", 6, S, "tgw"), ("tgw-src-subnet-id", 6, S, "tgw"), ("tgw-dst-subnet-id", 6, S, "tgw"),
    ("tgw-src-eni", 6, S, "tgw"), ("tgw-dst-eni", 6, S, "tgw"), ("tgw-src-az-id", 6, S, "tgw"),
    ("tgw-dst-az-id", 6, S, "tgw"), ("tgw-pair-attachment-id", 6, S, "tgw"), ("srcaddr", 2, S, "tgw"),
    ("dstaddr", 2, S, "tgw"), ("srcport", 2, I32, "tgw"), ("dstport", 2, I32, "tgw"),
    ("protocol", 2, I64, "tgw"), ("packets", 2, I64, "tgw"), ("bytes", 2, I64, "tgw"),
    ("start", 2, I64, "tgw"), ("end", 2, I64, "tgw"), ("log-status", 2, S, "tgw"), ("type", 3, S, "tgw"),
    ("packets-lost-no-route", 6, I64, "tgw"), ("packets-lost-blackhole", 6, I64, "tgw"),
    ("packets-lost-mtu-exceeded", 6, I64, "tgw"), ("packets-lost-ttl-expired", 6, I64, "tgw"),
    ("tcp-flags", 3, I32, "tgw"), ("region", 4, S, "tgw"), ("flow-direction", 5, S, "tgw"),
    ("pkt-src-aws-service", 5, S, "tgw"), ("pkt-dst-aws-service", 5, S, "tgw"),
]
ATHENA = {I32: "int", I64: "bigint", S: "string"}


@pytest.mark.parametrize(("catalogue", "documented"), [(fields.VPC, VPC), (fields.TRANSIT, TRANSIT)],
                         ids=["vpc", "transit-gateway"])
def test_every_field_with_its_version_type_and_source(
    catalogue: fields.Catalogue, documented: list[tuple[str, int, str | None, str]],
) -> None:
    assert [f.name for f in catalogue.fields] == [name for name, *_ in documented]
    for field, (name, version, parquet, source) in zip(catalogue.fields, documented, strict=True):
        assert source in SOURCES
        assert field.version == version, name
        assert field.type_documented == (parquet is not None), name
        # undocumented types are read as text, and the description says so
        assert field.parquet_type == (parquet or S), name
        assert field.athena_type == ATHENA[parquet or S], name
        assert ("AWS documents no type" in field.description) == (parquet is None), name
        assert field.description.strip(), name


def test_first_fourteen_are_the_aws_default_format() -> None:
    assert [f.name for f in fields.CATALOGUE[:14]] == list(AWS_DEFAULT_FORMAT)


def test_columns_are_names_with_underscores() -> None:
    assert fields.BY_NAME["log-status"].column == "log_status"
    assert fields.BY_NAME["next-hop-az-id"].column == "next_hop_az_id"
    assert fields.TRANSIT.by_name["packets-lost-no-route"].column == "packets_lost_no_route"


def test_presets() -> None:
    by_version = {v: [n for n, version, *_ in VPC if version == v] for v in range(2, 12)}
    assert [f.name for f in fields.resolve("aws-default")] == list(AWS_DEFAULT_FORMAT)
    assert [f.name for f in fields.resolve("v5")] == [n for v in (2, 3, 4, 5) for n in by_version[v]]
    assert [f.name for f in fields.resolve("all")] == [n for n, *_ in VPC]
    assert len(fields.resolve("all")) == 54
    assert [f.name for f in fields.TRANSIT.resolve("all")] == [n for n, *_ in TRANSIT]


@pytest.mark.parametrize(("names", "version"), [
    (["start", "log-status"], 2), (["start", "log-status", "reject-reason"], 8),
    (["start", "log-status", "resource-id"], 9), (["start", "log-status", "encryption-status"], 10),
    (["start", "log-status", "next-hop-az-id", "vpc-id"], 11),
])
def test_record_version_is_the_newest_field_chosen(names: list[str], version: int) -> None:
    assert fields.record_version(fields.resolve(names)) == version


def test_transit_gateway_records_are_version_6() -> None:
    assert fields.record_version(fields.TRANSIT.fields) == 6


def test_tag_fields_name_their_resource_type_and_key() -> None:
    assert fields.TAG_FIELDS == {
        "instance-tag": ("instance", 1), "instance-tag-2": ("instance", 2),
        "interface-tag": ("network-interface", 1), "interface-tag-2": ("network-interface", 2),
        "asg-tag": ("auto-scaling-group", 1), "asg-tag-2": ("auto-scaling-group", 2),
    }
    assert set(fields.TAG_FIELDS) <= set(fields.BY_NAME)


def test_explicit_list_keeps_its_order() -> None:
    chosen = ["start", "srcaddr", "log-status", "bytes"]
    assert [f.name for f in fields.resolve(chosen)] == chosen
    assert [f.name for f in fields.resolve("start, srcaddr,log-status")] == ["start", "srcaddr", "log-status"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (["start", "log-status", "nope"], "unknown field(s) nope"),
        (["start", "log-status", "log_status"], "log_status (did you mean log-status?)"),
        (["start", "log-status", "start"], "duplicate field(s) start"),
        (["srcaddr", "log-status"], "missing required field(s) start"),
        ([], "empty"),
        ("v9", "neither a preset"),
        (["start", "log-status", "tgw-id"], "unknown field(s) tgw-id"),
    ],
)
def test_bad_specs(spec: list[str] | str, message: str) -> None:
    with pytest.raises(fields.FieldSpecError) as err:
        fields.resolve(spec)
    assert message in str(err.value)


def test_log_format_round_trip() -> None:
    text = fields.log_format(fields.resolve("aws-default"))
    assert text == "${" + "} ${".join(AWS_DEFAULT_FORMAT) + "}"
    assert fields.parse_log_format(text) == fields.resolve("aws-default")
    tgw = fields.log_format(fields.TRANSIT.fields)
    assert fields.TRANSIT.parse_log_format(tgw) == fields.TRANSIT.fields
