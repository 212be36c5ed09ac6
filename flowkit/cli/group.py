"""The ``flowlogs`` command group: global options, the commands, and the one turn from error to exit.

Every command raises :class:`flowkit.errors.KitError` (or lets a domain error through); the group
turns it into ``flowlogs: error: ...`` lines and its exit status, here and nowhere else, so running
through ``main`` or click's own runner behaves the same.
"""

from __future__ import annotations

from typing import Any

import click

from flowkit.cli import terminal
from flowkit.cli.commands import demo, doctor, fetch, insights, queries, query, render, report, sample
from flowkit.cli.config import Options
from flowkit.cli.options import parse_pairs
from flowkit.errors import BAD_INPUT, FAILED, INTERRUPTED, KitError

DISTRIBUTION = "vpc-flowlogs-kit"  # the package name in pyproject.toml


class Problem(click.ClickException):
    """A KitError as click reports it: its lines, its exit status."""

    def __init__(self, error: KitError) -> None:
        super().__init__(str(error))
        self.error = error

    @property  # click reads it when it exits (standalone mode, CliRunner)
    def exit_code(self) -> int:  # type: ignore[override]
        return self.error.status

    def show(self, file: Any = None) -> None:
        terminal.errors(self.error.problems)


class Interrupted(click.ClickException):
    """Ctrl-C: one line, exit status 130 (click's own handling would print an empty line first)."""

    exit_code = INTERRUPTED

    def __init__(self) -> None:
        super().__init__("interrupted")

    def show(self, file: Any = None) -> None:
        click.echo(f"{terminal.PROG}: interrupted", err=True)


class KitGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KitError as err:
            raise Problem(err) from None
        except KeyboardInterrupt:
            raise Interrupted() from None


def package_version() -> str:
    """The installed kit's version (``unknown`` when it runs from a folder that was never installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"{terminal.PROG} {package_version()}")
        ctx.exit()


@click.group(cls=KitGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=f"Exit status: 0 done, {FAILED} the work failed (a query, a download, a check), "
             f"{BAD_INPUT} bad input (settings, options, names, files), {INTERRUPTED} interrupted (Ctrl-C).")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Print the kit's version and exit.")
@click.option("--config", metavar="PATH", default=None,
              help="cdk.json to read settings from. Default: ./cdk.json, or built-in defaults without it.")
@click.option("--context", "-c", "context", multiple=True, metavar="KEY=VALUE",
              help="Override a setting, like `cdk -c` (repeatable).")
@click.pass_context
def cli(ctx: click.Context, config: str | None, context: tuple[str, ...]) -> None:
    """VPC flow log investigation kit: saved queries locally and in Athena, log fetching, reports."""
    ctx.obj = Options(config, parse_pairs(context, "--context"))


for _module in (queries, render, query, insights, sample, fetch, report, demo, doctor):
    cli.add_command(_module.command)
