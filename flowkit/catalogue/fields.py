"""The one catalogue of VPC flow log record fields (versions 2 to 8).

The flow log's LogFormat, the Glue table's columns and the fields offered to the SQL templates all
come from here, so they cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flowkit.errors import KitError


@dataclass(frozen=True)
class FieldType:
    """One value type under each of its names: the only map between them."""

    parquet: str  # physical type AWS writes in Parquet files
    athena: str  # Glue/Hive DDL type of the table column
    sql: str  # Trino (Athena engine v3) type of a query expression
    duckdb: str  # type of the local engine's column


INT32 = FieldType("INT32", "int", "integer", "INTEGER")
INT64 = FieldType("INT64", "bigint", "bigint", "BIGINT")
STRING = FieldType("STRING", "string", "varchar", "VARCHAR")
TYPES: dict[str, FieldType] = {t.parquet: t for t in (INT32, INT64, STRING)}


@dataclass(frozen=True)
class Field:
    """One flow log record field."""

    name: str  # hyphenated AWS name, as in the log format: ``log-status``
    version: int
    type: FieldType
    description: str

    @property
    def column(self) -> str:
        """Athena/Glue/DuckDB column name: hyphens become underscores."""
        return self.name.replace("-", "_")

    @property
    def parquet_type(self) -> str:
        return self.type.parquet

    @property
    def athena_type(self) -> str:
        return self.type.athena

    @property
    def sql_type(self) -> str:
        return self.type.sql

    @property
    def duckdb_type(self) -> str:
        return self.type.duckdb

    @property
    def is_numeric(self) -> bool:
        return self.type is not STRING


def _f(name: str, version: int, parquet_type: str, description: str) -> Field:
    return Field(name, version, TYPES[parquet_type], description)


# In AWS documentation order; the first 14 are the AWS default format, in that exact order.
CATALOGUE: tuple[Field, ...] = (
    _f("version", 2, "INT32", "Flow log version (2 for the default format, higher with newer fields)."),
    _f("account-id", 2, "STRING", "AWS account that owns the network interface."),
    _f("interface-id", 2, "STRING", "Network interface (eni-...) the traffic was recorded on."),
    _f("srcaddr", 2, "STRING", "Source address of incoming or outgoing traffic (IPv4 or IPv6)."),
    _f("dstaddr", 2, "STRING", "Destination address of incoming or outgoing traffic (IPv4 or IPv6)."),
    _f("srcport", 2, "INT32", "Source port."),
    _f("dstport", 2, "INT32", "Destination port."),
    _f("protocol", 2, "INT32", "IANA protocol number (1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6)."),
    _f("packets", 2, "INT64", "Packets transferred during the flow."),
    _f("bytes", 2, "INT64", "Bytes transferred during the flow."),
    _f("start", 2, "INT64", "Time of the first packet of the interval, Unix seconds (UTC)."),
    _f("end", 2, "INT64", "Time of the last packet of the interval, Unix seconds (UTC)."),
    _f("action", 2, "STRING", "ACCEPT or REJECT, as decided by security groups and network ACLs."),
    _f("log-status", 2, "STRING", "OK, NODATA (no traffic) or SKIPDATA (records skipped)."),
    _f("vpc-id", 3, "STRING", "VPC of the network interface."),
    _f("subnet-id", 3, "STRING", "Subnet of the network interface."),
    _f("instance-id", 3, "STRING", "EC2 instance of the network interface, if any."),
    _f("tcp-flags", 3, "INT32", "OR of TCP flags seen in the interval (FIN 1, SYN 2, RST 4, SYN-ACK 18)."),
    _f("type", 3, "STRING", "Traffic type: IPv4, IPv6 or EFA."),
    _f("pkt-srcaddr", 3, "STRING", "Packet-level source address (differs from srcaddr behind NAT or LB)."),
    _f("pkt-dstaddr", 3, "STRING", "Packet-level destination address."),
    _f("region", 4, "STRING", "Region of the network interface."),
    _f("az-id", 4, "STRING", "Availability Zone ID of the network interface."),
    _f("sublocation-type", 4, "STRING", "wavelength, outpost or localzone, when applicable."),
    _f("sublocation-id", 4, "STRING", "ID of the sublocation, when applicable."),
    _f("pkt-src-aws-service", 5, "STRING", "AWS service owning pkt-srcaddr, if any."),
    _f("pkt-dst-aws-service", 5, "STRING", "AWS service owning pkt-dstaddr, if any."),
    _f("flow-direction", 5, "STRING", "ingress or egress, relative to the interface."),
    _f("traffic-path", 5, "INT32",
       "Egress path: 1 same VPC, 2 IGW or gateway endpoint, 3 VGW, 4-5 peering, 6 LGW, 7-8 Nitro."),
    _f("ecs-cluster-arn", 7, "STRING", "ECS cluster ARN of the task, if any."),
    _f("ecs-cluster-name", 7, "STRING", "ECS cluster name of the task, if any."),
    _f("ecs-container-instance-arn", 7, "STRING", "ECS container instance ARN (EC2 launch type)."),
    _f("ecs-container-instance-id", 7, "STRING", "ECS container instance ID (EC2 launch type)."),
    _f("ecs-container-id", 7, "STRING", "Docker ID of the first container of the task."),
    _f("ecs-second-container-id", 7, "STRING", "Docker ID of the second container of the task."),
    _f("ecs-service-name", 7, "STRING", "ECS service of the task, if any."),
    _f("ecs-task-definition-arn", 7, "STRING", "ECS task definition ARN."),
    _f("ecs-task-arn", 7, "STRING", "ECS task ARN."),
    _f("ecs-task-id", 7, "STRING", "ECS task ID."),
    _f("reject-reason", 8, "STRING", "Why traffic was rejected (for example BPA), if it was."),
)

BY_NAME: dict[str, Field] = {f.name: f for f in CATALOGUE}
BY_COLUMN: dict[str, Field] = {f.column: f for f in CATALOGUE}

PRESETS: dict[str, tuple[Field, ...]] = {
    "aws-default": CATALOGUE[:14],
    "v5": tuple(f for f in CATALOGUE if f.version <= 5),
    "all": CATALOGUE,
}
DEFAULT_PRESET = "v5"

# Fields the kit itself relies on: every saved query filters on ``start`` (time window) and
# counts only ``log-status = 'OK'`` records.
REQUIRED_FIELDS: tuple[str, ...] = ("start", "log-status")


class FieldSpecError(KitError):
    """A log_fields value that cannot be used; the message names the bad part."""


def resolve(spec: str | Sequence[str]) -> tuple[Field, ...]:
    """Turn a preset name or an explicit list of hyphenated names into fields, in that order."""
    if isinstance(spec, str):
        if spec in PRESETS:
            return PRESETS[spec]
        names: Sequence[str] = [part.strip() for part in spec.split(",") if part.strip()]
        if len(names) == 1 and names[0] not in BY_NAME:
            raise FieldSpecError(
                f"'{spec}' is neither a preset ({', '.join(PRESETS)}) nor a known field name"
            )
    else:
        names = list(spec)
    if not names:
        raise FieldSpecError("the field list is empty")
    problems: list[str] = []
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        hint = [f"{n} (did you mean {n.replace('_', '-')}?)" if n.replace("_", "-") in BY_NAME else n
                for n in unknown]
        problems.append("unknown field(s) " + ", ".join(hint))
    dupes = sorted(n for n, count in Counter(names).items() if count > 1)
    if dupes:
        problems.append("duplicate field(s) " + ", ".join(dupes))
    missing = [n for n in REQUIRED_FIELDS if n not in names]
    if missing and not unknown:
        problems.append("missing required field(s) " + ", ".join(missing)
                        + " (the time window and status filters of every query need them)")
    if problems:
        raise FieldSpecError("; ".join(problems))
    return tuple(BY_NAME[n] for n in names)


def log_format(fields: Iterable[Field]) -> str:
    """The flow log's LogFormat string: ``${version} ${account-id} ...``."""
    return " ".join("${" + f.name + "}" for f in fields)


def parse_log_format(text: str) -> tuple[Field, ...]:
    """Inverse of :func:`log_format` (used by tests and by readers of deployed formats)."""
    names = [token[2:-1] for token in text.split()]
    return tuple(BY_NAME[n] for n in names)
