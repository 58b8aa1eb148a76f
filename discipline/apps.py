from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    """Review and handling by the discipline body, accountability, faults and tolerance, campaigns,
    reports and figures."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "discipline"
    verbose_name = _("纪检监察")

    def ready(self) -> None:
        # records verifies the audit chain but may not import discipline: it offers the hook.
        from discipline.faults.integrity import verify_tolerance_evidence
        from discipline.review.integrity import verify_discipline_content
        from records.audit_check import register_content_verifier

        register_content_verifier(verify_discipline_content)
        register_content_verifier(verify_tolerance_evidence)

        # Inside discipline, lower packages offer hooks that higher ones fill: review's changes refresh the
        # figure cells (reports), and reports renders campaign reports (campaigns) through its builders.
        from discipline.campaigns.report import build_campaign_job
        from discipline.reports.figures.cells import refresh_record
        from discipline.reports.jobs import register_report_builder
        from discipline.review.hooks import counted_record_changed

        counted_record_changed.register(refresh_record)
        register_report_builder("campaign", build_campaign_job)
