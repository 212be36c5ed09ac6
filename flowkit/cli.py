"""``flowlogs``: list, render and run the saved queries; write sample logs.

Starts fast: nothing heavy (CDK, DuckDB, sqlglot, boto3) is imported until a command needs it.
Bad input prints one line ``flowlogs: error: ...`` to stderr and exits with status 2.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

if TYPE_CHECKING:
    from flowkit.queries import QueryTemplate, RenderContext
    from flowkit.settings import Settings

PROG = "flowlogs"
DEFAULT_CONFIG = "cdk.json"
# Used when there is no cdk.json: enough to render and run queries locally.
BUILTIN_CONTEXT: dict[str, Any] = {"investigation": "local", "vpc_ids": ["vpc-00000000"]}
USAGE_ERROR = 2
RUNTIME_ERROR = 1

F = TypeVar("F", bound=Callable[..., Any])


class Failure(Exception):
    """A problem to report as ``flowlogs: error: <line>`` (one per line) with an exit status."""

    def __init__(self, lines: str | Sequence[str], status: int = USAGE_ERROR) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))
        self.status = status


@dataclass
class Options:
    """Global options, shared by every command through the click context."""

    config: str | None
    context: dict[str, str]
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config, self.context)
        return self._settings


def load_settings(config: str | None, overrides: Mapping[str, str]) -> Settings:
    """cdk.json (``--config`` or ./cdk.json) plus ``-c`` overrides; built-in defaults without a file."""
    from flowkit.settings import SettingsError, load, load_file

    try:
        if config is None and not Path(DEFAULT_CONFIG).exists():
            return load({**BUILTIN_CONTEXT, **overrides})
        return load_file(config or DEFAULT_CONFIG, overrides)
    except SettingsError as err:
        raise Failure(err.problems) from None


def parse_pairs(values: Sequence[str], option: str) -> dict[str, str]:
    """``key=value`` strings (``-c``, ``--param``) as a dict; one error line for a malformed one."""
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise Failure(f"{option}: expected key=value, got {item!r}")
        if key in out:
            raise Failure(f"{option}: '{key}' given twice")
        out[key] = value
    return out


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_time(text: str | None, option: str) -> datetime | None:
    """ISO date (midnight UTC) or ISO date-time (UTC unless an offset is given) as an aware UTC datetime."""
    if text is None:
        return None
    value = text.strip()
    try:
        if _DATE_RE.match(value):
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        if _TIME_RE.match(value):
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except ValueError:
        pass
    raise Failure(f"{option}: {text!r} is not a date (2024-05-01) or UTC time (2024-05-01T13:00, "
                  "2024-05-01T13:00:00Z)")


def parse_window(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    start, end = parse_time(since, "--since"), parse_time(until, "--until")
    now = datetime.now(UTC)
    if start is not None and start >= (end or now):
        limit = f"--until ({end:%Y-%m-%dT%H:%M:%SZ})" if end else f"now ({now:%Y-%m-%dT%H:%M:%SZ})"
        raise Failure(f"--since ({start:%Y-%m-%dT%H:%M:%SZ}) must be before {limit}")
    return start, end


def find_template(name: str) -> QueryTemplate:
    from flowkit import queries

    try:
        return queries.find(name)
    except queries.QueryError as err:
        raise Failure(str(err)) from None


def check_available(template: QueryTemplate, ctx: RenderContext) -> None:
    from flowkit import queries

    if not queries.is_available(template, ctx):
        missing = [f for f in template.fields if f not in ctx.field_names]
        raise Failure(f"query '{template.name}' needs field(s) {', '.join(missing)}, which log_fields "
                      "does not record")


def warn(message: str) -> None:
    """Engine messages on stderr: ``flowlogs: note: ...`` or ``flowlogs: warning: ...``."""
    if message.startswith("note: "):
        click.echo(f"{PROG}: {message}", err=True)
    else:
        click.echo(f"{PROG}: warning: {message}", err=True)


# -- shared options ----------------------------------------------------------------------------------
def window_options(func: F) -> F:
    func = click.option("--until", metavar="T", help="End of the window (exclusive), e.g. 2024-05-02 "
                        "or 2024-05-01T18:00Z. Default: now.")(func)
    return click.option("--since", metavar="T", help="Start of the window, an ISO date or UTC time. "
                        "Default: lookback_days before the end.")(func)


def param_option(func: F) -> F:
    return click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
                        help="A query parameter (repeatable); see `flowlogs queries`.")(func)


def format_option(choices: Sequence[str], default: str) -> Callable[[F], F]:
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default,
                        show_default=True, help="Output format.")


# -- commands ----------------------------------------------------------------------------------------
@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", metavar="PATH", default=None,
              help="cdk.json to read settings from. Default: ./cdk.json, or built-in defaults without it.")
@click.option("--context", "-c", "context", multiple=True, metavar="KEY=VALUE",
              help="Override a setting, like `cdk -c` (repeatable).")
@click.pass_context
def cli(ctx: click.Context, config: str | None, context: tuple[str, ...]) -> None:
    """VPC flow log investigation kit: the saved queries, locally and in Athena."""
    ctx.obj = Options(config, parse_pairs(context, "--context"))


@cli.command("queries")
@format_option(("table", "json"), "table")
@click.pass_obj
def queries_command(options: Options, fmt: str) -> None:
    """List the saved queries, their fields and parameters, and which ones the log format allows."""
    from flowkit import output, queries

    ctx = queries.context_for(options.settings)
    try:
        templates = queries.load_catalogue()
    except queries.QueryError as err:
        raise Failure(str(err), RUNTIME_ERROR) from None
    records: list[dict[str, Any]] = [
        {
            "name": t.name,
            "description": t.description,
            "fields": list(t.fields),
            "params": [{"name": p.name, "kind": p.kind, "default": p.default, "description": p.description}
                       for p in t.params],
            "available": queries.is_available(t, ctx),
        }
        for t in templates
    ]
    if fmt == "json":
        import json

        click.echo(json.dumps(records, indent=2))
        return
    rows = [
        (r["name"], r["description"], " ".join(r["fields"]),
         "\n".join(f"{p['name']} ({p['kind']}{', default ' + p['default'] if p['default'] else ''}): "
                   f"{p['description']}" for p in r["params"]),
         "yes" if r["available"] else "no")
        for r in records
    ]
    output.write(["name", "description", "fields", "parameters", "available"], rows, "table")


@cli.command("render")
@click.argument("name")
@param_option
@window_options
@click.pass_obj
def render_command(options: Options, name: str, params: tuple[str, ...], since: str | None,
                   until: str | None) -> None:
    """Print a saved query's Athena SQL as deployed (`?` placeholders stay)."""
    from flowkit import queries

    template = find_template(name)
    values = parse_pairs(params, "--param")
    start, end = parse_window(since, until)
    ctx = queries.context_for(options.settings)
    check_available(template, ctx)
    try:
        sql = queries.render(template, ctx, start, end)
        if values:
            bound = queries.athena_execution_parameters(template, queries.coerce_params(template, values))
            click.echo("-- parameters, in ? order: " + ", ".join(bound), err=True)
    except queries.QueryError as err:
        raise Failure(str(err)) from None
    click.echo(sql, nl=False)


@cli.command("query")
@click.argument("name")
@click.option("--logs", "logs_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Run locally on this copy of the bucket (its root, AWSLogs/, or a folder below).")
@param_option
@window_options
@format_option(("table", "json", "csv"), "table")
@click.pass_obj
def query_command(options: Options, name: str, logs_dir: Path | None, params: tuple[str, ...],
                  since: str | None, until: str | None, fmt: str) -> None:
    """Run a saved query and print its rows."""
    from flowkit import output

    template = find_template(name)
    values = parse_pairs(params, "--param")
    start, end = parse_window(since, until)
    sources = {"--logs": logs_dir}  # further sources (e.g. --athena) add an entry here and a runner below
    chosen = [option for option, value in sources.items() if value]
    if len(chosen) != 1:
        raise Failure(f"choose where to run the query: {' or '.join(sources)} DIR"
                      if not chosen else f"choose one of {', '.join(chosen)}")
    assert logs_dir is not None
    columns, rows = run_local(options, template, logs_dir, values, start, end)
    output.write(columns, rows, fmt, title=template.name if fmt == "table" else None)


def run_local(options: Options, template: QueryTemplate, logs_dir: Path, values: Mapping[str, str],
              since: datetime | None, until: datetime | None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The query on local files with DuckDB (see flowkit.engine)."""
    from flowkit import engine, queries
    from flowkit.translate import TranslateError

    ctx = queries.context_for(options.settings)
    try:
        result = engine.run_query(template, ctx, logs_dir, values, engine.Window(since, until), warn=warn,
                                  progress=sys.stderr.isatty())
    except queries.QueryError as err:
        raise Failure(str(err)) from None
    except engine.EngineError as err:
        raise Failure(str(err), err.status) from None
    except TranslateError as err:
        raise Failure(f"query '{template.name}': {err}", RUNTIME_ERROR) from None
    return result.columns, result.rows


@cli.command("sample")
@click.option("--out", "out_dir", required=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write AWSLogs/... into.")
@click.option("--days", type=click.IntRange(1, 366), default=2, show_default=True, help="Days of logs.")
@click.option("--format", "file_format", type=click.Choice(["text", "parquet"]), default=None,
              help="File format. Default: file_format of the settings.")
@click.option("--hive/--no-hive", default=None, help="Hive-style folders. Default: hive_partitions.")
@click.option("--hourly/--daily", default=None, help="Hourly folders. Default: per_hour_partitions.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed (same seed, same logs).")
@click.pass_obj
def sample_command(options: Options, out_dir: Path, days: int, file_format: str | None, hive: bool | None,
                   hourly: bool | None, seed: int) -> None:
    """Write realistic sample flow logs (with incidents to find) in the S3 key layout."""
    from flowkit import sample

    settings = options.settings
    text = (file_format or settings.file_format) == "text"
    chosen: Literal["text", "parquet"] = "text" if text else "parquet"
    try:
        summary = sample.write_sample(
            out_dir=out_dir, days=days, file_format=chosen,
            hive=settings.hive_partitions if hive is None else hive,
            hourly=settings.per_hour_partitions if hourly is None else hourly, seed=seed,
        )
    except sample.SampleError as err:
        raise Failure(str(err)) from None
    except OSError as err:
        raise Failure(f"{out_dir}: cannot write ({err.strerror})", RUNTIME_ERROR) from None
    lines = summary.lines() if hasattr(summary, "lines") else [str(summary)]
    for line in lines:
        click.echo(line)


# -- entry point -------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> None:
    """Console script ``flowlogs``; exits with 0, 1 (the query failed) or 2 (bad input)."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name=PROG, standalone_mode=False)
    except Failure as err:
        for line in err.lines:
            click.echo(f"{PROG}: error: {line}", err=True)
        sys.exit(err.status)
    except click.exceptions.NoArgsIsHelpError as err:
        click.echo(err.ctx.get_help() if err.ctx else str(err))
        sys.exit(0)
    except click.UsageError as err:
        click.echo(f"{PROG}: error: {err.format_message()}", err=True)
        sys.exit(USAGE_ERROR)
    except click.ClickException as err:
        click.echo(f"{PROG}: error: {err.format_message()}", err=True)
        sys.exit(err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except click.Abort:
        click.echo(f"{PROG}: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(RUNTIME_ERROR)
    sys.exit(0)


if __name__ == "__main__":
    main()
