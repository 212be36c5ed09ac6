"""Reading a cloud assembly written by the kit back into what it would deploy, in the kit's terms."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowkit.demo.errors import DemoError


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

