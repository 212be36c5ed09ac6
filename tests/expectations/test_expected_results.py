"""Every saved query, run by the local engine on hand-made files, equals its plain-Python expectation.

The expectations (reference_queries.py and the modules it loads) follow each template's description,
never its SQL; the files (conftest.py) are written in all eight key layouts from fixture_records.py and,
for the transit gateway table's queries, transit_records.py, in one bucket.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit import queries
from flowkit.local import Result, Window, run_saved
from flowkit.settings import load
from tests.expectations import fixture_records as fixture
from tests.expectations import reference_queries as ref
from tests.expectations import transit_records
from tests.expectations.buckets import SPECS, write_bucket
from tests.expectations.cases import EXTRA_PARAMS, PARAMS

CATALOGUE = {t.name: t for t in queries.load_all()}
LAYOUTS = ["text-plain-hourly", "text-plain-daily", "text-hive-hourly", "text-hive-daily",
           "parquet-plain-hourly", "parquet-plain-daily", "parquet-hive-hourly", "parquet-hive-daily"]
FULL_LAYOUTS = ["text-plain-hourly", "parquet-hive-daily"]
# Queries that together touch every boundary record, IPv6, NODATA/SKIPDATA, NULL instance ids,
# timestamps, LIMIT 50, CIDR logic and a parameter: run on all eight layouts.
REPRESENTATIVE = ["log-coverage", "first-last-seen", "top-talkers", "top-talking-instances",
                  "private-to-public", "bytes-over-time", "flows-to-host-port", "rejected-traffic",
                  "port-scan-suspects", "large-transfers"]

MAIN = (fixture.MAIN_SINCE, fixture.MAIN_UNTIL)
MID = (fixture.MID_SINCE, fixture.MID_UNTIL)

# Cases where the engine or a template is wrong: (query, layout) -> reason (strict xfail).
KNOWN_WRONG: dict[tuple[str, str], str] = {}


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


@pytest.fixture(scope="module")
def ctx() -> queries.RenderContext:
    return queries.context_for(load({"investigation": "expect", "vpc_ids": ["vpc-0a00000000000000a"]}))


def run_and_expect(buckets: Any, ctx: queries.RenderContext, name: str, layout: str,
                   params: Mapping[str, str], window: tuple[int, int]) -> tuple[Result, Any]:
    bucket = buckets(layout)
    since, until = window
    messages: list[str] = []
    template = CATALOGUE[name]
    transit = template.table == queries.TRANSIT
    if transit:  # the same settings' transit gateway table
        ctx = queries.transit_context_for(load({"investigation": "expect", "tgw_ids": [transit_records.TGW]}))
    result = run_saved(template, ctx, bucket.root, dict(params), Window(_utc(since), _utc(until)),
                       notify=messages.append)
    records = transit_records.RECORDS if transit else fixture.RECORDS
    expected = ref.EXPECTED[name](records, ref.Window(since, until, bucket.spec.hourly), params)
    assert messages == []
    assert result.skipped_lines == 0
    step = 3600 if bucket.spec.hourly else 86400
    low, high = since - since % step, (until + 3600) - (until + 3600) % step
    # a transit gateway query reads the window's transit gateway files; a VPC query looks at every file of
    # the window, and the store sets the transit gateway ones aside
    looked_at = bucket.transit_partitions if transit else bucket.partitions + bucket.transit_partitions
    assert result.files_read == sum(low <= p <= high for p in looked_at)
    return result, expected


def _cases() -> list[Any]:
    cases = [(name, layout) for layout in FULL_LAYOUTS for name in sorted(CATALOGUE)]
    cases += [(name, layout) for layout in LAYOUTS if layout not in FULL_LAYOUTS for name in REPRESENTATIVE]
    return [
        pytest.param(name, layout, id=f"{name}@{layout}",
                     marks=[pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[(name, layout)])]
                     if (name, layout) in KNOWN_WRONG else [])
        for name, layout in cases
    ]


def test_every_saved_query_has_an_expectation() -> None:
    assert sorted(ref.EXPECTED) == sorted(CATALOGUE)
    assert set(PARAMS) == {name for name, t in CATALOGUE.items() if t.params}


@pytest.mark.parametrize(("name", "layout"), _cases())
def test_query_equals_expectation(buckets: Any, ctx: queries.RenderContext, name: str, layout: str) -> None:
    result, (columns, rows) = run_and_expect(buckets, ctx, name, layout, PARAMS.get(name, {}), MAIN)
    assert result.columns == columns
    assert result.rows == rows


@pytest.mark.parametrize("layout", FULL_LAYOUTS)
@pytest.mark.parametrize(("name", "params"), EXTRA_PARAMS, ids=lambda v: v if isinstance(v, str) else "")
def test_more_parameter_values(buckets: Any, ctx: queries.RenderContext, name: str, params: dict[str, str],
                               layout: str) -> None:
    result, (columns, rows) = run_and_expect(buckets, ctx, name, layout, params, MAIN)
    if params.get("ports") != "3389":  # nothing ACCEPTed on 3389: the one empty answer
        assert rows, "the expectation should not be empty"
    assert (result.columns, result.rows) == (columns, rows)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", ["first-last-seen", "log-coverage"])
def test_window_inside_hours(buckets: Any, ctx: queries.RenderContext, name: str, layout: str) -> None:
    result, (columns, rows) = run_and_expect(buckets, ctx, name, layout, PARAMS.get(name, {}), MID)
    assert (result.columns, result.rows) == (columns, rows)


def test_default_window_is_the_last_lookback_days(tmp_path: Path) -> None:
    now = int(datetime.now(UTC).timestamp())
    records = fixture.relative_records(now)
    write_bucket(tmp_path, SPECS["text-plain-hourly"], records)
    short = queries.context_for(load({"investigation": "expect", "vpc_ids": ["vpc-0a00000000000000a"],
                                        "lookback_days": 3}))
    answers = {}
    for name in ("top-talkers", "bytes-by-ip-version", "log-coverage"):
        result = run_saved(CATALOGUE[name], short, tmp_path, {}, Window())
        answers[name] = ref.EXPECTED[name](records, ref.Window(now - 3 * 86400, now, True), {})
        assert (result.columns, result.rows) == answers[name]
    assert answers["log-coverage"][1] == [("OK", 3, 1), ("NODATA", 1, 1)]
    assert answers["bytes-by-ip-version"][1] == [(700, 0, 6, 0, 3, 0)]  # no IPv6: zeros, not NULL


# -- the fixture is rich enough ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_expectations_are_not_trivial(name: str) -> None:
    records = transit_records.RECORDS if CATALOGUE[name].table == queries.TRANSIT else fixture.RECORDS
    _, rows = ref.EXPECTED[name](records, ref.Window(*MAIN, True), PARAMS.get(name, {}))
    assert len(rows) >= (1 if name == "bytes-by-ip-version" else 2)
    if name == "bytes-by-ip-version":
        assert all(rows[0])


def test_boundary_records_are_where_they_should_be() -> None:
    seen = {r[0] for r in ref.EXPECTED["first-last-seen"](fixture.RECORDS, ref.Window(*MAIN, True), {})[1]}
    assert {"192.0.2.101", "192.0.2.103", "2001:db8:b::8", "192.0.2.112", "192.0.2.114"} <= seen
    assert not {"192.0.2.102", "192.0.2.104", "192.0.2.105", "192.0.2.106", "192.0.2.107"} & seen
    mid = {r[0] for r in ref.EXPECTED["first-last-seen"](fixture.RECORDS, ref.Window(*MID, False), {})[1]}
    assert {"192.0.2.111", "192.0.2.113"} <= mid
    assert not {"192.0.2.112", "192.0.2.114", "192.0.2.105"} & mid
    # 192.0.2.105 starts inside both windows: only the partition range keeps it out
    late = next(r for r in fixture.RECORDS if r["srcaddr"] == "192.0.2.105")
    assert fixture.MID_SINCE <= late["start"] < fixture.MID_UNTIL


def test_limits_and_ties_are_exercised() -> None:
    window = ref.Window(*MAIN, True)
    talkers = ref.EXPECTED["top-talkers"](fixture.RECORDS, window, {})[1]
    all_sources = {r["srcaddr"] for r in ref.in_window(fixture.RECORDS, window)}
    assert len(talkers) == 50 < len(all_sources)
    assert len({row[1] for row in talkers}) < len(talkers)  # equal byte totals
    accepted = ref.EXPECTED["top-accepted-sources"](fixture.RECORDS, window, {})[1]
    accepts = [r["srcaddr"] for r in ref.in_window(fixture.RECORDS, window) if r["action"] == "ACCEPT"]
    flows = sorted((accepts.count(src) for src in set(accepts)), reverse=True)
    assert len(accepted) == 10 and accepted[9][1] == flows[10]  # the 11th ties with the 10th
