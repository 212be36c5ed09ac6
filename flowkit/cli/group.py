"""The ``flowlogs`` command group: global options, the commands, and the one turn from error to exit.

Every command raises :class:`flowkit.errors.KitError` (or lets a domain error through); the group
turns it into ``flowlogs: error: ...`` lines and its exit status, here and nowhere else, so running
through ``main`` or click's own runner behaves the same.
"""

from __future__ import annotations

from typing import Any

import click

from flowkit.cli import terminal
from flowkit.cli.commands import demo, doctor, fetch, queries, query, render, report, sample
from flowkit.cli.config import Options
from flowkit.cli.options import parse_pairs
from flowkit.errors import KitError


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


class KitGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KitError as err:
            raise Problem(err) from None


@click.group(cls=KitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", metavar="PATH", default=None,
              help="cdk.json to read settings from. Default: ./cdk.json, or built-in defaults without it.")
@click.option("--context", "-c", "context", multiple=True, metavar="KEY=VALUE",
              help="Override a setting, like `cdk -c` (repeatable).")
@click.pass_context
def cli(ctx: click.Context, config: str | None, context: tuple[str, ...]) -> None:
    """VPC flow log investigation kit: saved queries locally and in Athena, log fetching, reports."""
    ctx.obj = Options(config, parse_pairs(context, "--context"))


for _module in (queries, render, query, sample, fetch, report, demo, doctor):
    cli.add_command(_module.command)
