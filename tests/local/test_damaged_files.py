"""Damaged copies of a sample bucket, queried as a user would (``flowlogs query``): a problem in one
file never stops the query, is named in one line, and every good record still answers; no line is read
into the wrong columns. The expected totals come from the gzip text itself (tests/local/damage.py)."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from flowkit.layout import Layout
from tests.local.damage import (
    WINDOW,
    copy_of,
    lines_of,
    ok_lines,
    query_totals,
    rewrite,
    text_files,
    totals,
    write_bucket,
)
from tests.run_cli import flowlogs


@pytest.fixture(autouse=True)
def _no_cdk_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bucket(tmp_path_factory.mktemp("sample"))


@pytest.fixture
def logs(sample: Path, tmp_path: Path) -> Path:
    return copy_of(sample, tmp_path)


def busy(root: Path, skip: int = 0) -> Path:
    """A text file with at least three OK records (the ``skip``-th such file)."""
    return [p for p in text_files(root) if len(ok_lines(p)) >= 3][skip]


def warnings(err: list[str]) -> list[str]:
    return [line for line in err if line.startswith("flowlogs: warning: ")]


def test_the_undamaged_sample_answers_the_plain_python_totals(capsys: Any, logs: Path) -> None:
    code, row, err = query_totals(capsys, logs)
    assert code == 0 and err == []
    assert row == totals(text_files(logs)) and row[4] > 100


def test_windows_line_ends_and_a_carriage_return_inside_a_line(capsys: Any, logs: Path) -> None:
    crlf, stray = busy(logs, 0), busy(logs, 1)
    rewrite(crlf, lines_of(crlf), lambda raw: raw.replace(b"\n", b"\r\n"))  # a copy through a Windows tool
    lines = lines_of(stray)
    broken = ok_lines(stray)[1]
    fields = lines[broken - 1].split(" ")
    lines[broken - 1] = " ".join(fields[:5]) + "\r" + " ".join(fields[5:])
    rewrite(stray, lines, lambda raw: raw.replace(b"\n", b"\r\n", 1))  # and its header line ends in CRLF
    code, row, err = query_totals(capsys, logs)
    assert code == 0
    assert warnings(err) == [
        f"flowlogs: warning: {stray}:{broken}: malformed record skipped (a carriage return inside the line)",
        "flowlogs: warning: 1 malformed record(s) skipped in 1 file(s)",
    ]
    assert row == totals(text_files(logs), leave_out=[(stray, broken)])


@pytest.mark.parametrize("where", ["dash", "value"])
def test_a_doubled_space_is_never_read_into_shifted_columns(capsys: Any, logs: Path, where: str) -> None:
    path = busy(logs)
    lines = lines_of(path)
    ingress = [n for n in ok_lines(path) if lines[n - 1].endswith(" ingress -")]
    number = ingress[0] if where == "dash" and ingress else ok_lines(path)[0]
    lines[number - 1] = lines[number - 1].replace(" ", "  ", 1)  # 30 fields, the last one perhaps '-'
    rewrite(path, lines)
    code, row, err = query_totals(capsys, logs)
    assert code == 0
    assert warnings(err)[0] == (f"flowlogs: warning: {path}:{number}: malformed record skipped (30 fields, "
                                "the header has 29; Athena would read its values into the wrong columns)")
    assert row == totals(text_files(logs), leave_out=[(path, number)])
    code, out, _ = flowlogs(capsys, "query", "log-coverage", "--logs", str(logs), *WINDOW, "--format", "csv")
    assert {line.split(",")[0] for line in out.splitlines()[1:]} <= {"OK", "NODATA", "SKIPDATA"}


def test_a_header_shorter_than_its_records_skips_them_all(capsys: Any, logs: Path) -> None:
    path = busy(logs)
    header, *records = lines_of(path)
    rewrite(path, [header.rsplit(" ", 1)[0], *records])  # no traffic-path in the header
    code, row, err = query_totals(capsys, logs)
    assert code == 0
    assert f"flowlogs: warning: {len(records)} malformed record(s) skipped in 1 file(s)" in err
    assert all(line.endswith("(29 fields, the header has 28; Athena would read its values into the wrong "
                             "columns)") for line in warnings(err)[:-1])
    assert row == totals([p for p in text_files(logs) if p != path])


def test_an_empty_file_is_named_and_counted(capsys: Any, logs: Path) -> None:
    path = busy(logs)
    path.write_bytes(b"")  # an interrupted copy
    code, row, err = query_totals(capsys, logs)
    assert code == 0
    assert warnings(err) == [
        f"flowlogs: warning: {path}: empty file (0 bytes, not even a gzip header; an interrupted copy?); "
        "file skipped",
        "flowlogs: warning: 1 text file(s) skipped or read in part; the other files were read",
    ]
    assert row == totals([p for p in text_files(logs) if p != path])


def test_a_byte_order_mark_changes_nothing(capsys: Any, fx: Any, ctx: Any, logs: Path) -> None:
    from flowkit.local import Window, run_saved
    from tests.local.conftest import WINDOW as PROBE_WINDOW

    marked = text_files(logs)[:3]
    for path in marked:
        rewrite(path, lines_of(path), lambda raw: b"\xef\xbb\xbf" + raw)
    code, row, err = query_totals(capsys, logs)
    assert code == 0 and err == []
    assert row == totals(text_files(logs))
    probe = fx.template("SELECT count(*) AS n, count(version) AS v FROM {{ database }}.{{ table }} "
                        "WHERE {{ window }}")
    (n, versions), = run_saved(probe, ctx, logs, {}, Window(PROBE_WINDOW.since, PROBE_WINDOW.until)).rows
    assert n == versions  # the first column (version) is read in every file


def test_linked_folders_are_followed_once(capsys: Any, logs: Path, tmp_path: Path) -> None:
    expected = totals(text_files(logs))
    hour = text_files(logs)[0].parent
    elsewhere = tmp_path / "elsewhere"
    shutil.move(hour, elsewhere)
    hour.symlink_to(elsewhere, target_is_directory=True)  # an hour kept on another disk
    (hour.parent / "loop").symlink_to(logs / "AWSLogs", target_is_directory=True)  # and a link back up
    code, row, err = query_totals(capsys, logs)
    assert code == 0 and err == []
    assert row == expected


def test_a_link_to_nothing_and_a_folder_that_cannot_be_listed(capsys: Any, logs: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    gone = busy(logs)
    hidden = next(p for p in text_files(logs) if p.parent != gone.parent)
    expected = totals([p for p in text_files(logs) if p.parent != hidden.parent and p != gone])
    os.remove(gone)
    gone.symlink_to(tmp_path / "moved-away.log.gz")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path) == hidden.parent:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, row, err = query_totals(capsys, logs)
    assert code == 0
    assert warnings(err) == [
        f"flowlogs: warning: {hidden.parent}: cannot list this folder (Permission denied); the flow log "
        "files in it were not read",
        f"flowlogs: warning: {gone}: a link to a file that does not exist "
        f"({tmp_path / 'moved-away.log.gz'}); skipped",
    ]
    assert row == expected


def test_gunzipped_files_are_named_not_dropped(capsys: Any, logs: Path) -> None:
    path = busy(logs)
    plain = path.with_name(path.name.removesuffix(".gz"))
    plain.write_bytes(gzip.decompress(path.read_bytes()))
    path.unlink()
    code, row, err = query_totals(capsys, logs)
    assert code == 0
    assert err == [f"flowlogs: note: 1 file(s) under AWSLogs are not flow log files (*.log.gz, "
                   f"*.log.parquet) and were ignored, e.g. {plain}"]
    assert row == totals(text_files(logs))


def test_a_window_without_ok_records_gives_zeros_as_athena_does(capsys: Any, logs: Path) -> None:
    for path in text_files(logs):
        header, *records = lines_of(path)
        at = header.split(" ").index("log-status")
        rewrite(path, [header, *(r for r in records if r.split(" ")[at] != "OK")])
    code, row, err = query_totals(capsys, logs)
    assert (code, row, err) == (0, [0, 0, 0, 0, 0, 0], [])


def test_a_field_only_files_outside_the_window_have(capsys: Any, fx: Any, logs: Path) -> None:
    old = logs / fx.key_for(Layout("text"), fx.ACCOUNT_A, "eu-west-1", fx.T0.replace(day=3), "default")
    fx.write_text(old, fx.DEFAULT_FIELDS, [fx.record()])
    window = ["--since", "2024-05-03", "--until", "2024-05-04"]
    code, out, err = flowlogs(capsys, "query", "top-talking-instances", "--logs", str(logs), *window)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"flowlogs: error: query 'top-talking-instances' needs field(s) instance-id, which none of the 1 "
        f"flow log file(s) of the time window (dt 2024/05/03/00 to 2024/05/04/01) under {logs} has; "
        f"{len(text_files(logs)) - 1} file(s) outside the window were not read"]
