"""Downloading the planned objects into a local copy of the bucket, resumably and never half-written.

boto3's transfer manager (``download_file``: retries, streaming to a temporary file) fetches each
object to a hidden ``.<name>.<random>.part`` file beside its target; only a copy of the listed size
is renamed over the final name, so a complete file is never replaced by a partial one. A rerun skips
files already present with the listed size whose ETag matches the one recorded by an earlier run (in
``.flowlogs-fetch.jsonl`` at the top of the output folder) or, for single-part uploads, whose MD5 is
the ETag.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError

from flowkit.aws.fetch.plan import FetchError, FetchSummary, RemoteObject
from flowkit.aws.session import describe_error
from flowkit.messages import Progress, no_progress

MANIFEST = ".flowlogs-fetch.jsonl"
PART_SUFFIX = ".part"
CHUNK = 1024 * 1024
DOWNLOAD_ATTEMPTS = 3
_MD5_ETAG = re.compile(r"^[0-9a-f]{32}$")
# One download per worker thread: the parallelism is across files, each small.
TRANSFER = TransferConfig(use_threads=False, num_download_attempts=DOWNLOAD_ATTEMPTS)


def read_manifest(out_dir: Path) -> dict[str, str]:
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


def download(s3: Any, bucket: str, obj: RemoteObject, target: Path, on_bytes: Callable[[int], None]) -> None:
    """Fetch ``obj`` to a temporary file beside ``target``; rename it into place only when complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix="." + target.name + ".", suffix=PART_SUFFIX, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        s3.download_file(bucket, obj.key, str(tmp), Callback=on_bytes, Config=TRANSFER)
        size = tmp.stat().st_size
        if size != obj.size:
            raise OSError(f"got {size} of {obj.size} bytes")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        for leftover in target.parent.glob(glob_escape(tmp.name) + ".*"):  # the transfer manager's own
            leftover.unlink(missing_ok=True)


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
                  summary: FetchSummary, workers: int, progress: Progress = no_progress) -> None:
    """Download ``todo`` in parallel; record each completed file in the manifest as it lands."""
    for _, target in todo:
        remove_stale_parts(target)
    total = sum(obj.size for obj, _ in todo)
    lock = threading.Lock()
    moved = [0, 0]  # bytes, files

    def on_bytes(count: int) -> None:
        with lock:
            moved[0] += count
            progress(f"fetch {moved[1]}/{len(todo)} files", moved[0], total)

    with ((root / MANIFEST).open("a", encoding="utf-8") as manifest,
          ThreadPoolExecutor(max_workers=workers) as pool):
        futures = {pool.submit(download, s3, bucket, obj, target, on_bytes): obj for obj, target in todo}
        try:
            for future in as_completed(futures):
                obj = futures[future]
                try:
                    future.result()
                except (ClientError, BotoCoreError, Boto3Error, OSError) as err:
                    summary.failed.append((obj.key, _reason(err)))
                    continue
                summary.downloaded += 1
                summary.bytes_downloaded += obj.size
                manifest.write(json.dumps({"key": obj.key, "etag": obj.etag, "size": obj.size}) + "\n")
                manifest.flush()
                with lock:
                    moved[1] += 1
        except BaseException:
            for pending in futures:
                pending.cancel()
            raise
    summary.failed.sort()
