"""Text flow log files: read each .log.gz whole, check its header line, and group files by header.

A file is read by its own header line (any fields, any order). Files with one header are
concatenated into one group file for DuckDB, each line prefixed with ``<file number> <account>
<region> <dt> ``: the partition columns come with the record and a rejected line names its file.
DuckDB opens one file per group instead of thousands of small ones (a few milliseconds each).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from flowkit.layout import Layout
from flowkit.local.columns import PARTITIONS, field_of, table_select
from flowkit.local.discover import DataFile
from flowkit.local.sqltext import quote_name, quote_text

_CHUNK = 1 << 16
# The columns in front of each line of a group file: file number, then the partition values.
GROUP_PREFIX = ("flowkit_file", "flowkit_account", "flowkit_region", "flowkit_dt")


# -- reading one file --------------------------------------------------------------------------------
@dataclass
class ScannedText:
    """One .log.gz read fully."""

    source: DataFile
    header: tuple[str, ...] = ()
    body: bytes = b""  # the data lines after the header, without the final newline
    problem: str = ""  # reported; whatever could be read is still read


def gunzip_members(raw: bytes) -> tuple[bytes, str]:
    """Every gzip member of a file, and what went wrong (empty when nothing did)."""
    chunks: list[bytes] = []
    rest = raw
    while rest:
        decoder = zlib.decompressobj(wbits=31)
        try:
            for start in range(0, len(rest), _CHUNK):
                chunks.append(decoder.decompress(rest[start:start + _CHUNK]))
                if decoder.eof:
                    break
        except zlib.error as err:
            return b"".join(chunks), f"corrupt gzip data ({err})"
        if not decoder.eof:
            chunks.append(decoder.flush())
            return b"".join(chunks), "truncated gzip data"
        rest = decoder.unused_data
    return b"".join(chunks), ""


def scan_text_file(data_file: DataFile) -> ScannedText:
    """Read one .log.gz fully: header, data lines, and whether every gzip member is complete."""
    path = data_file.path
    entry = ScannedText(data_file)
    try:
        text, damage = gunzip_members(path.read_bytes())
    except OSError as err:
        entry.problem = f"{path}: cannot read ({err.strerror}); file skipped"
        return entry
    if damage:
        text = text[: text.rfind(b"\n") + 1]
        lines = text.count(b"\n")
        entry.problem = f"{path}:{lines + 1}: {damage}; the {lines} complete line(s) before it were read"
    first, _, body = text.partition(b"\n")
    header_text = first.decode("utf-8", "replace").strip()
    if not header_text:
        return entry  # empty file: nothing to read, nothing lost
    header = tuple(header_text.split())
    if not any(field_of(h) for h in header):
        entry.problem = f"{path}:1: no flow log header line (got {header_text[:60]!r}); file skipped"
        return entry
    if len({(f.name if (f := field_of(h)) else h) for h in header}) != len(header):
        entry.problem = f"{path}:1: a column appears twice in the header line; file skipped"
        return entry
    entry.header = header
    entry.body = body[:-1] if body.endswith(b"\n") else body
    return entry


def scan_text_files(files: Sequence[DataFile]) -> Iterator[ScannedText]:
    """scan_text_file over files, two at a time (zlib releases the GIL), in order, bounded memory."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        for start in range(0, len(files), 4):
            yield from pool.map(scan_text_file, files[start:start + 4])


# -- grouping files by header ------------------------------------------------------------------------
@dataclass
class TextGroup:
    """Text files with one header line, concatenated into one file for DuckDB."""

    header: tuple[str, ...]
    path: Path
    next_line: int = 2  # line 1 is the header
    starts: dict[int, int] = field(default_factory=dict)  # file number -> line of its first record


def read_csv_sql(group: TextGroup, typed: bool = False, rejects: str = "store_rejects=true") -> str:
    """read_csv of a group file; every data column is VARCHAR unless ``typed``."""
    columns = {GROUP_PREFIX[0]: "INTEGER", **dict.fromkeys(GROUP_PREFIX[1:], "VARCHAR")}
    for h in group.header:
        f = field_of(h)
        columns[h] = f.duckdb_type if typed and f else "VARCHAR"
    spec = "{" + ", ".join(f"{quote_text(name)}: {quote_text(kind)}" for name, kind in columns.items()) + "}"
    return (f"read_csv({quote_text(str(group.path))}, delim=' ', header=true, nullstr='-', quote='', "
            f"escape='', auto_detect=false, columns={spec}, {rejects})")


class TextGroups:
    """The text files of one query, one group file per header line in ``folder``."""

    def __init__(self, folder: Path, layout: Layout) -> None:
        self.folder, self.layout = folder, layout
        self.groups: dict[tuple[str, ...], TextGroup] = {}
        self.files: list[DataFile] = []  # file number -> file
        self.present: set[str] = set()  # catalogue fields some header has
        self.unknown: set[str] = set()  # header names that are not flow log fields

    def add(self, entry: ScannedText) -> None:
        """Append a scanned file's records to the group of its header (a new group for a new header)."""
        group = self.groups.get(entry.header)
        if group is None:
            path = self.folder / f"group-{len(self.groups)}.log"
            path.write_bytes((" ".join((*GROUP_PREFIX, *entry.header)) + "\n").encode())
            group = self.groups[entry.header] = TextGroup(entry.header, path)
            self.present.update(f.name for h in entry.header if (f := field_of(h)))
            self.unknown.update(h for h in entry.header if field_of(h) is None)
        number = len(self.files)
        self.files.append(entry.source)
        if not entry.body:
            return
        info = entry.source.info
        prefix = f"{number} {info.account} {info.region} {self.layout.time_value(info.when)} ".encode()
        group.starts[number] = group.next_line
        group.next_line += entry.body.count(b"\n") + 1
        with group.path.open("ab") as out:
            out.write(prefix + entry.body.replace(b"\n", b"\n" + prefix) + b"\n")

    def selects(self) -> list[str]:
        """The table's SELECT over each group file; text that is not a number becomes NULL."""
        return [self._select(group) for group in self.groups.values()]

    @staticmethod
    def _select(group: TextGroup) -> str:
        mapping = {
            f.name: f"TRY_CAST(r.{quote_name(h)} AS {f.duckdb_type})" if f.is_numeric
            else f"r.{quote_name(h)}"
            for h in group.header if (f := field_of(h))
        }
        partitions = [f"r.{p} AS {c}" for p, c in zip(GROUP_PREFIX[1:], PARTITIONS, strict=True)]
        return table_select(f"{read_csv_sql(group)} AS r", mapping, partitions)
