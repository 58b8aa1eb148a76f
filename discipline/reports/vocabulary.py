"""Reports and figures' audit event types. Stored values never change (audit hash chain, notice keys); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types


@audit_event_types.register
class ReportEvent(models.TextChoices):
    """The ledger, the dashboard, reports and their downloads, the figures check (R-LEDGER, R-ANNUAL)."""

    LEDGER_VIEWED = "ledger.viewed", _("查看台账")
    DASHBOARD_VIEWED = "dashboard.viewed", _("查看统计")
    REPORT_REQUESTED = "report.requested", _("申请生成报告")
    REPORT_DOWNLOADED = "report.downloaded", _("下载报告")
    LEDGER_EXPORTED = "ledger.exported", _("导出台账")
    DASHBOARD_EXPORTED = "dashboard.exported", _("导出统计表")
    FIGURES_CHECKED = "figures.checked", _("核对统计数据")
