"""How domain code talks to whoever runs it, without knowing about terminals.

A :data:`Notify` callable takes one line for the user (a note, a warning, a cost line); a
:data:`Progress` callable takes what is being done and how far along it is. The CLI's terminal helper
supplies real ones (stderr, a progress bar only on a terminal); library callers and tests pass their
own or leave the silent defaults.
"""

from __future__ import annotations

from collections.abc import Callable

Notify = Callable[[str], None]
# what is being done, how much of it is done, and the total (None: unknown)
Progress = Callable[[str, float, "float | None"], None]


def silent(_line: str) -> None:
    """A Notify that drops every line."""


def no_progress(_what: str, _done: float, _total: float | None = None) -> None:
    """A Progress that shows nothing."""
