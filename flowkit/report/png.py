"""PNG export: each chart of a rendered report page screenshotted by headless Chromium.

Chromium is the program named by the ``FLOWLOGS_CHROMIUM`` variable (a path or a command name), else
the first of CHROMIUM_NAMES found on PATH, else Debian's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flowkit.report import charts
from flowkit.report.build import ReportError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_VARIABLE = "FLOWLOGS_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_SVG_RE = re.compile(r'<svg\b[^>]*\bdata-chart="([^"]+)"[^>]*>.*?</svg>', re.S)
_SIZE_RE = re.compile(r'\bwidth="(\d+)" height="(\d+)"')
_LABEL_RE = re.compile(r'\baria-label="([^"]*)"')
_PAD, _HEADING = 16, 30
_MIN_WINDOW_HEIGHT = 200  # headless Chromium paints only part of a window lower than about 160 px


def chromium_command(chromium: str, profile: Path) -> list[str]:
    """Headless Chromium that touches no network and no user profile."""
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={profile}"]


def find_chromium() -> str:
    """The Chromium to run: $FLOWLOGS_CHROMIUM, else the first of CHROMIUM_NAMES on PATH, else CHROMIUM."""
    given = os.environ.get(CHROMIUM_VARIABLE, "").strip()
    if given:
        return given
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), CHROMIUM)


def write_pngs(html_path: Path, out_dir: Path, *, chromium: str | None = None, scale: int = 2,
               workers: int = 2) -> list[Path]:
    """One PNG per chart of a rendered report (``<query>.png``), screenshotted by headless Chromium
    (``chromium``, or :func:`find_chromium`)."""
    chromium = chromium or find_chromium()
    if shutil.which(chromium) is None:
        raise ReportError(f"{chromium} not found: install Chromium (apt-get install chromium), put it on "
                          f"PATH, or set {CHROMIUM_VARIABLE} to its path")
    page = Path(html_path).read_text(encoding="utf-8")
    found = [(m.group(1), m.group(0)) for m in _SVG_RE.finditer(page)]
    if not found:
        raise ReportError(f"{html_path} holds no report charts")
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flowkit-png-") as tmp, ThreadPoolExecutor(workers) as pool:
        jobs = [pool.submit(_screenshot, chromium, name, svg, Path(tmp), out_dir / f"{name}.png", scale)
                for name, svg in found]
        return [job.result() for job in jobs]


def _screenshot(chromium: str, name: str, svg: str, tmp: Path, target: Path, scale: int) -> Path:
    size = _SIZE_RE.search(svg)
    if size is None:
        raise ReportError(f"chart '{name}' has no width/height")
    width = int(size.group(1)) + 2 * _PAD
    height = max(int(size.group(2)) + 2 * _PAD + _HEADING, _MIN_WINDOW_HEIGHT)
    label = _LABEL_RE.search(svg)
    standalone = tmp / f"{name}.html"
    standalone.write_text(
        '<!doctype html><html><head><meta charset="utf-8"></head>'
        f'<body style="margin:0;padding:{_PAD}px;background:#fff;color:{charts.TEXT}">'
        f'<div style="font:600 16px/{_HEADING}px {charts.FONT};height:{_HEADING}px">'
        f'{label.group(1) if label else ""}</div>{svg}</body></html>', encoding="utf-8")
    target.unlink(missing_ok=True)
    command = [*chromium_command(chromium, tmp / f"profile-{name}"), f"--screenshot={target}",
               f"--window-size={width},{height}", f"--force-device-scale-factor={scale}", standalone.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 or not target.is_file():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ReportError(f"chromium could not screenshot chart '{name}': {last}")
    return target
