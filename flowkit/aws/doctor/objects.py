"""Do flow log files arrive where the table reads? The newest one, and what lies elsewhere.

Only the time folders of the last ``LOOKBACK`` under each projected account and region are listed
(newest first, stopping at the first folder holding a file of the deployed layout), plus delimiter
listings: the log root (account folders of the other Hive style or of accounts the table does not
project), the bucket's top few folder levels (``AWSLogs/`` under another key prefix) and, for hourly
layouts without files, the day folders (files of the daily layout). The bucket is never listed whole.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flowkit.aws.deployed import Deployed
from flowkit.aws.doctor.checks import Check, age, failed, ok, shape, warning
from flowkit.aws.doctor.table import Table
from flowkit.aws.fetch.plan import ACCOUNT_RE, list_pages, subfolders, time_prefixes
from flowkit.aws.stack_outputs import RESULTS_PREFIX
from flowkit.layout import AWSLOGS, KeyInfo, Layout, parse_key
from flowkit.messages import Progress

NAME = "objects"
LOOKBACK = timedelta(hours=24)  # how far back the newest file is looked for
LAST = f"last {int(LOOKBACK.total_seconds() // 3600)} h"
FRESH = timedelta(minutes=30)  # a newest file older than this is a warning
SEARCH_LISTINGS = 20  # delimiter listings spent looking for AWSLogs/ folders under other prefixes
SEARCH_DEPTH = 3  # ... at most this many folders below the bucket's top
NAMED = 3  # how many places the table does not read are named in the line

_HOUR_FOLDER = re.compile(r"^(?:hour=)?\d{2}/$")


@dataclass(frozen=True)
class Newest:
    """The newest flow log file of the deployed layout."""

    key: str
    info: KeyInfo
    size: int
    when: datetime  # start of the 5-minute window in its name (else its LastModified)


def check_objects(s3: Any, deployed: Deployed, table: Table, now: datetime,
                  progress: Progress) -> tuple[Check, Newest | None]:
    """The newest file where the table reads, its age, and flow logs the table does not read."""
    bucket, layout = deployed.bucket, deployed.layout
    elsewhere: dict[str, None] = {}  # one line per place the table does not read, in the order found
    pairs = [(a, r) for a in table.accounts for r in table.regions]
    newest: Newest | None = None
    for number, (account, region) in enumerate(pairs):
        progress(f"listing the {LAST} of {account}/{region}", number, len(pairs))
        prefixes = list(reversed(time_prefixes(layout, account, region, now - LOOKBACK, now)))
        found = _newest_in(s3, bucket, layout, prefixes, elsewhere)
        if found is None and layout.hourly:  # files of the daily layout sit in the day folders
            daily = dataclasses.replace(layout, hourly=False)
            _newest_in(s3, bucket, layout, time_prefixes(daily, account, region, now - LOOKBACK, now),
                       elsewhere, folders=False)
        if found is not None and (newest is None or (found.when, found.key) > (newest.when, newest.key)):
            newest = found
    progress("looking for flow logs under other prefixes", len(pairs), len(pairs))
    _account_folders(s3, bucket, layout, table.accounts, elsewhere)
    for root in _other_roots(s3, bucket, layout):
        reads = f"s3://{bucket}/{layout.root}"
        elsewhere[f"s3://{bucket}/{root} (another key prefix; the table reads {reads})"] = None
    return _verdict(deployed, pairs, newest, list(elsewhere), now), newest


def _newest_in(s3: Any, bucket: str, layout: Layout, prefixes: Iterable[str], elsewhere: dict[str, None],
               folders: bool = True) -> Newest | None:
    """The newest file of ``layout`` in the first of ``prefixes`` holding one; others go to ``elsewhere``."""
    for prefix in prefixes:
        candidates: list[Newest] = []
        for page in list_pages(s3, bucket, prefix, delimiter=True):
            for common in page.get("CommonPrefixes", []) if folders else []:
                folder = str(common["Prefix"])
                hourly = not layout.hourly and _HOUR_FOLDER.match(folder[len(prefix):])
                why = ("hourly folders; the table reads daily ones" if hourly
                       else "a folder the table does not read")
                elsewhere[f"s3://{bucket}/{folder} ({why})"] = None
            for obj in page.get("Contents", []):
                key = str(obj["Key"])
                info = parse_key(key)
                if info is not None and info.layout == layout:
                    when = info.window or obj["LastModified"]
                    candidates.append(Newest(key, info, int(obj.get("Size", 0)), when))
                elif info is not None:
                    why = f"{shape(info.layout)}; the table reads {shape(layout)}"
                    elsewhere[f"s3://{bucket}/{key} ({why})"] = None
                elif key != prefix:
                    elsewhere[f"s3://{bucket}/{key} (not a flow log file; the table reads it as one)"] = None
        if candidates:
            return max(candidates, key=lambda n: (n.when, n.key))
    return None


def _account_folders(s3: Any, bucket: str, layout: Layout, accounts: tuple[str, ...],
                     elsewhere: dict[str, None]) -> None:
    """Account folders at the log root of the other Hive style, or of accounts the table does not project."""
    for name in subfolders(s3, bucket, layout.root):
        hive = name.startswith("aws-account-id=")
        account = name.removeprefix("aws-account-id=")
        if not ACCOUNT_RE.match(account):
            continue
        where = f"s3://{bucket}/{layout.root}{name}/"
        if hive != layout.hive:
            style, ours = ("Hive", "plain") if hive else ("plain", "Hive")
            elsewhere[f"{where} ({style} folders; the table reads {ours} ones)"] = None
        elif account not in accounts:
            elsewhere[f"{where} (account {account}, which the table does not project)"] = None


def _other_roots(s3: Any, bucket: str, layout: Layout) -> list[str]:
    """``AWSLogs/`` folders other than the table's, a few folder levels below the bucket's top."""
    queue, found, listed = [""], [], 0
    while queue and listed < SEARCH_LISTINGS:
        prefix = queue.pop(0)
        listed += 1
        for name in subfolders(s3, bucket, prefix):
            folder = f"{prefix}{name}/"
            if name == AWSLOGS:
                if folder != layout.root:
                    found.append(folder)
            elif folder != RESULTS_PREFIX and folder.count("/") < SEARCH_DEPTH:
                queue.append(folder)
    return found


def _verdict(deployed: Deployed, pairs: list[tuple[str, str]], newest: Newest | None, elsewhere: list[str],
             now: datetime) -> Check:
    bucket, layout = deployed.bucket, deployed.layout
    named = ", ".join(elsewhere[:NAMED])
    if len(elsewhere) > NAMED:
        named += f" and {len(elsewhere) - NAMED} more"
    wrong_place = ("a flow log writes another layout or key prefix than the table reads: deploy all stacks "
                   "with the same settings (npx cdk deploy --all) and remove flow logs not made by this kit "
                   "that write to this bucket")
    if newest is None:
        where = ", ".join(f"s3://{bucket}/{layout.region_prefix(a, r)}" for a, r in pairs)
        if elsewhere:
            return failed(NAME, f"no flow log file of the {LAST} where the table reads "
                          f"({where}); found flow logs it does not read: {named}", wrong_place)
        return failed(NAME, f"no flow log file yet under {where} ({LAST})",
                      "files arrive about 10 minutes after traffic: wait, make sure the captured VPCs, "
                      "subnets or network interfaces carry traffic, and see the flow logs line above")
    old = now - newest.when
    detail = f"newest file {age(old)} old: s3://{bucket}/{newest.key}"
    also = f"; also found what the table does not read: {named}" if elsewhere else ""
    if old > FRESH:
        return warning(NAME, f"{detail}; nothing newer in the last {age(FRESH)}{also}",
                       "delivery has stopped or the captured resources carry no traffic: see the flow logs "
                       "line above (destroying the capture stack stops capture)"
                       + (f"; {wrong_place}" if also else ""))
    if elsewhere:
        return warning(NAME, detail + also, wrong_place)
    return ok(NAME, detail)
