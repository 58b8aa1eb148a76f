"""The zero report's audit event type and notice kind. Stored values never change (audit hash chain, notice keys); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types, notification_kinds


@audit_event_types.register
class ZeroReportEvent(models.TextChoices):
    """The monthly zero report (records.zero_report)."""

    ZERO_REPORT_DECLARED = "zero_report.declared", _("零报告申报")


@notification_kinds.register
class ZeroReportNotice(models.TextChoices):
    """The monthly zero report is due."""

    ZERO_REPORT_DUE = "zero_report_due", _("月度零报告提醒")
