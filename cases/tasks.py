"""Celery tasks of the audit log: sealing every minute, a full verification every night."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .audit import audit_verify, seal_chain
from .worker import PULSE_TASK, WORKER, record_pulse


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5, soft_time_limit=120, time_limit=180)
def seal_audit_chain() -> int:
    return seal_chain()


@shared_task(acks_late=True, soft_time_limit=3000, time_limit=3300)
def verify_audit_chain() -> bool:
    return audit_verify(check_files=True, actor=None).ok


@shared_task(name=PULSE_TASK, acks_late=True, soft_time_limit=20, time_limit=30, ignore_result=True)
def worker_pulse() -> None:
    """The worker answers: sent by the beat every WORKER_PULSE_SECONDS (cases.worker)."""
    record_pulse(WORKER, now=timezone.now())
