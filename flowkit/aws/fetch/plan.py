"""Which objects a time window needs: the window planner of ``flowlogs fetch``.

Only the exact time folders of the window are listed (``layout.time_values``, which includes the
one-hour END-time slack), under accounts and regions found by listing with ``Delimiter='/'`` at the
log root; the bucket is never listed whole.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from flowkit.aws.deployed import Storage, lookup_storage
from flowkit.aws.fetch.errors import FetchAborted, FetchError
from flowkit.aws.fetch.watch import Watch, parallel, unreachable
from flowkit.aws.session import describe_error
from flowkit.layout import SERVICE, Layout, normalize_prefix, parse_key

ACCOUNT_RE = re.compile(r"^\d{12}$")
REGION_RE = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")
FAILED_LINES = 10  # failed downloads named one per line; the rest are counted


@dataclass(frozen=True)
class RemoteObject:
    key: str
    size: int
    etag: str  # without quotes


@dataclass
class FetchSummary:
    """What a fetch did. ``failed`` holds (key, reason) of downloads that did not complete."""

    accounts: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    prefixes_listed: int = 0
    objects_listed: int = 0
    ignored: list[str] = field(default_factory=list)  # listed keys that are not flow logs of the layout
    other_style: bool = False  # the log root holds account folders of the other Hive style
    objects: int = 0  # flow log files of the window
    bytes: int = 0  # ... and their size
    downloaded: int = 0
    skipped: int = 0
    bytes_downloaded: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable report, one fact per line."""
        out = [
            f"accounts: {', '.join(self.accounts) or 'none found'}; "
            f"regions: {', '.join(self.regions) or 'none'}",
            f"listed {self.objects_listed} object(s) under {self.prefixes_listed} prefix(es)",
            f"downloaded {self.downloaded} file(s), {self.bytes_downloaded} bytes; "
            f"skipped {self.skipped} already present",
        ]
        if self.ignored:
            out.append(f"ignored {len(self.ignored)} object(s) that are not flow log files of this layout, "
                       f"e.g. {self.ignored[0]}")
        for key, reason in self.failed[:FAILED_LINES]:
            out.append(f"FAILED {key}: {reason}")
        if len(self.failed) > FAILED_LINES:
            out.append(f"FAILED {len(self.failed) - FAILED_LINES} more download(s)")
        return out


def resolve_storage(session: Any, *, investigation: str | None = None, bucket: str | None = None,
                    layout: Layout | None = None) -> Storage:
    """Bucket and layout from a deployed investigation's outputs, or a bucket and the layout given."""
    if investigation and bucket:
        raise FetchError("give either --investigation or --bucket, not both")
    if investigation:
        return lookup_storage(investigation, session)
    if bucket:
        if bucket.startswith("s3://"):
            raise FetchError(f"--bucket takes a bucket name, not a URL: {bucket}")
        given = layout or Layout()
        return Storage(bucket, dataclasses.replace(given, key_prefix=normalize_prefix(given.key_prefix)))
    raise FetchError("give --investigation NAME (a deployed investigation) or --bucket BUCKET")


# -- listing ---------------------------------------------------------------------------------------
def list_pages(s3: Any, bucket: str, prefix: str, delimiter: bool) -> Iterator[dict[str, Any]]:
    """ListObjectsV2 pages under one prefix; the bucket's top (empty prefix) only one folder deep."""
    if not prefix and not delimiter:
        raise FetchError("refusing to list the whole bucket")
    kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
    if delimiter:
        kwargs["Delimiter"] = "/"
    try:
        yield from s3.get_paginator("list_objects_v2").paginate(**kwargs)
    except ClientError as err:
        raise FetchError(f"s3://{bucket}/{prefix}: {describe_error(err)}") from None
    except BotoCoreError as err:
        where = f"cannot reach S3 ({s3.meta.endpoint_url})" if unreachable(err) else f"s3://{bucket}/{prefix}"
        raise FetchAborted(f"{where}: {err}") from None


def subfolders(s3: Any, bucket: str, prefix: str, summary: FetchSummary | None = None) -> list[str]:
    """Names of the folders directly under ``prefix`` (one delimiter listing)."""
    if summary is not None:
        summary.prefixes_listed += 1
    names: list[str] = []
    for page in list_pages(s3, bucket, prefix, delimiter=True):
        for common in page.get("CommonPrefixes", []):
            names.append(common["Prefix"][len(prefix):].rstrip("/"))
    return names


def discover_accounts(s3: Any, bucket: str, layout: Layout, summary: FetchSummary) -> tuple[list[str], bool]:
    """Accounts under the layout's root (one delimiter listing), and whether folders of the
    other account style (Hive or plain) are there too."""
    found: list[str] = []
    other_style = False
    for name in subfolders(s3, bucket, layout.root, summary):
        hive_name = name.startswith("aws-account-id=")
        account = name.removeprefix("aws-account-id=")
        if ACCOUNT_RE.match(account):
            if hive_name == layout.hive:
                found.append(account)
            else:
                other_style = True
    return sorted(found), other_style


def discover_regions(s3: Any, bucket: str, layout: Layout, account: str, summary: FetchSummary) -> list[str]:
    """Regions with logs for one account (one delimiter listing under the service folder)."""
    service = f"aws-service={SERVICE}/" if layout.hive else f"{SERVICE}/"
    found = []
    for name in subfolders(s3, bucket, layout.account_prefix(account) + service, summary):
        region = name.removeprefix("aws-region=") if layout.hive else name
        if (name.startswith("aws-region=") or not layout.hive) and REGION_RE.match(region):
            found.append(region)
    return sorted(found)


def time_prefixes(layout: Layout, account: str, region: str, since: datetime, until: datetime) -> list[str]:
    """The exact key prefixes holding files with records that start in [since, until)."""
    base = layout.region_prefix(account, region)
    return [base + value + "/" for value in layout.time_values(since, until)]


def plan(
    s3: Any,
    bucket: str,
    layout: Layout,
    since: datetime,
    until: datetime,
    summary: FetchSummary,
    accounts: Sequence[str] = (),
    regions: Sequence[str] = (),
    workers: int = 8,
    watch: Watch | None = None,
) -> list[RemoteObject]:
    """The objects of the window. Given accounts/regions are used as they are, others are discovered.

    The time folders are listed in parallel (a long window has one folder per hour).
    """
    account_list = list(accounts)
    if not account_list:
        account_list, summary.other_style = discover_accounts(s3, bucket, layout, summary)
    summary.accounts = account_list
    seen_regions: set[str] = set()
    prefixes: list[str] = []
    for account in account_list:
        region_list = list(regions) or discover_regions(s3, bucket, layout, account, summary)
        seen_regions.update(region_list)
        for region in region_list:
            prefixes.extend(time_prefixes(layout, account, region, since, until))
    summary.regions = sorted(seen_regions)
    summary.prefixes_listed += len(prefixes)
    wanted: list[RemoteObject] = []

    def listing(prefix: str) -> list[dict[str, Any]]:
        return list(list_pages(s3, bucket, prefix, delimiter=True))

    for _, pages in parallel(listing, prefixes, workers, watch or Watch(float("inf"))):
        if isinstance(pages, BaseException):
            raise pages
        for page in pages:
            summary.ignored.extend(c["Prefix"] for c in page.get("CommonPrefixes", []))
            for obj in page.get("Contents", []):
                summary.objects_listed += 1
                info = parse_key(obj["Key"])
                if info is None or info.layout != layout:
                    summary.ignored.append(obj["Key"])
                    continue
                etag = obj.get("ETag", "").strip('"')
                wanted.append(RemoteObject(obj["Key"], int(obj["Size"]), etag))
    wanted.sort(key=lambda o: o.key)
    summary.objects, summary.bytes = len(wanted), sum(o.size for o in wanted)
    return wanted
