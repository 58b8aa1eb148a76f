"""Faults, tolerance and petitions' audit event types and notice kinds. Stored values never change (audit hash chain, notice keys); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types, notification_kinds


@audit_event_types.register
class FaultEvent(models.TextChoices):
    """Fault accountability, error tolerance, corrections and petitions (R-FAULT, R-TOL, R-PETITION)."""

    FAULT_CASE_OPENED = "fault_case.opened", _("登记行政执法过错")
    FAULT_SHARE_CONFIRMED = "fault_case.share_confirmed", _("认定过错责任")
    FAULT_DECIDED = "fault_case.decided", _("过错责任处理决定")
    FAULT_SERVED = "fault_case.served", _("书面通知处理决定")
    FAULT_RECEIVED = "fault_case.received", _("登记接到决定通知")
    FAULT_REVIEW_REQUESTED = "fault_case.review_requested", _("提出复核申请")
    FAULT_REVIEW_DECIDED = "fault_case.review_decided", _("复核决定")
    FAULT_APPEAL_RECORDED = "fault_case.appeal_recorded", _("登记申诉")
    FAULT_APPEAL_DECIDED = "fault_case.appeal_decided", _("申诉处理结果")
    FAULT_DECISION_DOWNLOADED = "fault_case.decision_downloaded", _("下载处理决定书")
    TOLERANCE_APPLIED = "tolerance.applied", _("申请容错免责")
    TOLERANCE_DECIDED = "tolerance.decided", _("容错免责认定")
    TOLERANCE_NOTIFIED = "tolerance.notified", _("告知容错免责决定")
    TOLERANCE_EVIDENCE_UPLOADED = "tolerance.evidence_uploaded", _("上传容错申请证明材料")
    TOLERANCE_EVIDENCE_DOWNLOADED = "tolerance.evidence_downloaded", _("下载容错申请证明材料")
    CORRECTION_CREATED = "correction.created", _("启动纠错")
    CORRECTION_EXTENSION_REQUESTED = "correction.extension_requested", _("申请延长整改期限")
    CORRECTION_EXTENSION_DECIDED = "correction.extension_decided", _("审批延期申请")
    CORRECTION_COMPLETED = "correction.completed", _("完成纠错整改")
    CORRECTION_FOLLOWED_UP = "correction.followed_up", _("纠错跟踪")
    PETITION_REGISTERED = "petition.registered", _("登记信访举报")
    PETITION_FOUND = "petition.found", _("信访举报查处结论")
    PETITION_ANSWERED = "petition.answered", _("信访举报反馈或说明")
    PETITION_NAME_CLEARED = "petition.name_cleared", _("澄清正名")


@notification_kinds.register
class FaultNotice(models.TextChoices):
    """Fault and tolerance deadlines, recurring errors (R-FAULT, R-TOL)."""

    FAULT_DEADLINE = "fault_deadline", _("过错追究与容错纠错期限提醒")
    FAULT_OVERDUE = "fault_overdue", _("过错追究与容错纠错期限已逾期")
    RECURRING_ERRORS = "recurring_errors", _("同类执法错误频繁出现")
