"""S3 key layouts: expected keys spelled from the reference file, section 2 (not from flowkit.layout)."""

import re
from datetime import UTC, datetime

import pytest

from flowkit.layout import Layout, parse_key, strftime_to_java

ACCOUNT, REGION = "123456789012", "ap-northeast-1"
WHEN = datetime(2024, 2, 29, 23, 58, 12, tzinfo=UTC)


def expected_prefix(hive: bool, hourly: bool, prefix: str) -> str:
    head = f"{prefix}/" if prefix else ""
    if hive:
        path = (
            f"{head}AWSLogs/aws-account-id={ACCOUNT}/aws-service=vpcflowlogs/aws-region={REGION}/"
            "year=2024/month=02/day=29/"
        )
        return path + ("hour=23/" if hourly else "")
    return f"{head}AWSLogs/{ACCOUNT}/vpcflowlogs/{REGION}/2024/02/29/" + ("23/" if hourly else "")


LAYOUTS = [
    (fmt, hive, hourly, prefix)
    for fmt in ("text", "parquet")
    for hive in (False, True)
    for hourly in (False, True)
    for prefix in ("", "investigations/case-42")
]


@pytest.mark.parametrize(("fmt", "hive", "hourly", "prefix"), LAYOUTS)
def test_key_prefix_and_file_name(fmt: str, hive: bool, hourly: bool, prefix: str) -> None:
    layout = Layout(fmt, hive, hourly, prefix)  # type: ignore[arg-type]
    assert layout.key_prefix_for(ACCOUNT, REGION, WHEN) == expected_prefix(hive, hourly, prefix)
    suffix = ".log.gz" if fmt == "text" else ".log.parquet"
    name = layout.file_name(ACCOUNT, REGION, "fl-0abc", WHEN, "1a2b3c4d")
    assert name == f"{ACCOUNT}_vpcflowlogs_{REGION}_fl-0abc_20240229T2355Z_1a2b3c4d{suffix}"
    info = parse_key(expected_prefix(hive, hourly, prefix) + name)
    assert info is not None
    assert (info.account, info.region, info.layout.hive, info.layout.hourly, info.layout.key_prefix,
            info.layout.file_format) == (
        ACCOUNT,
        REGION,
        hive,
        hourly,
        prefix,
        fmt,
    )
    assert info.when == datetime(2024, 2, 29, 23 if hourly else 0, tzinfo=UTC)
    assert info.layout == layout


@pytest.mark.parametrize(
    "key",
    [
        "AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/01/01/notes.txt",
        "AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/01/01/x.log.gz",
        "AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/13/01/x.log.gz",
        "AWSLogs/12345/vpcflowlogs/us-east-1/2024/01/01/x.log.gz",
        "athena-results/abc.csv",
    ],
)
def test_parse_key_rejects_other_objects(key: str) -> None:
    assert parse_key(key) is None


def test_delivery_prefix_is_hive_aware() -> None:
    assert Layout(hive=False, key_prefix="p").account_prefix(ACCOUNT) == f"p/AWSLogs/{ACCOUNT}/"
    assert Layout(hive=True).account_prefix(ACCOUNT) == f"AWSLogs/aws-account-id={ACCOUNT}/"


@pytest.mark.parametrize(
    ("pattern", "java"),
    [
        ("%Y/%m/%d", "yyyy/MM/dd"),
        ("%Y/%m/%d/%H", "yyyy/MM/dd/HH"),
        ("year=%Y/month=%m/day=%d", "'year='yyyy/'month='MM/'day='dd"),
        ("year=%Y/month=%m/day=%d/hour=%H", "'year='yyyy/'month='MM/'day='dd/'hour='HH"),
    ],
)
def test_java_patterns(pattern: str, java: str) -> None:
    assert strftime_to_java(pattern) == java


def test_time_values_cover_end_time_slack() -> None:
    hourly = Layout(hourly=True)
    since, until = datetime(2024, 3, 1, 22, 30, tzinfo=UTC), datetime(2024, 3, 2, 0, 0, tzinfo=UTC)
    # records starting 22:30..23:59:59 end at most ~10 minutes later: hours 22, 23 and 00 of the next day
    assert list(hourly.time_values(since, until)) == ["2024/03/01/22", "2024/03/01/23", "2024/03/02/00"]
    daily = Layout(hourly=False, hive=True)
    assert list(daily.time_values(since, until)) == ["year=2024/month=03/day=01", "year=2024/month=03/day=02"]


@pytest.mark.parametrize(("fmt", "hive", "hourly"), [
    (fmt, hive, hourly) for fmt in ("text", "parquet") for hive in (False, True) for hourly in (False, True)])
def test_projection_stays_inside_what_athena_and_trino_both_accept(fmt: str, hive: bool,
                                                                   hourly: bool) -> None:
    """Trino accepts relative ranges only as NOW-<n><unit>, interval units only DAYS/HOURS/MINUTES/SECONDS,
    and fails on a template placeholder that is not a partition column (athena-on-trino.md)."""
    params = Layout(fmt, hive, hourly, "p").projection_parameters("b", ["1"], ["r"], 31)  # type: ignore[arg-type]
    assert re.fullmatch(r"NOW-\d+DAYS,NOW", params["projection.dt.range"])
    assert params["projection.dt.interval.unit"] in ("DAYS", "HOURS")
    placeholders = set(re.findall(r"\$\{([^}]+)\}", params["storage.location.template"]))
    assert placeholders == {"aws_account", "aws_region", "dt"}
