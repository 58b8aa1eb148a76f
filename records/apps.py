from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Interference records, evidence, the working-day calendar and reporting deadlines."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = _("干预过问记录")

    def ready(self) -> None:
        from cases.accounts import role_change_listeners

        from .account_notices import notify_role_change

        if notify_role_change not in role_change_listeners:
            role_change_listeners.append(notify_role_change)
