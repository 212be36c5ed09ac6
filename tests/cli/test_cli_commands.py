"""The ``flowlogs`` command: bad input is one line and exit status 2; output formats parse."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit.layout import Layout
from tests.run_cli import flowlogs

REPO = Path(__file__).resolve().parents[2]
WHEN = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
WINDOW = ["--since", "2024-05-01", "--until", "2024-05-02"]




@pytest.fixture(autouse=True)
def _no_cdk_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a folder without cdk.json: the built-in defaults apply."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


@pytest.fixture
def logs(fx: Any, tmp_path: Path) -> Path:
    """Two accounts' text logs: 10.0.0.1 sends 100+300 bytes, 10.0.0.7 sends 250 bytes, a REJECT of 5."""
    root = tmp_path / "bucket"
    layout = Layout("text", False, True)
    fx.write_text(
        root / fx.key_for(layout, fx.ACCOUNT_A, "eu-west-1", WHEN),
        fx.DEFAULT_FIELDS,
        [fx.record(bytes=100), fx.record(bytes=300), fx.record(srcaddr="10.0.0.7", bytes=250)],
    )
    fx.write_text(
        root / fx.key_for(layout, fx.ACCOUNT_B, "us-east-1", WHEN),
        fx.DEFAULT_FIELDS,
        [fx.record(srcaddr="203.0.113.9", bytes=5, action="REJECT", dstport=22)],
    )
    return root


BAD_INPUT = [
    (["query", "nope", "--logs", "."], "unknown query 'nope'"),
    (["render", "nope"], "unknown query 'nope'"),
    (["query", "traffic-from-source", "--logs", "{logs}", *WINDOW], "missing parameter 'srcaddr'"),
    (
        ["query", "traffic-from-source", "--logs", "{logs}", "--param", "srcaddr=10.0.0", *WINDOW],
        "parameter 'srcaddr': '10.0.0' is not an IPv4 or IPv6 address",
    ),
    (["query", "top-talkers", "--logs", "{logs}", "--param", "srcaddr"], "--param: expected key=value"),
    (["query", "top-talkers", "--logs", "{logs}", "--param", "x=1", *WINDOW], "unknown parameter(s) x"),
    (
        ["query", "top-talkers", "--logs", "{logs}", "--since", "yesterday"],
        "--since: 'yesterday' is not a date",
    ),
    (
        ["query", "top-talkers", "--logs", "{logs}", "--until", "2024-02-30"],
        "--until: '2024-02-30' is not a date",
    ),
    (
        ["query", "top-talkers", "--logs", "{logs}", "--since", "2024-05-02", "--until", "2024-05-01T23:00Z"],
        "--since (2024-05-02T00:00:00Z) must be before --until (2024-05-01T23:00:00Z)",
    ),
    (["query", "top-talkers", "--logs", "{missing}"], "no such folder"),
    (["query", "top-talkers", "--logs", "{empty}"], "no flow log files"),
    (["query", "top-talkers"], "choose where to run the query: --logs DIR"),
    (["-c", "lookback_days=0", "queries"], "setting 'lookback_days'"),
    (["-c", "lookback_days", "queries"], "--context: expected key=value"),
    (["--config", "{missing}/cdk.json", "queries"], "not found"),
    (["query", "top-talkers", "--logs", "{logs}", "--format", "xml"], "'xml' is not one of"),
    (["-c", "log_fields=aws-default", "render", "top-talkers-packet-level"], "needs field(s) pkt-srcaddr"),
]


@pytest.mark.parametrize(
    ("args", "message"), BAD_INPUT, ids=[" ".join(a[:3]) + "|" + m[:20] for a, m in BAD_INPUT]
)
def test_bad_input_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], logs: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "empty").mkdir()
    names = {"logs": str(logs), "missing": str(tmp_path / "missing"), "empty": str(tmp_path / "empty")}
    code, out, err = flowlogs(capsys, *(a.format(**names) for a in args))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("flowlogs: error: "), err
    assert message in lines[0]
    assert out == ""


def test_query_needing_fields_the_files_lack(capsys: pytest.CaptureFixture[str], logs: Path) -> None:
    code, _, err = flowlogs(capsys, "query", "top-talkers-packet-level", "--logs", str(logs), *WINDOW)
    assert code == 2
    assert err.strip() == (
        f"flowlogs: error: query 'top-talkers-packet-level' needs field(s) pkt-srcaddr, "
        f"which none of the 2 flow log file(s) of the time window (dt 2024/05/01/00 to 2024/05/02/01) "
        f"under {logs} has"
    )


def test_json_output_is_one_array_with_numbers(capsys: pytest.CaptureFixture[str], logs: Path) -> None:
    code, out, err = flowlogs(
        capsys, "query", "top-talkers", "--logs", str(logs), *WINDOW, "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    # by hand from the fixture: 10.0.0.1 400 bytes (2 records x 2 packets), 10.0.0.7 250, 203.0.113.9 5
    assert [(d["srcaddr"], d["bytes"], d["packets"]) for d in data] == [
        ("10.0.0.1", 400, 4),
        ("10.0.0.7", 250, 2),
        ("203.0.113.9", 5, 2),
    ]
    assert all(isinstance(d["bytes"], int) for d in data)


def test_csv_output_has_a_header(capsys: pytest.CaptureFixture[str], logs: Path) -> None:
    code, out, _ = flowlogs(capsys, "query", "top-talkers", "--logs", str(logs), *WINDOW, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["srcaddr", "bytes", "packets"]
    assert rows[1] == ["10.0.0.1", "400", "4"]


def test_table_output_and_parameters(capsys: pytest.CaptureFixture[str], logs: Path) -> None:
    code, out, _ = flowlogs(
        capsys, "query", "traffic-from-source", "--logs", str(logs), *WINDOW, "-p", "srcaddr=203.0.113.9"
    )
    assert code == 0
    assert "dstaddr" in out and "REJECT" in out and "10.0.0.2" in out
    assert "ACCEPT" not in out  # only 203.0.113.9's one rejected flow


def test_render_prints_the_athena_sql_with_placeholders(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = flowlogs(
        capsys,
        "render",
        "traffic-from-source",
        "--since",
        "2024-05-01T13:00",
        "--until",
        "2024-05-01T18:30:00Z",
    )
    assert code == 0
    assert '"flowlogs_local"."flow_logs"' in out
    assert "TIMESTAMP '2024-05-01 13:00:00'" in out and "TIMESTAMP '2024-05-01 18:30:00'" in out
    assert out.count("?") == 1


def test_render_default_window_and_config_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "cdk.json"
    config.write_text(
        json.dumps(
            {
                "context": {
                    "investigation": "case-7",
                    "vpc_ids": ["vpc-0123456789abcdef0"],
                    "hive_partitions": True,
                    "lookback_days": 3,
                }
            }
        )
    )
    code, out, _ = flowlogs(capsys, "--config", str(config), "render", "top-talkers")
    assert code == 0
    assert '"flowlogs_case_7"."flow_logs"' in out
    assert "current_timestamp - INTERVAL '3' DAY" in out and "year=%Y/month=%m/day=%d/hour=%H" in out


def test_queries_lists_availability(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = flowlogs(capsys, "-c", "log_fields=aws-default", "queries", "--format", "json")
    assert code == 0
    listing = {q["name"]: q for q in json.loads(out)}
    assert listing["top-talkers"]["available"] is True
    assert listing["top-talkers-packet-level"]["available"] is False  # needs pkt-srcaddr (version 3)
    source = listing["traffic-from-source"]["params"]
    assert source[0]["name"] == "srcaddr" and source[0]["kind"] == "ip"
    code, table, _ = flowlogs(capsys, "queries")
    assert code == 0 and "top-talkers" in table


def test_sample_passes_its_options(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from flowkit import sample

    seen: dict[str, Any] = {}

    class Summary:
        def lines(self) -> list[str]:
            return ["wrote 1 file"]

    def fake(**kwargs: Any) -> Summary:
        seen.update(kwargs)
        return Summary()

    monkeypatch.setattr(sample, "write_sample", fake)
    code, out, _ = flowlogs(
        capsys,
        "sample",
        "--out",
        str(tmp_path / "s"),
        "--days",
        "3",
        "--format",
        "text",
        "--hive",
        "--daily",
        "--seed",
        "5",
    )
    assert code == 0 and out == "wrote 1 file\n"
    assert seen == {
        "out_dir": tmp_path / "s",
        "days": 3,
        "layout": Layout("text", hive=True, hourly=False),
        "seed": 5,
    }


def test_sample_then_query_for_real(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = flowlogs(capsys, "sample", "--out", str(tmp_path / "s"), "--days", "1", "--format", "text")
    assert code == 0, err
    code, out, err = flowlogs(
        capsys, "query", "log-coverage", "--logs", str(tmp_path / "s"), "--format", "json"
    )
    assert code == 0, err
    assert sum(row["records"] for row in json.loads(out)) > 0


def test_console_script_in_a_subprocess(logs: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "flowkit.cli",
            "query",
            "top-talkers",
            "--logs",
            str(logs),
            *WINDOW,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)[0] == {"srcaddr": "10.0.0.1", "bytes": 400, "packets": 4}
    bad = subprocess.run(
        [sys.executable, "-m", "flowkit.cli", "query", "top-talkers", "--logs", str(logs), "--since", "soon"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("flowlogs: error: --since: 'soon'") and bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.stderr


def test_cli_imports_nothing_heavy() -> None:
    code = (
        "import sys, flowkit.cli; heavy = [m for m in ('duckdb', 'sqlglot', 'aws_cdk', 'boto3', 'rich') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
