"""Celery tasks of the reports (R-ANNUAL) and the figure cells: thin, idempotent wrappers around
``discipline.reports.jobs`` and ``discipline.reports.figures.check``. Each keeps the name it had before the
reports package (``name=``), so the beat schedule and messages already in the broker still reach it.
Never scheduled with an ETA (see records.tasks). WeasyPrint lays out long tables slowly: the report task
has time limits, and the worker's memory is bounded with --max-memory-per-child (see the report)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from cases.worker import REPORT_SWEEP, record_pulse
from discipline.reports.figures.check import figures_check
from discipline.reports.jobs import GENERATE_REPORT_TASK, report_job_run, report_job_sweep


@shared_task(
    name=GENERATE_REPORT_TASK,
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
    ignore_result=True,
)
def generate_report(job_id: int) -> str:
    return report_job_run(job_id, now_fn=timezone.now)


@shared_task(name="discipline.report_tasks.sweep_reports", acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def sweep_reports() -> int:
    requeued = report_job_sweep(now=timezone.now())
    record_pulse(REPORT_SWEEP, now=timezone.now())
    return requeued


@shared_task(name="discipline.tasks.check_figures", acks_late=True, soft_time_limit=3000, time_limit=3300)
def check_figures() -> bool:
    """Nightly: reconcile the figure cells with the records and repair any drift."""
    return figures_check(repair=True, actor=None).ok
