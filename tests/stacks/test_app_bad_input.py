"""Bad settings: the real app exits non-zero with one `error:` line per problem, no traceback, no assembly."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

# One real `python app.py` per class of mistake: (override, {key: value as the message must show it}).
BAD = {
    "malformed-vpc": ({"vpc_ids": ["vpc-12345"]}, {"vpc_ids": "vpc-12345"}),
    "duplicate-id": ({"eni_ids": ["eni-0fedcba9876543210", "eni-0fedcba9876543210"]},
                     {"eni_ids": "eni-0fedcba9876543210"}),
    "unknown-field": ({"log_fields": "version,start,log-status,bytez"}, {"log_fields": "bytez"}),
    "missing-required-fields": ({"log_fields": ["srcaddr", "dstaddr", "bytes"]}, {"log_fields": "start"}),
    "out-of-range": ({"aggregation_seconds": 30, "lookback_days": 0, "query_limit_gb": 0},
                     {"aggregation_seconds": "30", "lookback_days": "0", "query_limit_gb": "0"}),
    "unknown-key": ({"retention": 5}, {"retention": "unknown key"}),
}


def _context(override: dict[str, Any]) -> dict[str, Any]:
    context = dict(json.loads((REPO / "cdk.json").read_text())["context"])
    context.update(override)
    return context


def _assert_rejected(proc: subprocess.CompletedProcess[str], expected: dict[str, str], outdir: Path) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(expected), proc.stderr
    for key, value in expected.items():
        (line,) = [e for e in errors if e.startswith(f"error: setting '{key}'")]
        assert value in line
    assert not outdir.exists() or not any(outdir.iterdir()), "a cloud assembly was written"


@pytest.mark.parametrize("case", sorted(BAD))
def test_app_rejects_bad_settings(case: str, tmp_path: Path) -> None:
    override, expected = BAD[case]
    outdir = tmp_path / "cdk.out"
    outdir.mkdir()
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(_context(override)), "CDK_OUTDIR": str(outdir),
           "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    _assert_rejected(proc, expected, outdir)


@pytest.mark.skipif(shutil.which("npx") is None or not (REPO / "node_modules" / ".bin" / "cdk").exists(),
                    reason="CDK CLI not installed (run `make setup`)")
def test_cdk_cli_passes_context_and_fails_cleanly(tmp_path: Path) -> None:
    outdir = tmp_path / "cdk.out"
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "PYTHONPATH": str(REPO),
           "CDK_DISABLE_VERSION_CHECK": "1"}
    cmd = ["npx", "--no", "cdk", "synth", "--all", "-q", "--app", f"{sys.executable} app.py",
           "--output", str(outdir), "-c", "aggregation_seconds=30"]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=180, check=False)
    _assert_rejected(proc, {"aggregation_seconds": "30"}, outdir)


def test_query_problems_exit_1_without_building(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A saved query that fails validation stops the app before any stack exists."""
    spec = importlib.util.spec_from_file_location("kit_app_under_test", REPO / "app.py")
    assert spec and spec.loader
    app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app)
    from aws_cdk import App

    from flowkit import sqlcheck

    monkeypatch.setattr(sqlcheck, "validate_rendered",
                        lambda rendered, ctx: [f"query '{rendered[0].name}': no partition filter on dt"])
    built: list[Any] = []
    monkeypatch.setattr(app, "build", lambda *args, **kwargs: built.append(args))
    assert app.main(App(context=_context({}))) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("error: query '")
    assert err[0].endswith("': no partition filter on dt")
    assert built == []


def test_malformed_query_template_is_one_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from flowkit import queries
    from flowkit.settings import load
    from stacks.analytics import QueryProblems, saved_queries

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise queries.QueryError("sql/top-talkers.sql: template syntax error at body line 3: unexpected '}'")

    monkeypatch.setattr(queries, "render_all", broken)
    with pytest.raises(QueryProblems) as err:
        saved_queries(load(_context({})))
    assert err.value.problems == ["sql/top-talkers.sql: template syntax error at body line 3: unexpected '}'"]
