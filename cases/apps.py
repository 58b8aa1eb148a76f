from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Organisation (units, people, roles), enforcement cases and the audit log."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = _("组织与案件")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import (
            checks,  # noqa: F401 - registers the system checks
            downloads,  # noqa: F401 - declares the download event; imports signing, whose check it registers
            vocabulary,  # noqa: F401 - declares cases' audit event types
        )
        from .middleware import SessionIdleRefreshMiddleware

        # A login saves a fresh session: its first request owes no refresh.
        user_logged_in.connect(SessionIdleRefreshMiddleware.mark_fresh, dispatch_uid="session-fresh-at-login")
