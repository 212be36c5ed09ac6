"""``flowlogs demo``: synthesize the app, then run every saved query on fresh sample logs, no AWS needed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from flowkit.cli.config import Options
from flowkit.cli.options import writing


@click.command("demo", short_help="Show what the kit deploys and finds, on sample data, without AWS.")
@click.option("--out", "out_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              default=Path("demo-output"), show_default=True, help="Folder for the sample logs and report.")
@click.option("--days", type=click.IntRange(1, 366), default=2, show_default=True,
              help="Days of sample logs.")
@click.option("--flows-per-day", type=click.IntRange(1, None), default=None,
              help="Background flows per day. Default: the sample writer's.")
@click.option("--queries", "sql_dir", metavar="DIR",
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Run the SQL templates of this folder instead of the kit's (to try your own).")
@click.option("--synth/--no-synth", default=True, show_default=True,
              help="Synthesize the CDK app first (needs Node.js and `make setup`).")
@click.pass_obj
def command(options: Options, out_dir: Path, days: int, flows_per_day: int | None, sql_dir: Path | None,
            synth: bool) -> None:
    """Synthesize the CDK app and summarize what `cdk deploy --all` would create, then write sample flow
    logs in the configured layout, run every saved query on them locally and write the HTML report.

    Settings come from ./cdk.json (or --config) and -c overrides, as for `cdk synth`.
    """
    from rich.console import Console

    from flowkit.demo import DemoConfig, run_demo

    config = DemoConfig(out_dir=out_dir, days=days, synth=synth)
    if flows_per_day is not None:
        config = dataclasses.replace(config, flows_per_day=flows_per_day)
    if sql_dir is not None:
        config = dataclasses.replace(config, sql_dir=sql_dir)
    app_dir = options.config_path.resolve().parent
    with writing(out_dir):
        run_demo(app_dir, options.context, lambda: options.settings, config, Console())
