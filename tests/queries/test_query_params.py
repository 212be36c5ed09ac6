"""Parameter coercion, Athena ExecutionParameters and named-query names."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowkit import queries

HEADER = """-- name: probe
-- description: Parameter probe.
-- fields:
-- param: address ip  An address
-- param: port int(0..65535)  A port
-- param: ports port_list  Ports
-- param: block cidr  A block
-- param: label string default=it's  A label
-- param: count int default=-3  A count
SELECT 1 FROM {{ database }}.{{ table }} WHERE {{ window }} AND a = {{ p.address }} AND b = {{ p.port }}
AND c = {{ p.ports }} AND d = {{ p.block }} AND e = {{ p.label }} AND f = {{ p.count }}
"""

GOOD = {"address": " 10.0.1.25 ", "port": "443", "ports": "22, 80,0443", "block": "10.0.0.0/8"}


@pytest.fixture()
def template(tmp_path: Path) -> queries.QueryTemplate:
    path = tmp_path / "probe.sql"
    path.write_text(HEADER)
    return queries.parse_template(path)


def test_good_values_and_defaults(template: queries.QueryTemplate) -> None:
    values = queries.coerce_params(template, GOOD)
    assert values == ["10.0.1.25", 443, "22,80,443", "10.0.0.0/8", "it's", -3]
    assert queries.athena_execution_parameters(template, values) == [
        "'10.0.1.25'", "443", "'22,80,443'", "'10.0.0.0/8'", "'it''s'", "-3"]


def test_ipv6_values_are_normalised(template: queries.QueryTemplate) -> None:
    values = queries.coerce_params(template, {**GOOD, "address": "2001:DB8:0:0::1", "block": "fc00::/7"})
    assert values[0] == "2001:db8::1" and values[3] == "fc00::/7"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("address", "10.0.1.256", "'address': '10.0.1.256' is not an IPv4 or IPv6 address"),
    ("address", "example.com", "is not an IPv4 or IPv6 address"),
    ("port", "4x3", "'port': '4x3' is not a whole number"),
    ("port", "65536", "65536 is outside 0..65535"),
    ("port", "-1", "-1 is outside 0..65535"),
    ("ports", "22,,80", "not a comma-separated list of ports"),
    ("ports", "22,70000", "not a comma-separated list of ports"),
    ("ports", "", "not a comma-separated list of ports"),
    ("block", "10.0.0.1/8", "is not a CIDR block"),
    ("block", "10.0.0.0/33", "is not a CIDR block"),
    ("label", "  ", "'label': empty value"),
])
def test_bad_values(template: queries.QueryTemplate, name: str, value: str, message: str) -> None:
    with pytest.raises(queries.QueryError, match=message) as err:
        queries.coerce_params(template, {**GOOD, name: value})
    assert "\n" not in str(err.value)


def test_missing_and_unknown_parameters(template: queries.QueryTemplate) -> None:
    with pytest.raises(queries.QueryError, match=r"missing parameter 'port' \(int: A port\)"):
        queries.coerce_params(template, {k: v for k, v in GOOD.items() if k != "port"})
    with pytest.raises(queries.QueryError, match="unknown parameter\\(s\\) colour"):
        queries.coerce_params(template, {**GOOD, "colour": "red"})
    with pytest.raises(queries.QueryError, match="takes 6 parameter"):
        queries.athena_execution_parameters(template, [1])


def test_catalogue_defaults() -> None:
    template = queries.find("port-scan-suspects")
    assert queries.coerce_params(template, {}) == [20]
    assert queries.coerce_params(template, {"min_ports": "5"}) == [5]
    assert queries.athena_execution_parameters(template, [5]) == ["5"]


def test_named_query_names() -> None:
    assert queries.named_query_name("case-1", "top-talkers") == "case-1-top-talkers"
    long_a = queries.named_query_name("case-1", "x" * 200)
    long_b = queries.named_query_name("case-1", "x" * 199 + "y")
    assert len(long_a) == len(long_b) == 128
    assert long_a != long_b and long_a.startswith("case-1-xxx")
