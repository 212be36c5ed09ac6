"""Athena's result values as Python values, matching the local engine's (ints, floats, ISO UTC strings)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flowkit.layout import iso_utc

_INT_TYPES = frozenset({"tinyint", "smallint", "integer", "int", "bigint"})
_FLOAT_TYPES = frozenset({"double", "real", "float"})


def convert_value(athena_type: str, datum: Mapping[str, str]) -> Any:
    """One GetQueryResults datum as a Python value, by the column's Athena type.

    Matches the local engine's values: NULL (no VarCharValue) -> None; integers -> int;
    double/real -> float; decimal -> int when whole, else float; boolean -> bool; timestamp -> ISO-8601
    UTC string (``2024-05-01T13:00:00Z``; Athena's session time zone is UTC); date -> ``2024-05-01``;
    everything else (varchar, ipaddress, arrays...) -> str as Athena printed it.
    """
    if "VarCharValue" not in datum:
        return None
    text = datum["VarCharValue"]
    kind = athena_type.lower().split("(", 1)[0].strip()
    try:
        if kind in _INT_TYPES:
            return int(text)
        if kind in _FLOAT_TYPES:
            return float(text)
        if kind == "decimal":
            number = Decimal(text)
            return int(number) if number == number.to_integral_value() else float(number)
        if kind == "boolean":
            return text.lower() == "true"
        if kind == "timestamp":
            return iso_utc(datetime.fromisoformat(text))
        if kind == "timestamp with time zone":
            return iso_utc(_zoned(text))
        if kind == "date":
            return datetime.fromisoformat(text).date().isoformat()
    except (ValueError, InvalidOperation):
        return text
    return text


def _zoned(text: str) -> datetime:
    """Trino prints ``2024-05-01 13:00:00.000 UTC``, ``... +02:00`` or ``... Europe/Berlin``."""
    stamp, _, zone = text.rpartition(" ")
    if zone == "UTC":
        return datetime.fromisoformat(stamp).replace(tzinfo=UTC)
    if zone[:1] in "+-":
        return datetime.fromisoformat(stamp + zone)
    try:
        return datetime.fromisoformat(stamp).replace(tzinfo=ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(text) from None
