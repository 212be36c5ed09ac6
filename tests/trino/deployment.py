"""One investigation per key layout, as deployed: its synthesized Glue tables (the VPC flow logs' with
every field, and the transit gateway flow logs') registered in Trino, its saved queries exactly as
synthesized, and the hand-designed records of both in AWS's key layout.

The records (tests/expectations/fixture_records.py) are moved forward by whole days so that they lie
a few days before now: the projection's range ends at NOW and reaches back log_retention_days + 1
days, and the saved queries' default window is the last lookback_days days. Whole days keep every
hour and day boundary the records were designed around.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flowkit.queries import RenderContext, context_for, transit_context_for
from tests.expectations import fixture_records as fixture
from tests.expectations import transit_records
from tests.expectations.buckets import Spec, region_folder, write_bucket
from tests.synths import example_context, synthesize
from tests.trino.metastore import Intrinsics, register

DAY = 86400
# The account and region CloudFormation would put into the table's projection (the deploying ones).
ACCOUNT, REGION = fixture.ACCOUNT_A, fixture.EU
# Every field (tag keys for the tag fields) and a transit gateway attachment: both tables, every query.
EVERYTHING = {"log_fields": "all", "tgw_attachment_ids": [transit_records.ATT_A],
              "tag_fields": {"instance": ["Name", "Team"], "network-interface": ["Name", "Role"],
                             "auto-scaling-group": ["Name", "Stage"]}}


def shift_seconds(now: float) -> int:
    """Whole days that put MAIN_SINCE three days before today's midnight (UTC)."""
    today = int(now) - int(now) % DAY
    return (today - 3 * DAY) - fixture.MAIN_SINCE


def shifted(records: list[dict[str, Any]], seconds: int) -> list[dict[str, Any]]:
    return [{**r, **{k: r[k] + seconds for k in ("start", "end") if r[k] is not None}} for r in records]


def _stack_outputs(value: Any, bucket: str) -> set[tuple[str, str, str]]:
    """Every Fn::GetStackOutput in a template value, each answered with the bucket's name."""
    found: set[tuple[str, str, str]] = set()
    if isinstance(value, dict):
        spec = value.get("Fn::GetStackOutput")
        if isinstance(spec, dict):
            found.add((spec["StackName"], spec["OutputName"], bucket))
        for item in value.values():
            found |= _stack_outputs(item, bucket)
    elif isinstance(value, list):
        for item in value:
            found |= _stack_outputs(item, bucket)
    return found


@dataclass
class Table:
    """One of the deployment's tables: what it reads and its records."""

    ctx: RenderContext  # what its saved queries were rendered for (the settings of the synth)
    name: str
    records: list[dict[str, Any]]  # the shifted records of the projected account and region
    all_records: int  # records written into the bucket, any account or region
    local_root: Path  # the files the table reads (its account and region), for the local engine
    folders: list[int]  # per file the table reads: the epoch of its hour or day folder


@dataclass
class Deployment:
    spec: Spec
    ctx: RenderContext  # what the VPC table's saved queries were rendered for
    database: str
    table: str
    lookback_days: int
    saved: dict[str, str]  # query name -> SQL exactly as in the AWS::Athena::NamedQuery
    records: list[dict[str, Any]]  # the shifted records of the projected account and region
    all_records: int  # records written into the bucket, any account or region
    local_root: Path  # the files the table reads (its account and region), for the local engine
    folders: list[int]  # per file the table reads: the epoch of its hour or day folder
    shift: int  # seconds the records were moved forward
    transit: Table  # the transit gateway flow logs' table

    def table_of(self, kind: str) -> Table:
        """The VPC table (as a Table) or the transit gateway one."""
        if kind == self.transit.ctx.kind:
            return self.transit
        return Table(self.ctx, self.table, self.records, self.all_records, self.local_root, self.folders)


def deploy(spec: Spec, warehouse: Path, catalog_dir: Path, writer_version: str, cdk_out: Path) -> Deployment:
    """Synthesize the app for ``spec``, register its table in Trino, write the records into its bucket."""
    investigation = spec.name  # e.g. parquet-hive-daily: a valid investigation name
    context = {**example_context(), "investigation": investigation, "file_format": spec.file_format,
               "hive_partitions": spec.hive, "per_hour_partitions": spec.hourly, "key_prefix": spec.prefix,
               **EVERYTHING}
    synth = synthesize(context, cdk_out, nag=False)
    tables = {str(t["Properties"]["TableInput"]["Name"]): t
              for t in synth.resources("analytics", "AWS::Glue::Table").values()}
    bucket = f"{investigation}-logs"
    registered = {}
    for table_name, table in tables.items():
        intrinsics = Intrinsics(ACCOUNT, REGION, tuple(sorted(_stack_outputs(table, bucket))))
        registered[table_name] = register(table, catalog_dir, intrinsics, writer_version)[:2]
    database, name = registered[synth.settings.table_name]
    named = [q["Properties"] for q in synth.resources("analytics", "AWS::Athena::NamedQuery").values()]
    saved = {str(q["Name"]).removeprefix(f"{investigation}-"): str(q["QueryString"]) for q in named}

    shift = shift_seconds(time.time())
    records, transit = shifted(fixture.RECORDS, shift), shifted(transit_records.RECORDS, shift)
    write_bucket(warehouse / bucket, spec, records, transit)
    local_root = warehouse / bucket / region_folder(spec, ACCOUNT, REGION)
    transit_root = warehouse / bucket / region_folder(spec, ACCOUNT, REGION, transit=True)
    tgw = Table(transit_context_for(synth.settings), registered[synth.settings.transit_table_name][1],
                _mine(transit), len(transit), transit_root, folder_epochs(transit_root))
    return Deployment(spec, context_for(synth.settings), database, name, synth.settings.lookback_days, saved,
                      _mine(records), len(records), local_root, folder_epochs(local_root), shift, tgw)


def _mine(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of the account and region the tables project."""
    return [r for r in records if (r["account-id"], r["region"]) == (ACCOUNT, REGION)]


def folder_epochs(root: Path) -> list[int]:
    """Per file under ``root`` (one account's and region's folder): the epoch of its time folder,
    read back from the key (``2026/12/01/13`` or ``year=2026/month=12/day=01/hour=13``)."""
    epochs = []
    for path in sorted(root.rglob("*.log.*")):
        parts = [int(p.split("=")[-1]) for p in path.relative_to(root).parts[:-1]]
        year, month, day, hour = (*parts, 0)[:4]
        epochs.append(int(datetime(year, month, day, hour, tzinfo=UTC).timestamp()))
    return epochs
