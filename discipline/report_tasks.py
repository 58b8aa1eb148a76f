"""Celery tasks of the reports (R-ANNUAL): thin, idempotent wrappers around discipline.report_jobs.
Never scheduled with an ETA (see records.tasks). WeasyPrint lays out long tables slowly: the task has
time limits, and the worker's memory is bounded with --max-memory-per-child (see the report)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .report_jobs import report_job_run, report_job_sweep


@shared_task(
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


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def sweep_reports() -> int:
    return report_job_sweep(now=timezone.now())
