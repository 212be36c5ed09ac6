"""build_report: which queries run, with which parameters, and what it keeps of each result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from flowkit.report import ReportError, render_html
from tests.report.fakes import FakeResult, fake_results, make_report


def test_runs_every_report_once_with_default_parameters() -> None:
    _, calls = make_report()
    assert [name for name, _ in calls] == [
        "accept-reject-ratio", "rejected-by-protocol", "rejected-sources", "rejected-connections",
        "bytes-over-time", "packets-over-time", "bytes-by-interface", "packets-by-interface",
        "top-talkers", "port-scan-suspects", "ssh-rdp-traffic"]
    assert all(params == {} for _, params in calls)  # port-scan-suspects keeps its min_ports default


def test_row_and_column_mismatch_is_an_error() -> None:
    data = fake_results()
    data["top-talkers"] = FakeResult(("srcaddr", "bytes", "packets"), [("10.0.0.1", 5)])
    with pytest.raises(ReportError, match="top-talkers"):
        make_report(data)


def test_runner_notes_and_skipped_lines_are_shown(html_tree: Callable) -> None:
    @dataclass(frozen=True)
    class EngineLike:
        columns: tuple[str, ...]
        rows: list[tuple[Any, ...]]
        skipped_lines: int
        notes: list[str]

    data: dict[str, Any] = fake_results()
    data["top-talkers"] = EngineLike(("srcaddr", "bytes", "packets"), [("10.0.0.1", 5, 1)], 1234,
                                     ["no file <b>x</b> in the window"])
    root = html_tree(render_html(make_report(data)[0]))
    section = root.find_all("section", id="top-talkers")[0]
    warnings = [p.text() for p in section.find_all("p") if "warning" in p.classes()]
    assert warnings == ["no file <b>x</b> in the window",
                        "1,234 malformed log line(s) were skipped while reading the files"]
