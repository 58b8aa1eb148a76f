from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    """Review and handling by the discipline body, accountability, faults and tolerance, campaigns,
    reports and figures."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "discipline"
    verbose_name = _("纪检监察")

    def ready(self) -> None:
        # cases verifies the audit chain but may not import discipline: it offers the hook.
        from cases.audit import content_verifiers

        from .fault_integrity import verify_tolerance_evidence
        from .integrity import verify_discipline_content

        content_verifiers.register(verify_discipline_content)
        content_verifiers.register(verify_tolerance_evidence)

        # records calls these hooks but may not import discipline (records.hooks, records' sweep).
        from records.hooks import record_submitted, recorder_panels
        from records.notifications.sweep import sweep_steps

        from .accountability_access import recorder_complaints_panel
        from .campaign_reminders import campaign_reminders
        from .fault_reminders import fault_reminders
        from .services import record_route

        record_submitted.register(record_route)
        recorder_panels.register(recorder_complaints_panel)
        # After records' own steps (INSTALLED_APPS order), in the sweep's order of old.
        sweep_steps.register("fault_reminders", fault_reminders)
        sweep_steps.register("campaign_reminders", campaign_reminders)

        # The figure cells count records by people's levels: a person's edit refreshes them.
        from cases.services import person_changed

        from .figures import refresh_person

        person_changed.register(refresh_person)
