"""The reminder-sweep step of fault accountability and error tolerance (R-FAULT, R-TOL, R-REMIND):
reminders before the deadlines lapse and escalation when they are missed, each notice sent once
(``notification_send`` is unique per recipient, kind and key):

- the written decision within 10 日 (002 第十一条) and the tolerance notice within 7 日 (004 第二十条):
  the body's staff are reminded from two working days before the due day; when missed, the staff
  and the higher discipline body are told;
- the review window of 30 日 (002 第十二条): the people held responsible are reminded from two working
  days before it closes, and the staff are told when it has lapsed without request;
- correction deadlines (004 第二十三条): the responsible officer and the staff are reminded from two
  working days before; when missed, the staff and the higher body are told;
- recurring errors of one kind or field (004 第二十四条): the body's staff, once per new occurrence.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.formats import cn_date
from cases.models import Unit
from cases.selectors import discipline_staff
from discipline.common.bodies import higher_body_of
from discipline.faults import selectors
from discipline.faults.models import CorrectionTask, FaultCase, ToleranceApplication
from discipline.faults.vocabulary import FaultNotice
from records.calendar.dates import local_date
from records.calendar.workdays import WorkCalendar
from records.notifications.services import notification_send

REMIND_WORKING_DAYS = 2



def _phase(due: dt.date, today: dt.date, cal: WorkCalendar) -> str | None:
    if today > due:
        return "overdue"
    if (due - today).days > 14:
        return None
    if cal.working_days_between(today, due) <= REMIND_WORKING_DAYS:
        return "soon"
    return None


def _send(recipients, *, kind, key, title, body, link) -> int:
    return sum(1 for user in recipients if notification_send(recipient=user, kind=kind, key=key, title=title, body=body, link=link))


def _escalate(body: Unit, unit: Unit | None, *, key: str, title: str, text: str, link: str) -> int:
    n = _send(discipline_staff(body), kind=FaultNotice.FAULT_OVERDUE, key=key, title=title, body=text, link=link)
    higher = higher_body_of(unit) if unit is not None else None
    if higher is not None and higher.pk != body.pk:
        n += _send(discipline_staff(higher), kind=FaultNotice.FAULT_OVERDUE, key=key, title=title, body=text, link=link)
    return n


def fault_reminders(*, now: dt.datetime) -> int:
    today = local_date(now)
    cal = WorkCalendar.load(today - dt.timedelta(days=7), today + dt.timedelta(days=40))
    sent = 0
    # 002 第十一条: decided, not yet served.
    for fc in FaultCase.objects.filter(decided_on__isnull=False, served_on__isnull=True, notice_due__isnull=False).select_related(
        "body", "unit"
    ):
        phase = _phase(fc.notice_due, today, cal)
        if phase is None:
            continue
        link = reverse("discipline:fault_case", args=[fc.pk])
        key = f"fault:{fc.pk}:notice:{phase}"
        if phase == "soon":
            title = _("过错案件%(pk)s的处理决定应于%(due)s前书面通知本人") % {"pk": fc.pk, "due": cn_date(fc.notice_due)}
            sent += _send(
                discipline_staff(fc.body),
                kind=FaultNotice.FAULT_DEADLINE,
                key=key,
                title=title,
                body=_("第十一条：10日内书面通知本人。"),
                link=link,
            )
        else:
            title = _("过错案件%(pk)s的处理决定逾期未书面通知（期限%(due)s）") % {"pk": fc.pk, "due": cn_date(fc.notice_due)}
            sent += _escalate(fc.body, fc.unit, key=key, title=title, text=_("第十一条：处理决定应当在10日内书面通知本人。"), link=link)
    # 002 第十二条: the review window is closing: the people held responsible are reminded of their right.
    closing = FaultCase.objects.filter(
        review_due__gte=today, review_due__lte=today + dt.timedelta(days=14), review_requested_on__isnull=True
    )
    for fc in closing.prefetch_related("participants__person__user"):
        if _phase(fc.review_due, today, cal) != "soon":
            continue
        people = [p.person.user for p in fc.participants.all() if p.person.user_id and (p.confirmed_share or p.suggested_share) != "none"]
        title = _("对过错责任处理决定有异议的，可在%(due)s前提出复核申请") % {"due": cn_date(fc.review_due)}
        sent += _send(
            people,
            kind=FaultNotice.FAULT_DEADLINE,
            key=f"fault:{fc.pk}:review_soon",
            title=title,
            body=_("第十二条：接到决定通知之日起30日内。"),
            link="",
        )
    # 002 第十二条: the review window lapsed without request.
    lapsed = FaultCase.objects.filter(review_due__lt=today, review_requested_on__isnull=True).select_related("body")
    for fc in lapsed:
        title = _("过错案件%(pk)s的复核申请期限已于%(due)s届满，未收到复核申请") % {"pk": fc.pk, "due": cn_date(fc.review_due)}
        sent += _send(
            discipline_staff(fc.body), kind=FaultNotice.FAULT_DEADLINE, key=f"fault:{fc.pk}:review_lapsed", title=title, body="",
            link=reverse("discipline:fault_case", args=[fc.pk]),
        )  # fmt: skip
    # 004 第二十条: decided, not yet notified.
    pending = ToleranceApplication.objects.filter(decided_on__isnull=False, notified_on__isnull=True, notice_due__isnull=False)
    for app in pending.select_related("body", "person__unit"):
        phase = _phase(app.notice_due, today, cal)
        if phase is None:
            continue
        link = reverse("discipline:tolerance", args=[app.pk])
        key = f"tolerance:{app.pk}:notice:{phase}"
        if phase == "soon":
            title = _("容错免责认定%(pk)s应于%(due)s前告知相关单位及当事人") % {"pk": app.pk, "due": cn_date(app.notice_due)}
            sent += _send(
                discipline_staff(app.body), kind=FaultNotice.FAULT_DEADLINE, key=key, title=title, body=_("第二十条：7日内告知。"), link=link
            )
        else:
            title = _("容错免责认定%(pk)s逾期未告知（期限%(due)s）") % {"pk": app.pk, "due": cn_date(app.notice_due)}
            sent += _escalate(
                app.body, app.person.unit, key=key, title=title, text=_("第二十条：容错决定作出后应当于7日内告知。"), link=link
            )
    # 004 第二十三条: correction deadlines.
    open_tasks = CorrectionTask.objects.filter(completed_on__isnull=True).select_related(
        "application__body", "responsible__user", "responsible__unit"
    )
    for task in open_tasks:
        phase = _phase(task.deadline, today, cal)
        if phase is None:
            continue
        link = reverse("discipline:correction", args=[task.pk])
        key = f"correction:{task.pk}:{task.deadline.isoformat()}:{phase}"
        body = task.application.body
        if phase == "soon":
            title = _("纠错整改应于%(due)s前完成") % {"due": cn_date(task.deadline)}
            people = discipline_staff(body) + ([task.responsible.user] if task.responsible.user_id else [])
            sent += _send(people, kind=FaultNotice.FAULT_DEADLINE, key=key, title=title, body=task.requirement, link=link)
        else:
            title = _("纠错整改逾期未完成（期限%(due)s）") % {"due": cn_date(task.deadline)}
            sent += _escalate(body, task.responsible.unit, key=key, title=title, text=task.requirement, link=link)
    # 004 第二十四条: recurring errors, per body.
    for body in Unit.objects.filter(fault_cases__occurred_on__gt=today - dt.timedelta(days=366)).distinct():
        for (dim, value), flag in selectors.recurring_for_body(body, today=today).items():
            last = max(c.pk for c in flag["cases"])
            title = _("同类执法错误频繁出现：%(label)s（近12个月%(n)s次）") % {"label": flag["label"], "n": flag["count"]}
            sent += _send(
                discipline_staff(body), kind=FaultNotice.RECURRING_ERRORS, key=f"recurring:{body.pk}:{dim}:{value}:{last}", title=title,
                body=_("第二十四条：请针对性研究分析，找出易错风险点并警示提醒。"), link=reverse("discipline:fault_cases"),
            )  # fmt: skip
    return sent
