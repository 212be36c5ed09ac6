"""The kit as a built wheel: installed outside the checkout, ``flowlogs`` finds every saved query.

The wheel is built from a copy of the sources (so the checkout gets no build/ folder) without build
isolation (setuptools is pinned in the dev lock). It goes into a fresh venv in a temporary folder
with ``--no-deps``; the third-party packages it depends on are made visible from the project's own
venv through a path file, so the test needs no download and runs only the wheel's flowkit.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _ignore(_folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n == "__pycache__" or n.endswith((".pyc", ".egg-info"))}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for folder in ("flowkit", "sql", "insights"):
        shutil.copytree(REPO / folder, src / folder, ignore=_ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(src)], check=True, capture_output=True, text=True, timeout=300)
    (found,) = out.glob("vpc_flowlogs_kit-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """bin/ of a fresh venv holding the wheel; the project's venv lends only its third-party packages."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "dev-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    str(wheel)], check=True, capture_output=True, text=True, timeout=300)
    yield home / "bin"


def flowlogs(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(cwd), "COLUMNS": "200"}
    return subprocess.run([str(bin_dir / "flowlogs"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def test_wheel_carries_every_module_and_template(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "flowkit").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert modules and modules <= names, sorted(modules - names)
    templates = {f"flowkit/queries/sql/{p.name}" for p in (REPO / "sql").glob("*.sql")}
    assert len(templates) >= 37 and templates <= names, sorted(templates - names)
    insights = {f"flowkit/queries/insights/{p.name}" for p in (REPO / "insights").glob("*.cwli")}
    assert len(insights) >= 8 and insights <= names, sorted(insights - names)
    assert "flowkit/report/template.html.j2" in names
    assert not any(n.startswith(("stacks/", "tests/", "sql/", "insights/")) for n in names)


def test_installed_flowlogs_lists_and_runs_the_saved_queries(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "python"), "-c", "import flowkit; print(flowkit.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True,
                           env={"HOME": str(tmp_path)})
    assert where.stdout.startswith(str(installed.parent)), where.stdout  # not the checkout's flowkit

    packaged = subprocess.run([str(installed / "python"), "-c", "from flowkit.queries.insights import "
                               "INSIGHTS_DIR, load_insights; print(INSIGHTS_DIR); "
                               "print(' '.join(t.name for t in load_insights()))"],
                              cwd=tmp_path, capture_output=True, text=True, check=True,
                              env={"HOME": str(tmp_path)})
    folder, insights = packaged.stdout.splitlines()
    assert folder.startswith(str(installed.parent)), folder  # the wheel's copy, not the checkout's insights/
    assert insights.split() == sorted(p.stem for p in (REPO / "insights").glob("*.cwli"))

    listed = flowlogs(installed, tmp_path, "queries", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    names = {q["name"] for q in json.loads(listed.stdout)}
    templates = [*(REPO / "sql").glob("*.sql"), *(REPO / "sql" / "transit-gateway").glob("*.sql")]
    assert names == {p.stem for p in templates}

    rendered = flowlogs(installed, tmp_path, "render", "top-talkers")
    assert rendered.returncode == 0 and rendered.stdout.startswith("SELECT srcaddr"), rendered.stderr

    sample = flowlogs(installed, tmp_path, "sample", "--out", "logs", "--days", "1", "--format", "text")
    assert sample.returncode == 0, sample.stderr
    ran = flowlogs(installed, tmp_path, "query", "top-talkers", "--logs", "logs", "--format", "json")
    assert ran.returncode == 0, ran.stderr
    rows = json.loads(ran.stdout)
    assert rows and [r["bytes"] for r in rows] == sorted((r["bytes"] for r in rows), reverse=True)
    reference = subprocess.run([sys.executable, "-m", "flowkit.cli", "query", "top-talkers", "--logs",
                                str(tmp_path / "logs"), "--format", "json"], cwd=tmp_path,
                               capture_output=True, text=True, check=True,
                               env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})
    assert rows == json.loads(reference.stdout)  # the checkout's flowkit gives the same rows
