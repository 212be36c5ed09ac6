"""The terminal: where the CLI's notes, warnings, errors and progress bars go.

Results go to stdout; everything else to stderr. This is the one place that asks whether stderr is a
terminal (a progress bar only then) and the one place that formats ``flowlogs: error: ...``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click

from flowkit.errors import one_line
from flowkit.messages import Notify, Progress, no_progress

PROG = "flowlogs"


def warn(message: str) -> None:
    """Engine messages on stderr: ``flowlogs: note: ...`` or ``flowlogs: warning: ...``."""
    if message.startswith("note: "):
        click.echo(f"{PROG}: {message}", err=True)
    else:
        click.echo(f"{PROG}: warning: {message}", err=True)


def once(notify: Notify) -> Notify:
    """``notify`` that passes each distinct line on only the first time (one run, many queries)."""
    seen: set[str] = set()

    def first_time(line: str) -> None:
        if line not in seen:
            seen.add(line)
            notify(line)

    return first_time


def info(line: str) -> None:
    """Progress and cost lines (Athena, fetch) on stderr, so stdout holds only the result."""
    click.echo(line, err=True)


def errors(problems: Sequence[str]) -> None:
    """``flowlogs: error: <problem>``, one line each, whatever the problem's text holds."""
    for line in problems:
        click.echo(f"{PROG}: error: {one_line(line)}", err=True)


def is_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress() -> Iterator[Progress]:
    """A transient progress bar on stderr when it is a terminal; a silent Progress otherwise."""
    if not is_terminal():
        yield no_progress
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    with Bar(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=None)

        def update(what: str, done: float, total: float | None = None) -> None:
            bar.update(task, description=what, completed=done, total=total or None)

        yield update
