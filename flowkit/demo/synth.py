"""Running the CDK CLI on the kit's app: ``npx cdk synth --all -q`` in a subprocess.

flowkit never imports CDK; the app runs in its own process with the same Python interpreter.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from flowkit.demo.errors import DemoError


def synth_command(outdir: Path, context: Mapping[str, str] | None = None) -> list[str]:
    """``npx cdk synth --all -q`` with this interpreter running app.py (same venv as the demo)."""
    app = f"{shlex.quote(sys.executable)} app.py"
    cmd = ["npx", "--no", "cdk", "synth", "--all", "-q", "--app", app, "--output", str(outdir)]
    for key, value in (context or {}).items():
        cmd += ["-c", f"{key}={value}"]
    return cmd


def synth(outdir: Path, context: Mapping[str, str] | None, repo: Path) -> Path:
    """Synthesize every stack of the app in ``repo`` into ``outdir``.

    On failure DemoError carries the app's own ``error:`` lines (without that prefix), else the
    CDK CLI's last lines.
    """
    if not (repo / "app.py").is_file():
        raise DemoError(f"{repo}: no app.py here; run `flowlogs demo` in the kit's folder (or give "
                        "--config <kit folder>/cdk.json)")
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
           "CDK_DISABLE_VERSION_CHECK": "1"}
    env["PATH"] = os.pathsep.join([str(repo / "node_modules" / ".bin"), env.get("PATH", "")])
    try:
        proc = subprocess.run(synth_command(outdir, context), cwd=repo, env=env, capture_output=True,
                              text=True, check=False)
    except FileNotFoundError:
        raise DemoError(["npx not found: install Node.js and run `make setup`"]) from None
    if proc.returncode != 0:
        lines = [line.removeprefix("error: ") for line in proc.stderr.splitlines()
                 if line.startswith("error: ")]
        tail = proc.stderr.splitlines()[-15:]
        raise DemoError(lines or [f"cdk synth failed (exit {proc.returncode}):", *tail])
    return outdir

