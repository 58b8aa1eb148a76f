"""The check that a date entered by staff is not in the future (the day and month arithmetic is
records.calendar.dates, shared by every app)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from records.calendar.dates import local_date


def not_after_today(value: dt.date | None, label: str, now: dt.datetime, errors: list) -> None:
    if value is not None and value > local_date(now):
        errors.append(_("%(label)s不能晚于今天。") % {"label": label})
