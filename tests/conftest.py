"""Shared fixtures: tiny flow log files written by hand (gzip text with any header, Parquet)."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit import queries
from flowkit.layout import Layout
from flowkit.settings import load
from tests.documented import AWS_DEFAULT_FORMAT
from tests.synths import CONFIGS, Synth, example_context, synthesize

# The AWS default format, spelled out (VPC user guide), and the Parquet physical types of its fields.
DEFAULT_FIELDS = list(AWS_DEFAULT_FORMAT)
PARQUET_TYPES = {
    "version": "INTEGER",
    "srcport": "INTEGER",
    "dstport": "INTEGER",
    "protocol": "INTEGER",
    "packets": "BIGINT",
    "bytes": "BIGINT",
    "start": "BIGINT",
    "end": "BIGINT",
    "tcp-flags": "INTEGER",
    "traffic-path": "INTEGER",
}
ACCOUNT_A, ACCOUNT_B = "111122223333", "444455556666"
T0 = datetime(2024, 5, 1, 13, 0, tzinfo=UTC)  # 1714568400
T0_EPOCH = 1714568400


def record(**values: Any) -> dict[str, Any]:
    """A flow record of the default format; keyword names use underscores."""
    base: dict[str, Any] = {
        "version": 2,
        "account-id": ACCOUNT_A,
        "interface-id": "eni-0123456789abcdef0",
        "srcaddr": "10.0.0.1",
        "dstaddr": "10.0.0.2",
        "srcport": 40000,
        "dstport": 443,
        "protocol": 6,
        "packets": 2,
        "bytes": 100,
        "start": T0_EPOCH + 60,
        "end": T0_EPOCH + 120,
        "action": "ACCEPT",
        "log-status": "OK",
    }
    base.update({k.replace("_", "-"): v for k, v in values.items()})
    return base


def text_lines(fields: Sequence[str], records: Sequence[Mapping[str, Any]]) -> str:
    rows = [" ".join("-" if r.get(f) is None else str(r[f]) for f in fields) for r in records]
    return "\n".join([" ".join(fields), *rows]) + "\n"


def write_text(path: Path, fields: Sequence[str], records: Sequence[Mapping[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text_lines(fields, records).encode()))
    return path


def write_parquet(path: Path, fields: Sequence[str], records: Sequence[Mapping[str, Any]]) -> Path:
    """Parquet like AWS writes it: underscore column names, INT32/INT64/STRING."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    columns = ", ".join(f'"{f.replace("-", "_")}" {PARQUET_TYPES.get(f, "VARCHAR")}' for f in fields)
    con.execute(f"CREATE TABLE t ({columns})")
    if records:
        marks = ", ".join("?" for _ in fields)
        con.executemany(f"INSERT INTO t VALUES ({marks})", [[r.get(f) for f in fields] for r in records])
    con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    con.close()
    return path


def key_for(layout: Layout, account: str, region: str, when: datetime, name: str = "a") -> str:
    """The object key AWS would use for a file of records ending at ``when``."""
    return layout.key_prefix_for(account, region, when) + layout.file_name(
        account, region, "fl-0abc", when, name
    )


def template(body: str, fields: str = "", params: Sequence[str] = ()) -> queries.QueryTemplate:
    header = ["-- name: probe", "-- description: A test query.", f"-- fields: {fields}".rstrip()]
    header += [f"-- param: {p}" for p in params]
    return queries.parse_template(Path("probe.sql"), "\n".join([*header, body]) + "\n")


@pytest.fixture
def ctx() -> queries.RenderContext:
    return queries.context_for(load({"investigation": "case", "vpc_ids": ["vpc-0123456789abcdef0"]}))


class Messages(list[str]):
    def __call__(self, message: str) -> None:
        self.append(message)


@pytest.fixture
def messages() -> Messages:
    return Messages()


Writer = Callable[[Path, Sequence[str], Sequence[Mapping[str, Any]]], Path]


@pytest.fixture
def fx() -> Any:
    """This module's helpers (test modules cannot import a conftest under --import-mode=importlib)."""
    import sys

    return sys.modules[__name__]


AWS_TEST_REGION = "us-east-1"


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and region for moto; nothing from the machine's AWS config is read."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                 "AWS_ENDPOINT_URL", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", AWS_TEST_REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


# -- synthesized apps (tests/synths.py), shared by the stack, demo and real-engine tests -----------------
@pytest.fixture(scope="session")
def synth_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Synth]]:
    """``synth_config(name)``: the (cached) synth of one of CONFIGS."""
    cache: dict[str, Synth] = {}

    def get(name: str) -> Synth:
        if name not in cache:
            context = {**example_context(), **CONFIGS[name]}
            cache[name] = synthesize(context, tmp_path_factory.mktemp(f"cdk-{name}"))
        return cache[name]

    yield get


@pytest.fixture(scope="session")
def feature_flags() -> dict[str, Any]:
    """The feature flags of the shipped cdk.json (every synth must use them, like `cdk synth` does)."""
    return {k: v for k, v in example_context().items() if k.startswith("@")}


# every configuration with the three S3 stacks (destination "cloudwatch" has no bucket, table or workgroup)
S3_CONFIGS = sorted(name for name, config in CONFIGS.items() if config.get("destination") != "cloudwatch")


@pytest.fixture(scope="session", params=S3_CONFIGS)
def any_synth(request: pytest.FixtureRequest, synth_config: Callable[[str], Synth]) -> Synth:
    return synth_config(request.param)


@pytest.fixture(scope="session")
def default_synth(synth_config: Callable[[str], Synth]) -> Synth:
    return synth_config("default")


@pytest.fixture(scope="session")
def text_kms_synth(synth_config: Callable[[str], Synth]) -> Synth:
    return synth_config("text_kms")


@pytest.fixture(scope="session")
def eni_reject_synth(synth_config: Callable[[str], Synth]) -> Synth:
    return synth_config("eni_reject")
