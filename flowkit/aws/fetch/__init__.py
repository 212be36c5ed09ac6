"""``flowlogs fetch``: copy the flow log files of one time window from S3 to a local folder.

Files keep their key layout under the output folder, so ``flowlogs query --logs DIR`` reads them as
they are. :mod:`.plan` decides which objects the window needs (listing only its time folders),
:mod:`.download` copies them resumably.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flowkit.aws.fetch.download import (
    MANIFEST,
    PART_SUFFIX,
    is_complete,
    local_path,
    read_manifest,
    run_downloads,
)
from flowkit.aws.fetch.plan import (
    ACCOUNT_RE,
    REGION_RE,
    FetchError,
    FetchSummary,
    RemoteObject,
    plan,
    resolve_storage,
    time_prefixes,
)
from flowkit.layout import Layout, to_utc
from flowkit.messages import Progress, no_progress

MAX_WINDOW = timedelta(days=3660)  # log retention is at most 3650 days

__all__ = ["MANIFEST", "PART_SUFFIX", "FetchError", "FetchSummary", "RemoteObject", "fetch", "is_complete",
           "local_path", "plan", "resolve_storage", "time_prefixes"]


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
    progress: Progress = no_progress,
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
    bad = [a for a in accounts if not ACCOUNT_RE.match(a)] + [r for r in regions if not REGION_RE.match(r)]
    if bad:
        raise FetchError(f"not an account id / region: {', '.join(bad)}")
    root = Path(out_dir)
    summary = FetchSummary()
    objects = plan(s3, bucket, layout, since, until, summary, accounts, regions, workers)
    root.mkdir(parents=True, exist_ok=True)
    recorded = read_manifest(root)
    todo: list[tuple[RemoteObject, Path]] = []
    for obj in objects:
        target = local_path(root, obj.key)
        if is_complete(target, obj, recorded.get(obj.key)):
            summary.skipped += 1
        else:
            todo.append((obj, target))
    run_downloads(s3, bucket, root, todo, summary, workers, progress)
    return summary
