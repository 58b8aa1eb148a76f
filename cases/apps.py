from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Organisation (units, people, roles), enforcement cases and the audit log."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = _("组织与案件")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
