"""In-app notices (and their e-mails)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notice (and e-mail, when the recipient has an address). The unique constraint on
    (recipient, kind, key) makes a second send of the same notice impossible, whatever happens to
    workers, beat or the broker (R-REMIND: each notice is sent once)."""

    class Kind(models.TextChoices):
        DUE_TOMORROW = "due_tomorrow", _("报送期限提醒（前一工作日）")
        DUE_TODAY = "due_today", _("报送期限提醒（到期日）")
        OVERDUE_SECTION_HEAD = "overdue_section_head", _("逾期未报送（科室负责人）")
        OVERDUE_DISCIPLINE = "overdue_discipline", _("逾期未报送（纪检监察）")
        OVERDUE_DIGEST = "overdue_digest", _("逾期未报送每日汇总")
        SUBMITTED = "submitted", _("收到报送记录")
        DEADLINE_MOVED = "deadline_moved", _("报送期限调整")
        CALENDAR_MISSING = "calendar_missing", _("下一年度放假安排未录入")
        RETALIATION_ALERT = "retaliation_alert", _("受保护记录人人事处理预警")
        RETALIATION_COMPLAINT = "retaliation_complaint", _("收到打击报复控告")
        COMPLAINT_CONCLUDED = "complaint_concluded", _("打击报复控告办理结果")
        ZERO_REPORT_DUE = "zero_report_due", _("月度零报告提醒")
        # Fault accountability and error tolerance (R-FAULT, R-TOL).
        FAULT_DEADLINE = "fault_deadline", _("过错追究与容错纠错期限提醒")
        FAULT_OVERDUE = "fault_overdue", _("过错追究与容错纠错期限已逾期")
        RECURRING_ERRORS = "recurring_errors", _("同类执法错误频繁出现")
        CAMPAIGN_DEADLINE = "campaign_deadline", _("专项行动整改时限提醒")
        CAMPAIGN_OVERDUE = "campaign_overdue", _("专项行动整改逾期督办")
        ROLE_CHANGED = "role_changed", _("账户角色变更")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    # What makes this notice unique for its recipient and kind: the record (and its due date, for
    # reminders that a moved deadline makes owed again), or the day for a daily digest.
    key = models.CharField(_("去重键"), max_length=64)
    record = models.ForeignKey(
        "records.InterferenceRecord", verbose_name=_("相关记录"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # True while an e-mail is owed (the recipient had an address when the notice was made).
    email_pending = models.BooleanField(_("待发邮件"), default=False)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "kind", "key"], name="notification_once")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=models.Q(read_at__isnull=True)),
            models.Index(fields=["created_at"], name="notification_unmailed_idx", condition=models.Q(email_pending=True)),
        ]

    def __str__(self) -> str:
        return self.title
