"""The API's audit event types (cases.vocabulary explains the registry)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types


@audit_event_types.register
class ApiEvent(models.TextChoices):
    """Calling systems and their keys as an administrator manages them, and every call a system makes."""

    SYSTEM_SAVED = "api.system_saved", _("保存接入系统")
    KEY_ISSUED = "api.key_issued", _("签发接口密钥")
    KEY_ROTATED = "api.key_rotated", _("轮换接口密钥")
    KEY_REVOKED = "api.key_revoked", _("吊销接口密钥")
    CALLED = "api.called", _("接口调用")
