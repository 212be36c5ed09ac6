"""Before spending on Athena: ``--dry-run`` prints the SQL and the most the window can cost, and a window
outside the table's partition projection range is a warning naming the range (moto; never real AWS).

Expected bounds are computed here: the saved queries read the time folders from the one of ``since`` to
the one of ``until`` (README, "Time window": the partition filter reaches one hour past ``until``), and
Athena bills USD 5 per TB, rounded up to whole MB, at least 10 MB per query (decimal units).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest

from flowkit.catalogue import resolve
from flowkit.layout import Layout
from tests.moto_hooks import Hooks, flowlogs, moto_cli
from tests.moto_stacks import create_stack

REGION = "us-east-1"
BUCKET = "flowlogs-demo-logs"
STORAGE = {"BucketName": BUCKET, "LogRoot": "AWSLogs/", "LogLayout": "text hive=false hourly=true"}
ANALYTICS = {"DatabaseName": "flowlogs_demo", "TableName": "flow_logs", "WorkGroupName": "flowlogs-demo",
             "ResultsLocation": f"s3://{BUCKET}/athena-results/",
             "TableColumns": ",".join(f.name for f in resolve("v5"))}
DEMO = ["-c", "investigation=demo", "-c", "file_format=text"]
HOUR = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
SINCE, UNTIL = HOUR - timedelta(hours=9), HOUR - timedelta(hours=3)
WINDOW = ["--since", f"{SINCE:%Y-%m-%dT%H:%MZ}", "--until", f"{UNTIL:%Y-%m-%dT%H:%MZ}"]
BIG = 12_345_678  # one large file in the window, so the bound is above Athena's 10 MB minimum


@pytest.fixture
def hooks(aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Hooks]:
    with moto_cli(monkeypatch, tmp_path) as found:
        yield found


@pytest.fixture
def deployed(hooks: Hooks, tmp_path: Path) -> dict[str, int]:
    """The demo investigation's stacks and a day of sample logs ending this hour; key -> size."""
    from flowkit.sample import write_sample

    create_stack("flowlogs-demo-storage", STORAGE, REGION)
    create_stack("flowlogs-demo-analytics", ANALYTICS, REGION)
    boto3.client("athena", region_name=REGION).create_work_group(Name="flowlogs-demo")
    root = tmp_path / "sample"
    layout = Layout("text", False, True)
    write_sample(root, days=1, layout=layout, seed=9, now=HOUR, flows_per_day=60)
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.log.gz")}
    account = next(iter(files)).split("/")[1]
    big = HOUR - timedelta(hours=5)
    files[layout.key_prefix_for(account, "eu-west-1", big) + layout.file_name(
        account, "eu-west-1", "fl-0123456789abcdef0", big, "big")] = bytes(BIG)
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    for key, body in files.items():
        s3.put_object(Bucket=BUCKET, Key=key, Body=body)
    return {key: len(body) for key, body in files.items()}


def window_bytes(sizes: dict[str, int]) -> tuple[int, int]:
    """Files and bytes in the hourly folders from SINCE's to UNTIL's."""
    def folder(key: str) -> datetime:
        y, m, d, h = (int(p) for p in key.split("/")[4:8])
        return datetime(y, m, d, h, tzinfo=UTC)

    inside = [size for key, size in sizes.items() if SINCE <= folder(key) <= UNTIL]
    return len(inside), sum(inside)


def usd(scanned: int, queries: int = 1) -> str:
    billed = max(math.ceil(scanned / 10**6) * 10**6, 10 * 10**6)
    return f"USD {queries * billed * 5 / 10**12:.6f}"


def test_query_dry_run_prints_the_sql_and_the_most_the_window_can_cost(deployed: dict[str, int],
                                                                       hooks: Hooks) -> None:
    result = flowlogs("query", "top-talkers", "--athena", "--investigation", "demo", *WINDOW, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == flowlogs(*DEMO, "render", "top-talkers", *WINDOW).stdout
    files, size = window_bytes(deployed)
    assert size > BIG and files > 5
    assert result.stderr.splitlines() == [
        f"Data scanned: at most {size / 10**6:.2f} MB ({files} file(s) in the window's folders); billed "
        f"at most ~ {usd(size)} (USD 5 per TB, 10 MB minimum)"]
    assert not hooks.requests("athena.StartQueryExecution")
    assert not hooks.requests("s3.GetObject")


def test_report_dry_run_prints_every_query_and_the_total_bound(deployed: dict[str, int], hooks: Hooks,
                                                               tmp_path: Path) -> None:
    result = flowlogs("report", "--athena", "--investigation", "demo", *WINDOW, "--dry-run")
    assert result.exit_code == 0, result.stderr
    names = re.findall(r"^-- ([a-z-]+)", result.stdout, re.M)
    assert len(names) == 11 and "accept-reject-ratio" in names and "ssh-rdp-traffic" in names
    assert result.stdout.count("SELECT") >= 11
    files, size = window_bytes(deployed)
    assert result.stderr.strip().endswith(f"11 queries billed at most ~ {usd(size, 11)} (USD 5 per TB, "
                                          "10 MB minimum)")
    assert f"at most {size / 10**6:.2f} MB ({files} file(s)" in result.stderr
    assert not hooks.requests("athena.StartQueryExecution")
    assert not list(tmp_path.rglob("*.html"))


def test_dry_run_without_the_bucket_says_the_bound_is_unknown(hooks: Hooks) -> None:
    boto3.client("athena", region_name=REGION).create_work_group(Name="wg")
    result = flowlogs("query", "top-talkers", "--athena", "--workgroup", "wg", "--database", "db", *WINDOW,
                      "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "SELECT" in result.stdout
    assert "the most the window can scan is unknown" in result.stderr
    assert not hooks.requests("athena.StartQueryExecution")


@pytest.mark.parametrize("args", [["query", "top-talkers"], ["report", "--out", "r.html"]])
def test_dry_run_needs_athena(hooks: Hooks, tmp_path: Path, args: list[str]) -> None:
    result = flowlogs(*args, "--logs", str(tmp_path), "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.startswith("flowlogs: error: --dry-run goes with --athena")
    assert result.stderr.count("\n") == 1


# -- the projection range ---------------------------------------------------------------------------------
def stamp(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%MZ}"


def projection_start(days: int) -> list[str]:
    """NOW-<days>DAYS as the warning prints it (the minute may turn while the command runs)."""
    now = datetime.now(UTC)
    return [stamp(now - timedelta(days=days, minutes=m)) for m in (0, 1)]


def test_a_window_before_the_projection_range_is_a_warning_naming_it(hooks: Hooks) -> None:
    boto3.client("athena", region_name=REGION).create_work_group(Name="wg")
    result = flowlogs("query", "top-talkers", "--athena", "--workgroup", "wg", "--database", "db",
                      "--since", "2024-05-01", "--until", "2024-05-02")
    assert result.exit_code == 0, result.stderr
    assert "(no rows)" in result.stdout
    warning = [line for line in result.stderr.splitlines() if line.startswith("flowlogs: warning: ")]
    assert len(warning) == 1
    assert any(warning[0] == ("flowlogs: warning: the window 2024-05-01T00:00Z to 2024-05-02T00:00Z ends "
                              f"before the table's projection range ({start} to now: log_retention_days + 1 "
                              "= 31 days back): Athena reads no partition of it and the query returns no "
                              "rows") for start in projection_start(31)), warning


@pytest.mark.parametrize(("settings", "warned"), [([], True), (["-c", "log_retention_days=60"], False)])
def test_a_window_reaching_before_the_range_is_a_warning(hooks: Hooks, settings: list[str],
                                                         warned: bool) -> None:
    boto3.client("athena", region_name=REGION).create_work_group(Name="wg")
    result = flowlogs(*settings, "query", "top-talkers", "--athena", "--workgroup", "wg", "--database", "db",
                      "--since", "40d")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("flowlogs: warning: ")]
    if not warned:
        assert warnings == []
        return
    [line] = warnings
    assert line.startswith("flowlogs: warning: the window starts at ")
    assert any(f"before the table's projection range ({start} to now: log_retention_days + 1 = 31 days "
               f"back): Athena reads nothing before {start}" in line for start in projection_start(31)), line


def test_a_window_inside_the_range_has_no_warning(hooks: Hooks) -> None:
    boto3.client("athena", region_name=REGION).create_work_group(Name="wg")
    result = flowlogs("query", "top-talkers", "--athena", "--workgroup", "wg", "--database", "db",
                      "--since", "2d")
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr
