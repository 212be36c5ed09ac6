"""What the demo shows on the console: each query's rows, the totals, the report, what to do next."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flowkit import queries
from flowkit.demo.walkthrough import SSH, DemoConfig, LocalOutcome, QueryRun, prepare, report_on, run_all
from flowkit.settings import Settings

SHOWN_ROWS = 10
_SENTENCE_END = re.compile(r"(?<![A-Za-z]\.[A-Za-z])(?<!\be\.g)(?<!\bi\.e)\.(?=\s+[A-Z(\"]|$)")


def local_section(console: Console, settings: Settings, config: DemoConfig) -> LocalOutcome:
    """Write the sample, run every available saved query on it, print the results, write the report."""
    console.rule("[bold]The saved queries on sample data (local DuckDB engine, no AWS)")
    outcome, available = prepare(settings, config)
    for line in outcome.sample.lines():
        console.print(escape(line), highlight=False, soft_wrap=True)
    ctx = queries.context_for(settings)
    console.print(f"running {len(available)} saved queries over {outcome.since:%Y-%m-%d %H:%M} to "
                  f"{outcome.until:%Y-%m-%d %H:%M} UTC (log format: {len(ctx.fields)} fields)")
    run_all(outcome, available, ctx, lambda run, position: print_run(console, run, position))
    _print_totals(console, outcome)
    report_on(outcome, ctx, config.out_dir / "report.html")
    if outcome.report_path is not None:
        console.print(f"[bold]HTML report[/bold] of the sample: {outcome.report_path}", soft_wrap=True)
    return outcome


def first_sentence(text: str) -> str:
    """The first sentence of a query description (abbreviations like "e.g." do not end it)."""
    match = _SENTENCE_END.search(text)
    return text[: match.end()] if match else text


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def print_run(console: Console, run: QueryRun, position: str) -> None:
    """Heading (name, row count), the description's first sentence, parameters and the first rows."""
    name = run.template.name
    timing = f"[dim]({position}, {run.seconds:.1f} s)[/dim]"
    console.print()
    if run.result is None:
        console.print(f"[bold red]{name}: FAILED[/bold red] {timing}")
        console.print(f"  [red]{escape(run.error)}[/red]")
        return
    rows = run.result.rows
    noun = "row" if len(rows) == 1 else "rows"
    console.print(f"[bold cyan]{name}[/bold cyan]: {len(rows)} {noun} {timing}")
    console.print(f"  [italic]{escape(first_sentence(run.template.description))}[/italic]")
    if run.params:
        shown = ", ".join(f"{k}={v}" for k, v in run.params.items())
        console.print(f"  [dim]parameters:[/dim] {escape(shown)}")
    for note in run.notes:
        console.print(f"  [yellow]note:[/yellow] {escape(note)}")
    if not rows:
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for index, column in enumerate(run.result.columns):
        numeric = any(isinstance(row[index], int | float) and not isinstance(row[index], bool)
                      for row in rows)
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for row in rows[:SHOWN_ROWS]:
        table.add_row(*(escape(_cell(v)) for v in row))
    console.print(table)
    if len(rows) > SHOWN_ROWS:
        console.print(f"  [dim]... {len(rows) - SHOWN_ROWS} more rows[/dim]")


def _print_totals(console: Console, outcome: LocalOutcome) -> None:
    runs = outcome.runs
    failed = [r.template.name for r in runs if r.error]
    empty = [r.template.name for r in runs if r.result is not None and not r.result.rows]
    seconds = sum(r.seconds for r in runs)
    console.print()
    console.rule("[bold]Saved queries on the sample")
    with_rows = len(runs) - len(failed) - len(empty)
    console.print(f"{len(runs)} queries ran in {seconds:.1f} s: {with_rows} with rows, {len(empty)} empty, "
                  f"{len(failed)} failed")
    if empty:
        console.print("empty: " + ", ".join(empty))
    if failed:
        console.print("[red]failed:[/red] " + ", ".join(failed))
    for name, missing in outcome.unavailable.items():
        console.print(f"not run: {name} (needs {', '.join(missing)}, which the log format lacks)")


def print_next_steps(console: Console, settings: Settings, outcome: LocalOutcome) -> None:
    """Where to go from here: deploy, the Athena console, the CLI on the sample, the report, tear-down."""
    logs = _shown_path(outcome.logs_dir)
    ssh = outcome.incidents.get(SSH)
    source = ssh.source if ssh else "203.0.113.7"
    inv = settings.investigation
    steps = [
        "[bold]Deploy[/bold] (needs AWS credentials; once per account/region: npx cdk bootstrap)",
        "  set vpc_ids / subnet_ids / eni_ids in cdk.json (or pass -c key=value), then:",
        "  npx cdk deploy --all",
        "[bold]Athena console[/bold]",
        f"  workgroup {settings.workgroup_name} -> Saved queries ({inv}-top-talkers, ...), "
        f"table {settings.database_name}.{settings.table_name}",
        "[bold]The flowlogs command[/bold] (in .venv/bin) on the sample or a downloaded copy of the bucket",
        "  flowlogs queries",
        f"  flowlogs query top-talkers --logs {logs}",
        f"  flowlogs query traffic-from-source --logs {logs} -p srcaddr={source}",
        "[bold]Report[/bold]",
        f"  flowlogs report --logs {logs} --out report.html",
        "[bold]Tear down[/bold]",
        "  npx cdk destroy --all",
    ]
    console.rule("[bold]What next")
    for line in steps:
        console.print(line, highlight=False, soft_wrap=True)


def _shown_path(path: Path) -> str:
    """The path relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


