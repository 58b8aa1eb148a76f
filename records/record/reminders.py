"""What records owe in the reminder sweep (R-REMIND; schedule rules in ``record.rules``): reminders
to the recorder, escalation to the section head and the discipline body, the discipline body's daily
digest of overdue records, and the notice of a submission. Sweep steps "record_notices" and "digests".
"""

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.formats import cn_date
from cases.models import Unit
from cases.selectors import discipline_body_ids, discipline_staff, discipline_staff_of_bodies, section_heads_for
from records.calendar.dates import local_date
from records.calendar.workdays import WorkCalendar
from records.hooks import submission_notices
from records.notifications.models import Notification
from records.notifications.services import BATCH, notification_send
from records.record.vocabulary import RecordNotice

from .access import is_party
from .models import InterferenceRecord
from .rules import digest_owed, is_party_to, next_check, owed_reminder, working_days_overdue


class DigestLine(NamedTuple):
    """One overdue record as a digest lists it, with what tells whether a reader is party to it."""

    text: str
    interferer_id: int | None
    interferer_name: str
    behind_id: int | None
    behind_name: str


def display_name(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def initial_next_notice(*, due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> dt.datetime | None:
    """When the sweep should first look at a record: now if something is already owed (a record
    entered late), else the next reminder instant."""
    if owed_reminder(due_at=due_at, now=now, calendar=calendar) is not None:
        return now
    return next_check(due_at=due_at, now=now, calendar=calendar)


def notice_window(due_dates: list[dt.date], now: dt.datetime) -> WorkCalendar:
    # 30 days back covers "the working day before the due day" across the longest holiday block.
    return WorkCalendar.covering([*due_dates, local_date(now)], before=30, after=2)


def record_link(record: InterferenceRecord) -> str:
    return reverse("records:detail", args=[record.pk])


def _notify_open_record(record: InterferenceRecord, owed: str, now: dt.datetime, calendar: WorkCalendar) -> int:
    due_day = local_date(record.due_at)
    sent = 0
    if owed in ("due_tomorrow", "due_today"):
        kind = RecordNotice.DUE_TOMORROW if owed == "due_tomorrow" else RecordNotice.DUE_TODAY
        # "Tomorrow" would be wrong across a holiday: the due day is the next *working* day.
        when = _("下一个工作日") if owed == "due_tomorrow" else _("今天")
        title = _("记录 %(serial)s 应于%(when)s（%(date)s）前报送") % {"serial": record.serial, "when": when, "date": cn_date(due_day)}
        body = _("请在报送期限 %(due)s 前完成报送（十堰000第九条：三个工作日内报告）。") % {"due": f"{cn_date(due_day)} 23:59"}
        # Keyed by the due day: a deadline moved by a new holiday schedule owes its reminders anew.
        sent += notification_send(recipient=record.recorder, kind=kind, key=f"{record.pk}:{due_day.isoformat()}", title=title, body=body, link=record_link(record), record=record) is not None  # fmt: skip
        return sent
    days = working_days_overdue(due_at=record.due_at, now=now, calendar=calendar)
    officer = display_name(record.recorder)
    # The recorder is reminded of their own overdue draft (keyed by the due day, like the reminders
    # before it: a deadline moved later owes it anew).
    sent += notification_send(
        recipient=record.recorder, kind=RecordNotice.OVERDUE_RECORDER, key=f"{record.pk}:{due_day.isoformat()}",
        title=_("记录 %(serial)s 已逾期未报送") % {"serial": record.serial},
        body=_("报送期限%(due)s已过%(days)s个工作日（十堰000第九条：三个工作日内报告）。请尽快报送，并填写逾期说明。") % {
            "due": f"{cn_date(due_day)} 23:59", "days": days},
        link=record_link(record), record=record,
    ) is not None  # fmt: skip
    # The section head learns only *that* a record by their officer is overdue, never its content or
    # the interferer's name; and not at all when they are the interferer.
    for head in section_heads_for(record.recorder_unit):
        if head.pk == record.recorder_id or is_party(head, record):
            continue
        sent += notification_send(
            recipient=head, kind=RecordNotice.OVERDUE_SECTION_HEAD, key=str(record.pk),
            title=_("%(officer)s 有一条干预过问记录逾期未报送") % {"officer": officer},
            body=_("执法人员%(officer)s登记的记录 %(serial)s 已逾期%(days)s个工作日未报送，请督促其及时报送。") % {"officer": officer, "serial": record.serial, "days": days},
        ) is not None  # fmt: skip
    body_unit = record.recorder_unit.effective_discipline_body()
    for staff in discipline_staff(body_unit):
        if is_party(staff, record):
            continue
        sent += notification_send(
            recipient=staff, kind=RecordNotice.OVERDUE_DISCIPLINE, key=str(record.pk),
            title=_("记录 %(serial)s 逾期未报送") % {"serial": record.serial},
            body=_("%(unit)s 执法人员%(officer)s登记的记录 %(serial)s 报送期限为%(due)s，已逾期%(days)s个工作日。") % {
                "unit": record.recorder_unit.name, "officer": officer, "serial": record.serial, "due": cn_date(due_day), "days": days},
            link=reverse("records:overdue"), record=record,
        ) is not None  # fmt: skip
    return sent


def notify_submission_to(record: InterferenceRecord, staff_members) -> int:
    """Tell discipline staff of a submitted record, once each (kind `submitted`, keyed by the record),
    leaving out anyone party to it."""
    sent = 0
    late = _("（逾期报送）") if record.submitted_late else ""
    for staff in staff_members:
        if is_party(staff, record):
            continue
        sent += notification_send(
            recipient=staff, kind=RecordNotice.SUBMITTED, key=str(record.pk),
            title=_("收到报送记录 %(serial)s%(late)s") % {"serial": record.serial, "late": late},
            body=_("%(unit)s %(officer)s 报送了一条干预过问记录。") % {"unit": record.recorder_unit.name, "officer": display_name(record.recorder)},
            link=record_link(record), record=record,
        ) is not None  # fmt: skip
    return sent


def _notify_submitted(record: InterferenceRecord) -> int:
    sent = notify_submission_to(record, discipline_staff(record.recorder_unit.effective_discipline_body()))
    # The other addressees of the routing (discipline: the principal for 批示, a higher-level body).
    return sent + sum(submission_notices.run(record=record))


def record_notices(*, now: dt.datetime) -> int:
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
        calendar = notice_window([local_date(r.due_at) for r in batch], now)
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


def overdue_digests(*, now: dt.datetime) -> int:
    """One digest a working day per discipline staff member, listing their body's overdue records."""
    today = local_date(now)
    if not digest_owed(now=now, calendar=WorkCalendar.load(today, today)):
        return 0
    # Most sweeps of a day find every digest already sent: say so with one query, before reading
    # the overdue records (the sweep runs every few minutes; its budget is a fraction of a second).
    sent_today = Notification.objects.filter(kind=RecordNotice.OVERDUE_DIGEST, key=today.isoformat()).values("recipient_id")
    waiting = set(
        get_user_model().objects.filter(is_active=True, groups__name="discipline").exclude(pk__in=sent_today).values_list("pk", flat=True)
    )
    if not waiting:
        return 0
    # Plain values, not model instances: the first sweep of the day reads every overdue draft of the
    # country (~20,000 at 2,000,000 records), and building three instances per row cost more than the
    # query.
    overdue = list(
        InterferenceRecord.objects.filter(status=InterferenceRecord.Status.DRAFT, due_at__lt=now)
        .order_by("due_at")
        .values_list(
            "serial", "due_at", "recorder_unit_id", "recorder_unit__name", "recorder__username", "recorder__person__name",
            "interferer_id", "interferer_name", "behind_person_id", "behind_name",
        )
    )
    if not overdue:
        return 0
    calendar = notice_window([local_date(row[1]) for row in overdue], now)
    # Every recorder unit's body in one query per tree level (not a climb per unit: a province has
    # thousands of units with overdue drafts on the first sweep of the day).
    body_of_unit = discipline_body_ids({row[2] for row in overdue})
    days_late: dict[dt.datetime, int] = {}
    line_format = _("%(serial)s · %(unit)s %(officer)s · 逾期%(days)s个工作日")
    by_body: dict[int, list[DigestLine]] = defaultdict(list)
    for serial, due_at, unit_id, unit_name, username, officer_name, interferer_id, interferer_name, behind_id, behind_name in overdue:
        body_id = body_of_unit.get(unit_id)
        if body_id is None:
            continue
        if due_at not in days_late:
            days_late[due_at] = working_days_overdue(due_at=due_at, now=now, calendar=calendar)
        # The line is written once per record, whatever the number of staff who receive it.
        text = line_format % {"serial": serial, "unit": unit_name, "officer": officer_name or username, "days": days_late[due_at]}
        by_body[body_id].append(DigestLine(text, interferer_id, interferer_name, behind_id, behind_name))
    sent = 0
    staff_of_body = discipline_staff_of_bodies(list(Unit.objects.filter(pk__in=list(by_body))))
    overdue_page = reverse("records:overdue")
    for body_id, lines in by_body.items():
        for staff in staff_of_body[body_id]:
            if staff.pk not in waiting:
                continue
            person = getattr(staff, "person", None)
            person_id, person_name = (person.pk, person.name) if person is not None else (None, "")
            mine = [
                line.text for line in lines
                if not is_party_to(person_id=person_id, person_name=person_name, interferer_id=line.interferer_id,
                                   interferer_name=line.interferer_name, behind_id=line.behind_id, behind_name=line.behind_name)
            ]  # fmt: skip
            if not mine:
                continue
            sent += notification_send(
                recipient=staff, kind=RecordNotice.OVERDUE_DIGEST, key=today.isoformat(),
                title=_("%(date)s 逾期未报送记录汇总：%(n)s条") % {"date": cn_date(today), "n": len(mine)},
                body="\n".join(mine), link=overdue_page,
            ) is not None  # fmt: skip
    return sent
