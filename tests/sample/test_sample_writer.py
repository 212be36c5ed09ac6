"""The sample writer: S3 layout, file contents and incidents, all checked from the raw files.

Expected folders, file names, headers and Parquet types are spelled here from the reference facts
(sections 1 and 2), not taken from flowkit.layout or flowkit.fields.
"""

from __future__ import annotations

import gzip
import ipaddress
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from flowkit.catalogue import PRESETS
from flowkit.layout import Layout, parse_key
from flowkit.sample import SampleError, SampleSummary, write_sample

# A window that crosses midnight, a month end and a leap day.
NOW = datetime(2024, 3, 1, 2, tzinfo=UTC)
SINCE = NOW - timedelta(days=1)
PREFIX = "cases/demo-42"
Sample = tuple[Path, SampleSummary]

V2 = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
      "action log-status")
V5 = (V2 + " vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
      "sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path")
NOT_APPLICABLE_WITHOUT_DATA = ("srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes",
                               "action")
INT32 = {"version", "srcport", "dstport", "protocol", "tcp_flags", "traffic_path"}
INT64 = {"packets", "bytes", "start", "end"}


def expected_folder(account: str, region: str, end: int, hive: bool, hourly: bool, prefix: str) -> str:
    """The folder AWS files a record in: the day (or hour) of its END time (reference section 2)."""
    t = datetime.fromtimestamp(end, UTC)
    head = f"{prefix}/" if prefix else ""
    if hive:
        folder = (f"{head}AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/"
                  f"year={t.year:04d}/month={t.month:02d}/day={t.day:02d}/")
        return folder + (f"hour={t.hour:02d}/" if hourly else "")
    folder = f"{head}AWSLogs/{account}/vpcflowlogs/{region}/{t.year:04d}/{t.month:02d}/{t.day:02d}/"
    return folder + (f"{t.hour:02d}/" if hourly else "")


def expected_stamp(end: int) -> str:
    t = datetime.fromtimestamp(end - end % 300, UTC)
    return f"{t.year:04d}{t.month:02d}{t.day:02d}T{t.hour:02d}{t.minute:02d}Z"


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def text_files(root: Path) -> Iterator[tuple[str, list[str]]]:
    for rel in files_under(root):
        with gzip.open(root / rel, "rt") as handle:
            yield rel, handle.read().splitlines()


def text_records(root: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """(relative path, record as {hyphenated field: value}) for every data line."""
    for rel, lines in text_files(root):
        names = lines[0].split(" ")
        for line in lines[1:]:
            yield rel, dict(zip(names, line.split(" "), strict=True))


def parquet_records(root: Path) -> list[tuple[str, str, str, int]]:
    """(relative path, account_id, region, end) for every Parquet row."""
    con = duckdb.connect()
    rows = con.execute(
        "SELECT filename, account_id, region, \"end\" FROM read_parquet(?, filename=true, "
        "hive_partitioning=false)", [str(root / "**" / "*.parquet")]
    ).fetchall()
    con.close()
    return [(Path(f).relative_to(root).as_posix(), a, r, e) for f, a, r, e in rows]


@pytest.fixture(scope="module")
def text_sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    root = tmp_path_factory.mktemp("text")
    return root, write_sample(root, days=1, now=NOW)


@pytest.fixture(scope="module")
def records(text_sample: Sample) -> list[dict[str, str]]:
    return [rec for _, rec in text_records(text_sample[0])]


LAYOUTS = [(fmt, hive, hourly) for fmt in ("text", "parquet") for hive in (False, True)
           for hourly in (False, True)]


@pytest.mark.parametrize(("fmt", "hive", "hourly"), LAYOUTS)
def test_every_record_sits_in_the_file_of_its_end_time(tmp_path: Path, fmt: str, hive: bool,
                                                       hourly: bool) -> None:
    prefix = PREFIX if hive else ""
    summary = write_sample(tmp_path, days=1, now=NOW, file_format=fmt, hive=hive, hourly=hourly,  # type: ignore[arg-type]
                           key_prefix=prefix, flows_per_day=20)
    keys = files_under(tmp_path)
    assert len(keys) == summary.files > 0
    suffix = ".log.gz" if fmt == "text" else ".log.parquet"
    for key in keys:
        info = parse_key(key)
        assert info is not None, key
        assert info.layout == Layout(fmt, hive, hourly, prefix)  # type: ignore[arg-type]
        assert key.endswith(suffix)
    if fmt == "text":
        rows = [(rel, r["account-id"], r["region"], int(r["end"])) for rel, r in text_records(tmp_path)]
    else:
        rows = parquet_records(tmp_path)
    assert len(rows) == summary.records
    for rel, account, region, end in rows:
        folder, name = rel.rsplit("/", 1)
        assert folder + "/" == expected_folder(account, region, end, hive, hourly, prefix)
        assert name.startswith(f"{account}_vpcflowlogs_{region}_fl-")
        assert name.split("_")[4] == expected_stamp(end)


def test_text_files_have_the_header_and_its_field_count(text_sample: Sample) -> None:
    root, summary = text_sample
    count = 0
    for rel, lines in text_files(root):
        assert lines[0] == V5, rel
        assert len(lines) > 1, rel
        for line in lines[1:]:
            assert len(line.split(" ")) == 29, (rel, line)
            assert line.split(" ")[0] == "5"  # custom format: the highest version among its fields
        count += len(lines) - 1
    assert count == summary.records
    assert 1000 <= count <= 5000  # "a few thousand records per day"


def test_default_format_has_version_2_and_14_fields(tmp_path: Path) -> None:
    write_sample(tmp_path, days=1, now=NOW, fields=PRESETS["aws-default"], flows_per_day=10)
    for _, lines in text_files(tmp_path):
        assert lines[0] == V2
        assert all(len(line.split(" ")) == 14 and line.startswith("2 ") for line in lines[1:])


def test_one_interface_per_file_and_records_inside_the_window(records: list[dict[str, str]],
                                                              text_sample: Sample) -> None:
    root, summary = text_sample
    for rel, lines in text_files(root):
        assert len({line.split(" ")[2] for line in lines[1:]}) == 1, rel
    starts = [int(r["start"]) for r in records]
    ends = [int(r["end"]) for r in records]
    assert min(starts) >= SINCE.timestamp() and max(ends) < NOW.timestamp()
    assert all(0 <= e - s < 60 for s, e in zip(starts, ends, strict=True))  # 60 s aggregation
    assert summary.first == datetime.fromtimestamp(min(starts), UTC)
    assert summary.last == datetime.fromtimestamp(max(ends), UTC)
    assert len({r["interface-id"] for r in records}) == 8
    assert sorted({r["account-id"] for r in records}) == sorted(summary.accounts)
    assert sorted({r["region"] for r in records}) == sorted(summary.regions)
    assert len(summary.accounts) == len(summary.regions) == 2
    assert all(len(a) == 12 and a.isdigit() for a in summary.accounts)


def test_nodata_and_skipdata_records(records: list[dict[str, str]]) -> None:
    statuses = Counter(r["log-status"] for r in records)
    assert set(statuses) == {"OK", "NODATA", "SKIPDATA"}
    for rec in records:
        if rec["log-status"] == "OK":
            assert all(rec[name] != "-" for name in NOT_APPLICABLE_WITHOUT_DATA)
        else:
            assert all(rec[name] == "-" for name in NOT_APPLICABLE_WITHOUT_DATA), rec
            assert rec["start"].isdigit() and rec["end"].isdigit()


def test_traffic_variety(records: list[dict[str, str]]) -> None:
    ok = [r for r in records if r["log-status"] == "OK"]
    assert {r["protocol"] for r in ok} >= {"1", "6", "17", "47", "58"}
    assert {r["type"] for r in ok} == {"IPv4", "IPv6"}
    assert {r["flow-direction"] for r in ok} == {"ingress", "egress"}
    assert {r["action"] for r in ok} == {"ACCEPT", "REJECT"}
    addresses = [ipaddress.ip_address(a) for r in ok for a in (r["srcaddr"], r["dstaddr"])]
    ula = ipaddress.ip_network("fc00::/7")
    assert any(a.version == 6 and a in ula for a in addresses)
    assert any(a.version == 6 and a.is_global for a in addresses)
    assert any(r["pkt-srcaddr"] != r["srcaddr"] for r in ok)
    assert {r["tcp-flags"] for r in ok if r["protocol"] == "6"} >= {"2", "3", "19"}
    assert all(r["traffic-path"] == "-" for r in ok if r["flow-direction"] == "ingress")
    assert all(r["traffic-path"] != "-" for r in ok if r["flow-direction"] == "egress")
    ports = {r["dstport"] for r in ok} | {r["srcport"] for r in ok}
    assert ports >= {"443", "80", "22", "3389", "5432", "3306", "53"}
    assert any(32768 <= int(r["srcport"]) <= 65535 for r in ok)
    v4 = [(ipaddress.ip_address(r["srcaddr"]), ipaddress.ip_address(r["dstaddr"]))
          for r in ok if r["type"] == "IPv4"]
    assert any(src.is_private and dst.is_global for src, dst in v4)
    assert any(src.is_global and dst.is_private for src, dst in v4)
    assert all(src.is_private or dst.is_private for src, dst in v4)  # one end is the interface


def test_records_crossing_an_hour_or_midnight_are_filed_by_end(text_sample: Sample) -> None:
    root, summary = text_sample
    crossing = [(rel, r) for rel, r in text_records(root)
                if int(r["start"]) // 3600 != int(r["end"]) // 3600]
    midnight = [(rel, r) for rel, r in crossing if int(r["start"]) // 86400 != int(r["end"]) // 86400]
    assert len(crossing) >= 20 and midnight
    assert (len(crossing), len(midnight)) == (summary.crossing_hour, summary.crossing_midnight)
    for rel, rec in midnight:  # daily layout: the file is in the day of the END time, not of the start
        end_day = datetime.fromtimestamp(int(rec["end"]), UTC)
        assert f"/{end_day:%Y/%m/%d}/" in rel


def test_parquet_schema_types(tmp_path: Path) -> None:
    write_sample(tmp_path, days=1, now=NOW, file_format="parquet", flows_per_day=5, fields=PRESETS["all"])
    first = sorted(tmp_path.rglob("*.log.parquet"))[0]
    con = duckdb.connect()
    schema = con.execute(
        "SELECT name, type, converted_type FROM parquet_schema(?) WHERE name <> 'duckdb_schema'", [str(first)]
    ).fetchall()
    rows = con.execute("SELECT count(*), count(srcaddr), min(version) FROM read_parquet(?)",
                       [str(tmp_path / "**" / "*.parquet")]).fetchone()
    con.close()
    assert len(schema) == 40
    for name, physical, converted in schema:
        assert "-" not in name
        if name in INT32:
            assert (physical, converted) == ("INT32", "INT_32"), name
        elif name in INT64:
            assert (physical, converted) == ("INT64", "INT_64"), name
        else:
            assert (physical, converted) == ("BYTE_ARRAY", "UTF8"), name
    assert rows is not None
    total, with_address, version = rows
    assert total > with_address > 0  # NODATA/SKIPDATA: '-' is written as NULL
    assert version == 8


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    def contents(root: Path, seed: int) -> dict[str, bytes]:
        write_sample(root, days=1, now=NOW, seed=seed, flows_per_day=50)
        return {rel: (root / rel).read_bytes() for rel in files_under(root)}

    first = contents(tmp_path / "a", 7)
    assert first == contents(tmp_path / "b", 7)
    assert first != contents(tmp_path / "c", 8)


def sources_by(records: list[dict[str, str]], **match: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for rec in records:
        if rec["log-status"] == "OK" and all(rec[k.replace("_", "-")] == v for k, v in match.items()):
            out[rec["srcaddr"]].append(rec)
    return out


def incident(summary: SampleSummary, start: str) -> str:
    lines = [line for line in summary.incidents if line.startswith(start)]
    assert len(lines) == 1, summary.incidents
    return lines[0]


def test_port_scan(records: list[dict[str, str]], text_sample: Sample) -> None:
    ports: dict[tuple[str, str], set[str]] = defaultdict(set)
    for src, recs in sources_by(records, action="REJECT", protocol="6").items():
        for rec in recs:
            ports[(src, rec["dstaddr"])].add(rec["dstport"])
    (scanner, target), scanned = max(ports.items(), key=lambda item: len(item[1]))
    assert len(scanned) >= 40
    line = incident(text_sample[1], "port scan")
    assert f"{scanner} -> {target} " in line


def test_ssh_brute_force_and_rdp(records: list[dict[str, str]], text_sample: Sample) -> None:
    rejected = {s: len(r) for s, r in sources_by(records, dstport="22", action="REJECT").items()}
    accepted = sources_by(records, dstport="22", action="ACCEPT", flow_direction="ingress")
    attacker = max(rejected, key=lambda s: rejected[s])
    assert rejected[attacker] >= 50 and len(accepted[attacker]) >= 1
    assert ipaddress.ip_address(attacker).is_global
    assert attacker in incident(text_sample[1], "SSH brute force")
    rdp = {s: len(r) for s, r in sources_by(records, dstport="3389", action="REJECT").items()}
    heavy = max(rdp, key=lambda s: rdp[s])
    assert rdp[heavy] >= 10 and heavy in incident(text_sample[1], "RDP attempts")


def test_large_transfer_and_database_from_outside(records: list[dict[str, str]],
                                                  text_sample: Sample) -> None:
    big = [r for r in records if r["log-status"] == "OK" and int(r["bytes"]) > 600_000_000]
    assert len(big) == 1
    line = incident(text_sample[1], "large transfer")
    assert f"{big[0]['srcaddr']} -> {big[0]['dstaddr']}:{big[0]['dstport']}" in line
    outside = [r for r in records if r["log-status"] == "OK" and r["dstport"] in ("3306", "5432", "1433")
               and r["action"] == "ACCEPT" and ipaddress.ip_address(r["srcaddr"]).is_global]
    assert outside
    assert outside[0]["srcaddr"] in incident(text_sample[1], "database port from outside")


def test_summary_lines(text_sample: Sample) -> None:
    root, summary = text_sample
    text = "\n".join(summary.lines())
    assert f"{summary.records} records in {summary.files} files" in text
    assert all(line in text for line in summary.incidents) and len(summary.incidents) == 5
    assert summary.files == len(files_under(root))


@pytest.mark.parametrize(("kwargs", "problem"), [
    ({"days": 0}, "days"),
    ({"file_format": "csv"}, "file format"),
    ({"fields": ()}, "field list"),
    ({"flows_per_day": -1}, "flows per day"),
])
def test_bad_arguments(tmp_path: Path, kwargs: dict[str, object], problem: str) -> None:
    with pytest.raises(SampleError, match=problem):
        write_sample(tmp_path, now=NOW, **kwargs)  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())
