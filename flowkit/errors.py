"""The one error base of the kit.

Every error the kit raises on purpose is a :class:`KitError`: one or more one-line problems and the
exit status the ``flowlogs`` command (or the CDK app) ends with. Only the CLI's entry point and
``app.py`` turn it into output (``flowlogs: error: <problem>`` per line); nothing else prints errors.
"""

from __future__ import annotations

from collections.abc import Sequence

BAD_INPUT = 2  # settings, arguments, files or names the user gave are wrong
FAILED = 1  # the input was fine but the work failed (a query, a download, a report)
INTERRUPTED = 130  # Ctrl-C


class KitError(Exception):
    """A problem the user can act on: ``problems`` holds one line each, ``status`` the exit status."""

    status: int = BAD_INPUT

    def __init__(self, problems: str | Sequence[str], status: int | None = None) -> None:
        self.problems = [problems] if isinstance(problems, str) else [str(p) for p in problems]
        super().__init__("\n".join(self.problems))
        if status is not None:
            self.status = status

    def with_context(self, prefix: str) -> KitError:
        """The same error with ``prefix`` in front of its first problem (``query 'x': ...``)."""
        problems = [f"{prefix}: {self.problems[0]}", *self.problems[1:]] if self.problems else [prefix]
        clone = type(self).__new__(type(self))
        KitError.__init__(clone, problems, self.status)
        return clone


def one_line(text: str) -> str:
    """Any message on one line (AWS and Athena reasons may span several)."""
    return " ".join(str(text).split())
