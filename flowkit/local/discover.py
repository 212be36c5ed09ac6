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
    """Every flow log file under ``root`` (the bucket root, ``AWSLogs`` or any folder below it).

    Linked folders are followed (each real folder walked once). A folder that cannot be listed, a link
    to nothing, files named like flow logs outside a key layout and other files under ``AWSLogs``
    (hidden ones aside) are reported.
    """
    base = Path(root)
    if not base.exists():
        raise EngineError(f"{root}: no such folder")
    if not base.is_dir():
        raise EngineError(f"{root}: not a folder")
    base = base.resolve()
    found: list[DataFile] = []
    strays: list[str] = []  # named like flow logs, outside a key layout
    others: list[str] = []  # under AWSLogs, not named like flow logs (a gunzipped copy, ...)
    parents = base.parts[1:]  # without the filesystem root
    walked: set[tuple[int, int]] = set()  # (device, inode) of every folder walked

    def unlisted(err: OSError) -> None:
        notify(f"{err.filename}: cannot list this folder ({err.strerror}); the flow log files in it were "
               "not read")

    for dirpath, dirnames, filenames in os.walk(base, onerror=unlisted, followlinks=True):
        folder = Path(dirpath)
        here = os.stat(folder)
        if (here.st_dev, here.st_ino) in walked:
            dirnames[:] = []  # a link back to a folder already walked
            continue
        walked.add((here.st_dev, here.st_ino))
        dirnames[:] = sorted(d for d in dirnames if d != STORE_FOLDER)
        relative = folder.relative_to(base).parts
        known: int | None = None  # how many of base's folders the files here needed so far
        for name in sorted(filenames):
            info, known = _key_info(parents, (*relative, name), known)
            path = folder / name
            if info is not None:
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    if path.is_symlink():
                        notify(f"{path}: a link to a file that does not exist ({os.readlink(path)}); skipped")
                    continue  # otherwise gone since the folder was listed
                except OSError as err:
                    notify(f"{path}: cannot read ({err.strerror}); file skipped")
                    continue
                found.append(DataFile(path, info, stat.st_size, stat.st_mtime_ns))
            elif name.endswith(_SUFFIXES):
                strays.append(str(path))
            elif not name.startswith(".") and "AWSLogs" in (*parents, *relative):
                others.append(str(path))
    if strays:
        notify(f"{len(strays)} file(s) named like flow logs are not in a flow log key layout and were "
               f"ignored, e.g. {strays[0]}")
    if others:
        notify(f"note: {len(others)} file(s) under AWSLogs are not flow log files (*.log.gz, *.log.parquet) "
               f"and were ignored, e.g. {others[0]}")
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
