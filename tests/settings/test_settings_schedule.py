"""The schedule settings: report_schedule (off, daily, weekly, rate or cron), report_emails,
report_lookback_days; EventBridge Scheduler's expression rules checked before anything is built."""

from __future__ import annotations

import pytest

from flowkit.settings import SETTING_KEYS, load
from tests.settings.helpers import BASE, problems

LEAD = {"report_emails": "lead@example.com"}


def test_the_report_is_off_by_default_and_its_keys_come_last() -> None:
    s = load(BASE)
    assert (s.report_schedule, s.report_emails, s.report_lookback_days) == ("off", [], None)
    assert s.report_expression is None
    assert SETTING_KEYS[-3:] == ("report_schedule", "report_emails", "report_lookback_days")


@pytest.mark.parametrize(("schedule", "expression", "days"), [
    # Mondays / every day at 06:30 UTC, half an hour after the window ends (logs arrive ~10 minutes late)
    ("weekly", "cron(30 6 ? * MON *)", 7),
    (" Daily ", "cron(30 6 * * ? *)", 1),
    ("rate(1 day)", "rate(1 day)", 1),
    ("rate(1 hour)", "rate(1 hour)", 1),  # at most hourly; a report covers at least a day
    ("rate(36 hours)", "rate(36 hours)", 2),
    ("rate(14 days)", "rate(14 days)", 14),
    ("cron(0 6 * * ? *)", "cron(0 6 * * ? *)", 1),
    ("cron(0  7 ? * 2 *)", "cron(0 7 ? * 2 *)", 7),
    ("cron(45 23 ? * sun *)", "cron(45 23 ? * sun *)", 7),
])
def test_schedules_and_the_days_a_report_covers(schedule: str, expression: str, days: int) -> None:
    s = load({**BASE, **LEAD, "report_schedule": schedule})
    assert (s.report_expression, s.report_days) == (expression, days)


def test_lookback_and_addresses_from_the_command_line() -> None:
    s = load({**BASE, "report_schedule": "cron(15 7 ? * MON-FRI *)", "report_lookback_days": "3",
              "report_emails": "lead@example.com, soc+flows@example.org"})
    assert s.report_days == s.report_lookback_days == 3
    assert s.report_emails == ["lead@example.com", "soc+flows@example.org"]
    assert load({**BASE, **LEAD, "report_schedule": "weekly", "report_lookback_days": 2}).report_days == 2


def test_addresses_may_stay_while_the_schedule_is_off() -> None:
    s = load({**BASE, **LEAD})
    assert s.report_expression is None and s.report_emails == ["lead@example.com"]


BAD_SCHEDULE = ("must be off, daily, weekly, rate(N minutes|hours|days) or "
                "cron(minute hour day month weekday year)")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"report_schedule": "hourly"}, f"setting 'report_schedule' = \"hourly\": {BAD_SCHEDULE}"),
    ({"report_schedule": 7}, f"setting 'report_schedule' = 7: {BAD_SCHEDULE}"),
    ({"report_schedule": "rate(30 minutes)"},
     "setting 'report_schedule' = \"rate(30 minutes)\": runs more often than once an hour"),
    ({"report_schedule": "rate(1 days)"}, "with a singular unit for 1 (rate(1 day))"),
    ({"report_schedule": "rate(2 day)"}, "a plural one otherwise (rate(2 days))"),
    ({"report_schedule": "rate(0 hours)"}, "rate(...) takes a positive number"),
    ({"report_schedule": "cron(0 6 * * ?)"}, "cron(...) needs 6 fields (minute hour day-of-month month "
                                             "day-of-week year), not 5"),
    ({"report_schedule": "cron(*/10 6 * * ? *)"}, "the minute must be one number 0-59"),
    ({"report_schedule": "cron(0 24 * * ? *)"}, "bad hour field '24'"),
    ({"report_schedule": "cron(0 6 * FOO ? *)"}, "bad month field 'FOO'"),
    ({"report_schedule": "cron(0 6 * * MON *)"}, "exactly one of day-of-month and day-of-week must be '?'"),
    ({"report_schedule": "cron(0 6 ? * ? *)"}, "exactly one of day-of-month and day-of-week must be '?'"),
    ({"report_schedule": "at(2026-12-07T06:00:00)"}, BAD_SCHEDULE),
    ({"report_emails": "lead@example"}, "setting 'report_emails' = \"lead@example\": 'lead@example' is not "
                                        "an e-mail address"),
    ({"report_emails": ["lead@example.com", "a b@example.com"]},
     "'a b@example.com' is not an e-mail address"),
    ({"report_emails": "x@example.com,x@example.com"}, "duplicate id(s) x@example.com"),
    ({"report_schedule": "weekly"}, "setting 'report_emails': report_schedule is 'weekly' but no address is "
                                    "set; name who gets the report (comma-separated)"),
    ({"report_schedule": "cron(0 6 1 * ? *)", **LEAD},
     "setting 'report_lookback_days': required with report_schedule 'cron(0 6 1 * ? *)'"),
    ({"report_lookback_days": 0}, "setting 'report_lookback_days' = 0: must be between 1 and 366 days"),
    ({"report_lookback_days": "a week"}, "setting 'report_lookback_days' = \"a week\""),
    ({"report_schedule": "weekly", "report_lookback_days": 45, **LEAD},
     "setting 'report_lookback_days': a report would cover 45 days, more than log_retention_days (30) keeps "
     "the logs"),
    ({"report_schedule": "weekly", "log_retention_days": 5, "lookback_days": 5, **LEAD},
     "a report would cover 7 days, more than log_retention_days (5)"),
])
def test_bad_schedule_settings_are_one_line_each(changes: dict[str, object], expected: str) -> None:
    found = problems(**changes)
    assert len(found) == 1, found
    assert expected in found[0]
