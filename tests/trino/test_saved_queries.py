"""Every saved query, exactly as synthesized into the analytics template, on a real Trino.

For each of the eight key layouts (four of them with a key prefix) every named query's SQL (of the VPC
table and of the transit gateway table) runs with its parameters bound like Athena's execution
parameters (PREPARE ... EXECUTE ... USING). Its rows must equal the local engine's rows over the same
files and the plain-Python expectations of tests/expectations, and Trino must have read only the
window's partitions.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from flowkit import queries
from flowkit.local import Window, run_saved
from tests.expectations import reference_queries as ref
from tests.expectations.buckets import SPECS
from tests.expectations.cases import PARAMS
from tests.trino.checks import first_difference, window_files
from tests.trino.conftest import client_for
from tests.trino.deployment import DAY, Deployment
from tests.trino.server import TrinoServer

CATALOGUE = {t.name: t for t in queries.load_all()}


def test_every_saved_query_is_deployed_for_every_layout(deployment: Callable[[str], Deployment]) -> None:
    for layout in SPECS:
        assert sorted(deployment(layout).saved) == sorted(CATALOGUE), layout


@pytest.mark.parametrize("layout", sorted(SPECS))
@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_saved_query_on_trino(trino: TrinoServer, deployment: Callable[[str], Deployment],
                              agreed: dict[str, list[str]], layout: str, name: str) -> None:
    found = deployment(layout)
    template, params = CATALOGUE[name], PARAMS.get(name, {})
    table = found.table_of(template.table)
    bound = queries.athena_execution_parameters(template, queries.coerce_params(template, params))
    client = client_for(trino, found)
    result = client.execute(found.saved[name], bound)
    now = int(time.time())
    local = run_saved(template, table.ctx, table.local_root, params, Window())
    columns, rows = ref.EXPECTED[name](table.records, ref.Window(now - found.lookback_days * DAY, now,
                                                                 found.spec.hourly), params)
    where = f"query '{name}' on layout {layout}"
    assert result.columns == local.columns == columns, where
    assert not first_difference(f"{where}, Trino vs the local engine", result.rows, local.rows)
    assert not first_difference(f"{where}, Trino vs the expectation", result.rows, rows)
    read = client.scan_stats(result.query_id)["splits"]
    assert read <= window_files(found, now - found.lookback_days * DAY, now, edge=1, table=table), where
    agreed[layout].append(name)
