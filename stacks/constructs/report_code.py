"""The scheduled report function's code, packaged from the repository at synth time: no Docker, no download.

The asset holds the flowkit modules the function imports (the report, the saved queries, the key layout,
the field catalogue, the Athena runner), the report's page template, the SQL templates of the report's
saved queries (where an installed flowkit keeps them), and the pure-Python packages the Lambda Python
runtime lacks (Jinja2 and MarkupSafe, with their licences), copied from the environment that synthesizes.
boto3 and botocore come with the runtime. Nothing compiled is shipped, so the code runs on any
architecture and any Python from the kit's 3.11 up.

Runtime: Python 3.14, the newest CDK 2.275 offers. The kit's code needs 3.11 or newer; AWS scheduled the
3.11 runtime's deprecation for mid-2026, 3.14 is supported longest, and it is what cdk-nag's
AwsSolutions-L1 (the latest runtime of its family) expects.
"""

from __future__ import annotations

import importlib.util
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

import flowkit
from flowkit import queries
from flowkit.report import REPORTS

RUNTIME = lambda_.Runtime.PYTHON_3_14
HANDLER = "flowkit.schedule.handler.handler"
FLOWKIT = Path(flowkit.__file__).resolve().parent
# flowkit folders whose modules the function imports (not their subfolders: no CLI, local engine, fetch)
PACKAGES = ("", "aws", "catalogue", "layout", "queries", "report", "schedule")
DEPLOY_ONLY = frozenset({"queries/checks.py"})  # sqlglot and the Trino grammar: synth-time checks only
PACKAGE_DATA = {"report": ("*.j2",)}
THIRD_PARTY = ("jinja2", "markupsafe")
SQL_FOLDER = "flowkit/queries/sql"  # where flowkit.queries.library looks first (as in the wheel)


def _copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _flowkit_files(out: Path) -> list[Path]:
    written = []
    for package in PACKAGES:
        folder = FLOWKIT / package
        patterns = ("*.py", *PACKAGE_DATA.get(package, ()))
        for path in sorted(p for pattern in patterns for p in folder.glob(pattern)):
            relative = path.relative_to(FLOWKIT).as_posix()
            if relative not in DEPLOY_ONLY:
                written.append(_copy(path, out / "flowkit" / relative))
    templates = queries.load_catalogue()
    for name in sorted({spec.query for spec in REPORTS}):
        source = queries.find(name, templates).path
        written.append(_copy(source, out / SQL_FOLDER / source.name))
    return written


def _third_party(out: Path, name: str) -> list[Path]:
    """A pure-Python package's modules (no compiled speedups) plus its METADATA and licence files."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"the scheduled report needs the Python package {name}, which is not installed")
    folder = Path(spec.origin).parent
    written = [_copy(path, out / name / path.name) for path in sorted(folder.glob("*.py"))]
    dist = metadata.distribution(name)
    for file in dist.files or ():
        parts = file.parts
        if parts and parts[0].endswith(".dist-info") and (file.name == "METADATA" or "licenses" in parts):
            written.append(_copy(Path(str(dist.locate_file(file))), out / Path(*parts)))
    return written


def write_function_code(out: Path) -> list[Path]:
    """Write the function's code into ``out``; the files written."""
    written = _flowkit_files(out)
    for name in THIRD_PARTY:
        written += _third_party(out, name)
    return written


@jsii.implements(ILocalBundling)
class _LocalPackaging:
    """CDK's local bundling hook: copies the files instead of building in a container."""

    def try_bundle(self, output_dir: str, *, image: DockerImage, **_options: Any) -> bool:
        write_function_code(Path(output_dir))
        return True


def function_code() -> lambda_.Code:
    """The asset, hashed by its content (the files written, so unrelated repository changes do not count)."""
    return lambda_.Code.from_asset(
        str(FLOWKIT),
        asset_hash_type=AssetHashType.OUTPUT,
        # the image is required by the API but never used: local packaging always succeeds or raises
        bundling=BundlingOptions(image=RUNTIME.bundling_image, local=_LocalPackaging()),
    )
