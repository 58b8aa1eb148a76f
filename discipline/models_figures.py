"""Figure cells (issue 10): the dashboard's and the reports' counts of submitted records, kept per
recorder unit and month so that national figures do not read every record of the period.

A cell is "how many submitted records of ``recorder_unit`` that occurred in ``month`` and were
routed to the discipline bodies ``body_one``/``body_two`` have ``key`` on ``dimension``". Cells are
derived data: ``discipline.figures.refresh_cells`` recomputes all cells of one unit and month from
the records, inside the transaction of every service that changes what a cell counts, and
``manage.py figures_check`` reconciles them against the records (also run by the nightly sweep).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["FigureBodyCell", "FigureCell"]


class _Cell(models.Model):
    """What both kinds of cell hold: the one or two discipline bodies a record was routed to as
    handling or higher-level body (R-ROUTE), lower id first, so a record is counted once for a reader
    of either (the set of ``access.routed_records``; both empty for a record never routed, counted
    only in system-wide figures); the month; and the count of one key of one dimension."""

    body_one = models.ForeignKey(
        "cases.Unit", verbose_name=_("纪检监察机构"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    body_two = models.ForeignKey(
        "cases.Unit", verbose_name=_("另一纪检监察机构"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"), help_text=_("过问发生月份的第一天（北京时间）"))
    dimension = models.CharField(_("统计维度"), max_length=16)
    key = models.CharField(_("取值"), max_length=32, blank=True)
    count = models.PositiveIntegerField(_("数量"))

    class Meta:
        abstract = True


class FigureCell(_Cell):
    """Counts of submitted records per (routing bodies, recorder unit, month, dimension, key)."""

    recorder_unit = models.ForeignKey("cases.Unit", verbose_name=_("记录单位"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("统计单元")
        verbose_name_plural = _("统计单元")
        constraints = [
            models.UniqueConstraint(
                fields=["recorder_unit", "month", "body_one", "body_two", "dimension", "key"], name="figurecell_unique"
            ),
        ]
        indexes = [
            # Figures of a period read by month; those of one reader by body (either of the two).
            models.Index(fields=["month", "dimension"], name="figurecell_month_idx"),
            models.Index(fields=["body_one", "month"], name="figurecell_body_one_idx"),
            models.Index(fields=["body_two", "month"], name="figurecell_body_two_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recorder_unit_id} {self.month:%Y-%m} {self.dimension}={self.key}: {self.count}"


class FigureBodyCell(_Cell):
    """The figure cells summed over recorder units: one row per (routing bodies, month, dimension,
    key). Read when no unit subtree is chosen (a body's or the national figures), where the
    per-unit cells would be summed row by row; rewritten from ``FigureCell`` by the same refresh."""

    class Meta:
        verbose_name = _("机构统计单元")
        verbose_name_plural = _("机构统计单元")
        constraints = [
            models.UniqueConstraint(fields=["body_one", "body_two", "month", "dimension", "key"], name="figurebodycell_unique"),
        ]
        indexes = [
            models.Index(fields=["month", "dimension"], name="figurebodycell_month_idx"),
            models.Index(fields=["body_two", "month"], name="figurebodycell_body_two_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.body_one_id}/{self.body_two_id} {self.month:%Y-%m} {self.dimension}={self.key}: {self.count}"
