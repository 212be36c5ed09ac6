"""Fixtures of the local engine tests: a probe query run on a folder over one day's window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from flowkit import queries
from flowkit.local import Result, Window, run_saved
from flowkit.messages import Notify, silent

WINDOW = Window(datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC))
PROBE = (
    "SELECT aws_account, aws_region, dt, account_id, srcaddr, bytes, packets\n"
    "FROM {{ database }}.{{ table }} WHERE {{ window }} ORDER BY bytes NULLS FIRST, srcaddr"
)
Probe = Callable[..., Result]


@pytest.fixture
def probe(fx: Any, ctx: Any) -> Probe:
    """``probe(root, messages=None, body=PROBE)``: run a query body on ``root`` in 2024-05-01 (UTC)."""

    def run(root: Path, messages: Notify | None = None, body: str = PROBE) -> Result:
        notify = silent if messages is None else messages
        return run_saved(fx.template(body), ctx, root, {}, WINDOW, notify=notify)

    return run


@pytest.fixture
def saved(ctx: Any) -> Probe:
    """``saved(root, name, messages)``: run the saved query ``name`` on ``root`` in 2024-05-01 (UTC)."""

    def run(root: Path, name: str, messages: list[str]) -> Result:
        return run_saved(queries.find(name), ctx, root, {}, WINDOW, notify=messages.append)

    return run
