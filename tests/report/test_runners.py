"""The runners: the local engine and Athena get the named saved query, the window and the notify callable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flowkit import local, queries
from flowkit.aws import athena
from flowkit.aws.deployed import Deployed
from flowkit.layout import Layout
from flowkit.report import athena_runner, athena_source, local_runner, local_source
from tests.report.fakes import SINCE, UNTIL, FakeResult


def test_local_runner_runs_the_named_template_in_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Any, ...]] = []

    def fake_run_saved(template: Any, ctx: Any, logs_dir: Any, params: Any, window: Any, *,
                       notify: Any = None, progress: Any = None) -> FakeResult:
        seen.append((template.name, ctx, logs_dir, params, window, notify))
        return FakeResult(("n",), [(1,)])

    monkeypatch.setattr(local, "run_saved", fake_run_saved)
    ctx = object()
    notes: list[str] = []
    run = local_runner(Path("/logs"), ctx, since=SINCE, until=UNTIL, notify=notes.append)  # type: ignore[arg-type]
    assert run("port-scan-suspects", {}).rows == [(1,)]
    template = queries.find("port-scan-suspects")
    assert seen == [(template.name, ctx, Path("/logs"), {}, local.Window(SINCE, UNTIL), notes.append)]


def test_athena_runner_runs_the_saved_query_in_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Any, ...]] = []

    def fake_run_saved(session: Any, deployed: Any, template: Any, values: Any, ctx: Any, **kw: Any) -> Any:
        seen.append((session, deployed, template.name, values, ctx, kw["since"], kw["until"], kw["notify"]))
        return FakeResult(("n",), [(2,)])

    monkeypatch.setattr(athena, "run_saved", fake_run_saved)
    session, deployed, ctx = object(), object(), object()
    notes: list[str] = []
    run = athena_runner(session, deployed, ctx, since=SINCE, until=UNTIL,  # type: ignore[arg-type]
                        notify=notes.append)
    assert run("top-talkers", {"x": "1"}).rows == [(2,)]
    assert seen == [(session, deployed, "top-talkers", {"x": "1"}, ctx, SINCE, UNTIL, notes.append)]


def test_source_labels_name_the_data() -> None:
    deployed = Deployed("case-42", "bucket", Layout("parquet", hive=False, hourly=True), "flowlogs_case_42",
                        "flow_logs", "flowlogs-case-42", "s3://bucket/athena-results/")
    assert athena_source(deployed, "eu-west-1") == (
        "Amazon Athena workgroup flowlogs-case-42 in eu-west-1, table flowlogs_case_42.flow_logs "
        "(investigation case-42)")
    assert local_source(Path("/tmp/logs")) == "local directory /tmp/logs (DuckDB engine)"
