"""The calendar's step of the reminder sweep ("calendar_warnings")."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from records.calendar.vocabulary import CalendarNotice
from records.notifications.services import notification_send

from .dates import local_date
from .models import CalendarYear
from .workdays import calendar_source


def calendar_warnings(*, now: dt.datetime) -> int:
    """From November on, tell administrators once when next year's official schedule is missing."""
    today = local_date(now)
    next_year = today.year + 1
    if today.month < 11 or CalendarYear.objects.filter(year=next_year).exists():
        return 0
    if calendar_source(next_year) != "provisional":
        return 0
    sent = 0
    for admin in get_user_model().objects.filter(is_active=True, groups__name="admin"):
        sent += notification_send(
            recipient=admin, kind=CalendarNotice.CALENDAR_MISSING, key=str(next_year),
            title=_("%(year)s年放假安排尚未录入") % {"year": next_year},
            body=_("国务院办公厅公布%(year)s年部分节假日安排后，请及时录入；在此之前，跨年的报送期限按法定节日暂定。") % {"year": next_year},
            link=reverse("calendar:index"),
        ) is not None  # fmt: skip
    return sent
