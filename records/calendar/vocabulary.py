"""The calendar's audit event type and notice kind. Stored values never change (audit hash chain, notice keys); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types, notification_kinds


@audit_event_types.register
class CalendarEvent(models.TextChoices):
    """The working-day calendar (records.calendar)."""

    CALENDAR_CHANGED = "calendar.changed", _("修改节假日安排")


@notification_kinds.register
class CalendarNotice(models.TextChoices):
    """The next year's holiday arrangements are missing."""

    CALENDAR_MISSING = "calendar_missing", _("下一年度放假安排未录入")
