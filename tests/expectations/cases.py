"""Parameter values of the saved queries that take some, as a user types them (shared by every engine)."""

from __future__ import annotations

from tests.expectations import fixture_records as fixture
from tests.expectations import transit_records as transit

# Parameter values as a user types them (IPv6 not normalised, port lists with spaces).
PARAMS: dict[str, dict[str, str]] = {
    "accepted-ports-check": {"interface_id": fixture.WEB, "address": fixture.WEB_IP,
                             "ports": "22, 443,3389,80"},
    "accepted-well-known-ports": {"interface_id": fixture.WEB, "address": fixture.WEB_IP},
    "flows-between-hosts-on-port": {"srcaddr": fixture.WEB_IP, "dstaddr": fixture.DB_IP, "dstport": "5432",
                                    "protocol": "6"},
    "flows-to-host-port": {"address": "2600:1F18:AAAA:0:0::10", "port": "443", "protocol": "6"},
    "inbound-from-source": {"interface_id": fixture.WEB, "srcaddr": "203.0.113.50",
                            "address": fixture.WEB_IP},
    "port-scan-suspects": {"min_ports": "3"},
    "port-usage-between-hosts": {"srcaddr": fixture.WEB_IP, "dstaddr": fixture.DB_IP},
    "tcp-from-source": {"srcaddr": fixture.WEB_IP},
    "traffic-from-source": {"srcaddr": fixture.WEB_IP},
    "traffic-to-destination": {"dstaddr": fixture.DB_IP},
    "tgw-flows-to-destination": {"dstaddr": transit.B_IP},
}
# More parameter cases, on the two full layouts.
EXTRA_PARAMS: list[tuple[str, dict[str, str]]] = [
    ("port-scan-suspects", {}),  # the default, 20 ports
    ("flows-between-hosts-on-port", {"srcaddr": "2001:DB8:BAD::1", "dstaddr": fixture.WEB_IP6,
                                     "dstport": "22", "protocol": "6"}),
    ("flows-to-host-port", {"address": fixture.WEB_IP, "port": "22", "protocol": "6"}),
    ("traffic-to-destination", {"dstaddr": fixture.WEB_IP6}),
    ("traffic-from-source", {"srcaddr": "fd00:a:0::20"}),
    ("accepted-ports-check", {"interface_id": fixture.WEB, "address": fixture.WEB_IP, "ports": "3389"}),
    ("accepted-ports-check", {"interface_id": fixture.DB, "address": fixture.DB_IP,
                              "ports": "5432,6379,1433,3306"}),
    ("inbound-from-source", {"interface_id": fixture.WEB, "srcaddr": "2001:db8:bad::1",
                             "address": fixture.WEB_IP6}),
    ("port-usage-between-hosts", {"srcaddr": fixture.BASTION_IP, "dstaddr": fixture.WEB_IP}),
    ("tgw-flows-to-destination", {"dstaddr": "FD00:B:0::30"}),
    ("tgw-flows-to-destination", {"dstaddr": transit.DB_IP}),
]
