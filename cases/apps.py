from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Organisation (units, people, roles), enforcement cases and the audit log."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = _("组织与案件")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db import connections
        from django.db.backends.signals import connection_created

        from . import (
            checks,  # noqa: F401 - registers the system checks
            vocabulary,  # noqa: F401 - declares cases' audit event types
        )
        from .audit_guard import register_sqlite_function
        from .audit_trail import vocabulary as audit_trail_vocabulary  # noqa: F401 - the trail's own event types
        from .middleware import SessionIdleRefreshMiddleware

        # The SQLite audit triggers call a function of the application's (migration 0023).
        connection_created.connect(register_sqlite_function, dispatch_uid="audit-guard-sqlite-function")
        for open_connection in connections.all(initialized_only=True):
            if open_connection.connection is not None:
                register_sqlite_function(sender=None, connection=open_connection)
        # A login saves a fresh session: its first request owes no refresh.
        user_logged_in.connect(SessionIdleRefreshMiddleware.mark_fresh, dispatch_uid="session-fresh-at-login")
