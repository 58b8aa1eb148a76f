"""Recomputing open deadlines after the calendar of a year changed (R-DUE): the sweep step
"recomputed" takes each pending `CalendarRecompute` row (written by the calendar services) and moves
the deadlines of the unsubmitted records it touches, telling each recorder whose deadline moved, once."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.formats import cn_date
from records.calendar.dates import local_date
from records.calendar.deadlines import reporting_deadline
from records.calendar.models import CalendarRecompute
from records.calendar.workdays import WorkCalendar
from records.notifications.services import notification_send
from records.record.vocabulary import RecordEvent, RecordNotice

from .models import InterferenceRecord
from .reminders import initial_next_notice, record_link


def recompute_requested(*, now: dt.datetime) -> int:
    """Process every pending recomputation request (sweep step "recomputed"); the records whose deadline moved."""
    moved = 0
    while True:
        with transaction.atomic():
            pending = CalendarRecompute.objects.select_for_update(skip_locked=True).filter(done_at__isnull=True).order_by("pk").first()
            if pending is None:
                return moved
            changed = deadlines_recompute(year=pending.year, now=now)
            pending.done_at = now
            pending.changed = changed
            pending.save(update_fields=["done_at", "changed"])
            moved += changed


def deadlines_recompute(*, year: int, now: dt.datetime) -> int:
    """Recompute the deadline of every unsubmitted record whose counting may touch `year`, after its
    calendar changed; tell each recorder whose deadline moved, once. Submitted records keep theirs."""
    start = dt.datetime(year - 1, 11, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    records = list(
        InterferenceRecord.objects.filter(status=InterferenceRecord.Status.DRAFT, occurred_at__gte=start, occurred_at__lt=end)
        .select_related("recorder")
        .order_by("pk")
    )
    if not records:
        return 0
    calendar = WorkCalendar.load(dt.date(year - 1, 10, 1), dt.date(year + 1, 3, 31))
    changed = 0
    for record in records:
        deadline = reporting_deadline(record.occurred_at, calendar)
        if deadline.due_at == record.due_at and deadline.provisional == record.calendar_provisional:
            continue
        old_due = record.due_at
        updated = InterferenceRecord.objects.filter(pk=record.pk, status=InterferenceRecord.Status.DRAFT).update(
            due_at=deadline.due_at,
            calendar_provisional=deadline.provisional,
            next_notice_at=initial_next_notice(due_at=deadline.due_at, now=now, calendar=calendar),
        )
        if not updated:
            continue
        audit(
            type=RecordEvent.DEADLINE_RECOMPUTED, actor=None, obj=record,
            data={"year": year, "before": old_due.isoformat(), "after": deadline.due_at.isoformat(), "provisional": deadline.provisional},
        )  # fmt: skip
        if deadline.due_at != old_due:
            changed += 1
            new_day, old_day = local_date(deadline.due_at), local_date(old_due)
            notification_send(
                recipient=record.recorder, kind=RecordNotice.DEADLINE_MOVED, key=f"{record.pk}:{new_day.isoformat()}",
                title=_("记录 %(serial)s 的报送期限已调整为%(new)s") % {"serial": record.serial, "new": cn_date(new_day)},
                body=_("因%(year)s年放假安排录入，报送期限由%(old)s调整为%(new)s。") % {"year": year, "old": cn_date(old_day), "new": cn_date(new_day)},
                link=record_link(record), record=record,
            )  # fmt: skip
    return changed
