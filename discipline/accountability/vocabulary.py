"""Accountability's audit event types and notice kinds. Stored values never change (audit hash chain, notice keys); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types, notification_kinds


@audit_event_types.register
class AccountabilityEvent(models.TextChoices):
    """Failure to record and protection of recorders (R-FAIL, R-PROTECT)."""

    FAILURE_REGISTERED = "recording_failure.registered", _("登记不记录或不如实记录")
    FAILURE_DECIDED = "recording_failure.decided", _("不记录或不如实记录处理决定")
    PERSONNEL_ACTION_ENTERED = "personnel_action.entered", _("登记人事处理")
    RETALIATION_ALERT_REVIEWED = "retaliation_alert.reviewed", _("审查打击报复预警")
    COMPLAINT_FILED = "retaliation_complaint.filed", _("提出打击报复控告")
    COMPLAINT_CONCLUDED = "retaliation_complaint.concluded", _("办结打击报复控告")


@notification_kinds.register
class AccountabilityNotice(models.TextChoices):
    """Retaliation alerts and complaints (R-PROTECT)."""

    RETALIATION_ALERT = "retaliation_alert", _("受保护记录人人事处理预警")
    RETALIATION_COMPLAINT = "retaliation_complaint", _("收到打击报复控告")
    COMPLAINT_CONCLUDED = "complaint_concluded", _("打击报复控告办理结果")
