"""Report jobs (R-ANNUAL): asking for a report, and running it. The request is a service (one
transaction, one audit event, the task enqueued on commit); the broker is only a doorbell: when it
is down the job stays queued, and the sweep (Celery beat, ``report_tasks.sweep_reports``) or the
next status poll of the page rings again.

A running job has a heartbeat: the worker writes ``heartbeat_at`` every REPORT_HEARTBEAT_SECONDS
(from a thread, so a long WeasyPrint layout beats too). A job whose heartbeat is older than
REPORT_WORKER_LOST_SECONDS lost its worker (``kill -9``, out of memory, machine gone) and is queued
again and rung, by the status poll of a page watching it or by the sweep. Each run takes the job
with a new ``attempt`` number and writes progress and its result only while that number is current,
so a stalled worker that comes back after the job was queued again produces no second result."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.models import Unit
from discipline.reports.access import ScopeError, is_discipline, may_report, report_units
from discipline.reports.models import ReportJob
from discipline.reports.pdf import build_report
from discipline.reports.selectors import Period, data_fingerprint
from discipline.reports.vocabulary import ReportEvent

# The logger keeps the name it had before the reports package, so log filters keep matching it.
log = logging.getLogger("discipline.report_jobs")
# A queued job older than this is rung again by the page's status poll and the sweep.
STALE_QUEUED = dt.timedelta(seconds=30)
# A job whose worker was lost this many times is not queued again: it is what kills the worker.
MAX_ATTEMPTS = 3


# The task is rung by its name, so this module does not import the tasks module (which imports this one).
GENERATE_REPORT_TASK = "discipline.report_tasks.generate_report"


def _ring(job_id: int) -> None:
    try:
        # A ring not taken before the next report sweep is spent: that sweep rings again if the job
        # is still queued, so a stopped worker does not come back to a pile of duplicate rings.
        current_app.send_task(GENERATE_REPORT_TASK, args=[job_id], retry=False, expires=settings.REPORT_SWEEP_SECONDS - 10)
    except Exception:  # noqa: BLE001 - any broker failure; the job stays queued for the sweep
        log.warning("broker unavailable; report job %s stays queued", job_id, exc_info=True)


def ring_if_stale(job: ReportJob, *, now: dt.datetime) -> bool:
    """From a status poll: queue again and ring a running job whose worker is gone (see
    `requeue_lost`); ring again for a job queued longer than STALE_QUEUED (the broker may have been
    down when it was asked for), at most once per STALE_QUEUED per job across all web processes,
    however often its pages poll (a conditional update on ``rung_at`` decides). True when it rang
    (the caller reads the job again)."""
    if job.status == ReportJob.Status.RUNNING:
        if not requeue_lost(now=now, job_id=job.pk):
            return False
        _ring(job.pk)
        return True
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


def _worker_lost(now: dt.datetime) -> Q:
    """Running jobs whose worker has not beaten for REPORT_WORKER_LOST_SECONDS (a job started before
    heartbeats existed counts from its start)."""
    cutoff = now - dt.timedelta(seconds=settings.REPORT_WORKER_LOST_SECONDS)
    return Q(status=ReportJob.Status.RUNNING) & (Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff))


def requeue_lost(*, now: dt.datetime, job_id: int | None = None) -> list[int]:
    """Queue again the running jobs (or the one job `job_id`) whose worker is gone; returns the ids
    queued again (the caller rings them). A job that lost its worker MAX_ATTEMPTS times fails
    instead. Conditional updates: of several pollers and the sweep, one requeues each job."""
    lost = ReportJob.objects.filter(_worker_lost(now))
    if job_id is not None:
        lost = lost.filter(pk=job_id)
    requeued = []
    for pk, attempt in lost.values_list("pk", "attempt")[:50]:
        if attempt >= MAX_ATTEMPTS:
            failed = ReportJob.objects.filter(_worker_lost(now), pk=pk, attempt=attempt).update(
                status=ReportJob.Status.FAILED, error=f"worker lost {attempt} times", finished_at=now
            )
            if failed:
                log.error("report job %s lost its worker %s times; marked failed", pk, attempt)
            continue
        if ReportJob.objects.filter(_worker_lost(now), pk=pk, attempt=attempt).update(
            status=ReportJob.Status.QUEUED, progress=0, requeued_at=now, rung_at=now
        ):
            log.warning("report job %s lost its worker (attempt %s); queued again", pk, attempt)
            requeued.append(pk)
    return requeued


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
        type=ReportEvent.REPORT_REQUESTED,
        actor=actor,
        obj=job,
        data={"report": kind, "year": year, "quarter": quarter, "unit": unit.code if unit else "", "appendix": appendix, "force": force},
    )
    ring_after_commit(job.pk)
    return job, False


def _current(job_id: int, attempt: int):
    """The job, if run `attempt` still owns it."""
    return ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING, attempt=attempt)


def _progress(job_id: int, attempt: int, now_fn: Callable[[], dt.datetime]):
    def step(percent: int) -> None:
        # Outside the task's transaction: the page sees each step as it completes. A step is a beat too.
        _current(job_id, attempt).update(progress=percent, heartbeat_at=now_fn())

    return step


class _Heartbeat:
    """Beats for run `attempt` of a job every REPORT_HEARTBEAT_SECONDS from its own thread (and its
    own database connection) while the block runs, so a layout step that takes minutes still beats."""

    def __init__(self, job_id: int, attempt: int, now_fn: Callable[[], dt.datetime]):
        self.job_id, self.attempt, self.now_fn = job_id, attempt, now_fn
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"report-{job_id}-heartbeat", daemon=True)

    def _beat(self) -> None:
        from django.db import connections

        try:
            while not self.stopped.wait(settings.REPORT_HEARTBEAT_SECONDS):
                try:
                    _current(self.job_id, self.attempt).update(heartbeat_at=self.now_fn())
                except Exception:  # noqa: BLE001 - a missed beat is retried; too many and the job is requeued
                    log.warning("heartbeat of report job %s failed", self.job_id, exc_info=True)
        finally:
            connections.close_all()

    def __enter__(self):
        # Inside an outer transaction (an eager run in a test or a shell) another connection could
        # neither see the claimed row nor update it without waiting for that transaction; there is
        # no worker to watch then, and the progress steps beat on the caller's connection.
        if not connection.in_atomic_block:
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()


def report_job_run(job_id: int, *, now_fn) -> str:
    """Render one queued job (idempotent: a job that is not queued is left alone, and a run that lost
    the job to a later one writes nothing). Returns its status."""
    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("requested_by", "unit", "campaign__body")
            .filter(pk=job_id, status=ReportJob.Status.QUEUED)
            .first()
        )
        if job is None:
            return "skipped"
        now = now_fn()
        job.status, job.started_at, job.heartbeat_at, job.progress, job.attempt = ReportJob.Status.RUNNING, now, now, 1, job.attempt + 1
        job.save(update_fields=["status", "started_at", "heartbeat_at", "progress", "attempt"])
    attempt = job.attempt
    try:
        # The builders render in the default language (the bureau's Chinese documents), so an eager
        # in-process run does not inherit the asking request's language.
        with _Heartbeat(job.pk, attempt, now_fn):
            pdf, fingerprint = _build(job, now_fn, _progress(job.pk, attempt, now_fn))
    except Exception as exc:
        log.exception("report job %s failed", job.pk)
        if not _current(job.pk, attempt).update(status=ReportJob.Status.FAILED, error=str(exc)[:2000], finished_at=now_fn()):
            return "superseded"
        return ReportJob.Status.FAILED
    name = f"report-{job.pk}-{job.year}{f'Q{job.quarter}' if job.quarter else ''}{f'-campaign{job.campaign_id}' if job.campaign_id else ''}.pdf"
    job.file.save(name, ContentFile(pdf), save=False)
    done = _current(job.pk, attempt).update(
        file=job.file.name, fingerprint=fingerprint, status=ReportJob.Status.DONE, progress=100, finished_at=now_fn()
    )
    if not done:
        # The job was queued again while this run was stalled; the later run gives the one result.
        job.file.delete(save=False)
        log.warning("report job %s: run %s finished after losing the job; its file is discarded", job.pk, attempt)
        return "superseded"
    return ReportJob.Status.DONE


def report_job_sweep(*, now: dt.datetime) -> int:
    """Queue again jobs whose worker is gone (stale heartbeat), and ring again for queued jobs the
    broker lost (those just queued again among them)."""
    requeue_lost(now=now)
    ids = list(
        ReportJob.objects.filter(status=ReportJob.Status.QUEUED, created_at__lt=now - STALE_QUEUED).values_list("pk", flat=True)[:20]
    )
    for pk in ids:
        _ring(pk)
    return len(ids)


# Report kinds rendered by packages above this one (campaigns registers "campaign" in
# DisciplineConfig.ready()): kind -> builder(job, now_fn=..., progress=...) -> (pdf, fingerprint).
report_builders: dict[str, Callable[..., tuple[bytes, str]]] = {}


def register_report_builder(kind: str, builder: Callable[..., tuple[bytes, str]]) -> None:
    report_builders[kind] = builder


def _build(job: ReportJob, now_fn, progress: Callable[[int], None]) -> tuple[bytes, str]:
    if job.kind in report_builders:
        return report_builders[job.kind](job, now_fn=now_fn, progress=progress)
    fingerprint = data_fingerprint(job.requested_by, Period(job.year, job.quarter), job.unit)
    pdf, _figures = build_report(
        job.requested_by, year=job.year, quarter=job.quarter, unit=job.unit, appendix=job.appendix, number=job.number,
        progress=progress,
    )  # fmt: skip
    return pdf, fingerprint
