"""The result of one doctor check, and the small helpers every group of checks shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from flowkit.errors import one_line

Status = Literal["ok", "warning", "failed", "skipped"]


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report: what was checked, how it went, and what to do when not ok."""

    name: str
    status: Status
    detail: str
    fix: str = ""

    def as_dict(self) -> dict[str, str | None]:
        """``{name, status, detail, fix}``; ``fix`` is None when there is nothing to do."""
        return {"name": self.name, "status": self.status, "detail": self.detail, "fix": self.fix or None}


def ok(name: str, detail: str) -> Check:
    return Check(name, "ok", one_line(detail))


def warning(name: str, detail: str, fix: str) -> Check:
    return Check(name, "warning", one_line(detail), one_line(fix))


def failed(name: str, detail: str, fix: str) -> Check:
    return Check(name, "failed", one_line(detail), one_line(fix))


def skipped(name: str, because: str) -> Check:
    """A check that could not run because an earlier one failed (``because`` names that one)."""
    return Check(name, "skipped", one_line(f"not checked: {because}"))


def now() -> datetime:
    """The doctor's clock (UTC, whole seconds); tests set it."""
    return datetime.now(UTC).replace(microsecond=0)


def age(delta: timedelta) -> str:
    """``4 min``, ``2 h 5 min``, ``3 d 4 h``: how long ago, to the minute."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def first_difference(expected: list[str], found: list[str], *, what: str, found_in: str,
                     expected_in: str) -> str | None:
    """The first position where two ordered name lists differ, in one line; None if they are equal."""
    for number, (want, have) in enumerate(zip(expected, found, strict=False), start=1):
        if want != have:
            return f"{what} {number} is {have} in {found_in}, {want} in {expected_in}"
    if len(found) == len(expected):
        return None
    shorter, longer = (found, expected) if len(found) < len(expected) else (expected, found)
    rest = longer[len(shorter):]
    names = ", ".join(rest[:3]) + (", ..." if len(rest) > 3 else "")
    where = expected_in if longer is expected else found_in
    return (f"{found_in} has {count(len(found), what)}, {expected_in} {len(expected)}: "
            f"{names} only in {where}")


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``1 flow log``, ``3 flow logs``, ``2 saved queries``."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"

