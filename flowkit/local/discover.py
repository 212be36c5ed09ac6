"""Finding the flow log files under ``--logs``: any folder from the bucket root down, any key layout."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flowkit.layout import FILE_SUFFIX, KeyInfo, parse_key
from flowkit.local.result import EngineError
from flowkit.messages import Notify, silent

_SUFFIXES = tuple(FILE_SUFFIX.values())
STORE_FOLDER = ".flowlogs-store"  # the store of a logs folder, inside it (flowkit.local.store); never walked


@dataclass(frozen=True)
class DataFile:
    """One flow log file found under the logs folder."""

    path: Path
    info: KeyInfo
    size: int = 0
    mtime_ns: int = 0


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
    parents = base.parts[1:]  # without the filesystem root
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d != STORE_FOLDER)
        folder = Path(dirpath)
        relative = folder.relative_to(base).parts
        known: int | None = None  # how many of base's folders the files here needed so far
        for name in sorted(filenames):
            info, known = _key_info(parents, (*relative, name), known)
            path = folder / name
            if info is not None:
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # gone since the folder was listed
                found.append(DataFile(path, info, stat.st_size, stat.st_mtime_ns))
            elif name.endswith(_SUFFIXES):
                strays.append(str(path))
    if strays:
        notify(f"{len(strays)} file(s) named like flow logs are not in a flow log key layout and were "
               f"ignored, e.g. {strays[0]}")
    return found


def _key_info(parents: tuple[str, ...], relative: tuple[str, ...],
              known: int | None) -> tuple[KeyInfo | None, int | None]:
    """parse_key on a path below the base folder, prefixed by as many of the base's folders
    (``parents``) as it needs, trying ``known`` first; the info and the count that worked."""
    counts = [known] if known is not None else []
    for count in [*counts, *range(len(parents) + 1)]:
        info = parse_key("/".join((*parents[len(parents) - count:], *relative)))
        if info is not None:
            return info, count
        if count and parents[len(parents) - count] == "AWSLogs":
            break
    return None, known
