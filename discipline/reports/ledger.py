"""The ledger (台账, R-LEDGER): filtering the records a discipline user may see, and the filter choices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear

from cases.models import Unit
from cases.selectors import unit_subtree_ids
from discipline.review.access import routed_records
from discipline.review.selectors import for_rows
from records.calendar.dates import BEIJING, day_start, local_date
from records.models import BehaviourCategory, InterferenceRecord


def filter_records(qs: QuerySet, data: dict[str, Any], now: dt.datetime) -> QuerySet:
    """Apply the ledger's filters (cleaned form data; missing or empty keys are ignored)."""
    if data.get("date_from"):
        qs = qs.filter(occurred_at__gte=day_start(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(occurred_at__lt=day_start(data["date_to"] + dt.timedelta(days=1)))
    if data.get("unit"):
        qs = qs.filter(recorder_unit_id__in=unit_subtree_ids(data["unit"]))
    if data.get("recorder_unit"):
        qs = qs.filter(recorder_unit=data["recorder_unit"])
    for key, lookup in (("status", "status"), ("channel", "channel"), ("kind", "interferer_kind"), ("nature", "nature")):
        if data.get(key):
            qs = qs.filter(**{lookup: data[key]})
    if data.get("category"):
        qs = qs.filter(categories=data["category"])
    level = data.get("level")
    if level == "none":
        qs = qs.filter(interferer__isnull=True)
    elif level:
        qs = qs.filter(interferer__level=level)
    conclusion = data.get("conclusion")
    if conclusion == "pending":
        qs = qs.filter(Q(review__isnull=True) | Q(review__conclusion=""))
    elif conclusion:
        qs = qs.filter(review__conclusion=conclusion)
    timeliness = data.get("timeliness")
    if timeliness == "on_time":
        qs = qs.filter(submitted_at__isnull=False, submitted_at__lte=F("due_at"))
    elif timeliness == "late":
        qs = qs.filter(submitted_at__gt=F("due_at"))
    state = data.get("state")
    if state == "overdue":
        qs = qs.filter(status=InterferenceRecord.Status.DRAFT, due_at__lt=now)
    elif state == "due_week":
        qs = qs.filter(status=InterferenceRecord.Status.DRAFT, due_at__gte=now, due_at__lt=week_end(now))
    if data.get("month"):
        year, month = data["month"]
        qs = qs.annotate(_y=ExtractYear("occurred_at", tzinfo=BEIJING), _m=ExtractMonth("occurred_at", tzinfo=BEIJING)).filter(
            _y=year, _m=month
        )
    if data.get("person"):
        qs = qs.filter(Q(interferer=data["person"]) | Q(behind_person=data["person"]))
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(Q(serial__icontains=q) | Q(interferer_name__icontains=q) | Q(behind_name__icontains=q) | Q(matter__icontains=q))
    return qs



def week_end(now: dt.datetime) -> dt.datetime:
    """Start of next Monday (Beijing): "due this week" runs from now to the end of Sunday."""
    today = local_date(now)
    return day_start(today + dt.timedelta(days=7 - today.weekday()))



def ledger(user, data: dict[str, Any], now: dt.datetime) -> QuerySet:
    """The leaders' inquiry ledger (台账, R-LEDGER, 001 第五条): all records routed to the user's bodies."""
    return for_rows(filter_records(routed_records(user), data, now)).order_by("-occurred_at", "-id")



def ledger_for_export(user, data: dict[str, Any], now: dt.datetime) -> QuerySet:
    """The ledger's rows with everything the export prints (过问内容, 核实情况, 处置情况 and the letter):
    the list's field restriction lifted, in the same queries as the page."""
    return ledger(user, data, now).defer(None).select_related("handling__letter")



def units_for_filter(user) -> QuerySet:
    """Units a discipline user may pick as the subtree of a dashboard or ledger: those their bodies supervise."""
    from discipline.common.bodies import bodies_of, supervised_unit_ids

    return Unit.objects.filter(pk__in=supervised_unit_ids(bodies_of(user))).order_by("code")



def categories_for_filter() -> QuerySet:
    return BehaviourCategory.objects.order_by("order", "code")
