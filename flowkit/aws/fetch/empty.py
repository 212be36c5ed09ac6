"""When a window holds no flow log file of the layout: what the bucket does hold, as one error line.

What the window's listing already showed (files of another format or folder layout, hour folders under
day folders), the day folders of an hourly layout, account folders of the other Hive style or of
accounts ``--account`` leaves out, regions ``--log-region`` leaves out, and ``AWSLogs/`` under other
key prefixes. Only delimiter listings of single folders; the bucket is never listed whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flowkit.aws.fetch.elsewhere import (
    Places,
    named,
    note_accounts,
    note_folder,
    note_key,
    note_other_roots,
    shape,
)
from flowkit.aws.fetch.errors import FetchAborted
from flowkit.aws.fetch.plan import FetchSummary, discover_regions, list_pages, time_prefixes
from flowkit.layout import Layout

WHO = "fetch"
NAMED = 4  # places named in the line


def _parent(folder: str) -> str:
    return folder.rstrip("/").rsplit("/", 1)[0] + "/"


def _grouped(places: Places) -> list[str]:
    """One line per kind of place (the reason in brackets): the first one found, and how many more."""
    groups: dict[str, list[str]] = {}
    for place in places:
        groups.setdefault(place[place.rfind(" ("):], []).append(place)
    return [found[0] + (f" and {len(found) - 1} more like it" if len(found) > 1 else "")
            for found in groups.values()]


def nothing_found(s3: Any, bucket: str, layout: Layout, since: datetime, until: datetime,
                  summary: FetchSummary, accounts: Sequence[str], regions: Sequence[str]) -> FetchAborted:
    """The error for a window without a single flow log file of ``layout``, naming what is there instead."""
    places: Places = {}
    for item in sorted(summary.ignored):
        if item.endswith("/"):
            note_folder(places, bucket, item, _parent(item), layout, WHO)
        else:
            note_key(places, bucket, item, _parent(item), layout, WHO, strays=False)
    pairs = [(a, r) for a in summary.accounts for r in summary.regions]
    if layout.hourly:  # files of the daily layout sit in the day folders
        daily = dataclasses.replace(layout, hourly=False)
        for account, region in pairs:
            for prefix in time_prefixes(daily, account, region, since, until):
                for page in list_pages(s3, bucket, prefix, delimiter=True):
                    for obj in page.get("Contents", []):
                        note_key(places, bucket, str(obj["Key"]), prefix, layout, WHO, strays=False)
    note_accounts(places, s3, bucket, layout, tuple(summary.accounts), WHO, "which --account leaves out")
    if regions:
        for account in summary.accounts:
            for region in discover_regions(s3, bucket, layout, account, FetchSummary()):
                if region not in regions:
                    where = f"s3://{bucket}/{layout.region_prefix(account, region)}"
                    places[f"{where} (region {region}, which --log-region leaves out)"] = None
    note_other_roots(places, s3, bucket, layout, WHO)
    window = f"{since:%Y-%m-%dT%H:%MZ} to {until:%Y-%m-%dT%H:%MZ}"
    looked = f"s3://{bucket}/{layout.root} ({shape(layout)})"
    if not summary.accounts:
        looked += ", which holds no account folder" + (" of the accounts given" if accounts else "")
    found = (f"it holds {named(_grouped(places), NAMED)}" if places
             else "nothing else under its flow log folders for that window either")
    return FetchAborted(f"no flow log file of {window} under {looked}; {found}")
