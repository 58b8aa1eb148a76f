"""Dates in legal time. Legal time is Beijing time: the local date of an event is taken in
Asia/Shanghai whatever time zone is active for the request, so a deadline does not depend on who looks
at it. Pure: no ORM, no clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dt.time(23, 59, 59)


def _require_aware(value: dt.datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {value!r}")


def local_date(value: dt.datetime) -> dt.date:
    """The Beijing-time calendar date of an aware datetime."""
    _require_aware(value, "value")
    return value.astimezone(BEIJING).date()


def day_start(d: dt.date) -> dt.datetime:
    """00:00 Beijing time of ``d`` (aware)."""
    return dt.datetime.combine(d, dt.time.min, tzinfo=BEIJING)


def end_of_day(d: dt.date) -> dt.datetime:
    """23:59:59 Beijing time of ``d`` (aware)."""
    return dt.datetime.combine(d, END_OF_DAY, tzinfo=BEIJING)


def month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)
