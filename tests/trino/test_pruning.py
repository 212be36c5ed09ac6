"""The window predicate prunes: a narrow window reads only its own partitions, in Trino's statistics."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from flowkit import queries
from tests.expectations import fixture_records as fixture
from tests.expectations import reference_queries as ref
from tests.expectations.buckets import SPECS
from tests.expectations.cases import PARAMS
from tests.trino.checks import first_difference, window_files
from tests.trino.conftest import client_for
from tests.trino.deployment import Deployment
from tests.trino.server import TrinoServer

CATALOGUE = {t.name: t for t in queries.load_catalogue()}


@pytest.mark.parametrize("layout", sorted(SPECS))
@pytest.mark.parametrize("name", ["log-coverage", "top-talkers", "flows-to-host-port"])
def test_narrow_window_reads_only_its_partitions(trino: TrinoServer, deployment: Callable[[str], Deployment],
                                                 layout: str, name: str) -> None:
    found = deployment(layout)
    since, until = fixture.MID_SINCE + found.shift, fixture.MID_UNTIL + found.shift  # 06:30 to 18:30, one day
    template, params = CATALOGUE[name], PARAMS.get(name, {})
    sql = queries.render(template, found.ctx, datetime.fromtimestamp(since, UTC),
                         datetime.fromtimestamp(until, UTC))
    bound = queries.athena_execution_parameters(template, queries.coerce_params(template, params))
    client = client_for(trino, found)
    result = client.execute(sql, bound)
    columns, rows = ref.EXPECTED[name](found.records, ref.Window(since, until, found.spec.hourly), params)
    assert result.columns == columns
    assert not first_difference(f"query '{name}' on layout {layout}", result.rows, rows)
    read = client.scan_stats(result.query_id)["splits"]
    assert 0 < read <= window_files(found, since, until, edge=1)
    assert read < len(found.folders), f"{read} of {len(found.folders)} files read: nothing was pruned"
