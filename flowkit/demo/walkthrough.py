"""The demo's local part: fresh sample logs, every available saved query on them, the HTML report.

Parameters of the queries that need some are taken from the sample's incidents, so each of them has
rows to show. Nothing here prints; :mod:`flowkit.demo.console` shows the outcome.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flowkit import local, queries, report, sample
from flowkit.demo.errors import DemoError
from flowkit.errors import KitError
from flowkit.queries import QueryTemplate, RenderContext
from flowkit.settings import Settings

SSH, SCAN, DATABASE = "SSH brute force", "port scan", "database port from outside"
# "<kind>: <source> -> <target>[:<port>] (<eni>, ..." as in flowkit.sample's incident lines
_INCIDENT_RE = re.compile(r"^(?P<kind>[^:]+): (?P<source>[0-9A-Fa-f.:]+) -> (?P<target>[0-9A-Fa-f.:]+?)"
                          r"(?::(?P<port>\d+))? \((?P<interface>eni-[0-9a-f]+)")
# Parameter name -> Incident attribute; queries follow the SSH brute force unless listed here.
_FROM_INCIDENT = {"srcaddr": "source", "dstaddr": "target", "address": "target", "interface_id": "interface",
                  "port": "port", "dstport": "port"}
_QUERY_INCIDENT = {"port-usage-between-hosts": SCAN, "accepted-well-known-ports": SCAN,
                   "flows-to-host-port": DATABASE, "traffic-to-destination": DATABASE}
_FIXED_PARAMS = {"protocol": "6", "ports": "22,80,443,3389"}


@dataclass(frozen=True)
class DemoConfig:
    """Where the sample goes, how big it is and which templates run."""

    out_dir: Path = Path("demo-output")
    days: int = 2
    flows_per_day: int = sample.DEFAULT_FLOWS_PER_DAY
    sql_dir: Path = queries.SQL_DIR
    synth: bool = True


@dataclass(frozen=True)
class Incident:
    """One incident of the sample: who did it, to which address, port and network interface."""

    kind: str
    source: str
    target: str
    port: str
    interface: str


@dataclass
class QueryRun:
    """One saved query run on the sample: its rows, or the one-line reason it failed."""

    template: QueryTemplate
    params: dict[str, str]
    result: local.Result | None = None
    error: str = ""
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class LocalOutcome:
    """What the local part of the demo did."""

    logs_dir: Path
    sample: sample.SampleSummary
    since: datetime
    until: datetime
    runs: list[QueryRun] = field(default_factory=list)
    unavailable: dict[str, list[str]] = field(default_factory=dict)  # query -> fields it lacks
    report_path: Path | None = None
    report_error: str = ""
    incidents: dict[str, Incident] = field(default_factory=dict)

    @property
    def failures(self) -> list[str]:
        """One line per failed query (and for the report), empty when everything worked."""
        lines = [f"query '{run.template.name}' failed: {run.error}" for run in self.runs if run.error]
        if self.report_error:
            lines.append(f"HTML report failed: {self.report_error}")
        return lines


def parse_incidents(lines: Sequence[str]) -> dict[str, Incident]:
    """The incidents of SampleSummary.incidents that name one source and one target, by kind."""
    found: dict[str, Incident] = {}
    for line in lines:
        m = _INCIDENT_RE.match(line.strip())
        if m:
            found[m["kind"]] = Incident(m["kind"], m["source"], m["target"], m["port"] or "", m["interface"])
    return found


def demo_params(template: QueryTemplate, incidents: Mapping[str, Incident]) -> dict[str, str]:
    """Values for the parameters without a default, taken from an incident so the result has rows.

    A parameter nothing here can fill is left out: the query then fails naming it.
    """
    incident = incidents.get(_QUERY_INCIDENT.get(template.name, SSH))
    values: dict[str, str] = {}
    for param in template.params:
        if param.default is not None:
            continue
        attribute = _FROM_INCIDENT.get(param.name)
        value = getattr(incident, attribute) if incident is not None and attribute else ""
        value = value or _FIXED_PARAMS.get(param.name, "")
        if value:
            values[param.name] = value
    return values


def sample_window(summary: sample.SampleSummary) -> tuple[datetime, datetime]:
    """Whole hours from the first record's start to the last record's end."""
    since = summary.first.replace(minute=0, second=0, microsecond=0)
    until = summary.last.replace(minute=0, second=0, microsecond=0)
    if until < summary.last:
        until += timedelta(hours=1)
    return since, until


def write_demo_sample(settings: Settings, logs_dir: Path, days: int,
                      flows_per_day: int) -> sample.SampleSummary:
    """Fresh sample logs in the configured layout and log format (a previous demo's logs are replaced)."""
    try:
        if logs_dir.exists():
            shutil.rmtree(logs_dir)
        return sample.write_sample(logs_dir, days=days, layout=settings.layout, fields=settings.fields,
                                   flows_per_day=flows_per_day)
    except sample.SampleError as err:
        raise DemoError([f"sample data: {err}"]) from None
    except OSError as err:
        raise DemoError([f"{logs_dir}: cannot write the sample data ({err.strerror or err})"]) from None


def run_saved_query(template: QueryTemplate, ctx: RenderContext, logs_dir: Path, params: dict[str, str],
                    window: local.Window) -> QueryRun:
    """The query on the local files; a failure is recorded on the run, never raised."""
    run = QueryRun(template, params)
    began = time.perf_counter()
    try:
        run.result = local.run_saved(template, ctx, logs_dir, params, window, notify=run.notes.append)
    except KitError as err:
        run.error = str(err).splitlines()[0] if str(err) else type(err).__name__
    run.seconds = time.perf_counter() - began
    return run


def write_report(outcome: LocalOutcome, ctx: RenderContext, path: Path) -> Path:
    """The HTML report of the sample; results the demo already has are reused, not run twice."""
    done = {(run.template.name, tuple(sorted(run.params.items()))): run.result
            for run in outcome.runs if run.result is not None}
    fallback = report.local_runner(outcome.logs_dir, ctx, since=outcome.since, until=outcome.until)

    def run(name: str, params: dict[str, str]) -> report.ResultLike:
        cached = done.get((name, tuple(sorted(params.items()))))
        return cached if cached is not None else fallback(name, params)

    data = report.build_report(run, since=outcome.since, until=outcome.until,
                               source_label=report.local_source(outcome.logs_dir),
                               generated_at=datetime.now(UTC),
                               title="VPC Flow Logs report (demo sample data)")
    path.write_text(report.render_html(data), encoding="utf-8")
    return path


def prepare(settings: Settings, config: DemoConfig) -> tuple[LocalOutcome, list[QueryTemplate]]:
    """Write the sample; the outcome to fill and the templates the log format allows, in name order."""
    logs_dir = config.out_dir / "logs"
    summary = write_demo_sample(settings, logs_dir, config.days, config.flows_per_day)
    since, until = sample_window(summary)
    outcome = LocalOutcome(logs_dir, summary, since, until, incidents=parse_incidents(summary.incidents))
    try:
        templates = queries.load_catalogue(config.sql_dir)
    except queries.QueryError as err:
        raise DemoError(err.problems) from None
    ctx = queries.context_for(settings)
    available = [t for t in templates if queries.is_available(t, ctx)]
    for template in templates:
        if template not in available:
            outcome.unavailable[template.name] = [f for f in template.fields if f not in ctx.field_names]
    return outcome, available


def run_all(outcome: LocalOutcome, templates: Sequence[QueryTemplate], ctx: RenderContext,
            shown: Callable[[QueryRun, str], None]) -> None:
    """Every template on the sample, each run handed to ``shown`` as it finishes (with "n/total")."""
    window = local.Window(outcome.since, outcome.until)
    for number, template in enumerate(templates, start=1):
        params = demo_params(template, outcome.incidents)
        run = run_saved_query(template, ctx, outcome.logs_dir, params, window)
        outcome.runs.append(run)
        shown(run, f"{number}/{len(templates)}")


def report_on(outcome: LocalOutcome, ctx: RenderContext, path: Path) -> None:
    """Write the report; a failure is recorded on the outcome, never raised."""
    try:
        outcome.report_path = write_report(outcome, ctx, path)
    except (KitError, OSError) as err:
        outcome.report_error = str(err).splitlines()[0] if str(err) else type(err).__name__
