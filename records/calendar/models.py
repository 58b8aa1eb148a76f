"""The working-day calendar's stored parts: holiday overrides entered by administrators, years whose
official schedule is complete, and pending deadline recomputations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayOverride(models.Model):
    """One day whose working/non-working status an administrator has fixed, usually from a State
    Council notice (国务院办公厅关于某年部分节假日安排的通知). It wins over the package and the
    provisional calendar (DESIGN §5)."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    source = models.CharField(_("依据文号"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind}"


class CalendarYear(models.Model):
    """Marks a year whose official schedule an administrator has entered in full as HolidayOverride
    rows. For such a year, a day without an override is an ordinary weekday/weekend day: neither the
    package nor the provisional statutory holidays apply any more."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("依据文号"), max_length=100, help_text=_("如：国办发明电〔2026〕X号"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度放假安排")
        verbose_name_plural = _("年度放假安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}（{self.source}）"


class CalendarRecompute(models.Model):
    """A pending recomputation of open deadlines after the calendar of `year` changed. The database
    row is the source of truth; the Celery task that processes it is only a doorbell, so a broker
    outage delays the work but never loses it."""

    year = models.PositiveSmallIntegerField(_("年度"))
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    changed = models.PositiveIntegerField(_("调整记录数"), default=0)

    class Meta:
        verbose_name = _("期限重算")
        verbose_name_plural = _("期限重算")
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["requested_at"], name="recompute_pending_idx", condition=models.Q(done_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.year}"
