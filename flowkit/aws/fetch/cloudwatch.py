"""``flowlogs fetch --from cloudwatch``: a time window of a log group, as the files S3 would hold.

Every log stream of the log group (one per network interface) is read in parallel, page by page
(GetLogEvents, oldest first), and written in the kit's S3 text layout (:mod:`.hour_files`): one gzip
text file per stream and hour of the records' END time, as AWS keys its files, starting with the header
line of the deployed format, under the log group's account and region. ``flowlogs query --logs DIR`` and
``flowlogs report --logs DIR`` then read it like a copy of the bucket. The window is on the records'
start (their event time in CloudWatch Logs).

Resuming: events come oldest first and a record ends after it starts, so an hour's file is complete once
an event starts after that hour; only then is it renamed into place and recorded in the manifest, with
the window it was cut from. A stream recorded as complete for the window is skipped; one stopped half
way resumes after its last complete hour. Hours that may still receive records (less than SETTLE after
the window's end or the hour's) are written but not recorded, so the next run reads them again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from flowkit.aws.deployed import LogGroup
from flowkit.aws.fetch.errors import FetchAborted, FetchError
from flowkit.aws.fetch.hour_files import (
    HOUR,
    HourFile,
    end_position,
    file_key,
    hour_of,
    key_hour,
    record_end,
    stream_tag,
)
from flowkit.aws.fetch.manifest import MANIFEST, Entry, md5_of, read_manifest, record
from flowkit.aws.fetch.plan import FAILED_LINES, RemoteObject
from flowkit.aws.fetch.watch import Watch, parallel, unreachable
from flowkit.aws.session import describe_error
from flowkit.layout import PARTITION_SLACK, to_utc
from flowkit.messages import Progress, no_progress

SETTLE = timedelta(minutes=20)  # records arrive about 10 minutes after their interval of up to 10 minutes
PAGE_LIMIT = 10_000  # GetLogEvents' largest page


@dataclass
class CloudWatchSummary:
    """What a fetch from CloudWatch Logs did; ``failed`` holds (stream, reason) of streams not finished."""

    streams: int = 0
    skipped: int = 0  # streams already complete for the window
    events: int = 0
    files: int = 0
    bytes_written: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.streams} log stream(s) with events in the window; {self.skipped} already complete",
               f"wrote {self.events:,} record(s) into {self.files} file(s), {self.bytes_written} bytes"]
        out += [f"FAILED stream {stream}: {reason}" for stream, reason in self.failed[:FAILED_LINES]]
        if len(self.failed) > FAILED_LINES:
            out.append(f"FAILED {len(self.failed) - FAILED_LINES} more stream(s)")
        return out


@dataclass(frozen=True)
class Window:
    since_ms: int
    until_ms: int
    now: datetime

    @property
    def tag(self) -> str:
        """What the manifest records a file or stream as complete for."""
        return f"cloudwatch:{self.since_ms}-{self.until_ms}"

    def settled(self, hour: datetime | None = None) -> bool:
        """True when no more records can arrive for the window (or for its part ending at ``hour``'s end)."""
        end = datetime.fromtimestamp(self.until_ms / 1000, UTC)
        if hour is not None:
            end = min(end, hour + HOUR)
        return end + SETTLE <= self.now


def streams_of(logs: Any, group: str, window: Window) -> list[str]:
    """The log streams with events that may fall in the window (DescribeLogStreams, every page).

    A stream whose first event is after the window, or whose last delivery came before it started, has
    none. (The last delivery, not the last event's time, which CloudWatch Logs updates up to an hour late.)
    """
    found = []
    for page in logs.get_paginator("describe_log_streams").paginate(logGroupName=group):
        for stream in page.get("logStreams", []):
            first = stream.get("firstEventTimestamp")
            last = stream.get("lastIngestionTime")
            if (last is None or last >= window.since_ms) and (first is None or first < window.until_ms):
                found.append(str(stream["logStreamName"]))
    return sorted(found)


def events_of(logs: Any, group: str, stream: str, start_ms: int, until_ms: int,
              page_limit: int) -> Iterator[list[dict[str, Any]]]:
    """Pages of the stream's events in [start_ms, until_ms), oldest first, until the token repeats."""
    token = None
    while True:
        request: dict[str, Any] = {"logGroupName": group, "logStreamName": stream, "startTime": start_ms,
                                   "endTime": until_ms, "startFromHead": True, "limit": page_limit}
        if token:
            request["nextToken"] = token
        page = logs.get_log_events(**request)
        yield [e for e in page.get("events", []) if start_ms <= int(e["timestamp"]) < until_ms]
        if page.get("nextForwardToken") in (None, token):
            return
        token = page["nextForwardToken"]


class _Copy:
    """Copies the streams of one log group into ``root``, recording complete files in the manifest."""

    def __init__(self, logs: Any, group: LogGroup, root: Path, window: Window, page_limit: int) -> None:
        assert group.fields is not None
        self.logs, self.group, self.root, self.window, self.page_limit = logs, group, root, window, page_limit
        self.header = " ".join(f.name for f in group.fields)
        self.end_at = end_position(group.fields)
        self.recorded = read_manifest(root)
        self.lock = threading.Lock()
        self.manifest = (root / MANIFEST).open("a", encoding="utf-8")

    def marker(self, stream: str) -> str:
        """The manifest key recording that a stream was read to the end of the window."""
        return f"cloudwatch:{self.group.name}:{stream}"

    def intact(self, key: str, entry: Entry) -> bool:
        path = self.root / key
        return (entry.etag == self.window.tag and path.is_file() and path.stat().st_size == entry.size
                and md5_of(path) == entry.md5)

    def done_hours(self, stream: str) -> tuple[bool, datetime | None]:
        """Whether the stream is complete for the window, and the hour up to which its files are."""
        mine = "_" + stream_tag(self.group.name, stream) + ".log.gz"
        hours: dict[datetime, bool] = {}  # recorded hour -> its file is still as written
        for key, entry in self.recorded.items():
            hour = key_hour(key) if key.endswith(mine) and entry.etag == self.window.tag else None
            if hour is not None:
                hours[hour] = self.intact(key, entry)
        broken = [hour for hour, whole in hours.items() if not whole]
        good = [hour for hour, whole in hours.items() if whole and not (broken and hour > min(broken))]
        marker = self.recorded.get(self.marker(stream))
        complete = marker is not None and marker.etag == self.window.tag and not broken
        return complete, max(good) if good else None

    def note(self, key: str, size: int, md5: str) -> None:
        with self.lock:
            record(self.manifest, RemoteObject(key, size, self.window.tag), md5)

    def copy(self, stream: str, count: Callable[[int], None]) -> tuple[int, int, int]:
        """(records, files, bytes) written for one stream; raises what the API raised."""
        complete, last = self.done_hours(stream)
        if complete:
            return -1, 0, 0
        start_ms = self.window.since_ms
        if last is not None:  # records ending after the last complete hour start at most SLACK earlier
            start_ms = max(start_ms, int((last + HOUR - PARTITION_SLACK).timestamp() * 1000))
        open_files: dict[datetime, HourFile] = {}
        records = files = size = 0
        try:
            for events in events_of(self.logs, self.group.name, stream, start_ms, self.window.until_ms,
                                    self.page_limit):
                started = 0.0
                for event in events:
                    started = int(event["timestamp"]) / 1000
                    hour = hour_of(record_end(str(event["message"]), self.end_at, started))
                    if last is not None and hour <= last:
                        continue  # already in a complete file
                    if hour not in open_files:
                        key = file_key(self.group.account, self.group.region, self.group.name, stream, hour)
                        open_files[hour] = HourFile(self.root, key, self.header)
                    open_files[hour].write(str(event["message"]))
                    records += 1
                count(len(events))
                for hour in [h for h in open_files if events and h + HOUR <= hour_of(started)]:
                    files, size = files + 1, size + self._finish(open_files.pop(hour), hour)
            for hour in sorted(open_files):
                files, size = files + 1, size + self._finish(open_files.pop(hour), hour)
        finally:
            for leftover in open_files.values():
                leftover.discard()
        if self.window.settled():
            self.note(self.marker(stream), 0, "")
        return records, files, size

    def _finish(self, file: HourFile, hour: datetime) -> int:
        done = file.finish()
        if self.window.settled(hour):
            self.note(done.key, done.size, done.md5)
        return done.size


def fetch_log_group(logs: Any, group: LogGroup, since: datetime, until: datetime, out_dir: str | Path, *,
                    workers: int = 8, progress: Progress = no_progress, now: datetime | None = None,
                    page_limit: int = PAGE_LIMIT) -> CloudWatchSummary:
    """Write the records of [since, until) of every stream of ``group`` under ``out_dir`` (see the module).

    Streams that fail are listed in ``summary.failed`` (the others are kept); an endpoint that cannot be
    reached ends the run with FetchAborted.
    """
    since, until = to_utc(since), to_utc(until)
    if since >= until:
        raise FetchError(f"empty time window: since {since:%Y-%m-%dT%H:%M:%SZ} is not before "
                         f"until {until:%Y-%m-%dT%H:%M:%SZ}")
    if group.fields is None:
        raise FetchError(f"log group {group.name}: the fields of its records are not known")
    window = Window(int(since.timestamp() * 1000), int(until.timestamp() * 1000),
                    to_utc(now or datetime.now(UTC)))
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    summary = CloudWatchSummary()
    try:
        streams = streams_of(logs, group.name, window)
    except (ClientError, BotoCoreError) as err:
        raise FetchAborted(f"log group {group.name}: {describe_error(err)}") from None
    summary.streams = len(streams)
    copy = _Copy(logs, group, root, window, page_limit)
    seen = [0]

    def count(events: int) -> None:
        with copy.lock:
            seen[0] += events
            progress(f"fetch {seen[0]:,} records from {len(streams)} log streams", seen[0], None)

    try:
        for stream, outcome in parallel(lambda name: copy.copy(name, count), streams, workers,
                                        Watch(float("inf"))):
            _tally(summary, stream, outcome)
    finally:
        copy.manifest.close()
    summary.failed.sort()
    return summary


def _tally(summary: CloudWatchSummary, stream: str, outcome: tuple[int, int, int] | BaseException) -> None:
    if isinstance(outcome, BaseException):
        if unreachable(outcome):
            raise FetchAborted(f"cannot reach CloudWatch Logs: {outcome}; run the same command again to "
                               "resume") from None
        if not isinstance(outcome, ClientError | BotoCoreError | OSError):
            raise outcome
        summary.failed.append((stream, describe_error(outcome)))
        return
    records, files, size = outcome
    if records < 0:
        summary.skipped += 1
        return
    summary.events += records
    summary.files += files
    summary.bytes_written += size

