"""The page as a whole (fake results): header, escaping, self-containment, long tables."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from flowkit.report import html, render_html
from tests.report.fakes import FakeResult, chart, fake_results, make_report, marks, table_rows


def test_header_states_window_source_time_and_totals(page: str, html_tree: Callable) -> None:
    root = html_tree(page)
    meta = {n.attrs["id"]: n.text() for n in root.find_all("dd")}
    assert meta["window"] == "2024-05-01 00:00 UTC to 2024-05-03 00:00 UTC (2 days)"
    assert meta["source"] == "local directory /tmp/logs"
    assert meta["generated"] == "2024-05-03 08:15 UTC"
    tiles = {n.attrs["data-tile"]: n for n in root.find_all("div") if "tile" in n.classes()}
    assert "10,000" in tiles["Flow records"].text()  # 9,000 + 1,000
    assert "123,456,794,690" in tiles["Bytes"].text()  # 123,456,789,012 + 5,678
    packets = sum(2_000 + 11 * i for i in range(45))
    assert f"{packets:,}" in tiles["Packets"].text()
    assert "10.0%" in tiles["Rejected"].text() and "1,000 flow records" in tiles["Rejected"].text()
    assert root.find_all("title")[0].text().startswith("VPC Flow Logs report")


def test_data_is_escaped(html_tree: Callable) -> None:
    data = fake_results()
    evil = '"><img src=x onerror=alert(1)>'
    data["bytes-by-interface"] = FakeResult(("interface_id", "bytes", "packets"), [(evil, 10, 1)])
    text = render_html(make_report(data, source="Athena workgroup <b>wg</b> & 'db'")[0])
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img" not in text and "<b>wg" not in text
    root = html_tree(text)
    assert root.find_all("dd", id="source")[0].text() == "Athena workgroup <b>wg</b> & 'db'"
    assert table_rows(root, "bytes-by-interface")[0][0].text() == evil
    assert marks(chart(root, "bytes-by-interface"))[0].attrs["data-label"] == evil
    assert table_rows(root, "rejected-sources")[-1][0].text() == "<script>alert(1)</script>"


def test_page_is_self_contained(page: str) -> None:
    lowered = page.lower()
    for needle in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "@font-face"):
        assert needle not in lowered, needle
    # the only URL is the SVG namespace (an identifier, never fetched)
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}


def test_long_table_is_capped_and_says_so(html_tree: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "TABLE_LIMIT", 10)
    page = render_html(make_report()[0])
    assert len(table_rows(html_tree(page), "top-talkers")) == 10
    assert "40 more rows are not shown" in page


def section_text(root: object, name: str) -> str:
    [section] = [s for s in root.find_all("section") if s.attrs.get("id") == name]  # type: ignore[attr-defined]
    return " ".join(section.text().split())


def test_each_section_states_exactly_what_its_chart_and_table_show(html_tree: Callable,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "TABLE_LIMIT", 10)
    root = html_tree(render_html(make_report()[0]))
    talkers = section_text(root, "top-talkers")  # 50 rows in the fakes: 15 bars, 10 table rows
    assert "The chart shows the top 15 of 50 rows; the table below lists the first 10 of them." in talkers
    assert ("The table shows the first 10 of 50 rows, in the saved query's order; 40 more rows are not "
            "shown: flowlogs query top-talkers --format csv gives all of them.") in talkers
    assert "lists them all" not in talkers
    monkeypatch.setattr(html, "TABLE_LIMIT", 500)
    root = html_tree(render_html(make_report()[0]))
    sources = section_text(root, "rejected-sources")  # 21 rows: 15 bars, every row in the table
    assert "The chart shows the top 15 of 21 rows; the table below lists all of them." in sources
    assert "not shown" not in sources
