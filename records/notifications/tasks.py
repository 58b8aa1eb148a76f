"""Celery tasks: thin, idempotent wrappers around services. Scheduled by beat (settings), and woken
by services after commits (cases.worker.wake_worker_after_commit). Never scheduled with an ETA or countdown: with Redis, a countdown
longer than the visibility timeout is delivered again and again; the sweep over the database is the
scheduler."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from cases.worker import REMINDER_SWEEP, record_pulse

from .sweep import reminder_sweep


@shared_task(
    # The name messages in the broker and the beat schedule use (the task lived in records.tasks).
    name="records.tasks.sweep",
    acks_late=True,
    # Transient database trouble only: anything else is a bug to see, not to retry.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
    ignore_result=True,
)
def sweep() -> dict[str, int]:
    """Send everything owed now (records.notifications.sweep.reminder_sweep); the administrator's
    status page shows when it last finished."""
    result = reminder_sweep(now=timezone.now())
    record_pulse(REMINDER_SWEEP, now=timezone.now())
    return result
