"""Copy the flow log files of one time window from S3 to a local folder, resumably.

Only the exact time folders of the window are listed (``layout.time_values``, which includes the
one-hour END-time slack), under accounts and regions found by listing with ``Delimiter='/'`` at the
log root; the bucket is never listed whole. Files keep their key layout under the output folder,
so ``flowlogs query --logs DIR`` reads them as they are.

A download goes to a hidden temporary file in the target folder and is renamed over the final name
only once complete, so a complete file is never replaced by a partial one. A rerun skips files
already present with the same size whose ETag matches the one recorded by an earlier run (in
``.flowlogs-fetch.jsonl`` at the top of the output folder) or, for single-part uploads, the file's MD5.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from flowkit.aws.deployed import AwsError, Storage, describe_error, lookup_storage
from flowkit.layout import SERVICE, FileFormat, Layout, normalize_prefix, parse_key, to_utc

MANIFEST = ".flowlogs-fetch.jsonl"
PART_SUFFIX = ".part"
CHUNK = 1024 * 1024
MAX_WINDOW = timedelta(days=3660)  # log retention is at most 3650 days

_ACCOUNT_RE = re.compile(r"^\d{12}$")
_REGION_RE = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")
_MD5_ETAG = re.compile(r"^[0-9a-f]{32}$")


class FetchError(AwsError):
    """Bad arguments or an S3 listing error (one line)."""


@dataclass(frozen=True)
class RemoteObject:
    key: str
    size: int
    etag: str  # without quotes


@dataclass
class FetchSummary:
    """What a fetch did. ``failed`` holds (key, reason) of downloads that did not complete."""

    accounts: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    prefixes_listed: int = 0
    objects_listed: int = 0
    ignored: list[str] = field(default_factory=list)  # listed keys that are not flow logs of the layout
    downloaded: int = 0
    skipped: int = 0
    bytes_downloaded: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable report, one fact per line."""
        out = [
            f"accounts: {', '.join(self.accounts) or 'none found'}; "
            f"regions: {', '.join(self.regions) or 'none'}",
            f"listed {self.objects_listed} object(s) under {self.prefixes_listed} prefix(es)",
            f"downloaded {self.downloaded} file(s), {self.bytes_downloaded} bytes; "
            f"skipped {self.skipped} already present",
        ]
        if self.ignored:
            out.append(f"ignored {len(self.ignored)} object(s) that are not flow log files of this layout, "
                       f"e.g. {self.ignored[0]}")
        for key, reason in self.failed:
            out.append(f"FAILED {key}: {reason}")
        return out


def resolve_storage(
    session: Any,
    *,
    investigation: str | None = None,
    bucket: str | None = None,
    key_prefix: str | None = None,
    file_format: FileFormat = "parquet",
    hive: bool = False,
    hourly: bool = True,
) -> Storage:
    """Bucket and layout from a deployed investigation's outputs, or from explicit values."""
    if investigation and bucket:
        raise FetchError("give either --investigation or --bucket, not both")
    if investigation:
        return lookup_storage(investigation, session)
    if bucket:
        if bucket.startswith("s3://"):
            raise FetchError(f"--bucket takes a bucket name, not a URL: {bucket}")
        return Storage(bucket, Layout(file_format, hive, hourly, normalize_prefix(key_prefix)))
    raise FetchError("give --investigation NAME (a deployed investigation) or --bucket BUCKET")


# -- listing ---------------------------------------------------------------------------------------
def _list(s3: Any, bucket: str, prefix: str, delimiter: bool) -> Iterator[dict[str, Any]]:
    """ListObjectsV2 pages under one prefix (never an empty prefix)."""
    if not prefix:
        raise FetchError("refusing to list the whole bucket")
    kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
    if delimiter:
        kwargs["Delimiter"] = "/"
    try:
        yield from s3.get_paginator("list_objects_v2").paginate(**kwargs)
    except ClientError as err:
        raise FetchError(f"s3://{bucket}/{prefix}: {describe_error(err)}") from None
    except BotoCoreError as err:
        raise FetchError(f"s3://{bucket}/{prefix}: {err}") from None


def _subfolders(s3: Any, bucket: str, prefix: str, summary: FetchSummary) -> list[str]:
    """Names of the folders directly under ``prefix``."""
    summary.prefixes_listed += 1
    names: list[str] = []
    for page in _list(s3, bucket, prefix, delimiter=True):
        for common in page.get("CommonPrefixes", []):
            names.append(common["Prefix"][len(prefix):].rstrip("/"))
    return names


def discover_accounts(s3: Any, bucket: str, layout: Layout, summary: FetchSummary) -> tuple[list[str], bool]:
    """Accounts under the layout's root (one delimiter listing), and whether folders of the
    other account style (Hive or plain) are there too."""
    found: list[str] = []
    other_style = False
    for name in _subfolders(s3, bucket, layout.root, summary):
        hive_name = name.startswith("aws-account-id=")
        account = name.removeprefix("aws-account-id=")
        if _ACCOUNT_RE.match(account):
            if hive_name == layout.hive:
                found.append(account)
            else:
                other_style = True
    return sorted(found), other_style


def discover_regions(s3: Any, bucket: str, layout: Layout, account: str, summary: FetchSummary) -> list[str]:
    """Regions with logs for one account (one delimiter listing under the service folder)."""
    service = f"aws-service={SERVICE}/" if layout.hive else f"{SERVICE}/"
    found = []
    for name in _subfolders(s3, bucket, layout.account_prefix(account) + service, summary):
        region = name.removeprefix("aws-region=") if layout.hive else name
        if (name.startswith("aws-region=") or not layout.hive) and _REGION_RE.match(region):
            found.append(region)
    return sorted(found)


def time_prefixes(layout: Layout, account: str, region: str, since: datetime, until: datetime) -> list[str]:
    """The exact key prefixes holding files with records that start in [since, until)."""
    base = layout.region_prefix(account, region)
    return [base + value + "/" for value in layout.time_values(since, until)]


def plan(
    s3: Any,
    bucket: str,
    layout: Layout,
    since: datetime,
    until: datetime,
    summary: FetchSummary,
    accounts: Sequence[str] = (),
    regions: Sequence[str] = (),
    workers: int = 8,
) -> list[RemoteObject]:
    """The objects of the window. Given accounts/regions are used as they are, others are discovered.

    The time folders are listed in parallel (a long window has one folder per hour).
    """
    other_style = False
    account_list = list(accounts)
    if not account_list:
        account_list, other_style = discover_accounts(s3, bucket, layout, summary)
    summary.accounts = account_list
    seen_regions: set[str] = set()
    prefixes: list[str] = []
    for account in account_list:
        region_list = list(regions) or discover_regions(s3, bucket, layout, account, summary)
        seen_regions.update(region_list)
        for region in region_list:
            prefixes.extend(time_prefixes(layout, account, region, since, until))
    summary.regions = sorted(seen_regions)
    summary.prefixes_listed += len(prefixes)
    wanted: list[RemoteObject] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for pages in pool.map(lambda prefix: list(_list(s3, bucket, prefix, delimiter=True)), prefixes):
            for page in pages:
                summary.ignored.extend(c["Prefix"] for c in page.get("CommonPrefixes", []))
                for obj in page.get("Contents", []):
                    summary.objects_listed += 1
                    info = parse_key(obj["Key"])
                    if info is None or info.layout != layout:
                        summary.ignored.append(obj["Key"])
                        continue
                    etag = obj.get("ETag", "").strip('"')
                    wanted.append(RemoteObject(obj["Key"], int(obj["Size"]), etag))
    if other_style and not seen_regions:
        style = "Hive-style (aws-account-id=...)" if not layout.hive else "plain (AWSLogs/<account>/...)"
        raise FetchError(f"s3://{bucket}/{layout.root} holds {style} flow log folders; "
                         f"the layout given says hive={str(layout.hive).lower()}")
    return wanted


# -- local state -----------------------------------------------------------------------------------
def _read_manifest(out_dir: Path) -> dict[str, str]:
    """key -> ETag of files completed by earlier runs (later lines win; a torn last line is ignored)."""
    path = out_dir / MANIFEST
    etags: dict[str, str] = {}
    if not path.exists():
        return etags
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            etags[str(entry["key"])] = str(entry["etag"])
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
    return etags


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_complete(local: Path, obj: RemoteObject, recorded_etag: str | None) -> bool:
    """True when ``local`` already holds ``obj`` (same size, and same ETag recorded or same MD5)."""
    try:
        if local.stat().st_size != obj.size:
            return False
    except FileNotFoundError:
        return False
    if recorded_etag is not None and obj.etag and recorded_etag == obj.etag:
        return True
    return bool(_MD5_ETAG.match(obj.etag)) and _md5(local) == obj.etag


def local_path(out_dir: Path, key: str) -> Path:
    """Where a key goes under ``out_dir``; keys that would escape it are refused."""
    parts = key.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise FetchError(f"refusing to write unsafe key {key!r}")
    return out_dir.joinpath(*parts)


# -- downloading -----------------------------------------------------------------------------------
def copy_body(body: Any, handle: Any, on_bytes: Callable[[int], None]) -> int:
    """Stream an S3 body into an open file; returns the bytes written."""
    written = 0
    for chunk in body.iter_chunks(CHUNK):
        handle.write(chunk)
        written += len(chunk)
        on_bytes(len(chunk))
    return written


def download(s3: Any, bucket: str, obj: RemoteObject, target: Path, on_bytes: Callable[[int], None]) -> None:
    """Download to a temporary file beside ``target`` and rename it into place only when complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix="." + target.name + ".", suffix=PART_SUFFIX, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with tmp.open("wb") as handle:
            kwargs: dict[str, Any] = {"Bucket": bucket, "Key": obj.key}
            if obj.etag:
                kwargs["IfMatch"] = '"' + obj.etag + '"'
            response = s3.get_object(**kwargs)
            written = copy_body(response["Body"], handle, on_bytes)
            handle.flush()
            os.fsync(handle.fileno())
        if written != obj.size:
            raise OSError(f"got {written} of {obj.size} bytes")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _remove_stale_parts(target: Path) -> None:
    """Temporary files left by a run that was killed while downloading ``target``."""
    if target.parent.is_dir():
        for stale in target.parent.glob("." + glob_escape(target.name) + ".*" + PART_SUFFIX):
            stale.unlink(missing_ok=True)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


class _Progress:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, enabled: bool, total_bytes: int, files: int) -> None:
        self._lock = threading.Lock()
        self._bar: Any = None
        if enabled and sys.stderr.isatty() and files:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            self._bar = Progress(TextColumn("fetch {task.fields[files]}"), BarColumn(), DownloadColumn(),
                                 TransferSpeedColumn(), TimeRemainingColumn(),
                                 console=Console(stderr=True), transient=True)
            self._task = self._bar.add_task("fetch", total=total_bytes, files=f"0/{files}")
            self._files = files
            self._done = 0

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def add_bytes(self, count: int) -> None:
        if self._bar is not None:
            with self._lock:
                self._bar.advance(self._task, count)

    def file_done(self) -> None:
        if self._bar is not None:
            with self._lock:
                self._done += 1
                self._bar.update(self._task, files=f"{self._done}/{self._files}")


def fetch(
    s3: Any,
    bucket: str,
    layout: Layout,
    since: datetime,
    until: datetime,
    out_dir: str | Path,
    *,
    accounts: Sequence[str] = (),
    regions: Sequence[str] = (),
    workers: int = 8,
    progress: bool = True,
) -> FetchSummary:
    """Download the flow log files of [since, until) (plus the END-time slack) into ``out_dir``.

    Returns a summary; downloads that failed are listed in ``summary.failed`` (the others are kept).
    """
    since, until = to_utc(since), to_utc(until)
    if since >= until:
        raise FetchError(f"empty time window: since {since:%Y-%m-%dT%H:%M:%SZ} is not before "
                         f"until {until:%Y-%m-%dT%H:%M:%SZ}")
    if until - since > MAX_WINDOW:
        raise FetchError(f"time window longer than {MAX_WINDOW.days} days: "
                         f"{since:%Y-%m-%d} to {until:%Y-%m-%d}")
    if workers < 1:
        raise FetchError(f"workers must be at least 1, got {workers}")
    bad = [a for a in accounts if not _ACCOUNT_RE.match(a)] + [r for r in regions if not _REGION_RE.match(r)]
    if bad:
        raise FetchError(f"not an account id / region: {', '.join(bad)}")
    root = Path(out_dir)
    summary = FetchSummary()
    objects = plan(s3, bucket, layout, since, until, summary, accounts, regions, workers)
    root.mkdir(parents=True, exist_ok=True)
    recorded = _read_manifest(root)
    todo: list[tuple[RemoteObject, Path]] = []
    for obj in objects:
        target = local_path(root, obj.key)
        if is_complete(target, obj, recorded.get(obj.key)):
            summary.skipped += 1
        else:
            todo.append((obj, target))
    _run_downloads(s3, bucket, root, todo, summary, workers, progress)
    return summary


def _run_downloads(s3: Any, bucket: str, root: Path, todo: Iterable[tuple[RemoteObject, Path]],
                   summary: FetchSummary, workers: int, progress: bool) -> None:
    items = list(todo)
    for _, target in items:
        _remove_stale_parts(target)
    with (_Progress(progress, sum(o.size for o, _ in items), len(items)) as bar,
          (root / MANIFEST).open("a", encoding="utf-8") as manifest,
          ThreadPoolExecutor(max_workers=workers) as pool):
        futures = {pool.submit(download, s3, bucket, obj, target, bar.add_bytes): obj
                   for obj, target in items}
        try:
            for future in as_completed(futures):
                obj = futures[future]
                try:
                    future.result()
                except (ClientError, BotoCoreError, OSError) as err:
                    reason = describe_error(err) if isinstance(err, ClientError) else str(err)
                    summary.failed.append((obj.key, reason))
                    continue
                summary.downloaded += 1
                summary.bytes_downloaded += obj.size
                manifest.write(json.dumps({"key": obj.key, "etag": obj.etag, "size": obj.size}) + "\n")
                manifest.flush()
                bar.file_done()
        except BaseException:
            for pending in futures:
                pending.cancel()
            raise
    summary.failed.sort()

