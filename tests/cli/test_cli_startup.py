"""``flowlogs`` starts fast: its help loads no CDK, no DuckDB, no sqlglot, no boto3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("aws_cdk", "cdk_nag", "jsii", "duckdb", "sqlglot", "boto3", "botocore", "pydantic")


def loaded_after(*args: str) -> list[str]:
    code = ("import json, sys\nfrom flowkit.cli import main\ntry:\n    main(sys.argv[1:])\n"
            "except SystemExit:\n    pass\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, check=False, timeout=60)
    return list(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_help_imports_nothing_heavy() -> None:
    for args in (["--help"], ["query", "--help"], ["demo", "--help"], ["fetch", "--help"]):
        loaded = loaded_after(*args)
        assert not [m for m in HEAVY if m in loaded], (args, [m for m in HEAVY if m in loaded])
