"""Report jobs (R-ANNUAL): asking for a report, and running it. The request is a service (one
transaction, one audit event, the task enqueued on commit); the broker is only a doorbell: when it
is down the job stays queued, and the sweep (Celery beat, ``report_tasks.sweep_reports``) or the
next status poll of the page rings again."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.models import AuditEvent, Unit

from .models import ReportJob
from .reports import Period, ScopeError, data_fingerprint, is_discipline, may_report, report_units

log = logging.getLogger(__name__)
# A queued job older than this is rung again by the page's status poll and the sweep.
STALE_QUEUED = dt.timedelta(seconds=30)
# A running job older than this is taken as lost (worker killed) and queued again by the sweep.
STALE_RUNNING = dt.timedelta(minutes=15)


def _ring(job_id: int) -> None:
    from .report_tasks import generate_report

    try:
        # A ring not taken before the next report sweep is spent: that sweep rings again if the job
        # is still queued, so a stopped worker does not come back to a pile of duplicate rings.
        generate_report.apply_async(args=[job_id], retry=False, expires=settings.REPORT_SWEEP_SECONDS - 10)
    except Exception:  # noqa: BLE001 - any broker failure; the job stays queued for the sweep
        log.warning("broker unavailable; report job %s stays queued", job_id, exc_info=True)


def ring_if_stale(job: ReportJob, *, now: dt.datetime) -> bool:
    """From a status poll: ring again for a job queued longer than STALE_QUEUED (the broker may have
    been down when it was asked for), at most once per STALE_QUEUED per job across all web
    processes, however often its pages poll (a conditional update on ``rung_at`` decides)."""
    if job.status != ReportJob.Status.QUEUED or job.created_at >= now - STALE_QUEUED:
        return False
    claimed = (
        ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.QUEUED)
        .filter(Q(rung_at__isnull=True) | Q(rung_at__lt=now - STALE_QUEUED))
        .update(rung_at=now)
    )
    if not claimed:
        return False
    _ring(job.pk)
    return True


def ring_after_commit(job_id: int) -> None:
    transaction.on_commit(lambda: _ring(job_id))


@transaction.atomic
def report_job_request(
    *, year: int, quarter: int | None, unit: Unit | None, appendix: bool, force: bool, actor, now: dt.datetime
) -> tuple[ReportJob, bool]:
    """Ask for the annual report (or, with `quarter`, the quarterly bulletin) of `unit`'s subtree.
    Returns (job, reused): an earlier job of the same user and parameters whose data have not
    changed since (same fingerprint) is returned instead of rendering again, unless `force`."""
    if not may_report(actor):
        raise ValidationError(_("您无权生成报告。"))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("年度应在2000至2100之间。"))
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValidationError(_("季度应为1至4。"))
    if unit is not None and not report_units(actor).filter(pk=unit.pk).exists():
        raise ValidationError(_("您无权生成该单位的报告。"))
    appendix = appendix and is_discipline(actor)
    try:
        fingerprint = data_fingerprint(actor, Period(year, quarter), unit)
    except ScopeError as exc:
        raise ValidationError(str(exc)) from None
    kind = ReportJob.Kind.QUARTERLY if quarter else ReportJob.Kind.ANNUAL
    same = ReportJob.objects.filter(requested_by=actor, kind=kind, year=year, quarter=quarter, unit=unit, appendix=appendix)
    if not force:
        earlier = (
            same.filter(fingerprint=fingerprint, status__in=[ReportJob.Status.DONE, ReportJob.Status.QUEUED, ReportJob.Status.RUNNING])
            .order_by("-created_at", "-id")
            .first()
        )
        if earlier is not None:
            return earlier, True
    job = ReportJob.objects.create(
        kind=kind, year=year, quarter=quarter, unit=unit, appendix=appendix, requested_by=actor, fingerprint=fingerprint, created_at=now
    )
    audit(
        type=AuditEvent.Type.REPORT_REQUESTED,
        actor=actor,
        obj=job,
        data={"report": kind, "year": year, "quarter": quarter, "unit": unit.code if unit else "", "appendix": appendix, "force": force},
    )
    ring_after_commit(job.pk)
    return job, False


def _progress(job_id: int):
    def step(percent: int) -> None:
        # Outside the task's transaction: the page sees each step as it completes.
        ReportJob.objects.filter(pk=job_id).update(progress=percent)

    return step


def report_job_run(job_id: int, *, now_fn) -> str:
    """Render one queued job (idempotent: a job that is not queued is left alone). Returns its status."""
    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("requested_by", "unit", "campaign__body")
            .filter(pk=job_id, status=ReportJob.Status.QUEUED)
            .first()
        )
        if job is None:
            return "skipped"
        job.status, job.started_at, job.progress = ReportJob.Status.RUNNING, now_fn(), 1
        job.save(update_fields=["status", "started_at", "progress"])
    try:
        # The builders render in the default language (the bureau's Chinese documents), so an eager
        # in-process run does not inherit the asking request's language.
        pdf, fingerprint = _build(job, now_fn)
    except Exception as exc:
        log.exception("report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED, error=str(exc)[:2000], finished_at=now_fn())
        return ReportJob.Status.FAILED
    name = f"report-{job.pk}-{job.year}{f'Q{job.quarter}' if job.quarter else ''}{f'-campaign{job.campaign_id}' if job.campaign_id else ''}.pdf"
    job.file.save(name, ContentFile(pdf), save=False)
    job.fingerprint, job.status, job.progress, job.finished_at = fingerprint, ReportJob.Status.DONE, 100, now_fn()
    job.save(update_fields=["file", "fingerprint", "status", "progress", "finished_at"])
    return ReportJob.Status.DONE


def report_job_sweep(*, now: dt.datetime) -> int:
    """Ring again for queued jobs the broker lost, and queue again jobs whose worker died."""
    ReportJob.objects.filter(status=ReportJob.Status.RUNNING, started_at__lt=now - STALE_RUNNING).update(status=ReportJob.Status.QUEUED)
    ids = list(
        ReportJob.objects.filter(status=ReportJob.Status.QUEUED, created_at__lt=now - STALE_QUEUED).values_list("pk", flat=True)[:20]
    )
    for pk in ids:
        _ring(pk)
    return len(ids)


def _build(job: ReportJob, now_fn) -> tuple[bytes, str]:
    from .report_pdf import build_report

    if job.kind == ReportJob.Kind.CAMPAIGN:
        from .campaign_report import build_campaign_report

        pdf, _figures = build_campaign_report(job.campaign, number=job.number, now=now_fn(), progress=_progress(job.pk))
        return pdf, ""
    fingerprint = data_fingerprint(job.requested_by, Period(job.year, job.quarter), job.unit)
    pdf, _figures = build_report(
        job.requested_by, year=job.year, quarter=job.quarter, unit=job.unit, appendix=job.appendix, number=job.number,
        progress=_progress(job.pk),
    )  # fmt: skip
    return pdf, fingerprint
