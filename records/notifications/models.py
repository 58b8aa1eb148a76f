"""In-app notices (and their e-mails)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import notification_kind_choices


class Notification(models.Model):
    """An in-app notice (and e-mail, when the recipient has an address). The unique constraint on
    (recipient, kind, key) makes a second send of the same notice impossible, whatever happens to
    workers, beat or the broker (R-REMIND: each notice is sent once)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    # Each app declares its notice kinds beside the code that sends them (cases.vocabulary): the callable
    # keeps the list out of records' migrations.
    kind = models.CharField(_("类型"), max_length=32, choices=notification_kind_choices)
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
