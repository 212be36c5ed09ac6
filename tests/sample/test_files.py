"""The sample's files: S3 layout, file names, headers, versions and Parquet types, from the raw files.

Expected folders, file names, headers and Parquet types are spelled here from the reference facts
(sections 1 and 2), not taken from flowkit.layout or flowkit.fields.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from flowkit.catalogue import PRESETS
from flowkit.layout import Layout, parse_key
from flowkit.sample import write_sample
from tests.sample.helpers import NOW, Sample, files_under, text_files, text_records

PREFIX = "cases/demo-42"

V2 = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
      "action log-status")
V5 = (V2 + " vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
      "sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path")
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


def parquet_records(root: Path) -> list[tuple[str, str, str, int]]:
    """(relative path, account_id, region, end) for every Parquet row."""
    con = duckdb.connect()
    rows = con.execute(
        "SELECT filename, account_id, region, \"end\" FROM read_parquet(?, filename=true, "
        "hive_partitioning=false)", [str(root / "**" / "*.parquet")]
    ).fetchall()
    con.close()
    return [(Path(f).relative_to(root).as_posix(), a, r, e) for f, a, r, e in rows]


LAYOUTS = [(fmt, hive, hourly) for fmt in ("text", "parquet") for hive in (False, True)
           for hourly in (False, True)]


@pytest.mark.parametrize(("fmt", "hive", "hourly"), LAYOUTS)
def test_every_record_sits_in_the_file_of_its_end_time(tmp_path: Path, fmt: str, hive: bool,
                                                       hourly: bool) -> None:
    prefix = PREFIX if hive else ""
    layout = Layout(fmt, hive, hourly, prefix)  # type: ignore[arg-type]
    summary = write_sample(tmp_path, days=1, now=NOW, layout=layout, flows_per_day=20)
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
    write_sample(tmp_path, days=1, now=NOW, layout=Layout("parquet", hive=False, hourly=False),
                 flows_per_day=5, fields=PRESETS["all"])
    first = sorted(tmp_path.rglob("*.log.parquet"))[0]
    con = duckdb.connect()
    schema = con.execute(
        "SELECT name, type, converted_type FROM parquet_schema(?) WHERE name <> 'duckdb_schema'", [str(first)]
    ).fetchall()
    rows = con.execute("SELECT count(*), count(srcaddr), min(version) FROM read_parquet(?)",
                       [str(tmp_path / "**" / "*.parquet")]).fetchone()
    con.close()
    assert len(schema) == 54  # every field of versions 2 to 11
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
    assert version == 11  # the newest field of the format is of version 11
