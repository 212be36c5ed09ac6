"""Printing an assembly summary: what ``cdk deploy --all`` would create, in deploy order."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from graphlib import TopologicalSorter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from flowkit.demo.assembly import AssemblySummary, summarize
from flowkit.demo.synth import synth


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
    """Stacks with every dependency before its dependants, otherwise in assembly order."""
    position = {stack: index for index, stack in enumerate(summary.stacks)}
    graph = TopologicalSorter({s: [d for d in summary.dependencies.get(s, []) if d in position]
                               for s in summary.stacks})
    graph.prepare()
    order: list[str] = []
    while graph.is_active():
        ready = sorted(graph.get_ready(), key=position.__getitem__)
        order.extend(ready)
        graph.done(*ready)
    return order


def synth_section(console: Console, app_dir: Path,
                  context: Mapping[str, str] | None = None) -> AssemblySummary:
    """Synthesize into a temporary folder and print the summary; returns it for later sections."""
    with tempfile.TemporaryDirectory(prefix="flowkit-demo-") as tmp:
        outdir = synth(Path(tmp) / "cdk.out", context, app_dir)
        summary = summarize(outdir)
    print_summary(summary, console)
    return summary

