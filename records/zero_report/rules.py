"""Pure rules of the monthly zero report (零报告). No ORM, no clock: `now`/`today` and a loaded
`WorkCalendar` are passed in.

The documents require every inquiry or interference to be recorded "全面、如实" (000 第六条; 001 内部人员
制度 第六条, 领导干部制度 第五条; 002 第五条) but give the discipline body no way to notice silence. Each
officer therefore declares every month either that nothing happened or that everything was recorded.

No source document sets a date for this declaration (000, 001, 002 and 004 have no monthly report;
DESIGN §5 has no rule for it), so the schedule is this product's own, and one function states each
date so that the officer's card, the reminder, the discipline page and the late flag cannot disagree:
- the declaration for month M opens on the 25th of M (``WINDOW_OPENS_DAY``);
- it is due (``due_date``) on the last day of M; when that day is not a working day, on the next
  working day — the day-counting rule of DESIGN §5 for a period's last day (民法典 第二百零三条
  "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日");
- a declaration made after the due date is kept and marked late (``is_late``), and is accepted through
  the end of M+1 (``window_closes``);
- one reminder per officer and month, owed from 09:00 of the third-to-last working day of M (never
  before the 25th; the 25th itself when M has no working day left from then on) until the end of M,
  unless the officer has declared. Like the deadline reminders (R-REMIND), a reminder whose window
  has passed is not sent late: after M the officer is listed as missing instead;
- an officer is asked for a month only if their account existed before it began (someone who joins
  mid-month starts with the next month);
- a month whose due date has passed without a declaration is listed for the discipline body as
  overdue; before that, as not yet declared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from records.calendar.dates import BEIJING, local_date, month_end, month_start, next_month, previous_month
from records.calendar.workdays import WorkCalendar

__all__ = ["month_end", "month_start", "next_month", "previous_month"]  # month arithmetic, read here with the rules

WINDOW_OPENS_DAY = 25
REMINDER_HOUR = 9
# The reminder falls on the Nth-to-last working day of the month.
REMINDER_WORKING_DAYS_BEFORE_END = 3
# A run of this many consecutive months without any record flags an officer or a unit.
LONG_ZERO_RUN = 6


def months_back(month: dt.date, n: int) -> list[dt.date]:
    """The ``n`` months ending with ``month``, oldest first."""
    out = [month_start(month)]
    while len(out) < n:
        out.insert(0, previous_month(out[0]))
    return out


def window_opens(month: dt.date) -> dt.date:
    return month.replace(day=WINDOW_OPENS_DAY)


def window_closes(month: dt.date) -> dt.date:
    """The last day a (late) declaration for ``month`` is accepted: the end of the following month."""
    return month_end(next_month(month))


# A month's last day rolls forward over at most a long holiday (国庆 or 春节 with the weekend around it):
# the calendar for the due date is loaded from the month's last day over this many days.
DUE_CALENDAR_DAYS = 20


def due_calendar_window(month: dt.date) -> tuple[dt.date, dt.date]:
    """The dates a ``WorkCalendar`` must cover for ``due_date(month, calendar)``."""
    last = month_end(month)
    return last, last + dt.timedelta(days=DUE_CALENDAR_DAYS)


def due_date(month: dt.date, calendar: WorkCalendar) -> dt.date:
    """The day a declaration for ``month`` is due: the month's last day, or the next working day when
    that day is a weekend or holiday (民法典 第二百零三条, as DESIGN §5 counts every period's last day).
    ``calendar`` must cover ``due_calendar_window(month)``."""
    return calendar.roll_forward(month_end(month))


def declarable_months(today: dt.date) -> list[dt.date]:
    """Months an officer may declare for on ``today``: the previous month (late) and, from the 25th,
    the current one. Oldest first."""
    current = month_start(today)
    months = [previous_month(current)]
    if today >= window_opens(current):
        months.append(current)
    return months


def is_late(month: dt.date, today: dt.date, calendar: WorkCalendar) -> bool:
    """A declaration made on ``today`` for ``month`` is late when ``today`` is after ``due_date``."""
    return today > due_date(month, calendar)


def reminder_day(month: dt.date, calendar: WorkCalendar) -> dt.date:
    """The day of the month's reminder: the ``REMINDER_WORKING_DAYS_BEFORE_END``-th to last working day
    of ``month``, not before the 25th; the 25th when no working day is left from then on. ``calendar``
    must cover the 25th to the end of the month."""
    opens = window_opens(month)
    working = [d for d in (opens + dt.timedelta(days=i) for i in range((month_end(month) - opens).days + 1)) if calendar.is_working_day(d)]
    if not working:
        return opens
    # The Nth-to-last working day of the month, clipped to the first working day from the 25th on.
    return working[max(0, len(working) - REMINDER_WORKING_DAYS_BEFORE_END)]


def reminder_at(month: dt.date, calendar: WorkCalendar) -> dt.datetime:
    return dt.datetime.combine(reminder_day(month, calendar), dt.time(REMINDER_HOUR), tzinfo=BEIJING)


def required(month: dt.date, joined_on: dt.date) -> bool:
    """Whether an officer whose account was created on ``joined_on`` owes a declaration for ``month``:
    only for months that began after they joined."""
    return joined_on < month_start(month)


def reminder_owed(*, month: dt.date, now: dt.datetime, calendar: WorkCalendar, declared: bool, joined_on: dt.date) -> bool:
    """Whether an officer owes the reminder for ``month`` at ``now``: required for the month, not yet
    declared, and ``now`` between the reminder instant and the end of the due date. The notification's
    uniqueness makes it one per officer and month, however often this answers True. ``calendar``
    must cover the 25th of ``month`` through ``due_calendar_window(month)``."""
    if declared or not required(month, joined_on):
        return False
    return reminder_at(month, calendar) <= now and local_date(now) <= due_date(month, calendar)


def months_to_remind(now: dt.datetime) -> list[dt.date]:
    """The months whose reminders a sweep at ``now`` may owe: the current one."""
    return [month_start(local_date(now))]


def missing_month(today: dt.date) -> dt.date:
    """The month the discipline body's missing list shows by default: the current month from the 25th
    (declarations being collected), else the previous month (ended; anything missing is overdue)."""
    current = month_start(today)
    return current if today >= window_opens(current) else previous_month(current)


def zero_runs(zero_months: Iterable[bool]) -> tuple[int, int]:
    """(current run, longest run) of consecutive months without any record, from flags oldest first
    (True = a month with no record)."""
    current = longest = 0
    for flag in zero_months:
        current = current + 1 if flag else 0
        longest = max(longest, current)
    return current, longest


def long_silence(*, zero_run: int, officers: int) -> bool:
    """Whether a unit or officer is marked for long silence on 记录情况分析: ``LONG_ZERO_RUN`` or more
    ("以上" includes the number itself, 民法典 第一千二百五十九条) consecutive months without any record,
    and at least one officer who could have recorded (a unit without officers is not silent, it has
    nobody to record). For an officer's own row, ``officers`` is 1."""
    return officers > 0 and zero_run >= LONG_ZERO_RUN
