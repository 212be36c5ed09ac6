"""``python -m flowkit.demo``: synthesize the kit with the CDK CLI and show what would be deployed.

No AWS account is touched and CDK is not imported here (flowkit stays CDK-free): the app is run by
``npx cdk synth --all -q`` and the cloud assembly's JSON is read back.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent


class DemoError(Exception):
    """The synth failed or the assembly is not what the kit writes; one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``make demo``: ``key=value`` arguments are passed on as ``cdk -c`` context."""
    args = list(sys.argv[1:] if argv is None else argv)
    bad = [a for a in args if "=" not in a]
    if bad:
        print(f"error: expected key=value context overrides, got {' '.join(bad)}", file=sys.stderr)
        return 2
    context = dict(a.split("=", 1) for a in args)
    try:
        synth_section(Console(), context)
    except DemoError as err:
        for problem in err.problems:
            print(problem if problem.startswith("error: ") else f"error: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
