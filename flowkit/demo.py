"""``python -m flowkit.demo``: what the kit deploys, and what its saved queries find, without AWS.

1. The CDK CLI synthesizes the app (``npx cdk synth --all -q`` in a subprocess: flowkit never imports
   CDK) and the cloud assembly's JSON is read back into a summary of what would be deployed.
2. Fresh sample flow logs are written under ``demo-output/logs`` in the configured key layout, every
   saved query available with the configured fields runs on them with the local DuckDB engine
   (parameters taken from the sample's incidents), and the HTML report goes to
   ``demo-output/report.html``. Any failed query makes the demo exit 1.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flowkit import engine, queries, report, sample
from flowkit.errors import FAILED, KitError
from flowkit.queries import QueryTemplate, RenderContext
from flowkit.settings import Settings, SettingsError, load_file
from flowkit.translate import TranslateError

REPO_ROOT = Path(__file__).resolve().parent.parent


class DemoError(KitError):
    """The synth failed or the assembly is not what the kit writes; one line per problem."""

    status = FAILED


@dataclass(frozen=True)
class FlowLogInfo:
    resource_type: str
    resource_id: str
    traffic_type: str
    interval: int
    log_format: str
    destination: str
    options: dict[str, Any]


@dataclass(frozen=True)
class TableInfo:
    database: str
    name: str
    file_format: str
    hive: bool
    hourly: bool
    location_template: str
    columns: list[str]
    partition_keys: list[str]


@dataclass
class AssemblySummary:
    """What a cloud assembly would deploy, in the terms of the kit."""

    stacks: list[str] = field(default_factory=list)
    dependencies: dict[str, list[str]] = field(default_factory=dict)
    resources: dict[str, Counter[str]] = field(default_factory=dict)
    flow_logs: list[FlowLogInfo] = field(default_factory=list)
    tables: list[TableInfo] = field(default_factory=list)
    workgroups: list[dict[str, Any]] = field(default_factory=list)
    saved_queries: list[str] = field(default_factory=list)
    buckets: list[dict[str, Any]] = field(default_factory=list)


# -- running the CDK CLI ---------------------------------------------------------------------------
def synth_command(outdir: Path, context: Mapping[str, str] | None = None) -> list[str]:
    """``npx cdk synth --all -q`` with this interpreter running app.py (same venv as the demo)."""
    app = f"{shlex.quote(sys.executable)} app.py"
    cmd = ["npx", "--no", "cdk", "synth", "--all", "-q", "--app", app, "--output", str(outdir)]
    for key, value in (context or {}).items():
        cmd += ["-c", f"{key}={value}"]
    return cmd


def synth(outdir: Path, context: Mapping[str, str] | None = None, repo: Path = REPO_ROOT) -> Path:
    """Synthesize every stack into ``outdir``; raise DemoError with the app's error lines on failure."""
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
           "CDK_DISABLE_VERSION_CHECK": "1"}
    env["PATH"] = os.pathsep.join([str(repo / "node_modules" / ".bin"), env.get("PATH", "")])
    try:
        proc = subprocess.run(synth_command(outdir, context), cwd=repo, env=env, capture_output=True,
                              text=True, check=False)
    except FileNotFoundError:
        raise DemoError(["npx not found: install Node.js and run `make setup`"]) from None
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
        tail = proc.stderr.splitlines()[-15:]
        raise DemoError(lines or [f"cdk synth failed (exit {proc.returncode}):", *tail])
    return outdir


# -- reading the assembly ----------------------------------------------------------------------------
def _display(value: Any, templates: Mapping[str, dict[str, Any]], stack: str) -> str:
    """A readable rendering of a CloudFormation value with intrinsics (``<bucket>``, ``${AWS::Region}``)."""
    if isinstance(value, str | int | float | bool):
        return str(value)
    if isinstance(value, list):
        return ",".join(_display(v, templates, stack) for v in value)
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), = value.items()
        if fn == "Fn::Join":
            return str(arg[0]).join(_display(v, templates, stack) for v in arg[1])
        if fn == "Ref":
            if str(arg).startswith("AWS::"):
                return "${" + str(arg) + "}"
            rtype = templates.get(stack, {}).get("Resources", {}).get(arg, {}).get("Type", "")
            return "<bucket>" if rtype == "AWS::S3::Bucket" else f"<{arg}>"
        if fn == "Fn::GetAtt":
            rtype = templates.get(stack, {}).get("Resources", {}).get(arg[0], {}).get("Type", "")
            if rtype == "AWS::S3::Bucket" and arg[1] == "Arn":
                return "<bucket ARN>"
            return f"<{arg[0]}.{arg[1]}>"
        if fn in ("Fn::GetStackOutput", "Fn::ImportValue"):
            return _display_output(arg, templates)
    return json.dumps(value)


def _display_output(arg: Any, templates: Mapping[str, dict[str, Any]]) -> str:
    for stack, template in templates.items():
        outputs = template.get("Outputs", {})
        if isinstance(arg, dict) and arg.get("StackName") == stack and arg.get("OutputName") in outputs:
            return _display(outputs[arg["OutputName"]]["Value"], templates, stack)
        for output in outputs.values():
            name = output.get("Export", {}).get("Name")
            if name is not None and name == arg:
                return _display(output["Value"], templates, stack)
    return "<imported value>"


def load_assembly(outdir: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The manifest and every stack's template (keyed by stack name)."""
    try:
        manifest = json.loads((outdir / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise DemoError([f"{outdir}: not a cloud assembly ({err})"]) from None
    templates: dict[str, dict[str, Any]] = {}
    for name, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") == "aws:cloudformation:stack":
            stack_name = artifact.get("properties", {}).get("stackName", name)
            template_file = artifact["properties"]["templateFile"]
            templates[stack_name] = json.loads((outdir / template_file).read_text())
    return manifest, templates


def summarize(outdir: Path) -> AssemblySummary:
    """Read a cloud assembly written by the kit into an AssemblySummary."""
    manifest, templates = load_assembly(outdir)
    summary = AssemblySummary()
    artifacts = manifest.get("artifacts", {})
    for stack, template in templates.items():
        summary.stacks.append(stack)
        summary.dependencies[stack] = sorted(
            d for d in artifacts.get(stack, {}).get("dependencies", []) if d in templates
        )
        resources = template.get("Resources", {})
        summary.resources[stack] = Counter(r["Type"] for r in resources.values())
        for resource in resources.values():
            _collect(summary, resource["Type"], resource.get("Properties", {}), templates, stack)
            if resource["Type"] == "AWS::S3::Bucket":
                summary.buckets.append(_bucket(resource))
    return summary


def _collect(summary: AssemblySummary, rtype: str, props: dict[str, Any],
             templates: Mapping[str, dict[str, Any]], stack: str) -> None:
    if rtype == "AWS::EC2::FlowLog":
        summary.flow_logs.append(FlowLogInfo(
            resource_type=props.get("ResourceType", ""),
            resource_id=props.get("ResourceId", ""),
            traffic_type=props.get("TrafficType", ""),
            interval=int(props.get("MaxAggregationInterval", 600)),
            log_format=props.get("LogFormat", "(AWS default)"),
            destination=_display(props.get("LogDestination", ""), templates, stack),
            options=dict(props.get("DestinationOptions", {})),
        ))
    elif rtype == "AWS::Glue::Table":
        summary.tables.append(_table(props, templates, stack))
    elif rtype == "AWS::Athena::WorkGroup":
        config = props.get("WorkGroupConfiguration", {})
        summary.workgroups.append({
            "name": props.get("Name", ""),
            "engine": config.get("EngineVersion", {}).get("SelectedEngineVersion", ""),
            "cutoff_bytes": config.get("BytesScannedCutoffPerQuery"),
            "results": _display(config.get("ResultConfiguration", {}).get("OutputLocation", ""),
                                templates, stack),
        })
    elif rtype == "AWS::Athena::NamedQuery":
        summary.saved_queries.append(str(props.get("Name", "")))


def _bucket(resource: dict[str, Any]) -> dict[str, Any]:
    props = resource.get("Properties", {})
    rules = props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [{}])
    algorithm = rules[0].get("ServerSideEncryptionByDefault", {}).get("SSEAlgorithm", "")
    expiry = {r.get("Prefix", ""): r.get("ExpirationInDays")
              for r in props.get("LifecycleConfiguration", {}).get("Rules", [])}
    return {
        "encryption": {"AES256": "SSE-S3", "aws:kms": "SSE-KMS (kit key)"}.get(algorithm, algorithm or "?"),
        "expiry": expiry,
        "on_delete": resource.get("DeletionPolicy", "Delete"),
    }


def _table(props: dict[str, Any], templates: Mapping[str, dict[str, Any]], stack: str) -> TableInfo:
    table = props.get("TableInput", {})
    params = table.get("Parameters", {})
    descriptor = table.get("StorageDescriptor", {})
    serde = descriptor.get("SerdeInfo", {}).get("SerializationLibrary", "")
    time_format = str(params.get("projection.dt.format", ""))
    return TableInfo(
        database=str(props.get("DatabaseName", "")),
        name=str(table.get("Name", "")),
        file_format="parquet" if "parquet" in serde.lower() else "text",
        hive="'year='" in time_format,
        hourly="HH" in time_format,
        location_template=_display(params.get("storage.location.template", ""), templates, stack),
        columns=[c["Name"] for c in descriptor.get("Columns", [])],
        partition_keys=[c["Name"] for c in table.get("PartitionKeys", [])],
    )


# -- printing --------------------------------------------------------------------------------------
def print_summary(summary: AssemblySummary, console: Console | None = None) -> None:
    """Print what would be deployed (reusable: later demo parts append their own sections)."""
    console = console or Console()
    console.rule("[bold]What `cdk deploy --all` would create")
    stacks = Table(title="Stacks (deployed in this order; `cdk destroy --all` reverses it)", show_lines=True)
    for column in ("stack", "depends on", "resources"):
        stacks.add_column(column)
    for stack in deploy_order(summary):
        counts = "\n".join(f"{n:3d} x {t}" for t, n in sorted(summary.resources[stack].items())
                           if t != "AWS::CDK::Metadata")
        stacks.add_row(stack, "\n".join(summary.dependencies.get(stack, [])) or "-", counts)
    console.print(stacks)

    for bucket in summary.buckets:
        expiry = ", ".join(f"{prefix or '(all)'} after {days} d" for prefix, days in bucket["expiry"].items())
        console.print(f"[bold]Bucket[/bold] {bucket['encryption']}, expires {expiry}; "
                      f"on stack delete: {bucket['on_delete']}")
    flows = Table(title="Flow logs")
    for column in ("target", "traffic", "interval", "file format", "hive", "hourly", "destination"):
        flows.add_column(column, overflow="fold")
    for fl in summary.flow_logs:
        options = [str(fl.options.get(k, "")) for k in ("FileFormat", "HiveCompatiblePartitions",
                                                         "PerHourPartition")]
        flows.add_row(f"{fl.resource_type} {fl.resource_id}", fl.traffic_type, f"{fl.interval} s",
                      *options, fl.destination)
    console.print(flows)
    for fl in summary.flow_logs[:1]:
        fields = fl.log_format.split()
        console.print(f"[bold]Log format[/bold] ({len(fields)} fields): {fl.log_format}")

    for table in summary.tables:
        console.print(
            f"[bold]Glue table[/bold] {table.database}.{table.name}: {table.file_format}, "
            f"hive={table.hive}, hourly={table.hourly}, {len(table.columns)} columns + partitions "
            f"{', '.join(table.partition_keys)}"
        )
        console.print(f"  location template: {table.location_template}", soft_wrap=True)
    for wg in summary.workgroups:
        cutoff = wg["cutoff_bytes"]
        limit = f"{cutoff / 1024**3:g} GiB per query" if isinstance(cutoff, int) else "no per-query limit"
        console.print(f"[bold]Athena workgroup[/bold] {wg['name']} ({wg['engine']}, {limit}), "
                      f"results in {wg['results']}")
    console.print(f"[bold]Saved queries[/bold] ({len(summary.saved_queries)}): "
                  + ", ".join(sorted(summary.saved_queries)))


def deploy_order(summary: AssemblySummary) -> list[str]:
    """Stacks with every dependency before its dependants (stable otherwise)."""
    done: list[str] = []
    pending = list(summary.stacks)
    while pending:
        ready = [s for s in pending if set(summary.dependencies.get(s, [])) <= set(done)] or pending[:1]
        done.append(ready[0])
        pending.remove(ready[0])
    return done


def synth_section(console: Console, context: Mapping[str, str] | None = None) -> AssemblySummary:
    """Synthesize into a temporary folder and print the summary; returns it for later sections."""
    with tempfile.TemporaryDirectory(prefix="flowkit-demo-") as tmp:
        outdir = synth(Path(tmp) / "cdk.out", context)
        summary = summarize(outdir)
    print_summary(summary, console)
    return summary


# -- the saved queries on sample data ----------------------------------------------------------------
DEMO_OUTPUT = REPO_ROOT / "demo-output"
SHOWN_ROWS = 10
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
_SENTENCE_END = re.compile(r"(?<![A-Za-z]\.[A-Za-z])(?<!\be\.g)(?<!\bi\.e)\.(?=\s+[A-Z(\"]|$)")


@dataclass(frozen=True)
class DemoConfig:
    """Where the sample goes, how big it is and which templates run (tests shrink all of it)."""

    out_dir: Path = DEMO_OUTPUT
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
    result: engine.Result | None = None
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


def first_sentence(text: str) -> str:
    """The first sentence of a query description (abbreviations like "e.g." do not end it)."""
    match = _SENTENCE_END.search(text)
    return text[: match.end()] if match else text


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
        return sample.write_sample(
            logs_dir, days=days, file_format=settings.file_format, hive=settings.hive_partitions,
            hourly=settings.per_hour_partitions, fields=settings.fields, key_prefix=settings.key_prefix,
            flows_per_day=flows_per_day,
        )
    except sample.SampleError as err:
        raise DemoError([f"sample data: {err}"]) from None
    except OSError as err:
        raise DemoError([f"{logs_dir}: cannot write the sample data ({err.strerror or err})"]) from None


def run_saved_query(template: QueryTemplate, ctx: RenderContext, logs_dir: Path, params: dict[str, str],
                    window: engine.Window) -> QueryRun:
    """The query on the local files; a failure is recorded on the run, never raised."""
    run = QueryRun(template, params)
    began = time.perf_counter()
    try:
        run.result = engine.run_query(template, ctx, logs_dir, params, window, warn=run.notes.append)
    except (queries.QueryError, engine.EngineError, TranslateError) as err:
        run.error = str(err).splitlines()[0] if str(err) else type(err).__name__
    run.seconds = time.perf_counter() - began
    return run


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


def local_section(console: Console, settings: Settings, config: DemoConfig) -> LocalOutcome:
    """Write the sample, run every available saved query on it, print the results, write the report."""
    console.rule("[bold]The saved queries on sample data (local DuckDB engine, no AWS)")
    logs_dir = config.out_dir / "logs"
    summary = write_demo_sample(settings, logs_dir, config.days, config.flows_per_day)
    for line in summary.lines():
        console.print(escape(line), highlight=False, soft_wrap=True)
    since, until = sample_window(summary)
    outcome = LocalOutcome(logs_dir, summary, since, until, incidents=parse_incidents(summary.incidents))
    try:
        templates = queries.load_catalogue(config.sql_dir)
    except queries.QueryError as err:
        raise DemoError([str(err)]) from None
    ctx = queries.context_for(settings)
    available = [t for t in templates if queries.is_available(t, ctx)]
    for template in templates:
        if template not in available:
            outcome.unavailable[template.name] = [f for f in template.fields if f not in ctx.field_names]
    console.print(f"running {len(available)} saved queries over {since:%Y-%m-%d %H:%M} to "
                  f"{until:%Y-%m-%d %H:%M} UTC (log format: {len(ctx.fields)} fields)")
    window = engine.Window(since, until)
    for number, template in enumerate(available, start=1):
        run = run_saved_query(template, ctx, logs_dir, demo_params(template, outcome.incidents), window)
        outcome.runs.append(run)
        print_run(console, run, f"{number}/{len(available)}")
    _print_totals(console, outcome)
    try:
        outcome.report_path = write_report(outcome, ctx, config.out_dir / "report.html")
        console.print(f"[bold]HTML report[/bold] of the sample: {outcome.report_path}", soft_wrap=True)
    except (report.ReportError, queries.QueryError, engine.EngineError, TranslateError, OSError) as err:
        outcome.report_error = str(err).splitlines()[0] if str(err) else type(err).__name__
    return outcome


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


# -- entry point -----------------------------------------------------------------------------------
_OPTIONS = {"--out": "out_dir", "--days": "days", "--flows-per-day": "flows_per_day"}
USAGE = ("usage: python -m flowkit.demo [--out DIR] [--days N] [--flows-per-day N] [key=value ...] "
         "(key=value: cdk context overrides)")


def parse_args(args: Sequence[str]) -> tuple[dict[str, str], dict[str, Any]]:
    """``key=value`` context overrides and the demo's own options; DemoError names a bad argument."""
    context: dict[str, str] = {}
    options: dict[str, Any] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        name, sep, value = arg.partition("=")
        if name in _OPTIONS:
            if not sep:
                if not rest:
                    raise DemoError([f"{name} needs a value", USAGE])
                value = rest.pop(0)
            key = _OPTIONS[name]
            if key == "out_dir":
                options[key] = Path(value)
            elif value.isdigit() and int(value) > 0:
                options[key] = int(value)
            else:
                raise DemoError([f"{name} must be a whole number > 0, not {value!r}", USAGE])
        elif sep and name and not name.startswith("-"):
            context[name] = value
        else:
            raise DemoError([f"expected key=value context overrides, got {arg}", USAGE])
    return context, options


def main(argv: Sequence[str] | None = None, config: DemoConfig | None = None) -> int:
    """Entry point of ``make demo``: ``key=value`` arguments are passed on as ``cdk -c`` context.

    Exit status 0; 1 when the synth, the sample, a saved query or the report failed; 2 for bad arguments.
    """
    try:
        context, options = parse_args(list(sys.argv[1:] if argv is None else argv))
    except DemoError as err:
        print(f"error: {err.problems[0]}", file=sys.stderr)
        for line in err.problems[1:]:
            print(line, file=sys.stderr)
        return 2
    config = config or DemoConfig()
    config = replace(config, **options)
    console = Console()
    began = time.perf_counter()
    try:
        if config.synth:
            synth_section(console, context)
        try:
            settings = load_file(REPO_ROOT / "cdk.json", context)
        except SettingsError as err:
            raise DemoError(err.problems) from None
        outcome = local_section(console, settings, config)
    except DemoError as err:
        for problem in err.problems:
            print(problem if problem.startswith("error: ") else f"error: {problem}", file=sys.stderr)
        return 1
    print_next_steps(console, settings, outcome)
    console.print(f"[dim]demo finished in {time.perf_counter() - began:.0f} s[/dim]")
    if outcome.failures:
        sys.stdout.flush()
        for line in outcome.failures:
            print(f"error: {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
