"""Fixtures of the doctor scenarios: moto for every AWS call, a fixed clock, sample flow log files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flowkit.aws.doctor import checks
from tests.aws.doctor.moto_investigation import ALL, AWS_DEFAULT, NOW, SWAPPED, V5
from tests.moto_hooks import Hooks, moto_cli


@pytest.fixture
def hooks(aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Hooks]:
    """moto for every call, hooks on every session, a folder without cdk.json as cwd, the clock at NOW."""
    monkeypatch.setattr(checks, "now", lambda: NOW)
    with moto_cli(monkeypatch, tmp_path) as found:
        yield found


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small sample logs: parquet v5, parquet aws-default, text with every field, text with SWAPPED."""
    from flowkit import catalogue
    from flowkit.layout import Layout
    from flowkit.sample import write_sample

    out = {}
    kinds = (("parquet-v5", "parquet", V5), ("parquet-default", "parquet", AWS_DEFAULT),
             ("text-all", "text", ALL), ("text-swapped", "text", SWAPPED))
    for name, file_format, names in kinds:
        root = tmp_path_factory.mktemp(name)
        write_sample(root, days=1, layout=Layout(file_format, False, True), flows_per_day=5,
                     fields=tuple(catalogue.BY_NAME[n] for n in names), now=NOW)
        out[name] = root
    return out
