"""The audit trail's own events: reading and exporting it are themselves audited, and so is a storage
alert. Stored values never change (they are in the hash chain); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types


@audit_event_types.register
class AuditTrailEvent(models.TextChoices):
    """The auditor's page (cases.audit_trail.views) and the storage check (cases.audit_trail.services)."""

    TRAIL_VIEWED = "audit.trail_viewed", _("查看审计记录")
    TRAIL_EXPORTED = "audit.trail_exported", _("导出审计记录")
    STORAGE_ALERT = "audit.storage_alert", _("审计存储空间告警")
