"""How the report reads and shows one value: numbers, times, protocol names, ports, bytes, table cells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from flowkit.layout import to_utc
from flowkit.report.charts import exact_number, human_bytes, thousands

PROTOCOLS = {1: "ICMP", 2: "IGMP", 4: "IPv4-in-IP", 6: "TCP", 17: "UDP", 41: "IPv6", 47: "GRE", 50: "ESP",
             51: "AH", 58: "ICMPv6", 89: "OSPF", 132: "SCTP"}
PORT_COLUMNS = frozenset({"srcport", "dstport", "port"})  # shown as plain numbers, never charted


def number(value: Any) -> float | int | None:
    """The value as a number, or None for text/NULL (bool is not a number here)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return None


def parse_time(value: Any) -> datetime | None:
    """A result's time value (a datetime or an ISO string, ``UTC`` suffix allowed) in UTC, else None."""
    if isinstance(value, datetime):
        return to_utc(value)
    if isinstance(value, str):
        try:
            return to_utc(datetime.fromisoformat(value.strip().removesuffix(" UTC")))
        except ValueError:
            return None
    return None


def protocol_name(value: Any) -> str:
    """``6`` -> ``TCP (6)``; unnamed numbers -> ``protocol 99``."""
    as_number = number(value)
    if as_number is None:
        return "(none)" if value is None else str(value)
    name = PROTOCOLS.get(int(as_number))
    return f"{name} ({int(as_number)})" if name else f"protocol {int(as_number)}"


def label_text(column: str, value: Any) -> str:
    """Plain text of one value, for chart labels."""
    if value is None:
        return "(none)"
    if column == "protocol":
        return protocol_name(value)
    if column in PORT_COLUMNS:
        return str(value)
    as_number = number(value)
    return thousands(as_number) if as_number is not None else str(value)


@dataclass(frozen=True)
class Cell:
    """One table cell: shown text, optional second line, exact value and CSS class."""

    text: str
    exact: str | None = None
    value: str | None = None
    css: str = ""


def cell(column: str, value: Any) -> Cell:
    """How the report shows one value of a column (bytes human-readable plus exact, ports plain...)."""
    if value is None:
        return Cell("\u2013", css="none")
    as_number = number(value)
    if as_number is None:
        css = "addr" if column.endswith("addr") or column.endswith("_id") else ""
        return Cell(str(value), css=css)
    raw = exact_number(as_number)
    if column == "protocol":
        return Cell(protocol_name(value), value=raw)
    if column in PORT_COLUMNS:
        return Cell(str(value), value=raw, css="num")
    if column == "share" or column.endswith("_share"):
        return Cell(f"{as_number * 100:.1f}%", value=raw, css="num")
    if "bytes" in column:
        exact = thousands(as_number) if abs(as_number) >= 1024 else None  # below 1 KiB both say the same
        return Cell(human_bytes(as_number), exact=exact, value=raw, css="num")
    return Cell(thousands(as_number), value=raw, css="num")
