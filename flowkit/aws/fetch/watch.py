"""Keeping ``fetch`` from hanging: S3 timeouts and retries, a stall watchdog, daemon workers, dead endpoints.

The work runs in daemon threads while the calling thread only watches: when S3 sends nothing (no listing
page, no downloaded byte) for ``stall`` seconds, or an endpoint cannot be reached at all, the run ends
with one :class:`FetchAborted` line, and a Ctrl-C ends it at once. Daemon threads never hold up the
process's exit, whatever socket they are stuck in; their temporary files are removed by :meth:`Watch.abort`.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from botocore.config import Config
from botocore.exceptions import ConnectionError as BotoConnectionError

from flowkit.aws.fetch.errors import FetchAborted

T = TypeVar("T")
R = TypeVar("R")

CONNECT_TIMEOUT = 10.0  # seconds to open a connection to S3
ATTEMPTS = 3  # botocore's standard retry mode: exponential backoff with jitter between attempts
POLL = 0.2  # how often the watching thread looks


def s3_config(timeout: float) -> Config:
    """Connect and read timeouts and standard retries (with backoff) for fetch's S3 client.

    One request waits up to twice ``timeout`` for a byte before it is retried, so a stalled endpoint
    (where every request waits) is caught by the watchdog after ``timeout``, not retried forever, while
    a single stuck request among healthy ones is retried.
    """
    return Config(connect_timeout=min(CONNECT_TIMEOUT, timeout), read_timeout=2 * timeout,
                  retries={"mode": "standard", "max_attempts": ATTEMPTS})


def unreachable(err: BaseException | None) -> bool:
    """True when ``err`` (or the error a transfer gave up on) says no connection to S3 could be made."""
    seen = 0
    while err is not None and seen < 5:
        if isinstance(err, BotoConnectionError):
            return True
        err = getattr(err, "last_exception", None) or err.__cause__
        seen += 1
    return False


class Watch:
    """When S3 last sent something, whether the run is stopping, and the temporary files in flight."""

    def __init__(self, stall: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.stall = stall
        self.clock = clock
        self.last = clock()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.temporary: set[Path] = set()

    def beat(self, *_: Any, **__: Any) -> None:
        """Something arrived (a response, some bytes, a local file checked); usable as a botocore handler."""
        self.last = self.clock()

    def idle(self) -> float:
        return self.clock() - self.last

    def new_temporary(self, make: Callable[[], Path]) -> Path | None:
        """``make()`` a temporary file and remember it, unless the run is stopping (then None)."""
        with self.lock:
            if self.stop.is_set():
                return None
            path = make()
            self.temporary.add(path)
            return path

    def forget(self, path: Path) -> None:
        with self.lock:
            self.temporary.discard(path)

    def abort(self) -> None:
        """Stop handing out work and remove every temporary file still in flight."""
        with self.lock:
            self.stop.set()
            leftovers = list(self.temporary)
            self.temporary.clear()
        for path in leftovers:
            path.unlink(missing_ok=True)


def watched(work: Callable[[], T], watch: Watch, stalled: Callable[[], str]) -> T:
    """``work()`` in a daemon thread; this thread raises FetchAborted(``stalled()``) when nothing arrives
    for ``watch.stall`` seconds, and on any error or Ctrl-C stops the work and removes its temporary files."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as err:  # handed to the watching thread
            box["error"] = err
        finally:
            done.set()

    threading.Thread(target=run, name="flowlogs-fetch", daemon=True).start()
    try:
        while not done.wait(POLL):
            if watch.idle() > watch.stall:
                raise FetchAborted(stalled())
        if "error" in box:
            raise box["error"]
    except BaseException:
        watch.abort()
        raise
    return box["value"]


def parallel(func: Callable[[T], R], items: Iterable[T], workers: int,
             watch: Watch) -> Iterator[tuple[T, R | BaseException]]:
    """``(item, func(item) or the error it raised)`` in completion order, from ``workers`` daemon threads.

    Workers take no new item once ``watch.stop`` is set; leaving the loop early sets it.
    """
    todo: queue.SimpleQueue[T] = queue.SimpleQueue()
    count = 0
    for item in items:
        todo.put(item)
        count += 1
    done: queue.SimpleQueue[tuple[T, R | BaseException]] = queue.SimpleQueue()

    def worker() -> None:
        while not watch.stop.is_set():
            try:
                item = todo.get_nowait()
            except queue.Empty:
                return
            try:
                done.put((item, func(item)))
            except BaseException as err:  # handed to the caller with its item
                done.put((item, err))

    for number in range(min(workers, count)):
        threading.Thread(target=worker, name=f"flowlogs-fetch-{number}", daemon=True).start()
    try:
        for _ in range(count):
            yield done.get()
    finally:
        if not todo.empty():
            watch.stop.set()

