"""What ``flowlogs query`` prints: values exactly as they are, a bounded table that says what it left out,
and JSON/CSV with every row, written as the rows arrive.

Results come from moto's Athena (any value a query can return, as many rows as needed); the writer's
streaming is checked on a generator that looks at the output between rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.athena.models import QueryResults, athena_backends
from moto.core import DEFAULT_ACCOUNT_ID

from flowkit.cli import rows
from tests.moto_hooks import Hooks, flowlogs, moto_cli

REGION = "us-east-1"
ATHENA = ["--athena", "--workgroup", "wg", "--database", "db", "--since", "2d"]
COLUMNS = [("srcaddr", "varchar"), ("bytes", "bigint"), ("packets", "bigint")]
MARKUP = ["[/x]", "[bold]red[/]", "[link=http://x]y[/link]", ":smile:", "a\\[b]"]


@pytest.fixture
def hooks(aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Hooks]:
    with moto_cli(monkeypatch, tmp_path) as found:
        boto3.client("athena", region_name=REGION).create_work_group(Name="wg")
        yield found


def queue(values: list[tuple[str, int, int]]) -> None:
    """The rows moto's Athena returns for the next query (Athena's header row first)."""
    def row(*data: Any) -> dict[str, Any]:
        return {"Data": [{"VarCharValue": str(v)} for v in data]}

    info = [{"Name": n, "Label": n, "Type": t} for n, t in COLUMNS]
    backend = athena_backends[DEFAULT_ACCOUNT_ID][REGION]
    backend.query_results_queue.append(QueryResults(rows=[row(*(n for n, _ in COLUMNS)),
                                                          *(row(*v) for v in values)], column_info=info))


def many(count: int) -> list[tuple[str, int, int]]:
    return [(f"10.{i // 256 % 256}.{i % 256}.1", 1000 - i % 1000, i) for i in range(count)]


# -- literal values -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_values_that_look_like_console_markup_print_as_they_are(hooks: Hooks, fmt: str) -> None:
    queue([(text, 1, 2) for text in MARKUP])
    result = flowlogs("query", "top-talkers", *ATHENA, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    if fmt == "json":
        assert [r["srcaddr"] for r in json.loads(result.stdout)] == MARKUP
    elif fmt == "csv":
        assert [r[0] for r in csv.reader(io.StringIO(result.stdout))][1:] == MARKUP
    else:
        for text in MARKUP:
            assert f"│ {text} " in result.stdout, text
        assert "\x1b[" not in result.stdout  # no styles applied


def test_a_title_with_markup_prints_as_it_is() -> None:
    out = io.StringIO()
    rows.write(["address"], [("2001:db8::1 and more text",)], "table", out, title="[bold]name[/x]")
    assert "[bold]name[/x]" in out.getvalue()


# -- bounded table, complete JSON and CSV -----------------------------------------------------------------
def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("│ 10.")]


def test_the_table_prints_its_default_limit_and_says_how_many_rows_were_left_out(hooks: Hooks) -> None:
    queue(many(2500))
    result = flowlogs("query", "top-talkers", *ATHENA)
    assert result.exit_code == 0, result.stderr
    shown = table_rows(result.stdout)
    assert len(shown) == rows.TABLE_LIMIT == 1000
    assert shown[0].startswith("│ 10.0.0.1 ") and shown[-1].startswith("│ 10.3.231.1 ")  # row 999
    assert ("flowlogs: note: printed the first 1,000 of 2,500 rows; 1,500 left out (--limit N for more, "
            "--limit 0 for all)") in result.stderr.splitlines()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_give_every_row(hooks: Hooks, fmt: str) -> None:
    queue(many(2500))
    result = flowlogs("query", "top-talkers", *ATHENA, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    found = (json.loads(result.stdout) if fmt == "json"
             else list(csv.DictReader(io.StringIO(result.stdout))))
    assert len(found) == 2500
    assert str(found[-1]["packets"]) == "2499"
    assert "left out" not in result.stderr


@pytest.mark.parametrize(("fmt", "limit", "printed"),
                         [("csv", "7", 7), ("json", "7", 7), ("table", "0", 1200), ("table", "5", 5)])
def test_limit_bounds_every_format(hooks: Hooks, fmt: str, limit: str, printed: int) -> None:
    queue(many(1200))
    result = flowlogs("query", "top-talkers", *ATHENA, "--format", fmt, "--limit", limit)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        assert len(json.loads(result.stdout)) == printed
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == printed
    else:
        assert len(table_rows(result.stdout)) == printed
    note = [line for line in result.stderr.splitlines() if "left out" in line]
    assert note == ([] if printed == 1200 else
                    [f"flowlogs: note: printed the first {printed:,} of 1,200 rows; {1200 - printed:,} left "
                     "out (--limit N for more, --limit 0 for all)"])


def test_a_negative_limit_is_bad_input(hooks: Hooks) -> None:
    result = flowlogs("query", "top-talkers", *ATHENA, "--limit", "-1")
    assert result.exit_code == 2 and "--limit" in result.stderr and result.stdout == ""


# -- streaming: each row is written before the next one is read ----------------------------------------
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_rows_are_written_as_they_arrive(fmt: str) -> None:
    out = io.StringIO()
    written_before: list[str] = []

    def arriving() -> Iterator[tuple[Any, ...]]:
        for number in range(3):
            written_before.append(out.getvalue())
            yield (f"10.0.0.{number}", number)

    done = rows.write(["srcaddr", "bytes"], arriving(), fmt, out)
    assert (done.shown, done.total) == (3, 3)
    assert ["10.0.0.0" in text for text in written_before] == [False, True, True]
    assert ["10.0.0.1" in text for text in written_before] == [False, False, True]
    if fmt == "json":  # the same text json.dump(records, indent=2) writes
        records = [{"srcaddr": f"10.0.0.{n}", "bytes": n} for n in range(3)]
        assert out.getvalue() == json.dumps(records, indent=2) + "\n"


def test_an_empty_json_result_is_an_empty_array() -> None:
    out = io.StringIO()
    rows.write(["a"], iter(()), "json", out)
    assert out.getvalue() == "[]\n" and json.loads(out.getvalue()) == []
