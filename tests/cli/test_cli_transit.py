"""``flowlogs queries`` and ``render`` with the transit gateway table's queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.run_cli import flowlogs

TRANSIT = ["tgw-bytes-per-hour", "tgw-flows-to-destination", "tgw-packets-lost", "tgw-top-attachments",
           "tgw-vpc-to-vpc"]


@pytest.fixture(autouse=True)
def _no_cdk_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


def test_queries_lists_the_table_each_reads(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = flowlogs(capsys, "queries", "--format", "json")
    assert code == 0
    listing = {q["name"]: q for q in json.loads(out)}
    assert sorted(n for n, q in listing.items() if q["table"] == "transit-gateway") == TRANSIT
    assert all(listing[name]["available"] for name in TRANSIT)  # the transit gateway format is fixed
    assert listing["top-talkers"]["table"] == "vpc"
    assert listing["cross-az-traffic"]["available"] is False  # v5 (the default) lacks next-hop-az-id
    code, out, _ = flowlogs(capsys, "-c", "log_fields=all", "-c", 'tag_fields={"instance": ["Name"]}',
                            "queries", "--format", "json")
    assert code == 0 and all(q["available"] for q in json.loads(out))


def test_render_a_transit_query_for_its_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = flowlogs(capsys, "-c", "investigation=hub", "-c", "table=flows", "render",
                              "tgw-packets-lost")
    assert code == 0, err
    assert '"flowlogs_hub"."flows_tgw"' in out and "packets_lost_no_route" in out
