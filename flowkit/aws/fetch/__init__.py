"""``flowlogs fetch``: copy the flow log files of one time window from S3 to a local folder.

Files keep their key layout under the output folder, so ``flowlogs query --logs DIR`` reads them as
they are. The transit gateway flow logs under their own folder (:func:`flowkit.layout.transit_layout`)
come along with the VPC ones. :mod:`.plan` decides which objects the window needs (listing only its
time folders), :mod:`.download` copies them resumably, :mod:`.manifest` checks a local copy's content,
:mod:`.watch` ends a run that stalls or cannot reach S3, and :mod:`.empty` says what a bucket holds
when the window has nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from flowkit.aws.fetch.download import PART_SUFFIX, local_path, run_downloads
from flowkit.aws.fetch.empty import nothing_found
from flowkit.aws.fetch.errors import FetchAborted, FetchError
from flowkit.aws.fetch.manifest import MANIFEST, PROBLEMS, compare, is_complete, read_manifest
from flowkit.aws.fetch.plan import (
    ACCOUNT_RE,
    REGION_RE,
    FetchSummary,
    RemoteObject,
    discover_accounts,
    plan,
    resolve_storage,
    time_prefixes,
)
from flowkit.aws.fetch.watch import Watch, s3_config, watched
from flowkit.layout import Layout, to_utc, transit_layout
from flowkit.messages import Progress, no_progress

MAX_WINDOW = timedelta(days=3660)  # log retention is at most 3650 days
DEFAULT_TIMEOUT = 60.0  # seconds without a byte from S3 before a run is given up
T = TypeVar("T")

__all__ = ["DEFAULT_TIMEOUT", "MANIFEST", "PART_SUFFIX", "FetchAborted", "FetchError", "FetchSummary",
           "RemoteObject", "Verification", "fetch", "is_complete", "local_path", "plan", "read_manifest",
           "resolve_storage", "s3_config", "survey", "time_prefixes", "verify"]


@dataclass(frozen=True)
class Window:
    """A checked fetch request: bucket, layout, [since, until), accounts and regions."""

    bucket: str
    layout: Layout
    since: datetime
    until: datetime
    accounts: Sequence[str] = ()
    regions: Sequence[str] = ()


def _checked(bucket: str, layout: Layout, since: datetime, until: datetime, accounts: Sequence[str],
             regions: Sequence[str], workers: int) -> Window:
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
    return Window(bucket, layout, since, until, tuple(accounts), tuple(regions))


def _watching(s3: Any, timeout: float, work: Callable[[Watch], T], stalled: Callable[[], str]) -> T:
    """``work(watch)`` with every S3 response counted as progress, ended when S3 stalls for ``timeout``."""
    watch = Watch(timeout)
    s3.meta.events.register("after-call.s3", watch.beat, unique_id="flowlogs-fetch-watch")
    try:
        return watched(lambda: work(watch), watch, stalled)
    finally:
        s3.meta.events.unregister("after-call.s3", unique_id="flowlogs-fetch-watch")


def _silent(s3: Any, timeout: float) -> str:
    return f"S3 ({s3.meta.endpoint_url}) sent nothing for {timeout:g} s"


def _objects(s3: Any, window: Window, summary: FetchSummary, workers: int,
             watch: Watch) -> list[RemoteObject]:
    objects = plan(s3, window.bucket, window.layout, window.since, window.until, summary, window.accounts,
                   window.regions, workers, watch)
    objects += _transit_objects(s3, window, summary, workers, watch)
    if not objects:
        raise nothing_found(s3, window.bucket, window.layout, window.since, window.until, summary,
                            window.accounts, window.regions)
    return objects


def _transit_objects(s3: Any, window: Window, summary: FetchSummary, workers: int,
                     watch: Watch) -> list[RemoteObject]:
    """The window's transit gateway flow log files, counted into ``summary``: one listing of their
    folder finds their accounts (none, and nothing more is listed, when none are captured)."""
    layout, found = transit_layout(window.layout), FetchSummary()
    accounts, _ = discover_accounts(s3, window.bucket, layout, found)
    accounts = [a for a in accounts if not window.accounts or a in window.accounts]
    objects = plan(s3, window.bucket, layout, window.since, window.until, found, accounts, window.regions,
                   workers, watch) if accounts else []
    summary.prefixes_listed += found.prefixes_listed
    summary.objects_listed += found.objects_listed
    summary.ignored += found.ignored
    summary.objects += found.objects
    summary.bytes += found.bytes
    return objects


def survey(s3: Any, bucket: str, layout: Layout, since: datetime, until: datetime, *,
           accounts: Sequence[str] = (), regions: Sequence[str] = (), workers: int = 8,
           timeout: float = DEFAULT_TIMEOUT) -> FetchSummary:
    """List the window only (``fetch --dry-run``): ``summary.objects`` and ``summary.bytes``."""
    window = _checked(bucket, layout, since, until, accounts, regions, workers)
    summary = FetchSummary()
    _watching(s3, timeout, lambda watch: _objects(s3, window, summary, workers, watch),
              lambda: f"{_silent(s3, timeout)} while listing the window")
    return summary


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
    timeout: float = DEFAULT_TIMEOUT,
) -> FetchSummary:
    """Download the flow log files of [since, until) (plus the END-time slack) into ``out_dir``.

    Returns a summary; downloads that failed are listed in ``summary.failed`` (the others are kept).
    Raises FetchAborted when the window holds nothing, S3 sends nothing for ``timeout`` seconds or
    cannot be reached (the files already downloaded are kept and recorded).
    """
    window = _checked(bucket, layout, since, until, accounts, regions, workers)
    root = Path(out_dir)
    summary = FetchSummary()
    pending: list[int] = []  # how many files were to download, once known

    def work(watch: Watch) -> FetchSummary:
        objects = _objects(s3, window, summary, workers, watch)
        root.mkdir(parents=True, exist_ok=True)
        recorded = read_manifest(root)
        todo: list[tuple[RemoteObject, Path]] = []
        for obj in objects:
            target = local_path(root, obj.key)
            watch.beat()  # reading local files is progress too
            if is_complete(target, obj, recorded.get(obj.key)):
                summary.skipped += 1
            else:
                todo.append((obj, target))
        pending.append(len(todo))
        run_downloads(s3, bucket, root, todo, summary, workers, progress, watch)
        return summary

    def stalled() -> str:
        if not pending:
            return f"{_silent(s3, timeout)} while listing the window; nothing was downloaded"
        return (f"{_silent(s3, timeout)}: stopped with {summary.downloaded} of {pending[0]} file(s) "
                "downloaded; run the same command again to resume")

    return _watching(s3, timeout, work, stalled)


@dataclass
class Verification:
    """How a local copy stands against the window's objects in S3 (``fetch --verify``)."""

    checked: int = 0
    problems: dict[str, list[str]] = field(default_factory=dict)  # comparison -> keys

    def lines(self) -> list[str]:
        out = [f"checked {self.checked} file(s) against S3: {self.checked - self.bad - self.unchecked} match"]
        for kind, keys in sorted(self.problems.items()):
            out.append(f"{len(keys)} {PROBLEMS[kind]}, e.g. {keys[0]}")
        return out

    @property
    def unchecked(self) -> int:
        return len(self.problems.get("unchecked", []))

    @property
    def bad(self) -> int:
        return sum(len(keys) for kind, keys in self.problems.items() if kind != "unchecked")


def verify(s3: Any, bucket: str, layout: Layout, since: datetime, until: datetime, out_dir: str | Path, *,
           accounts: Sequence[str] = (), regions: Sequence[str] = (), workers: int = 8,
           timeout: float = DEFAULT_TIMEOUT) -> Verification:
    """Compare a local copy with the window's objects (size, and content by MD5); downloads nothing."""
    window = _checked(bucket, layout, since, until, accounts, regions, workers)
    root = Path(out_dir)
    result = Verification()

    def work(watch: Watch) -> Verification:
        objects = _objects(s3, window, FetchSummary(), workers, watch)
        recorded = read_manifest(root)
        for obj in objects:
            watch.beat()
            outcome = compare(local_path(root, obj.key), obj, recorded.get(obj.key))
            result.checked += 1
            if outcome != "same":
                result.problems.setdefault(outcome, []).append(obj.key)
        return result

    return _watching(s3, timeout, work, lambda: f"{_silent(s3, timeout)} while listing the window")
