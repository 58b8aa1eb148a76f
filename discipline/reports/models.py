"""Report jobs (R-ANNUAL): one annual report or quarterly bulletin asked for from the reports page,
rendered by a Celery task (``discipline.reports.tasks``); the PDF is kept in private storage."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.worker import worker_silence_notice


def report_storage():
    """The private "reports" storage of settings.STORAGES (cases.storage.PrivateStorage): no public
    URL; downloads go through the access helpers, which check who asked."""
    return storages["reports"]


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("年度分析报告")
        QUARTERLY = "quarterly", _("季度通报")
        CAMPAIGN = "campaign", _("专项行动总结报告")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), null=True, blank=True)
    unit = models.ForeignKey("cases.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        "discipline.Campaign", verbose_name=_("专项行动"), null=True, blank=True, on_delete=models.PROTECT, related_name="report_jobs"
    )
    appendix = models.BooleanField(_("附台账"), default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    file = models.FileField(_("文件"), upload_to="%Y/", storage=report_storage, max_length=200, blank=True)
    fingerprint = models.CharField(_("数据指纹"), max_length=64, blank=True)
    number = models.CharField(_("文号"), max_length=64, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("申请时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # When a status poll last rang the worker for this job: one ring per STALE_QUEUED across every
    # web process, however many pages poll.
    rung_at = models.DateTimeField(_("最近催办时间"), null=True, blank=True)
    # The worker running the job writes this every REPORT_HEARTBEAT_SECONDS; a running job whose
    # heartbeat is older than REPORT_WORKER_LOST_SECONDS has lost its worker and is queued again.
    heartbeat_at = models.DateTimeField(_("最近心跳时间"), null=True, blank=True)
    # Which run owns the job: a run whose number is no longer current (the job was queued again while
    # its worker was stalled) writes neither progress nor a result.
    attempt = models.PositiveSmallIntegerField(_("生成次数"), default=0)
    requeued_at = models.DateTimeField(_("重新排队时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报告生成任务")
        verbose_name_plural = _("报告生成任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="report_job_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}{f' Q{self.quarter}' if self.quarter else ''}"

    def worker_notice(self) -> str:
        """What the progress box says while the job waits in the queue and no worker has answered for
        a while (cases.worker; a running job has its own heartbeat, see requeue_notice)."""
        if self.status != self.Status.QUEUED:
            return ""
        return worker_silence_notice(waiting_since=self.requeued_at or self.created_at, now=timezone.now())

    def requeue_notice(self) -> str:
        """What the progress box says while a job queued again after losing its worker is pending."""
        if self.requeued_at is None or self.status not in (self.Status.QUEUED, self.Status.RUNNING):
            return ""
        return gettext("处理该报告的后台进程已停止响应，任务已于%(time)s自动重新排队，将由其他进程继续生成。") % {
            "time": timezone.localtime(self.requeued_at).strftime("%H:%M:%S")
        }


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
