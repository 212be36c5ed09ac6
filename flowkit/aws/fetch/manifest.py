"""What a local copy holds: the manifest of completed downloads and the content check of one file.

Each completed download adds a line to ``.flowlogs-fetch.jsonl`` at the top of the output folder: the
key, S3's ETag and size, and the MD5 of the bytes written. A file counts as a copy of its object when
it has the listed size and either the manifest's MD5 (recorded for the same ETag) or, for single-part
uploads encrypted with SSE-S3, the ETag itself is the MD5 of its content.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from flowkit.aws.fetch.plan import RemoteObject

MANIFEST = ".flowlogs-fetch.jsonl"
CHUNK = 1024 * 1024
_MD5_ETAG = re.compile(r"^[0-9a-f]{32}$")

# same: a copy; missing; size: another size; content: other bytes; changed: S3's object was replaced since
# it was copied; unchecked: right size, but nothing to check its bytes against
Comparison = Literal["same", "missing", "size", "content", "changed", "unchecked"]
PROBLEMS: dict[str, str] = {"missing": "missing", "size": "another size than in S3",
                            "content": "other content than was downloaded",
                            "changed": "replaced in S3 since it was copied",
                            "unchecked": "not checkable (no recorded checksum, and its ETag is no MD5)"}


@dataclass(frozen=True)
class Entry:
    """One completed download as the manifest recorded it."""

    etag: str
    size: int
    md5: str | None  # None in manifests of older versions of the kit


def read_manifest(out_dir: Path) -> dict[str, Entry]:
    """key -> Entry of files completed by earlier runs (later lines win; a torn last line is ignored)."""
    path = out_dir / MANIFEST
    entries: dict[str, Entry] = {}
    if not path.exists():
        return entries
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
            md5 = item.get("md5")
            entries[str(item["key"])] = Entry(str(item["etag"]), int(item["size"]),
                                              str(md5) if md5 else None)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            continue
    return entries


def record(manifest: IO[str], obj: RemoteObject, md5: str) -> None:
    manifest.write(json.dumps({"key": obj.key, "etag": obj.etag, "size": obj.size, "md5": md5}) + "\n")
    manifest.flush()


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def compare(local: Path, obj: RemoteObject, entry: Entry | None) -> Comparison:
    """How ``local`` stands against ``obj`` (its bytes are read unless the size already differs)."""
    try:
        if local.stat().st_size != obj.size:
            return "size"
    except FileNotFoundError:
        return "missing"
    if entry is not None and obj.etag and entry.etag != obj.etag:
        return "changed"
    digest = md5_of(local)
    if entry is not None and entry.md5:
        return "same" if digest == entry.md5 else "content"
    if _MD5_ETAG.match(obj.etag):
        return "same" if digest == obj.etag else "unchecked"
    return "unchecked"


def is_complete(local: Path, obj: RemoteObject, entry: Entry | None) -> bool:
    """True when ``local`` already holds ``obj``'s bytes."""
    return compare(local, obj, entry) == "same"
