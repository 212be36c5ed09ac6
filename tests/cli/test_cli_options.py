"""The command group's own options and the time forms every command takes: --version, exit codes in
--help, relative times (``--since 24h``)."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.run_cli import flowlogs

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_cdk_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    code, out, err = flowlogs(capsys, "--version")
    assert (code, out, err) == (0, f"flowlogs {version}\n", "")


def test_help_states_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = flowlogs(capsys, "--help")
    assert code == 0
    text = " ".join(out.split())
    assert ("Exit status: 0 done, 1 the work failed (a query, a download, a check), 2 bad input (settings, "
            "options, names, files), 130 interrupted (Ctrl-C).") in text


def window_of(sql: str) -> list[datetime]:
    """The TIMESTAMP literals of a rendered query, in order."""
    return [datetime.fromisoformat(t).replace(tzinfo=UTC) for t in re.findall(r"TIMESTAMP '([^']+)'", sql)]


@pytest.mark.parametrize(("since", "until", "back"), [
    ("24h", None, (timedelta(hours=24), timedelta(0))),
    ("7d", "30m", (timedelta(days=7), timedelta(minutes=30))),
    ("2w", "1d", (timedelta(weeks=2), timedelta(days=1))),
])
def test_relative_times_count_back_from_now(capsys: pytest.CaptureFixture[str], since: str, until: str | None,
                                           back: tuple[timedelta, timedelta]) -> None:
    args = ["--since", since] + (["--until", until] if until else [])
    before = datetime.now(UTC)
    code, out, err = flowlogs(capsys, "render", "top-talkers", *args)
    after = datetime.now(UTC)
    assert code == 0, err
    found = window_of(out)
    assert len(found) >= 2
    start, end = found[0], found[1]
    assert before - back[0] - timedelta(seconds=1) <= start <= after - back[0]
    if until:
        assert before - back[1] - timedelta(seconds=1) <= end <= after - back[1]


@pytest.mark.parametrize("text", ["5y", "24", "h", "-3d", "1.5h"])
def test_other_relative_forms_are_bad_input(capsys: pytest.CaptureFixture[str], text: str) -> None:
    code, out, err = flowlogs(capsys, "render", "top-talkers", "--since", text)
    assert code == 2 and out == ""
    assert err == (f"flowlogs: error: --since: {text!r} is not a date (2024-05-01), UTC time "
                   "(2024-05-01T13:00, 2024-05-01T13:00:00Z) or time ago (30m, 24h, 7d, 2w)\n")
