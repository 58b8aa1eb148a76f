"""Day and month arithmetic in Beijing time shared by the discipline packages, and the check that a date is not
in the future."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from records.calendar.dates import BEIJING, local_date

ONE_DAY = dt.timedelta(days=1)



def day_start(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time.min, tzinfo=BEIJING)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def not_after_today(value: dt.date | None, label: str, now: dt.datetime, errors: list) -> None:
    if value is not None and value > local_date(now):
        errors.append(_("%(label)s不能晚于今天。") % {"label": label})
