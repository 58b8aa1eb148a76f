"""Celery tasks of the audit log (sealing every minute, a full verification every night) and of the
confirmed 批量导入."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .audit import audit_verify, seal_chain
from .audit_trail.services import storage_check
from .onboarding.jobs import IMPORT_TIME_LIMIT, RUN_IMPORT_TASK, import_job_run
from .worker import PULSE_TASK, WORKER, record_pulse


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5, soft_time_limit=120, time_limit=180)
def seal_audit_chain() -> int:
    return seal_chain()


@shared_task(acks_late=True, soft_time_limit=3000, time_limit=3300)
def verify_audit_chain() -> bool:
    return audit_verify(check_files=True, actor=None).ok


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def check_audit_storage() -> int:
    """The audit trail's storage near full: the auditors are told (once a day per store)."""
    return len(storage_check(now=timezone.now()))


@shared_task(name=PULSE_TASK, acks_late=True, soft_time_limit=20, time_limit=30, ignore_result=True)
def worker_pulse() -> None:
    """The worker answers: sent by the beat every WORKER_PULSE_SECONDS (cases.worker)."""
    record_pulse(WORKER, now=timezone.now())


@shared_task(name=RUN_IMPORT_TASK, acks_late=True, soft_time_limit=IMPORT_TIME_LIMIT - 100, time_limit=IMPORT_TIME_LIMIT, ignore_result=True)
def run_import_job(job_id: int) -> str:
    """A confirmed 批量导入 (cases.onboarding.jobs): one transaction, all or nothing."""
    return import_job_run(job_id, now_fn=timezone.now)
