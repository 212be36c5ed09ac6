"""Rendering a template for one table and time window: Athena SQL with positional ``?``.

Template variables: ``database``, ``table`` (quoted identifiers), ``window`` (time-window predicate),
``ok`` (``log_status = 'OK'``), ``fields`` (present column names), ``has(field)``, ``p`` (``{{ p.name }}``
renders ``?``), ``account_column``, ``region_column``, ``time_column``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import jinja2

from flowkit import catalogue
from flowkit.layout import (
    ACCOUNT_COLUMN,
    PARTITION_SLACK,
    REGION_COLUMN,
    TIME_COLUMN,
    Layout,
    to_utc,
    transit_layout,
)
from flowkit.queries.library import load_all
from flowkit.queries.params import Param, QueryError
from flowkit.queries.tables import TRANSIT, VPC, TableKind
from flowkit.queries.template import ENV, QueryTemplate

if TYPE_CHECKING:
    from flowkit.settings import Settings

OK_PREDICATE = "log_status = 'OK'"


@dataclass(frozen=True)
class RenderContext:
    """What a template needs to know about the table it runs against."""

    database: str
    table: str
    fields: tuple[catalogue.Field, ...]
    layout: Layout
    lookback_days: int = 7
    kind: TableKind = VPC  # which table's templates it renders

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields)


@dataclass(frozen=True)
class RenderedQuery:
    """A template rendered for one table: Athena SQL with positional ``?`` placeholders."""

    name: str
    description: str
    sql: str
    params: tuple[Param, ...]


def context_for(settings: Settings) -> RenderContext:
    """The VPC flow logs' table of an investigation."""
    return RenderContext(settings.database_name, settings.table_name, settings.fields, settings.layout,
                         settings.lookback_days)


def transit_context_for(settings: Settings) -> RenderContext:
    """The transit gateway flow logs' table: every transit gateway field, under their own key prefix."""
    return RenderContext(settings.database_name, settings.transit_table_name, catalogue.TRANSIT.fields,
                         transit_layout(settings.layout), settings.lookback_days, TRANSIT)


def contexts_for(settings: Settings) -> tuple[RenderContext, ...]:
    """Every table the investigation deploys: the VPC one, and the transit gateway one if it captures any."""
    if settings.has_transit_gateways:
        return context_for(settings), transit_context_for(settings)
    return (context_for(settings),)


def context_of(template: QueryTemplate, settings: Settings) -> RenderContext:
    """The table ``template`` reads, as the settings describe it."""
    return transit_context_for(settings) if template.table == TRANSIT else context_for(settings)


def is_available(template: QueryTemplate, ctx: RenderContext) -> bool:
    """True when the template reads this kind of table and the table has every field it needs."""
    present = ctx.field_names
    return template.table == ctx.kind and all(f in present for f in template.fields)


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def timestamp_literal(when: datetime) -> str:
    """A Trino ``TIMESTAMP '...'`` literal of a UTC instant (naive datetimes are taken as UTC)."""
    utc = to_utc(when)
    text = utc.strftime("%Y-%m-%d %H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return f"TIMESTAMP '{text}'"


def window_predicate(ctx: RenderContext, since: datetime | None = None, until: datetime | None = None) -> str:
    """Records whose ``start`` lies in [since, until), with a ``dt`` range that prunes partitions.

    Files are keyed by the records' END time, so the upper ``dt`` bound reaches PARTITION_SLACK past
    ``until``. Without ``until`` the window ends at ``current_timestamp``; without ``since`` it starts
    ``lookback_days`` before its end.
    """
    if since is not None and until is not None and to_utc(since) >= to_utc(until):
        raise QueryError(f"empty time window: since ({to_utc(since):%Y-%m-%dT%H:%M:%SZ}) is not before "
                         f"until ({to_utc(until):%Y-%m-%dT%H:%M:%SZ})")
    end = timestamp_literal(until) if until is not None else "current_timestamp"
    if since is not None:
        begin = timestamp_literal(since)
    else:
        begin = f"{end} - INTERVAL '{int(ctx.lookback_days)}' DAY"
    slack_hours = int(PARTITION_SLACK.total_seconds() // 3600)
    pattern = ctx.layout.time_pattern.replace("'", "''")
    dt = TIME_COLUMN
    return (
        f"({dt} >= date_format({begin}, '{pattern}')"
        f" AND {dt} <= date_format({end} + INTERVAL '{slack_hours}' HOUR, '{pattern}')"
        f" AND start >= to_unixtime({begin})"
        f" AND start < to_unixtime({end}))"
    )


class _Placeholders:
    """``{{ p.name }}`` renders ``?`` and records the order parameters are used in."""

    def __init__(self, template: QueryTemplate) -> None:
        self._known = {p.name for p in template.params}
        self._where = str(template.path)
        self.used: list[str] = []

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._known:
            raise QueryError(f"{self._where}: template uses undeclared parameter '{name}'")
        self.used.append(name)
        return "?"


def render(template: QueryTemplate, ctx: RenderContext, since: datetime | None = None,
           until: datetime | None = None) -> str:
    """Athena SQL for one table and time window, with ``?`` in the template's parameter order."""
    placeholders = _Placeholders(template)
    present = tuple(f.column for f in ctx.fields)
    names = ctx.field_names
    variables: dict[str, Any] = {
        "database": quote_identifier(ctx.database),
        "table": quote_identifier(ctx.table),
        "window": window_predicate(ctx, since, until),
        "ok": OK_PREDICATE,
        "fields": present,
        "has": lambda name: name.replace("_", "-") in names,
        "p": placeholders,
        "account_column": ACCOUNT_COLUMN,
        "region_column": REGION_COLUMN,
        "time_column": TIME_COLUMN,
    }
    try:
        sql = ENV.from_string(template.body).render(variables)
    except jinja2.UndefinedError as err:
        raise QueryError(f"{template.path}: {err.message}") from None
    expected = [p.name for p in template.params]
    if placeholders.used != expected:
        raise QueryError(f"{template.path}: parameters used as {placeholders.used or 'none'}, "
                         f"but the header declares {expected or 'none'} (each once, in header order)")
    return sql.strip().rstrip(";").rstrip() + "\n"


def render_all(
    settings_or_ctx: Settings | RenderContext,
    *,
    templates: Sequence[QueryTemplate] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[RenderedQuery]:
    """Every available template rendered for one table (templates of another table, or needing absent
    fields, are skipped)."""
    ctx = settings_or_ctx if isinstance(settings_or_ctx, RenderContext) else context_for(settings_or_ctx)
    pool = load_all() if templates is None else templates
    return [
        RenderedQuery(t.name, t.description, render(t, ctx, since, until), t.params)
        for t in pool
        if is_available(t, ctx)
    ]

