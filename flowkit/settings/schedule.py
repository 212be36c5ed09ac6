"""The report on a schedule: how often it runs, who gets it by e-mail, and how many days it covers.

``report_schedule`` is ``off``, ``daily``, ``weekly``, or an EventBridge Scheduler ``rate(...)`` or
``cron(...)`` expression (UTC); the expression is checked here so a typo stops ``cdk synth`` instead of
the deployment. A report runs at most once an hour (every run is eleven Athena queries).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import field_validator, model_validator

from flowkit.settings.rules import Part, TextInt, TextList, between, ids

# Monday 06:30 UTC / every day 06:30 UTC: half an hour after the window's end (06:00), so the records of
# its last minutes have been delivered (AWS writes them about 10 minutes after the traffic).
KEYWORDS: dict[str, tuple[str, int]] = {
    "daily": ("cron(30 6 * * ? *)", 1),
    "weekly": ("cron(30 6 ? * MON *)", 7),
}
OFF = "off"
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")
KINDS = "must be off, daily, weekly, rate(N minutes|hours|days) or cron(minute hour day month weekday year)"
RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
CRON = re.compile(r"^cron\(([^()]*)\)$")
RATE_MINUTES = {"minute": 1, "hour": 60, "day": 1440}
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
# cron fields after the minute: (name, lowest, highest, names counted from lowest, extra single tokens)
CRON_FIELDS: tuple[tuple[str, int, int, tuple[str, ...], str], ...] = (
    ("hour", 0, 23, (), ""),
    ("day-of-month", 1, 31, (), r"L|LW|\d{1,2}W"),
    ("month", 1, 12, MONTHS, ""),
    ("day-of-week", 1, 7, WEEKDAYS, r"L|[1-7]L|[1-7]#[1-5]"),
    ("year", 1970, 2199, (), ""),
)


def _value(text: str, low: int, high: int, names: tuple[str, ...]) -> bool:
    if text.upper() in names:
        return True
    return text.isdigit() and low <= int(text) <= high


def _cron_field(text: str, low: int, high: int, names: tuple[str, ...], special: str) -> bool:
    """A comma list of ``*``, values, ranges ``a-b``, steps ``x/n``, or the field's special tokens."""
    for item in text.split(","):
        if special and re.fullmatch(special, item.upper()):
            continue
        base, _, step = item.partition("/")
        if step and not (step.isdigit() and int(step) >= 1):
            return False
        start, _, end = base.partition("-")
        if base == "*" or (_value(start, low, high, names) and (not end or _value(end, low, high, names))):
            continue
        return False
    return True


def _cron_days(fields: list[str]) -> int | None:
    """Days between runs when a cron expression runs once a day or once a week, else None."""
    hour, day_of_month, month, day_of_week, _year = fields[1:]
    if not hour.isdigit() or month != "*":
        return None
    if day_of_month == "*" and day_of_week == "?":
        return 1
    if day_of_month == "?" and (day_of_week.isdigit() or day_of_week.upper() in WEEKDAYS):
        return 7
    return None


def _check_cron(body: str) -> list[str]:
    fields = body.split()
    if len(fields) != 6:
        return [f"cron(...) needs 6 fields (minute hour day-of-month month day-of-week year), "
                f"not {len(fields)}"]
    if not (fields[0].isdigit() and int(fields[0]) <= 59):
        return ["the minute must be one number 0-59: a report runs at most once an hour"]
    problems = []
    for text, (name, low, high, names, special) in zip(fields[1:], CRON_FIELDS, strict=True):
        if not (text == "?" and name.startswith("day-") or _cron_field(text, low, high, names, special)):
            problems.append(f"bad {name} field '{text}'")
    if (fields[2] == "?") == (fields[4] == "?"):
        problems.append("exactly one of day-of-month and day-of-week must be '?'")
    return problems


def parse_schedule(text: str) -> tuple[str | None, int | None]:
    """(Scheduler expression or None for off, days between runs or None when not known); ValueError."""
    if text in (OFF, *KEYWORDS):
        return KEYWORDS.get(text, (None, None))
    rate = RATE.match(text)
    if rate:
        count, unit = int(rate[1]), rate[2]
        if count < 1 or (count == 1) != (not unit.endswith("s")):
            raise ValueError("rate(...) takes a positive number, with a singular unit for 1 (rate(1 day)) "
                             "and a plural one otherwise (rate(2 days))")
        minutes = count * RATE_MINUTES[unit.rstrip("s")]
        if minutes < 60:
            raise ValueError("runs more often than once an hour (every run is eleven Athena queries)")
        return text, max(1, -(-minutes // 1440))
    cron = CRON.match(text)
    if not cron:
        raise ValueError(KINDS)
    problems = _check_cron(cron[1])
    if problems:
        raise ValueError("; ".join(problems))
    return "cron(" + " ".join(cron[1].split()) + ")", _cron_days(cron[1].split())


class ScheduleSettings(Part):
    report_schedule: str = OFF
    report_emails: Annotated[TextList, ids(EMAIL, "an e-mail address")] = []
    report_lookback_days: Annotated[TextInt, between(1, 366, "must be between 1 and 366 days")] | None = None

    @field_validator("report_schedule", mode="before")
    @classmethod
    def _schedule(cls, value: Any) -> Any:
        if value is None:
            return OFF
        if not isinstance(value, str):
            raise ValueError(KINDS)
        text = value.strip()
        text = text.lower() if text.lower() in (OFF, *KEYWORDS) else text
        parse_schedule(text)
        return text

    @model_validator(mode="after")
    def _schedule_needs(self) -> ScheduleSettings:
        if self.report_expression is None:
            return self
        if not self.report_emails:
            raise ValueError(f"setting 'report_emails': report_schedule is '{self.report_schedule}' but no "
                             "address is set; name who gets the report (comma-separated)")
        if self.report_days is None:
            raise ValueError(f"setting 'report_lookback_days': required with report_schedule "
                             f"'{self.report_schedule}' (the kit knows the period of daily and weekly runs)")
        return self

    @property
    def report_expression(self) -> str | None:
        """The EventBridge Scheduler expression (UTC), None when the schedule is off."""
        return parse_schedule(self.report_schedule)[0]

    @property
    def report_days(self) -> int | None:
        """Days each scheduled report covers: report_lookback_days, else the schedule's period."""
        return self.report_lookback_days or parse_schedule(self.report_schedule)[1]
