from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Interference records, evidence, the working-day calendar and reporting deadlines."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = _("干预过问记录")

    def ready(self) -> None:
        from cases.accounts import role_change_listeners, role_request_listeners
        from cases.audit import content_verifiers
        from cases.audit_trail.alerts import auditor_alerts
        from cases.lockout import lockout_listeners
        from cases.onboarding.jobs import import_job_finished
        from cases.second_factor import second_factor_reset_listeners

        # Each subpackage declares its audit event types and notice kinds at import (cases.vocabulary).
        from .calendar import vocabulary as calendar_vocabulary  # noqa: F401
        from .calendar.reminders import calendar_warnings
        from .notifications import vocabulary as notifications_vocabulary  # noqa: F401
        from .notifications.account_notices import notify_lockout, notify_role_change, notify_role_request, notify_second_factor_reset
        from .notifications.auditor_notices import notify_auditors
        from .notifications.import_notices import notify_import_finished
        from .notifications.sweep import sweep_steps
        from .record import vocabulary as record_vocabulary  # noqa: F401
        from .record.integrity import verify_content
        from .record.recompute import recompute_requested
        from .record.reminders import overdue_digests, record_notices
        from .zero_report import vocabulary as zero_report_vocabulary  # noqa: F401
        from .zero_report.services import zero_report_reminders

        role_change_listeners.register(notify_role_change)
        role_request_listeners.register(notify_role_request)
        lockout_listeners.register(notify_lockout)
        second_factor_reset_listeners.register(notify_second_factor_reset)
        import_job_finished.register(notify_import_finished)
        auditor_alerts.register(notify_auditors)
        # First of the content checks: INSTALLED_APPS puts records before discipline.
        content_verifiers.register(verify_content)
        # The reminder sweep's steps, in order; discipline adds its own after these (DisciplineConfig.ready()).
        sweep_steps.register("recomputed", recompute_requested)
        sweep_steps.register("record_notices", record_notices)
        sweep_steps.register("digests", overdue_digests)
        sweep_steps.register("calendar_warnings", calendar_warnings)
        sweep_steps.register("zero_report_reminders", zero_report_reminders)
