"""Running a saved query locally: find the files, keep those in the time window, bring the store up
to date for them, render, run; the rows all at once (:func:`run_saved`) or as they are read
(:func:`stream_saved`).

The query is the catalogue template rendered for a local layout and the fields the files have, then
translated to DuckDB by :mod:`flowkit.local.translate`; nothing is written twice. The engine's work
runs so that Ctrl-C stops it (:mod:`flowkit.local.interrupt`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowkit import catalogue
from flowkit.layout import PARTITION_SLACK, Layout
from flowkit.local.discover import DataFile, discover
from flowkit.local.interrupt import interruptible
from flowkit.local.result import EngineError, LocalRows, Result
from flowkit.messages import Notify, Progress, no_progress, silent

if TYPE_CHECKING:
    from flowkit.local.table import LocalTable
    from flowkit.queries import QueryTemplate, RenderContext

# The default window ends at DuckDB's current_timestamp, a moment after we compute "now".
_NOW_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Window:
    """The time window the query is rendered for (None: the template's default window)."""

    since: datetime | None = None
    until: datetime | None = None


def run_saved(
    template: QueryTemplate,
    ctx: RenderContext,
    logs_dir: Path | str,
    params: Mapping[str, str] | None = None,
    window: Window = Window(),
    *,
    notify: Notify = silent,
    progress: Progress = no_progress,
) -> Result:
    """Render ``template`` for the files under ``logs_dir``, translate it and run it in DuckDB.

    Every problem with the files goes to ``notify`` (one line each, ``file:line``); ``progress`` hears
    ("reading flow log files", done, total) and then ("running the query", 0, None).
    """
    with stream_saved(template, ctx, logs_dir, params, window, notify=notify, progress=progress) as found:
        return found.collect()


@contextmanager
def stream_saved(
    template: QueryTemplate,
    ctx: RenderContext,
    logs_dir: Path | str,
    params: Mapping[str, str] | None = None,
    window: Window = Window(),
    *,
    notify: Notify = silent,
    progress: Progress = no_progress,
) -> Iterator[LocalRows]:
    """:func:`run_saved` whose rows are fetched a batch at a time while the block iterates them."""
    from flowkit import queries
    from flowkit.local.table import LocalTable

    values = queries.coerce_params(template, params or {})
    if template.table == queries.TRANSIT:  # its own table, never the store's VPC records
        from flowkit.local.transit import stream_transit

        with stream_transit(template, ctx, logs_dir, values, window, notify, progress) as found:
            yield found
        return
    files = discover(logs_dir, notify)
    if not files:
        raise EngineError(f"{logs_dir}: no flow log files (*.log.gz, *.log.parquet) in a flow log key layout")
    layout = Layout(file_format="text", hive=False, hourly=all(f.info.layout.hourly for f in files))
    low, high = window_dt_range(layout, ctx, window)
    selected = [f for f in files if low <= layout.time_value(f.info.when) <= high]
    with LocalTable(ctx.database, ctx.table, Path(logs_dir), notify, progress) as table:

        def work() -> int:
            table.load(files, selected, (low, high), layout.hourly)
            if not selected:
                notify(f"no flow log file under {logs_dir} falls in the time window (dt {low} to {high}); "
                       f"{len(files)} file(s) lie outside it")
            return _render_and_execute(table, layout, template, ctx, logs_dir, (files, selected), values,
                                       window, (low, high))

        rows = table.stream(interruptible(table.interrupts, work))
        yield LocalRows(rows.columns, rows, len(selected), table.skipped_lines, table.null_values)


def _render_and_execute(table: LocalTable, layout: Layout, template: QueryTemplate, ctx: RenderContext,
                        logs_dir: Path | str, files: tuple[Sequence[DataFile], Sequence[DataFile]],
                        values: Sequence[Any], window: Window, dt_range: tuple[str, str]) -> int:
    """Render the template for the fields the window's files have (all of them if none) and run it."""
    from flowkit import queries

    found, selected = files
    if not selected:
        local_fields = catalogue.CATALOGUE
    else:
        wanted = [n for n in (*template.fields, *catalogue.REQUIRED_FIELDS) if n not in table.present]
        if wanted:
            outside = len(found) - len(selected)
            low, high = dt_range
            raise EngineError(
                f"query '{template.name}' needs field(s) {', '.join(dict.fromkeys(wanted))}, which none of "
                f"the {len(selected)} flow log file(s) of the time window (dt {low} to {high}) under "
                f"{logs_dir} has" + (f"; {outside} file(s) outside the window were not read" * bool(outside)))
        local_fields = tuple(f for f in catalogue.CATALOGUE if f.name in table.present)
    local_ctx = dataclasses.replace(ctx, layout=layout, fields=local_fields)
    athena_sql = queries.render(template, local_ctx, window.since, window.until)
    return table.execute(athena_sql, values)


def window_dt_range(layout: Layout, ctx: RenderContext, window: Window) -> tuple[str, str]:
    """The ``dt`` range of the rendered window predicate, for pruning files before reading them."""
    now = datetime.now(UTC)
    until = window.until if window.until is not None else now + _NOW_MARGIN
    if window.since is not None:
        since = window.since
    else:
        since = (window.until or now) - timedelta(days=ctx.lookback_days)
    return layout.time_value(since), layout.time_value(until + PARTITION_SLACK)
