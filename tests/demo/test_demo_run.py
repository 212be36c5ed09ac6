"""``flowlogs demo``'s local part: every available saved query runs on fresh sample data, none may fail."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from flowkit import queries
from flowkit.demo.console import first_sentence
from flowkit.settings import load_file
from tests.run_cli import flowlogs

REPO = Path(__file__).resolve().parents[2]
SMALL = ["--days", "1", "--flows-per-day", "60", "--no-synth"]




def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
         context: list[str], *demo_args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("COLUMNS", "200")
    overrides = [arg for pair in context for arg in ("-c", pair)]
    return flowlogs(capsys, "--config", str(REPO / "cdk.json"), *overrides, "demo", "--out",
                    str(tmp_path / "out"), *SMALL, *demo_args)


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
    # v5 has every field they use, but for the queries of the fields of versions 8 to 11
    newer = {"rejected-by-reason", "unencrypted-traffic", "cross-az-traffic", "bytes-by-instance-tag",
             "bytes-by-interface-tag", "bytes-by-asg-tag"}
    assert {t.name for t in available} == {path.stem for path in (REPO / "sql").glob("*.sql")} - newer
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
    status, out, err = _run(tmp_path, capsys, monkeypatch, [], "--queries", str(sql_dir))
    assert status == 1
    assert re.search(r"^flowlogs: error: query 'broken-query' failed: \S", err, re.M), err
    assert "broken-query: FAILED" in out
    assert _count(out, "top-talkers") > 0  # the other queries still ran


@pytest.mark.parametrize("args", [["demo", "--days", "0"], ["demo", "--days"], ["demo", "--out"],
                                  ["demo", "--bogus"], ["-c", "lookback_days", "demo"],
                                  ["demo", "--queries", "/no/such/folder"]])
def test_bad_arguments_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = flowlogs(capsys, *args)
    assert status == 2
    assert err.startswith("flowlogs: error: ") and "Traceback" not in err


def test_first_sentence_keeps_abbreviations() -> None:
    text = ("Every flow record that moved more than 500 MiB (bytes > 524288000, i.e. 500 * 1024 * 1024) "
            "within one aggregation interval, largest first. Bulk copies show up here.")
    assert first_sentence(text) == text.split(" Bulk")[0]
    assert first_sentence("No full stop") == "No full stop"
