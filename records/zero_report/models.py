"""The monthly zero report (零报告)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ZeroReport(models.Model):
    """An officer's monthly declaration (零报告): either that nothing of the kind happened in the month
    or that everything that happened was recorded, with the number of records the officer had made in
    the month when declaring. One per officer and month; never edited. The documents require complete
    recording (000 第六条; 001 第六条; 002 第五条) but give no way to notice silence; this declaration
    is the system's answer (issue 6)."""

    class Declaration(models.TextChoices):
        NONE = "none", _("本月无领导干部干预、内部人员过问案件情况")
        ALL_RECORDED = "all_recorded", _("本月领导干部干预、内部人员过问案件情况已全部如实记录")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="zero_reports"
    )
    unit = models.ForeignKey("cases.Unit", verbose_name=_("申报时所在单位"), on_delete=models.PROTECT, related_name="zero_reports")
    month = models.DateField(_("所属月份"), help_text=_("该月第一天。"))
    declaration = models.CharField(_("申报内容"), max_length=16, choices=Declaration.choices)
    declared_count = models.PositiveIntegerField(_("申报时本月记录数"))
    declared_at = models.DateTimeField(_("申报时间"))
    late = models.BooleanField(_("逾期申报"), default=False)

    class Meta:
        verbose_name = _("零报告")
        verbose_name_plural = _("零报告")
        ordering = ["-month", "unit_id", "officer_id"]
        constraints = [models.UniqueConstraint(fields=["officer", "month"], name="zero_report_once_per_month")]
        indexes = [models.Index(fields=["month", "unit"], name="zero_report_month_idx")]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.month:%Y-%m}"
