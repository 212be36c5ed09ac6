"""flowkit.fetch: downloading one time window of flow logs from a moto S3 bucket.

Object keys are built here from the VPC user guide's key patterns, independently of flowkit.layout.
Files are keyed by the END time of their records, so a window [since, until) needs the time folders
from since's folder up to one hour after until.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from flowkit.aws import fetch
from flowkit.layout import Layout

BUCKET = "flow-logs-bucket"
ACCOUNTS = ("111122223333", "444455556666")
REGIONS = ("eu-west-1", "us-east-1")
FLOW_LOG = "fl-0a1b2c3d4e5f60789"


def ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


# File timestamps (5-minute END-time windows) put for every account and region.
STAMPS = [ts(t) for t in (
    "2024-04-30 23:55", "2024-05-01 21:05", "2024-05-01 21:55", "2024-05-01 22:05", "2024-05-01 22:55",
    "2024-05-01 23:30", "2024-05-02 00:00", "2024-05-02 00:55", "2024-05-02 01:10", "2024-05-02 02:05",
    "2024-05-02 02:55", "2024-05-02 03:00", "2024-05-02 23:05", "2024-05-02 23:55", "2024-05-03 00:05",
    "2024-05-03 00:50", "2024-05-03 01:05", "2024-05-04 00:05",
)]
WINDOWS = {
    # name: (since, until, number of hourly folders, number of daily folders)
    "evening": (ts("2024-05-01 22:30"), ts("2024-05-02 01:15"), 5, 2),  # hours 22 23 00 01 02
    "midnight-slack": (ts("2024-05-02 23:10"), ts("2024-05-02 23:40"), 2, 2),  # 23, 00 of the next day
}
LAYOUTS = [
    (fmt, hive, hourly)
    for fmt, hive, hourly in itertools.product(("text", "parquet"), (False, True), (False, True))
]


def folder(prefix: str, hive: bool, hourly: bool, account: str, region: str, when: datetime) -> str:
    root = f"{prefix}/AWSLogs/" if prefix else "AWSLogs/"
    if hive:
        path = (f"aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/"
                f"year={when:%Y}/month={when:%m}/day={when:%d}/")
        return root + path + (f"hour={when:%H}/" if hourly else "")
    path = f"{account}/vpcflowlogs/{region}/{when:%Y}/{when:%m}/{when:%d}/"
    return root + path + (f"{when:%H}/" if hourly else "")


def object_key(fmt: str, prefix: str, hive: bool, hourly: bool, account: str, region: str,
               when: datetime, n: int) -> str:
    suffix = ".log.gz" if fmt == "text" else ".log.parquet"
    name = f"{account}_vpcflowlogs_{region}_{FLOW_LOG}_{when:%Y%m%dT%H%M}Z_{n:08x}{suffix}"
    return folder(prefix, hive, hourly, account, region, when) + name


def folder_start(when: datetime, hourly: bool) -> datetime:
    return when.replace(minute=0) if hourly else when.replace(hour=0, minute=0)


def in_window(when: datetime, hourly: bool, since: datetime, until: datetime) -> bool:
    """The folder of ``when`` can hold records starting in [since, until)."""
    start = folder_start(when, hourly)
    return folder_start(since, hourly) <= start < until + timedelta(hours=1)


def body(key: str) -> bytes:
    return (key + "\n").encode() * (1 + len(key) % 7)


def populate(s3: Any, fmt: str, prefix: str, hive: bool, hourly: bool) -> list[tuple[str, datetime]]:
    s3.create_bucket(Bucket=BUCKET)
    keys = []
    for n, (account, region, when) in enumerate(itertools.product(ACCOUNTS, REGIONS, STAMPS)):
        key = object_key(fmt, prefix, hive, hourly, account, region, when, n)
        s3.put_object(Bucket=BUCKET, Key=key, Body=body(key))
        keys.append((key, when))
    # Things that must never be fetched: another service, another prefix, query results.
    root = f"{prefix}/AWSLogs/" if prefix else "AWSLogs/"
    for stray in (root + f"{ACCOUNTS[0]}/elasticloadbalancing/us-east-1/2024/05/01/x.log.gz",
                  "other/" + object_key(fmt, "", hive, hourly, ACCOUNTS[0], REGIONS[0], STAMPS[3], 999),
                  "athena-results/q-1.csv"):
        s3.put_object(Bucket=BUCKET, Key=stray, Body=b"x")
    return keys


def record_listings(s3: Any) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        calls.append(dict(params))

    s3.meta.events.register("before-parameter-build.s3.ListObjectsV2", record, unique_id="record-listings")
    return calls


def local_files(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != fetch.MANIFEST}


@pytest.mark.parametrize(("fmt", "hive", "hourly"), LAYOUTS)
def test_fetch_downloads_exactly_the_window(mocked: boto3.Session, tmp_path: Path, fmt: str, hive: bool,
                                            hourly: bool) -> None:
    prefix = "team/flows" if hive == hourly else ""
    s3 = mocked.client("s3")
    keys = populate(s3, fmt, prefix, hive, hourly)
    for window in sorted(WINDOWS):
        check_window(s3, keys, Layout(fmt, hive, hourly, prefix), window, tmp_path / window)  # type: ignore[arg-type]


def check_window(s3: Any, keys: list[tuple[str, datetime]], layout: Layout, window: str, out: Path) -> None:
    prefix, hourly = layout.key_prefix, layout.hourly
    since, until, hourly_folders, daily_folders = WINDOWS[window]
    expected = {key for key, when in keys if in_window(when, hourly, since, until)}
    assert expected and len(expected) < len(keys)
    calls = record_listings(s3)

    summary = fetch.fetch(s3, BUCKET, layout, since, until, out)
    s3.meta.events.unregister("before-parameter-build.s3.ListObjectsV2", unique_id="record-listings")

    assert local_files(out) == expected, window
    for key in expected:
        assert (out / key).read_bytes() == body(key)
    assert (summary.downloaded, summary.skipped, summary.failed) == (len(expected), 0, [])
    assert summary.bytes_downloaded == sum(len(body(k)) for k in expected)
    assert summary.accounts == list(ACCOUNTS) and summary.regions == list(REGIONS)
    # the transit gateway flow logs' folder (the kit delivers them to transit-gateway/ after the
    # prefix) is listed once, holds nothing here, and nothing below it is listed
    transit_root = (f"{prefix}/" if prefix else "") + "transit-gateway/AWSLogs/"
    assert [c["Prefix"] for c in calls if c["Prefix"].startswith(transit_root)] == [transit_root]
    calls = [c for c in calls if not c["Prefix"].startswith(transit_root)]
    # 1 listing for accounts, 1 per account for regions, 1 per account, region and time folder.
    folders = hourly_folders if hourly else daily_folders
    assert len(calls) == 1 + len(ACCOUNTS) + len(ACCOUNTS) * len(REGIONS) * folders
    root = f"{prefix}/AWSLogs/" if prefix else "AWSLogs/"
    assert all(c["Prefix"].startswith(root) and c.get("Delimiter") == "/" for c in calls)
    service_level = [c for c in calls if c["Prefix"].endswith("vpcflowlogs/")]
    time_level = [c["Prefix"] for c in calls if c["Prefix"] != root and c not in service_level]
    assert len(service_level) == len(ACCOUNTS)
    assert set(time_level) == {k.rsplit("/", 1)[0] + "/" for k in expected}


def test_given_accounts_and_regions_are_not_discovered(mocked: boto3.Session, tmp_path: Path) -> None:
    s3 = mocked.client("s3")
    keys = populate(s3, "text", "", False, True)
    calls = record_listings(s3)
    since, until, hourly_folders, _ = WINDOWS["evening"]
    summary = fetch.fetch(s3, BUCKET, Layout("text", False, True), since, until, tmp_path,
                          accounts=[ACCOUNTS[1]], regions=["us-east-1"])
    expected = {k for k, when in keys if f"/{ACCOUNTS[1]}/vpcflowlogs/us-east-1/" in k
                and in_window(when, True, since, until)}
    assert local_files(tmp_path) == expected
    assert len(calls) == hourly_folders + 1  # and the one listing of the transit gateway folder
    assert summary.downloaded == len(expected)


def test_transit_gateway_files_come_along(mocked: boto3.Session, tmp_path: Path) -> None:
    """Files under the transit gateway folder are fetched with the VPC ones, in their own layout."""
    s3 = mocked.client("s3")
    keys = populate(s3, "parquet", "team/flows", True, True)
    transit = [(object_key("parquet", "team/flows/transit-gateway", True, True, ACCOUNTS[0], REGIONS[1], when,
                           500 + n), when) for n, when in enumerate(STAMPS)]
    for key, _ in transit:
        s3.put_object(Bucket=BUCKET, Key=key, Body=body(key))
    since, until, _, _ = WINDOWS["evening"]
    summary = fetch.fetch(s3, BUCKET, Layout("parquet", True, True, "team/flows"), since, until, tmp_path)
    wanted = {key for key, when in keys + transit if in_window(when, True, since, until)}
    assert local_files(tmp_path) == wanted
    assert any(key.startswith("team/flows/transit-gateway/AWSLogs/") for key in wanted)
    assert summary.downloaded == summary.objects == len(wanted)
    dry = fetch.survey(s3, BUCKET, Layout("parquet", True, True, "team/flows"), since, until)
    assert dry.objects == len(wanted)


def run_fetch(s3: Any, out: Path, **kwargs: Any) -> fetch.FetchSummary:
    since, until, _, _ = WINDOWS["evening"]
    return fetch.fetch(s3, BUCKET, Layout("parquet", True, True), since, until, out, **kwargs)


@pytest.fixture
def hive_bucket(mocked: boto3.Session) -> tuple[Any, set[str]]:
    s3 = mocked.client("s3")
    keys = populate(s3, "parquet", "", True, True)
    since, until, _, _ = WINDOWS["evening"]
    return s3, {k for k, when in keys if in_window(when, True, since, until)}


def test_rerun_downloads_nothing(hive_bucket: tuple[Any, set[str]], tmp_path: Path) -> None:
    s3, expected = hive_bucket
    run_fetch(s3, tmp_path)
    stamps = {k: os.stat(tmp_path / k).st_mtime_ns for k in expected}
    again = run_fetch(s3, tmp_path, workers=2)
    assert (again.downloaded, again.skipped, again.failed) == (0, len(expected), [])
    assert {k: os.stat(tmp_path / k).st_mtime_ns for k in expected} == stamps


def test_without_manifest_md5_of_single_part_files_proves_completeness(
        hive_bucket: tuple[Any, set[str]], tmp_path: Path) -> None:
    s3, expected = hive_bucket
    run_fetch(s3, tmp_path)
    (tmp_path / fetch.MANIFEST).unlink()
    victim = sorted(expected)[0]
    size = (tmp_path / victim).stat().st_size
    (tmp_path / victim).write_bytes(b"#" * size)  # same size, other content
    again = run_fetch(s3, tmp_path)
    assert (again.downloaded, again.skipped) == (1, len(expected) - 1)
    assert (tmp_path / victim).read_bytes() == body(victim)


class BrokenBody:
    """An S3 response body that fails, or ends early, after ``keep`` bytes (a connection that broke)."""

    def __init__(self, body: Any, keep: int, error: Exception | None) -> None:
        self.data, self.keep, self.error, self.sent = body.read(), keep, error, False

    def read(self, amt: int | None = None) -> bytes:
        if not self.sent:
            self.sent = True
            return self.data[: self.keep]
        if self.error is not None:
            raise self.error
        return b""

    def close(self) -> None:
        pass


def break_downloads(s3: Any, broken: Callable[[str], BrokenBody | None]) -> None:
    """Every GetObject of a key for which ``broken(key)`` gives a body returns that body instead."""

    def remember_key(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["test_key"] = params["Key"]

    def replace_body(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        key = context.get("test_key", "")
        if "Body" in parsed and (body := broken(key)) is not None:
            body.__init__(parsed["Body"], body.keep, body.error)  # type: ignore[misc]
            parsed["Body"] = body

    s3.meta.events.register("before-parameter-build.s3.GetObject", remember_key, unique_id="test-key")
    s3.meta.events.register("after-call.s3.GetObject", replace_body, unique_id="test-body")


def heal_downloads(s3: Any) -> None:
    s3.meta.events.unregister("after-call.s3.GetObject", unique_id="test-body")


def failing(keep: int, error: Exception | None) -> BrokenBody:
    body = BrokenBody.__new__(BrokenBody)
    body.keep, body.error = keep, error
    return body


def test_interrupted_download_leaves_no_partial_file(
        hive_bucket: tuple[Any, set[str]], tmp_path: Path) -> None:
    s3, expected = hive_bucket
    victim = sorted(expected)[len(expected) // 2]
    break_downloads(s3, lambda key: failing(5, ConnectionResetError("connection reset mid-download"))
                    if key == victim else None)
    first = run_fetch(s3, tmp_path)
    assert [k for k, _ in first.failed] == [victim]
    assert "connection reset" in first.failed[0][1]
    assert not (tmp_path / victim).exists()
    assert local_files(tmp_path) == expected - {victim}
    assert not list(tmp_path.rglob("*" + fetch.PART_SUFFIX + "*"))

    heal_downloads(s3)
    second = run_fetch(s3, tmp_path)
    assert (second.downloaded, second.skipped, second.failed) == (1, len(expected) - 1, [])
    assert (tmp_path / victim).read_bytes() == body(victim)


def test_complete_file_is_never_replaced_by_a_partial_one(
        hive_bucket: tuple[Any, set[str]], tmp_path: Path) -> None:
    s3, expected = hive_bucket
    run_fetch(s3, tmp_path)
    victim = sorted(expected)[0]
    s3.put_object(Bucket=BUCKET, Key=victim, Body=b"a newer, longer version of the file " * 50)

    break_downloads(s3, lambda key: failing(100, TimeoutError("read timed out")))
    summary = run_fetch(s3, tmp_path)
    assert [k for k, _ in summary.failed] == [victim]
    assert (tmp_path / victim).read_bytes() == body(victim)
    assert not list(tmp_path.rglob("*" + fetch.PART_SUFFIX + "*"))


def test_short_body_is_not_renamed_into_place(hive_bucket: tuple[Any, set[str]], tmp_path: Path) -> None:
    s3, expected = hive_bucket
    break_downloads(s3, lambda key: failing(len(body(key)) - 1, None))
    summary = run_fetch(s3, tmp_path)
    assert sorted(k for k, _ in summary.failed) == sorted(expected)
    assert local_files(tmp_path) == set()


def test_stale_part_files_of_a_killed_run_are_removed(
        hive_bucket: tuple[Any, set[str]], tmp_path: Path) -> None:
    s3, expected = hive_bucket
    victim = tmp_path / sorted(expected)[0]
    victim.parent.mkdir(parents=True)
    stale = victim.parent / f".{victim.name}.k1ll3d{fetch.PART_SUFFIX}"
    stale.write_bytes(b"half")
    leftover = victim.parent / f".{victim.name}.k1ll3d{fetch.PART_SUFFIX}.9aF3b2C1"  # the transfer manager's
    leftover.write_bytes(b"half")
    run_fetch(s3, tmp_path)
    assert not stale.exists() and not leftover.exists()
    assert victim.read_bytes() == body(sorted(expected)[0])


def test_other_format_is_reported_not_fetched(mocked: boto3.Session, tmp_path: Path) -> None:
    s3 = mocked.client("s3")
    keys = populate(s3, "parquet", "", False, True)
    since, until, _, _ = WINDOWS["evening"]
    in_scope = sorted(k for k, when in keys if in_window(when, True, since, until))
    with pytest.raises(fetch.FetchAborted) as raised:
        fetch.fetch(s3, BUCKET, Layout("text", False, True), since, until, tmp_path)
    assert raised.value.status == 1
    [line] = raised.value.problems
    assert line.startswith("no flow log file of 2024-05-01T22:30Z to 2024-05-02T01:15Z under "
                           f"s3://{BUCKET}/AWSLogs/ (text, plain, hourly); it holds ")
    assert (f"s3://{BUCKET}/{in_scope[0]} (parquet, plain, hourly; fetch reads text, plain, hourly) and "
            f"{len(in_scope) - 1} more like it") in line
    assert f"s3://{BUCKET}/other/AWSLogs/ (another key prefix; fetch reads s3://{BUCKET}/AWSLogs/)" in line
    assert not local_files(tmp_path)


def test_wrong_hive_flag_is_one_clear_error(mocked: boto3.Session, tmp_path: Path) -> None:
    s3 = mocked.client("s3")
    populate(s3, "parquet", "", True, True)
    since, until, _, _ = WINDOWS["evening"]
    with pytest.raises(fetch.FetchAborted,
                       match=rf"it holds s3://{BUCKET}/AWSLogs/aws-account-id={ACCOUNTS[0]}/ \(Hive folders; "
                             r"fetch reads plain ones\) and 1 more like it"):
        fetch.fetch(s3, BUCKET, Layout("parquet", False, True), since, until, tmp_path)


def test_empty_window_is_refused(mocked: boto3.Session, tmp_path: Path) -> None:
    s3 = mocked.client("s3")
    with pytest.raises(fetch.FetchError, match="empty time window"):
        fetch.fetch(s3, BUCKET, Layout(), ts("2024-05-02 00:00"), ts("2024-05-01 00:00"), tmp_path)


def test_bad_account_filter_is_refused(mocked: boto3.Session, tmp_path: Path) -> None:
    s3 = mocked.client("s3")
    with pytest.raises(fetch.FetchError, match="12345"):
        fetch.fetch(s3, BUCKET, Layout(), ts("2024-05-01 00:00"), ts("2024-05-02 00:00"), tmp_path,
                    accounts=["12345"])


def test_missing_bucket_is_one_line_error(mocked: boto3.Session, tmp_path: Path) -> None:
    s3 = mocked.client("s3")
    with pytest.raises(fetch.FetchError, match="NoSuchBucket"):
        fetch.fetch(s3, "no-such-bucket", Layout(), ts("2024-05-01 00:00"), ts("2024-05-02 00:00"), tmp_path)


def test_resolve_storage(mocked: boto3.Session) -> None:
    storage = fetch.resolve_storage(mocked, bucket="b", layout=Layout("text", True, False, "/p/q/"))
    assert storage.bucket == "b" and storage.layout == Layout("text", True, False, "p/q")
    with pytest.raises(fetch.FetchError, match="not both"):
        fetch.resolve_storage(mocked, investigation="inv", bucket="b")
    with pytest.raises(fetch.FetchError, match="--investigation"):
        fetch.resolve_storage(mocked)
