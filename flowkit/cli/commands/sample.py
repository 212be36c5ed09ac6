"""``flowlogs sample``: realistic sample flow logs with incidents to find, in the S3 key layout."""

from __future__ import annotations

from pathlib import Path

import click

from flowkit.cli.config import Options
from flowkit.cli.options import writing


@click.command("sample", short_help="Write realistic sample flow logs.")
@click.option("--out", "out_dir", required=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write AWSLogs/... into.")
@click.option("--days", type=click.IntRange(1, 366), default=2, show_default=True, help="Days of logs.")
@click.option("--format", "file_format", type=click.Choice(["text", "parquet"]), default=None,
              help="File format. Default: file_format of the settings.")
@click.option("--hive/--no-hive", default=None, help="Hive-style folders. Default: hive_partitions.")
@click.option("--hourly/--daily", default=None, help="Hourly folders. Default: per_hour_partitions.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed (same seed, same logs).")
@click.pass_obj
def command(options: Options, out_dir: Path, days: int, file_format: str | None, hive: bool | None,
            hourly: bool | None, seed: int) -> None:
    """Write realistic sample flow logs (with incidents to find) in the S3 key layout."""
    from flowkit import sample
    from flowkit.layout import Layout

    settings = options.settings
    layout = Layout("text" if (file_format or settings.file_format) == "text" else "parquet",
                    settings.hive_partitions if hive is None else hive,
                    settings.per_hour_partitions if hourly is None else hourly)
    with writing(out_dir):
        summary = sample.write_sample(out_dir=out_dir, days=days, layout=layout, seed=seed)
    for line in summary.lines():
        click.echo(line)
