"""How one value is shown in the tables (fake results): text, numbers, shares, ports, bytes, protocols."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from flowkit.report import Cell, protocol_name, render_html
from flowkit.report.cells import cell as cell_of
from tests.report.fakes import FakeResult, chart, fake_results, make_report, marks, table_rows


def test_tables_show_every_input_value(page: str, html_tree: Callable) -> None:
    root = html_tree(page)
    for name, result in fake_results().items():
        rows = table_rows(root, name)
        assert len(rows) == len(result.rows), name
        for cells, row in zip(rows, result.rows, strict=True):
            for cell, column, value in zip(cells, result.columns, row, strict=True):
                if isinstance(value, str):
                    assert cell.text() == value
                elif column == "protocol":
                    assert cell.attrs["data-value"] == str(value)
                elif column == "share":
                    assert cell.text() == f"{value * 100:.1f}%"
                elif column in ("dstport", "srcport"):
                    assert cell.text() == str(value)  # ports without thousands separators
                elif column == "bytes":
                    exact = cell.find_all("span")[0]
                    assert exact.text() == f"{value:,}"
                    assert cell.attrs["data-value"] == str(value)
                else:
                    assert cell.text() == f"{value:,}"
                    assert cell.attrs["data-value"] == str(value)


@pytest.mark.parametrize(("value", "shown"), [
    (5_678, "5.5 KiB"), (1_000, "1,000 B"), (123_456_789_012, "115.0 GiB"), (4_000_000, "3.8 MiB"),
    (1_621_470_711, "1.5 GiB")])
def test_bytes_are_human_readable_with_the_exact_value(value: int, shown: str, html_tree: Callable) -> None:
    data = fake_results()
    data["bytes-by-interface"] = FakeResult(("interface_id", "bytes", "packets"), [("eni-1", value, 1)])
    root = html_tree(render_html(make_report(data)[0]))
    cell = table_rows(root, "bytes-by-interface")[0][1]
    assert cell.text().endswith(shown)
    if value >= 1024:
        assert cell.find_all("span")[0].text() == f"{value:,}"
    else:
        assert cell.text() == shown
    bar = marks(chart(root, "bytes-by-interface"))[0]
    assert f"{value:,} bytes" in bar.find_all("title")[0].text()  # exact value in the tooltip


def test_protocol_numbers_are_named(page: str, html_tree: Callable) -> None:
    cells = [row[0].text() for row in table_rows(html_tree(page), "rejected-by-protocol")]
    assert cells == ["TCP (6)", "UDP (17)", "ICMP (1)"]


def test_cell_of_each_kind_of_column() -> None:
    assert cell_of("srcaddr", None) == Cell("\u2013", css="none")
    assert cell_of("interface_id", "eni-1") == Cell("eni-1", css="addr")
    assert cell_of("action", "REJECT") == Cell("REJECT")
    assert cell_of("dstport", 3389) == Cell("3389", value="3389", css="num")
    assert cell_of("protocol", Decimal(17)) == Cell("UDP (17)", value="17")
    assert cell_of("share", 0.25) == Cell("25.0%", value="0.25", css="num")
    assert cell_of("bytes", 512) == Cell("512 B", value="512", css="num")
    assert cell_of("bytes", 1536) == Cell("1.5 KiB", exact="1,536", value="1536", css="num")
    assert cell_of("flows", 12345) == Cell("12,345", value="12345", css="num")
    assert protocol_name(99) == "protocol 99" and protocol_name(None) == "(none)"
