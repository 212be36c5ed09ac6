"""The shipped catalogue: names, availability per field preset, and static validation of every query."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from flowkit import catalogue, queries
from flowkit.local import MACROS, translate
from flowkit.queries.checks import validate_rendered
from flowkit.settings import load

# Written from the brief (seed articles 000, 001, 003, 004, AWS's console integration, extras).
EXPECTED_NAMES = {
    "flows-to-host-port", "flows-between-hosts-on-port", "port-usage-between-hosts",
    "accepted-well-known-ports", "accepted-ports-check", "inbound-from-source",
    "top-accepted-sources", "rejected-tcp",
    "accept-reject-ratio", "rejected-by-protocol", "rejected-sources", "rejected-connections",
    "bytes-over-time", "packets-over-time", "bytes-by-interface", "packets-by-interface",
    "accepted-tcp", "admin-port-traffic", "bytes-by-ip-version", "rejected-traffic", "ssh-rdp-traffic",
    "top-talkers", "top-talkers-packet-level", "top-talking-instances", "top-talking-subnets",
    "tcp-from-source", "top-pairs", "top-pairs-packet-level", "traffic-from-source", "traffic-to-destination",
    "port-scan-suspects", "large-transfers", "database-port-traffic", "unusual-protocols",
    "private-to-public", "log-coverage", "first-last-seen",
    # the fields of versions 8 to 11
    "rejected-by-reason", "unencrypted-traffic", "cross-az-traffic", "bytes-by-instance-tag",
    "bytes-by-interface-tag", "bytes-by-asg-tag",
}
# Written from the issue: the transit gateway table's queries.
TRANSIT_NAMES = {"tgw-vpc-to-vpc", "tgw-top-attachments", "tgw-packets-lost", "tgw-bytes-per-hour",
                 "tgw-flows-to-destination"}
# Version 5 lacks the fields of versions 8 to 11.
NEEDS_V8_TO_V11 = {"rejected-by-reason", "unencrypted-traffic", "cross-az-traffic", "bytes-by-instance-tag",
                   "bytes-by-interface-tag", "bytes-by-asg-tag"}
# Tag keys for every resource type, so that "all" (which has the tag fields) is accepted.
TAG_FIELDS = {"instance": ["Name", "Owner"], "network-interface": ["Name"], "auto-scaling-group": ["Team"]}
# The AWS default format (version 2) lacks instance-id, subnet-id, pkt-srcaddr and pkt-dstaddr.
NEEDS_V3 = {"top-talkers-packet-level", "top-pairs-packet-level", "top-talking-instances",
            "top-talking-subnets"}

# The file format does not change the SQL (asserted below), so each case covers text and parquet.
SETTINGS_MATRIX = [
    {"log_fields": preset, "hive_partitions": hive, "per_hour_partitions": hourly}
    for preset, hive, hourly in itertools.product(("aws-default", "v5", "all"), (False, True), (True, False))
]


def settings_for(**changes: object) -> queries.RenderContext:
    base = {"investigation": "case-1", "vpc_ids": ["vpc-0123456789abcdef0"], **changes}
    if changes.get("log_fields") == "all":
        base["tag_fields"] = TAG_FIELDS
    return queries.context_for(load(base))


def test_catalogue_has_exactly_the_planned_queries() -> None:
    templates = queries.load_catalogue()
    assert {t.name for t in templates} == EXPECTED_NAMES
    assert [t.name for t in templates] == sorted(EXPECTED_NAMES)
    every = queries.load_all()
    assert {t.name for t in every if t.table == queries.TRANSIT} == TRANSIT_NAMES
    assert {t.name for t in every if t.table == queries.VPC} == EXPECTED_NAMES


@pytest.mark.parametrize("changes", SETTINGS_MATRIX, ids=lambda c: "-".join(str(v) for v in c.values()))
def test_every_rendered_query_passes_validation(changes: dict[str, object]) -> None:
    ctx = settings_for(**changes, file_format="parquet")
    rendered = queries.render_all(ctx)
    assert queries.render_all(settings_for(**changes, file_format="text")) == rendered
    assert validate_rendered(rendered, ctx) == []


def test_queries_with_an_explicit_window_pass_validation() -> None:
    ctx = settings_for(log_fields="all", hive_partitions=True, per_hour_partitions=False)
    rendered = queries.render_all(ctx, since=datetime(2024, 5, 1, 10, tzinfo=UTC),
                                  until=datetime(2024, 5, 2, tzinfo=UTC))
    assert all("TIMESTAMP '2024-05-01 10:00:00'" in r.sql for r in rendered)
    assert validate_rendered(rendered, ctx) == []


@pytest.mark.parametrize(("preset", "skipped"), [("aws-default", NEEDS_V3 | NEEDS_V8_TO_V11),
                                                  ("v5", NEEDS_V8_TO_V11), ("all", set())])
def test_templates_needing_absent_fields_are_skipped(preset: str, skipped: set[str]) -> None:
    ctx = settings_for(log_fields=preset)
    names = {r.name for r in queries.render_all(ctx)}
    assert names == EXPECTED_NAMES - skipped
    template = queries.find("top-talkers-packet-level")
    assert queries.is_available(template, ctx) == (preset != "aws-default")


def test_custom_field_list_skips_what_it_cannot_answer() -> None:
    ctx = settings_for(log_fields="start,log-status,srcaddr,dstaddr,bytes,packets")
    assert {r.name for r in queries.render_all(ctx)} == {"top-talkers", "top-pairs", "bytes-by-ip-version",
                                                         "private-to-public", "bytes-over-time",
                                                         "packets-over-time"}


def _conjuncts(node: exp.Expr) -> list[exp.Expr]:
    if isinstance(node, exp.And):
        return _conjuncts(node.left) + _conjuncts(node.right)
    if isinstance(node, exp.Paren):
        return _conjuncts(node.this)
    return [node]


def test_totals_count_only_ok_records_except_log_coverage() -> None:
    ctx = settings_for(log_fields="all")
    for rendered in queries.render_all(ctx):
        tree = sqlglot.parse_one(rendered.sql, read="athena")
        for select in tree.find_all(exp.Select):
            source = select.args["from_"].this
            if not (isinstance(source, exp.Table) and source.name == ctx.table):
                continue
            terms = {t.sql(dialect="athena") for t in _conjuncts(select.args["where"].this)}
            has_ok = "log_status = 'OK'" in terms
            assert has_ok == (rendered.name != "log-coverage"), rendered.name


def test_descriptions_and_params_are_documented() -> None:
    for template in queries.load_catalogue():
        assert len(template.description) >= 60, template.name
        for param in template.params:
            assert param.description, (template.name, param.name)
        for name in template.fields:
            assert name in catalogue.BY_NAME


def test_every_order_by_ends_in_a_deterministic_order() -> None:
    """Each query either returns one row or orders by something (never an unordered result)."""
    for rendered in queries.render_all(settings_for(log_fields="all")):
        tree = sqlglot.parse_one(rendered.sql, read="athena")
        if rendered.name == "bytes-by-ip-version":
            assert tree.args.get("group") is None
            continue
        assert tree.args.get("order") is not None, rendered.name


def test_every_query_transpiles_to_duckdb_and_runs() -> None:
    ctx = settings_for(log_fields="all", file_format="text", hive_partitions=True)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for macro in MACROS:
        con.execute(macro)
    types = {f.column: f.duckdb_type for f in catalogue.CATALOGUE}
    types.update(aws_account="VARCHAR", aws_region="VARCHAR", dt="VARCHAR")
    schema = {ctx.database: {ctx.table: types}}
    columns = ", ".join(f'"{f.column}" {f.duckdb_type}' for f in catalogue.CATALOGUE)
    con.execute(f'CREATE SCHEMA "{ctx.database}"')
    con.execute(f'CREATE TABLE "{ctx.database}"."{ctx.table}" ({columns}, aws_account VARCHAR, '
                "aws_region VARCHAR, dt VARCHAR)")
    con.execute(f'INSERT INTO "{ctx.database}"."{ctx.table}" (srcaddr, dstaddr, dstport, protocol, packets, '
                "bytes, start, \"end\", action, log_status, interface_id, dt) VALUES "
                "('10.0.0.1', '10.0.0.2', 22, 6, 3, 300, 1714557600, 1714557660, 'REJECT', 'OK', 'eni-1', "
                "'year=2024/month=05/day=01')")
    samples = {"ip": "10.0.0.1", "int": "22", "string": "eni-1", "port_list": "22,80", "cidr": "10.0.0.0/8"}
    for template in queries.load_catalogue():
        since, until = datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC)
        sql = queries.render(template, ctx, since, until)
        values = queries.coerce_params(template, {p.name: samples[p.kind] for p in template.params})
        con.execute(translate(sql, schema), values).fetchall()


def test_descriptions_say_what_a_query_is_for_not_where_it_came_from() -> None:
    """Descriptions are shown in the Athena console and by `flowlogs queries`: no internal references."""
    for template in queries.load_catalogue():
        assert "seed article" not in template.description.lower(), template.name
        assert not re.search(r"\b00[0-4]\b", template.description), template.name
