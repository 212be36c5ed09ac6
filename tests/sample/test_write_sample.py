"""write_sample as a whole: the window, the summary, determinism, bad arguments and its imports."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flowkit.layout import Layout
from flowkit.sample import SampleError, write_sample
from tests.sample.helpers import NOW, SINCE, Sample, files_under, text_files


def test_one_interface_per_file_and_records_inside_the_window(records: list[dict[str, str]],
                                                              text_sample: Sample) -> None:
    root, summary = text_sample
    for rel, lines in text_files(root):
        assert len({line.split(" ")[2] for line in lines[1:]}) == 1, rel
    starts = [int(r["start"]) for r in records]
    ends = [int(r["end"]) for r in records]
    assert min(starts) >= SINCE.timestamp() and max(ends) < NOW.timestamp()
    assert all(0 <= e - s < 60 for s, e in zip(starts, ends, strict=True))  # 60 s aggregation
    assert summary.first == datetime.fromtimestamp(min(starts), UTC)
    assert summary.last == datetime.fromtimestamp(max(ends), UTC)
    assert len({r["interface-id"] for r in records}) == 8
    assert sorted({r["account-id"] for r in records}) == sorted(summary.accounts)
    assert sorted({r["region"] for r in records}) == sorted(summary.regions)
    assert len(summary.accounts) == len(summary.regions) == 2
    assert all(len(a) == 12 and a.isdigit() for a in summary.accounts)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    def contents(root: Path, seed: int) -> dict[str, bytes]:
        write_sample(root, days=1, now=NOW, seed=seed, flows_per_day=50)
        return {rel: (root / rel).read_bytes() for rel in files_under(root)}

    first = contents(tmp_path / "a", 7)
    assert first == contents(tmp_path / "b", 7)
    assert first != contents(tmp_path / "c", 8)


def test_summary_lines(text_sample: Sample) -> None:
    root, summary = text_sample
    text = "\n".join(summary.lines())
    assert f"{summary.records} records in {summary.files} files" in text
    assert all(line in text for line in summary.incidents) and len(summary.incidents) == 5
    assert summary.files == len(files_under(root))


def test_summary_keeps_the_layout_it_was_given(tmp_path: Path) -> None:
    layout = Layout("text", hive=True, hourly=True, key_prefix="cases/demo-42")
    summary = write_sample(tmp_path, days=1, now=NOW, layout=layout, flows_per_day=5)
    assert summary.layout is layout
    assert "(text, hive, hourly)" in summary.lines()[0]
    assert f"under {tmp_path / 'cases/demo-42/AWSLogs/'}" in summary.lines()[0]


@pytest.mark.parametrize(("kwargs", "problem"), [
    ({"days": 0}, "days"),
    ({"layout": Layout("csv", hive=False, hourly=False)}, "file format"),  # type: ignore[arg-type]
    ({"layout": Layout("text", hive=False, hourly=False, key_prefix="/cases/")}, "key prefix"),
    ({"fields": ()}, "field list"),
    ({"flows_per_day": -1}, "flows per day"),
])
def test_bad_arguments(tmp_path: Path, kwargs: dict[str, object], problem: str) -> None:
    with pytest.raises(SampleError, match=problem):
        write_sample(tmp_path, now=NOW, **kwargs)  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())


def test_importing_the_sample_writer_does_not_load_duckdb() -> None:
    code = "import sys, flowkit.sample; print('duckdb' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
