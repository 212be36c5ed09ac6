"""The doctor scenarios' shared pieces: the two deployed layouts spelled out by hand, and running the
command into its lines by check name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from click.testing import Result

from tests.aws.doctor.moto_investigation import (
    ACCOUNT,
    REGION,
    Investigation,
    aws_key,
    deploy,
    minutes_ago,
    write_cdk_json,
)
from tests.moto_hooks import Hooks, flowlogs
from tests.synths import Synth

COST = "Data scanned: 0 B; billed 10.00 MB ~ USD 0.000050 (USD 5 per TB, 10 MB minimum)"


@dataclass(frozen=True)
class Case:
    """One synthesized configuration and its key layout, spelled out by hand."""

    config: str
    text: bool
    hive: bool
    hourly: bool
    prefix: str
    shape: str
    sample: str  # which sample files the flow log writes
    tops: tuple[str, ...]  # folders above the time folders the doctor may list (with a delimiter)

    @property
    def root(self) -> str:
        return f"{self.prefix}/AWSLogs/" if self.prefix else "AWSLogs/"

    @property
    def region_folder(self) -> str:
        if self.hive:
            return f"{self.root}aws-account-id={ACCOUNT}/aws-service=vpcflowlogs/aws-region={REGION}/"
        return f"{self.root}{ACCOUNT}/vpcflowlogs/{REGION}/"

    def key(self, inv: Investigation, minutes: int, **changes: Any) -> str:
        spec = {"text": self.text, "hive": self.hive, "hourly": self.hourly, "prefix": self.prefix, **changes}
        return aws_key(flow_log_id=inv.flow_log_ids[0], when=minutes_ago(minutes), **spec)


PARQUET = Case("default", False, False, True, "", "parquet, plain, hourly", "parquet-v5", ("", "AWSLogs/"))
TEXT = Case("text_kms", True, True, False, "team/flows", "text, Hive, daily", "text-all",
            ("", "team/", "team/flows/", "team/flows/AWSLogs/"))


@dataclass
class Line:
    mark: str
    detail: str
    fix: str | None = None


def doctor(*args: str) -> tuple[Result, dict[str, Line]]:
    """Run ``flowlogs doctor``; its lines by check name."""
    result = flowlogs("doctor", *args)
    lines: dict[str, Line] = {}
    last = ""
    for text in result.stdout.splitlines():
        if text.startswith("  fix: "):
            lines[last].fix = text.removeprefix("  fix: ")
            continue
        mark, rest = text.split(" ", 1)
        last, detail = rest.split(": ", 1)
        lines[last] = Line(mark, detail)
    return result, lines


def setup(case: Case, synth_config: Callable[[str], Synth], hooks: Hooks, **options: Any) -> Investigation:
    write_cdk_json(case.config)  # run from the checkout the investigation was deployed from
    return deploy(synth_config(case.config), hooks, **options)


def table_input(inv: Investigation) -> dict[str, Any]:
    return dict(inv.synth.one("analytics", "AWS::Glue::Table")["Properties"]["TableInput"])


def only_failed(lines: dict[str, Line], *names: str) -> None:
    assert sorted(n for n, line in lines.items() if line.mark == "✘") == sorted(names), lines


