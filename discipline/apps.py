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
