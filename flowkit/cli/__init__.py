"""``flowlogs``: list, render and run the saved queries (locally or in Athena); fetch logs; write reports;
check a deployment (``doctor``).

Starts fast: nothing heavy (CDK, DuckDB, sqlglot, boto3, jinja2) is imported until a command needs it.
Bad input prints one line ``flowlogs: error: ...`` to stderr and exits with status 2; a query, download
or report that fails exits with status 1; Ctrl-C prints ``flowlogs: interrupted`` and exits with 130.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from flowkit.cli import terminal
from flowkit.cli.group import Interrupted, Problem, cli
from flowkit.cli.terminal import PROG
from flowkit.errors import BAD_INPUT, FAILED, INTERRUPTED

__all__ = ["PROG", "cli", "main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Console script ``flowlogs``; exits with 0, 1 (the work failed) or 2 (bad input)."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name=PROG, standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as err:
        click.echo(err.ctx.get_help() if err.ctx else str(err))
        sys.exit(0)
    except click.UsageError as err:
        click.echo(f"{PROG}: error: {err.format_message()}", err=True)
        sys.exit(BAD_INPUT)
    except Interrupted as err:
        err.show()
        sys.exit(INTERRUPTED)
    except click.ClickException as err:
        terminal.errors(err.error.problems if isinstance(err, Problem) else [err.format_message()])
        sys.exit(err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo(f"{PROG}: interrupted", err=True)
        sys.exit(INTERRUPTED)
    except BrokenPipeError:
        sys.exit(FAILED)
    sys.exit(0)
