"""``flowlogs insights``: run a saved Logs Insights query on the investigation's log group, print its rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click

from flowkit.cli import terminal
from flowkit.cli.config import Options
from flowkit.cli.options import (
    aws_options,
    format_option,
    limit_option,
    param_option,
    parse_pairs,
    parse_window,
    window_options,
)
from flowkit.cli.targets import aws_session, check_investigation
from flowkit.errors import KitError


@click.command("insights", short_help="Run a saved Logs Insights query on the CloudWatch Logs log group.")
@click.argument("name")
@click.option("--investigation", metavar="NAME", help="Deployed investigation whose CloudWatch stack names "
              "the log group. Default: the investigation setting.")
@click.option("--log-group", metavar="NAME", help="Log group to query instead (its records are taken to have "
              "the log_fields of the settings).")
@aws_options
@param_option
@window_options
@format_option(("table", "json", "csv"), "table")
@limit_option
@click.pass_obj
def command(options: Options, name: str, investigation: str | None, log_group: str | None,
            profile: str | None, region: str | None, params: tuple[str, ...], since: str | None,
            until: str | None, fmt: str, limit: int | None) -> None:
    """Run a saved Logs Insights query (insights/NAME.cwli) and print its rows.

    The query id and the records and bytes scanned with their cost (USD 0.005 per GB) go to stderr.
    The window is on the records' start; it ends now and starts lookback_days earlier by default.
    """
    from flowkit.aws import insights
    from flowkit.aws.log_groups import resolve_log_group
    from flowkit.cli import rows
    from flowkit.queries import coerce_params, find
    from flowkit.queries.insights import load_insights

    template = find(name, load_insights())
    values = parse_pairs(params, "--param")
    coerce_params(template, values)
    if investigation:
        check_investigation(investigation)
    settings = options.settings
    start, end = parse_window(since, until)
    end = end or datetime.now(UTC).replace(microsecond=0)
    start = start or end - timedelta(days=settings.lookback_days)
    if start >= end:
        raise KitError(f"--since ({start:%Y-%m-%dT%H:%M:%SZ}) must be before {end:%Y-%m-%dT%H:%M:%SZ}")
    session = aws_session(profile, region)
    if not log_group:
        investigation = investigation or settings.investigation
    group = resolve_log_group(session, investigation=investigation, log_group=log_group,
                              fields=settings.fields)
    with terminal.progress() as progress:
        found = insights.run_saved(session, group, template, values, start, end, notify=terminal.info,
                                   progress=progress)
    written = rows.write(found.columns, found.rows, fmt, title=template.name if fmt == "table" else None,
                         limit=rows.default_limit(fmt, limit))
    if written.left_out:
        terminal.warn(f"note: printed the first {written.shown:,} of {written.total:,} rows; "
                      f"{written.left_out:,} left out (--limit N for more, --limit 0 for all)")
