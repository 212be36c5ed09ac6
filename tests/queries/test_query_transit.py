"""The transit gateway table's saved queries: which table a template reads, rendering, static checks."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from flowkit import catalogue, queries
from flowkit.local import MACROS, translate
from flowkit.queries.checks import validate_rendered
from flowkit.settings import load

TRANSIT_NAMES = ["tgw-bytes-per-hour", "tgw-flows-to-destination", "tgw-packets-lost", "tgw-top-attachments",
                 "tgw-vpc-to-vpc"]
LAYOUTS = list(itertools.product(("text", "parquet"), (False, True), (False, True), ("", "team/flows")))


def settings(**changes: object) -> object:
    return load({"investigation": "hub", "tgw_ids": ["tgw-0123456789abcdef0"], **changes})


def test_templates_of_the_transit_gateway_folder_read_its_table() -> None:
    every = queries.load_all()
    transit = [t for t in every if t.table == queries.TRANSIT]
    assert [t.name for t in transit] == TRANSIT_NAMES
    assert all(t.path.parent.name == "transit-gateway" for t in transit)
    assert all(t.path.parent == queries.SQL_DIR for t in every if t.table == queries.VPC)
    for template in transit:
        assert all(name in catalogue.TRANSIT.by_name for name in template.fields), template.name
        assert len(template.description) >= 60


@pytest.mark.parametrize(("fmt", "hive", "hourly", "prefix"), LAYOUTS)
def test_every_transit_query_renders_and_passes_validation(fmt: str, hive: bool, hourly: bool,
                                                          prefix: str) -> None:
    ctx = queries.transit_context_for(settings(file_format=fmt, hive_partitions=hive,
                                               per_hour_partitions=hourly, key_prefix=prefix))
    assert (ctx.kind, ctx.table) == (queries.TRANSIT, "flow_logs_tgw")
    assert ctx.layout.root == (f"{prefix}/transit-gateway/AWSLogs/" if prefix else "transit-gateway/AWSLogs/")
    rendered = queries.render_all(ctx)
    assert [r.name for r in rendered] == TRANSIT_NAMES
    assert validate_rendered(rendered, ctx) == []


def test_a_table_offers_only_its_own_templates() -> None:
    s = settings(vpc_ids=["vpc-0123456789abcdef0"])
    vpc, transit = queries.contexts_for(s)
    assert {r.name for r in queries.render_all(transit)} == set(TRANSIT_NAMES)
    assert not {r.name for r in queries.render_all(vpc)} & set(TRANSIT_NAMES)
    top = queries.find("tgw-top-attachments")  # found by name among every table's templates
    assert queries.context_of(top, s) == transit and not queries.is_available(top, vpc)
    assert queries.contexts_for(load({"investigation": "x", "vpc_ids": ["vpc-01234567"]})) == (
        queries.context_for(load({"investigation": "x", "vpc_ids": ["vpc-01234567"]})),)


def test_saved_queries_cover_both_tables() -> None:
    s = settings(vpc_ids=["vpc-0123456789abcdef0"])
    saved = queries.saved_queries(queries.contexts_for(s), "hub")
    by_table = {kind: sorted(q.key for q in saved if q.table == kind)
                for kind in (queries.VPC, queries.TRANSIT)}
    assert by_table[queries.TRANSIT] == TRANSIT_NAMES
    assert len(by_table[queries.VPC]) == len(queries.load_catalogue()) - 6  # v5: not the fields of v8 to v11
    for query in saved:
        table = '"flow_logs_tgw"' if query.table == queries.TRANSIT else '"flow_logs"'
        assert f'"flowlogs_hub".{table}' in query.sql, query.key


def test_totals_count_only_ok_records_and_order_is_deterministic() -> None:
    ctx = queries.transit_context_for(settings())
    for rendered in queries.render_all(ctx):
        tree = sqlglot.parse_one(rendered.sql, read="athena")
        reading = [s for s in tree.find_all(exp.Select)
                   if isinstance(s.args["from_"].this, exp.Table) and s.args["from_"].this.name == ctx.table]
        assert reading, rendered.name
        for select in reading:
            assert "log_status = 'OK'" in select.args["where"].sql(dialect="athena"), rendered.name
        assert tree.args.get("order") is not None, rendered.name


def test_every_transit_query_transpiles_to_duckdb_and_runs() -> None:
    ctx = queries.transit_context_for(settings(file_format="text", hive_partitions=True))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for macro in MACROS:
        con.execute(macro)
    types = {f.column: f.duckdb_type for f in catalogue.TRANSIT.fields}
    types.update(aws_account="VARCHAR", aws_region="VARCHAR", dt="VARCHAR")
    columns = ", ".join(f'"{name}" {kind}' for name, kind in types.items())
    con.execute(f'CREATE SCHEMA "{ctx.database}"')
    con.execute(f'CREATE TABLE "{ctx.database}"."{ctx.table}" ({columns})')
    con.execute(f'INSERT INTO "{ctx.database}"."{ctx.table}" (tgw_id, tgw_attachment_id, tgw_src_vpc_id, '
                "tgw_dst_vpc_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, "
                "\"end\", log_status, packets_lost_no_route, flow_direction, dt) VALUES ('tgw-1', "
                "'tgw-attach-1', 'vpc-1', 'vpc-2', '10.0.0.1', '10.1.0.2', 40000, 443, 6, 3, 300, "
                "1714557600, 1714557660, 'OK', 2, 'ingress', 'year=2024/month=05/day=01/hour=10')")
    schema = {ctx.database: {ctx.table: types}}
    since, until = datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC)
    answers = {}
    for template in (t for t in queries.load_all() if t.table == queries.TRANSIT):
        sql = queries.render(template, ctx, since, until)
        values = queries.coerce_params(template, {p.name: "10.1.0.2" for p in template.params})
        translated = translate(sql, schema)
        if template.name == "tgw-flows-to-destination":  # a TIMESTAMP WITH TIME ZONE column: count only
            translated = f"SELECT count(*) FROM ({translated})"
        answers[template.name] = con.execute(translated, values).fetchall()
    assert answers["tgw-flows-to-destination"] == [(1,)]
    assert answers["tgw-packets-lost"] == [("tgw-attach-1", "no-route", 2)]
    assert answers["tgw-vpc-to-vpc"] == [("vpc-1", "vpc-2", "ingress", 1, 3, 300)]


def test_fields_header_may_continue_on_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "probe.sql"
    path.write_text("-- name: probe\n-- description: A probe of the transit gateway table's header.\n"
                    "-- fields: tgw-id\n--   packets-lost-blackhole\n"
                    "SELECT 1 FROM {{ database }}.{{ table }}\n")
    template = queries.parse_template(path, table=queries.TRANSIT)
    assert template.fields == ("tgw-id", "packets-lost-blackhole") and template.table == queries.TRANSIT
    with pytest.raises(queries.QueryError, match="unknown field.*tgw-id.*VPC flow log names"):
        queries.parse_template(path)
