"""Audit event types of the encryption keys (cases.encryption.rotation)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types


@audit_event_types.register
class EncryptionEvent(models.TextChoices):
    """A key rotation: started by an operator (the new current key's id, never the key), finished by
    the background re-encryption once nothing remains under an older key."""

    ROTATION_STARTED = "encryption.rotation_started", _("开始更换数据加密密钥")
    ROTATION_FINISHED = "encryption.rotation_finished", _("完成数据重新加密")
