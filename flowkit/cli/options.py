"""Options several commands share, and turning their text into checked values."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from flowkit.cli.rows import TABLE_LIMIT
from flowkit.errors import FAILED, KitError
from flowkit.layout import to_utc

if TYPE_CHECKING:
    from flowkit.queries import QueryTemplate, RenderContext

F = TypeVar("F", bound=Callable[..., Any])


def parse_pairs(values: Sequence[str], option: str) -> dict[str, str]:
    """``key=value`` strings (``-c``, ``--param``) as a dict; one error line for a malformed one."""
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise KitError(f"{option}: expected key=value, got {item!r}")
        if key in out:
            raise KitError(f"{option}: '{key}' given twice")
        out[key] = value
    return out


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AGO_RE = re.compile(r"^(\d{1,6})\s*([mhdw])$")
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
TIME_HELP = "an ISO date (2024-05-01), a UTC time (2024-05-01T13:00Z) or a time ago (30m, 24h, 7d, 2w)"
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_time(text: str | None, option: str, now: datetime | None = None) -> datetime | None:
    """ISO date (midnight UTC), ISO date-time (UTC unless an offset is given) or a time ago (``24h``:
    that long before ``now``) as an aware UTC datetime."""
    if text is None:
        return None
    value = text.strip()
    ago = _AGO_RE.match(value.lower())
    if ago:
        moment = (now or datetime.now(UTC)) - int(ago[1]) * _UNITS[ago[2]]
        return moment.replace(microsecond=0)
    try:
        if _DATE_RE.match(value):
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        if _TIME_RE.match(value):
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return to_utc(when)
    except ValueError:
        pass
    raise KitError(f"{option}: {text!r} is not a date (2024-05-01), UTC time (2024-05-01T13:00, "
                   "2024-05-01T13:00:00Z) or time ago (30m, 24h, 7d, 2w)")


def parse_window(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    now = datetime.now(UTC)
    start, end = parse_time(since, "--since", now), parse_time(until, "--until", now)
    if start is not None and start >= (end or now):
        limit = f"--until ({end:%Y-%m-%dT%H:%M:%SZ})" if end else f"now ({now:%Y-%m-%dT%H:%M:%SZ})"
        raise KitError(f"--since ({start:%Y-%m-%dT%H:%M:%SZ}) must be before {limit}")
    return start, end


def choose_source(sources: Mapping[str, object], what: str) -> str:
    """The one option of ``sources`` that was given (``--logs DIR`` or ``--athena``)."""
    chosen = [option for option, value in sources.items() if value]
    if not chosen:
        raise KitError(f"choose where to run {what}: {' or '.join(sources)}")
    if len(chosen) > 1:
        raise KitError(f"{' and '.join(o.split()[0] for o in chosen)} cannot be used together; choose one")
    return chosen[0]


# -- decorators ----------------------------------------------------------------------------------------
def window_options(func: F) -> F:
    func = click.option("--until", metavar="T", help="End of the window (exclusive), e.g. 2024-05-02, "
                        "2024-05-01T18:00Z or 1h (an hour ago). Default: now.")(func)
    return click.option("--since", metavar="T", help=f"Start of the window: {TIME_HELP}. "
                        "Default: lookback_days before the end.")(func)


def param_option(func: F) -> F:
    return click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
                        help="A query parameter (repeatable); see `flowlogs queries`.")(func)


def format_option(choices: Sequence[str], default: str) -> Callable[[F], F]:
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default,
                        show_default=True, help="Output format.")


def limit_option(func: F) -> F:
    return click.option("--limit", type=click.IntRange(0, None), default=None, metavar="N",
                        help=f"Print at most N rows (0: all). Default: {TABLE_LIMIT} for the table format, "
                        "every row for json and csv (written as they arrive).")(func)


def dry_run_option(func: F) -> F:
    return click.option("--dry-run", is_flag=True, help="Print the SQL and the most bytes the window can "
                        "scan, with its cost; run nothing.")(func)


def aws_options(func: F) -> F:
    func = click.option("--region", metavar="REGION", help="AWS region of the stacks, Athena and S3. "
                        "Default: AWS_REGION / AWS_DEFAULT_REGION / the profile's.")(func)
    return click.option("--profile", metavar="NAME", help="AWS profile. Default: AWS_PROFILE or the "
                        "default credentials chain.")(func)


def athena_options(func: F) -> F:
    """``--athena`` and where it runs; collected into an AthenaChoice by ``targets.athena_choice``."""
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


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """An OSError while writing under ``path`` becomes one line naming it (the work failed: status 1)."""
    try:
        yield
    except OSError as err:
        raise KitError(f"{path}: cannot write ({err.strerror or err})", FAILED) from None


def find_template(name: str) -> QueryTemplate:
    from flowkit import queries

    return queries.find(name)


def check_available(template: QueryTemplate, ctx: RenderContext) -> None:
    from flowkit import queries

    if not queries.is_available(template, ctx):
        missing = [f for f in template.fields if f not in ctx.field_names]
        raise KitError(f"query '{template.name}' needs field(s) {', '.join(missing)}, which log_fields "
                       "does not record")
