"""write_pngs: one real picture per chart of a rendered page, screenshotted by headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowkit.report import REPORTS, ReportError, build_report, render_html, write_pngs
from tests.report.endtoend import SINCE, UNTIL, Sample, busy_rows, png_info


def test_write_pngs_writes_one_picture_per_chart(made: Sample) -> None:
    # three charts (one of each kind) from the engine's results keep the test short
    kinds = {spec.chart: spec for spec in REPORTS}
    small = build_report(lambda name, _params: made.results[name], since=SINCE, until=UNTIL,
                         source_label="test", generated_at=UNTIL, reports=list(kinds.values()))
    html_path = made.tmp / "three.html"
    html_path.write_text(render_html(small), encoding="utf-8")
    written = write_pngs(html_path, made.tmp / "png")
    assert [p.name for p in written] == [f"{spec.query}.png" for spec in kinds.values()]
    for path in written:
        width, height, raw = png_info(path.read_bytes())
        assert width >= 2 * 540 and height >= 2 * 200, path.name  # scale 2
        assert busy_rows(width, height, raw) > 40, path.name


def test_write_pngs_needs_chromium(made: Sample) -> None:
    with pytest.raises(ReportError, match="/no/such-chromium not found: install Chromium .*, put it on PATH, "
                                          "or set FLOWLOGS_CHROMIUM"):
        write_pngs(made.html_path, made.tmp / "none", chromium="/no/such-chromium")


def stand_in(folder: Path, name: str) -> Path:
    """A Chromium stand-in: "screenshots" by writing the file --screenshot= names, and notes its own path."""
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text('#!/bin/sh\nfor a in "$@"; do case "$a" in\n'
                      '  --screenshot=*) printf x > "${a#--screenshot=}";;\n'
                      'esac; done\necho "$0" >> "${0%/*}/ran"\n', encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("variable", [False, True])
def test_chromium_comes_from_path_or_the_variable(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  variable: bool) -> None:
    on_path = stand_in(tmp_path / "bin", "chromium-browser")
    named = stand_in(tmp_path / "elsewhere", "my-chromium")
    monkeypatch.setenv("PATH", str(on_path.parent))
    if variable:
        monkeypatch.setenv("FLOWLOGS_CHROMIUM", str(named))
    else:
        monkeypatch.delenv("FLOWLOGS_CHROMIUM", raising=False)
    html_path = tmp_path / "report.html"
    html_path.write_text(page, encoding="utf-8")
    charts = re.findall(r'<svg\b[^>]*\bdata-chart="([^"]+)"', page)
    written = write_pngs(html_path, tmp_path / "png")
    assert [p.name for p in written] == [f"{name}.png" for name in charts] and len(charts) == 11
    assert all(p.read_bytes() == b"x" for p in written)
    used = named if variable else on_path
    assert (used.parent / "ran").read_text().splitlines() == [str(used)] * len(charts)
    assert not (tmp_path / ("bin" if variable else "elsewhere") / "ran").exists()
