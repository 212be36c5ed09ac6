"""The catalogue of transit gateway flow log record fields (versions 2 to 6), the same shape as the VPC one.

Names, order and Parquet types are those of AWS's transit gateway guide ("Transit Gateway Flow Log
records"): its default format is every field below, in this order. There is no ``action``: a transit
gateway forwards or loses packets (the ``packets-lost-*`` counts), it does not accept or reject. Unlike
VPC flow logs, ``protocol`` is INT64 in Parquet.
"""

from __future__ import annotations

from flowkit.catalogue.fields import Catalogue, make_field

_f = make_field

FIELDS = (
    _f("version", 2, "INT32", "Flow log version (6 for the default transit gateway format)."),
    _f("resource-type", 6, "STRING", "What the flow log is created on: TransitGateway or "
       "TransitGatewayAttachment."),
    _f("account-id", 2, "STRING", "AWS account that owns the source transit gateway."),
    _f("tgw-id", 6, "STRING", "Transit gateway the traffic was recorded on."),
    _f("tgw-attachment-id", 6, "STRING", "Transit gateway attachment the traffic was recorded on."),
    _f("tgw-src-vpc-account-id", 6, "STRING", "AWS account of the source VPC."),
    _f("tgw-dst-vpc-account-id", 6, "STRING", "AWS account of the destination VPC."),
    _f("tgw-src-vpc-id", 6, "STRING", "Source VPC."),
    _f("tgw-dst-vpc-id", 6, "STRING", "Destination VPC."),
    _f("tgw-src-subnet-id", 6, "STRING", "Subnet of the source traffic."),
    _f("tgw-dst-subnet-id", 6, "STRING", "Subnet of the destination traffic."),
    _f("tgw-src-eni", 6, "STRING", "Source transit gateway attachment network interface."),
    _f("tgw-dst-eni", 6, "STRING", "Destination transit gateway attachment network interface."),
    _f("tgw-src-az-id", 6, "STRING", "Availability Zone ID of the source ('-' from a sublocation)."),
    _f("tgw-dst-az-id", 6, "STRING", "Availability Zone ID of the destination."),
    _f("tgw-pair-attachment-id", 6, "STRING", "The flow's other attachment: the egress or ingress one, by "
       "flow direction."),
    _f("srcaddr", 2, "STRING", "Source address (IPv4 or IPv6)."),
    _f("dstaddr", 2, "STRING", "Destination address (IPv4 or IPv6)."),
    _f("srcport", 2, "INT32", "Source port."),
    _f("dstport", 2, "INT32", "Destination port."),
    _f("protocol", 2, "INT64", "IANA protocol number (1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6)."),
    _f("packets", 2, "INT64", "Packets transferred during the flow."),
    _f("bytes", 2, "INT64", "Bytes transferred during the flow."),
    _f("start", 2, "INT64", "Time of the first packet of the interval, Unix seconds (UTC)."),
    _f("end", 2, "INT64", "Time of the last packet of the interval, Unix seconds (UTC)."),
    _f("log-status", 2, "STRING", "OK, NODATA (no traffic) or SKIPDATA (records skipped)."),
    _f("type", 3, "STRING", "Traffic type: IPv4, IPv6 or EFA."),
    _f("packets-lost-no-route", 6, "INT64", "Packets lost because no route matched."),
    _f("packets-lost-blackhole", 6, "INT64", "Packets lost to a blackhole route."),
    _f("packets-lost-mtu-exceeded", 6, "INT64", "Packets lost because they exceeded the MTU."),
    _f("packets-lost-ttl-expired", 6, "INT64", "Packets lost because their time to live expired."),
    _f("tcp-flags", 3, "INT32", "OR of TCP flags seen in the interval (FIN 1, SYN 2, RST 4, SYN-ACK 18)."),
    _f("region", 4, "STRING", "Region of the transit gateway."),
    _f("flow-direction", 5, "STRING", "ingress or egress, relative to the attachment."),
    _f("pkt-src-aws-service", 5, "STRING", "AWS service owning srcaddr, if any."),
    _f("pkt-dst-aws-service", 5, "STRING", "AWS service owning dstaddr, if any."),
)

# The reasons a transit gateway loses packets, as (field, reason shown by the queries).
PACKETS_LOST: tuple[tuple[str, str], ...] = (
    ("packets-lost-no-route", "no-route"), ("packets-lost-blackhole", "blackhole"),
    ("packets-lost-mtu-exceeded", "mtu-exceeded"), ("packets-lost-ttl-expired", "ttl-expired"),
)

TRANSIT = Catalogue("transit gateway", FIELDS, presets={"all": FIELDS}, default_preset="all")
