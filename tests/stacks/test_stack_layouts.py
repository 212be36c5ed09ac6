"""Partition projection vs the keys AWS writes, for all 8 layouts, with and without a key prefix, for the
VPC flow logs' table and the transit gateway flow logs' one (under its own folder).

The dt value is computed by a tiny independent Java DateTimeFormatter interpreter and the expected
prefixes are spelled from the VPC user guide's key layouts (reference file, section 2). The saved
queries' dt bounds (Trino ``date_format``) are checked against the projection with a second tiny
interpreter: a pattern mismatch would make Athena silently return zero rows.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.documented import TRANSIT_GATEWAY_FORMAT

pytestmark = pytest.mark.slow

ACCOUNT = "123456789012"
REGION = "eu-west-1"
BUCKET = "my-flow-bucket"
WHEN = datetime(2024, 5, 1, 13, 0, tzinfo=UTC)
PREFIX = "team/net-flows"

LAYOUTS = list(itertools.product(("text", "parquet"), (False, True), (False, True), ("", PREFIX)))


def java_format(pattern: str, when: datetime) -> str:
    """Format ``when`` with a Java DateTimeFormatter pattern (yyyy MM dd HH, quoted literals, '/' '-')."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            end = i + 1
            literal = ""
            while True:
                end = pattern.index("'", end)
                if end + 1 < len(pattern) and pattern[end + 1] == "'":  # '' inside quotes
                    literal += pattern[i + 1:end] + "'"
                    i, end = end + 1, end + 2
                    continue
                literal += pattern[i + 1:end]
                break
            out.append(literal)
            i = end + 1
            continue
        if ch.isalpha():
            run = re.match(rf"{ch}+", pattern[i:])
            assert run is not None
            token = run.group(0)
            values = {"yyyy": f"{when.year:04d}", "MM": f"{when.month:02d}", "dd": f"{when.day:02d}",
                      "HH": f"{when.hour:02d}"}
            assert token in values, f"unsupported pattern letters {token!r}"
            out.append(values[token])
            i += len(token)
            continue
        assert ch in "/-_=", f"unquoted literal {ch!r} in {pattern!r}"
        out.append(ch)
        i += 1
    return "".join(out)


def test_java_format_interpreter() -> None:
    assert java_format("yyyy/MM/dd/HH", WHEN) == "2024/05/01/13"
    assert java_format("'year='yyyy/'month='MM", WHEN) == "year=2024/month=05"
    assert java_format("'it''s'yyyy", WHEN) == "it's2024"


def trino_format(pattern: str, when: datetime) -> str:
    """Format ``when`` with a Trino/MySQL ``date_format`` pattern (%Y %m %d %H %%, other text literal)."""
    values = {"Y": f"{when.year:04d}", "m": f"{when.month:02d}", "d": f"{when.day:02d}",
              "H": f"{when.hour:02d}", "%": "%"}
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "%":
            spec = pattern[i + 1:i + 2]
            assert spec in values, f"unsupported specifier %{spec} in {pattern!r}"
            out.append(values[spec])
            i += 2
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def test_trino_format_interpreter() -> None:
    assert trino_format("%Y/%m/%d/%H", WHEN) == "2024/05/01/13"
    assert trino_format("year=%Y/month=%m/day=%d", WHEN) == "year=2024/month=05/day=01"
    assert trino_format("100%%-%H", WHEN) == "100%-13"


def _call_arguments(sql: str, start: int) -> list[str]:
    """Top-level arguments of the call whose ``(`` ends just before ``start`` (quotes and nesting aware)."""
    args: list[str] = []
    depth, quoted, begin = 0, False, start
    for i in range(start, len(sql)):
        ch = sql[i]
        if ch == "'":
            quoted = not quoted  # '' inside a literal toggles twice
        elif quoted:
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch == ")":
            return [*args, sql[begin:i].strip()]
        elif ch == "," and not depth:
            args.append(sql[begin:i].strip())
            begin = i + 1
    raise AssertionError(f"unclosed call at {start}")


def dt_patterns(sql: str) -> list[str]:
    """The pattern literal of every ``dt <op> date_format(<instant>, '<pattern>')`` in ``sql``."""
    patterns = []
    for match in re.finditer(r'(?:\bdt|"dt")\s*(?:>=|<=|<|>|=)\s*date_format\s*\(', sql, re.IGNORECASE):
        _instant, literal = _call_arguments(sql, match.end())
        assert literal.startswith("'") and literal.endswith("'"), literal
        patterns.append(literal[1:-1].replace("''", "'"))
    return patterns


def test_dt_patterns_extractor() -> None:
    sql = ("SELECT 1 FROM t WHERE (dt >= date_format(TIMESTAMP '2024-05-01 13:00:00', '%Y/%m')"
           " AND dt <= date_format(f(a, 'x,)') + INTERVAL '1' HOUR, 'it''s %H'))")
    assert dt_patterns(sql) == ["%Y/%m", "it's %H"]


def expected_prefix(hive: bool, hourly: bool, key_prefix: str) -> str:
    """Where AWS writes files for records ending in WHEN's hour (VPC user guide layouts; transit gateway
    flow logs write the same, their delivery's key prefix in front)."""
    root = f"{key_prefix}/AWSLogs/" if key_prefix else "AWSLogs/"
    if hive:
        path = (f"{root}aws-account-id={ACCOUNT}/aws-service=vpcflowlogs/aws-region={REGION}/"
                "year=2024/month=05/day=01/")
        return path + ("hour=13/" if hourly else "")
    return f"{root}{ACCOUNT}/vpcflowlogs/{REGION}/2024/05/01/" + ("13/" if hourly else "")


def _resolve(value: Any) -> str:
    """Template string with the bucket placeholder (cross-stack output) replaced by BUCKET."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return str(sep).join(_resolve(p) for p in parts)
    if "Fn::GetStackOutput" in value:
        return BUCKET
    raise AssertionError(f"unexpected intrinsic {value}")


def _context(fmt: str, hive: bool, hourly: bool, prefix: str) -> dict[str, Any]:
    index = LAYOUTS.index((fmt, hive, hourly, prefix))
    return {"investigation": f"layout{index}", "vpc_ids": ["vpc-0a1b2c3d"], "file_format": fmt,
            "hive_partitions": hive, "per_hour_partitions": hourly, "key_prefix": prefix,
            "tgw_attachment_ids": ["tgw-attach-0a1b2c3d"]}


Layouts = dict[tuple[str, bool, bool, str], Any]


@pytest.fixture(scope="module")
def layout_synths(tmp_path_factory: pytest.TempPathFactory,
                  feature_flags: dict[str, Any]) -> dict[str, Layouts]:
    """Per table name, the table properties of one synth per layout (no queries, no nag)."""
    from aws_cdk import App

    from flowkit.settings import load
    from stacks import build

    tables: dict[str, Layouts] = {}
    for index, (fmt, hive, hourly, prefix) in enumerate(LAYOUTS):
        settings = load(_context(fmt, hive, hourly, prefix))
        outdir: Path = tmp_path_factory.mktemp(f"layout{index}")
        app = App(outdir=str(outdir), context=feature_flags)
        kit = build(app, settings, [], nag=False)
        template = app.synth().get_stack_by_name(kit.analytics.stack_name).template
        for table in (r for r in template["Resources"].values() if r["Type"] == "AWS::Glue::Table"):
            tables.setdefault(table["Properties"]["TableInput"]["Name"], {})[(fmt, hive, hourly, prefix)] = (
                table["Properties"]["TableInput"])
    assert sorted(tables) == ["flow_logs", "flow_logs_tgw"]
    return tables


@pytest.fixture(scope="module")
def layout_tables(layout_synths: dict[str, Layouts]) -> Layouts:
    return layout_synths["flow_logs"]


@pytest.fixture(scope="module")
def transit_tables(layout_synths: dict[str, Layouts]) -> Layouts:
    return layout_synths["flow_logs_tgw"]


@pytest.mark.parametrize(("fmt", "hive", "hourly", "prefix"), LAYOUTS)
def test_projection_finds_the_keys_aws_writes(layout_tables: Any, fmt: str, hive: bool, hourly: bool,
                                              prefix: str) -> None:
    params = layout_tables[(fmt, hive, hourly, prefix)]["Parameters"]
    dt = java_format(params["projection.dt.format"], WHEN)
    template = _resolve(params["storage.location.template"])
    for column in ("aws_account", "aws_region", "dt"):
        assert template.count("${" + column + "}") == 1
    location = (template.replace("${aws_account}", ACCOUNT).replace("${aws_region}", REGION)
                .replace("${dt}", dt))
    assert location == f"s3://{BUCKET}/{expected_prefix(hive, hourly, prefix)}"
    assert params["projection.dt.interval"] == "1"
    assert params["projection.dt.interval.unit"] == ("HOURS" if hourly else "DAYS")
    assert params["projection.dt.type"] == "date"
    assert params["projection.aws_account.type"] == params["projection.aws_region.type"] == "enum"


@pytest.mark.parametrize(("fmt", "hive", "hourly", "prefix"), LAYOUTS)
def test_table_location_is_the_log_root(layout_tables: Any, fmt: str, hive: bool, hourly: bool,
                                        prefix: str) -> None:
    table = layout_tables[(fmt, hive, hourly, prefix)]
    root = f"{prefix}/AWSLogs/" if prefix else "AWSLogs/"
    assert _resolve(table["StorageDescriptor"]["Location"]) == f"s3://{BUCKET}/{root}"
    serde = table["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"]
    assert ("Parquet" in serde) == (fmt == "parquet")


def test_dt_values_sort_like_time(layout_tables: Any) -> None:
    """dt is compared with >= / <= by the saved queries, so its text order must be time order."""
    later = datetime(2024, 11, 30, 9, tzinfo=UTC)
    for params in (t["Parameters"] for t in layout_tables.values()):
        pattern = params["projection.dt.format"]
        assert java_format(pattern, WHEN) < java_format(pattern, later)


@pytest.mark.parametrize(("fmt", "hive", "hourly", "prefix"), LAYOUTS)
def test_saved_query_dt_bounds_use_the_projection_format(layout_tables: Any, fmt: str, hive: bool,
                                                          hourly: bool, prefix: str) -> None:
    """Every saved query's dt bounds spell instants exactly like the projected (and written) dt values."""
    from flowkit import queries
    from flowkit.settings import load

    projection = layout_tables[(fmt, hive, hourly, prefix)]["Parameters"]["projection.dt.format"]
    ctx = queries.context_for(load(_context(fmt, hive, hourly, prefix)))
    since, until = datetime(2024, 5, 1, 13, tzinfo=UTC), datetime(2024, 5, 3, 7, tzinfo=UTC)
    available = [t for t in queries.load_catalogue() if queries.is_available(t, ctx)]
    assert available
    found = set()
    for template in available:
        patterns = dt_patterns(queries.render(template, ctx, since=since, until=until))
        assert len(patterns) >= 2, f"{template.name}: no dt range"  # a lower and an upper bound
        found.update(patterns)
    (pattern,) = found
    for when in (since, until, datetime(2025, 12, 31, 23, tzinfo=UTC), datetime(2026, 1, 2, 3, tzinfo=UTC)):
        assert trino_format(pattern, when) == java_format(projection, when), (pattern, projection)


# -- the transit gateway flow logs' table ------------------------------------------------------------------
def transit_prefix(key_prefix: str) -> str:
    """The kit delivers transit gateway flow logs under ``transit-gateway/`` after the key prefix."""
    return f"{key_prefix}/transit-gateway" if key_prefix else "transit-gateway"


@pytest.mark.parametrize(("fmt", "hive", "hourly", "prefix"), LAYOUTS)
def test_transit_projection_finds_the_keys_aws_writes(layout_tables: Any, transit_tables: Any, fmt: str,
                                                      hive: bool, hourly: bool, prefix: str) -> None:
    params = transit_tables[(fmt, hive, hourly, prefix)]["Parameters"]
    template = _resolve(params["storage.location.template"])
    for column in ("aws_account", "aws_region", "dt"):
        assert template.count("${" + column + "}") == 1
    dt = java_format(params["projection.dt.format"], WHEN)
    location = (template.replace("${aws_account}", ACCOUNT).replace("${aws_region}", REGION)
                .replace("${dt}", dt))
    assert location == f"s3://{BUCKET}/{expected_prefix(hive, hourly, transit_prefix(prefix))}"
    # projected exactly as the VPC table is, from the same settings
    vpc = layout_tables[(fmt, hive, hourly, prefix)]["Parameters"]
    template_key = "storage.location.template"
    assert {k: v for k, v in params.items() if k != template_key} == {
        k: v for k, v in vpc.items() if k != template_key}


@pytest.mark.parametrize(("fmt", "hive", "hourly", "prefix"), LAYOUTS)
def test_transit_table_reads_only_its_folder(layout_tables: Any, transit_tables: Any, fmt: str, hive: bool,
                                             hourly: bool, prefix: str) -> None:
    table = transit_tables[(fmt, hive, hourly, prefix)]
    location = _resolve(table["StorageDescriptor"]["Location"])
    assert location == f"s3://{BUCKET}/{transit_prefix(prefix)}/AWSLogs/"
    # neither table's files are below the other's location
    vpc_location = _resolve(layout_tables[(fmt, hive, hourly, prefix)]["StorageDescriptor"]["Location"])
    assert not location.startswith(vpc_location) and not vpc_location.startswith(location)
    serde = table["StorageDescriptor"]["SerdeInfo"]
    assert ("Parquet" in serde["SerializationLibrary"]) == (fmt == "parquet")
    columns = [c["Name"] for c in table["StorageDescriptor"]["Columns"]]
    # text tables are positional: the columns follow the format the flow logs write
    assert columns == [name.replace("-", "_") for name in TRANSIT_GATEWAY_FORMAT]
    if fmt == "text":
        assert table["Parameters"]["skip.header.line.count"] == "1"
        assert serde["Parameters"]["serialization.null.format"] == "-"


@pytest.mark.parametrize(("fmt", "hive", "hourly", "prefix"), LAYOUTS)
def test_transit_queries_dt_bounds_use_the_projection_format(transit_tables: Any, fmt: str, hive: bool,
                                                            hourly: bool, prefix: str) -> None:
    from flowkit import queries
    from flowkit.settings import load

    projection = transit_tables[(fmt, hive, hourly, prefix)]["Parameters"]["projection.dt.format"]
    ctx = queries.transit_context_for(load(_context(fmt, hive, hourly, prefix)))
    since, until = datetime(2024, 5, 1, 13, tzinfo=UTC), datetime(2024, 5, 3, 7, tzinfo=UTC)
    available = [t for t in queries.load_all() if queries.is_available(t, ctx)]
    assert sorted(t.name for t in available) == ["tgw-bytes-per-hour", "tgw-flows-to-destination",
                                                 "tgw-packets-lost", "tgw-top-attachments", "tgw-vpc-to-vpc"]
    found = {p for t in available for p in dt_patterns(queries.render(t, ctx, since=since, until=until))}
    (pattern,) = found
    for when in (since, until, datetime(2026, 1, 2, 3, tzinfo=UTC)):
        assert trino_format(pattern, when) == java_format(projection, when), (pattern, projection)
