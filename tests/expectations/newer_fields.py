"""The values of the fields of versions 7 to 11 in the hand-designed records (fixture_records.py).

Pure data and rules on a record's version 2 to 5 fields, no flowkit. Tag values are written as AWS
writes them (percent-encoded); ``None`` is what AWS writes as ``-``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# After the version 5 fields, in AWS documentation order (VPC user guide, "Available fields").
ECS_FIELDS: tuple[str, ...] = (
    "ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id",
    "ecs-container-id", "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn",
    "ecs-task-arn", "ecs-task-id",
)
NEWER_FIELDS: tuple[str, ...] = (
    "reject-reason", "resource-id", "encryption-status", "instance-tag", "instance-tag-2", "interface-tag",
    "interface-tag-2", "asg-tag", "asg-tag-2", "interface-type", "next-hop-interface-id",
    "next-hop-subnet-id", "next-hop-az-id", "next-hop-vpc-id", "next-hop-interface-type",
)

# Tag values by instance (instance-tag, instance-tag-2, asg-tag, asg-tag-2) and by interface.
INSTANCE_TAGS: dict[str, tuple[str | None, str | None, str | None, str | None]] = {
    "i-0web00000000000a1": ("web", "team%3Dblue", "web-asg", None),
    "i-0db000000000000a2": ("db", None, None, None),
    "i-0bastion00000a6": ("bastion%20host", "team%3Dops", None, None),
    "i-0b1000000000000b1": ("web", "team%3Dred", "web-asg", "prod"),
}
INTERFACE_TAGS: dict[str, tuple[str | None, str | None, str | None]] = {  # tag, tag 2, interface type
    "eni-0web00000000000a1": ("web-eni", None, None),
    "eni-0nat00000000000a3": ("nat", "egress", "nat_gateway"),
    "eni-0lb000000000000a4": ("front%20door", None, "network_load_balancer"),
}
# Ports whose flows VPC Encryption Controls reports: 0 not encrypted, 1 Nitro, 2 application (TLS), 3 both.
ENCRYPTION_BY_PORT = {5432: "1", 6379: "0", 5985: "0", 1433: "0", 8080: "3", 9000: "1"}


def resource_values(interface: str, instance: str | None) -> dict[str, Any]:
    """What a record of this interface carries whatever its traffic: the tags, the interface type."""
    tag, tag2, asg, asg2 = INSTANCE_TAGS.get(instance or "", (None, None, None, None))
    itag, itag2, kind = INTERFACE_TAGS.get(interface, (None, None, None))
    values: dict[str, Any] = dict.fromkeys(ECS_FIELDS + NEWER_FIELDS)
    values.update({"instance-tag": tag, "instance-tag-2": tag2, "asg-tag": asg, "asg-tag-2": asg2,
                   "interface-tag": itag, "interface-tag-2": itag2, "interface-type": kind})
    return values


def traffic_values(record: Mapping[str, Any]) -> dict[str, Any]:
    """Reject reason and encryption status from the record's traffic (an OK record's v5 fields)."""
    reason = None
    if record["action"] == "REJECT":
        if record["dstport"] == 3389:
            reason = "BPA"  # Block Public Access stopped the RDP attempts
        elif ":" in record["srcaddr"] and record["dstport"] == 22:
            reason = "EC"  # Encryption Controls
    encryption = ENCRYPTION_BY_PORT.get(record["dstport"])
    if record["interface-id"] == "eni-0nat00000000000a3" and record["dstport"] == 443:
        encryption = "2"  # to S3 over TLS through the NAT gateway
    if record["action"] == "REJECT":
        encryption = None
    return {"reject-reason": reason, "encryption-status": encryption}
