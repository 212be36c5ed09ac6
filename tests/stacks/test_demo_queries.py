"""flowkit.demo's local part: every available saved query runs on fresh sample data, none may fail."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flowkit import demo, queries
from flowkit.settings import load_file

REPO = Path(__file__).resolve().parents[2]
SMALL = {"days": 1, "flows_per_day": 60, "synth": False}


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
         args: list[str], **config: object) -> tuple[int, str, str]:
    monkeypatch.setenv("COLUMNS", "200")
    settings: dict[str, Any] = {**SMALL, **config}
    status = demo.main(args, demo.DemoConfig(out_dir=tmp_path / "out", **settings))
    out, err = capsys.readouterr()
    return status, out, err


def _count(output: str, name: str) -> int:
    found = re.findall(rf"^{re.escape(name)}: (\d+) rows?\b", output, re.M)
    assert len(found) == 1, f"{name}: expected one heading with a row count, found {found}"
    return int(found[0])


def _scalar(sql: str) -> int:
    con = duckdb.connect()
    try:
        row = con.execute(sql).fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0])


def test_every_available_query_runs_on_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, err = _run(tmp_path, capsys, monkeypatch, ["hive_partitions=true"])
    assert status == 0, err
    assert "error" not in err and "FAILED" not in out

    ctx = queries.context_for(load_file(REPO / "cdk.json", {"hive_partitions": "true"}))
    available = [t for t in queries.load_catalogue() if queries.is_available(t, ctx)]
    assert len(available) == len(list((REPO / "sql").glob("*.sql")))  # v5 has every field they use
    counts = {t.name: _count(out, t.name) for t in available}
    for template in available:
        if any(p.default is None for p in template.params):
            assert counts[template.name] > 0, f"{template.name}: the demo's parameters found nothing"

    # row counts against DuckDB reading the written Parquet files directly
    files = sorted((tmp_path / "out" / "logs").rglob("*.log.parquet"))
    assert files and all("aws-account-id=" in str(f) for f in files)  # the override reached the sample
    source = f"read_parquet({[str(f) for f in files]})"
    ok = f"FROM {source} WHERE log_status = 'OK'"
    assert counts["log-coverage"] == _scalar(f"SELECT count(DISTINCT log_status) FROM {source}")
    assert counts["rejected-sources"] == _scalar(f"SELECT count(DISTINCT srcaddr) {ok} AND action = 'REJECT'")
    assert counts["top-talkers"] == min(50, _scalar(f"SELECT count(DISTINCT srcaddr) {ok}"))

    report = tmp_path / "out" / "report.html"
    assert report.is_file() and "<svg" in report.read_text()
    assert str(report) in out
    assert f"flowlogs report --logs {tmp_path / 'out' / 'logs'} --out report.html" in out


def test_a_failing_query_makes_the_demo_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    shutil.copy(REPO / "sql" / "top-talkers.sql", sql_dir)
    (sql_dir / "broken-query.sql").write_text(
        "-- name: broken-query\n-- description: Selects a column no table has.\n-- fields: srcaddr\n"
        "SELECT no_such_column FROM {{ database }}.{{ table }} WHERE {{ window }}\n"
    )
    status, out, err = _run(tmp_path, capsys, monkeypatch, [], sql_dir=sql_dir)
    assert status == 1
    assert re.search(r"^error: query 'broken-query' failed: \S", err, re.M), err
    assert "broken-query: FAILED" in out
    assert _count(out, "top-talkers") > 0  # the other queries still ran


@pytest.mark.parametrize("args", [["--days", "0"], ["--days"], ["--out"], ["--bogus"], ["lookback_days"]])
def test_bad_arguments_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err


def test_first_sentence_keeps_abbreviations() -> None:
    text = ("Every flow record that moved more than 500 MiB (bytes > 524288000, i.e. 500 * 1024 * 1024) "
            "within one aggregation interval, largest first. Bulk copies show up here.")
    assert demo.first_sentence(text) == text.split(" Bulk")[0]
    assert demo.first_sentence("No full stop") == "No full stop"
