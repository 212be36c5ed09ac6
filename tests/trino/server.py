"""One Trino server for the test session: single node, bound to 127.0.0.1, only the Hive plugin.

Its one catalog (``awsdatacatalog``, Athena's default catalog name) uses the file metastore and the
local file system, so S3 locations become ``local:///<bucket>/<key>`` under ``<base>/warehouse``.
Java (Temurin 25) is started directly with the command line bin/launcher builds (the jar-assembled
483 has no launcher), in the background; ``start()`` returns once the server can schedule a scan,
``stop()`` ends it by its pid.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from tests.trino.client import CATALOG, TrinoClient, TrinoQueryFailed

DEFAULT_JAVA_HOME = Path("/usr/lib/jvm/temurin-25-jdk-amd64")


class TrinoStartError(RuntimeError):
    """Trino did not come up; the message carries the tail of its server log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _props(values: dict[str, str]) -> str:
    return "".join(f"{key}={value}\n" for key, value in values.items())


def server_version(home: Path) -> str:
    """The version the server reports (and writes into file-metastore JSON), from lib/trino-main-<v>.jar."""
    for jar in (home / "lib").glob("io.trino*trino-main-*.jar"):  # io.trino_ packaged, io.trino. assembled
        return jar.name.rsplit("trino-main-", 1)[1].removesuffix(".jar")
    raise FileNotFoundError(f"no io.trino*trino-main-*.jar in {home / 'lib'}")


def _local_fs_properties(version: str) -> dict[str, str]:
    # 482+ renamed fs.native-local.enabled to fs.local.enabled (see FINDINGS.md).
    enabled_key = "fs.local.enabled" if int(version) >= 482 else "fs.native-local.enabled"
    return {enabled_key: "true"}


@dataclass
class TrinoServer:
    home: Path
    base: Path
    java_home: Path = DEFAULT_JAVA_HOME
    heap: str = "2G"
    port: int = 0
    startup_timeout_s: float = 180.0
    extra_catalog_properties: dict[str, str] = field(default_factory=dict)
    extra_jvm_options: list[str] = field(default_factory=list)
    pid: int | None = None
    startup_seconds: float | None = None
    info_seconds: float | None = None
    not_ready_probes: int = 0
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def etc(self) -> Path:
        return self.base / "etc"

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def warehouse(self) -> Path:
        """local.location: the root that local:/// and file:/// locations resolve under."""
        return self.base / "warehouse"

    @property
    def catalog_dir(self) -> Path:
        """hive.metastore.catalog.dir on disk (local:///metastore)."""
        return self.warehouse / "metastore"

    @property
    def pid_file(self) -> Path:
        return self.data / "var" / "run" / "launcher.pid"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def client(self) -> TrinoClient:
        return TrinoClient(self.url)

    @property
    def version(self) -> str:
        return server_version(self.home)

    # ---------------------------------------------------------------- configuration
    def write_config(self) -> None:
        if self.port == 0:
            self.port = free_port()
        for folder in (self.etc / "catalog", self.data, self.catalog_dir, self.base / "plugins"):
            folder.mkdir(parents=True, exist_ok=True)
        # plugin.dir holding only the Hive plugin: the core tarball's other plugins are not loaded.
        hive_link = self.base / "plugins" / "hive"
        if hive_link.is_symlink() or hive_link.exists():
            hive_link.unlink()  # always re-point: a stale link to another release fails the SPI check
        hive_link.symlink_to(self.home / "plugin" / "hive", target_is_directory=True)

        (self.etc / "node.properties").write_text(_props({
            "node.environment": "flowkit_test",
            "node.id": "flowkit-test-node",
            "node.data-dir": str(self.data),
            "node.bind-ip": "127.0.0.1",
            "node.internal-address": "127.0.0.1",
        }))
        (self.etc / "jvm.config").write_text("\n".join([
            "-server",
            f"-Xmx{self.heap}",
            "-Xms256M",
            "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:ReservedCodeCacheSize=256M",
            "-XX:ActiveProcessorCount=2",
            # C1 only: about 40 % faster to queryable on 2 cores; test data is tiny, so C2 never pays off
            "-XX:TieredStopAtLevel=1",
            "-Djdk.attach.allowAttachSelf=true",
            "-Duser.timezone=UTC",
            "-Dfile.encoding=UTF-8",
            "--add-modules=jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            *self.extra_jvm_options,
            "",
        ]))
        (self.etc / "config.properties").write_text(_props({
            "coordinator": "true",
            "node-scheduler.include-coordinator": "true",
            "http-server.http.port": str(self.port),
            "discovery.uri": self.url,
            "plugin.dir": str(self.base / "plugins"),
            "catalog.config-dir": str(self.etc / "catalog"),
            "query.max-memory": "1GB",
            "query.max-memory-per-node": "1GB",
            "web-ui.enabled": "false",
            "http-server.log.enabled": "false",
            "task.concurrency": "2",
            "task.max-worker-threads": "4",
        }))
        (self.etc / "log.properties").write_text("io.trino=INFO\n")
        (self.etc / "catalog" / f"{CATALOG}.properties").write_text(_props({
            "connector.name": "hive",
            "hive.metastore": "file",
            "hive.metastore.catalog.dir": "local:///metastore",
            **_local_fs_properties(self.version),
            "local.location": str(self.warehouse),
            # Athena returns no rows for a projected partition without objects; Trino fails without this.
            "hive.ignore-absent-partitions": "true",
            # the planner would ask the file metastore for statistics of every projected partition
            # (PartitionNotFoundException WARN + stack trace per query); tests need no statistics
            "hive.table-statistics-enabled": "false",
            **self.extra_catalog_properties,
        }))

    # ---------------------------------------------------------------- lifecycle
    def main_class(self) -> str:
        """io.trino.server.TrinoServer in the packaged server; our stand-in in a jar-assembled one."""
        marker = self.home / "lib" / "flowkit-trino-main.jar"
        return "flowkit.trino.TrinoMain" if marker.exists() else "io.trino.server.TrinoServer"

    def command(self) -> list[str]:
        """The java command bin/launcher builds (checked against launcher 304 for 476), minus the launcher."""
        jvm_options = [line.strip() for line in (self.etc / "jvm.config").read_text().splitlines()
                       if line.strip() and not line.startswith("#")]
        node_lines = (self.etc / "node.properties").read_text().splitlines()
        node = dict(line.split("=", 1) for line in node_lines if line)
        return [
            str(self.java_home / "bin" / "java"), "-cp", str(self.home / "lib" / "*"), *jvm_options,
            f"-Dlog.output-file={self.log_file}", "-Dlog.enable-console=false",
            f"-Dconfig={self.etc / 'config.properties'}", f"-Dlog.levels-file={self.etc / 'log.properties'}",
            *(f"-D{key}={value}" for key, value in node.items()),
            self.main_class(),
        ]

    @property
    def log_file(self) -> Path:
        return self.data / "var" / "log" / "server.log"

    def server_log(self, lines: int = 40) -> str:
        log = self.log_file
        if not log.exists():
            return "(no server.log)"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    def info(self) -> dict[str, object] | None:
        try:
            with urllib.request.urlopen(f"{self.url}/v1/info", timeout=2) as response:
                return dict(json.load(response))
        except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
            return None

    def start(self) -> TrinoServer:
        if not (self.java_home / "bin" / "java").exists():
            raise TrinoStartError(f"Java 25 not found at {self.java_home}")
        self.write_config()
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        with open(self.data / "var" / "log" / "launcher.log", "ab") as console:
            process = subprocess.Popen(  # background, own session: outlives this script in CLI mode
                self.command(), cwd=self.data, stdin=subprocess.DEVNULL, stdout=console, stderr=console,
                env={**os.environ, "JAVA_HOME": str(self.java_home)}, start_new_session=True,
            )
        self._process = process
        self.pid = process.pid
        self.pid_file.write_text(f"{self.pid}\n")
        deadline = began + self.startup_timeout_s
        while time.monotonic() < deadline:
            info = self.info()
            if info is not None and info.get("starting") is False:
                self.info_seconds = time.monotonic() - began
                self.wait_until_queryable(deadline)
                self.startup_seconds = time.monotonic() - began
                return self
            if not _alive(self.pid):
                raise TrinoStartError(f"Trino exited during startup:\n{self.server_log()}")
            time.sleep(0.25)
        self.stop()
        raise TrinoStartError(f"Trino not started after {self.startup_timeout_s:.0f} s:\n{self.server_log()}")

    # ---------------------------------------------------------------- readiness
    def wait_until_queryable(self, deadline: float, consecutive: int = 3) -> None:
        """/v1/info "starting": false is not enough: for a few seconds after it a table scan can fail
        with NO_NODES_AVAILABLE (the node is not yet, or not stably, in the scheduler's node set).
        Scan an empty probe table until it succeeds `consecutive` times in a row, then drop it."""
        schema = "flowkit_readiness_probe"
        self.client.run(f"CREATE SCHEMA IF NOT EXISTS {CATALOG}.{schema}")
        self.client.run(f"CREATE TABLE IF NOT EXISTS {CATALOG}.{schema}.probe (x integer)")
        successes = 0
        while successes < consecutive:
            try:
                self.client.run(f"SELECT count(*) FROM {CATALOG}.{schema}.probe")
                successes += 1
            except TrinoQueryFailed as failure:
                if failure.name != "NO_NODES_AVAILABLE" or time.monotonic() > deadline:
                    raise TrinoStartError(f"probe query failed: {failure}") from failure
                successes = 0
                self.not_ready_probes += 1
                time.sleep(0.5)
        self.client.run(f"DROP TABLE {CATALOG}.{schema}.probe")
        self.client.run(f"DROP SCHEMA {CATALOG}.{schema}")

    def stop(self, timeout_s: float = 30.0) -> None:
        pid = self.pid
        if pid is None and self.pid_file.exists():
            pid = int(self.pid_file.read_text().strip() or 0) or None
        if pid is None or not _alive(pid):
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        if self._process is not None:
            self._process.wait(timeout=10)  # reap our own child
            self._process = None
        self.pid = None

    def rss_mb(self) -> float | None:
        if self.pid is None:
            return None
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except FileNotFoundError:
            return None
        return None

    def __enter__(self) -> TrinoServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child still answers kill 0
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"
