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

        from . import (
            checks,  # noqa: F401 - registers the system checks
            vocabulary,  # noqa: F401 - declares cases' audit event types
        )
        from .lockout import on_user_locked_out
        from .middleware import SessionIdleRefreshMiddleware
        from .password_policy import remember_at_sign_in

        # A login saves a fresh session: its first request owes no refresh.
        user_logged_in.connect(SessionIdleRefreshMiddleware.mark_fresh, dispatch_uid="session-fresh-at-login")
        # Whether the password must change first is worked out once, at sign-in (PasswordChangeMiddleware).
        user_logged_in.connect(remember_at_sign_in, dispatch_uid="password-change-due-at-login")
        # A lockout is audited and told to the holder and the security administrators (cases.lockout).
        user_locked_out.connect(on_user_locked_out, dispatch_uid="lockout-notices")
