from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    """Review and handling by the discipline body, accountability, faults and tolerance, campaigns,
    reports and figures."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "discipline"
    verbose_name = _("纪检监察")

    def ready(self) -> None:
        # Lower apps call these hooks but may not import discipline: cases verifies the audit chain
        # and tells of people's edits, records routes submitted records, runs the reminder sweep's
        # steps and draws the recorder's part of the record page.
        from cases.audit import content_verifiers
        from cases.services import person_changed
        from discipline import checks  # noqa: F401 - registers the system checks

        # Each subpackage declares its audit event types and notice kinds at import (cases.vocabulary).
        from discipline.accountability import vocabulary as accountability_vocabulary  # noqa: F401
        from discipline.accountability.access import recorder_complaints_panel
        from discipline.campaigns import vocabulary as campaigns_vocabulary  # noqa: F401
        from discipline.campaigns.reminders import campaign_reminders
        from discipline.demo import vocabulary as demo_vocabulary  # noqa: F401
        from discipline.faults import vocabulary as faults_vocabulary  # noqa: F401
        from discipline.faults.integrity import verify_tolerance_evidence
        from discipline.faults.reminders import fault_reminders
        from discipline.reports import vocabulary as reports_vocabulary  # noqa: F401
        from discipline.reports.figures.cells import refresh_person
        from discipline.review import vocabulary as review_vocabulary  # noqa: F401
        from discipline.review.integrity import verify_discipline_content
        from discipline.review.reminders import notify_submission_addressees, submission_preview
        from discipline.review.routing import record_route
        from discipline.review.selectors import record_outcomes as outcomes_of
        from records.hooks import record_outcomes, record_submitted, recorder_panels, submission_notices
        from records.hooks import submission_preview as submission_preview_hook
        from records.notifications.sweep import sweep_steps

        content_verifiers.register(verify_discipline_content)
        content_verifiers.register(verify_tolerance_evidence)
        person_changed.register(refresh_person)
        record_submitted.register(record_route)
        record_outcomes.register(outcomes_of)
        submission_notices.register(notify_submission_addressees)
        submission_preview_hook.register(submission_preview)
        recorder_panels.register(recorder_complaints_panel)
        # After records' own steps (INSTALLED_APPS order), in the sweep's order of old.
        sweep_steps.register("fault_reminders", fault_reminders)
        sweep_steps.register("campaign_reminders", campaign_reminders)

        # Inside discipline, lower packages offer hooks that higher ones fill: review's changes refresh
        # the figure cells (reports), and reports renders campaign reports (campaigns) through its
        # builders.
        from discipline.campaigns.report import build_campaign_job
        from discipline.reports.figures.cells import refresh_record
        from discipline.reports.jobs import register_report_builder
        from discipline.review.hooks import counted_record_changed

        counted_record_changed.register(refresh_record)
        register_report_builder("campaign", build_campaign_job)
