"""Reads of the monthly zero report: months, record counts, officers who owe a declaration."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from records.calendar.dates import day_start
from records.record.models import InterferenceRecord

from . import rules
from .models import ZeroReport


def month_label(month: dt.date) -> str:
    return _("%(y)s年%(m)s月") % {"y": month.year, "m": month.month}


def month_record_count(officer, month: dt.date) -> int:
    """Records `officer` made about interference that occurred in `month` (any state)."""
    start, end = day_start(month), day_start(rules.next_month(month))
    return InterferenceRecord.objects.filter(recorder=officer, occurred_at__gte=start, occurred_at__lt=end).count()


def month_begins(month: dt.date) -> dt.datetime:
    return day_start(month)


def officers(unit_ids: list[int] | None = None, *, for_month: dt.date | None = None):
    """Active users holding the officer role with a unit; optionally only in `unit_ids`, and only
    those who owe a declaration for `for_month` (joined before it began, ``rules.required``)."""
    qs = get_user_model().objects.filter(is_active=True, groups__name="officer", person__unit__isnull=False)
    if unit_ids is not None:
        qs = qs.filter(person__unit_id__in=unit_ids)
    if for_month is not None:
        qs = qs.filter(date_joined__lt=month_begins(for_month))
    return qs.select_related("person__unit").order_by("person__unit__code", "person__name", "pk")


def missing_declarations(unit_ids: list[int], month: dt.date) -> list:
    """Officers of `unit_ids` who owe a declaration for `month` and have not made it (two queries)."""
    declared = set(ZeroReport.objects.filter(month=month, officer__person__unit_id__in=unit_ids).values_list("officer_id", flat=True))
    return [u for u in officers(unit_ids, for_month=month) if u.pk not in declared]


def declarations_of(officer, limit: int = 24) -> list[ZeroReport]:
    """The officer's own declarations, newest first."""
    return list(ZeroReport.objects.filter(officer=officer).order_by("-month")[:limit])
