"""Reminders, escalation and deadline recomputation (R-REMIND). Services over the database; the
Celery tasks in records.tasks only call `reminder_sweep`.

The database is the source of truth: a record's `next_notice_at` says when it next owes a notice,
`CalendarRecompute` rows say which years' deadlines must be recomputed, and `Notification` rows carry
a uniqueness constraint, so a notice cannot be sent twice however many sweeps run at once, and
nothing is lost while the broker is down: the next sweep sends what is owed.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.formats import cn_date
from cases.models import AuditEvent, Unit
from cases.selectors import discipline_staff, section_heads_for

from .deadlines import local_date, reporting_deadline
from .models import CalendarRecompute, CalendarYear, InterferenceRecord, Notification
from .reminders import digest_owed, next_check, owed_reminder, working_days_overdue
from .rules import is_party_to
from .workdays import WorkCalendar

log = logging.getLogger(__name__)

BATCH = 500
# A sweep that claimed an e-mail and has not finished sending it after this long is taken to be dead.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
Kind = Notification.Kind


def _name(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def is_party(user, record: InterferenceRecord) -> bool:
    """Whether `user` is the interferer of `record` or the leader behind it: never told of it."""
    person = getattr(user, "person", None)
    return is_party_to(
        person_id=person.pk if person else None,
        person_name=person.name if person else "",
        interferer_id=record.interferer_id,
        interferer_name=record.interferer_name,
        behind_id=record.behind_person_id,
        behind_name=record.behind_name,
    )


def notification_send(*, recipient, kind: str, key: str, title: str, body: str = "", link: str = "", record=None) -> Notification | None:
    """Create a notice unless the same (recipient, kind, key) exists. Returns the new notice, or None
    when it had been sent before (by this or a concurrent sweep)."""
    try:
        with transaction.atomic():
            notice = Notification.objects.create(
                recipient=recipient, kind=kind, key=key, title=title, body=body, link=link, record=record,
                email_pending=bool(recipient.email),
            )  # fmt: skip
            audit(type=AuditEvent.Type.NOTICE_SENT, actor=None, obj=notice, data={"kind": kind, "key": key, "recipient": recipient.pk})
    except IntegrityError:
        return None
    return notice


def initial_next_notice(*, due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> dt.datetime | None:
    """When the sweep should first look at a record: now if something is already owed (a record
    entered late), else the next reminder instant."""
    if owed_reminder(due_at=due_at, now=now, calendar=calendar) is not None:
        return now
    return next_check(due_at=due_at, now=now, calendar=calendar)


def _window(due_dates: list[dt.date], now: dt.datetime) -> WorkCalendar:
    # 30 days back covers "the working day before the due day" across the longest holiday block.
    return WorkCalendar.covering([*due_dates, local_date(now)], before=30, after=2)


def _record_link(record: InterferenceRecord) -> str:
    return reverse("records:detail", args=[record.pk])


def _notify_open_record(record: InterferenceRecord, owed: str, now: dt.datetime, calendar: WorkCalendar) -> int:
    due_day = local_date(record.due_at)
    sent = 0
    if owed in ("due_tomorrow", "due_today"):
        kind = Kind.DUE_TOMORROW if owed == "due_tomorrow" else Kind.DUE_TODAY
        # "Tomorrow" would be wrong across a holiday: the due day is the next *working* day.
        when = _("下一个工作日") if owed == "due_tomorrow" else _("今天")
        title = _("记录 %(serial)s 应于%(when)s（%(date)s）前报送") % {"serial": record.serial, "when": when, "date": cn_date(due_day)}
        body = _("请在报送期限 %(due)s 前完成报送（十堰000第九条：三个工作日内报告）。") % {"due": f"{cn_date(due_day)} 23:59"}
        # Keyed by the due day: a deadline moved by a new holiday schedule owes its reminders anew.
        sent += notification_send(recipient=record.recorder, kind=kind, key=f"{record.pk}:{due_day.isoformat()}", title=title, body=body, link=_record_link(record), record=record) is not None  # fmt: skip
        return sent
    days = working_days_overdue(due_at=record.due_at, now=now, calendar=calendar)
    officer = _name(record.recorder)
    # The section head learns only *that* a record by their officer is overdue, never its content or
    # the interferer's name; and not at all when they are the interferer.
    for head in section_heads_for(record.recorder_unit):
        if head.pk == record.recorder_id or is_party(head, record):
            continue
        sent += notification_send(
            recipient=head, kind=Kind.OVERDUE_SECTION_HEAD, key=str(record.pk),
            title=_("%(officer)s 有一条干预过问记录逾期未报送") % {"officer": officer},
            body=_("执法人员%(officer)s登记的记录 %(serial)s 已逾期%(days)s个工作日未报送，请督促其及时报送。") % {"officer": officer, "serial": record.serial, "days": days},
        ) is not None  # fmt: skip
    body_unit = record.recorder_unit.effective_discipline_body()
    for staff in discipline_staff(body_unit):
        if is_party(staff, record):
            continue
        sent += notification_send(
            recipient=staff, kind=Kind.OVERDUE_DISCIPLINE, key=str(record.pk),
            title=_("记录 %(serial)s 逾期未报送") % {"serial": record.serial},
            body=_("%(unit)s 执法人员%(officer)s登记的记录 %(serial)s 报送期限为%(due)s，已逾期%(days)s个工作日。") % {
                "unit": record.recorder_unit.name, "officer": officer, "serial": record.serial, "due": cn_date(due_day), "days": days},
            link=reverse("records:overdue"), record=record,
        ) is not None  # fmt: skip
    return sent


def _notify_submitted(record: InterferenceRecord) -> int:
    sent = 0
    for staff in discipline_staff(record.recorder_unit.effective_discipline_body()):
        if is_party(staff, record):
            continue
        late = _("（逾期报送）") if record.submitted_late else ""
        sent += notification_send(
            recipient=staff, kind=Kind.SUBMITTED, key=str(record.pk),
            title=_("收到报送记录 %(serial)s%(late)s") % {"serial": record.serial, "late": late},
            body=_("%(unit)s %(officer)s 报送了一条干预过问记录。") % {"unit": record.recorder_unit.name, "officer": _name(record.recorder)},
            link=_record_link(record), record=record,
        ) is not None  # fmt: skip
    return sent


def _process_due_records(now: dt.datetime) -> int:
    """Send what every record whose `next_notice_at` has come owes, and move its clock on."""
    sent = 0
    last_pk = 0
    while True:
        batch = list(
            InterferenceRecord.objects.filter(next_notice_at__lte=now, pk__gt=last_pk)
            .select_related("recorder__person", "recorder_unit")
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return sent
        last_pk = batch[-1].pk
        calendar = _window([local_date(r.due_at) for r in batch], now)
        for record in batch:
            if record.status == InterferenceRecord.Status.DRAFT:
                owed = owed_reminder(due_at=record.due_at, now=now, calendar=calendar)
                if owed is not None:
                    sent += _notify_open_record(record, owed, now, calendar)
                following = next_check(due_at=record.due_at, now=now, calendar=calendar)
            else:
                sent += _notify_submitted(record)
                following = None
            # Only move the clock if nobody else moved it meanwhile (a submit, a recompute).
            InterferenceRecord.objects.filter(pk=record.pk, next_notice_at=record.next_notice_at).update(next_notice_at=following)


def _process_digests(now: dt.datetime) -> int:
    """One digest a working day per discipline staff member, listing their body's overdue records."""
    today = local_date(now)
    if not digest_owed(now=now, calendar=WorkCalendar.load(today, today)):
        return 0
    # Most sweeps of a day find every digest already sent: say so with one query, before reading
    # the overdue records (the sweep runs every few minutes; its budget is a fraction of a second).
    from django.contrib.auth import get_user_model

    sent_today = Notification.objects.filter(kind=Kind.OVERDUE_DIGEST, key=today.isoformat()).values("recipient_id")
    waiting = set(
        get_user_model().objects.filter(is_active=True, groups__name="discipline").exclude(pk__in=sent_today).values_list("pk", flat=True)
    )
    if not waiting:
        return 0
    overdue = list(
        InterferenceRecord.objects.filter(status=InterferenceRecord.Status.DRAFT, due_at__lt=now)
        .select_related("recorder__person", "recorder_unit")
        .order_by("due_at")
    )
    if not overdue:
        return 0
    calendar = _window([local_date(r.due_at) for r in overdue], now)
    bodies: dict[int, Unit | None] = {}
    by_body: dict[int, list[InterferenceRecord]] = defaultdict(list)
    for record in overdue:
        if record.recorder_unit_id not in bodies:
            bodies[record.recorder_unit_id] = record.recorder_unit.effective_discipline_body()
        body = bodies[record.recorder_unit_id]
        if body is not None:
            by_body[body.pk].append(record)
    sent = 0
    units = {u.pk: u for u in bodies.values() if u is not None}
    for body_id, records in by_body.items():
        for staff in discipline_staff(units[body_id]):
            if staff.pk not in waiting:
                continue
            mine = [r for r in records if not is_party(staff, r)]
            if not mine:
                continue
            lines = [
                _("%(serial)s · %(unit)s %(officer)s · 逾期%(days)s个工作日") % {
                    "serial": r.serial, "unit": r.recorder_unit.name, "officer": _name(r.recorder),
                    "days": working_days_overdue(due_at=r.due_at, now=now, calendar=calendar)}
                for r in mine
            ]  # fmt: skip
            sent += notification_send(
                recipient=staff, kind=Kind.OVERDUE_DIGEST, key=today.isoformat(),
                title=_("%(date)s 逾期未报送记录汇总：%(n)s条") % {"date": cn_date(today), "n": len(mine)},
                body="\n".join(lines), link=reverse("records:overdue"),
            ) is not None  # fmt: skip
    return sent


def _process_recomputes(now: dt.datetime) -> int:
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


def _process_calendar_warning(now: dt.datetime) -> int:
    """From November on, tell administrators once when next year's official schedule is missing."""
    today = local_date(now)
    next_year = today.year + 1
    if today.month < 11 or CalendarYear.objects.filter(year=next_year).exists():
        return 0
    from django.contrib.auth import get_user_model

    from .workdays import calendar_source

    if calendar_source(next_year) != "provisional":
        return 0
    sent = 0
    for admin in get_user_model().objects.filter(is_active=True, groups__name="admin"):
        sent += notification_send(
            recipient=admin, kind=Kind.CALENDAR_MISSING, key=str(next_year),
            title=_("%(year)s年放假安排尚未录入") % {"year": next_year},
            body=_("国务院办公厅公布%(year)s年部分节假日安排后，请及时录入；在此之前，跨年的报送期限按法定节日暂定。") % {"year": next_year},
            link=reverse("calendar:index"),
        ) is not None  # fmt: skip
    return sent


def deliver_emails(*, now: dt.datetime) -> int:
    """E-mail the notices whose recipients have an address. A sweep claims a notice by stamping
    `emailed_at` (an UPDATE only one sweep can win) and clears `email_pending` only after the mail
    went out; a claim left by a sweep that died mid-send is taken again after CLAIM_TIMEOUT, so a
    mail is sent at least once and, barring such a crash, exactly once."""
    delivered = 0
    stale = now - CLAIM_TIMEOUT
    claimable = Q(emailed_at__isnull=True) | Q(emailed_at__lt=stale)
    for notice in Notification.objects.filter(claimable, email_pending=True).select_related("recipient").order_by("pk")[:BATCH]:
        claimed = Notification.objects.filter(claimable, pk=notice.pk, email_pending=True).update(emailed_at=now)
        if not claimed:
            continue
        try:
            send_mail(notice.title, f"{notice.body}\n\n{notice.link}".strip(), settings.DEFAULT_FROM_EMAIL, [notice.recipient.email])
        except Exception:  # noqa: BLE001 - any mail failure: release the claim, the next sweep retries
            log.exception("e-mail for notice %s failed", notice.pk)
            Notification.objects.filter(pk=notice.pk).update(emailed_at=None)
            continue
        Notification.objects.filter(pk=notice.pk).update(email_pending=False)
        delivered += 1
    return delivered


def _process_zero_reports(now: dt.datetime) -> int:
    """Monthly zero-report reminders, once per officer and month (records.zero_report_rules)."""
    from .zero_reports import zero_report_reminders

    return zero_report_reminders(now=now)


def _process_fault_deadlines(now: dt.datetime) -> int:
    """Fault-accountability and tolerance deadlines, correction deadlines and recurring errors
    (discipline.fault_reminders)."""
    from discipline.faults.reminders import fault_reminders

    return fault_reminders(now=now)


def _process_campaign_deadlines(now: dt.datetime) -> int:
    """Rectification deadlines of self-inspection campaigns (discipline.campaign_reminders)."""
    from discipline.campaigns.reminders import campaign_reminders

    return campaign_reminders(now=now)


def reminder_sweep(*, now: dt.datetime) -> dict[str, int]:
    """Everything owed at `now`: pending deadline recomputations, record reminders and escalations,
    the daily digests, the calendar warning, the monthly zero-report reminders, and e-mails. Safe to run concurrently and repeatedly."""
    result = {
        "recomputed": _process_recomputes(now),
        "record_notices": _process_due_records(now),
        "digests": _process_digests(now),
        "calendar_warnings": _process_calendar_warning(now),
        "zero_report_reminders": _process_zero_reports(now),
        "fault_reminders": _process_fault_deadlines(now),
        "campaign_reminders": _process_campaign_deadlines(now),
    }
    result["emails"] = deliver_emails(now=now)
    return result


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
            type=AuditEvent.Type.DEADLINE_RECOMPUTED, actor=None, obj=record,
            data={"year": year, "before": old_due.isoformat(), "after": deadline.due_at.isoformat(), "provisional": deadline.provisional},
        )  # fmt: skip
        if deadline.due_at != old_due:
            changed += 1
            new_day, old_day = local_date(deadline.due_at), local_date(old_due)
            notification_send(
                recipient=record.recorder, kind=Kind.DEADLINE_MOVED, key=f"{record.pk}:{new_day.isoformat()}",
                title=_("记录 %(serial)s 的报送期限已调整为%(new)s") % {"serial": record.serial, "new": cn_date(new_day)},
                body=_("因%(year)s年放假安排录入，报送期限由%(old)s调整为%(new)s。") % {"year": year, "old": cn_date(old_day), "new": cn_date(new_day)},
                link=_record_link(record), record=record,
            )  # fmt: skip
    return changed


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user, ids: list[int] | None, now: dt.datetime) -> int:
    """Mark some or all of a user's notices read. Only the user's own notices are touched."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=now)

