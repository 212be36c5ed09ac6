"""Reusable pieces of the settings model: the part base class, text coercion, range and pattern checks.

Values from ``-c`` arrive as strings ("true", "60", "vpc-1,vpc-2"); values from cdk.json arrive as
JSON. The annotated types here accept both, so each setting states its type once and each rule is
written once, its message naming what is wrong.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
)

from flowkit.errors import KitError


class SettingsError(KitError):
    """Invalid settings; ``problems`` holds one line per problem."""


class Part(BaseModel):
    """A group of settings; ``Settings`` inherits every part (field names are the cdk.json keys)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def as_list(value: Any) -> Any:
    """A JSON list, a JSON-list string, or a comma-separated string -> list of stripped strings."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                return value
        else:
            return [part.strip() for part in text.split(",") if part.strip()]
    return value


def as_bool(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


def as_number(value: Any) -> Any:
    """"60" becomes 60, "2.5" becomes 2.5; the field's strict type checks the rest."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d*)?\s*", value):
        return float(value) if "." in value else int(value)
    return value


def upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


TextList = Annotated[list[str], BeforeValidator(as_list)]
TextBool = Annotated[StrictBool, BeforeValidator(as_bool)]
TextInt = Annotated[StrictInt, BeforeValidator(as_number)]
TextFloat = Annotated[StrictFloat, BeforeValidator(as_number)]


def between(low: float, high: float, message: str) -> AfterValidator:
    """An annotated range check: ``low <= value <= high`` or ``message``."""

    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(message)
        return value

    return AfterValidator(check)


def matching(pattern: re.Pattern[str], message: str) -> AfterValidator:
    """An annotated pattern check for optional names: None passes, anything else must match."""

    def check(value: str | None) -> str | None:
        if value is not None and not pattern.match(value):
            raise ValueError(message)
        return value

    return AfterValidator(check)


def not_in(reserved: set[str], message: str) -> AfterValidator:
    def check(value: str | None) -> str | None:
        if value is not None and value.lower() in reserved:
            raise ValueError(message)
        return value

    return AfterValidator(check)


def ids(pattern: re.Pattern[str], kind: str) -> AfterValidator:
    """An annotated check of a list of AWS ids: each matches ``pattern`` (``kind`` names it), none twice."""

    def check(value: list[str]) -> list[str]:
        bad = [v for v in value if not isinstance(v, str) or not pattern.match(v)]
        if bad:
            raise ValueError(", ".join(repr(b) for b in bad) + f" is not {kind}")
        dupes = sorted({v for v in value if value.count(v) > 1})
        if dupes:
            raise ValueError("duplicate id(s) " + ", ".join(dupes))
        return value

    return AfterValidator(check)

