from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Interference records, evidence, the working-day calendar and reporting deadlines."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = _("干预过问记录")

    def ready(self) -> None:
        from cases.accounts import role_change_listeners
        from cases.audit import content_verifiers

        from .account_notices import notify_role_change
        from .integrity import verify_content

        role_change_listeners.register(notify_role_change)
        # First of the content checks: INSTALLED_APPS puts records before discipline.
        content_verifiers.register(verify_content)
