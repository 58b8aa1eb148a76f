from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Organisation (units, people, roles), enforcement cases and the audit log."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = _("组织与案件")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import (
            checks,  # noqa: F401 - registers the system checks
            downloads,  # noqa: F401 - declares the download event; imports signing, whose check it registers
            vocabulary,  # noqa: F401 - declares cases' audit event types
        )
        from .accounts import role_permissions_sync, superuser_sign_in_record
        from .audit_guard import register_sqlite_function
        from .audit_trail import vocabulary as audit_trail_vocabulary  # noqa: F401 - the trail's own event types
        from .encryption import (
            checks as encryption_checks,  # noqa: F401 - registers the key checks
        )
        from .encryption import (
            vocabulary as encryption_vocabulary,  # noqa: F401 - declares the rotation's audit event types
        )
        from .lockout import on_user_locked_out
        from .middleware import SessionIdleRefreshMiddleware, client_ip
        from .password_policy import remember_at_sign_in

        # The SQLite audit triggers call a function of the application's (migration 0023).
        connection_created.connect(register_sqlite_function, dispatch_uid="audit-guard-sqlite-function")
        for open_connection in connections.all(initialized_only=True):
            if open_connection.connection is not None:
                register_sqlite_function(sender=None, connection=open_connection)
        # A login saves a fresh session: its first request owes no refresh.
        user_logged_in.connect(SessionIdleRefreshMiddleware.mark_fresh, dispatch_uid="session-fresh-at-login")

        def superuser_signed_in(sender, request, user, **kwargs):
            # The break-glass account's use is audited and told (the service decides what that means).
            if user.is_superuser:
                superuser_sign_in_record(user=user, ip=client_ip(request) if request is not None else None)

        user_logged_in.connect(superuser_signed_in, dispatch_uid="superuser-signed-in", weak=False)

        def administrator_permissions(sender, using="default", **kwargs):
            # Once a migrate is done: every app's permissions exist only after its own post_migrate.
            role_permissions_sync()

        last_app = list(self.apps.get_app_configs())[-1]
        post_migrate.connect(administrator_permissions, sender=last_app, dispatch_uid="administrator-role-permissions", weak=False)
        # Whether the password must change first is worked out once, at sign-in (PasswordChangeMiddleware).
        user_logged_in.connect(remember_at_sign_in, dispatch_uid="password-change-due-at-login")
        # A lockout is audited and told to the holder and the security administrators (cases.lockout).
        user_locked_out.connect(on_user_locked_out, dispatch_uid="lockout-notices")
