"""Helpers for the report tests: a tiny HTML tree (stdlib only) to read what the page shows, the page of
the fake results, and the end-to-end sample report the browser tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

from flowkit.report import render_html
from tests.report.fakes import make_report

if TYPE_CHECKING:
    from tests.report.endtoend import Sample

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})


@dataclass
class Node:
    """One element: tag, attributes, children (Nodes and text strings)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self, skip_tags: frozenset[str] = frozenset({"title"})) -> str:
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in skip_tags:
                parts.append(child.text(skip_tags))
        return "".join(parts)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


@pytest.fixture
def html_tree() -> Callable[[str], Node]:
    """``html_tree(text)`` -> the root Node."""
    return parse_html


@pytest.fixture(scope="package")
def page() -> str:
    """The page of the fake results."""
    return render_html(make_report()[0])


@pytest.fixture(scope="package")
def made(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    """Sample logs run through the local engine into a report page, written once for the browser tests."""
    from tests.report.endtoend import make_sample  # the local engine only for the tests that use it

    return make_sample(tmp_path_factory.mktemp("report"))
