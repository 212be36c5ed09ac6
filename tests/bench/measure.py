"""One measurement per child process: the kit, DuckDB's own readers, gzip -dc, flowlogs-reader, a synth.

Each child reports its own timings and peak memory (``ru_maxrss``) as JSON on its last line; the
parent adds the wall time of the whole process, so process start-up is reported apart from engine time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.bench.data import Copy

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

# Peak resident memory of the child itself (VmHWM; ru_maxrss would include the parent's, across exec).
_PEAK = r"""
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
"""

_KIT = _PEAK + r"""
import json, sys, time
began = time.perf_counter()
from datetime import datetime
from pathlib import Path
from flowkit import queries
from flowkit.local import Window, run_saved
from flowkit.settings import load
EXAMPLE = {"ip": "10.0.0.1", "cidr": "10.0.0.0/8", "port_list": "22,443", "string": "eni-0000000000000040a"}
root, names, since, until = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = queries.context_for(load({"investigation": "bench", "vpc_ids": ["vpc-0a1b2c3d"], "log_fields": "v5"}))
window = Window(datetime.fromisoformat(since), datetime.fromisoformat(until))
templates = queries.load_catalogue() if names == "*" else [queries.find(n) for n in names.split(",")]
imported = time.perf_counter() - began
runs = []
for template in templates:
    params = {p.name: str(p.minimum if p.minimum is not None else 1) if p.kind == "int" else EXAMPLE[p.kind]
              for p in template.params if p.default is None}
    notes = []
    start = time.perf_counter()
    result = run_saved(template, ctx, root, params, window, notify=notes.append)
    runs.append({"query": template.name, "seconds": time.perf_counter() - start, "rows": len(result.rows),
                 "files": result.files_read, "first_rows": result.rows[:3]})
print(json.dumps({"runs": runs, "import_seconds": imported, "peak_mb": peak_mb()}, default=str))
"""

_DUCKDB = _PEAK + r"""
import json, sys, time
began = time.perf_counter()
import duckdb
fmt, listing, since, until = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
files = open(listing).read().split("\n")
types = json.loads(sys.argv[5])
paths = "[" + ", ".join("'" + f + "'" for f in files) + "]"
if fmt == "text":
    columns = "{" + ", ".join(f"'{n}': '{t}'" for n, t in types.items()) + "}"
    source = f"read_csv({paths}, delim=' ', header=true, nullstr='-', auto_detect=false, columns={columns})"
else:
    source = f"read_parquet({paths})"
sql = (f"SELECT srcaddr, sum(bytes) AS bytes, sum(packets) AS packets FROM {source} "
       f"WHERE log_status = 'OK' AND start >= {since} AND start < {until} "
       "GROUP BY srcaddr ORDER BY bytes DESC, srcaddr LIMIT 50")
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
start = time.perf_counter()
rows = con.execute(sql).fetchall()
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rows": len(rows), "first_rows": rows[:3],
                  "peak_mb": peak_mb()}))
"""

_READER = _PEAK + r"""
import json, sys, time
from datetime import datetime, timezone
from pathlib import Path
from flowlogs_reader import S3FlowLogsReader

class LocalS3:
    # The calls S3FlowLogsReader makes, answered from a local copy of the bucket.
    def __init__(self, root): self.root = Path(root)
    def list_objects_v2(self, Bucket, Prefix, Delimiter="/"):
        folder = self.root / Prefix
        found = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
        return {"CommonPrefixes": [{"Prefix": f"{Prefix}{name}/"} for name in found]}
    def get_paginator(self, name): return self
    def paginate(self, Bucket, Prefix):
        folder = self.root / Prefix
        found = folder.rglob("*.log.gz") if folder.is_dir() else []
        keys = sorted(str(p.relative_to(self.root)) for p in found)
        yield {"Contents": [{"Key": k} for k in keys]}
    def get_object(self, Bucket, Key):
        path = self.root / Key
        return {"Body": path.open("rb"), "ContentLength": path.stat().st_size}

root, since, until = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
reader = S3FlowLogsReader("bucket", boto_client=LocalS3(root),
                          start_time=datetime.utcfromtimestamp(since - 3600),
                          end_time=datetime.utcfromtimestamp(until + 3600))
totals = {}
for r in reader:
    if r.log_status == "OK" and since <= r.start.replace(tzinfo=timezone.utc).timestamp() < until:
        entry = totals.setdefault(r.srcaddr, [0, 0])
        entry[0] += r.bytes or 0
        entry[1] += r.packets or 0
rows = sorted(((a, b, p) for a, (b, p) in totals.items()), key=lambda x: (-x[1], x[0]))[:50]
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(rows), "first_rows": rows[:3],
                  "peak_mb": peak_mb()}))
"""


def child(code: str, *args: str, timeout: float = 900, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; its JSON report plus ``wall`` (the whole process)."""
    began = time.perf_counter()
    proc = subprocess.run([PYTHON, "-c", code, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO, env=env, check=False)
    wall = time.perf_counter() - began
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {proc.stderr.strip()[-1500:]}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["wall"] = wall
    return dict(report)


def kit(copy: Copy, names: str) -> dict[str, Any]:
    """Saved queries (comma-separated, or ``*`` for all) in one process over the copy's window."""
    report = child(_KIT, str(copy.root), names, copy.since.isoformat(), copy.until.isoformat())
    report["engine"] = sum(r["seconds"] for r in report["runs"])
    report["startup"] = report["wall"] - report["engine"]
    return report


def duckdb_reader(copy: Copy, types: dict[str, str], listing: Path) -> dict[str, Any]:
    """Top-talkers written for DuckDB's read_csv / read_parquet over the copy's files."""
    listing.write_text("\n".join(str(p) for p in copy.paths))
    return child(_DUCKDB, copy.file_format, str(listing), str(int(copy.since.timestamp())),
                 str(int(copy.until.timestamp())), json.dumps(types))


def flowlogs_reader(copy: Copy) -> dict[str, Any]:
    """Top-talkers with flowlogs-reader's S3 reader over the copy (a local stand-in for S3)."""
    return child(_READER, str(copy.root), str(int(copy.since.timestamp())), str(int(copy.until.timestamp())))


def gunzip(copy: Copy, parallel: int) -> float:
    """Seconds for ``gzip -dc`` of every file to /dev/null, one process or ``parallel`` at a time."""
    listing = "\0".join(str(p) for p in copy.paths)
    command = ["xargs", "-0", "-n", "64"] + (["-P", str(parallel)] if parallel > 1 else []) + ["gzip", "-dc"]
    began = time.perf_counter()
    subprocess.run(command, input=listing.encode(), stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - began


def synth(targets: int, outdir: Path, timeout: float) -> dict[str, Any]:
    """``python app.py`` with ``targets`` network interfaces to capture: seconds, or why it failed."""
    context = json.loads((REPO / "cdk.json").read_text())["context"]
    enis = [f"eni-{n:017x}" for n in range(1, targets + 1)]
    context.update({"vpc_ids": [], "subnet_ids": [], "eni_ids": enis})
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(context), "CDK_OUTDIR": str(outdir),
           "CDK_DEFAULT_ACCOUNT": "111122223333", "CDK_DEFAULT_REGION": "eu-west-1"}
    began = time.perf_counter()
    try:
        proc = subprocess.run([PYTHON, "app.py"], capture_output=True, text=True, timeout=timeout, cwd=REPO,
                              env=env, check=False)
    except subprocess.TimeoutExpired:
        return {"targets": targets, "seconds": None, "problem": f"no result within {timeout:.0f} s"}
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        return {"targets": targets, "seconds": None, "problem": (lines[-1] if lines else "failed")[:200]}
    return {"targets": targets, "seconds": seconds, "problem": ""}
