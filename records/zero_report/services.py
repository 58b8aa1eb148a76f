"""Services of the monthly zero report (零报告): declaring, and the reminder sweep's step
"zero_report_reminders". Schedule rules are pure, in ``zero_report.rules``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.formats import cn_date
from records.calendar.dates import local_date
from records.calendar.workdays import WorkCalendar
from records.notifications.models import Notification
from records.notifications.services import notification_send
from records.zero_report.vocabulary import ZeroReportEvent, ZeroReportNotice

from . import rules
from .models import ZeroReport
from .selectors import month_dates, month_label, month_record_count, officers

Declaration = ZeroReport.Declaration


@transaction.atomic
def zero_report_declare(*, month: dt.date, declaration: str, actor, now: dt.datetime) -> ZeroReport:
    """The officer `actor` declares for `month` (零报告): "none" only when they made no record about
    that month, "all recorded" only when they made at least one. Once per month; never changed."""
    person = getattr(actor, "person", None)
    if person is None or person.unit_id is None:
        raise ValidationError(_("您的账号未关联人员库或所在单位，无法申报，请联系管理员。"))
    today = local_date(now)
    month = rules.month_start(month)
    if month not in rules.declarable_months(today):
        raise ValidationError(
            _("%(month)s不在申报期内：每月25日起可申报当月，次月底前可补报上月。") % {"month": month_label(month)}
        )
    if declaration not in Declaration.values:
        raise ValidationError(_("请选择申报内容。"))
    count = month_record_count(actor, month)
    if declaration == Declaration.NONE and count:
        raise ValidationError(
            _("您%(month)s已登记%(n)s条干预过问记录，不能申报“无”，请申报“已全部如实记录”。") % {"month": month_label(month), "n": count}
        )
    if declaration == Declaration.ALL_RECORDED and not count:
        raise ValidationError(_("您%(month)s没有登记记录；如确无此类情况，请申报“无”，如有未记录的，请先登记。") % {"month": month_label(month)})
    try:
        with transaction.atomic():
            report = ZeroReport.objects.create(
                officer=actor, unit_id=person.unit_id, month=month, declaration=declaration, declared_count=count,
                declared_at=now, late=month_dates([month], today)[month].overdue,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(_("您已申报过%(month)s的零报告。") % {"month": month_label(month)}) from None
    audit(
        type=ZeroReportEvent.ZERO_REPORT_DECLARED,
        actor=actor,
        obj=report,
        data={"month": month.isoformat(), "declaration": declaration, "count": count, "late": report.late},
    )
    return report


def zero_report_reminders(*, now: dt.datetime) -> int:
    """The reminder sweep's zero-report step: each officer who owes a month's reminder
    (``rules.reminder_owed``) gets it once — keyed by the month, so the notification's
    uniqueness makes it one per officer and month however often the sweep runs. Reads a fixed number
    of queries plus one insert per notice sent."""
    sent = 0
    for month in rules.months_to_remind(now):
        opens = rules.window_opens(month)
        if local_date(now) < opens:
            continue
        calendar = WorkCalendar.load(opens, rules.due_calendar_window(month)[1])
        due = rules.due_date(month, calendar)
        if rules.reminder_at(month, calendar) > now or local_date(now) > due:
            continue
        key = month.strftime("%Y-%m")
        declared = set(ZeroReport.objects.filter(month=month).values_list("officer_id", flat=True))
        reminded = set(Notification.objects.filter(kind=ZeroReportNotice.ZERO_REPORT_DUE, key=key).values_list("recipient_id", flat=True))
        for officer in officers(for_month=month):
            joined_on = local_date(officer.date_joined)
            if officer.pk in reminded or not rules.reminder_owed(
                month=month, now=now, calendar=calendar, declared=officer.pk in declared, joined_on=joined_on
            ):
                continue
            sent += notification_send(
                recipient=officer, kind=ZeroReportNotice.ZERO_REPORT_DUE, key=key,
                title=_("请申报%(month)s零报告") % {"month": month_label(month)},
                body=_("请于%(end)s前申报%(month)s是否有领导干部干预、内部人员过问案件情况（点击后选择一项即可；次月底前仍可补报）。") % {
                    "month": month_label(month), "end": cn_date(due)},
                link=reverse("records:zero_report"),
            ) is not None  # fmt: skip
    return sent
