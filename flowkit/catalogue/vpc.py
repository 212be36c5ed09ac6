"""The one catalogue of VPC flow log record fields (versions 2 to 11).

The flow log's LogFormat, the Glue table's columns and the fields offered to the SQL templates all
come from here, so they cannot drift apart. Types are the Parquet types of AWS's "Flow log records"
page; for the fields of versions 9 to 11 AWS documents none, so :func:`make_field` reads them as text
and their descriptions say so.
"""

from __future__ import annotations

from flowkit.catalogue.fields import Catalogue, make_field

_f = make_field

# In AWS documentation order; the first 14 are the AWS default format, in that exact order.
FIELDS = (
    _f("version", 2, "INT32", "Flow log version (2 for the default format, else the highest version of the "
       "format's fields)."),
    _f("account-id", 2, "STRING", "AWS account that owns the network interface."),
    _f("interface-id", 2, "STRING", "Network interface (eni-...) the traffic was recorded on ('-' for a "
       "regional NAT gateway)."),
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
    _f("reject-reason", 8, "STRING", "Why traffic was rejected beyond security groups and network ACLs: BPA "
       "(VPC Block Public Access) or EC (VPC Encryption Controls); '-' otherwise."),
    _f("resource-id", 9, None, "Regional NAT gateway (nat-...) the traffic went through, if any."),
    _f("encryption-status", 10, None, "0 not encrypted, 1 Nitro-encrypted, 2 application-encrypted (assumed "
       "from TCP 443 for endpoints), 3 both; '-' unknown or VPC Encryption Controls off."),
    _f("instance-tag", 11, None, "Value of the instance's first tag key of TagFieldSpecifications "
       "(percent-encoded)."),
    _f("instance-tag-2", 11, None, "Value of the instance's second tag key (percent-encoded)."),
    _f("interface-tag", 11, None, "Value of the network interface's first tag key (percent-encoded)."),
    _f("interface-tag-2", 11, None, "Value of the network interface's second tag key (percent-encoded)."),
    _f("asg-tag", 11, None, "Value of the Auto Scaling group's first tag key (percent-encoded)."),
    _f("asg-tag-2", 11, None, "Value of the Auto Scaling group's second tag key (percent-encoded)."),
    _f("interface-type", 11, None, "Type of the recording interface: nat_gateway, network_load_balancer, "
       "regional_nat_gateway, transit_gateway or vpc_endpoint."),
    _f("next-hop-interface-id", 11, None, "Network interface of the next hop (the receiver of egress, the "
       "sender of ingress traffic)."),
    _f("next-hop-subnet-id", 11, None, "Subnet of the next hop."),
    _f("next-hop-az-id", 11, None, "Availability Zone ID of the next hop."),
    _f("next-hop-vpc-id", 11, None, "VPC of the next hop."),
    _f("next-hop-interface-type", 11, None, "Type of the next hop's interface (for example "
       "regional_nat_gateway)."),
)

# The tag fields: which resource type's tag keys (TagFieldSpecifications) fill them, and which key.
TAG_FIELDS: dict[str, tuple[str, int]] = {
    "instance-tag": ("instance", 1), "instance-tag-2": ("instance", 2),
    "interface-tag": ("network-interface", 1), "interface-tag-2": ("network-interface", 2),
    "asg-tag": ("auto-scaling-group", 1), "asg-tag-2": ("auto-scaling-group", 2),
}
TAG_RESOURCE_TYPES: tuple[str, ...] = ("network-interface", "instance", "auto-scaling-group")

VPC = Catalogue(
    "VPC",
    FIELDS,
    presets={
        "aws-default": FIELDS[:14],
        "v5": tuple(f for f in FIELDS if f.version <= 5),
        "all": FIELDS,
    },
    default_preset="v5",
)
