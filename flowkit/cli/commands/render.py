"""``flowlogs render``: a saved query's Athena SQL, exactly as deployed."""

from __future__ import annotations

import click

from flowkit.cli.config import Options
from flowkit.cli.options import (
    check_available,
    find_template,
    param_option,
    parse_pairs,
    parse_window,
    window_options,
)


@click.command("render", short_help="Print a saved query's Athena SQL.")
@click.argument("name")
@param_option
@window_options
@click.pass_obj
def command(options: Options, name: str, params: tuple[str, ...], since: str | None,
            until: str | None) -> None:
    """Print a saved query's Athena SQL as deployed (`?` placeholders stay)."""
    from flowkit import queries

    template = find_template(name)
    values = parse_pairs(params, "--param")
    start, end = parse_window(since, until)
    ctx = queries.context_of(template, options.settings)
    check_available(template, ctx)
    sql = queries.render(template, ctx, start, end)
    if values:
        bound = queries.athena_execution_parameters(template, queries.coerce_params(template, values))
        click.echo("-- parameters, in ? order: " + ", ".join(bound), err=True)
    click.echo(sql, nl=False)
