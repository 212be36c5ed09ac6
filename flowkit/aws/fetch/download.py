"""Downloading the planned objects into a local copy of the bucket, resumably and never half-written.

Each object is streamed by boto3's transfer manager (``download_fileobj``: retries of a broken body)
into a hidden ``.<name>.<random>.part`` file beside its target; only a copy of the listed size is
renamed over the final name, so a complete file is never replaced by a partial one, and every
completed file is recorded with its MD5 in the manifest (:mod:`.manifest`). A download that fails
is listed in the summary and the others go on, but an endpoint that cannot be reached at all ends the
run (:func:`.watch.unreachable`), and so do a stall and Ctrl-C (:func:`.watch.watched`).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError
from s3transfer.exceptions import RetriesExceededError

from flowkit.aws.fetch.errors import FetchAborted, FetchError
from flowkit.aws.fetch.manifest import MANIFEST, record
from flowkit.aws.fetch.plan import FetchSummary, RemoteObject
from flowkit.aws.fetch.watch import Watch, parallel, unreachable
from flowkit.aws.session import describe_error
from flowkit.messages import Progress, no_progress

PART_SUFFIX = ".part"
DOWNLOAD_ATTEMPTS = 3
# One download per worker thread: the parallelism is across files, each small.
TRANSFER = TransferConfig(use_threads=False, num_download_attempts=DOWNLOAD_ATTEMPTS)
# what fails one download (listed in the summary) rather than the run
DOWNLOAD_ERRORS = (ClientError, BotoCoreError, Boto3Error, RetriesExceededError, OSError)


def local_path(out_dir: Path, key: str) -> Path:
    """Where a key goes under ``out_dir``; keys that would escape it are refused."""
    parts = key.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise FetchError(f"refusing to write unsafe key {key!r}")
    return out_dir.joinpath(*parts)


def _temporary(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix="." + target.name + ".", suffix=PART_SUFFIX, dir=target.parent)
    os.close(fd)
    return Path(name)


def download(s3: Any, bucket: str, obj: RemoteObject, target: Path, on_bytes: Callable[[int], None],
             watch: Watch) -> str | None:
    """Fetch ``obj`` beside ``target`` and rename it into place when complete; its MD5, or None when the
    run stopped first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = watch.new_temporary(lambda: _temporary(target))
    if tmp is None:
        return None
    digest = hashlib.md5(usedforsecurity=False)
    try:
        with tmp.open("wb") as handle:
            s3.download_fileobj(bucket, obj.key, handle, Callback=on_bytes, Config=TRANSFER)
        size = tmp.stat().st_size
        if size != obj.size:
            raise OSError(f"got {size} of {obj.size} bytes")
        with tmp.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
        with watch.lock:
            if watch.stop.is_set():
                return None
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        watch.forget(tmp)
    return digest.hexdigest()


def remove_stale_parts(target: Path) -> None:
    """Temporary files left by a run that was killed while downloading ``target``."""
    if target.parent.is_dir():
        for stale in target.parent.glob("." + glob_escape(target.name) + ".*" + PART_SUFFIX + "*"):
            stale.unlink(missing_ok=True)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _reason(err: BaseException) -> str:
    last = getattr(err, "last_exception", None)  # the transfer manager gave up after its retries
    if isinstance(last, BaseException):
        return f"{DOWNLOAD_ATTEMPTS} attempts failed, the last: {_reason(last)}"
    return describe_error(err) if isinstance(err, ClientError) else str(err)


def run_downloads(s3: Any, bucket: str, root: Path, todo: Sequence[tuple[RemoteObject, Path]],
                  summary: FetchSummary, workers: int, progress: Progress = no_progress,
                  watch: Watch | None = None) -> None:
    """Download ``todo`` in parallel; record each completed file in the manifest as it lands.

    Raises FetchAborted (after the files already done are recorded) when S3 cannot be reached.
    """
    watch = watch or Watch(float("inf"))
    for _, target in todo:
        remove_stale_parts(target)
    total = sum(obj.size for obj, _ in todo)
    lock = threading.Lock()
    moved = [0, 0]  # bytes, files

    def on_bytes(count: int) -> None:
        watch.beat()
        with lock:
            moved[0] += count
            progress(f"fetch {moved[1]}/{len(todo)} files", moved[0], total)

    def one(item: tuple[RemoteObject, Path]) -> str | None:
        return download(s3, bucket, item[0], item[1], on_bytes, watch)

    with (root / MANIFEST).open("a", encoding="utf-8") as manifest:
        for (obj, _), outcome in parallel(one, todo, workers, watch):
            if isinstance(outcome, BaseException):
                if unreachable(outcome):
                    raise FetchAborted(f"cannot reach S3 ({s3.meta.endpoint_url}): {_reason(outcome)}; "
                                       f"{summary.downloaded} of {len(todo)} file(s) downloaded, run the "
                                       "same command again to resume")
                if not isinstance(outcome, DOWNLOAD_ERRORS):
                    raise outcome
                summary.failed.append((obj.key, _reason(outcome)))
                continue
            if outcome is None:
                continue
            summary.downloaded += 1
            summary.bytes_downloaded += obj.size
            record(manifest, obj, outcome)
            with lock:
                moved[1] += 1
    summary.failed.sort()
