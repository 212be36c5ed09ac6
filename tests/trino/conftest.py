"""The real-engine tier: ONE Trino server per test run, the synthesized table of every key layout.

Every test here is in the xdist group "trino" (make test runs xdist with --dist loadgroup), so one
worker runs them all against one server. Trino is installed by scripts/install-trino (cached in
~/.cache/flowkit-trino); a missing Java 25, Maven or registry fails the tier with that script's one
line, it is never skipped.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.expectations.buckets import SPECS
from tests.trino.client import TrinoClient
from tests.trino.deployment import Deployment, deploy
from tests.trino.server import TrinoServer

REPO = Path(__file__).resolve().parents[2]
INSTALL = REPO / "scripts" / "install-trino"
AGREED = pytest.StashKey[dict[str, list[str]]]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.xdist_group("trino"))


def pytest_configure(config: pytest.Config) -> None:
    config.stash[AGREED] = defaultdict(list)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    agreed = config.stash[AGREED]
    if agreed:
        terminalreporter.section("saved queries on Trino")
        for layout in sorted(agreed):
            terminalreporter.write_line(f"{layout}: {len(agreed[layout])} saved queries ran on Trino and "
                                        "agreed with the local engine and the expectations")


@pytest.fixture(scope="session")
def agreed(pytestconfig: pytest.Config) -> dict[str, list[str]]:
    return pytestconfig.stash[AGREED]


@pytest.fixture(scope="session")
def trino_home() -> Path:
    done = subprocess.run([str(INSTALL)], capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.fail(f"Trino could not be installed: {last}", pytrace=False)
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def trino(trino_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrinoServer]:
    server = TrinoServer(home=trino_home, base=tmp_path_factory.mktemp("trino"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def deployment(trino: TrinoServer, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Deployment]:
    """``deployment(layout)``: that layout's investigation, deployed into Trino on first use."""
    made: dict[str, Deployment] = {}

    def get(layout: str) -> Deployment:
        if layout not in made:
            made[layout] = deploy(SPECS[layout], trino.warehouse, trino.catalog_dir, trino.version,
                                  tmp_path_factory.mktemp(f"cdk-{layout}"))
        return made[layout]

    return get


def client_for(server: TrinoServer, found: Deployment) -> TrinoClient:
    return TrinoClient(server.url, schema=found.database)
