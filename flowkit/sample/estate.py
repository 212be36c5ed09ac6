"""The sample estate: two accounts, two regions, three VPCs and eight network interfaces, and the
addresses outside it that its traffic reaches (fixed peers, and random public addresses)."""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass

NA = "-"  # a value that does not apply (text files write it as is, Parquet as NULL)


@dataclass(frozen=True)
class Interface:
    """One network interface of the sample estate."""

    role: str
    eni_id: str
    account: str
    region: str
    az_id: str
    vpc_id: str
    subnet_id: str
    instance_id: str  # "-" for requester-managed interfaces (NAT gateway, load balancer)
    ipv4: str
    ipv6: str  # "" when the interface has no IPv6 address
    flow_log_id: str


ACCOUNTS = ("493817265011", "802615937440")
REGIONS = ("eu-west-1", "us-east-1")
_A, _B = ACCOUNTS
_EU, _US = REGIONS
_FL_A_EU, _FL_A_US, _FL_B_EU = "fl-0a4e1f7c92b3d5e61", "fl-07c3b9e2f1a4d8c05", "fl-0e5d2a9c7b1f3e842"
_VPC_A_EU, _VPC_A_US, _VPC_B_EU = "vpc-0a1b2c3d4e5f60718", "vpc-0b7e6d5c4a3f21908", "vpc-0c9a8b7d6e5f43102"

INTERFACES: tuple[Interface, ...] = (
    Interface("web", "eni-0a11f3e5c7b9d2461", _A, _EU, "euw1-az1", _VPC_A_EU, "subnet-0c11aa22bb33cc441",
              "i-0f1e2d3c4b5a69788", "10.10.0.25", "2a05:d018:1a2b:3c00::25", _FL_A_EU),
    Interface("bastion", "eni-0b22e4d6f8a0c3572", _A, _EU, "euw1-az1", _VPC_A_EU, "subnet-0c11aa22bb33cc441",
              "i-0e2d3c4b5a6978801", "10.10.0.40", "", _FL_A_EU),
    Interface("db", "eni-0c33d5c7e9b1f4683", _A, _EU, "euw1-az2", _VPC_A_EU, "subnet-0d22bb33cc44dd552",
              "i-0d3c4b5a697880112", "10.10.1.50", "", _FL_A_EU),
    Interface("nat", "eni-0d44c6b8f0a2e5794", _A, _EU, "euw1-az1", _VPC_A_EU, "subnet-0c11aa22bb33cc441",
              NA, "10.10.0.100", "", _FL_A_EU),
    Interface("win", "eni-0e55b7a9c1d3f6805", _A, _US, "use1-az4", _VPC_A_US, "subnet-0e33cc44dd55ee663",
              "i-0c4b5a69788011223", "172.31.16.20", "", _FL_A_US),
    Interface("app6", "eni-0f66a8b0d2e4a7916", _A, _US, "use1-az6", _VPC_A_US, "subnet-0f44dd55ee66ff774",
              "i-0b5a6978801122334", "172.31.32.10", "fd7a:115c:a1e0:ab12::10", _FL_A_US),
    Interface("lb", "eni-0a77f9c1e3b5d8a27", _B, _EU, "euw1-az3", _VPC_B_EU, "subnet-0a55ee66ff77aa885",
              NA, "10.20.0.10", "2a05:d018:9f00:4d00::a", _FL_B_EU),
    Interface("mysql", "eni-0b88e0d2f4c6e9b38", _B, _EU, "euw1-az3", _VPC_B_EU, "subnet-0b66ff77aa88bb996",
              "i-0a69788011223344b", "10.20.1.30", "", _FL_B_EU),
)
NIC = {nic.role: nic for nic in INTERFACES}
BY_ENI = {nic.eni_id: nic for nic in INTERFACES}

# Addresses that are not interfaces of the sample but appear in its traffic.
APP_TARGET = "10.20.1.40"  # behind the load balancer, the only legitimate MySQL client
ULA_PEERS = ("fd7a:115c:a1e0:ab12::20", "fd7a:115c:a1e0:ab12::31")
S3_PREFIX = "52.218."
PUBLIC_RESOLVERS = ("1.1.1.1", "8.8.8.8")
GRE_PEER = "198.51.100.77"
_PUBLIC_FIRST_OCTETS = (3, 13, 18, 23, 31, 34, 45, 52, 62, 77, 81, 89, 91, 104, 141, 151, 176, 185, 193, 212)
_PUBLIC_V6_PREFIXES = ("2a01:4f8", "2600:1900", "2a02:26f0", "2001:67c", "2607:f8b0")
_PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                   "fc00::/7"))


def public_ipv4(rng: random.Random) -> str:
    """A random address of a public-looking IPv4 range."""
    r = rng
    return f"{r.choice(_PUBLIC_FIRST_OCTETS)}.{r.randint(1, 254)}.{r.randint(1, 254)}.{r.randint(1, 254)}"


def public_ipv6(rng: random.Random) -> str:
    """A random global IPv6 address of a real provider's prefix."""
    groups = ":".join(f"{rng.randint(1, 0xFFFF):x}" for _ in range(2))
    return f"{rng.choice(_PUBLIC_V6_PREFIXES)}:{groups}::{rng.randint(1, 0xFFFF):x}"


def is_private(addr: str) -> bool:
    """RFC 1918 or IPv6 ULA (fc00::/7)."""
    ip = ipaddress.ip_address(addr)
    return any(ip in net for net in _PRIVATE if net.version == ip.version)
