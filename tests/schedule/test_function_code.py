"""The scheduled report's packaged code, as synthesized: what it holds, and that it runs on its own.

A clean interpreter (no site-packages, no PYTHONPATH) gets only the asset and the packages the Lambda
Python runtime provides (boto3, botocore and their dependencies), finds the handler the way the runtime
does, and renders a report page from the packaged template and SQL.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flowkit.report import REPORTS

pytestmark = pytest.mark.slow

# What the Lambda Python runtime provides besides the standard library: the AWS SDK and its dependencies.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")


def _runs(python: str | None) -> bool:
    return bool(python) and subprocess.run([str(python), "-c", "pass"], capture_output=True,
                                           check=False).returncode == 0


# Interpreters to run the asset with: the kit's, and the Lambda runtime's (3.14) or 3.13 where installed.
INTERPRETERS = [sys.executable, *filter(_runs, (shutil.which(f"python3.{minor}") for minor in (14, 13)))]


@pytest.fixture(scope="module")
def asset(synth_config: Any) -> Path:
    """The function's asset folder in the cloud assembly of the scheduled configuration."""
    synth = synth_config("scheduled")
    (function,) = synth.resources("analytics", "AWS::Lambda::Function").values()
    key = function["Properties"]["Code"]["S3Key"]
    folder = synth.outdir / f"asset.{key.removesuffix('.zip')}"
    assert folder.is_dir(), folder
    return folder


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding only the packages the Lambda runtime has (links into this environment)."""
    folder = tmp_path_factory.mktemp("lambda-runtime")
    for name in RUNTIME_PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        origin = Path(spec.origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        (folder / source.name).symlink_to(source)
    return folder


def test_asset_holds_the_report_code_templates_and_pure_python_packages(asset: Path) -> None:
    files = {p.relative_to(asset).as_posix() for p in asset.rglob("*") if p.is_file()}
    for needed in ("flowkit/schedule/handler.py", "flowkit/report/html.py", "flowkit/report/template.html.j2",
                   "flowkit/aws/athena.py", "flowkit/queries/render.py", "jinja2/__init__.py",
                   "markupsafe/__init__.py", "markupsafe/_native.py"):
        assert needed in files, needed
    sql = {f.removeprefix("flowkit/queries/sql/") for f in files if f.startswith("flowkit/queries/sql/")}
    assert sql == {f"{spec.query}.sql" for spec in REPORTS}
    licences = {f.split("-")[0] for f in files if "/licenses/" in f}
    assert licences == {"jinja2", "markupsafe"}
    # nothing compiled (it would tie the code to one platform), nothing the function does not run
    assert not [f for f in files if f.endswith((".so", ".pyd", ".pyc", ".c"))]
    for absent in ("flowkit/settings/", "flowkit/local/", "flowkit/cli/", "flowkit/sample/", "flowkit/demo/",
                   "flowkit/aws/fetch/", "flowkit/queries/checks.py", "pydantic", "duckdb", "sqlglot"):
        assert not any(f.startswith(absent) for f in files), absent


CHECK = """
import importlib, json, sys
sys.path[:0] = [{asset!r}, {runtime!r}]
module_name, function = {handler!r}.rsplit(".", 1)  # as the Lambda runtime resolves the handler setting
handler = getattr(importlib.import_module(module_name), function)
from datetime import datetime, timezone
from flowkit import queries
from flowkit.report import REPORTS, build_report, render_html

class Result:
    columns = ["action", "flows", "bytes", "share"]
    rows = [("ACCEPT", 3, 300, 0.75), ("REJECT", 1, 40, 0.25)]

when = datetime(2024, 5, 1, tzinfo=timezone.utc)
page = render_html(build_report(lambda name, params: Result(), since=when, until=when.replace(day=2),
                                source_label="test", generated_at=when, reports=REPORTS[:1]))
print(json.dumps({{
    "callable": callable(handler),
    "templates": sorted(t.name for t in queries.load_catalogue()),
    "page": "Accepted vs rejected flows" in page and "data-value=\\"3\\"" in page,
    "outside": sorted(m for m, mod in sys.modules.items()
                      if m.split(".")[0] in ("flowkit", "jinja2", "markupsafe")
                      and not (getattr(mod, "__file__", None) or "").startswith({asset!r})),
    "pydantic": "pydantic" in sys.modules,
    "version": sys.version_info[:2],
}}))
"""


@pytest.mark.parametrize("python", INTERPRETERS)
def test_asset_imports_and_renders_in_a_clean_interpreter(asset: Path, runtime: Path, python: str,
                                                          synth_config: Any) -> None:
    (function,) = synth_config("scheduled").resources("analytics", "AWS::Lambda::Function").values()
    code = CHECK.format(asset=str(asset), runtime=str(runtime), handler=function["Properties"]["Handler"])
    done = subprocess.run([python, "-I", "-S", "-c", code], capture_output=True, text=True, timeout=120,
                          check=False, cwd=runtime, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout)
    assert found["callable"] and found["page"]
    assert found["templates"] == sorted(spec.query for spec in REPORTS)
    assert found["outside"] == [] and found["pydantic"] is False
    assert tuple(found["version"]) >= (3, 11)
