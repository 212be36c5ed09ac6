"""Template header parsing: strict, and every error names the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowkit import queries

GOOD = """-- name: probe
-- description: Flows to one address.
--   Continued description.
-- fields: dstaddr dstport
-- param: address ip  Destination address, e.g. 10.0.0.1
--   (continued parameter text)
-- param: port int(0..65535) default=443  Destination port
SELECT dstaddr FROM {{ database }}.{{ table }}
WHERE {{ window }} AND dstaddr = {{ p.address }} AND dstport = {{ p.port }}
"""


def write(tmp_path: Path, text: str, name: str = "probe") -> Path:
    path = tmp_path / f"{name}.sql"
    path.write_text(text)
    return path


def test_good_header(tmp_path: Path) -> None:
    template = queries.parse_template(write(tmp_path, GOOD))
    assert template.name == "probe"
    assert template.description == "Flows to one address. Continued description."
    assert template.fields == ("dstaddr", "dstport")
    assert template.params == (
        queries.Param("address", "Destination address, e.g. 10.0.0.1 (continued parameter text)", "ip"),
        queries.Param("port", "Destination port", "int", "443", 0, 65535),
    )
    assert template.body.startswith("SELECT dstaddr")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("-- name: probe\n", "", "no 'name:' line"),
    ("-- name: probe\n", "-- name: other\n", "differs from the file name"),
    ("-- name: probe\n", "-- name: Probe_1\n", "bad query name"),
    ("-- description: Flows to one address.\n--   Continued description.\n", "-- description:\n",
     "empty description"),
    ("-- fields: dstaddr dstport\n", "-- fields: dst-addr\n", "unknown field(s) dst-addr"),
    ("-- fields: dstaddr dstport\n", "-- fields: dstaddr dstaddr\n", "duplicate field"),
    ("-- fields: dstaddr dstport\n", "-- fields: a\n-- fields: b\n", "duplicate header key 'fields'"),
    ("-- fields: dstaddr dstport\n", "-- fields: dstaddr dstport\n-- owner: me\n",
     "unknown header key 'owner'"),
    ("-- fields: dstaddr dstport\n", "-- fields: dstaddr dstport\n--fields x\n", "must look like"),
    ("ip  Destination", "ipv4  Destination", "unknown kind 'ipv4'"),
    ("int(0..65535)", "int(9..1)", "empty range"),
    ("ip  Destination", "ip(1..2)  Destination", "only int takes a range"),
    ("default=443", "default=99999", "bad default"),
    ("-- param: port int(0..65535) default=443  Destination port", "-- param: port", "'param' needs"),
    ("default=443  Destination port", "default=443 ", "has no description"),
    ("-- param: port", "-- param: address", "duplicate parameter name"),
    ("-- param: port", "-- param: Port", "bad parameter name"),
    ("SELECT dstaddr", "SELECT {% if %} dstaddr", "template syntax error"),
])
def test_malformed_headers_raise_naming_the_file(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(queries.QueryError) as err:
        queries.load_catalogue(tmp_path)
    assert message in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_header_without_sql(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.split("SELECT")[0])
    with pytest.raises(queries.QueryError, match="no SQL after the header") as err:
        queries.parse_template(path)
    assert str(path) in str(err.value)


def test_too_many_parameters(tmp_path: Path) -> None:
    params = "".join(f"-- param: p{i} int  Value {i}\n" for i in range(26))
    path = write(tmp_path, "-- name: probe\n-- description: d\n-- fields:\n" + params + "SELECT 1\n")
    with pytest.raises(queries.QueryError, match="26 parameters; Athena allows at most 25"):
        queries.parse_template(path)


@pytest.mark.parametrize(("where", "message"), [
    ("dstaddr = {{ p.address }}", r"parameters used as \['address'\]"),
    ("dstport = {{ p.port }} AND dstaddr = {{ p.address }}", "each once, in header order"),
    ("dstaddr = {{ p.address }} AND dstport = {{ p.port }} AND srcport = {{ p.port }}", "header order"),
    ("dstaddr = {{ p.address }} AND dstport = {{ p.nope }}", "undeclared parameter 'nope'"),
    ("dstaddr = {{ p.address }} AND dstport = {{ p.port }} AND {{ nothing }}", "'nothing' is undefined"),
])
def test_render_checks_parameter_use(tmp_path: Path, where: str, message: str) -> None:
    from flowkit import catalogue
    from flowkit.layout import Layout

    body = GOOD.replace("dstaddr = {{ p.address }} AND dstport = {{ p.port }}", where)
    template = queries.parse_template(write(tmp_path, body))
    ctx = queries.RenderContext("db", "tbl", catalogue.PRESETS["v5"], Layout(), 7)
    with pytest.raises(queries.QueryError, match=message):
        queries.render(template, ctx)


def test_unknown_query_and_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(queries.QueryError, match="unknown query 'nope' \\(known: .*top-talkers"):
        queries.find("nope")
    with pytest.raises(queries.QueryError, match="query folder not found"):
        queries.load_catalogue(tmp_path / "missing")
