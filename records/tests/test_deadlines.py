"""Reporting deadlines and "N 日内" periods (records.calendar.deadlines).

Expected dates checked by hand against chinese_calendar's constants.py for 2026:
  元旦 Jan 1–3 (make-up Sun Jan 4); 春节 Feb 15–23 (make-up Sat Feb 14, Sat Feb 28);
  劳动节 May 1–5 (make-up Sat May 9); 中秋 Sep 25–27; 国庆 Oct 1–7 (make-up Sun Sep 20, Sat Oct 10);
and, for 2027 (not in the package), the provisional statutory calendar: 元旦 Fri Jan 1, no 补假.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from records.calendar.deadlines import Deadline, DeadlineState, deadline_state, period_end, reporting_deadline, reporting_due
from records.calendar.workdays import CalendarWindowError, WorkCalendar
from records.models import CalendarYear, HolidayOverride

D = dt.date
BJ = ZoneInfo("Asia/Shanghai")
PURE = WorkCalendar()


def bj(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0, us: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, us, tzinfo=BJ)


def eod(y: int, m: int, d: int) -> dt.datetime:
    return bj(y, m, d, 23, 59, 59)


# --- reporting_due / reporting_deadline (R-DUE) ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("occurred_at", "due_at"),
    [
        # Fri 2026-02-13 before 春节: Sat Feb 14 is a make-up working day = 1; Feb 15–23 off;
        # Tue Feb 24 = 2; Wed Feb 25 = 3.
        (bj(2026, 2, 13, 17, 30), eod(2026, 2, 25)),
        # Sat 2026-10-03, inside 国庆 Oct 1–7: Thu Oct 8 = 1, Fri Oct 9 = 2, Sat Oct 10 (make-up) = 3.
        (bj(2026, 10, 3, 10, 0), eod(2026, 10, 10)),
        # Sun 2026-09-20 is itself a make-up working day, but the event day never counts:
        # Mon Sep 21 = 1, Tue Sep 22 = 2, Wed Sep 23 = 3.
        (bj(2026, 9, 20, 9, 0), eod(2026, 9, 23)),
        # Thu 2026-09-17: Fri Sep 18 = 1, Sat Sep 19 off, Sun Sep 20 (make-up) = 2, Mon Sep 21 = 3.
        (bj(2026, 9, 17, 15, 0), eod(2026, 9, 21)),
        # Thu 2026-05-07: Fri May 8 = 1, Sat May 9 (make-up) = 2, Sun May 10 off, Mon May 11 = 3.
        (bj(2026, 5, 7, 8, 0), eod(2026, 5, 11)),
        # Plain week: Mon 2026-11-23 → Tue 24, Wed 25, Thu 26.
        (bj(2026, 11, 23, 11, 0), eod(2026, 11, 26)),
    ],
)
def test_reporting_due_official_2026(occurred_at: dt.datetime, due_at: dt.datetime):
    result = reporting_deadline(occurred_at)
    assert result == Deadline(due_at=due_at, provisional=False)
    assert reporting_due(occurred_at) == due_at
    assert result.due_at.utcoffset() == dt.timedelta(hours=8)


@pytest.mark.django_db
def test_reporting_due_uses_the_beijing_date_of_the_event():
    # 2026-02-12 16:30 UTC is 2026-02-13 00:30 in Beijing: the event day is Friday Feb 13, not Thursday.
    occurred = dt.datetime(2026, 2, 12, 16, 30, tzinfo=dt.UTC)
    assert reporting_due(occurred) == eod(2026, 2, 25)
    # 2026-02-12 15:59 UTC is still Thursday Feb 12 in Beijing: Fri 13 = 1, Sat 14 (make-up) = 2, Tue 24 = 3.
    assert reporting_due(dt.datetime(2026, 2, 12, 15, 59, tzinfo=dt.UTC)) == eod(2026, 2, 24)


def test_reporting_due_rejects_naive_datetimes():
    with pytest.raises(ValueError):
        reporting_due(dt.datetime(2026, 2, 13, 10, 0))


@pytest.mark.django_db
def test_reporting_due_across_into_an_uncovered_year_is_provisional():
    # Wed 2026-12-30: Thu Dec 31 = 1 (official 2026); Fri Jan 1 2027 元旦 (provisional) off;
    # Sat/Sun Jan 2–3; Mon Jan 4 = 2; Tue Jan 5 = 3. The package has no 2027, which must not raise.
    result = reporting_deadline(bj(2026, 12, 30, 14, 0))
    assert result == Deadline(due_at=eod(2027, 1, 5), provisional=True)
    assert str(result.due_at) == "2027-01-05 23:59:59+08:00"


@pytest.mark.django_db
def test_override_changes_the_due_date():
    HolidayOverride.objects.create(date=D(2027, 1, 4), is_working_day=False, source="国办发明电〔2026〕X号")
    # Thu Dec 31 = 1, Jan 1–4 off, Tue Jan 5 = 2, Wed Jan 6 = 3; Jan 5 and 6 are still provisional.
    assert reporting_deadline(bj(2026, 12, 30, 14, 0)) == Deadline(due_at=eod(2027, 1, 6), provisional=True)


@pytest.mark.django_db
def test_calendar_year_removes_the_provisional_holiday_and_flag():
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕X号")
    # 2027 is entered in full and has no override for Jan 1: it is a plain Friday.
    # Thu Dec 31 = 1, Fri Jan 1 = 2, Mon Jan 4 = 3; no day comes from the provisional calendar.
    assert reporting_deadline(bj(2026, 12, 30, 14, 0)) == Deadline(due_at=eod(2027, 1, 4), provisional=False)


def test_reporting_deadline_with_a_given_calendar_is_pure():
    # No django_db mark: pytest-django fails any database access here.
    assert reporting_deadline(bj(2026, 2, 13, 9, 0), calendar=PURE) == Deadline(eod(2026, 2, 25), False)
    short = WorkCalendar(start=D(2026, 2, 13), end=D(2026, 2, 20))
    with pytest.raises(CalendarWindowError):
        reporting_deadline(bj(2026, 2, 13, 9, 0), calendar=short)


def test_provisional_flag_only_for_days_counted():
    # Mon 2026-12-21 → Tue 22, Wed 23, Thu 24: all 2026, official.
    assert reporting_deadline(bj(2026, 12, 21, 9, 0), calendar=PURE).provisional is False
    # Mon 2026-12-28 → Tue 29, Wed 30, Thu 31: the due day is still 2026, official.
    assert reporting_deadline(bj(2026, 12, 28, 9, 0), calendar=PURE) == Deadline(eod(2026, 12, 31), False)
    # Tue 2026-12-29 → Wed 30, Thu 31, (Jan 1–3 off, provisional) Mon Jan 4 2027.
    assert reporting_deadline(bj(2026, 12, 29, 9, 0), calendar=PURE) == Deadline(eod(2027, 1, 4), True)


@pytest.mark.django_db
def test_reporting_due_query_count(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        reporting_due(bj(2026, 2, 13, 9, 0))


# --- period_end ("N 日内") ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        # 10 days from Wed 2026-11-04 = Sat Nov 14 → next working day Mon Nov 16.
        (D(2026, 11, 4), 10, D(2026, 11, 16)),
        # 10 days from Mon 2026-09-21 = Thu Oct 1 (国庆 Oct 1–7) → Thu Oct 8.
        (D(2026, 9, 21), 10, D(2026, 10, 8)),
        # 30 days from Thu 2026-09-03 = Sat Oct 3 (国庆) → Thu Oct 8.
        (D(2026, 9, 3), 30, D(2026, 10, 8)),
        # 30 days from Thu 2026-11-05 = Sat Dec 5 → Mon Dec 7.
        (D(2026, 11, 5), 30, D(2026, 12, 7)),
        # 10 days from Wed 2026-09-30 = Sat Oct 10, a make-up working day: it stays.
        (D(2026, 9, 30), 10, D(2026, 10, 10)),
        # 10 days from Tue 2026-11-10 = Fri Nov 20, a working day: no roll.
        (D(2026, 11, 10), 10, D(2026, 11, 20)),
        # 10 days from Tue 2026-12-22 = Fri Jan 1 2027 (provisional 元旦) → Mon Jan 4 2027.
        (D(2026, 12, 22), 10, D(2027, 1, 4)),
        # 7 days from Sat 2026-02-07 = Sat Feb 14, a make-up working day: it stays.
        (D(2026, 2, 7), 7, D(2026, 2, 14)),
        # 7 days from Sun 2026-02-08 = Sun Feb 15, 春节 Feb 15–23 → Tue Feb 24.
        (D(2026, 2, 8), 7, D(2026, 2, 24)),
    ],
)
def test_period_end(start: dt.date, days: int, end: dt.date):
    assert period_end(start, days) == end
    assert period_end(start, days, calendar=PURE) == end


def test_period_end_rejects_negative_days():
    with pytest.raises(ValueError):
        period_end(D(2026, 1, 1), -1, calendar=PURE)


# --- deadline_state ------------------------------------------------------------------------------------

# The deadline of an event on Fri 2026-02-13: Wed 2026-02-25 23:59:59 (see above).
DUE = eod(2026, 2, 25)


def state(now: dt.datetime, submitted_at: dt.datetime | None = None) -> DeadlineState:
    with translation.override("zh-hans"):
        return deadline_state(due_at=DUE, now=now, submitted_at=submitted_at, calendar=PURE)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Fri Feb 13: working days after today up to Feb 25 = Sat Feb 14 (make-up), Tue 24, Wed 25.
        (bj(2026, 2, 13, 10, 0), DeadlineState("remaining", 3, "还剩 3 个工作日")),
        # Sun Feb 15 (holiday): Feb 24, 25.
        (bj(2026, 2, 15, 10, 0), DeadlineState("remaining", 2, "还剩 2 个工作日")),
        # Tue Feb 24: Feb 25 only.
        (bj(2026, 2, 24, 18, 0), DeadlineState("remaining", 1, "还剩 1 个工作日")),
        # The due day itself, morning and the last second.
        (bj(2026, 2, 25, 9, 0), DeadlineState("due_today", 0, "今日到期")),
        (eod(2026, 2, 25), DeadlineState("due_today", 0, "今日到期")),
        # Half a second after the deadline: overdue, counted as at least one working day.
        (bj(2026, 2, 25, 23, 59, 59, 500_000), DeadlineState("overdue", 1, "已逾期 1 个工作日")),
        # Thu Feb 26 just after midnight: Feb 26 = 1.
        (bj(2026, 2, 26, 0, 0, 1), DeadlineState("overdue", 1, "已逾期 1 个工作日")),
        # Sat Feb 28 (make-up working day): Feb 26, 27, 28 = 3.
        (bj(2026, 2, 28, 10, 0), DeadlineState("overdue", 3, "已逾期 3 个工作日")),
        # Sun Mar 1: still 3 (Sunday does not count).
        (bj(2026, 3, 1, 10, 0), DeadlineState("overdue", 3, "已逾期 3 个工作日")),
    ],
)
def test_deadline_state_open(now: dt.datetime, expected: DeadlineState):
    assert state(now) == expected


def test_deadline_state_submitted():
    assert state(bj(2026, 3, 10), submitted_at=bj(2026, 2, 14, 9, 0)) == DeadlineState("submitted", 0, "已按时报送")
    assert state(bj(2026, 3, 10), submitted_at=DUE) == DeadlineState("submitted", 0, "已按时报送")
    # Submitted Fri Feb 27: late by Thu 26 and Fri 27 = 2 working days.
    assert state(bj(2026, 3, 10), submitted_at=bj(2026, 2, 27, 9, 0)) == DeadlineState(
        "submitted_late", 2, "逾期报送"
    )
    # One second late (Thu Feb 26 00:00:00): late by at least one working day.
    assert state(bj(2026, 3, 10), submitted_at=bj(2026, 2, 26, 0, 0, 0)).code == "submitted_late"


def test_deadline_state_in_another_time_zone_uses_beijing_dates():
    # 2026-02-25 16:30 UTC is 2026-02-26 00:30 in Beijing: already overdue by one working day.
    now = dt.datetime(2026, 2, 25, 16, 30, tzinfo=dt.UTC)
    assert state(now) == DeadlineState("overdue", 1, "已逾期 1 个工作日")


def test_deadline_state_never_reads_the_clock():
    # Travel far away: the result depends only on the `now` passed in.
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.UTC), tick=False):
        assert state(bj(2026, 2, 13, 10, 0)).code == "remaining"


def test_deadline_state_rejects_naive_datetimes():
    with pytest.raises(ValueError):
        deadline_state(due_at=DUE, now=dt.datetime(2026, 2, 13), submitted_at=None, calendar=PURE)
