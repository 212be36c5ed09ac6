"""The hourly files of one log stream, written as AWS writes flow logs to S3, never half under a final name.

Each file is gzip text with the header line of the format, one record per line. It is written as a hidden
``.<name>.<random>.part`` file beside its final name (the pattern :func:`.download.remove_stale_parts`
cleans up) and renamed into place only when its hour is complete.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from flowkit.aws.fetch.download import PART_SUFFIX, local_path, remove_stale_parts
from flowkit.aws.fetch.manifest import md5_of
from flowkit.catalogue import Field
from flowkit.layout import Layout

# The kit's S3 text layout, one folder per hour: the layout of the files of one stream and hour.
LAYOUT = Layout("text", hive=False, hourly=True)
HOUR = timedelta(hours=1)
_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def hour_of(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(epoch_seconds - epoch_seconds % 3600, UTC)


def stream_tag(log_group: str, stream: str) -> str:
    """A short hash naming one stream of one log group in its file names (ENI ids alone may repeat)."""
    return hashlib.sha256(f"{log_group}\n{stream}".encode()).hexdigest()[:12]


def file_key(account: str, region: str, log_group: str, stream: str, hour: datetime) -> str:
    """``AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<MM>/<dd>/<HH>/<name as AWS's>`` of a stream and hour.

    The flow log id's place in the name holds the stream's name (letters, digits and ``-`` only).
    """
    name = LAYOUT.file_name(account, region, _UNSAFE.sub("-", stream), hour, stream_tag(log_group, stream))
    return LAYOUT.key_prefix_for(account, region, hour) + name


def key_hour(key: str) -> datetime | None:
    """The hour of a key written by :func:`file_key`."""
    match = re.search(r"_(\d{8}T\d{2})00Z_[0-9a-f]{12}\.log\.gz$", key)
    return datetime.strptime(match[1], "%Y%m%dT%H").replace(tzinfo=UTC) if match else None


def end_position(fields: Sequence[Field]) -> int | None:
    """Where ``end`` is in a record line of ``fields`` (None: the format does not record it)."""
    names = [f.name for f in fields]
    return names.index("end") if "end" in names else None


def record_end(message: str, position: int | None, start: float) -> float:
    """The record's END time (Unix seconds): its ``end`` field, else (absent or ``-``) its start; never
    before its start (a record filed in an hour already written would be lost)."""
    if position is not None:
        parts = message.split(" ")
        if position < len(parts) and parts[position].isdigit():
            return max(float(parts[position]), start)
    return start


@dataclass
class Finished:
    """A file renamed into place: its key, size and MD5."""

    key: str
    size: int
    md5: str


class HourFile:
    """One file being written: a ``.part`` beside the target until :meth:`finish` renames it into place."""

    def __init__(self, root: Path, key: str, header: str) -> None:
        self.key = key
        self.target = local_path(root, key)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(self.target)
        fd, name = tempfile.mkstemp(prefix="." + self.target.name + ".", suffix=PART_SUFFIX,
                                    dir=self.target.parent)
        os.close(fd)
        self.part = Path(name)
        self.lines = 0
        self._raw: IO[bytes] = self.part.open("wb")
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="wb", mtime=0)
        self._gzip.write(header.encode() + b"\n")

    def write(self, line: str) -> None:
        self._gzip.write(line.rstrip("\n").encode() + b"\n")
        self.lines += 1

    def finish(self) -> Finished:
        self._gzip.close()
        self._raw.close()
        digest = md5_of(self.part)
        size = self.part.stat().st_size
        os.replace(self.part, self.target)
        return Finished(self.key, size, digest)

    def discard(self) -> None:
        self._gzip.close()
        self._raw.close()
        self.part.unlink(missing_ok=True)
