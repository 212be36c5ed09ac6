"""The synthesized table reads AWS-format files with its declared types: header skipped, '-' as NULL,
only the projected account and region."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from flowkit import catalogue
from tests.expectations.buckets import SPECS
from tests.trino.conftest import client_for
from tests.trino.deployment import Deployment
from tests.trino.server import TrinoServer

# Trino's names for the table's column types (Hive int, bigint, string)
TRINO_TYPES = {"int": "integer", "bigint": "bigint", "string": "varchar"}


@pytest.mark.parametrize("layout", sorted(SPECS))
def test_table_reads_the_files_as_aws_writes_them(trino: TrinoServer, deployment: Callable[[str], Deployment],
                                                  layout: str) -> None:
    found = deployment(layout)
    client = client_for(trino, found)
    described = client.run(f'DESCRIBE "{found.table}"').rows
    every = catalogue.PRESETS["all"]
    assert [(r[0], r[1]) for r in described] == [
        *((f.column, TRINO_TYPES[f.athena_type]) for f in every),
        ("aws_account", "varchar"), ("aws_region", "varchar"), ("dt", "varchar")]

    everything = (f'SELECT count(*), count(srcaddr), count(bytes), count_if(log_status = \'NODATA\'), '
                  f'sum(bytes), min("end") FROM "{found.table}"')
    (total, with_address, with_bytes, nodata, byte_sum, first_end), = client.run(everything).rows
    records = found.records
    assert total == len(records) < found.all_records  # the other accounts' files are not read
    assert with_address == sum(r["srcaddr"] is not None for r in records)  # '-' is NULL
    assert with_bytes == sum(r["bytes"] is not None for r in records)
    assert nodata == sum(r["log-status"] == "NODATA" for r in records)
    assert byte_sum == sum(r["bytes"] or 0 for r in records)  # bigint, no header line among the rows
    assert first_end == min(r["end"] for r in records if r["end"] is not None)


@pytest.mark.parametrize("layout", sorted(SPECS))
def test_transit_table_reads_only_transit_gateway_files(trino: TrinoServer,
                                                        deployment: Callable[[str], Deployment],
                                                        layout: str) -> None:
    found = deployment(layout)
    table = found.transit
    client = client_for(trino, found)
    described = client.run(f'DESCRIBE "{table.name}"').rows
    assert [(r[0], r[1]) for r in described] == [
        *((f.column, TRINO_TYPES[f.athena_type]) for f in catalogue.TRANSIT.fields),
        ("aws_account", "varchar"), ("aws_region", "varchar"), ("dt", "varchar")]
    query = (f'SELECT count(*), count(tgw_attachment_id), sum(packets_lost_no_route), count(srcaddr), '
             f'max(protocol) FROM "{table.name}"')
    (total, attached, no_route, with_address, protocol), = client.run(query).rows
    records = table.records
    assert total == attached == len(records) < table.all_records  # only its account and region
    assert no_route == sum(r["packets-lost-no-route"] or 0 for r in records)
    assert with_address == sum(r["srcaddr"] is not None for r in records)  # '-' is NULL
    assert protocol == 17
    # and the VPC table holds none of them
    (vpc_total,), = client.run(f'SELECT count(*) FROM "{found.table}" WHERE interface_id IS NULL '
                               "AND log_status = 'OK'").rows
    assert vpc_total == 0
