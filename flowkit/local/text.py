"""Gzip text flow log files: their header line, DuckDB's reader over them, and damaged files.

A file is read by its own header line (any fields, any order): only the first line is decompressed
here, to group files by header; DuckDB then reads the files themselves, many per statement. Every
field is read as text and typed in SQL (``-`` is NULL, a value that is not a number NULL and
flagged), so a line with one field more than its header is refused even when that field is ``-``:
DuckDB would otherwise drop a trailing NULL field and read the line into shifted columns.

A file DuckDB cannot read to its end (a truncated or corrupt gzip member, a carriage return inside a
line) is decompressed here as far as it goes; its complete lines are read from a temporary file that
is removed straight after. Windows line ends (CRLF) are read as line ends; a line holding a carriage
return anywhere else is blanked in the copy (so later line numbers stay right) and reported.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

from flowkit.local.columns import field_of
from flowkit.local.discover import DataFile
from flowkit.local.sqltext import quote_name, quote_text

_CHUNK = 1 << 16
_HEAD_LIMIT = 1 << 20  # a header line is a few hundred bytes; give up on a first line longer than this
_BOM = "\ufeff"


@dataclass
class TextHead:
    """What the first line of a .log.gz says: its header, or why the file is not read as it is."""

    source: DataFile
    header: tuple[str, ...] = ()
    problem: str = ""  # the file is skipped, and this reported
    damaged: bool = False  # the first line does not decompress: salvage what can be read


@dataclass
class Salvaged:
    """A damaged file read here: its header, the copy DuckDB reads, what was wrong with it."""

    head: TextHead
    copy: Path | None = None
    problem: str = ""  # the file was read in part (or not at all), one line
    skipped: dict[int, str] = field(default_factory=dict)  # line -> why it was left out of the copy


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
    if not size:
        head.problem = (f"{path}: empty file (0 bytes, not even a gzip header; an interrupted copy?); "
                        "file skipped")
        return head
    if b"\n" not in first and not decoder.eof:
        head.damaged = True  # cut short before the end of the first line: salvage says how far it got
        return head
    return check_header(head, first.partition(b"\n")[0])


def check_header(head: TextHead, first: bytes) -> TextHead:
    """Accept a header line naming flow log fields, each once; an empty file has nothing to read."""
    path = head.source.path
    text = first.decode("utf-8", "replace").removeprefix(_BOM).strip()
    if not text:
        return head  # a gzip file holding nothing: nothing to read, nothing lost
    header = tuple(text.split())
    if not any(field_of(h) for h in header):
        head.problem = f"{path}:1: no flow log header line (got {text[:60]!r}); file skipped"
    elif len({(f.name if (f := field_of(h)) else h) for h in header}) != len(header):
        head.problem = f"{path}:1: a column appears twice in the header line; file skipped"
    else:
        head.header = header
    return head


def salvage(data_file: DataFile, folder: Path, number: int) -> Salvaged:
    """Decompress a damaged file as far as it goes into ``folder``, its lines cleaned for DuckDB."""
    path = data_file.path
    found = Salvaged(TextHead(data_file))
    try:
        text, damage = gunzip_members(path.read_bytes())
    except OSError as err:
        found.problem = found.head.problem = f"{path}: cannot read ({err.strerror}); file skipped"
        return found
    text = text[: text.rfind(b"\n") + 1] if damage else text
    lines = text.count(b"\n")
    if damage:
        found.problem = f"{path}:{lines + 1}: {damage}; the {lines} complete line(s) before it were read"
    text, found.skipped = _without_carriage_returns(text)
    check_header(found.head, text.partition(b"\n")[0])
    if not found.head.header:
        found.problem = found.problem or found.head.problem
        return found
    found.copy = folder / f"salvaged-{number}.log"
    found.copy.write_bytes(text)
    return found


def _without_carriage_returns(text: bytes) -> tuple[bytes, dict[int, str]]:
    """Windows line ends as plain ones; a line with a carriage return elsewhere blanked (line -> why)."""
    if b"\r" not in text:
        return text, {}
    lines = text.split(b"\n")
    skipped: dict[int, str] = {}
    for index, line in enumerate(lines):
        if line.endswith(b"\r"):
            line = lines[index] = line[:-1]
        if b"\r" in line:
            lines[index] = b""
            skipped[index + 1] = "a carriage return inside the line"
    return b"\n".join(lines), skipped


def read_csv_sql(paths: list[str], header: tuple[str, ...], rejects: tuple[str, str] | None,
                 typed: bool = False) -> str:
    """DuckDB's reader over text files with one header, with the file name, and every line it cannot
    read in ``rejects``: wrong field count, bad encoding; with ``typed``, also every value that is not
    a number (numeric columns typed, ``-`` as NULL), to say where those are."""
    if typed:
        columns = {h: (f.duckdb_type if (f := field_of(h)) else "VARCHAR") for h in header}
    else:
        columns = dict.fromkeys(header, "VARCHAR")
    spec = "{" + ", ".join(f"{quote_text(name)}: {quote_text(kind)}" for name, kind in columns.items()) + "}"
    files = "[" + ", ".join(quote_text(p) for p in paths) + "]"
    options = ", nullstr='-'" if typed else ""
    if rejects:
        options += (f", store_rejects=true, rejects_table={quote_text(rejects[0])}, "
                    f"rejects_scan={quote_text(rejects[1])}")
    return (f"read_csv({files}, delim=' ', header=true, quote='', escape='', auto_detect=false, "
            f"columns={spec}, filename=true, compression='auto'{options})")


def text_mapping(header: tuple[str, ...], row: str = "r") -> tuple[dict[str, str], str]:
    """Catalogue field name -> its typed value in the reader's text columns (``-`` and text that is
    not a number as NULL); and whether any numeric value of the record was not a number."""
    mapping: dict[str, str] = {}
    bad: list[str] = []
    for h in header:
        f = field_of(h)
        if f is None:
            continue
        text = f"nullif({row}.{quote_name(h)}, '-')"
        if f.is_numeric:
            mapping[f.name] = f"TRY_CAST({text} AS {f.duckdb_type})"
            bad.append(f"({text} IS NOT NULL AND {mapping[f.name]} IS NULL)")
        else:
            mapping[f.name] = text
    return mapping, " OR ".join(bad) or "false"
