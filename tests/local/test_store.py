"""The store gives exactly the rows, counts and warnings a fresh read of the same files gives: after
files are added, changed, truncated and deleted between queries, and after the store itself is deleted
or damaged. A fresh read is the same query on a copy of the folder without a store."""

from __future__ import annotations

import gzip
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit.layout import Layout
from flowkit.local import EngineError, Result, discover
from flowkit.local.store import STORE_FILE, STORE_FOLDER

WHEN = datetime(2024, 5, 1, 13, 2, tzinfo=UTC)
BODY = ("SELECT aws_account, dt, srcaddr, dstaddr, bytes, packets FROM {{ database }}.{{ table }} "
        "WHERE {{ window }} ORDER BY bytes NULLS FIRST, srcaddr, dstaddr, packets NULLS FIRST")


def text_file(fx: Any, root: Path, name: str, sizes: list[str], account: str = "") -> Path:
    """A default-format text file with one record per entry of ``sizes`` (the bytes field as written)."""
    lines = fx.text_lines(fx.DEFAULT_FIELDS, [fx.record(bytes=0)]).splitlines()[:1]
    line = fx.text_lines(fx.DEFAULT_FIELDS, [fx.record(bytes="SIZE")]).splitlines()[1]
    lines += [line.replace(" SIZE ", f" {size} ") for size in sizes]
    path = root / fx.key_for(Layout("text"), account or fx.ACCOUNT_A, "eu-west-1", WHEN, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return path


def bump(path: Path) -> None:
    """Give a rewritten file a modification time no earlier read can have had."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def fresh(root: Path, tmp_path: Path, probe: Any) -> tuple[Result, list[str]]:
    """The query on a copy of ``root`` without its store; its messages with the copy's path as ``root``."""
    copy = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(STORE_FOLDER))
    messages: list[str] = []
    result = probe(copy, messages.append, body=BODY)
    return result, [m.replace(str(copy), str(root)) for m in messages]


def same(a: Result, b: Result) -> None:
    assert (a.columns, a.rows, a.files_read, a.skipped_lines, a.null_values) == (
        b.columns, b.rows, b.files_read, b.skipped_lines, b.null_values)


@pytest.fixture
def logs(fx: Any, tmp_path: Path) -> Path:
    root = tmp_path / "logs"
    text_file(fx, root, "a", ["100", "abc", "300"])  # line 3: not a number
    text_file(fx, root, "b", ["40", "50"], fx.ACCOUNT_B)
    fx.write_parquet(root / fx.key_for(Layout("parquet"), fx.ACCOUNT_A, "eu-west-1", WHEN, "p"),
                     fx.DEFAULT_FIELDS, [fx.record(bytes=7, srcaddr="2001:db8::7")])
    return root


def test_first_query_reads_and_reports_like_a_fresh_read(logs: Path, tmp_path: Path, probe: Any) -> None:
    messages: list[str] = []
    first = probe(logs, messages.append, body=BODY)
    expected, warnings = fresh(logs, tmp_path, probe)
    same(first, expected)
    assert messages == warnings and any(":3: column 'bytes': 'abc'" in m for m in messages)
    assert (logs / STORE_FOLDER / STORE_FILE).is_file()
    again: list[str] = []
    same(probe(logs, again.append, body=BODY), expected)  # from the store: counted, reported once
    assert again == ["note: 1 value(s) read as NULL in 3 file(s) of this window, reported when they were "
                     "first read"]


def test_added_changed_truncated_and_deleted_files(fx: Any, logs: Path, tmp_path: Path, probe: Any) -> None:
    probe(logs, body=BODY)
    text_file(fx, logs, "c", ["9", "7 extra"])  # added; line 3 has a field too many
    changed = text_file(fx, logs, "a", ["100", "200", "12x"])  # changed: a different bad value
    bump(changed)
    b = next(p for p in logs.rglob("*.log.gz") if p.name.endswith("_b.log.gz"))
    extra = b"2 x eni-1 10.0.0.9 10.0.0.2 1 2 6 1 5 1 1 ACCEPT OK\n" * 300
    whole = gzip.compress(gzip.decompress(b.read_bytes()) + extra)
    b.write_bytes(whole[: len(whole) - 40])  # truncated: its last member is cut short
    bump(b)
    next(logs.rglob("*.log.parquet")).unlink()  # deleted
    messages: list[str] = []
    result = probe(logs, messages.append, body=BODY)
    expected, warnings = fresh(logs, tmp_path, probe)
    same(result, expected)
    assert sorted(messages) == sorted(warnings)  # every file of the window was new or changed
    assert any("truncated gzip data" in m for m in messages)
    assert any(":3: malformed record skipped" in m for m in messages)
    assert any(":4: column 'bytes': '12x'" in m for m in messages)


def test_an_unchanged_file_is_not_read_again(fx: Any, logs: Path, tmp_path: Path, probe: Any) -> None:
    probe(logs, body=BODY)
    text_file(fx, logs, "d", ["1"])
    messages: list[str] = []
    result = probe(logs, messages.append, body=BODY)
    same(result, fresh(logs, tmp_path, probe)[0])
    assert messages == ["note: 1 value(s) read as NULL in 3 file(s) of this window, reported when they were "
                        "first read"]


@pytest.mark.parametrize("damage", ["deleted", "header", "truncated", "empty"])
def test_a_deleted_or_damaged_store_is_rebuilt(logs: Path, tmp_path: Path, probe: Any, damage: str) -> None:
    first: list[str] = []
    before = probe(logs, first.append, body=BODY)
    store = logs / STORE_FOLDER / STORE_FILE
    if damage == "deleted":
        shutil.rmtree(logs / STORE_FOLDER)
    elif damage == "header":
        with store.open("r+b") as raw:
            raw.write(b"\0" * 4096)
    elif damage == "truncated":
        with store.open("r+b") as raw:
            raw.truncate(store.stat().st_size // 3)
    else:
        store.write_bytes(b"")
    messages: list[str] = []
    after = probe(logs, messages.append, body=BODY)
    same(after, before)
    rebuilt = [m for m in messages if m.startswith(f"note: the store {store} cannot be used")]
    assert len(rebuilt) == (damage != "deleted")
    assert [m for m in messages if m not in rebuilt] == first  # read again: reported again


def test_a_store_of_another_version_is_rebuilt(logs: Path, probe: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from flowkit.local import store

    before = probe(logs, body=BODY)
    monkeypatch.setattr(store, "STORE_VERSION", "0-test")
    messages: list[str] = []
    same(probe(logs, messages.append, body=BODY), before)
    assert any("written by another version of the kit" in m for m in messages)


def test_discovery_never_walks_the_store(logs: Path, probe: Any) -> None:
    probe(logs, body=BODY)
    decoy = logs / STORE_FOLDER / "AWSLogs" / "111122223333" / "vpcflowlogs" / "eu-west-1" / "2024/05/01/13"
    decoy.mkdir(parents=True)
    name = "111122223333_vpcflowlogs_eu-west-1_fl-1_20240501T1300Z_z.log.gz"
    shutil.copy(next(logs.rglob("*_a.log.gz")), decoy / name)
    assert len(discover(logs)) == 3


def test_a_full_disk_is_one_line_naming_the_folder(logs: Path, probe: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb

    from flowkit.local import ingest

    def full(*_: Any) -> None:
        raise duckdb.IOException('IO Error: Could not write file "x": No space left on device')

    monkeypatch.setattr(ingest.Ingest, "_insert", full)
    with pytest.raises(EngineError) as err:
        probe(logs, body=BODY)
    assert str(err.value) == (f"{logs / STORE_FOLDER}: no space left on device while storing the flow logs; "
                              f"free some space or remove the store (rm -r {logs / STORE_FOLDER})")
