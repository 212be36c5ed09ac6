"""Do flow log files arrive where the table reads? The newest one, and what lies elsewhere.

Only the time folders of the last ``LOOKBACK`` under each projected account and region are listed
(newest first, stopping at the first folder holding a file of the deployed layout), plus delimiter
listings: the log root (account folders of the other Hive style or of accounts the table does not
project), the bucket's top few folder levels (``AWSLogs/`` under another key prefix) and, for hourly
layouts without files, the day folders (files of the daily layout). The bucket is never listed whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flowkit.aws.deployed import Deployed
from flowkit.aws.doctor.checks import Check, age, failed, ok, warning
from flowkit.aws.doctor.table import Table
from flowkit.aws.fetch.elsewhere import Places, named, note_accounts, note_folder, note_key, note_other_roots
from flowkit.aws.fetch.plan import list_pages, time_prefixes
from flowkit.layout import KeyInfo, Layout
from flowkit.messages import Progress

NAME = "objects"
LOOKBACK = timedelta(hours=24)  # how far back the newest file is looked for
LAST = f"last {int(LOOKBACK.total_seconds() // 3600)} h"
FRESH = timedelta(minutes=30)  # a newest file older than this is a warning
NAMED = 3  # how many places the table does not read are named in the line
TABLE = "the table"


@dataclass(frozen=True)
class Newest:
    """The newest flow log file of the deployed layout."""

    key: str
    info: KeyInfo
    size: int
    when: datetime  # start of the 5-minute window in its name (else its LastModified)


def check_objects(s3: Any, deployed: Deployed, table: Table, now: datetime, progress: Progress,
                  known: tuple[str, ...] = ()) -> tuple[Check, Newest | None]:
    """The newest file where the table reads, its age, and flow logs the table does not read (other than
    under the ``known`` roots, which the investigation's other table reads)."""
    bucket, layout = deployed.bucket, deployed.layout
    elsewhere: Places = {}  # one line per place the table does not read, in the order found
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
    note_accounts(elsewhere, s3, bucket, layout, table.accounts, TABLE, "which the table does not project")
    note_other_roots(elsewhere, s3, bucket, layout, TABLE, known)
    return _verdict(deployed, pairs, newest, list(elsewhere), now), newest


def _newest_in(s3: Any, bucket: str, layout: Layout, prefixes: Iterable[str], elsewhere: Places,
               folders: bool = True) -> Newest | None:
    """The newest file of ``layout`` in the first of ``prefixes`` holding one; others go to ``elsewhere``."""
    for prefix in prefixes:
        candidates: list[Newest] = []
        for page in list_pages(s3, bucket, prefix, delimiter=True):
            for common in page.get("CommonPrefixes", []) if folders else []:
                note_folder(elsewhere, bucket, str(common["Prefix"]), prefix, layout, TABLE)
            for obj in page.get("Contents", []):
                key = str(obj["Key"])
                info = note_key(elsewhere, bucket, key, prefix, layout, TABLE)
                if info is not None:
                    when = info.window or obj["LastModified"]
                    candidates.append(Newest(key, info, int(obj.get("Size", 0)), when))
        if candidates:
            return max(candidates, key=lambda n: (n.when, n.key))
    return None


def _verdict(deployed: Deployed, pairs: list[tuple[str, str]], newest: Newest | None, elsewhere: list[str],
             now: datetime) -> Check:
    bucket, layout = deployed.bucket, deployed.layout
    places = named(elsewhere, NAMED)
    wrong_place = ("a flow log writes another layout or key prefix than the table reads: deploy all stacks "
                   "with the same settings (npx cdk deploy --all) and remove flow logs not made by this kit "
                   "that write to this bucket")
    if newest is None:
        where = ", ".join(f"s3://{bucket}/{layout.region_prefix(a, r)}" for a, r in pairs)
        if elsewhere:
            return failed(NAME, f"no flow log file of the {LAST} where the table reads "
                          f"({where}); found flow logs it does not read: {places}", wrong_place)
        return failed(NAME, f"no flow log file yet under {where} ({LAST})",
                      "files arrive about 10 minutes after traffic: wait, make sure the captured VPCs, "
                      "subnets or network interfaces carry traffic, and see the flow logs line above")
    old = now - newest.when
    detail = f"newest file {age(old)} old: s3://{bucket}/{newest.key}"
    also = f"; also found what the table does not read: {places}" if elsewhere else ""
    if old > FRESH:
        return warning(NAME, f"{detail}; nothing newer in the last {age(FRESH)}{also}",
                       "delivery has stopped or the captured resources carry no traffic: see the flow logs "
                       "line above (destroying the capture stack stops capture)"
                       + (f"; {wrong_place}" if also else ""))
    if elsewhere:
        return warning(NAME, detail + also, wrong_place)
    return ok(NAME, detail)
