"""``flowlogs fetch``: copy the flow log files of a time window from S3, keeping the key layout."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from flowkit.cli import terminal
from flowkit.cli.config import Options
from flowkit.cli.options import aws_options, parse_window, writing
from flowkit.cli.targets import aws_session, check_investigation
from flowkit.errors import FAILED, KitError


@click.command("fetch", short_help="Copy a time window of flow log files from S3.")
@click.option("--investigation", metavar="NAME", help="Deployed investigation: bucket and key layout from "
              "its storage stack outputs.")
@click.option("--bucket", metavar="BUCKET", help="Log bucket name, instead of --investigation.")
@click.option("--prefix", "key_prefix", metavar="PREFIX", help="Key prefix before AWSLogs/ (with --bucket).")
@click.option("--format", "file_format", type=click.Choice(["text", "parquet"]), default=None,
              help="File format (with --bucket). Default: file_format of the settings.")
@click.option("--hive/--no-hive", default=None, help="Hive-style folders (with --bucket). "
              "Default: hive_partitions.")
@click.option("--hourly/--daily", default=None, help="Hourly folders (with --bucket). "
              "Default: per_hour_partitions.")
@click.option("--since", required=True, metavar="T", help="Start of the window, an ISO date or UTC time.")
@click.option("--until", metavar="T", help="End of the window (exclusive). Default: now.")
@click.option("--out", "out_dir", required=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path), help="Folder to copy the files into.")
@click.option("--account", "accounts", multiple=True, metavar="ID",
              help="Only this account (repeatable). Default: every account in the bucket.")
@click.option("--log-region", "log_regions", multiple=True, metavar="REGION",
              help="Only logs of this region (repeatable). Default: every region found.")
@click.option("--workers", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Parallel downloads.")
@aws_options
@click.pass_obj
def command(options: Options, investigation: str | None, bucket: str | None, key_prefix: str | None,
            file_format: str | None, hive: bool | None, hourly: bool | None, since: str, until: str | None,
            out_dir: Path, accounts: tuple[str, ...], log_regions: tuple[str, ...], workers: int,
            profile: str | None, region: str | None) -> None:
    """Copy the flow log files of a time window from S3, keeping the key layout.

    Only the window's folders are listed; files already complete under --out are skipped, so running
    the same command again resumes. Then: flowlogs query NAME --logs DIR.
    """
    from flowkit.aws import fetch
    from flowkit.aws.session import client
    from flowkit.layout import Layout

    if investigation and bucket:
        raise KitError("give either --investigation or --bucket, not both")
    if not investigation and not bucket:
        raise KitError("give --investigation NAME (a deployed investigation) or --bucket BUCKET")
    layout_options = {"--prefix": key_prefix, "--format": file_format, "--hive/--no-hive": hive,
                      "--hourly/--daily": hourly}
    given = [option for option, value in layout_options.items() if value is not None]
    if investigation:
        check_investigation(investigation)
        if given:
            raise KitError(f"{', '.join(given)} can only be used with --bucket (with --investigation the "
                           "layout comes from its stack outputs)")
    start, end = parse_window(since, until)
    assert start is not None
    end = end or datetime.now(UTC).replace(microsecond=0)
    settings = options.settings
    session = aws_session(profile, region)
    given_layout = Layout("text" if (file_format or settings.file_format) == "text" else "parquet",
                          settings.hive_partitions if hive is None else hive,
                          settings.per_hour_partitions if hourly is None else hourly,
                          settings.key_prefix if key_prefix is None else key_prefix)
    storage = fetch.resolve_storage(session, investigation=investigation, bucket=bucket, layout=given_layout)
    layout = storage.layout
    shape = ", ".join((layout.file_format, "hive" if layout.hive else "plain",
                       "hourly" if layout.hourly else "daily"))
    terminal.info(f"fetching s3://{storage.bucket}/{layout.root} ({shape}) from {start:%Y-%m-%dT%H:%M:%SZ} "
                  f"to {end:%Y-%m-%dT%H:%M:%SZ} into {out_dir}")
    with writing(out_dir), terminal.progress() as progress:
        summary = fetch.fetch(client(session, "s3"), storage.bucket, layout, start, end, out_dir,
                              accounts=accounts, regions=log_regions, workers=workers, progress=progress)
    for line in summary.lines():
        terminal.info(line)
    if summary.failed:
        attempted = summary.downloaded + len(summary.failed)
        raise KitError(f"{len(summary.failed)} of {attempted} download(s) failed; run the same command "
                       "again to resume", FAILED)
