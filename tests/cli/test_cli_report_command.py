"""``flowlogs report``: one self-contained HTML page (and PNGs) from local sample logs."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flowkit import cli
from flowkit.layout import Layout
from flowkit.sample import write_sample

NOW = datetime(2024, 5, 2, tzinfo=UTC)
WINDOW = ["--since", "2024-05-01T16:00Z", "--until", "2024-05-02"]
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"  # PNG specification, section 5.2


def flowlogs(*args: str) -> Result:
    result = CliRunner().invoke(cli.cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(autouse=True)
def _no_cdk_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("logs")
    write_sample(root, days=1, layout=Layout("text", False, True), now=NOW, flows_per_day=150)
    return root


def stated(html: str, field: str) -> str:
    match = re.search(rf'<dd id="{field}">(.*?)</dd>', html, re.S)
    assert match, field
    return match.group(1)


def test_report_from_logs_is_one_self_contained_page(logs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    result = flowlogs("report", "--logs", str(logs), *WINDOW, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out}\n"
    html = out.read_text(encoding="utf-8")
    assert set(re.findall(r"https?://[^\s\"'<>)]*", html)) == {SVG_NAMESPACE}
    assert "<script" not in html and "<link" not in html and " src=" not in html
    assert stated(html, "window") == "2024-05-01 16:00 UTC to 2024-05-02 00:00 UTC (8 hours)"
    assert str(logs.resolve()) in stated(html, "source")
    # the page shows what the same query prints for the same window
    talkers = flowlogs("query", "top-talkers", "--logs", str(logs), *WINDOW, "--format", "json")
    top = json.loads(talkers.stdout)[0]["srcaddr"]
    assert top in html
    assert html.count("<svg") >= 11  # eight reports of the seed article plus the three hunting lists


def test_report_without_a_window_states_the_last_lookback_days(logs: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = flowlogs("-c", "lookback_days=3", "report", "--logs", str(logs), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    window = stated(out.read_text(encoding="utf-8"), "window")
    match = re.fullmatch(r"(\S+ \S+) UTC to (\S+ \S+) UTC \(3 days\)", window)
    assert match, window
    start, end = (datetime.strptime(m, "%Y-%m-%d %H:%M").replace(tzinfo=UTC) for m in match.groups())
    assert abs(datetime.now(UTC) - end) < timedelta(minutes=5)
    assert end - start == timedelta(days=3)


def test_report_png_writes_each_chart(logs: Path, tmp_path: Path) -> None:
    out, pngs = tmp_path / "report.html", tmp_path / "png"
    result = flowlogs("report", "--logs", str(logs), *WINDOW, "--out", str(out), "--png", str(pngs))
    assert result.exit_code == 0, result.stderr
    printed = result.stdout.splitlines()
    assert printed[0] == str(out)
    charts = re.findall(r'<svg\b[^>]*\bdata-chart="([^"]+)"', out.read_text(encoding="utf-8"))
    assert len(charts) == 11
    assert sorted(printed[1:]) == sorted(str(pngs / f"{name}.png") for name in charts)
    for path in printed[1:]:
        assert Path(path).read_bytes().startswith(PNG_SIGNATURE)


BAD_INPUT = [
    (["--out", "r.html"], "choose where to run the report: --logs DIR or --athena"),
    (["--logs", "{logs}", "--athena", "--out", "r.html"], "--logs and --athena cannot be used together"),
    (["--logs", "{logs}", "--workgroup", "wg", "--out", "r.html"],
     "--workgroup can only be used with --athena"),
    (["--athena", "--workgroup", "wg", "--out", "r.html"], "--workgroup and --database go together"),
    (["--logs", "{logs}"], "Missing option '--out'"),
    (["--logs", "{logs}", "--since", "2024-05-02", "--until", "2024-05-01", "--out", "r.html"],
     "must be before --until"),
    (["--logs", "{missing}", "--out", "r.html"], "no such folder"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=[m[:30] for _, m in BAD_INPUT])
def test_report_bad_input_exits_2(logs: Path, tmp_path: Path, args: list[str], message: str) -> None:
    names = {"logs": str(logs), "missing": str(tmp_path / "missing")}
    result = flowlogs("report", *(a.format(**names) for a in args))
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "cwd" / "r.html").exists()


def test_each_warning_is_printed_once_for_the_whole_report(logs: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    result = flowlogs("report", "--logs", str(logs), "--since", "2020-01-01", "--until", "2020-01-02",
                      "--out", str(out))  # no file of the sample falls in this window
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("flowlogs: ")]
    assert warnings and len(warnings) == len(set(warnings))  # eleven queries, each line once
    assert any("time window" in line for line in warnings), warnings
    assert result.stdout == f"{out}\n" and out.is_file()
