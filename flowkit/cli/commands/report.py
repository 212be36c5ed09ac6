"""``flowlogs report``: one self-contained HTML report with charts, from local files or Athena."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from flowkit.cli import terminal
from flowkit.cli.config import Options
from flowkit.cli.options import (
    athena_options,
    choose_source,
    dry_run_option,
    parse_window,
    window_options,
    writing,
)
from flowkit.cli.targets import athena_choice, aws_session, before_spending
from flowkit.errors import KitError


@click.command("report", short_help="Write an HTML report with charts.")
@click.option("--logs", "logs_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Report on this local copy of the bucket.")
@athena_options
@window_options
@click.option("--out", "out_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write, e.g. report.html (required unless --dry-run).")
@click.option("--png", "png_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Also write each chart as a PNG into DIR (needs Chromium: chromium on PATH, or the "
              "FLOWLOGS_CHROMIUM variable naming it).")
@dry_run_option
@click.pass_obj
def command(options: Options, logs_dir: Path | None, athena: bool, investigation: str | None,
            workgroup: str | None, database: str | None, table: str | None, profile: str | None,
            region: str | None, since: str | None, until: str | None, out_file: Path | None,
            png_dir: Path | None, dry_run: bool) -> None:
    """Write one self-contained HTML report (charts and tables) for a time window.

    Prints the paths of the files written. With --athena --dry-run the SQL of every report query and
    the most they can cost are printed and nothing runs. Each warning is printed once.
    """
    from flowkit import queries
    from flowkit import report as reports

    start, end = parse_window(since, until)
    choice = athena_choice(athena, investigation, workgroup, database, table, profile, region)
    source = choose_source({"--logs DIR": logs_dir, "--athena": athena}, "the report")
    if dry_run and source != "--athena":
        raise KitError("--dry-run goes with --athena (a local report costs nothing)")
    if out_file is None and not dry_run:
        raise KitError("Missing option '--out' (the HTML file to write)")
    settings = options.settings
    end = end or datetime.now(UTC).replace(microsecond=0)
    start = start or end - timedelta(days=settings.lookback_days)
    ctx = queries.context_for(settings)
    if source == "--athena":
        assert choice is not None
        session = aws_session(choice.profile, choice.region)
        target = choice.target(options, session)
        bound = before_spending(options, session, target, start, end, dry_run, len(reports.REPORTS))
        if dry_run:
            for spec in reports.REPORTS:
                sql, parameters = reports.athena_sql(target, ctx, spec, since=start, until=end)
                click.echo(f"-- {spec.query}" + (f" (parameters: {', '.join(parameters)})" if parameters
                                                  else ""))
                click.echo(sql)
            terminal.info(bound)
            return
        run = reports.athena_runner(session, target, ctx, since=start, until=end, notify=terminal.info)
        transit = (reports.athena_runner(session, target, queries.transit_context_for(settings), since=start,
                                         until=end, notify=terminal.info) if target.transit_table else None)
        label = reports.athena_source(target, session.region_name)
    else:
        assert logs_dir is not None
        warn = terminal.once(terminal.warn)  # eleven queries (and the transit gateway ones), one warning each
        run = reports.local_runner(logs_dir, ctx, since=start, until=end, notify=warn)
        transit = reports.local_runner(logs_dir, queries.transit_context_for(settings), since=start,
                                       until=end, notify=warn)
        label = reports.local_source(logs_dir)
    assert out_file is not None
    data = reports.build_report(run, since=start, until=end, source_label=label,
                                generated_at=datetime.now(UTC), transit=transit)
    page = reports.render_html(data)
    with writing(out_file):
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(page, encoding="utf-8")
    click.echo(str(out_file))
    if png_dir is not None:
        with writing(png_dir):
            written = reports.write_pngs(out_file, png_dir)
        for path in written:
            click.echo(str(path))
