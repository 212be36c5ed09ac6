"""``flowlogs``: list, render and run the saved queries (locally or in Athena); fetch logs; write reports.

Starts fast: nothing heavy (CDK, DuckDB, sqlglot, boto3, jinja2) is imported until a command needs it.
Bad input prints one line ``flowlogs: error: ...`` to stderr and exits with status 2; a query, download
or report that fails exits with status 1.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

from flowkit.layout import to_utc

if TYPE_CHECKING:
    from flowkit.aws.deployed import Deployed
    from flowkit.queries import QueryTemplate, RenderContext
    from flowkit.settings import Settings

PROG = "flowlogs"
DEFAULT_CONFIG = "cdk.json"
# Used when there is no cdk.json: enough to render and run queries locally.
BUILTIN_CONTEXT: dict[str, Any] = {"investigation": "local", "vpc_ids": ["vpc-00000000"]}
USAGE_ERROR = 2
RUNTIME_ERROR = 1

F = TypeVar("F", bound=Callable[..., Any])


class Failure(click.ClickException):
    """A problem to report as ``flowlogs: error: <line>`` (one per line) with an exit status.

    A ClickException, so click's own standalone mode (and its CliRunner) prints and exits the same way.
    """

    def __init__(self, lines: str | Sequence[str], status: int = USAGE_ERROR) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))
        self.status = status

    @property  # click reads it when it exits (standalone mode, CliRunner)
    def exit_code(self) -> int:  # type: ignore[override]
        return self.status

    def show(self, file: Any = None) -> None:
        for line in self.lines:
            click.echo(f"{PROG}: error: {line}", err=True)


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
            return to_utc(when)
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


def info(line: str) -> None:
    """Progress and cost lines (Athena, fetch) on stderr, so stdout holds only the result."""
    click.echo(line, err=True)


def one_line(err: Exception) -> str:
    """An error message on one line (Athena's reasons may span several)."""
    return " ".join(str(err).split())


# -- AWS ---------------------------------------------------------------------------------------------
AWS_ONLY = ("--investigation", "--workgroup", "--database", "--table", "--profile", "--region")


def aws_session(profile: str | None, region: str | None) -> Any:
    """A boto3 session from the usual AWS environment; no region or credentials is bad input."""
    from botocore.exceptions import BotoCoreError

    from flowkit.aws.deployed import AwsError, make_session

    try:
        session = make_session(profile, region)
        if not session.region_name:
            raise Failure("no AWS region: give --region, or set AWS_REGION / AWS_DEFAULT_REGION or a "
                          "profile's region")
        if session.get_credentials() is None:
            raise Failure("no AWS credentials found: use --profile or AWS_PROFILE, AWS_ACCESS_KEY_ID and "
                          "AWS_SECRET_ACCESS_KEY, or `aws sso login`")
    except AwsError as err:
        raise Failure(one_line(err)) from None
    except BotoCoreError as err:
        raise Failure(f"AWS credentials: {one_line(err)}") from None
    return session


def check_investigation(name: str) -> str:
    from flowkit.settings import INVESTIGATION

    if not INVESTIGATION.match(name):
        raise Failure(f"--investigation: {name!r} is not an investigation name (lower-case letters, digits "
                      "and '-', at most 24 characters)")
    return name


@dataclass(frozen=True)
class AthenaChoice:
    """Where ``--athena`` runs: a deployed investigation, or a workgroup and database given by hand."""

    investigation: str | None
    workgroup: str | None
    database: str | None
    table: str | None
    profile: str | None
    region: str | None

    def given(self) -> list[str]:
        values = (self.investigation, self.workgroup, self.database, self.table, self.profile, self.region)
        return [option for option, value in zip(AWS_ONLY, values, strict=True) if value]

    def check(self) -> None:
        """Option combinations, before anything talks to AWS."""
        if self.investigation is not None:
            check_investigation(self.investigation)
            both = [o for o in ("--workgroup", "--database", "--table") if o in self.given()]
            if both:
                raise Failure(f"give either --investigation or {'/'.join(both)}, not both (with "
                              "--investigation the names come from its stack outputs)")
        elif self.workgroup or self.database:
            if not (self.workgroup and self.database):
                raise Failure("--workgroup and --database go together: give both")
        elif self.table:
            raise Failure("--table goes with --workgroup and --database")

    def target(self, options: Options, session: Any) -> Deployed:
        """The deployed names: from CloudFormation, or built from the options and the settings."""
        from flowkit.aws.deployed import AwsError, Deployed, lookup

        settings = options.settings
        if self.workgroup and self.database:
            layout = settings.layout
            return Deployed(settings.investigation, "", layout.key_prefix, layout.file_format, layout.hive,
                            layout.hourly, self.database, self.table or settings.table_name, self.workgroup,
                            "")  # no results location: the workgroup's own applies
        try:
            return lookup(self.investigation or settings.investigation, session, note=warn)
        except AwsError as err:
            raise Failure(one_line(err)) from None


def choose_source(sources: Mapping[str, object], what: str) -> str:
    """The one option of ``sources`` that was given (``--logs DIR`` or ``--athena``)."""
    chosen = [option for option, value in sources.items() if value]
    if not chosen:
        raise Failure(f"choose where to run {what}: {' or '.join(sources)}")
    if len(chosen) > 1:
        raise Failure(f"{' and '.join(o.split()[0] for o in chosen)} cannot be used together; choose one")
    return chosen[0]


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


def aws_options(func: F) -> F:
    func = click.option("--region", metavar="REGION", help="AWS region of the stacks, Athena and S3. "
                        "Default: AWS_REGION / AWS_DEFAULT_REGION / the profile's.")(func)
    return click.option("--profile", metavar="NAME", help="AWS profile. Default: AWS_PROFILE or the "
                        "default credentials chain.")(func)


def athena_options(func: F) -> F:
    """``--athena`` and where it runs; collected into an AthenaChoice by ``athena_choice``."""
    func = aws_options(func)
    func = click.option("--table", metavar="NAME", help="Table, with --workgroup/--database. "
                        "Default: the table setting (flow_logs).")(func)
    func = click.option("--database", metavar="NAME", help="Glue database, with --workgroup (no "
                        "CloudFormation lookup).")(func)
    func = click.option("--workgroup", metavar="NAME", help="Athena workgroup, with --database (no "
                        "CloudFormation lookup).")(func)
    func = click.option("--investigation", metavar="NAME", help="Deployed investigation whose stack "
                        "outputs name the workgroup, database and table. Default: the investigation "
                        "setting.")(func)
    return click.option("--athena", is_flag=True, help="Run in the deployed Athena workgroup.")(func)


def athena_choice(athena: bool, investigation: str | None, workgroup: str | None, database: str | None,
                  table: str | None, profile: str | None, region: str | None) -> AthenaChoice | None:
    """The checked Athena options, or None without --athena (then none of them may be given)."""
    choice = AthenaChoice(investigation, workgroup, database, table, profile, region)
    if not athena:
        if choice.given():
            raise Failure(f"{', '.join(choice.given())} can only be used with --athena")
        return None
    choice.check()
    return choice


# -- commands ----------------------------------------------------------------------------------------
@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", metavar="PATH", default=None,
              help="cdk.json to read settings from. Default: ./cdk.json, or built-in defaults without it.")
@click.option("--context", "-c", "context", multiple=True, metavar="KEY=VALUE",
              help="Override a setting, like `cdk -c` (repeatable).")
@click.pass_context
def cli(ctx: click.Context, config: str | None, context: tuple[str, ...]) -> None:
    """VPC flow log investigation kit: saved queries locally and in Athena, log fetching, reports."""
    ctx.obj = Options(config, parse_pairs(context, "--context"))


@cli.command("queries", short_help="List the saved queries and their parameters.")
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


@cli.command("render", short_help="Print a saved query's Athena SQL.")
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


@cli.command("query", short_help="Run a saved query locally or in Athena.")
@click.argument("name")
@click.option("--logs", "logs_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Run locally on this copy of the bucket (its root, AWSLogs/, or a folder below).")
@athena_options
@param_option
@window_options
@format_option(("table", "json", "csv"), "table")
@click.pass_obj
def query_command(options: Options, name: str, logs_dir: Path | None, athena: bool, investigation: str | None,
                  workgroup: str | None, database: str | None, table: str | None, profile: str | None,
                  region: str | None, params: tuple[str, ...], since: str | None, until: str | None,
                  fmt: str) -> None:
    """Run a saved query, locally (--logs DIR) or in Athena (--athena), and print its rows.

    With --athena the query's cost (USD 5 per TB scanned) and execution id go to stderr.
    """
    from flowkit import output

    template = find_template(name)
    values = parse_pairs(params, "--param")
    start, end = parse_window(since, until)
    sources = {"--logs DIR": logs_dir, "--athena": athena}
    choice = athena_choice(athena, investigation, workgroup, database, table, profile, region)
    source = choose_source(sources, "the query")
    if source == "--athena":
        assert choice is not None
        columns, rows = run_athena(options, template, choice, values, start, end)
    else:
        assert logs_dir is not None
        columns, rows = run_local(options, template, logs_dir, values, start, end)
    output.write(columns, rows, fmt, title=template.name if fmt == "table" else None)


def run_athena(options: Options, template: QueryTemplate, choice: AthenaChoice, values: Mapping[str, str],
               since: datetime | None, until: datetime | None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The query in the deployed workgroup (see flowkit.athena); parameters are checked first."""
    from flowkit import queries
    from flowkit.aws import athena
    from flowkit.aws.deployed import AwsError

    ctx = queries.context_for(options.settings)
    try:
        queries.coerce_params(template, values)
        queries.render(template, ctx, since, until)
    except queries.QueryError as err:
        raise Failure(str(err)) from None
    session = aws_session(choice.profile, choice.region)
    target = choice.target(options, session)
    if target.fields is None:  # names given by hand, or an older deployment: assume the settings' fields
        check_available(template, ctx)
    # otherwise athena.run_saved checks the query against the deployed table's columns
    try:
        result = athena.run_saved(session, target, template, values, ctx, since=since, until=until,
                                  progress=True, report=info)
    except queries.QueryError as err:
        raise Failure(str(err)) from None
    except athena.AthenaError as err:
        raise Failure(one_line(err), RUNTIME_ERROR) from None
    except AwsError as err:
        raise Failure(one_line(err)) from None
    return result.columns, result.rows


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


@cli.command("sample", short_help="Write realistic sample flow logs.")
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


@cli.command("fetch", short_help="Copy a time window of flow log files from S3.")
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
def fetch_command(options: Options, investigation: str | None, bucket: str | None, key_prefix: str | None,
                  file_format: str | None, hive: bool | None, hourly: bool | None, since: str,
                  until: str | None, out_dir: Path, accounts: tuple[str, ...], log_regions: tuple[str, ...],
                  workers: int, profile: str | None, region: str | None) -> None:
    """Copy the flow log files of a time window from S3, keeping the key layout.

    Only the window's folders are listed; files already complete under --out are skipped, so running
    the same command again resumes. Then: flowlogs query NAME --logs DIR.
    """
    from flowkit.aws import fetch
    from flowkit.aws.deployed import AwsError, client

    if investigation and bucket:
        raise Failure("give either --investigation or --bucket, not both")
    if not investigation and not bucket:
        raise Failure("give --investigation NAME (a deployed investigation) or --bucket BUCKET")
    layout_options = {"--prefix": key_prefix, "--format": file_format, "--hive/--no-hive": hive,
                      "--hourly/--daily": hourly}
    given = [option for option, value in layout_options.items() if value is not None]
    if investigation:
        check_investigation(investigation)
        if given:
            raise Failure(f"{', '.join(given)} can only be used with --bucket (with --investigation the "
                          "layout comes from its stack outputs)")
    start, end = parse_window(since, until)
    assert start is not None
    end = end or datetime.now(UTC).replace(microsecond=0)
    settings = options.settings
    session = aws_session(profile, region)
    try:
        storage = fetch.resolve_storage(
            session, investigation=investigation, bucket=bucket,
            key_prefix=settings.key_prefix if key_prefix is None else key_prefix,
            file_format="text" if (file_format or settings.file_format) == "text" else "parquet",
            hive=settings.hive_partitions if hive is None else hive,
            hourly=settings.per_hour_partitions if hourly is None else hourly)
        layout = storage.layout
        shape = ", ".join((layout.file_format, "hive" if layout.hive else "plain",
                           "hourly" if layout.hourly else "daily"))
        info(f"fetching s3://{storage.bucket}/{layout.root} ({shape}) from {start:%Y-%m-%dT%H:%M:%SZ} "
             f"to {end:%Y-%m-%dT%H:%M:%SZ} into {out_dir}")
        summary = fetch.fetch(client(session, "s3"), storage.bucket, layout, start, end, out_dir,
                              accounts=accounts, regions=log_regions, workers=workers, progress=True)
    except AwsError as err:
        raise Failure(one_line(err)) from None
    except OSError as err:
        raise Failure(f"{out_dir}: cannot write ({err.strerror or err})", RUNTIME_ERROR) from None
    for line in summary.lines():
        info(line)
    if summary.failed:
        attempted = summary.downloaded + len(summary.failed)
        raise Failure(f"{len(summary.failed)} of {attempted} download(s) failed; run the same command "
                      "again to resume", RUNTIME_ERROR)


@cli.command("report", short_help="Write an HTML report with charts.")
@click.option("--logs", "logs_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Report on this local copy of the bucket.")
@athena_options
@window_options
@click.option("--out", "out_file", required=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write, e.g. report.html.")
@click.option("--png", "png_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Also write each chart as a PNG into DIR (needs Chromium).")
@click.pass_obj
def report_command(options: Options, logs_dir: Path | None, athena: bool, investigation: str | None,
                   workgroup: str | None, database: str | None, table: str | None, profile: str | None,
                   region: str | None, since: str | None, until: str | None, out_file: Path,
                   png_dir: Path | None) -> None:
    """Write one self-contained HTML report (charts and tables) for a time window.

    Prints the paths of the files written.
    """
    from flowkit import engine, queries
    from flowkit import report as reports
    from flowkit.aws import athena as athena_mod
    from flowkit.aws.deployed import AwsError
    from flowkit.translate import TranslateError

    start, end = parse_window(since, until)
    choice = athena_choice(athena, investigation, workgroup, database, table, profile, region)
    source = choose_source({"--logs DIR": logs_dir, "--athena": athena}, "the report")
    settings = options.settings
    end = end or datetime.now(UTC).replace(microsecond=0)
    start = start or end - timedelta(days=settings.lookback_days)
    ctx = queries.context_for(settings)
    if source == "--athena":
        assert choice is not None
        session = aws_session(choice.profile, choice.region)
        target = choice.target(options, session)
    try:
        if source == "--athena":
            run = reports.athena_runner(session, target, ctx, since=start, until=end, report=info)
            label = reports.athena_source(target, session.region_name)
        else:
            assert logs_dir is not None
            run = reports.local_runner(logs_dir, ctx, since=start, until=end, warn=warn)
            label = reports.local_source(logs_dir)
        data = reports.build_report(run, since=start, until=end, source_label=label,
                                    generated_at=datetime.now(UTC))
        page = reports.render_html(data)
    except queries.QueryError as err:
        raise Failure(str(err)) from None
    except engine.EngineError as err:
        raise Failure(str(err), err.status) from None
    except (athena_mod.AthenaError, TranslateError, reports.ReportError) as err:
        raise Failure(one_line(err), RUNTIME_ERROR) from None
    except AwsError as err:
        raise Failure(one_line(err)) from None
    try:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(page, encoding="utf-8")
    except OSError as err:
        raise Failure(f"{out_file}: cannot write ({err.strerror or err})", RUNTIME_ERROR) from None
    click.echo(str(out_file))
    if png_dir is not None:
        try:
            written = reports.write_pngs(out_file, png_dir)
        except reports.ReportError as err:
            raise Failure(one_line(err), RUNTIME_ERROR) from None
        except OSError as err:
            raise Failure(f"{png_dir}: cannot write ({err.strerror or err})", RUNTIME_ERROR) from None
        for path in written:
            click.echo(str(path))


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
