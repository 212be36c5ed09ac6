"""The field catalogue against the VPC user guide's field tables (reference file, section 1)."""

import pytest

from flowkit import catalogue as fields
from tests.documented import AWS_DEFAULT_FORMAT

# Spelled out from the reference file, in documentation order.
V2 = list(AWS_DEFAULT_FORMAT)
V3 = ["vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr"]
V4 = ["region", "az-id", "sublocation-type", "sublocation-id"]
V5 = ["pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path"]
V7 = [
    "ecs-cluster-arn",
    "ecs-cluster-name",
    "ecs-container-instance-arn",
    "ecs-container-instance-id",
    "ecs-container-id",
    "ecs-second-container-id",
    "ecs-service-name",
    "ecs-task-definition-arn",
    "ecs-task-arn",
    "ecs-task-id",
]
V8 = ["reject-reason"]
INT32 = {"version", "srcport", "dstport", "protocol", "tcp-flags", "traffic-path"}
INT64 = {"packets", "bytes", "start", "end"}


def test_catalogue_is_every_field_in_documentation_order() -> None:
    assert [f.name for f in fields.CATALOGUE] == V2 + V3 + V4 + V5 + V7 + V8


@pytest.mark.parametrize(("version", "names"), [(2, V2), (3, V3), (4, V4), (5, V5), (7, V7), (8, V8)])
def test_versions(version: int, names: list[str]) -> None:
    assert [f.name for f in fields.CATALOGUE if f.version == version] == names


def test_types_follow_the_parquet_table() -> None:
    for f in fields.CATALOGUE:
        expected = "INT32" if f.name in INT32 else "INT64" if f.name in INT64 else "STRING"
        assert f.parquet_type == expected, f.name
    athena = {f.column: f.athena_type for f in fields.CATALOGUE}
    assert athena["bytes"] == athena["packets"] == athena["start"] == athena["end"] == "bigint"
    assert athena["srcport"] == "int" and athena["srcaddr"] == "string"


def test_columns_are_names_with_underscores() -> None:
    assert fields.BY_NAME["log-status"].column == "log_status"
    assert fields.BY_NAME["pkt-src-aws-service"].column == "pkt_src_aws_service"
    assert all(f.description.strip() for f in fields.CATALOGUE)


def test_presets() -> None:
    assert [f.name for f in fields.resolve("aws-default")] == V2
    assert [f.name for f in fields.resolve("v5")] == V2 + V3 + V4 + V5
    assert len(fields.resolve("v5")) == 29
    assert len(fields.resolve("all")) == 40


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
    ],
)
def test_bad_specs(spec: list[str] | str, message: str) -> None:
    with pytest.raises(fields.FieldSpecError, match=None) as err:
        fields.resolve(spec)
    assert message in str(err.value)


def test_log_format_round_trip() -> None:
    text = fields.log_format(fields.resolve("aws-default"))
    assert text == "${" + "} ${".join(V2) + "}"
    assert fields.parse_log_format(text) == fields.resolve("aws-default")
