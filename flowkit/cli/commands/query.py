"""``flowlogs query``: run one saved query on a local copy of the logs or in Athena, print its rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from flowkit.cli import terminal
from flowkit.cli.config import Options
from flowkit.cli.options import (
    athena_options,
    check_available,
    choose_source,
    find_template,
    format_option,
    param_option,
    parse_pairs,
    parse_window,
    window_options,
)
from flowkit.cli.targets import AthenaChoice, athena_choice, aws_session

if TYPE_CHECKING:
    from flowkit.queries import QueryTemplate

Rows = tuple[list[str], list[tuple[Any, ...]]]


@click.command("query", short_help="Run a saved query locally or in Athena.")
@click.argument("name")
@click.option("--logs", "logs_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Run locally on this copy of the bucket (its root, AWSLogs/, or a folder below).")
@athena_options
@param_option
@window_options
@format_option(("table", "json", "csv"), "table")
@click.pass_obj
def command(options: Options, name: str, logs_dir: Path | None, athena: bool, investigation: str | None,
            workgroup: str | None, database: str | None, table: str | None, profile: str | None,
            region: str | None, params: tuple[str, ...], since: str | None, until: str | None,
            fmt: str) -> None:
    """Run a saved query, locally (--logs DIR) or in Athena (--athena), and print its rows.

    With --athena the query's cost (USD 5 per TB scanned) and execution id go to stderr.
    """
    from flowkit.cli import rows

    template = find_template(name)
    values = parse_pairs(params, "--param")
    start, end = parse_window(since, until)
    choice = athena_choice(athena, investigation, workgroup, database, table, profile, region)
    source = choose_source({"--logs DIR": logs_dir, "--athena": athena}, "the query")
    if source == "--athena":
        assert choice is not None
        columns, found = in_athena(options, template, choice, values, start, end)
    else:
        assert logs_dir is not None
        columns, found = on_local_files(options, template, logs_dir, values, start, end)
    rows.write(columns, found, fmt, title=template.name if fmt == "table" else None)


def in_athena(options: Options, template: QueryTemplate, choice: AthenaChoice, values: Mapping[str, str],
              since: datetime | None, until: datetime | None) -> Rows:
    """The query in the deployed workgroup (see flowkit.aws.athena); parameters are checked first."""
    from flowkit import queries
    from flowkit.aws import athena

    ctx = queries.context_for(options.settings)
    queries.coerce_params(template, values)
    queries.render(template, ctx, since, until)
    session = aws_session(choice.profile, choice.region)
    target = choice.target(options, session)
    if target.fields is None:  # names given by hand, or an older deployment: assume the settings' fields
        check_available(template, ctx)
    # otherwise athena.run_saved checks the query against the deployed table's columns
    with terminal.progress() as progress:
        result = athena.run_saved(session, target, template, values, ctx, since=since, until=until,
                                  notify=terminal.info, progress=progress)
    return result.columns, result.rows


def on_local_files(options: Options, template: QueryTemplate, logs_dir: Path, values: Mapping[str, str],
                   since: datetime | None, until: datetime | None) -> Rows:
    """The query on local files with DuckDB (see flowkit.local)."""
    from flowkit import local, queries

    ctx = queries.context_for(options.settings)
    with terminal.progress() as progress:
        try:
            result = local.run_saved(template, ctx, logs_dir, values, local.Window(since, until),
                                     notify=terminal.warn, progress=progress)
        except local.TranslateError as err:
            raise err.with_context(f"query '{template.name}'") from None
    return result.columns, result.rows
