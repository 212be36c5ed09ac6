"""Ctrl-C while DuckDB works: the statements running stop, and the query ends with KeyboardInterrupt.

DuckDB does not look at Python's signals while a statement runs, so the engine's work runs in a
thread of its own (:func:`interruptible`) while the main thread waits for it. On Ctrl-C the main thread
interrupts every DuckDB connection the work uses (:class:`Interrupts`), waits for the work to end (its
``finally`` blocks remove what it wrote to temporary files, its transactions roll back) and raises
KeyboardInterrupt, which the CLI turns into one line and exit status 130.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import duckdb

T = TypeVar("T")
STOP_WAIT_SECONDS = 30.0  # how long Ctrl-C waits for the work to stop before giving up on it
_POLL_SECONDS = 0.1


class Interrupts:
    """The DuckDB connections in use, interrupted together on Ctrl-C; and whether it came."""

    def __init__(self) -> None:
        self.requested = False
        self._connections: dict[int, duckdb.DuckDBPyConnection] = {}
        self._lock = threading.Lock()

    @contextmanager
    def using(self, con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
        """``con`` is interrupted with the others while the block runs."""
        with self._lock:
            self._connections[id(con)] = con
        try:
            self.check()
            yield con
        finally:
            with self._lock:
                self._connections.pop(id(con), None)

    def stop(self) -> None:
        """Ctrl-C came: interrupt every statement running now (the work checks :meth:`check` between them)."""
        self.requested = True
        with self._lock:
            connections = list(self._connections.values())
        for con in connections:
            con.interrupt()

    def check(self, err: BaseException | None = None) -> None:
        """Raise KeyboardInterrupt when Ctrl-C came or ``err`` is DuckDB's interrupt."""
        if self.requested or is_interrupt(err):
            raise KeyboardInterrupt from None


def is_interrupt(err: BaseException | None) -> bool:
    """Whether ``err`` says the work was interrupted (DuckDB's exception, or Python's)."""
    if err is None:
        return False
    if isinstance(err, KeyboardInterrupt):
        return True
    import duckdb

    return isinstance(err, duckdb.InterruptException)


def interruptible(interrupts: Interrupts, work: Callable[[], T]) -> T:
    """``work()`` in a thread of its own; Ctrl-C stops it (see the module) and raises KeyboardInterrupt.

    The wait is on an event, not ``Thread.join``: a join interrupted by Ctrl-C can mark a running
    thread as stopped (CPython gh-90882), and the work would then outlive the command.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []
    finished = threading.Event()

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as err:  # handed to the waiting thread
            failure.append(err)
        finally:
            finished.set()

    threading.Thread(target=run, name="flowlogs-engine", daemon=True).start()
    try:
        while not finished.wait(_POLL_SECONDS):
            pass
    except KeyboardInterrupt:
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        while not finished.is_set() and time.monotonic() < deadline:
            interrupts.stop()  # again: a statement may have started since
            finished.wait(_POLL_SECONDS)
        raise KeyboardInterrupt from None
    if failure:
        if is_interrupt(failure[0]):
            raise KeyboardInterrupt from None
        raise failure[0]
    return outcome[0]
