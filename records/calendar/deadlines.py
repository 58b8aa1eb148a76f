"""Reporting deadlines and "N 日内" periods (DESIGN §5 day counting, R-DUE).

Pure rules on top of ``records.calendar.workdays.WorkCalendar``: given a calendar they read neither the
database nor the clock. Only the convenience paths that are called without a calendar
(``reporting_due``, ``reporting_deadline(..., calendar=None)``, ``period_end``) load one, with a
bounded number of queries.

Legal time is Beijing time (``records.calendar.dates``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext, ngettext

from .dates import _require_aware, end_of_day, local_date
from .workdays import DEFAULT_SPAN_DAYS, ONE_DAY, WorkCalendar, run_with_calendar

REPORTING_WORKING_DAYS = 3

StateCode = Literal["remaining", "due_today", "overdue", "submitted", "submitted_late"]


@dataclass(frozen=True)
class Deadline:
    """A computed deadline; ``provisional`` when some day it was counted over comes from the
    provisional statutory calendar (the State Council has not published that year's schedule)."""

    due_at: dt.datetime
    provisional: bool


def reporting_deadline(occurred_at: dt.datetime, calendar: WorkCalendar | None = None) -> Deadline:
    """R-DUE: a recorded interference is reported "在三个工作日内" (十堰 000 第九条 "应在三个工作日内
    向本单位纪委报告"). By 民法典 第二百零一条 the period starts the day after the event, so the deadline
    is 23:59:59 (Asia/Shanghai) of the 3rd working day strictly after the Beijing date of
    ``occurred_at`` — the event day never counts, even when it is itself a working day.

    ``provisional`` is True when any day from the day after the event through the due day has the
    provisional source. With ``calendar`` given this is pure (it must cover that range, else
    ``CalendarWindowError``); without, one is loaded (two queries, more only if a long run of
    non-working overrides exhausts the window). Raises ``ValueError`` for a naive datetime.
    """
    event_day = local_date(occurred_at)

    def compute(cal: WorkCalendar) -> Deadline:
        due_day = cal.add_working_days(event_day, REPORTING_WORKING_DAYS)
        counted = (event_day + ONE_DAY * i for i in range(1, (due_day - event_day).days + 1))
        return Deadline(due_at=end_of_day(due_day), provisional=any(cal.is_provisional(d) for d in counted))

    if calendar is not None:
        return compute(calendar)
    return run_with_calendar(event_day, DEFAULT_SPAN_DAYS, compute)


def reporting_due(occurred_at: dt.datetime) -> dt.datetime:
    """R-DUE due time (DESIGN §6): ``reporting_deadline(occurred_at).due_at``. 十堰 000 第九条,
    民法典 第二百零一条; see ``reporting_deadline``."""
    return reporting_deadline(occurred_at).due_at


def period_end(start: dt.date, days: int, calendar: WorkCalendar | None = None) -> dt.date:
    """Last day of a period of "N 日内": calendar days, the start day excluded (民法典 第二百零一条),
    so the last day is ``start + days``; if that day is not a working day (weekend or statutory
    holiday) the period ends on the next working day (民法典 第二百零三条 "期间的最后一日是法定休假日的，
    以法定休假日结束的次日为期间的最后一日"). "以内" includes the number itself (民法典 第一千二百五十九条).

    Used for e.g. 002 第十一条 (decision notified "在 10 日内"), 002 第十二条 (review requested
    "30 日内") and 004 第二十条 (tolerance decision notified "7 日内"). Pure with ``calendar``;
    without, one is loaded (two queries).
    """
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    last = start + dt.timedelta(days=days)
    if calendar is not None:
        return calendar.roll_forward(last)
    return run_with_calendar(last, DEFAULT_SPAN_DAYS, lambda cal: cal.roll_forward(last))


@dataclass(frozen=True)
class DeadlineState:
    """Where a record stands against its deadline, for lists and detail pages."""

    code: StateCode
    working_days: int
    label: str


def deadline_state(
    *,
    due_at: dt.datetime,
    now: dt.datetime,
    submitted_at: dt.datetime | None,
    calendar: WorkCalendar,
) -> DeadlineState:
    """State of a reporting deadline (R-DUE, 000 第九条; R-REMIND for the overdue wording).

    - submitted on or before ``due_at`` → "submitted" ("已按时报送", working_days 0);
    - submitted after ``due_at`` → "submitted_late" ("逾期报送"; working_days = working days late,
      at least 1, counted like "overdue" up to the submission date);
    - not submitted, ``now > due_at`` → "overdue", "已逾期 N 个工作日" with N = working days after the due
      date up to today, at least 1 (a deadline missed by minutes is already one day late);
    - not submitted, today (Beijing) is the due date → "due_today", "今日到期";
    - otherwise "remaining", "还剩 N 个工作日" with N = working days after today up to and including the
      due date.

    Pure: ``now`` is passed in and ``calendar`` must cover today .. due date (or the due date ..
    submission/today when late). Raises ``ValueError`` for naive datetimes.
    """
    _require_aware(due_at, "due_at")
    _require_aware(now, "now")
    due_day = local_date(due_at)

    if submitted_at is not None:
        _require_aware(submitted_at, "submitted_at")
        if submitted_at <= due_at:
            return DeadlineState("submitted", 0, gettext("已按时报送"))
        late = max(1, calendar.working_days_between(due_day, local_date(submitted_at)))
        return DeadlineState("submitted_late", late, gettext("逾期报送"))

    today = local_date(now)
    if now > due_at:
        late = max(1, calendar.working_days_between(due_day, today))
        label = ngettext("已逾期 %(n)d 个工作日", "已逾期 %(n)d 个工作日", late) % {"n": late}
        return DeadlineState("overdue", late, label)
    if today == due_day:
        return DeadlineState("due_today", 0, gettext("今日到期"))
    remaining = calendar.working_days_between(today, due_day)
    label = ngettext("还剩 %(n)d 个工作日", "还剩 %(n)d 个工作日", remaining) % {"n": remaining}
    return DeadlineState("remaining", remaining, label)
