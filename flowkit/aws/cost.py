"""What Athena bills: USD 5 per TB scanned, bytes rounded up to the next megabyte, 10 MB minimum per query.

Units are decimal here: MB = 10**6 and TB = 10**12 bytes. Athena documents the smallest per-query data
usage control (BytesScannedCutoffPerQuery) as 10 MB, and its API model gives that minimum as 10,000,000
bytes; the kit's analytics stack never sets a cutoff below 10 MiB (10,485,760 bytes), which is above it.
Failed queries are not billed; cancelled ones are (for what they scanned before they stopped).
"""

from __future__ import annotations

import math

MB = 10**6
TB = 10**12
USD_PER_TB = 5.0
MINIMUM_BILLED_BYTES = 10 * MB
PRICING = f"USD {USD_PER_TB:g} per TB, 10 MB minimum"


def billed_bytes(scanned: int) -> int:
    """Bytes Athena bills for a query that scanned ``scanned`` bytes (whole MB, at least 10 MB)."""
    return max(math.ceil(max(scanned, 0) / MB) * MB, MINIMUM_BILLED_BYTES)


def cost_usd(scanned: int) -> float:
    return billed_bytes(scanned) * USD_PER_TB / TB


def format_bytes(count: int) -> str:
    """Decimal units, like Athena's console: ``1.50 MB``."""
    value = float(count)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{count} B" if unit == "B" else f"{value:.2f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def cost_line(scanned: int, state: str = "SUCCEEDED") -> str:
    """The one-line data-scanned and cost report printed after a query."""
    text = f"Data scanned: {format_bytes(scanned)}"
    if state == "FAILED":
        return text + " (failed queries are not billed)"
    return text + f"; billed {format_bytes(billed_bytes(scanned))} ~ USD {cost_usd(scanned):.6f} ({PRICING})"


def bound_line(window_bytes: int, objects: int, queries: int = 1) -> str:
    """The most ``queries`` queries over a window of ``objects`` files (``window_bytes``) can cost."""
    each = f"at most {format_bytes(window_bytes)} ({objects} file(s) in the window's folders)"
    if queries == 1:
        return f"Data scanned: {each}; billed at most ~ USD {cost_usd(window_bytes):.6f} ({PRICING})"
    return (f"Data scanned per query: {each}; {queries} queries billed at most ~ USD "
            f"{queries * cost_usd(window_bytes):.6f} ({PRICING})")
