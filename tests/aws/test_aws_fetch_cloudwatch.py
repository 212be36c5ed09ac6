"""``fetch --from cloudwatch`` against moto: the S3 text layout, END-time hours, pagination, resume."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from flowkit import catalogue
from flowkit.aws.deployed import LogGroup
from flowkit.aws.fetch.cloudwatch import fetch_log_group
from flowkit.layout import Layout, parse_key
from tests.aws.cloudwatch_logs import ACCOUNT, BASE, DEFAULT, GROUP, REGION, create_group, put_stream, record

ENI_A, ENI_B = "eni-0123456789abcdef0", "eni-0fedcba9876543210"
SINCE, UNTIL = BASE, BASE + timedelta(hours=3)
LATER = BASE + timedelta(days=1)  # long after the window: every hour has settled
ASKED = "provide-client-params.logs.GetLogEvents"  # botocore's event for each request's parameters


@pytest.fixture
def logs(mocked: boto3.Session) -> Iterator[Any]:
    create_group()
    yield mocked.client("logs")


def group(fields: list[str] = DEFAULT) -> LogGroup:
    return LogGroup(GROUP, ACCOUNT, REGION, catalogue.resolve(fields))


def deliver() -> dict[str, list[str]]:
    """Two streams: records every 7 minutes over 3 hours (one of them 10 minutes long), NODATA, one record
    before and one after the window."""
    a = [record(ENI_A, BASE + timedelta(minutes=7 * i), seconds=600 if i == 8 else 60) for i in range(25)]
    a += [record(ENI_A, BASE - timedelta(minutes=5)), record(ENI_A, UNTIL + timedelta(minutes=1))]
    b = [record(ENI_B, BASE + timedelta(minutes=30 * i), status="NODATA") for i in range(6)]
    return {f"{ENI_A}-all": put_stream(f"{ENI_A}-all", a), f"{ENI_B}-all": put_stream(f"{ENI_B}-all", b)}


def read_copy(root: Path) -> dict[str, list[str]]:
    """Every .log.gz file under ``root`` (relative key) -> its lines; no other file but the manifest."""
    files = {p.relative_to(root).as_posix(): gzip.decompress(p.read_bytes()).decode().splitlines()
             for p in root.rglob("*.log.gz")}
    others = [p.name for p in root.rglob("*") if p.is_file() and not p.name.endswith(".log.gz")]
    assert others == [".flowlogs-fetch.jsonl"], others
    return files


def end_hour(line: str) -> datetime:
    end = int(line.split(" ")[DEFAULT.index("end")])
    return datetime.fromtimestamp(end - end % 3600, BASE.tzinfo)


def test_each_stream_and_end_hour_is_one_file_of_the_s3_text_layout(logs: Any, tmp_path: Path) -> None:
    sent = deliver()
    summary = fetch_log_group(logs, group(), SINCE, UNTIL, tmp_path, now=LATER)
    files = read_copy(tmp_path)
    in_window = {s: [m for m in ms if SINCE.timestamp() <= int(m.split(" ")[10]) < UNTIL.timestamp()]
                 for s, ms in sent.items()}
    assert summary.events == sum(len(m) for m in in_window.values()) == 25 + 6
    assert summary.files == len(files) and summary.failed == [] and summary.streams == 2
    for key, lines in files.items():
        info = parse_key(key)
        assert info is not None and info.layout == Layout("text", hive=False, hourly=True)
        assert (info.account, info.region) == (ACCOUNT, REGION)
        assert lines[0] == " ".join(DEFAULT)  # the header line of the deployed format
        assert {end_hour(line) for line in lines[1:]} == {info.when}  # filed under the END time's hour
        stream = f"{ENI_A}-all" if f"_{ENI_A}-all_" in info.file_name else f"{ENI_B}-all"
        assert set(lines[1:]) <= set(in_window[stream])
    for stream, messages in in_window.items():
        written = [line for key, lines in files.items() if f"_{stream}_" in key for line in lines[1:]]
        assert sorted(written) == sorted(messages)
    # record 8 of ENI_A starts at 12:56 and ends at 13:06: it is in the 13:00 file, not the 12:00 one
    (long,) = [m for m in in_window[f"{ENI_A}-all"] if int(m.split(" ")[11]) - int(m.split(" ")[10]) == 600]
    (holder,) = [k for k, lines in files.items() if long in lines]
    assert "/13/" in holder.replace(f"{BASE:%Y/%m/%d}/", "/")


def test_pages_of_any_size_give_the_same_files(logs: Any, tmp_path: Path) -> None:
    deliver()
    calls: list[dict[str, Any]] = []
    logs.meta.events.register(ASKED, lambda params, **_: calls.append(params))
    fetch_log_group(logs, group(), SINCE, UNTIL, tmp_path / "small", now=LATER, page_limit=3)
    small_calls = len(calls)
    fetch_log_group(logs, group(), SINCE, UNTIL, tmp_path / "big", now=LATER)
    assert small_calls >= 25 // 3 + 6 // 3  # every page of 3 events was asked for
    assert len(calls) - small_calls == 4  # one page per stream, and the repeated token that ends it
    assert read_copy(tmp_path / "small") == read_copy(tmp_path / "big")


def test_a_rerun_reads_nothing_already_complete(logs: Any, tmp_path: Path) -> None:
    deliver()
    fetch_log_group(logs, group(), SINCE, UNTIL, tmp_path, now=LATER)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.log.gz")}
    calls: list[Any] = []
    logs.meta.events.register(ASKED, lambda params, **_: calls.append(params))
    again = fetch_log_group(logs, group(), SINCE, UNTIL, tmp_path, now=LATER)
    assert (again.skipped, again.events, calls) == (2, 0, [])
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.log.gz")} == before


def test_a_stream_stopped_half_way_resumes_after_its_last_complete_hour(logs: Any, tmp_path: Path) -> None:
    deliver()
    reference = tmp_path / "reference"
    fetch_log_group(logs, group(), SINCE, UNTIL, reference, now=LATER, page_limit=4)
    broken = tmp_path / "copy"
    pages = {"n": 0}

    def fail_later(params: dict[str, Any], **_: Any) -> None:
        if params["logStreamName"] == f"{ENI_A}-all":
            pages["n"] += 1
            if pages["n"] == 7:  # 24 events read (to 14:41): the 12:00 and 13:00 files are complete
                raise ClientError({"Error": {"Code": "ServiceUnavailableException", "Message": "try later"}},
                                  "GetLogEvents")

    logs.meta.events.register(ASKED, fail_later)
    first = fetch_log_group(logs, group(), SINCE, UNTIL, broken, now=LATER, page_limit=4)
    logs.meta.events.unregister(ASKED, fail_later)
    assert [stream for stream, _ in first.failed] == [f"{ENI_A}-all"]
    assert "ServiceUnavailableException: try later" in first.failed[0][1]
    assert not list(broken.rglob("*.part"))  # no partial file, under any name
    kept = read_copy(broken)
    assert all(kept[key] == lines for key, lines in read_copy(reference).items() if key in kept)

    starts: list[int] = []
    logs.meta.events.register(ASKED, lambda params, **_: starts.append(params["startTime"]))
    second = fetch_log_group(logs, group(), SINCE, UNTIL, broken, now=LATER, page_limit=4)
    assert second.failed == [] and second.skipped == 1  # ENI_B was complete
    last_done = max(parse_key(k).when for k in kept if f"_{ENI_A}-all_" in k)  # type: ignore[union-attr]
    assert min(starts) >= int(last_done.timestamp() * 1000) > int(SINCE.timestamp() * 1000)
    assert read_copy(broken) == read_copy(reference)


def test_hours_that_may_still_receive_records_are_read_again(logs: Any, tmp_path: Path) -> None:
    deliver()
    just_after = UNTIL + timedelta(minutes=5)  # the last hour's records may still be on their way
    fetch_log_group(logs, group(), SINCE, UNTIL, tmp_path, now=just_after)
    put_stream("eni-0aaaaaaaaaaaaaaaa-all", [record("eni-0aaaaaaaaaaaaaaaa", UNTIL - timedelta(minutes=3))])
    again = fetch_log_group(logs, group(), SINCE, UNTIL, tmp_path, now=LATER)
    assert again.skipped == 0 and again.streams == 3
    assert any("eni-0aaaaaaaaaaaaaaaa" in key for key in read_copy(tmp_path))


def test_the_window_must_not_be_empty(logs: Any, tmp_path: Path) -> None:
    from flowkit.aws.fetch import FetchError

    with pytest.raises(FetchError, match="empty time window"):
        fetch_log_group(logs, group(), UNTIL, SINCE, tmp_path)


def test_a_complete_file_lost_or_changed_is_written_again(logs: Any, tmp_path: Path) -> None:
    deliver()
    fetch_log_group(logs, group(), SINCE, UNTIL, tmp_path, now=LATER)
    reference = read_copy(tmp_path)
    mine = sorted(key for key in reference if f"_{ENI_A}-all_" in key)
    assert len(mine) == 3  # the 12:00, 13:00 and 14:00 files
    (tmp_path / mine[1]).unlink()
    (tmp_path / mine[2]).write_bytes(gzip.compress(b"tampered\n"))
    again = fetch_log_group(logs, group(), SINCE, UNTIL, tmp_path, now=LATER)
    assert again.skipped == 1 and again.files == 2  # from the lost 13:00 file on; ENI_B untouched
    assert read_copy(tmp_path) == reference
