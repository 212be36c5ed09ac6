"""Finding the flow log files under ``--logs``: any folder from the bucket root down, any key layout."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flowkit.layout import FILE_SUFFIX, KeyInfo, parse_key
from flowkit.local.result import EngineError
from flowkit.messages import Notify, silent

_SUFFIXES = tuple(FILE_SUFFIX.values())


@dataclass(frozen=True)
class DataFile:
    """One flow log file found under the logs folder."""

    path: Path
    info: KeyInfo


def discover(root: Path | str, notify: Notify = silent) -> list[DataFile]:
    """Every flow log file under ``root`` (the bucket root, ``AWSLogs`` or any folder below it)."""
    base = Path(root)
    if not base.exists():
        raise EngineError(f"{root}: no such folder")
    if not base.is_dir():
        raise EngineError(f"{root}: not a folder")
    base = base.resolve()
    found: list[DataFile] = []
    strays: list[str] = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            info = _key_info(base, path)
            if info is not None:
                found.append(DataFile(path, info))
            elif name.endswith(_SUFFIXES):
                strays.append(str(path))
    if strays:
        notify(f"{len(strays)} file(s) named like flow logs are not in a flow log key layout and were "
               f"ignored, e.g. {strays[0]}")
    return found


def _key_info(base: Path, path: Path) -> KeyInfo | None:
    """parse_key on the path below ``base``, prefixed by as many of base's folders as it needs."""
    relative = path.relative_to(base).parts
    parents = base.parts[1:]  # without the filesystem root
    for count in range(len(parents) + 1):
        candidate = "/".join((*parents[len(parents) - count:], *relative))
        info = parse_key(candidate)
        if info is not None:
            return info
        if count and parents[len(parents) - count] == "AWSLogs":
            break
    return None
