from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    """Review and handling by the discipline body (built out in later issues)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "discipline"
    verbose_name = _("纪检监察")
