"""``flowlogs fetch --from cloudwatch``: the window of a CloudWatch Logs log group into the S3 text layout."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from flowkit.cli import terminal
from flowkit.cli.config import Options
from flowkit.cli.options import parse_window, writing
from flowkit.cli.targets import aws_session, check_investigation
from flowkit.errors import FAILED, KitError


def from_cloudwatch(options: Options, investigation: str | None, log_group: str | None, since: str,
                    until: str | None, out_dir: Path, workers: int, profile: str | None, region: str | None,
                    s3_only: Sequence[str]) -> None:
    """Fetch the window of the investigation's log group (or ``log_group``) into ``out_dir``."""
    from flowkit.aws.fetch.cloudwatch import fetch_log_group
    from flowkit.aws.log_groups import resolve_log_group
    from flowkit.aws.session import client

    if s3_only:
        raise KitError(f"{', '.join(s3_only)} cannot be used with --from cloudwatch")
    if investigation and log_group:
        raise KitError("give either --investigation or --log-group, not both")
    if not investigation and not log_group:
        raise KitError("give --investigation NAME (a deployed investigation) or --log-group NAME")
    if investigation:
        check_investigation(investigation)
    start, end = parse_window(since, until)
    assert start is not None
    end = end or datetime.now(UTC).replace(microsecond=0)
    fields = options.settings.fields if log_group else ()
    session = aws_session(profile, region)
    group = resolve_log_group(session, investigation=investigation, log_group=log_group, fields=fields)
    terminal.info(f"fetching log group {group.name} ({group.account}, {group.region}) from "
                  f"{start:%Y-%m-%dT%H:%M:%SZ} to {end:%Y-%m-%dT%H:%M:%SZ} into {out_dir}")
    with writing(out_dir), terminal.progress() as progress:
        summary = fetch_log_group(client(session, "logs"), group, start, end, out_dir, workers=workers,
                                  progress=progress)
    for line in summary.lines():
        terminal.info(line)
    if summary.failed:
        raise KitError(f"{len(summary.failed)} of {summary.streams} log stream(s) failed; run the same "
                       "command again to resume", FAILED)
