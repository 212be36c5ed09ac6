"""``flowlogs doctor``: after ``cdk deploy``, check that logs flow into exactly what the table reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from flowkit.cli import terminal
from flowkit.cli.config import Options
from flowkit.cli.options import aws_options, format_option
from flowkit.cli.targets import aws_session, check_investigation
from flowkit.errors import FAILED, KitError

if TYPE_CHECKING:
    from flowkit.aws.doctor import Check

MARKS = {"ok": "✔", "warning": "!", "failed": "✘", "skipped": "-"}


def lines(checks: Sequence[Check]) -> list[str]:
    """``✔ name: detail`` per check; a check that is not ok and has a fix gets ``  fix: ...`` below it."""
    out = []
    for check in checks:
        out.append(f"{MARKS[check.status]} {check.name}: {check.detail}")
        if check.fix:
            out.append(f"  fix: {check.fix}")
    return out


@click.command("doctor", short_help="Check a deployed investigation, from flow logs to saved queries.")
@click.option("--investigation", metavar="NAME", help="Deployed investigation to check. Default: the "
              "investigation setting.")
@aws_options
@format_option(("text", "json"), "text")
@click.pass_obj
def command(options: Options, investigation: str | None, profile: str | None, region: str | None,
            fmt: str) -> None:
    """Check that a deployed investigation's flow logs deliver into exactly what its table reads.

    One line per check: the stacks, the flow logs (delivery errors as AWS reports them), the Glue
    table, the newest flow log file (listing only the time folders of the last day) and its header
    or Parquet schema against the table, the workgroup, a tiny Athena query over the last hour (its
    cost is shown) and the saved queries. Each problem comes with its fix. Exit status 0 when
    nothing failed (warnings allowed), 1 when a check failed, 2 for bad input.
    """
    from flowkit.aws.doctor import diagnose

    name = check_investigation(investigation) if investigation else options.settings.investigation
    settings = options.settings
    session = aws_session(profile, region)
    with terminal.progress() as progress:
        checks = diagnose(session, name, fallback_fields=settings.fields,
                          lookback_days=settings.lookback_days, progress=progress)
    if fmt == "json":
        click.echo(json.dumps([c.as_dict() for c in checks], indent=2, ensure_ascii=False))
    else:
        for line in lines(checks):
            click.echo(line)
    failures = [c for c in checks if c.status == "failed"]
    if failures:
        raise KitError(f"{len(failures)} of {len(checks)} checks failed: "
                       f"{', '.join(c.name for c in failures)}", FAILED)
