"""The end-to-end report the browser and PNG tests share: sample logs -> local engine -> HTML page.

Also headless Chromium and a stdlib PNG reader. Chromium must be installed (``scripts/install-chromium``,
which ``make test`` runs first): the tests that use it fail, never skip, without it.
"""

from __future__ import annotations

import struct
import subprocess
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flowkit import local, queries
from flowkit.catalogue import CATALOGUE
from flowkit.layout import Layout
from flowkit.report import build_report, local_runner, render_html
from flowkit.sample import write_sample

CHROMIUM = Path("/usr/bin/chromium")
NOW = datetime(2024, 5, 2, tzinfo=UTC)
SINCE, UNTIL = NOW - timedelta(hours=8), NOW  # the sample day's incidents all fall in its last 8 hours


@dataclass(frozen=True)
class Sample:
    html_path: Path
    html: str
    results: dict[str, Any]
    text_dir: Path
    tmp: Path


def make_sample(tmp: Path) -> Sample:
    """Parquet and text copies of the same sample; the report of the Parquet one and the engine's rows."""
    parquet_dir, text_dir = tmp / "parquet", tmp / "text"
    parquet, text = Layout("parquet", hive=False, hourly=True), Layout("text", hive=False, hourly=False)
    # the same seed and time give the same records; the report reads Parquet, the checks read text
    write_sample(parquet_dir, days=1, layout=parquet, now=NOW, flows_per_day=300)
    write_sample(text_dir, days=1, layout=text, now=NOW, flows_per_day=300)
    ctx = queries.RenderContext("flowlogs_test", "flow_logs", CATALOGUE, parquet)
    engine_run = local_runner(parquet_dir, ctx, since=SINCE, until=UNTIL)
    results: dict[str, Any] = {}

    def run(name: str, params: dict[str, str]) -> Any:
        results[name] = engine_run(name, params)  # the engine's own rows, kept to compare with the page
        assert isinstance(results[name], local.Result)
        return results[name]

    built = build_report(run, since=SINCE, until=UNTIL, source_label=f"local directory {parquet_dir}",
                         generated_at=datetime(2024, 5, 2, 9, 30, tzinfo=UTC))
    html = render_html(built)
    html_path = tmp / "report.html"
    html_path.write_text(html, encoding="utf-8")
    return Sample(html_path, html, results, text_dir, tmp)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: run scripts/install-chromium"
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


# -- PNG reading (stdlib only) -----------------------------------------------------------------------
def png_info(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed (still filtered) pixel rows; checks signature and CRCs."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, colour_type = 8, b"", 0, 0, -1
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            width, height, _depth, colour_type = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
        if kind == b"IEND":
            break
    assert colour_type in (2, 6), "expected an RGB(A) screenshot"
    return width, height, zlib.decompress(idat)


def busy_rows(width: int, height: int, raw: bytes) -> int:
    """Rows whose filtered bytes vary: a blank (one-colour) image has none, whatever the row filters."""
    stride = len(raw) // height
    assert stride >= width * 3
    return sum(1 for y in range(height) if len(set(raw[y * stride + 8:(y + 1) * stride])) > 8)
