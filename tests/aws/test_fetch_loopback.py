"""``flowlogs fetch`` against a real HTTP S3 on 127.0.0.1 that stalls or dies mid-run (loopback_s3.py).

Each run must end by itself within a bound, with one ``flowlogs: error:`` line and exit status 1 (130 for
Ctrl-C), keep every file that was complete byte for byte, leave no temporary file, and resume on a
healthy endpoint. The objects are the sample writer's gzip text files in AWS's key layout.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flowkit import cli
from flowkit.aws import fetch
from flowkit.layout import Layout
from tests.aws.loopback_s3 import serving

REPO = Path(__file__).resolve().parents[2]
BUCKET = "loopback-logs"
NOW = datetime(2024, 5, 3, tzinfo=UTC)
WINDOW = ["--since", "2024-05-01T12:00Z", "--until", "2024-05-03T00:00Z"]
TIMEOUT = 2  # seconds of silence that end a run
BOUND = 25  # seconds any run here may take, however S3 misbehaves


@pytest.fixture(scope="module")
def objects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A day and a half of sample text logs in hourly folders (the window holds every file)."""
    from flowkit.sample import write_sample

    root = tmp_path_factory.mktemp("sample")
    write_sample(root, days=1, layout=Layout("text", False, True), seed=5, now=NOW, flows_per_day=60)
    found = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.log.gz")}
    assert len(found) >= 10
    return found


@pytest.fixture
def endpoint(aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Fake credentials (aws_env) and a folder without cdk.json; each test points AWS_ENDPOINT_URL_S3 at
    its own server."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    yield


def run_fetch(monkeypatch: pytest.MonkeyPatch, url: str, out: Path, *extra: str) -> tuple[Result, float]:
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", url)
    started = time.monotonic()
    result = CliRunner().invoke(cli.cli, ["fetch", "--bucket", BUCKET, "--format", "text", "--no-hive",
                                          "--hourly", *WINDOW, "--out", str(out), "--timeout", str(TIMEOUT),
                                          *extra])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result, time.monotonic() - started


def copied(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.log.gz")}


def leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if fetch.PART_SUFFIX in p.name]


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("flowlogs: error: ")]


def resumes(monkeypatch: pytest.MonkeyPatch, objects: dict[str, bytes], out: Path, kept: int) -> None:
    """A healthy endpoint completes the copy, downloading only what is missing."""
    with serving(BUCKET, objects) as healthy:
        again, _ = run_fetch(monkeypatch, healthy.url, out)
    assert again.exit_code == 0, again.stderr
    assert f"downloaded {len(objects) - kept} file(s)" in again.stderr
    assert f"skipped {kept} already present" in again.stderr
    assert copied(out) == objects


def test_a_healthy_endpoint_copies_the_window(endpoint: None, monkeypatch: pytest.MonkeyPatch,
                                              objects: dict[str, bytes], tmp_path: Path) -> None:
    with serving(BUCKET, objects) as s3:
        result, _ = run_fetch(monkeypatch, s3.url, tmp_path / "copy")
    assert result.exit_code == 0, result.stderr
    assert copied(tmp_path / "copy") == objects
    assert f"downloaded {len(objects)} file(s)" in result.stderr


@pytest.mark.parametrize("workers", [1, 4])
def test_a_stalled_download_ends_the_run_with_one_line(endpoint: None, monkeypatch: pytest.MonkeyPatch,
                                                       objects: dict[str, bytes], tmp_path: Path,
                                                       workers: int) -> None:
    out = tmp_path / "copy"
    with serving(BUCKET, objects, trouble="stall", healthy_gets=3) as s3:
        result, took = run_fetch(monkeypatch, s3.url, out, "--workers", str(workers))
        assert took < BOUND
        assert result.exit_code == 1
        kept = copied(out)
        [line] = error_lines(result)
        assert line == (f"flowlogs: error: S3 ({s3.url}) sent nothing for {TIMEOUT} s: stopped with "
                        f"{len(kept)} of {len(objects)} file(s) downloaded; run the same command again to "
                        "resume")
        assert 3 - workers < len(kept) <= 3 or (workers == 1 and len(kept) == 3)
        assert all(objects[key] == body for key, body in kept.items())
        assert leftovers(out) == []
        assert "FAILED" not in result.stderr
    resumes(monkeypatch, objects, out, len(kept))


def test_a_dead_endpoint_ends_the_run_with_one_line(endpoint: None, monkeypatch: pytest.MonkeyPatch,
                                                    objects: dict[str, bytes], tmp_path: Path) -> None:
    out = tmp_path / "copy"
    with serving(BUCKET, objects, trouble="die", healthy_gets=3) as s3:
        result, took = run_fetch(monkeypatch, s3.url, out, "--workers", "1")
    assert took < BOUND
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line.startswith(f"flowlogs: error: cannot reach S3 ({s3.url}): ")
    assert line.endswith(f"3 of {len(objects)} file(s) downloaded, run the same command again to resume")
    assert "FAILED" not in result.stderr and len(result.stderr.splitlines()) == 2  # the "fetching" line
    kept = copied(out)
    assert len(kept) == 3 and all(objects[key] == body for key, body in kept.items())
    assert leftovers(out) == []
    resumes(monkeypatch, objects, out, 3)


def test_an_endpoint_that_never_answers_a_listing(endpoint: None, monkeypatch: pytest.MonkeyPatch,
                                                  objects: dict[str, bytes], tmp_path: Path) -> None:
    with serving(BUCKET, objects, stall_listing=True) as s3:
        result, took = run_fetch(monkeypatch, s3.url, tmp_path / "copy")
    assert took < BOUND
    assert result.exit_code == 1
    assert error_lines(result) == [f"flowlogs: error: S3 ({s3.url}) sent nothing for {TIMEOUT} s while "
                                   "listing the window; nothing was downloaded"]
    assert not (tmp_path / "copy").exists() or copied(tmp_path / "copy") == {}


def test_an_endpoint_nobody_listens_on(endpoint: None, monkeypatch: pytest.MonkeyPatch,
                                       objects: dict[str, bytes], tmp_path: Path) -> None:
    with serving(BUCKET, objects) as s3:
        url = s3.url
    result, took = run_fetch(monkeypatch, url, tmp_path / "copy")
    assert took < BOUND
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line.startswith(f"flowlogs: error: cannot reach S3 ({url}): Could not connect to the endpoint URL")


def test_ctrl_c_exits_130_with_one_line_and_no_temporary_file(aws_env: None, objects: dict[str, bytes],
                                                              tmp_path: Path) -> None:
    out = tmp_path / "copy"
    with serving(BUCKET, objects, trouble="stall", healthy_gets=2) as s3:
        env = {**os.environ, "AWS_ENDPOINT_URL_S3": s3.url, "PYTHONPATH": str(REPO)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "flowkit.cli", "fetch", "--bucket", BUCKET, "--format", "text",
             "--no-hive", "--hourly", *WINDOW, "--out", str(out), "--timeout", "60", "--workers", "1"],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60  # a loaded machine may take a while to start Python and boto3
        while (len(copied(out)) < 2 or not leftovers(out)) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)  # until two files are complete and the third, stalled one is under way
        assert leftovers(out), "the stalled download never started"
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=BOUND)
    assert proc.returncode == 130
    assert stdout == ""
    assert stderr.splitlines()[1:] == ["flowlogs: interrupted"]
    assert leftovers(out) == []
    kept = copied(out)
    assert len(kept) == 2 and all(objects[key] == body for key, body in kept.items())
