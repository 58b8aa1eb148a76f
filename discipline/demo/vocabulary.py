"""The demo generator's audit event type. Stored values never change (audit hash chain, notice keys); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types


@audit_event_types.register
class DemoEvent(models.TextChoices):
    """The demo data generator (discipline.demo)."""

    DEMO_SEEDED = "demo.seeded", _("生成演示数据")
