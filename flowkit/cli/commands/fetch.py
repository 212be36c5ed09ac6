"""``flowlogs fetch``: copy the flow log files of a time window from S3, keeping the key layout."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from flowkit.cli import terminal
from flowkit.cli.config import Options
from flowkit.cli.fetch_cloudwatch import from_cloudwatch
from flowkit.cli.options import TIME_HELP, aws_options, parse_window, writing
from flowkit.cli.targets import aws_session, check_investigation
from flowkit.errors import FAILED, KitError


@click.command("fetch", short_help="Copy a time window of flow log files from S3 (or CloudWatch Logs).")
@click.option("--from", "source", type=click.Choice(["s3", "cloudwatch"]), default="s3", show_default=True,
              help="Where the flow logs are: the bucket, or the CloudWatch Logs log group (written into the "
              "S3 text layout).")
@click.option("--investigation", metavar="NAME", help="Deployed investigation: bucket and key layout from "
              "its storage stack outputs (with --from cloudwatch: its log group).")
@click.option("--log-group", metavar="NAME", help="CloudWatch Logs log group, instead of --investigation "
              "(with --from cloudwatch; its records are taken to have the log_fields of the settings).")
@click.option("--bucket", metavar="BUCKET", help="Log bucket name, instead of --investigation.")
@click.option("--prefix", "key_prefix", metavar="PREFIX", help="Key prefix before AWSLogs/ (with --bucket).")
@click.option("--format", "file_format", type=click.Choice(["text", "parquet"]), default=None,
              help="File format (with --bucket). Default: file_format of the settings.")
@click.option("--hive/--no-hive", default=None, help="Hive-style folders (with --bucket). "
              "Default: hive_partitions.")
@click.option("--hourly/--daily", default=None, help="Hourly folders (with --bucket). "
              "Default: per_hour_partitions.")
@click.option("--since", required=True, metavar="T", help=f"Start of the window: {TIME_HELP}.")
@click.option("--until", metavar="T", help="End of the window (exclusive), same forms. Default: now.")
@click.option("--out", "out_dir", required=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path), help="Folder to copy the files into.")
@click.option("--account", "accounts", multiple=True, metavar="ID",
              help="Only this account (repeatable). Default: every account in the bucket.")
@click.option("--log-region", "log_regions", multiple=True, metavar="REGION",
              help="Only logs of this region (repeatable). Default: every region found.")
@click.option("--workers", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Parallel downloads.")
@click.option("--timeout", type=click.FloatRange(1, 3600), default=60, show_default=True, metavar="SECONDS",
              help="Give up when S3 sends nothing at all for this long (a stall). A request that fails "
              "is retried with backoff first.")
@click.option("--verify", is_flag=True, help="Check the copy under --out against S3 (sizes, and content "
              "by checksum) instead of downloading.")
@click.option("--dry-run", is_flag=True, help="List the window only: how many files, how many bytes.")
@aws_options
@click.pass_obj
def command(options: Options, source: str, investigation: str | None, log_group: str | None,
            bucket: str | None, key_prefix: str | None,
            file_format: str | None, hive: bool | None, hourly: bool | None, since: str, until: str | None,
            out_dir: Path, accounts: tuple[str, ...], log_regions: tuple[str, ...], workers: int,
            timeout: float, verify: bool, dry_run: bool, profile: str | None, region: str | None) -> None:
    """Copy the flow log files of a time window from S3, keeping the key layout.

    Only the window's folders are listed; files already complete under --out (same size and
    checksum) are skipped, so running the same command again resumes. A window without flow log
    files names what the bucket holds instead; a stall or an unreachable endpoint ends the run.
    Exit status 1 for both, and for failed downloads. Then: flowlogs query NAME --logs DIR.

    With --from cloudwatch every log stream of the log group is read in parallel and written as gzip
    text files in the S3 text layout, one per stream and hour; running it again resumes too.
    """
    from flowkit.aws import fetch
    from flowkit.aws.cost import format_bytes
    from flowkit.aws.fetch.elsewhere import shape
    from flowkit.aws.session import client
    from flowkit.layout import Layout

    if verify and dry_run:
        raise KitError("--verify and --dry-run cannot be used together; choose one")
    if source == "cloudwatch":
        s3_only = {"--bucket": bucket, "--prefix": key_prefix, "--format": file_format,
                   "--hive/--no-hive": hive, "--hourly/--daily": hourly, "--account": accounts,
                   "--log-region": log_regions, "--verify": verify, "--dry-run": dry_run}
        from_cloudwatch(options, investigation, log_group, since, until, out_dir, workers, profile, region,
                        [option for option, value in s3_only.items() if value not in (None, False, ())])
        return
    if log_group:
        raise KitError("--log-group goes with --from cloudwatch")
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
    s3 = client(session, "s3", fetch.s3_config(timeout))
    what = "verifying" if verify else "listing" if dry_run else "fetching"
    terminal.info(f"{what} s3://{storage.bucket}/{layout.root} ({shape(layout)}) from "
                  f"{start:%Y-%m-%dT%H:%M:%SZ} to {end:%Y-%m-%dT%H:%M:%SZ}"
                  + ("" if dry_run else f" into {out_dir}"))
    if dry_run:
        listed = fetch.survey(s3, storage.bucket, layout, start, end, accounts=accounts, regions=log_regions,
                              workers=workers, timeout=timeout)
        terminal.info(f"the window holds {listed.objects} file(s), {listed.bytes} bytes "
                      f"({format_bytes(listed.bytes)}); accounts: {', '.join(listed.accounts)}; "
                      f"regions: {', '.join(listed.regions)}")
        return
    if verify:
        checked = fetch.verify(s3, storage.bucket, layout, start, end, out_dir, accounts=accounts,
                               regions=log_regions, workers=workers, timeout=timeout)
        for line in checked.lines():
            terminal.info(line)
        if checked.bad:
            raise KitError(f"{checked.bad} of {checked.checked} file(s) under {out_dir} do not match S3; "
                           "run the same command without --verify to repair them", FAILED)
        return
    with writing(out_dir), terminal.progress() as progress:
        summary = fetch.fetch(s3, storage.bucket, layout, start, end, out_dir, accounts=accounts,
                              regions=log_regions, workers=workers, progress=progress, timeout=timeout)
    for line in summary.lines():
        terminal.info(line)
    if summary.failed:
        attempted = summary.downloaded + len(summary.failed)
        raise KitError(f"{len(summary.failed)} of {attempted} download(s) failed; run the same command "
                       "again to resume", FAILED)
