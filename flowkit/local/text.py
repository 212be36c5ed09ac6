"""Gzip text flow log files: their header line, DuckDB's reader over them, and damaged files.

A file is read by its own header line (any fields, any order): only the first line is decompressed
here, to group files by header; DuckDB then reads the files themselves, many per statement. A file
DuckDB cannot read to its end (a truncated or corrupt gzip member) is decompressed here as far as it
goes, and its complete lines are read from a temporary file that is removed straight after.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from flowkit.local.columns import field_of
from flowkit.local.discover import DataFile
from flowkit.local.sqltext import quote_name, quote_text

_CHUNK = 1 << 16
_HEAD_LIMIT = 1 << 20  # a header line is a few hundred bytes; give up on a first line longer than this


@dataclass
class TextHead:
    """What the first line of a .log.gz says: its header, or why the file is not read as it is."""

    source: DataFile
    header: tuple[str, ...] = ()
    problem: str = ""  # the file is skipped, and this reported
    damaged: bool = False  # the first line does not decompress: salvage what can be read


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


def scan_head(data_file: DataFile) -> TextHead:
    """The header of one .log.gz, decompressing no more than its first line."""
    path = data_file.path
    head = TextHead(data_file)
    first, size = b"", 0
    try:
        with path.open("rb") as raw:
            decoder = zlib.decompressobj(wbits=31)
            while b"\n" not in first and len(first) < _HEAD_LIMIT and not decoder.eof:
                chunk = raw.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                first += decoder.decompress(chunk)
    except OSError as err:
        head.problem = f"{path}: cannot read ({err.strerror}); file skipped"
        return head
    except zlib.error:
        head.damaged = True
        return head
    if size and b"\n" not in first and not decoder.eof:
        head.damaged = True  # cut short before the end of the first line: salvage says how far it got
        return head
    return check_header(head, first.partition(b"\n")[0])


def check_header(head: TextHead, first: bytes) -> TextHead:
    """Accept a header line naming flow log fields, each once; an empty file has nothing to read."""
    path = head.source.path
    text = first.decode("utf-8", "replace").strip()
    if not text:
        return head  # empty file: nothing to read, nothing lost
    header = tuple(text.split())
    if not any(field_of(h) for h in header):
        head.problem = f"{path}:1: no flow log header line (got {text[:60]!r}); file skipped"
    elif len({(f.name if (f := field_of(h)) else h) for h in header}) != len(header):
        head.problem = f"{path}:1: a column appears twice in the header line; file skipped"
    else:
        head.header = header
    return head


def salvage(data_file: DataFile, folder: Path, number: int) -> tuple[TextHead, Path | None, str]:
    """Decompress a damaged file as far as it goes into ``folder``: (head, the complete lines, problem)."""
    path = data_file.path
    head = TextHead(data_file)
    try:
        text, damage = gunzip_members(path.read_bytes())
    except OSError as err:
        head.problem = f"{path}: cannot read ({err.strerror}); file skipped"
        return head, None, head.problem
    text = text[: text.rfind(b"\n") + 1] if damage else text
    lines = text.count(b"\n")
    problem = ""
    if damage:
        problem = f"{path}:{lines + 1}: {damage}; the {lines} complete line(s) before it were read"
    check_header(head, text.partition(b"\n")[0])
    if not head.header:
        return head, None, problem or head.problem
    copy = folder / f"salvaged-{number}.log"
    copy.write_bytes(text)
    return head, copy, problem


def read_csv_sql(paths: list[str], header: tuple[str, ...], rejects: tuple[str, str]) -> str:
    """DuckDB's reader over text files with one header: typed columns, ``-`` as NULL, the file name,
    and every line it cannot read (wrong field count, a value that is not a number) in ``rejects``."""
    columns = {h: (f.duckdb_type if (f := field_of(h)) else "VARCHAR") for h in header}
    spec = "{" + ", ".join(f"{quote_text(name)}: {quote_text(kind)}" for name, kind in columns.items()) + "}"
    files = "[" + ", ".join(quote_text(p) for p in paths) + "]"
    return (f"read_csv({files}, delim=' ', header=true, nullstr='-', quote='', escape='', "
            f"auto_detect=false, columns={spec}, filename=true, compression='auto', store_rejects=true, "
            f"rejects_table={quote_text(rejects[0])}, rejects_scan={quote_text(rejects[1])})")


def text_mapping(header: tuple[str, ...], row: str = "r") -> dict[str, str]:
    """Catalogue field name -> the reader's column of it (``r."log-status"``)."""
    return {f.name: f"{row}.{quote_name(h)}" for h in header if (f := field_of(h))}


def recast_mapping(header: tuple[str, ...], fields: str = "v") -> dict[str, str]:
    """Field -> its value in a line split into the list ``fields``; text that is not a number is NULL."""
    mapping = {}
    for index, h in enumerate(header, start=1):
        f = field_of(h)
        if f is not None:
            value = f"nullif({fields}[{index}], '-')"
            mapping[f.name] = f"TRY_CAST({value} AS {f.duckdb_type})" if f.is_numeric else value
    return mapping
