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
    # 30 November 2026 is a Monday: due that day; the declaration of 3 December (issue 19) is late,
    # and the declaration is still accepted through the end of December.
    assert not z.is_late(D(2026, 11, 1), D(2026, 11, 30), CAL)
    assert z.is_late(D(2026, 11, 1), D(2026, 12, 1), CAL)
    assert z.is_late(D(2026, 11, 1), D(2026, 12, 3), CAL)
    assert z.window_closes(D(2026, 11, 1)) == D(2026, 12, 31)


# Each due date checked by hand against the State Council holiday notices (国办发明电) of the year:
# the month's last day, or the next working day when it is a weekend or holiday (民法典 第二百零三条).
@pytest.mark.parametrize(
    "month, due",
    [
        (D(2026, 11, 1), D(2026, 11, 30)),  # Monday
        (D(2026, 4, 1), D(2026, 4, 30)),  # Thursday, the day before 劳动节 (1–5 May)
        (D(2026, 9, 1), D(2026, 9, 30)),  # Wednesday, the day before 国庆 (1–7 October)
        (D(2026, 1, 1), D(2026, 2, 2)),  # Saturday 31 January → Monday 2 February
        (D(2026, 2, 1), D(2026, 2, 28)),  # Saturday 28 February 2026 is a make-up working day (春节调休上班)
        (D(2026, 5, 1), D(2026, 6, 1)),  # Sunday 31 May → Monday 1 June
        (D(2023, 12, 1), D(2024, 1, 2)),  # Sunday 31 December, 元旦 Monday 1 January → Tuesday 2 January
        (D(2025, 1, 1), D(2025, 2, 5)),  # Friday 31 January inside 春节 (28 January–4 February) → Wednesday 5 February
        (D(2024, 9, 1), D(2024, 9, 30)),  # Monday before 国庆 2024
    ],
)
def test_due_date_is_the_month_end_rolled_to_a_working_day(month, due):
    assert z.due_date(month, CAL) == due
    start, end = z.due_calendar_window(month)
    assert start <= due <= end
    # The day the declaration is due is on time, the day after is late.
    assert not z.is_late(month, due, CAL)
    assert z.is_late(month, due + dt.timedelta(days=1), CAL)


def test_due_date_follows_an_administrator_override():
    # An administrator declares Monday 30 November 2026 a day off: the due date moves to 1 December.
    calendar = WorkCalendar(overrides={D(2026, 11, 30): False}, start=D(2026, 11, 1), end=D(2026, 12, 31))
    assert z.due_date(D(2026, 11, 1), calendar) == D(2026, 12, 1)
    assert not z.is_late(D(2026, 11, 1), D(2026, 12, 1), calendar)


def test_reminder_owed_until_the_due_date_when_it_rolls_into_the_next_month():
    # January 2026 is due on Monday 2 February: a sweep on Sunday 1 February still owes the reminder.
    cal = WorkCalendar()
    kwargs = {"month": D(2026, 1, 1), "calendar": cal, "declared": False, "joined_on": D(2025, 12, 1)}
    assert z.reminder_owed(now=local(2026, 2, 1, 10, 0), **kwargs)
    assert not z.reminder_owed(now=local(2026, 2, 3, 10, 0), **kwargs)


@pytest.mark.parametrize(
    "zero_run, officers, marked",
    [(6, 1, True), (5, 1, False), (12, 3, True), (12, 0, False), (0, 0, False)],
)
def test_long_silence_needs_officers(zero_run, officers, marked):
    assert z.long_silence(zero_run=zero_run, officers=officers) is marked


def test_zero_runs():
    assert z.zero_runs([]) == (0, 0)
    assert z.zero_runs([True, True, False, True]) == (1, 2)
    assert z.zero_runs([False] + [True] * 7) == (7, 7)
