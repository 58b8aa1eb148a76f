"""Writing audit events. Called from services and access helpers inside their transaction."""

from typing import Any

from django.db import models

from .models import AuditEvent


def audit(*, type: AuditEvent.Type, actor, obj: models.Model | None = None, data: dict[str, Any] | None = None) -> AuditEvent:
    """Append one audit event for `actor` doing `type` to `obj`."""
    return AuditEvent.objects.create(
        type=type,
        actor=actor if getattr(actor, "pk", None) else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )
