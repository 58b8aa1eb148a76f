"""Pure schedule rules of the monthly zero report."""

import datetime as dt

import pytest

from conftest import local
from records.calendar.workdays import WorkCalendar
from records.zero_report import rules as z

CAL = WorkCalendar()  # package + statute, no administrator data
D = dt.date


def test_months():
    assert z.next_month(D(2026, 12, 1)) == D(2027, 1, 1)
    assert z.previous_month(D(2026, 1, 1)) == D(2025, 12, 1)
    assert z.month_end(D(2028, 2, 1)) == D(2028, 2, 29)
    assert z.months_back(D(2026, 2, 1), 3) == [D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (D(2026, 11, 24), [D(2026, 10, 1)]),
        (D(2026, 11, 25), [D(2026, 10, 1), D(2026, 11, 1)]),
        (D(2026, 12, 1), [D(2026, 11, 1)]),
        (D(2027, 1, 31), [D(2026, 12, 1), D(2027, 1, 1)]),
    ],
)
def test_declarable_months(today, months):
    assert z.declarable_months(today) == months


def test_reminder_day_is_third_to_last_working_day_not_before_the_25th():
    # November 2026: working days from the 25th are 25 (Wed), 26, 27, 30 → third-to-last is the 26th.
    assert z.reminder_day(D(2026, 11, 1), CAL) == D(2026, 11, 26)
    # February 2026: Spring Festival holidays end 23 Feb; 25, 26, 27 Feb (and make-up 28 Feb) remain.
    day = z.reminder_day(D(2026, 2, 1), CAL)
    assert D(2026, 2, 25) <= day <= D(2026, 2, 28) and CAL.is_working_day(day)
    assert z.reminder_at(D(2026, 11, 1), CAL) == local(2026, 11, 26, 9, 0)


def test_reminder_owed_window():
    month = D(2026, 11, 1)
    joined = D(2026, 10, 31)

    def owed(now, declared=False, joined_on=joined):
        return z.reminder_owed(month=month, now=now, calendar=CAL, declared=declared, joined_on=joined_on)

    assert not owed(local(2026, 11, 26, 8, 59))
    assert owed(local(2026, 11, 26, 9, 0))
    assert not owed(local(2026, 11, 26, 9, 0), declared=True)
    assert owed(local(2026, 11, 30, 23, 0))
    # Not sent late: after the month the officer is listed as missing instead.
    assert not owed(local(2026, 12, 1, 9, 0))
    # Joined during the month: asked from the next month on.
    assert not owed(local(2026, 11, 26, 9, 0), joined_on=D(2026, 11, 1))
    assert z.required(D(2026, 12, 1), D(2026, 11, 1)) and not z.required(D(2026, 11, 1), D(2026, 11, 1))
    assert z.months_to_remind(local(2026, 11, 26, 9)) == [D(2026, 11, 1)]


def test_missing_month_and_lateness():
    assert z.missing_month(D(2026, 11, 24)) == D(2026, 10, 1)
    assert z.missing_month(D(2026, 11, 25)) == D(2026, 11, 1)
    assert not z.is_late(D(2026, 11, 1), D(2026, 11, 30))
    assert z.is_late(D(2026, 11, 1), D(2026, 12, 1))


def test_zero_runs():
    assert z.zero_runs([]) == (0, 0)
    assert z.zero_runs([True, True, False, True]) == (1, 2)
    assert z.zero_runs([False] + [True] * 7) == (7, 7)
