"""write_pngs: one real picture per chart of a rendered page, screenshotted by headless Chromium."""

from __future__ import annotations

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
    with pytest.raises(ReportError, match="/no/such-chromium not found: run scripts/install-chromium"):
        write_pngs(made.html_path, made.tmp / "none", chromium="/no/such-chromium")
