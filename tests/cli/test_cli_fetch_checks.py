"""``flowlogs fetch`` against moto: a window with nothing to fetch, resume by content, --verify, --dry-run.

The bucket holds the sample writer's text logs (plain, hourly folders, no key prefix) of one account
and region. Expected file sets and sizes are computed here from the keys' folders, independently of
the kit's planner.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest

from flowkit.layout import Layout
from tests.moto_hooks import Hooks, flowlogs, moto_cli

REGION = "us-east-1"
BUCKET = "case-logs"
SINCE, UNTIL = datetime(2024, 5, 2, 6, tzinfo=UTC), datetime(2024, 5, 2, 12, tzinfo=UTC)
WINDOW = ["--since", "2024-05-02T06:00Z", "--until", "2024-05-02T12:00Z"]
PLAIN_HOURLY_TEXT = ["--format", "text", "--no-hive", "--hourly"]


@pytest.fixture
def hooks(aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Hooks]:
    with moto_cli(monkeypatch, tmp_path) as found:
        yield found


@pytest.fixture
def files(tmp_path: Path, hooks: Hooks) -> dict[str, bytes]:
    """A day of sample text logs ending 2024-05-03 00:00 UTC, uploaded to the bucket as they are."""
    from flowkit.sample import write_sample

    root = tmp_path / "original"
    write_sample(root, days=1, layout=Layout("text", False, True), seed=3,
                 now=datetime(2024, 5, 3, tzinfo=UTC), flows_per_day=80)
    found = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.log.gz")}
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    for key, body in found.items():
        s3.put_object(Bucket=BUCKET, Key=key, Body=body)
    return found


def in_window(key: str) -> bool:
    """Hourly folders hold records by END time, at most 10 minutes after they start (VPC user guide)."""
    parts = key.split("/")  # AWSLogs/<account>/vpcflowlogs/<region>/yyyy/MM/dd/HH/<file>
    folder = datetime(int(parts[4]), int(parts[5]), int(parts[6]), int(parts[7]), tzinfo=UTC)
    return SINCE <= folder <= (UNTIL + timedelta(minutes=10)).replace(minute=0)


def copied(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.log.gz")}


def fetch(*args: str) -> tuple[int, str, str]:
    result = flowlogs("fetch", "--bucket", BUCKET, *WINDOW, *args)
    return result.exit_code, result.stdout, result.stderr


def error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("flowlogs: error: ")]
    assert len(lines) == 1, err
    return lines[0]


# -- a window with nothing of the layout: exit 1 and what the bucket holds instead -------------------
MISMATCHES = [
    (["--format", "parquet", "--no-hive", "--hourly"],
     "(text, plain, hourly; fetch reads parquet, plain, hourly)"),
    (["--format", "text", "--no-hive", "--daily"], "(hourly folders; fetch reads daily ones)"),
    ([*PLAIN_HOURLY_TEXT, "--prefix", "team"], "(another key prefix; fetch reads s3://case-logs/team/AWSLogs/)"),
    ([*PLAIN_HOURLY_TEXT, "--account", "999988887777"], "which --account leaves out)"),
    ([*PLAIN_HOURLY_TEXT, "--log-region", "ap-south-1"], "which --log-region leaves out)"),
]


@pytest.mark.parametrize(("args", "named"), MISMATCHES,
                         ids=["format", "daily", "prefix", "account", "region"])
def test_a_window_with_nothing_to_fetch_says_what_the_bucket_holds(files: dict[str, bytes], tmp_path: Path,
                                                                   args: list[str], named: str) -> None:
    code, out, err = fetch(*args, "--out", str(tmp_path / "copy"))
    assert code == 1 and out == ""
    line = error_line(err)
    assert line.startswith("flowlogs: error: no flow log file of 2024-05-02T06:00Z to 2024-05-02T12:00Z "
                           "under s3://case-logs/"), line
    assert named in line
    assert copied(tmp_path / "copy") == {} if (tmp_path / "copy").exists() else True


def test_the_right_options_fetch_the_window(files: dict[str, bytes], tmp_path: Path) -> None:
    code, _, err = fetch(*PLAIN_HOURLY_TEXT, "--out", str(tmp_path / "copy"))
    assert code == 0, err
    expected = {k: v for k, v in files.items() if in_window(k)}
    assert 0 < len(expected) < len(files)
    assert copied(tmp_path / "copy") == expected


# -- resume checks content; --verify re-checks a finished copy -----------------------------------------
def corrupt(path: Path) -> None:
    """Same size, other bytes (a disk error, a tool that rewrote it)."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_corrupted_file_of_the_right_size_is_fetched_again(files: dict[str, bytes], tmp_path: Path) -> None:
    out = tmp_path / "copy"
    assert fetch(*PLAIN_HOURLY_TEXT, "--out", str(out))[0] == 0
    expected = {k: v for k, v in files.items() if in_window(k)}
    victim = sorted(expected)[1]
    corrupt(out / victim)
    code, _, err = fetch(*PLAIN_HOURLY_TEXT, "--out", str(out))
    assert code == 0, err
    assert (f"downloaded 1 file(s), {len(expected[victim])} bytes; skipped {len(expected) - 1} "
            "already present") in err
    assert copied(out) == expected


def test_verify_names_what_differs_and_downloads_nothing(files: dict[str, bytes], tmp_path: Path,
                                                         hooks: Hooks) -> None:
    out = tmp_path / "copy"
    assert fetch(*PLAIN_HOURLY_TEXT, "--out", str(out))[0] == 0
    expected = {k: v for k, v in files.items() if in_window(k)}
    code, _, err = fetch(*PLAIN_HOURLY_TEXT, "--out", str(out), "--verify")
    assert code == 0, err
    assert f"checked {len(expected)} file(s) against S3: {len(expected)} match" in err

    victim, gone = sorted(expected)[0], sorted(expected)[-1]
    corrupt(out / victim)
    (out / gone).unlink()
    gets = len(hooks.requests("s3.GetObject"))
    code, _, err = fetch(*PLAIN_HOURLY_TEXT, "--out", str(out), "--verify")
    assert code == 1
    assert f"1 other content than was downloaded, e.g. {victim}" in err
    assert f"1 missing, e.g. {gone}" in err
    assert error_line(err) == (f"flowlogs: error: 2 of {len(expected)} file(s) under {out} do not match S3; "
                               "run the same command without --verify to repair them")
    assert len(hooks.requests("s3.GetObject")) == gets  # nothing downloaded
    assert (out / victim).read_bytes() != expected[victim]


def test_dry_run_counts_the_window_and_writes_nothing(files: dict[str, bytes], tmp_path: Path,
                                                      hooks: Hooks) -> None:
    code, out, err = fetch(*PLAIN_HOURLY_TEXT, "--out", str(tmp_path / "copy"), "--dry-run")
    assert code == 0, err
    expected = {k: v for k, v in files.items() if in_window(k)}
    size = sum(len(v) for v in expected.values())
    assert f"the window holds {len(expected)} file(s), {size} bytes" in err
    assert out == ""
    assert not (tmp_path / "copy").exists()
    assert not hooks.requests("s3.GetObject")
