"""``flowlogs query``: run one saved query on a local copy of the logs or in Athena, print its rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
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
    dry_run_option,
    find_template,
    format_option,
    limit_option,
    param_option,
    parse_pairs,
    parse_window,
    window_options,
)
from flowkit.cli.targets import AthenaChoice, athena_choice, aws_session, before_spending
from flowkit.errors import KitError

if TYPE_CHECKING:
    from flowkit.queries import QueryTemplate

Rows = tuple[list[str], Iterable[tuple[Any, ...]]]


@click.command("query", short_help="Run a saved query locally or in Athena.")
@click.argument("name")
@click.option("--logs", "logs_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Run locally on this copy of the bucket (its root, AWSLogs/, or a folder below).")
@athena_options
@param_option
@window_options
@format_option(("table", "json", "csv"), "table")
@limit_option
@dry_run_option
@click.pass_obj
def command(options: Options, name: str, logs_dir: Path | None, athena: bool, investigation: str | None,
            workgroup: str | None, database: str | None, table: str | None, profile: str | None,
            region: str | None, params: tuple[str, ...], since: str | None, until: str | None,
            fmt: str, limit: int | None, dry_run: bool) -> None:
    """Run a saved query, locally (--logs DIR) or in Athena (--athena), and print its rows.

    With --athena the query's cost (USD 5 per TB scanned) and execution id go to stderr; with
    --athena --dry-run the SQL and the most the window can cost are printed and nothing runs.
    """
    from flowkit.cli import rows

    template = find_template(name)
    values = parse_pairs(params, "--param")
    start, end = parse_window(since, until)
    choice = athena_choice(athena, investigation, workgroup, database, table, profile, region)
    source = choose_source({"--logs DIR": logs_dir, "--athena": athena}, "the query")
    if dry_run and source != "--athena":
        raise KitError("--dry-run goes with --athena (a local query costs nothing)")
    with ExitStack() as stack:
        if source == "--athena":
            assert choice is not None
            found = in_athena(options, template, choice, values, start, end, dry_run)
            if found is None:
                return
            columns, result = found
        else:
            assert logs_dir is not None
            local = on_local_files(options, template, logs_dir, values, start, end)
            columns, result = stack.enter_context(local)
        written = rows.write(columns, result, fmt, title=template.name if fmt == "table" else None,
                             limit=rows.default_limit(fmt, limit))
    if written.left_out:
        terminal.warn(f"note: printed the first {written.shown:,} of {written.total:,} rows; "
                      f"{written.left_out:,} left out (--limit N for more, --limit 0 for all)")


def in_athena(options: Options, template: QueryTemplate, choice: AthenaChoice, values: Mapping[str, str],
              since: datetime | None, until: datetime | None, dry_run: bool = False) -> Rows | None:
    """The query in the deployed workgroup (see flowkit.aws.athena); parameters are checked first.

    Rows are read page by page as they are printed. With ``dry_run`` only the SQL and the bound on its
    cost are printed (None is returned).
    """
    from flowkit import queries
    from flowkit.aws import athena

    ctx = queries.context_of(template, options.settings)
    queries.coerce_params(template, values)
    queries.render(template, ctx, since, until)
    session = aws_session(choice.profile, choice.region)
    target = choice.target(options, session).for_table(template.table)
    if target.fields is None:  # names given by hand, or an older deployment: assume the settings' fields
        check_available(template, ctx)
    # otherwise athena.prepare_saved checks the query against the deployed table's columns
    sql, parameters = athena.prepare_saved(target, template, values, ctx, since, until)
    window = before_spending(options, session, target, since, until, dry_run)
    if dry_run:
        click.echo(sql, nl=False)
        if parameters:
            terminal.info("-- parameters, in ? order: " + ", ".join(parameters))
        terminal.info(window)
        return None
    with terminal.progress() as progress:
        found = athena.stream_saved(session, target, template, values, ctx, since=since, until=until,
                                    notify=terminal.info, progress=progress)
    return found.columns, found.rows


@contextmanager
def on_local_files(options: Options, template: QueryTemplate, logs_dir: Path, values: Mapping[str, str],
                   since: datetime | None, until: datetime | None) -> Iterator[Rows]:
    """The query on local files with DuckDB (see flowkit.local); its rows are read as they are printed."""
    from flowkit import local, queries

    ctx = queries.context_of(template, options.settings)
    with ExitStack() as stack:
        with terminal.progress() as progress:
            try:
                found = stack.enter_context(local.stream_saved(template, ctx, logs_dir, values,
                                                               local.Window(since, until),
                                                               notify=terminal.warn, progress=progress))
            except local.TranslateError as err:
                raise err.with_context(f"query '{template.name}'") from None
        yield found.columns, found.rows
