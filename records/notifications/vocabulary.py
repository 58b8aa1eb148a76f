"""The notices' own audit event type and the account notice kind. Stored values never change (audit hash chain, notice keys); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types, notification_kinds


@audit_event_types.register
class NotificationEvent(models.TextChoices):
    """Notices sent (records.notifications)."""

    NOTICE_SENT = "notice.sent", _("发送提醒")


@notification_kinds.register
class AccountNotice(models.TextChoices):
    """A person's roles changed; a role request waits for a 安全保密管理员 or was decided; an account
    was locked after failed sign-ins (to its holder and the security administrators); a second factor
    was reset (to its holder)."""

    ROLE_CHANGED = "role_changed", _("账户角色变更")
    ROLE_REQUESTED = "role_requested", _("角色申请待审批")
    ROLE_REQUEST_DECIDED = "role_request_decided", _("角色申请已审批")
    LOCKED_OUT = "account_locked_out", _("账户登录锁定")
    SECOND_FACTOR_RESET = "second_factor_reset", _("双重验证已重置")


@notification_kinds.register
class AuditorNotice(models.TextChoices):
    """Something the 安全审计员 must hear of (cases.audit_trail.alerts), e.g. the audit trail's storage near full."""

    AUDITOR_ALERT = "auditor_alert", _("安全审计告警")


@notification_kinds.register
class ImportNotice(models.TextChoices):
    """A confirmed 批量导入 (cases.onboarding.jobs) finished, done or failed: told to its uploader."""

    IMPORT_FINISHED = "import_finished", _("批量导入完成")
