"""Pure rules of the reminder schedule (R-REMIND). No ORM, no clock: `now` and a loaded
`WorkCalendar` are passed in.

R-REMIND (design card; 十堰 000 第九条 "应在三个工作日内向本单位纪委报告"):
- the recorder is reminded at 09:00 of the working day before the due day, and at 09:00 of the due day;
- once the deadline has passed, the recorder's section head (metadata only) and the discipline body of
  the recorder's unit are told, once;
- then the discipline body gets one digest a working day, at 09:00, of all its overdue records, until
  they are submitted.

A reminder whose window has passed is not sent late: a due-tomorrow reminder that a stopped sweep
missed is replaced by the due-today one, which says more. Escalation, once owed, stays owed until sent.
"""

import datetime as dt
from dataclasses import dataclass

from .deadlines import BEIJING, local_date
from .workdays import WorkCalendar

REMINDER_HOUR = 9


@dataclass(frozen=True)
class Schedule:
    """The instants at which an open record's notices become owed."""

    due_tomorrow_at: dt.datetime  # 09:00 of the working day before the due day
    due_today_at: dt.datetime  # 09:00 of the due day
    overdue_at: dt.datetime  # the first instant after the deadline


def at_nine(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(REMINDER_HOUR), tzinfo=BEIJING)


def previous_working_day(d: dt.date, calendar: WorkCalendar) -> dt.date:
    """The last working day strictly before `d`."""
    d -= dt.timedelta(days=1)
    while not calendar.is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


def schedule_for(due_at: dt.datetime, calendar: WorkCalendar) -> Schedule:
    """When the reminders of a record due at `due_at` (23:59:59 of its due day) fall."""
    due_day = local_date(due_at)
    return Schedule(
        due_tomorrow_at=at_nine(previous_working_day(due_day, calendar)),
        due_today_at=at_nine(due_day),
        overdue_at=due_at + dt.timedelta(seconds=1),
    )


def owed_reminder(*, due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> str | None:
    """Which notice an unsubmitted record owes at `now`: "due_tomorrow", "due_today", "overdue", or
    None before the first reminder time."""
    s = schedule_for(due_at, calendar)
    if now >= s.overdue_at:
        return "overdue"
    if now >= s.due_today_at:
        return "due_today"
    if now >= s.due_tomorrow_at:
        return "due_tomorrow"
    return None


def next_check(*, due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> dt.datetime | None:
    """The next instant after `now` at which an unsubmitted record owes something new; None once its
    escalation is due (the daily digest is per discipline body, not per record)."""
    s = schedule_for(due_at, calendar)
    for instant in (s.due_tomorrow_at, s.due_today_at, s.overdue_at):
        if now < instant:
            return instant
    return None


def digest_owed(*, now: dt.datetime, calendar: WorkCalendar) -> bool:
    """Whether today's overdue digest is owed at `now`: from 09:00 on a working day."""
    today = local_date(now)
    return calendar.is_working_day(today) and now >= at_nine(today)


def working_days_overdue(*, due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> int:
    """How many working days a record is overdue: at least 1 once the deadline has passed."""
    if now <= due_at:
        return 0
    return max(1, calendar.working_days_between(local_date(due_at), local_date(now)))
