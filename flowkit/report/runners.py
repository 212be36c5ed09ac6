"""Where the report's rows come from: ``run`` callables for :func:`build_report` and the page's source line.

The local engine and Athena are imported when a runner is made, not with this module, so rendering a
report (or importing the package) needs neither DuckDB nor boto3.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowkit.messages import Notify, silent
from flowkit.report.build import ResultLike, Runner

if TYPE_CHECKING:
    from flowkit.aws.deployed import Deployed
    from flowkit.queries import RenderContext
    from flowkit.report.specs import ReportSpec


def local_runner(logs_dir: Path, ctx: RenderContext, *, since: datetime | None, until: datetime | None,
                 notify: Notify = silent) -> Runner:
    """``run`` for :func:`build_report` over local files with the DuckDB engine."""
    from flowkit import local, queries

    templates = queries.load_all()
    window = local.Window(since, until)

    def run(name: str, params: dict[str, str]) -> ResultLike:
        return local.run_saved(queries.find(name, templates), ctx, logs_dir, params, window, notify=notify)

    return run


def athena_runner(session: Any, deployed: Deployed, ctx: RenderContext, *, since: datetime | None,
                  until: datetime | None, notify: Notify = silent) -> Runner:
    """``run`` for :func:`build_report` in the deployed investigation's Athena workgroup."""
    from flowkit import queries
    from flowkit.aws import athena

    templates = queries.load_all()

    def run(name: str, params: dict[str, str]) -> ResultLike:
        return athena.run_saved(session, deployed, queries.find(name, templates), params, ctx, since=since,
                                until=until, notify=notify)

    return run


def athena_sql(deployed: Deployed, ctx: RenderContext, spec: ReportSpec, *, since: datetime | None,
               until: datetime | None) -> tuple[str, list[str]]:
    """The SQL one report runs in Athena, and its ``?`` values (for ``report --athena --dry-run``)."""
    from flowkit import queries
    from flowkit.aws import athena

    return athena.prepare_saved(deployed, queries.find(spec.query), dict(spec.params), ctx, since, until)


def local_source(logs_dir: Path) -> str:
    """The page's data-source line for local files."""
    return f"local directory {Path(logs_dir).resolve()} (DuckDB engine)"


def athena_source(deployed: Deployed, region: str | None = None) -> str:
    """The page's data-source line for a deployed investigation's Athena workgroup."""
    where = f" in {region}" if region else ""
    return (f"Amazon Athena workgroup {deployed.workgroup}{where}, "
            f"table {deployed.database}.{deployed.table} (investigation {deployed.investigation})")
