"""Flow logs in a bucket that a reader (the table, or fetch) does not read, one line per place.

Shared by ``flowlogs doctor`` (what the table misses) and ``flowlogs fetch`` (why a window came back
empty). Every listing is a delimiter listing of one folder; the bucket is never listed whole.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from flowkit.aws.fetch.plan import ACCOUNT_RE, subfolders
from flowkit.aws.stack_outputs import RESULTS_PREFIX
from flowkit.layout import AWSLOGS, Layout, parse_key
from flowkit.layout.keys import KeyInfo

SEARCH_LISTINGS = 20  # delimiter listings spent looking for AWSLogs/ folders under other prefixes
SEARCH_DEPTH = 3  # ... at most this many folders below the bucket's top

_HOUR_FOLDER = re.compile(r"^(?:hour=)?\d{2}/$")
Places = dict[str, None]  # one line per place, in the order found (a dict keeps order and drops repeats)


def shape(layout: Layout) -> str:
    """``parquet, plain, hourly``: a layout without its key prefix, for one line."""
    folders = ("Hive" if layout.hive else "plain", "hourly" if layout.hourly else "daily")
    return ", ".join((layout.file_format, *folders))


def note_folder(places: Places, bucket: str, folder: str, parent: str, layout: Layout, who: str) -> None:
    """A folder found inside a time folder: hour folders under a daily layout (named by their day
    folder), or anything else."""
    if not layout.hourly and _HOUR_FOLDER.match(folder[len(parent):]):
        places[f"s3://{bucket}/{parent} (hourly folders; {who} reads daily ones)"] = None
    else:
        places[f"s3://{bucket}/{folder} (a folder {who} does not read)"] = None


def note_key(places: Places, bucket: str, key: str, folder: str, layout: Layout, who: str,
             strays: bool = True) -> KeyInfo | None:
    """A listed object: its KeyInfo when it is a flow log file of ``layout``, else a line in ``places``
    (for files that are no flow log at all only with ``strays``: ``who`` reads them as one)."""
    info = parse_key(key)
    if info is not None and info.layout == layout:
        return info
    if info is not None:
        places[f"s3://{bucket}/{key} ({shape(info.layout)}; {who} reads {shape(layout)})"] = None
    elif strays and key != folder:
        places[f"s3://{bucket}/{key} (not a flow log file; {who} reads it as one)"] = None
    return None


def note_accounts(places: Places, s3: object, bucket: str, layout: Layout, accounts: tuple[str, ...],
                  who: str, left_out: str) -> None:
    """Account folders at the log root of the other Hive style, or of accounts ``accounts`` leaves out."""
    for name in subfolders(s3, bucket, layout.root):
        hive = name.startswith("aws-account-id=")
        account = name.removeprefix("aws-account-id=")
        if not ACCOUNT_RE.match(account):
            continue
        where = f"s3://{bucket}/{layout.root}{name}/"
        if hive != layout.hive:
            style, ours = ("Hive", "plain") if hive else ("plain", "Hive")
            places[f"{where} ({style} folders; {who} reads {ours} ones)"] = None
        elif account not in accounts:
            places[f"{where} (account {account}, {left_out})"] = None


def note_other_roots(places: Places, s3: object, bucket: str, layout: Layout, who: str,
                     known: Collection[str] = ()) -> None:
    """``AWSLogs/`` folders other than ``layout.root`` and the ``known`` roots (the investigation's other
    table reads them), a few folder levels below the bucket's top."""
    queue, listed = [""], 0
    while queue and listed < SEARCH_LISTINGS:
        prefix = queue.pop(0)
        listed += 1
        for name in subfolders(s3, bucket, prefix):
            folder = f"{prefix}{name}/"
            if name == AWSLOGS:
                if folder != layout.root and folder not in known:
                    places[f"s3://{bucket}/{folder} (another key prefix; {who} reads "
                           f"s3://{bucket}/{layout.root})"] = None
            elif folder != RESULTS_PREFIX and folder.count("/") < SEARCH_DEPTH:
                queue.append(folder)


def named(places: list[str], first: int) -> str:
    """The first ``first`` places, and how many more."""
    text = ", ".join(places[:first])
    if len(places) > first:
        text += f" and {len(places) - first} more"
    return text
